"""Starting points like the Amplify CLI's, as ``ResourceConfig`` values.

Each validates without errors once a target (app, environment, resource name) is given. The
social preset carries placeholders for the provider credentials, to be replaced.
"""

from __future__ import annotations

import copy
from typing import Any

_EMAIL_MESSAGE = {
    "DeliveryMethod": "EMAIL",
    "EmailSettings": {
        "EmailSubject": "Your verification code",
        "EmailMessage": "Your verification code is {####}",
    },
}

PRESETS: dict[str, dict[str, Any]] = {
    "Email sign-in (defaults)": {
        "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
        "Service": "COGNITO",
        "IdentityPoolConfigs": {"IdentityPoolName": "app_identity", "UnauthenticatedLogin": False},
        "UserPoolConfigs": {
            "UserPoolName": "app-users",
            "SignInMethod": "EMAIL",
            "RequiredSignUpAttributes": ["EMAIL"],
            "PasswordPolicy": {"MinimumLength": 8},
            "VerificationMessage": _EMAIL_MESSAGE,
        },
    },
    "Username with optional TOTP MFA": {
        "AuthResources": "USER_POOL_ONLY",
        "Service": "COGNITO",
        "UserPoolConfigs": {
            "UserPoolName": "app-users",
            "SignInMethod": "USERNAME",
            "RequiredSignUpAttributes": ["EMAIL"],
            "PasswordPolicy": {
                "MinimumLength": 10,
                "AdditionalConstraints": [
                    "REQUIRE_DIGIT",
                    "REQUIRE_LOWERCASE",
                    "REQUIRE_UPPERCASE",
                ],
            },
            "Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["TOTP"]}},
            "VerificationMessage": _EMAIL_MESSAGE,
        },
    },
    "Social sign-in (Google, Facebook) with hosted UI": {
        "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
        "Service": "COGNITO",
        "IdentityPoolConfigs": {"IdentityPoolName": "app_identity", "UnauthenticatedLogin": False},
        "UserPoolConfigs": {
            "UserPoolName": "app-users",
            "SignInMethod": "EMAIL",
            "RequiredSignUpAttributes": ["EMAIL", "NAME"],
            "PasswordPolicy": {"MinimumLength": 8},
            "VerificationMessage": _EMAIL_MESSAGE,
            "OAuth": {
                "DomainPrefix": "my-app-login",
                "OAuthGrantType": "CODE",
                "OAuthScopes": ["OPENID", "EMAIL", "PROFILE"],
                "RedirectSignInURIs": ["http://localhost:3000/"],
                "RedirectSignOutURIs": ["http://localhost:3000/"],
                "SocialProviderSettings": {
                    "Google": {"ClientId": "GOOGLE-CLIENT-ID", "ClientSecret": "REPLACE-ME"},
                    "Facebook": {"ClientId": "FACEBOOK-APP-ID", "ClientSecret": "REPLACE-ME"},
                },
            },
        },
    },
    "Phone sign-in with SMS MFA": {
        "AuthResources": "USER_POOL_ONLY",
        "Service": "COGNITO",
        "UserPoolConfigs": {
            "UserPoolName": "app-users",
            "SignInMethod": "PHONE_NUMBER",
            "RequiredSignUpAttributes": ["PHONE_NUMBER"],
            "PasswordPolicy": {"MinimumLength": 8},
            "Mfa": {
                "MFAMode": "ON",
                "Settings": {"MfaTypes": ["SMS"], "SmsMessage": "Your sign-in code is {####}"},
            },
            "VerificationMessage": {
                "DeliveryMethod": "SMS",
                "SmsSettings": {"SmsMessage": "Your verification code is {####}"},
            },
        },
    },
}


def preset(name: str) -> dict[str, Any]:
    """A fresh copy of a preset's ResourceConfig."""
    try:
        return copy.deepcopy(PRESETS[name])
    except KeyError:
        raise KeyError(f"no preset {name!r}; there are: {', '.join(PRESETS)}") from None

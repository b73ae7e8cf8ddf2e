"""The demo apps' data: a few apps and environments, some with auth already configured (the
emulator's ``--demo`` seeds them, ``emulator/demo.py``).

Some configurations are deliberately weak (short passwords, no MFA, the implicit grant, a
deprecated member), so that an audit has something to find. Pure data, importing nothing: the
app's page names the demo apps without loading the emulator (whose server stack costs a
kernel about 0.2 s at start).
"""

from __future__ import annotations

from typing import Any

STRONG: dict[str, Any] = {
    "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
    "Service": "COGNITO",
    "IdentityPoolConfigs": {"IdentityPoolName": "todo_identity", "UnauthenticatedLogin": False},
    "UserPoolConfigs": {
        "UserPoolName": "todo-users",
        "SignInMethod": "EMAIL",
        "RequiredSignUpAttributes": ["EMAIL"],
        "PasswordPolicy": {
            "MinimumLength": 12,
            "AdditionalConstraints": ["REQUIRE_DIGIT", "REQUIRE_SYMBOL", "REQUIRE_UPPERCASE"],
        },
        "Mfa": {"MFAMode": "ON", "Settings": {"MfaTypes": ["TOTP"]}},
        "VerificationMessage": {
            "DeliveryMethod": "EMAIL",
            "EmailSettings": {
                "EmailSubject": "Your Todo code",
                "EmailMessage": "Your verification code is {####}",
            },
        },
    },
}

WEAK = {
    "AuthResources": "USER_POOL_ONLY",
    "Service": "COGNITO",
    "UserPoolConfigs": {
        "UserPoolName": "todo-dev-users",
        "SignInMethod": "USERNAME",
        "RequiredSignUpAttributes": [],
        "PasswordPolicy": {"MinimumLength": 6},
        "Mfa": {"MFAMode": "OFF"},
        "OAuth": {
            "DomainPrefix": "todo-dev-login",
            "OAuthGrantType": "IMPLICIT",
            "OAuthScopes": ["OPENID", "EMAIL"],
            "RedirectSignInURIs": ["http://localhost:3000/"],
            "RedirectSignOutURIs": ["http://localhost:3000/"],
        },
    },
}

SOCIAL = {
    "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
    "Service": "COGNITO",
    "IdentityPoolConfigs": {"IdentityPoolName": "shop_identity", "UnauthenticatedLogin": True},
    "UserPoolConfigs": {
        "UserPoolName": "shop-users",
        "SignInMethod": "EMAIL",
        "RequiredSignUpAttributes": ["EMAIL", "NAME"],
        "PasswordPolicy": {"MinimumLength": 8, "AdditionalConstraints": ["REQUIRE_DIGIT"]},
        "Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["TOTP"]}},
        "OAuth": {
            "DomainPrefix": "shop-login",
            "OAuthGrantType": "CODE",
            "OAuthScopes": ["OPENID", "EMAIL", "PROFILE"],
            "RedirectSignInURIs": ["https://shop.example.com/", "myshop://signin/"],
            "RedirectSignOutURIs": ["https://shop.example.com/bye/"],
            "SocialProviderSettings": {
                "Google": {
                    "ClientId": "demo-client.apps.googleusercontent.com",
                    "ClientSecret": "demo-google-secret",
                }
            },
        },
    },
}

LEGACY = {
    "AuthResources": "USER_POOL_ONLY",
    "Service": "COGNITO",
    "UserPoolConfigs": {
        "UserPoolName": "admin-users",
        "SignInMethod": "USERNAME",
        "RequiredSignUpAttributes": ["EMAIL"],
        "PasswordPolicy": {"MinimumLength": 8},
        "ForgotPassword": {
            "DeliveryMethod": "EMAIL",
            "EmailSettings": {"EmailSubject": "Reset", "EmailMessage": "Reset code {####}"},
        },
    },
}

#: (app id, app name, {environment: auth configuration or None})
DEMO_APPS: tuple[tuple[str, str, dict[str, dict[str, Any] | None]], ...] = (
    ("d1demotodo", "todo-web", {"prod": STRONG, "dev": WEAK}),
    ("d2demoshop", "shop-mobile", {"staging": SOCIAL, "prod": None}),
    ("d3demoadmin", "legacy-admin", {"main": LEGACY}),
    ("d4demonew", "new-project", {"dev": None}),
)

"""Demo data for ``--demo``: a few apps and environments, some with auth already configured.

Some configurations are deliberately weak (short passwords, no MFA, the implicit grant, a
deprecated member), so that an audit has something to find. Seeding is idempotent: an app that
exists already is left alone, so a restart on the same database does not duplicate anything.
"""

from __future__ import annotations

from typing import Any

from .backend import Backend

STRONG = {
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


def seed_demo(backend: Backend) -> list[str]:
    """Create the demo apps that do not exist yet; returns their ids."""
    store, now = backend.store, backend.clock()
    created = []
    for app_id, name, environments in DEMO_APPS:
        if store.app(app_id) is not None:
            continue
        store.put_app(app_id, name, {"description": f"Demo app {name}"}, now)
        for env, config in environments.items():
            store.put_environment(app_id, env, {}, now)
            if config is not None:
                store.put_auth(app_id, env, f"{name.replace('-', '')}auth", config, now)
        created.append(app_id)
    return created

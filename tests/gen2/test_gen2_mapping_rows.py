"""The mapping's rows and code pinned whole, branch by branch of ``gen2.mapping.Mapper``: sign-in
by username, email and phone or phone alone, messages on the pool or in ``loginWith``, MFA in
``defineAuth`` or on the pool, account recovery, the identity pool, names and the domain with
their environment's suffix, every social provider with Gen 1's scopes and attribute mapping,
the native client, the password policy with and without a length.

Written for the mutation run of ``gen2.mapping`` (docs/mutation.md); no Node toolchain here.
"""

from __future__ import annotations

import pytest
from support.gen2_lines import DEFINE_AUTH, DEFINE_BACKEND, NATIVE, NATIVE_OAUTH, POOL_OVERRIDES

from amplify_auth_widgets import gen2
from amplify_auth_widgets.gen2.mapping import (
    NATIVE_NOTE,
    RESET_MESSAGE,
    Mapper,
    ProviderDetails,
    Secret,
    provider_details,
)

UPC = "ResourceConfig.UserPoolConfigs"
R, B = "amplify/auth/resource.ts", "amplify/backend.ts"
PROVIDERS = f"{UPC}.OAuth.SocialProviderSettings"
#: The notes of more than one table.
MFA_NOTE = "Gen 2's multifactor requires SMS MFA with phone sign-in; Cognito does not"
EMAIL_REQUIRED = "Gen 2 makes email required for sign-in; not so here, as in the source"
USER_POOL_ONLY = "AuthResources is USER_POOL_ONLY, so the service ignores IdentityPoolConfigs"
POOL_NAME_NOTE = (
    "Gen 1 deployed it with -<env> appended; the export leaves that off: "
    "Gen 2 deploys a pool per branch and sandbox, and one environment's "
    "name would mislabel the others (names need not be unique)"
)
Row = tuple[str, str, str, str, str, str]


# -- a row of the table, by its status: (member, value, status, file, target, note) ---------


def mapped(member: str, value: str, file: str, target: str, note: str = "") -> Row:
    """A member written to ``target`` in ``file``."""
    return (member, value, "mapped", file, target, note)


def secret(member: str, value: str, target: str, note: str) -> Row:
    """A value written as a secret in resource.ts (the note: the ``secret(...)`` call)."""
    return (member, value, "secret", R, target, note)


def derived(member: str, value: str, file: str = "", target: str = "", note: str = "") -> Row:
    """What the export writes that no member names alone (a client, a provider's scopes)."""
    return (member, value, "derived", file, target, note)


def source(member: str, value: str) -> Row:
    """A name of the source, which the files' header comment gives."""
    return (member, value, "source", "", "header comment", "names the source")


def unsupported(member: str, value: str, note: str) -> Row:
    """A member the export writes nowhere ("not supported"), the note saying why."""
    return (member, value, "not supported", "", "", note)


#: Rows of more than one table.
NATIVE_CLIENT = derived(
    "AppClientID (native app client)",
    "generateSecret: false; no OAuth",
    B,
    'userPool.addClient("NativeAppClient")',
    NATIVE_NOTE,
)
NATIVE_WEB_CLIENT = derived(
    "AppClientID (native app client)",
    "generateSecret: false; OAuth as the web client's",
    B,
    'userPool.addClient("NativeAppClient")',
    NATIVE_NOTE,
)
EMAIL_SIGN_IN = mapped(f"{UPC}.SignInMethod", "EMAIL", R, "loginWith.email")
#: A provider the model does not know ("Nope"): the table says so, the code passes it over.
UNKNOWN_PROVIDER = (
    f"{PROVIDERS}.Nope.ClientId",
    "x",
    "not mapped",
    "",
    "",
    "the service model has no such member",
)


def test_the_required_attributes_row_names_every_key_it_wrote_even_with_none_required():
    request = {
        "ResourceConfig": {
            "UserPoolConfigs": {
                "SignInMethod": "EMAIL_AND_PHONE_NUMBER",
                "RequiredSignUpAttributes": [],
            }
        }
    }
    (row,) = [r for r in gen2.export(request).rows if r["member"].endswith("SignUpAttributes")]
    assert row["target"] == "userAttributes.email, phoneNumber"  # was "userAttributes."
    request["ResourceConfig"]["UserPoolConfigs"]["RequiredSignUpAttributes"] = ["NAME"]
    (row,) = [r for r in gen2.export(request).rows if r["member"].endswith("SignUpAttributes")]
    assert row["target"] == "userAttributes.fullname, email, phoneNumber"
    assert row["note"] == (
        "Gen 2 makes email and phoneNumber required for sign-in; not so here, as in the source"
    )


def test_a_value_none_of_cognito_s_is_named_as_left_out_not_passed_as_mapped():
    # a request let through with --no-validate: the files leave the value out, and the row
    # says so rather than "mapped" alone
    def rows(pool: dict) -> dict[str, dict[str, str]]:
        request = {"ResourceConfig": {"UserPoolConfigs": {"SignInMethod": "EMAIL", **pool}}}
        return {r["member"].removeprefix(f"{UPC}."): r for r in gen2.export(request).rows}

    table = rows(
        {
            "RequiredSignUpAttributes": ["NAME", "SHOE_SIZE", "<b>x</b>"],
            "PasswordPolicy": {
                "MinimumLength": 9,
                "AdditionalConstraints": ["REQUIRE_DIGIT", "NOPE"],
            },
        }
    )
    attributes = table["RequiredSignUpAttributes"]
    assert (attributes["status"], attributes["target"]) == (
        "mapped",
        "userAttributes.fullname, email",
    )
    assert attributes["note"] == (
        f"{EMAIL_REQUIRED}; left out, not Cognito's: '<b>x</b>', 'SHOE_SIZE'"
    )
    constraints = table["PasswordPolicy.AdditionalConstraints"]
    assert constraints["target"] == "cfnUserPool.policies.passwordPolicy: requireNumbers"
    assert constraints["note"] == "the others are set to false; left out, not Cognito's: 'NOPE'"
    # nothing known but the loosened email: the row still says what was dropped
    only = rows({"RequiredSignUpAttributes": ["SHOE_SIZE", "SHOE_SIZE"]})[
        "RequiredSignUpAttributes"
    ]
    assert only["note"] == f"{EMAIL_REQUIRED}; left out, not Cognito's: 'SHOE_SIZE'"
    # every value Cognito's: the notes as before
    table = rows(
        {
            "RequiredSignUpAttributes": ["NAME"],
            "PasswordPolicy": {"MinimumLength": 9, "AdditionalConstraints": ["REQUIRE_DIGIT"]},
        }
    )
    assert table["RequiredSignUpAttributes"]["note"] == EMAIL_REQUIRED
    assert table["PasswordPolicy.AdditionalConstraints"]["note"] == "the others are set to false"


# -- the configurations, one per group of branches ----------------------------------------

USERNAME_SMS = {
    "BackendEnvironmentName": "",
    "ResourceConfig": {
        "AuthResources": "USER_POOL_ONLY",
        "IdentityPoolConfigs": {"IdentityPoolName": "ip", "UnauthenticatedLogin": True},
        "UserPoolConfigs": {
            "UserPoolName": "up",
            "SignInMethod": "USERNAME",
            "RequiredSignUpAttributes": ["EMAIL", "ZONE_INFO", "BOGUS"],
            "VerificationMessage": {
                "DeliveryMethod": "SMS",
                "SmsSettings": {"SmsMessage": "Code {####}"},
                "EmailSettings": {"EmailSubject": "S", "EmailMessage": "B {####}"},
            },
            "Mfa": {"MFAMode": "ON", "Settings": {"MfaTypes": ["TOTP"], "SmsMessage": "M {####}"}},
            "ForgotPassword": {
                "DeliveryMethod": "SMS",
                "EmailSettings": {"EmailSubject": "r", "EmailMessage": "r {####}"},
                "SmsSettings": {"SmsMessage": "r {####}"},
            },
            "PasswordPolicy": {"AdditionalConstraints": ["REQUIRE_SYMBOL", "REQUIRE_LOWERCASE"]},
        },
    },
}

PHONE = {
    "ResourceConfig": {
        "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
        "IdentityPoolConfigs": {"UnauthenticatedLogin": False},
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL_AND_PHONE_NUMBER",
            "RequiredSignUpAttributes": [],
            "VerificationMessage": {
                "DeliveryMethod": "EMAIL",
                "SmsSettings": {"SmsMessage": "Code {####}"},
            },
            "Mfa": {
                "MFAMode": "OPTIONAL",
                "Settings": {"MfaTypes": ["SMS"], "SmsMessage": "M {####}"},
            },
            "ForgotPassword": {"DeliveryMethod": "EMAIL"},
        },
    }
}

PHONE_TOTP = {
    "ResourceConfig": {
        "UserPoolConfigs": {
            "SignInMethod": "PHONE_NUMBER",
            "Mfa": {"MFAMode": "ON", "Settings": {"MfaTypes": ["TOTP"], "SmsMessage": "M {####}"}},
        }
    }
}

SOCIAL = {
    "BackendEnvironmentName": "prod",
    "ResourceConfig": {
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL",
            "RequiredSignUpAttributes": ["FAMILY_NAME", "PHONE_NUMBER"],
            "OAuth": {
                "OAuthGrantType": "IMPLICIT",
                "OAuthScopes": ["EMAIL", "AWS_COGNITO_SIGNIN_USER_ADMIN"],
                "DomainPrefix": "d",
                "RedirectSignInURIs": ["myapp://"],
                "SocialProviderSettings": {
                    "Facebook": {"ClientId": "f", "ClientSecret": "fs"},
                    "SignInWithApple": {"ClientId": "a", "KeyId": "k", "TeamId": "t"},
                    "LoginWithAmazon": {"ClientId": "l"},
                    "Nope": {"ClientId": "x"},
                },
            },
        }
    },
}

APPLE_NONE = {
    "ResourceConfig": {
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL",
            "RequiredSignUpAttributes": [],
            "OAuth": {
                "OAuthScopes": ["FOO", "OPENID", "PHONE"],
                "SocialProviderSettings": {
                    "SignInWithApple": {"ClientId": "a"},
                    "Google": {"ClientId": "g"},
                },
            },
        }
    }
}

GOOGLE_DEFAULT = {
    "ResourceConfig": {
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL",
            "OAuth": {
                "OAuthGrantType": "CODE",
                "SocialProviderSettings": {
                    "Google": {"ClientId": "g"},
                    "Facebook": {"ClientId": "f"},
                },
            },
        }
    }
}


# -- their rows: member, value, status, file, target, note -------------------------------

USERNAME_SMS_ROWS = [
    source("BackendEnvironmentName", ""),
    mapped(
        "ResourceConfig.AuthResources",
        "USER_POOL_ONLY",
        B,
        "cfnIdentityPool.allowUnauthenticatedIdentities",
        "Gen 2 always creates an identity pool; with USER_POOL_ONLY it gets no guest access",
    ),
    unsupported("ResourceConfig.IdentityPoolConfigs.IdentityPoolName", "ip", USER_POOL_ONLY),
    unsupported("ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin", "true", USER_POOL_ONLY),
    mapped(f"{UPC}.UserPoolName", "up", B, "cfnUserPool.userPoolName", POOL_NAME_NOTE),
    mapped(
        f"{UPC}.SignInMethod",
        "USERNAME",
        B,
        "cfnUserPool.usernameAttributes",
        (
            "users sign in with a username: Gen 2 signs in with email or phone, so "
            "phone is set up and this override makes the username the sign-in"
        ),
    ),
    mapped(
        f"{UPC}.RequiredSignUpAttributes",
        "EMAIL, ZONE_INFO, BOGUS",
        R,
        "userAttributes.email, timezone, phoneNumber",
        (
            "Gen 2 makes phoneNumber required for sign-in; not so here, as in the source; "
            "left out, not Cognito's: 'BOGUS'"
        ),
    ),
    mapped(
        f"{UPC}.VerificationMessage.DeliveryMethod",
        "SMS",
        R,
        "loginWith.phone",
        "verified automatically",
    ),
    mapped(
        f"{UPC}.VerificationMessage.SmsSettings.SmsMessage",
        "Code {####}",
        R,
        "loginWith.phone.verificationMessage",
    ),
    mapped(
        f"{UPC}.VerificationMessage.EmailSettings.EmailSubject",
        "S",
        B,
        "cfnUserPool.emailVerificationSubject",
    ),
    mapped(
        f"{UPC}.VerificationMessage.EmailSettings.EmailMessage",
        "B {####}",
        B,
        "cfnUserPool.emailVerificationMessage",
    ),
    mapped(f"{UPC}.Mfa.MFAMode", "ON", B, "cfnUserPool.mfaConfiguration", MFA_NOTE),
    mapped(f"{UPC}.Mfa.Settings.MfaTypes", "TOTP", B, "cfnUserPool.enabledMfas", MFA_NOTE),
    mapped(f"{UPC}.Mfa.Settings.SmsMessage", "M {####}", B, "cfnUserPool.smsAuthenticationMessage"),
    mapped(
        f"{UPC}.ForgotPassword.DeliveryMethod",
        "SMS",
        R,
        "accountRecovery",
        "deprecated in the API; Gen 2 calls it account recovery",
    ),
    unsupported(f"{UPC}.ForgotPassword.EmailSettings.EmailSubject", "r", RESET_MESSAGE),
    unsupported(f"{UPC}.ForgotPassword.EmailSettings.EmailMessage", "r {####}", RESET_MESSAGE),
    unsupported(f"{UPC}.ForgotPassword.SmsSettings.SmsMessage", "r {####}", RESET_MESSAGE),
    mapped(
        f"{UPC}.PasswordPolicy.AdditionalConstraints",
        "REQUIRE_SYMBOL, REQUIRE_LOWERCASE",
        B,
        "cfnUserPool.policies.passwordPolicy: requireLowercase, requireSymbols",
        "the others are set to false",
    ),
    derived(
        f"{UPC}.PasswordPolicy.MinimumLength",
        "8",
        B,
        "cfnUserPool.policies.passwordPolicy.minimumLength",
        (
            "not configured: Cognito's default is written, since a policy without "
            "a length leaves Gen 2's passwordPolicyMinLength output without a "
            "value, which CloudFormation refuses"
        ),
    ),
    NATIVE_CLIENT,
]

PHONE_ROWS = [
    mapped(
        "ResourceConfig.AuthResources",
        "IDENTITY_POOL_AND_USER_POOL",
        R,
        "defineAuth",
        "identity and user pool",
    ),
    mapped(
        "ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin",
        "false",
        B,
        "cfnIdentityPool.allowUnauthenticatedIdentities",
        "Gen 2 allows guests by default, so it is always set",
    ),
    mapped(f"{UPC}.SignInMethod", "EMAIL_AND_PHONE_NUMBER", R, "loginWith.email + loginWith.phone"),
    mapped(
        f"{UPC}.RequiredSignUpAttributes",
        "",
        R,
        "userAttributes.email, phoneNumber",
        "Gen 2 makes email and phoneNumber required for sign-in; not so here, as in the source",
    ),
    mapped(
        f"{UPC}.VerificationMessage.DeliveryMethod",
        "EMAIL",
        R,
        "loginWith.email",
        "verified automatically",
    ),
    mapped(
        f"{UPC}.VerificationMessage.SmsSettings.SmsMessage",
        "Code {####}",
        R,
        "loginWith.phone.verificationMessage",
    ),
    mapped(f"{UPC}.Mfa.MFAMode", "OPTIONAL", R, "multifactor.mode"),
    mapped(f"{UPC}.Mfa.Settings.MfaTypes", "SMS", R, "multifactor.sms"),
    mapped(f"{UPC}.Mfa.Settings.SmsMessage", "M {####}", R, "multifactor.sms.smsMessage"),
    mapped(
        f"{UPC}.ForgotPassword.DeliveryMethod",
        "EMAIL",
        R,
        "accountRecovery",
        "deprecated in the API; Gen 2 calls it account recovery",
    ),
    NATIVE_CLIENT,
]

PHONE_TOTP_ROWS = [
    mapped(f"{UPC}.SignInMethod", "PHONE_NUMBER", R, "loginWith.phone"),
    mapped(f"{UPC}.Mfa.MFAMode", "ON", B, "cfnUserPool.mfaConfiguration", MFA_NOTE),
    mapped(f"{UPC}.Mfa.Settings.MfaTypes", "TOTP", B, "cfnUserPool.enabledMfas", MFA_NOTE),
    mapped(f"{UPC}.Mfa.Settings.SmsMessage", "M {####}", B, "cfnUserPool.smsAuthenticationMessage"),
    NATIVE_CLIENT,
]

SOCIAL_ROWS = [
    source("BackendEnvironmentName", "prod"),
    EMAIL_SIGN_IN,
    mapped(
        f"{UPC}.RequiredSignUpAttributes",
        "FAMILY_NAME, PHONE_NUMBER",
        R,
        "userAttributes.familyName, phoneNumber, email",
        EMAIL_REQUIRED,
    ),
    mapped(f"{UPC}.OAuth.OAuthGrantType", "IMPLICIT", B, "cfnUserPoolClient.allowedOAuthFlows"),
    mapped(
        f"{UPC}.OAuth.OAuthScopes",
        "EMAIL, AWS_COGNITO_SIGNIN_USER_ADMIN",
        R,
        "loginWith.externalProviders.scopes",
        "Cognito grants phone, email and profile only with openid; the CDK adds it",
    ),
    mapped(
        f"{UPC}.OAuth.DomainPrefix",
        "d",
        B,
        "userPoolDomain.domain",
        (
            "Gen 1 deployed it with -prod appended; the export leaves that off: a "
            "prefix is unique in its region, so with the suffix the new domain "
            "would clash with Gen 1's while that exists; give each further Gen 2 "
            "branch or sandbox a prefix of its own, and add "
            "https://<prefix>.auth.<region>.amazoncognito.com/oauth2/idpresponse "
            "to each social provider's allowed redirect URIs"
        ),
    ),
    mapped(
        f"{UPC}.OAuth.RedirectSignInURIs", "myapp://", R, "loginWith.externalProviders.callbackUrls"
    ),
    secret(
        f"{PROVIDERS}.Facebook.ClientId",
        "f",
        "loginWith.externalProviders.facebook.clientId",
        'secret("FACEBOOK_CLIENT_ID")',
    ),
    secret(
        f"{PROVIDERS}.Facebook.ClientSecret",
        "<redacted>",
        "loginWith.externalProviders.facebook.clientSecret",
        'secret("FACEBOOK_CLIENT_SECRET")',
    ),
    secret(
        f"{PROVIDERS}.SignInWithApple.ClientId",
        "a",
        "loginWith.externalProviders.signInWithApple.clientId",
        'secret("SIWA_CLIENT_ID")',
    ),
    secret(
        f"{PROVIDERS}.SignInWithApple.KeyId",
        "k",
        "loginWith.externalProviders.signInWithApple.keyId",
        'secret("SIWA_KEY_ID")',
    ),
    secret(
        f"{PROVIDERS}.SignInWithApple.TeamId",
        "t",
        "loginWith.externalProviders.signInWithApple.teamId",
        'secret("SIWA_TEAM_ID")',
    ),
    secret(
        f"{PROVIDERS}.LoginWithAmazon.ClientId",
        "l",
        "loginWith.externalProviders.loginWithAmazon.clientId",
        'secret("LOGINWITHAMAZON_CLIENT_ID")',
    ),
    UNKNOWN_PROVIDER,
    derived(
        f"{PROVIDERS}.Facebook (scopes)",
        "public_profile",
        R,
        "loginWith.externalProviders.facebook.scopes",
        (
            "the provider scopes Gen 1 requested, derived from "
            "RequiredSignUpAttributes and username; without them the CDK asks for "
            "public_profile only"
        ),
    ),
    derived(
        f"{PROVIDERS}.Facebook (attribute mapping)",
        "family_name=last_name, username=id",
        R,
        "loginWith.externalProviders.facebook.attributeMapping",
        (
            "Gen 1's mapping, derived from RequiredSignUpAttributes and username; "
            "Facebook gives no phone_number: federated sign-up fails while such an "
            "attribute is required"
        ),
    ),
    derived(
        f"{PROVIDERS}.SignInWithApple (scopes)",
        "name",
        R,
        "loginWith.externalProviders.signInWithApple.scopes",
        (
            "the provider scopes Gen 1 requested, derived from "
            "RequiredSignUpAttributes and username; without them the CDK asks for "
            "name only"
        ),
    ),
    derived(
        f"{PROVIDERS}.SignInWithApple (attribute mapping)",
        "family_name=lastName",
        R,
        "loginWith.externalProviders.signInWithApple.attributeMapping",
        (
            "Gen 1's mapping, derived from RequiredSignUpAttributes and username; "
            "SignInWithApple gives no phone_number: federated sign-up fails while "
            "such an attribute is required"
        ),
    ),
    derived(
        f"{PROVIDERS}.LoginWithAmazon (scopes)",
        "profile:user_id",
        R,
        "loginWith.externalProviders.loginWithAmazon.scopes",
        (
            "the provider scopes Gen 1 requested, derived from "
            "RequiredSignUpAttributes and username; without them the CDK asks for "
            "profile only"
        ),
    ),
    derived(
        f"{PROVIDERS}.LoginWithAmazon (attribute mapping)",
        "username=user_id",
        R,
        "loginWith.externalProviders.loginWithAmazon.attributeMapping",
        (
            "Gen 1's mapping, derived from RequiredSignUpAttributes and username; "
            "LoginWithAmazon gives no family_name, phone_number: federated sign-up "
            "fails while such an attribute is required"
        ),
    ),
    NATIVE_WEB_CLIENT,
]

APPLE_NONE_ROWS = [
    EMAIL_SIGN_IN,
    mapped(f"{UPC}.RequiredSignUpAttributes", "", R, "userAttributes.email", EMAIL_REQUIRED),
    mapped(
        f"{UPC}.OAuth.OAuthScopes", "FOO, OPENID, PHONE", R, "loginWith.externalProviders.scopes"
    ),
    secret(
        f"{PROVIDERS}.SignInWithApple.ClientId",
        "a",
        "loginWith.externalProviders.signInWithApple.clientId",
        'secret("SIWA_CLIENT_ID")',
    ),
    secret(
        f"{PROVIDERS}.Google.ClientId",
        "g",
        "loginWith.externalProviders.google.clientId",
        'secret("GOOGLE_CLIENT_ID")',
    ),
    derived(
        f"{PROVIDERS}.SignInWithApple (scopes)",
        "",
        note="Gen 1 requested no scope: the CDK's default, name",
    ),
    derived(
        f"{PROVIDERS}.SignInWithApple (attribute mapping)",
        "",
        note="Gen 1's mapping, derived from RequiredSignUpAttributes and username",
    ),
    derived(
        f"{PROVIDERS}.Google (scopes)",
        "openid profile",
        R,
        "loginWith.externalProviders.google.scopes",
        (
            "the provider scopes Gen 1 requested, derived from "
            "RequiredSignUpAttributes and username; without them the CDK asks for "
            "profile only"
        ),
    ),
    derived(
        f"{PROVIDERS}.Google (attribute mapping)",
        "username=sub",
        R,
        "loginWith.externalProviders.google.attributeMapping",
        "Gen 1's mapping, derived from RequiredSignUpAttributes and username",
    ),
    NATIVE_WEB_CLIENT,
]

GOOGLE_DEFAULT_ROWS = [
    EMAIL_SIGN_IN,
    mapped(
        f"{UPC}.OAuth.OAuthGrantType",
        "CODE",
        R,
        "loginWith.externalProviders",
        "Gen 2 uses the code grant",
    ),
    secret(
        f"{PROVIDERS}.Google.ClientId",
        "g",
        "loginWith.externalProviders.google.clientId",
        'secret("GOOGLE_CLIENT_ID")',
    ),
    secret(
        f"{PROVIDERS}.Facebook.ClientId",
        "f",
        "loginWith.externalProviders.facebook.clientId",
        'secret("FACEBOOK_CLIENT_ID")',
    ),
    derived(
        f"{PROVIDERS}.Google (scopes)",
        "openid email profile",
        R,
        "loginWith.externalProviders.google.scopes",
        (
            "the provider scopes Gen 1 requested, derived from Gen 1's default "
            "required attribute (email; none is configured) and username; without "
            "them the CDK asks for profile only"
        ),
    ),
    derived(
        f"{PROVIDERS}.Google (attribute mapping)",
        "email=email, username=sub",
        R,
        "loginWith.externalProviders.google.attributeMapping",
        (
            "Gen 1's mapping, derived from Gen 1's default required attribute "
            "(email; none is configured) and username"
        ),
    ),
    derived(
        f"{PROVIDERS}.Facebook (scopes)",
        "email,public_profile",
        R,
        "loginWith.externalProviders.facebook.scopes",
        (
            "the provider scopes Gen 1 requested, derived from Gen 1's default "
            "required attribute (email; none is configured) and username; without "
            "them the CDK asks for public_profile only"
        ),
    ),
    derived(
        f"{PROVIDERS}.Facebook (attribute mapping)",
        "email=email, username=id",
        R,
        "loginWith.externalProviders.facebook.attributeMapping",
        (
            "Gen 1's mapping, derived from Gen 1's default required attribute "
            "(email; none is configured) and username"
        ),
    ),
    NATIVE_WEB_CLIENT,
]


# -- their files ---------------------------------------------------------------------------

SOCIAL_RESOURCE = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app (not given), environment prod, by",
        "// amplify-auth-widgets.",
        "// Set each secret with `npx ampx sandbox secret set NAME` first:",
        "// FACEBOOK_CLIENT_ID, FACEBOOK_CLIENT_SECRET, SIWA_CLIENT_ID, SIWA_KEY_ID,",
        "// SIWA_PRIVATE_KEY, SIWA_TEAM_ID, LOGINWITHAMAZON_CLIENT_ID,",
        "// LOGINWITHAMAZON_CLIENT_SECRET.",
        'import { defineAuth, secret } from "@aws-amplify/backend";',
        "",
        "export const auth = defineAuth({",
        "  loginWith: {",
        "    email: true,",
        "    externalProviders: {",
        "      facebook: {",
        '        clientId: secret("FACEBOOK_CLIENT_ID"),',
        '        clientSecret: secret("FACEBOOK_CLIENT_SECRET"),',
        '        scopes: ["public_profile"],',
        "        attributeMapping: {",
        '          familyName: "last_name",',
        "          custom: {",
        '            username: "id",',
        "          },",
        "        },",
        "      },",
        "      signInWithApple: {",
        '        clientId: secret("SIWA_CLIENT_ID"),',
        '        keyId: secret("SIWA_KEY_ID"),',
        '        privateKey: secret("SIWA_PRIVATE_KEY"),',
        '        teamId: secret("SIWA_TEAM_ID"),',
        '        scopes: ["name"],',
        "        attributeMapping: {",
        '          familyName: "lastName",',
        "        },",
        "      },",
        "      loginWithAmazon: {",
        '        clientId: secret("LOGINWITHAMAZON_CLIENT_ID"),',
        '        clientSecret: secret("LOGINWITHAMAZON_CLIENT_SECRET"),',
        '        scopes: ["profile:user_id"],',
        "        attributeMapping: {",
        "          custom: {",
        '            username: "user_id",',
        "          },",
        "        },",
        "      },",
        '      scopes: ["EMAIL", "COGNITO_ADMIN"],',
        '      callbackUrls: ["myapp://"],',
        "      logoutUrls: [],",
        "    },",
        "  },",
        "  userAttributes: {",
        "    familyName: { required: true },",
        "    phoneNumber: { required: true },",
        "    email: { required: false },",
        "  },",
        "});",
        "",
    ]
)

SOCIAL_BACKEND = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app (not given), environment prod, by",
        "// amplify-auth-widgets.",
        "// Set each secret with `npx ampx sandbox secret set NAME` first:",
        "// FACEBOOK_CLIENT_ID, FACEBOOK_CLIENT_SECRET, SIWA_CLIENT_ID, SIWA_KEY_ID,",
        "// SIWA_PRIVATE_KEY, SIWA_TEAM_ID, LOGINWITHAMAZON_CLIENT_ID,",
        "// LOGINWITHAMAZON_CLIENT_SECRET.",
        'import { defineBackend } from "@aws-amplify/backend";',
        'import type { CfnUserPoolDomain } from "aws-cdk-lib/aws-cognito";',
        'import { OAuthScope } from "aws-cdk-lib/aws-cognito";',
        'import { auth } from "./auth/resource";',
        "",
        "const backend = defineBackend({ auth });",
        "",
        "// What defineAuth has no property for, set on the resources it creates.",
        "const { cfnUserPoolClient } = backend.auth.resources.cfnResources;",
        'cfnUserPoolClient.allowedOAuthFlows = ["implicit"];',
        "const { userPool } = backend.auth.resources;",
        'const domain = userPool.node.findChild("UserPoolDomain");',
        '(domain.node.defaultChild as CfnUserPoolDomain).domain = "d";',
        *NATIVE_OAUTH,
        "    flows: { implicitCodeGrant: true },",
        "    scopes: [OAuthScope.EMAIL, OAuthScope.COGNITO_ADMIN],",
        '    callbackUrls: ["myapp://"],',
        "    logoutUrls: [],",
        "  },",
        "});",
        "",
    ]
)

USERNAME_SMS_RESOURCE = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
        "// by amplify-auth-widgets.",
        *DEFINE_AUTH,
        "    phone: {",
        "      verificationMessage: (createCode) => `Code ${createCode()}`,",
        "    },",
        "  },",
        "  userAttributes: {",
        "    email: { required: true },",
        "    timezone: { required: true },",
        "    phoneNumber: { required: false },",
        "  },",
        '  accountRecovery: "PHONE_ONLY_WITHOUT_MFA",',
        "});",
        "",
    ]
)

USERNAME_SMS_BACKEND = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
        "// by amplify-auth-widgets.",
        *DEFINE_BACKEND,
        *POOL_OVERRIDES,
        'cfnUserPool.userPoolName = "up";',
        "cfnUserPool.usernameAttributes = [];",
        'cfnUserPool.emailVerificationSubject = "S";',
        "cfnUserPool.addPropertyOverride(",
        '  "VerificationMessageTemplate.EmailSubject",',
        '  "S",',
        ");",
        'cfnUserPool.emailVerificationMessage = "B {####}";',
        "cfnUserPool.addPropertyOverride(",
        '  "VerificationMessageTemplate.EmailMessage",',
        '  "B {####}",',
        ");",
        'cfnUserPool.mfaConfiguration = "ON";',
        'cfnUserPool.enabledMfas = ["SOFTWARE_TOKEN_MFA"];',
        'cfnUserPool.smsAuthenticationMessage = "M {####}";',
        "cfnUserPool.policies = {",
        "  passwordPolicy: {",
        "    minimumLength: 8,",
        "    requireLowercase: true,",
        "    requireNumbers: false,",
        "    requireSymbols: true,",
        "    requireUppercase: false,",
        "  },",
        "};",
        "cfnIdentityPool.allowUnauthenticatedIdentities = false;",
        *NATIVE,
        "",
    ]
)

PHONE_RESOURCE = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
        "// by amplify-auth-widgets.",
        *DEFINE_AUTH,
        "    email: true,",
        "    phone: {",
        "      verificationMessage: (createCode) => `Code ${createCode()}`,",
        "    },",
        "  },",
        "  userAttributes: {",
        "    email: { required: false },",
        "    phoneNumber: { required: false },",
        "  },",
        "  multifactor: {",
        '    mode: "OPTIONAL",',
        "    sms: {",
        "      smsMessage: (createCode) => `M ${createCode()}`,",
        "    },",
        "  },",
        '  accountRecovery: "EMAIL_ONLY",',
        "});",
        "",
    ]
)

APPLE_NONE_RESOURCE = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
        "// by amplify-auth-widgets.",
        "// Set each secret with `npx ampx sandbox secret set NAME` first:",
        "// SIWA_CLIENT_ID, SIWA_KEY_ID, SIWA_PRIVATE_KEY, SIWA_TEAM_ID,",
        "// GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET.",
        'import { defineAuth, secret } from "@aws-amplify/backend";',
        "",
        "export const auth = defineAuth({",
        "  loginWith: {",
        "    email: true,",
        "    externalProviders: {",
        "      signInWithApple: {",
        '        clientId: secret("SIWA_CLIENT_ID"),',
        '        keyId: secret("SIWA_KEY_ID"),',
        '        privateKey: secret("SIWA_PRIVATE_KEY"),',
        '        teamId: secret("SIWA_TEAM_ID"),',
        "      },",
        "      google: {",
        '        clientId: secret("GOOGLE_CLIENT_ID"),',
        '        clientSecret: secret("GOOGLE_CLIENT_SECRET"),',
        '        scopes: ["openid", "profile"],',
        "        attributeMapping: {",
        "          custom: {",
        '            username: "sub",',
        "          },",
        "        },",
        "      },",
        '      scopes: ["FOO", "OPENID", "PHONE"],',
        "      callbackUrls: [],",
        "      logoutUrls: [],",
        "    },",
        "  },",
        "  userAttributes: {",
        "    email: { required: false },",
        "  },",
        "});",
        "",
    ]
)

APPLE_NONE_BACKEND = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
        "// by amplify-auth-widgets.",
        "// Set each secret with `npx ampx sandbox secret set NAME` first:",
        "// SIWA_CLIENT_ID, SIWA_KEY_ID, SIWA_PRIVATE_KEY, SIWA_TEAM_ID,",
        "// GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET.",
        'import { defineBackend } from "@aws-amplify/backend";',
        'import { OAuthScope } from "aws-cdk-lib/aws-cognito";',
        'import { auth } from "./auth/resource";',
        "",
        "const backend = defineBackend({ auth });",
        *NATIVE_OAUTH,
        "    flows: { authorizationCodeGrant: true },",
        "    scopes: [OAuthScope.OPENID, OAuthScope.PHONE],",
        "    callbackUrls: [],",
        "    logoutUrls: [],",
        "  },",
        "});",
        "",
    ]
)


def rows(request):
    keys = ("member", "value", "status", "file", "target", "note")
    return [tuple(row[k] for k in keys) for row in gen2.export(request).rows]


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (USERNAME_SMS, USERNAME_SMS_ROWS),
        (PHONE, PHONE_ROWS),
        (PHONE_TOTP, PHONE_TOTP_ROWS),
        (SOCIAL, SOCIAL_ROWS),
        (APPLE_NONE, APPLE_NONE_ROWS),
        (GOOGLE_DEFAULT, GOOGLE_DEFAULT_ROWS),
    ],
    ids=["username-sms", "email-and-phone", "phone-totp", "social", "apple-none", "default"],
)
def test_every_member_goes_where_it_should_and_says_why(request_, expected):
    assert rows(request_) == expected


def test_username_sign_in_with_messages_and_mfa_on_the_pool_writes_this_code():
    files = gen2.export(USERNAME_SMS).files
    assert files[R] == USERNAME_SMS_RESOURCE
    assert files[B] == USERNAME_SMS_BACKEND


def test_email_and_phone_sign_in_with_sms_mfa_writes_this_code():
    assert gen2.export(PHONE).files[R] == PHONE_RESOURCE


def test_social_providers_write_this_code():
    files = gen2.export(SOCIAL).files
    assert files[R] == SOCIAL_RESOURCE
    assert files[B] == SOCIAL_BACKEND


def test_a_provider_gen1_asked_nothing_of_and_unknown_scopes_write_this_code():
    files = gen2.export(APPLE_NONE).files
    assert files[R] == APPLE_NONE_RESOURCE
    assert files[B] == APPLE_NONE_BACKEND


def test_provider_details_follow_gen1s_walkthrough():
    google = provider_details("Google", ["EMAIL", "GIVEN_NAME", 7, "BOGUS"])
    assert google == ProviderDetails(
        "Google",
        {"email": "email", "given_name": "given_name", "username": "sub"},
        ("openid", "email", "profile"),
    )
    assert google.authorize_scopes == "openid email profile"
    assert google.gen2_mapping() == {
        "email": "email",
        "givenName": "given_name",
        "custom": {"username": "sub"},
    }
    assert google.describe() == "email=email, given_name=given_name, username=sub"
    facebook = provider_details("Facebook", None)
    assert (facebook.scopes, facebook.defaulted, facebook.authorize_scopes) == (
        ("email", "public_profile"),
        True,
        "email,public_profile",
    )
    # an attribute asked twice is mapped once and named once among those not given
    apple = provider_details("SignInWithApple", ["PHONE_NUMBER", "PHONE_NUMBER", "ZONE_INFO"])
    assert apple == ProviderDetails("SignInWithApple", {}, (), False, ("phone_number", "zoneinfo"))
    assert apple.gen2_mapping() == {} and apple.describe() == ""
    # Google asks openid first even when nothing else is found for it
    assert provider_details("Google", ["LOCALE"]).scopes == ("openid", "profile")


def test_a_secret_says_its_command():
    secret = Secret("GOOGLE_CLIENT_ID", f"{UPC}.OAuth.SocialProviderSettings.Google.ClientId", True)
    assert secret.command == "npx ampx sandbox secret set GOOGLE_CLIENT_ID"


def built(pool):
    mapper = Mapper({"ResourceConfig": {"UserPoolConfigs": pool}})
    mapper.build()
    return mapper


def test_the_mapper_passes_over_what_is_not_in_the_models_shape():
    # export() refuses these (model.type); the Mapper on its own reads them as absent
    mapper = built(
        {
            "SignInMethod": "EMAIL",
            "OAuth": {"SocialProviderSettings": {"Google": "not a dict"}},
            "PasswordPolicy": "not a dict",
            "RequiredSignUpAttributes": "EMAIL",
        }
    )
    assert mapper.props["loginWith"]["externalProviders"] == {
        "callbackUrls": [],
        "logoutUrls": [],
    }
    assert mapper.secrets == [] and "policies" not in [o[1] for o in mapper.overrides]
    assert list(mapper.props["userAttributes"]) == ["email"]  # loosened, nothing required
    for oauth in ("not a dict", {}):
        mapper = built({"SignInMethod": "EMAIL", "OAuth": oauth})
        assert "externalProviders" not in mapper.props["loginWith"]
        assert "  disableOAuth: true," in mapper.statements
    mapper = built({"SignInMethod": "EMAIL", "PasswordPolicy": {}})
    assert mapper.overrides == [] and mapper.derived[-1]["member"].startswith("AppClientID")


def test_provider_scopes_follow_required_attributes_only_when_they_are_a_list():
    mapper = built(
        {
            "SignInMethod": "EMAIL",
            "RequiredSignUpAttributes": "NAME",  # not a list: Gen 1's default, email
            "OAuth": {"SocialProviderSettings": {"Facebook": {"ClientId": "f"}}},
        }
    )
    facebook = mapper.props["loginWith"]["externalProviders"]["facebook"]
    assert facebook["scopes"] == ["email", "public_profile"]


def test_an_mfa_mode_the_model_lacks_is_left_to_the_table():
    mapper = built({"SignInMethod": "EMAIL", "Mfa": {"MFAMode": "SOMETIMES"}})
    assert "multifactor" not in mapper.props
    assert f"{UPC}.Mfa.MFAMode" not in mapper.placed


# -- the names, the identity pool, username sign-in by email, and no sign-in method --------

APP = {
    "AppId": "app1",
    "BackendEnvironmentName": "dev",
    "ResourceName": "res",
    "ResourceConfig": {
        "Service": "COGNITO",
        "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
        "IdentityPoolConfigs": {"IdentityPoolName": "idp", "UnauthenticatedLogin": True},
        "UserPoolConfigs": {
            "SignInMethod": "USERNAME",
            "VerificationMessage": {"DeliveryMethod": "EMAIL"},
        },
    },
}

APP_ROWS = [
    source("AppId", "app1"),
    source("BackendEnvironmentName", "dev"),
    source("ResourceName", "res"),
    mapped("ResourceConfig.Service", "COGNITO", R, "defineAuth", "Gen 2 auth is Amazon Cognito"),
    mapped(
        "ResourceConfig.AuthResources",
        "IDENTITY_POOL_AND_USER_POOL",
        R,
        "defineAuth",
        "identity and user pool",
    ),
    mapped(
        "ResourceConfig.IdentityPoolConfigs.IdentityPoolName",
        "idp",
        B,
        "cfnIdentityPool.identityPoolName",
        (
            "Gen 1 deployed it with __dev appended; the export leaves that off: "
            "Gen 2 deploys a pool per branch and sandbox, and one environment's "
            "name would mislabel the others (names need not be unique)"
        ),
    ),
    mapped(
        "ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin",
        "true",
        B,
        "cfnIdentityPool.allowUnauthenticatedIdentities",
        "Gen 2 allows guests by default, so it is always set",
    ),
    mapped(
        f"{UPC}.SignInMethod",
        "USERNAME",
        B,
        "cfnUserPool.usernameAttributes",
        (
            "users sign in with a username: Gen 2 signs in with email or phone, so "
            "email is set up and this override makes the username the sign-in"
        ),
    ),
    mapped(
        f"{UPC}.VerificationMessage.DeliveryMethod",
        "EMAIL",
        R,
        "loginWith.email",
        "verified automatically",
    ),
    NATIVE_CLIENT,
]

APP_RESOURCE = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app app1, environment dev, Gen 1 auth",
        "// resource res, by amplify-auth-widgets.",
        *DEFINE_AUTH,
        "    email: true,",
        "  },",
        "});",
        "",
    ]
)

NO_SIGN_IN = {
    "ResourceConfig": {
        "UserPoolConfigs": {"UserPoolName": "p", "RequiredSignUpAttributes": ["PHONE_NUMBER"]}
    }
}

NO_SIGN_IN_ROWS = [
    mapped(f"{UPC}.UserPoolName", "p", B, "cfnUserPool.userPoolName", POOL_NAME_NOTE),
    mapped(
        f"{UPC}.RequiredSignUpAttributes",
        "PHONE_NUMBER",
        R,
        "userAttributes.phoneNumber, email",
        EMAIL_REQUIRED,
    ),
    NATIVE_CLIENT,
]

NO_SIGN_IN_RESOURCE = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
        "// by amplify-auth-widgets.",
        "// SignInMethod is not configured; Gen 2 needs one, so email sign-in is",
        "// assumed.",
        *DEFINE_AUTH,
        "    email: true,",
        "  },",
        "  userAttributes: {",
        "    phoneNumber: { required: true },",
        "    email: { required: false },",
        "  },",
        "});",
        "",
    ]
)

APP_BACKEND = "\n".join(
    [
        "// Amplify Gen 2 auth exported from app app1, environment dev, Gen 1 auth",
        "// resource res, by amplify-auth-widgets.",
        *DEFINE_BACKEND,
        *POOL_OVERRIDES,
        "cfnUserPool.usernameAttributes = [];",
        'cfnIdentityPool.identityPoolName = "idp";',
        "cfnIdentityPool.allowUnauthenticatedIdentities = true;",
        *NATIVE,
        "",
    ]
)


@pytest.mark.parametrize(
    ("request_", "rows_", "resource"),
    [(APP, APP_ROWS, APP_RESOURCE), (NO_SIGN_IN, NO_SIGN_IN_ROWS, NO_SIGN_IN_RESOURCE)],
    ids=["names-and-identity-pool", "no-sign-in-method"],
)
def test_names_the_identity_pool_and_the_sign_in_method_go_where_they_should(
    request_, rows_, resource
):
    export = gen2.export(request_)
    assert rows(request_) == rows_
    assert export.files[R] == resource


def test_the_identity_pools_name_and_guests_are_set_on_it():
    assert gen2.export(APP).files[B] == APP_BACKEND
    assert gen2.export(NO_SIGN_IN).notes == [
        "SignInMethod is not configured; Gen 2 needs one, so email sign-in is assumed."
    ]


# -- email sign-in verified by SMS: the verification set by overrides -----------------------

EMAIL_BY_SMS = {
    "ResourceConfig": {
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL",
            "RequiredSignUpAttributes": ["EMAIL"],
            "VerificationMessage": {
                "DeliveryMethod": "SMS",
                "SmsSettings": {"SmsMessage": "Code {####}"},
            },
        }
    }
}

EMAIL_BY_SMS_ROWS = [
    EMAIL_SIGN_IN,
    mapped(f"{UPC}.RequiredSignUpAttributes", "EMAIL", R, "userAttributes.email"),
    mapped(
        f"{UPC}.VerificationMessage.DeliveryMethod",
        "SMS",
        B,
        "cfnUserPool.autoVerifiedAttributes",
        "phone is not a sign-in attribute, so it is verified by an override",
    ),
    mapped(
        f"{UPC}.VerificationMessage.SmsSettings.SmsMessage",
        "Code {####}",
        B,
        "cfnUserPool.smsVerificationMessage",
    ),
    NATIVE_CLIENT,
]


def test_email_sign_in_verified_by_sms_is_set_by_overrides_and_says_so():
    assert rows(EMAIL_BY_SMS) == EMAIL_BY_SMS_ROWS


def test_email_sign_in_verified_by_sms_keeps_email_verified_and_sets_the_sms_template():
    # both attributes verified (email still signs in); the message in both of Cognito's places
    assert gen2.export(EMAIL_BY_SMS).files[B] == "\n".join(
        [
            "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
            "// by amplify-auth-widgets.",
            *DEFINE_BACKEND,
            *POOL_OVERRIDES[:2],
            "const { cfnUserPool } = backend.auth.resources.cfnResources;",
            'cfnUserPool.autoVerifiedAttributes = ["email", "phone_number"];',
            'cfnUserPool.smsVerificationMessage = "Code {####}";',
            "cfnUserPool.addPropertyOverride(",
            '  "VerificationMessageTemplate.SmsMessage",',
            '  "Code {####}",',
            ");",
            *NATIVE,
            "",
        ]
    )


def test_the_full_configurations_email_message_and_providers_go_into_define_auth():
    from conftest import valid_request

    export = gen2.export(valid_request())
    resource = export.files[R]
    assert resource[resource.index("export const") :] == "\n".join(
        [
            "export const auth = defineAuth({",
            "  loginWith: {",
            "    email: {",
            '      verificationEmailStyle: "CODE",',
            '      verificationEmailSubject: "Your code",',
            "      verificationEmailBody: (createCode) =>",
            "        `Your verification code is ${createCode()}`,",
            "    },",
            "    externalProviders: {",
            "      google: {",
            '        clientId: secret("GOOGLE_CLIENT_ID"),',
            '        clientSecret: secret("GOOGLE_CLIENT_SECRET"),',
            '        scopes: ["openid", "email", "profile"],',
            "        attributeMapping: {",
            '          email: "email",',
            '          fullname: "name",',
            "          custom: {",
            '            username: "sub",',
            "          },",
            "        },",
            "      },",
            '      scopes: ["OPENID", "EMAIL", "PROFILE"],',
            '      callbackUrls: ["https://app.example.com/", "http://localhost:3000/"],',
            '      logoutUrls: ["https://app.example.com/signout/"],',
            "    },",
            "  },",
            "  userAttributes: {",
            "    email: { required: true },",
            "    fullname: { required: true },",
            "  },",
            '  multifactor: { mode: "OPTIONAL", totp: true },',
            "});",
            "",
        ]
    )
    targets = {r["member"]: r["target"] for r in export.rows}
    email = f"{UPC}.VerificationMessage.EmailSettings"
    assert targets[f"{email}.EmailSubject"] == "loginWith.email.verificationEmailSubject"
    assert targets[f"{email}.EmailMessage"] == "loginWith.email.verificationEmailBody"


# -- MFA off, TOTP with an SMS message, SMS MFA without one --------------------------------

MFA_OFF = {
    "ResourceConfig": {
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL",
            "Mfa": {
                "MFAMode": "OFF",
                "Settings": {"MfaTypes": ["SMS", "TOTP"], "SmsMessage": "M {####}"},
            },
        }
    }
}
MFA_OFF_NOTE = "MFA is OFF, so Cognito uses no MFA types"
MFA_OFF_ROWS = [
    EMAIL_SIGN_IN,
    mapped(f"{UPC}.Mfa.MFAMode", "OFF", R, "multifactor.mode"),
    unsupported(f"{UPC}.Mfa.Settings.MfaTypes", "SMS, TOTP", MFA_OFF_NOTE),
    unsupported(f"{UPC}.Mfa.Settings.SmsMessage", "M {####}", MFA_OFF_NOTE),
    NATIVE_CLIENT,
]

#: TOTP only, with email sign-in: Gen 2's multifactor has no SMS message without SMS MFA, so
#: the message Cognito keeps is set on the pool.
TOTP_WITH_SMS_MESSAGE = {
    "ResourceConfig": {
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL",
            "Mfa": {"MFAMode": "ON", "Settings": {"MfaTypes": ["TOTP"], "SmsMessage": "M {####}"}},
        }
    }
}
TOTP_WITH_SMS_MESSAGE_ROWS = [
    EMAIL_SIGN_IN,
    mapped(f"{UPC}.Mfa.MFAMode", "ON", R, "multifactor.mode", "ON is REQUIRED in Gen 2"),
    mapped(f"{UPC}.Mfa.Settings.MfaTypes", "TOTP", R, "multifactor.totp"),
    mapped(f"{UPC}.Mfa.Settings.SmsMessage", "M {####}", B, "cfnUserPool.smsAuthenticationMessage"),
    NATIVE_CLIENT,
]

#: SMS MFA without a message of its own: Cognito's default message, ``sms: true``.
SMS_WITHOUT_MESSAGE = {
    "ResourceConfig": {
        "UserPoolConfigs": {
            "SignInMethod": "PHONE_NUMBER",
            "Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["SMS", "TOTP"]}},
        }
    }
}
SMS_WITHOUT_MESSAGE_ROWS = [
    mapped(f"{UPC}.SignInMethod", "PHONE_NUMBER", R, "loginWith.phone"),
    mapped(f"{UPC}.Mfa.MFAMode", "OPTIONAL", R, "multifactor.mode"),
    mapped(f"{UPC}.Mfa.Settings.MfaTypes", "SMS, TOTP", R, "multifactor.sms, multifactor.totp"),
    NATIVE_CLIENT,
]


def define_auth(sign_in: str, multifactor: str) -> str:
    """resource.ts of a configuration that names nothing but its sign-in and MFA."""
    return "\n".join(
        [
            "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
            "// by amplify-auth-widgets.",
            *DEFINE_AUTH,
            f"    {sign_in}: true,",
            "  },",
            f"  multifactor: {multifactor},",
            "});",
            "",
        ]
    )


@pytest.mark.parametrize(
    ("request_", "rows_", "resource"),
    [
        (MFA_OFF, MFA_OFF_ROWS, define_auth("email", '{ mode: "OFF" }')),
        (
            TOTP_WITH_SMS_MESSAGE,
            TOTP_WITH_SMS_MESSAGE_ROWS,
            define_auth("email", '{ mode: "REQUIRED", totp: true }'),
        ),
        (
            SMS_WITHOUT_MESSAGE,
            SMS_WITHOUT_MESSAGE_ROWS,
            define_auth("phone", '{ mode: "OPTIONAL", totp: true, sms: true }'),
        ),
    ],
    ids=["mfa-off", "totp-with-an-sms-message", "sms-without-a-message"],
)
def test_mfa_off_totp_with_an_sms_message_and_sms_without_one_go_where_they_should(
    request_, rows_, resource
):
    assert rows(request_) == rows_
    assert gen2.export(request_).files[R] == resource


def test_the_sms_message_of_totp_only_mfa_is_set_on_the_pool():
    assert gen2.export(TOTP_WITH_SMS_MESSAGE).files[B] == "\n".join(
        [
            "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
            "// by amplify-auth-widgets.",
            *DEFINE_BACKEND,
            *POOL_OVERRIDES[:2],
            "const { cfnUserPool } = backend.auth.resources.cfnResources;",
            'cfnUserPool.smsAuthenticationMessage = "M {####}";',
            *NATIVE,
            "",
        ]
    )


# -- a password length, sign-out URIs, a provider after one the export passes over ----------

SIGN_OUT = {
    "ResourceConfig": {
        "UserPoolConfigs": {
            "SignInMethod": "EMAIL",
            "PasswordPolicy": {"MinimumLength": 12},
            "OAuth": {
                "OAuthScopes": ["PROFILE"],
                "RedirectSignOutURIs": ["myapp://out/"],
                "SocialProviderSettings": {
                    "Nope": {"ClientId": "x"},
                    "LoginWithAmazon": {"ClientId": "l"},
                },
            },
        }
    }
}
AMAZON = f"{PROVIDERS}.LoginWithAmazon"
AMAZON_TARGET = "loginWith.externalProviders.loginWithAmazon"
SIGN_OUT_ROWS = [
    EMAIL_SIGN_IN,
    mapped(
        f"{UPC}.PasswordPolicy.MinimumLength",
        "12",
        B,
        "cfnUserPool.policies.passwordPolicy.minimumLength",
    ),
    mapped(
        f"{UPC}.OAuth.OAuthScopes",
        "PROFILE",
        R,
        "loginWith.externalProviders.scopes",
        "Cognito grants phone, email and profile only with openid; the CDK adds it",
    ),
    mapped(
        f"{UPC}.OAuth.RedirectSignOutURIs",
        "myapp://out/",
        R,
        "loginWith.externalProviders.logoutUrls",
    ),
    UNKNOWN_PROVIDER,
    secret(
        f"{AMAZON}.ClientId",
        "l",
        f"{AMAZON_TARGET}.clientId",
        'secret("LOGINWITHAMAZON_CLIENT_ID")',
    ),
    derived(
        f"{AMAZON} (scopes)",
        "profile profile:user_id",
        R,
        f"{AMAZON_TARGET}.scopes",
        (
            "the provider scopes Gen 1 requested, derived from Gen 1's default required "
            "attribute (email; none is configured) and username; without them the CDK asks "
            "for profile only"
        ),
    ),
    derived(
        f"{AMAZON} (attribute mapping)",
        "email=email, username=user_id",
        R,
        f"{AMAZON_TARGET}.attributeMapping",
        (
            "Gen 1's mapping, derived from Gen 1's default required attribute (email; none is "
            "configured) and username"
        ),
    ),
    NATIVE_WEB_CLIENT,
]
SIGN_OUT_HEADER = [
    "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
    "// by amplify-auth-widgets.",
    "// Set each secret with `npx ampx sandbox secret set NAME` first:",
    "// LOGINWITHAMAZON_CLIENT_ID, LOGINWITHAMAZON_CLIENT_SECRET.",
]


def test_a_password_length_and_sign_out_uris_go_where_they_should():
    assert rows(SIGN_OUT) == SIGN_OUT_ROWS


def test_a_provider_after_one_the_export_passes_over_is_written_with_its_secrets():
    export = gen2.export(SIGN_OUT)
    assert export.files[R] == "\n".join(
        [
            *SIGN_OUT_HEADER,
            'import { defineAuth, secret } from "@aws-amplify/backend";',
            *DEFINE_AUTH[1:],
            "    email: true,",
            "    externalProviders: {",
            "      loginWithAmazon: {",
            '        clientId: secret("LOGINWITHAMAZON_CLIENT_ID"),',
            '        clientSecret: secret("LOGINWITHAMAZON_CLIENT_SECRET"),',
            '        scopes: ["profile", "profile:user_id"],',
            "        attributeMapping: {",
            '          email: "email",',
            "          custom: {",
            '            username: "user_id",',
            "          },",
            "        },",
            "      },",
            '      scopes: ["PROFILE"],',
            "      callbackUrls: [],",
            '      logoutUrls: ["myapp://out/"],',
            "    },",
            "  },",
            "});",
            "",
        ]
    )
    # both secrets are read; the one Gen 1's configuration left unset says so
    assert export.secrets == [
        Secret("LOGINWITHAMAZON_CLIENT_ID", f"{AMAZON}.ClientId", True),
        Secret("LOGINWITHAMAZON_CLIENT_SECRET", f"{AMAZON}.ClientSecret", False),
    ]


def test_the_password_length_and_sign_out_uris_are_the_native_clients_too():
    assert gen2.export(SIGN_OUT).files[B] == "\n".join(
        [
            *SIGN_OUT_HEADER,
            'import { defineBackend } from "@aws-amplify/backend";',
            'import { OAuthScope } from "aws-cdk-lib/aws-cognito";',
            *DEFINE_BACKEND[1:],
            *POOL_OVERRIDES[:2],
            "const { cfnUserPool } = backend.auth.resources.cfnResources;",
            "cfnUserPool.policies = {",
            "  passwordPolicy: {",
            "    minimumLength: 12,",
            "    requireLowercase: false,",
            "    requireNumbers: false,",
            "    requireSymbols: false,",
            "    requireUppercase: false,",
            "  },",
            "};",
            *NATIVE_OAUTH,
            "    flows: { authorizationCodeGrant: true },",
            "    scopes: [OAuthScope.PROFILE],",
            "    callbackUrls: [],",
            '    logoutUrls: ["myapp://out/"],',
            "  },",
            "});",
            "",
        ]
    )


@pytest.mark.parametrize(
    ("scopes", "note"),
    [
        (["PHONE"], True),
        (["EMAIL"], True),
        (["PROFILE"], True),
        (["AWS_COGNITO_SIGNIN_USER_ADMIN"], False),
        (["OPENID", "PHONE"], False),
    ],
)
def test_the_scopes_say_when_cognito_needs_openid_for_them(scopes, note):
    mapper = built({"SignInMethod": "EMAIL", "OAuth": {"OAuthScopes": scopes}})
    expected = "Cognito grants phone, email and profile only with openid; the CDK adds it"
    assert mapper.placed[f"{UPC}.OAuth.OAuthScopes"].note == (expected if note else "")


def test_a_grant_type_the_model_lacks_leaves_the_native_client_the_code_grant():
    # export() writes such a value as "not mapped"; the native client keeps Gen 1's default
    mapper = built({"SignInMethod": "EMAIL", "OAuth": {"OAuthGrantType": "TOKEN"}})
    assert "    flows: { authorizationCodeGrant: true }," in mapper.statements
    assert f"{UPC}.OAuth.OAuthGrantType" not in mapper.placed

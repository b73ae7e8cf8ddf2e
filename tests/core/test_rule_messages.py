"""The rules' messages, word for word: for each branch of each rule of docs/rules.md, a valid
request with one planted mistake gives exactly one finding (or the few named), on the member
the rule speaks of, saying what is wrong and how to fix it. They are what a user reads beside a
field, in the CLI and in the emulator's 400 answers, so a change in their wording is a change to
review, not a detail. Bounds are pinned from both sides: just outside is a finding, just inside
is none."""

from __future__ import annotations

import datetime
import json
from typing import Any

import botocore.session
import pytest
from botocore.serialize import create_serializer
from conftest import GONE, planted, valid_request

from amplify_auth_widgets import validate
from amplify_auth_widgets.core.model import REDACTED
from amplify_auth_widgets.core.rules import MAX_REQUEST_BYTES

UPC = "ResourceConfig.UserPoolConfigs"
OAUTH = f"{UPC}.OAuth"
SOCIAL = f"{OAUTH}.SocialProviderSettings"
IDP = "ResourceConfig.IdentityPoolConfigs"
OUT = f"{OAUTH}.RedirectSignOutURIs"
NAME_FIX = "use 1 to 128 letters, digits, spaces or + = , . @ - _."
APP_ID_FIX = (
    "is not an Amplify app id: it is 'd' followed by lowercase letters and digits, "
    "20 characters at most (as in the Amplify console's App ARN)."
)
NOT_ABSOLUTE = "is not an absolute URI; start it with https:// (or your app's scheme, myapp://)."
HTTP = "uses http for a host other than localhost; use https."
APPLE = {"ClientId": "com.example", "KeyId": "K1", "PrivateKey": "MIGTAgEA", "TeamId": "T1"}


def error(path: str, code: str, message: str) -> tuple[str, str, str, str]:
    return ("error", code, path, message)


def warning(path: str, code: str, message: str) -> tuple[str, str, str, str]:
    return ("warning", code, path, message)


# name -> (planted edits, the findings validate gives, in its order)
BRANCHES: dict[str, tuple[dict[str, Any], list[tuple[str, str, str, str]]]] = {
    "app-id-uppercase": (
        {"AppId": "D1"},
        [error("AppId", "amplify.app-id", f"AppId 'D1' {APP_ID_FIX}")],
    ),
    "app-id-21-characters": (
        {"AppId": "d" + "a" * 20},
        [error("AppId", "amplify.app-id", f"AppId {'d' + 'a' * 20!r} {APP_ID_FIX}")],
    ),
    "env-name-empty": (
        {"BackendEnvironmentName": ""},
        [
            error(
                "BackendEnvironmentName",
                "cognito.env-name",
                "BackendEnvironmentName is empty; give 1 to 255 characters.",
            )
        ],
    ),
    "env-name-256-characters": (
        {"BackendEnvironmentName": "e" * 256},
        [
            error(
                "BackendEnvironmentName",
                "cognito.env-name",
                "BackendEnvironmentName is 256 characters; give 1 to 255 characters.",
            )
        ],
    ),
    "user-pool-name-empty": (
        {f"{UPC}.UserPoolName": ""},
        [
            error(
                f"{UPC}.UserPoolName",
                "cognito.user-pool-name",
                f"UserPoolName is empty; {NAME_FIX}",
            )
        ],
    ),
    "user-pool-name-129-characters": (
        {f"{UPC}.UserPoolName": "a" * 129},
        [
            error(
                f"{UPC}.UserPoolName",
                "cognito.user-pool-name",
                f"UserPoolName is 129 characters; {NAME_FIX}",
            )
        ],
    ),
    "user-pool-name-characters-each-once-sorted": (
        {f"{UPC}.UserPoolName": "main#users/v2#"},
        [
            error(
                f"{UPC}.UserPoolName",
                "cognito.user-pool-name",
                f"UserPoolName contains '#' '/'; {NAME_FIX}",
            )
        ],
    ),
    "user-pool-name-letters-beyond-ascii": (
        {f"{UPC}.UserPoolName": "café users\u00a02"},  # Cognito's \w and \s are ASCII
        [
            error(
                f"{UPC}.UserPoolName",
                "cognito.user-pool-name",
                f"UserPoolName contains '\\xa0' 'é'; {NAME_FIX}",
            )
        ],
    ),
    "identity-pool-name-empty": (
        {f"{IDP}.IdentityPoolName": ""},
        [
            error(
                f"{IDP}.IdentityPoolName",
                "cognito.identity-pool-name",
                f"IdentityPoolName is empty; {NAME_FIX}",
            )
        ],
    ),
    "identity-pool-name-characters": (
        {f"{IDP}.IdentityPoolName": "naïve!"},  # a-z, A-Z, as Cognito's docs say
        [
            error(
                f"{IDP}.IdentityPoolName",
                "cognito.identity-pool-name",
                f"IdentityPoolName contains '!' 'ï'; {NAME_FIX}",
            )
        ],
    ),
    "identity-pool-missing": (
        {IDP: GONE},
        [
            error(
                IDP,
                "cognito.identity-pool-missing",
                "AuthResources IDENTITY_POOL_AND_USER_POOL needs IdentityPoolConfigs: add an "
                "identity pool name, or choose USER_POOL_ONLY.",
            )
        ],
    ),
    "identity-pool-ignored": (
        {"ResourceConfig.AuthResources": "USER_POOL_ONLY"},
        [
            warning(
                IDP,
                "cognito.identity-pool-ignored",
                "AuthResources is USER_POOL_ONLY, so IdentityPoolConfigs is ignored; remove it, "
                "or choose IDENTITY_POOL_AND_USER_POOL.",
            )
        ],
    ),
    **{
        f"password-length-{shown}": (
            {f"{UPC}.PasswordPolicy.MinimumLength": value},
            [
                error(
                    f"{UPC}.PasswordPolicy.MinimumLength",
                    "cognito.password-length",
                    f"MinimumLength {shown} is not allowed; Cognito takes a whole number "
                    "from 6 to 99.",
                )
            ],
        )
        for value, shown in ((5, "5"), (100, "100"), (8.5, "8.5"), (5.0, "5"), (99.5, "99.5"))
    },
    **{
        # Not a number a rule can judge: the model check alone speaks, once.
        f"password-length-{name}": (
            {f"{UPC}.PasswordPolicy.MinimumLength": value},
            [
                error(
                    f"{UPC}.PasswordPolicy.MinimumLength",
                    "model.type",
                    "MinimumLength must be a finite number.",
                )
            ],
        )
        for name, value in (("nan", float("nan")), ("inf", float("inf")), ("-inf", -float("inf")))
    },
    "mfa-on-without-settings": (
        {f"{UPC}.Mfa": {"MFAMode": "ON"}},
        [
            error(
                f"{UPC}.Mfa.Settings.MfaTypes",
                "cognito.mfa-types",
                "MFAMode ON needs at least one MFA type: choose SMS, TOTP or both, "
                "or set MFAMode to OFF.",
            )
        ],
    ),
    "mfa-optional-no-types": (
        {f"{UPC}.Mfa.Settings.MfaTypes": []},
        [
            error(
                f"{UPC}.Mfa.Settings.MfaTypes",
                "cognito.mfa-types",
                "MFAMode OPTIONAL needs at least one MFA type: choose SMS, TOTP or both, "
                "or set MFAMode to OFF.",
            )
        ],
    ),
    "mfa-sms-without-phone": (
        {f"{UPC}.Mfa.Settings.MfaTypes": ["TOTP", "SMS"]},
        [
            warning(
                f"{UPC}.RequiredSignUpAttributes",
                "cognito.mfa-sms-phone",
                "SMS MFA needs a verified phone number: add PHONE_NUMBER to "
                "RequiredSignUpAttributes, or users without one cannot sign in.",
            )
        ],
    ),
    "sign-in-email": (
        {f"{UPC}.RequiredSignUpAttributes": ["NAME"]},
        [
            warning(
                f"{UPC}.RequiredSignUpAttributes",
                "cognito.sign-in-attribute",
                "SignInMethod EMAIL signs users in with EMAIL, but RequiredSignUpAttributes "
                "lacks EMAIL; add it.",
            )
        ],
    ),
    "sign-in-phone": (
        {f"{UPC}.SignInMethod": "PHONE_NUMBER"},
        [
            warning(
                f"{UPC}.RequiredSignUpAttributes",
                "cognito.sign-in-attribute",
                "SignInMethod PHONE_NUMBER signs users in with PHONE_NUMBER, but "
                "RequiredSignUpAttributes lacks PHONE_NUMBER; add it.",
            )
        ],
    ),
    "sign-in-email-and-phone-lacks-both": (
        {f"{UPC}.SignInMethod": "EMAIL_AND_PHONE_NUMBER", f"{UPC}.RequiredSignUpAttributes": []},
        [
            warning(
                f"{UPC}.RequiredSignUpAttributes",
                "cognito.sign-in-attribute",
                "SignInMethod EMAIL_AND_PHONE_NUMBER signs users in with EMAIL and "
                "PHONE_NUMBER, but RequiredSignUpAttributes lacks EMAIL and PHONE_NUMBER; "
                "add it.",
            )
        ],
    ),
    "sign-in-email-and-phone-lacks-phone": (
        {f"{UPC}.SignInMethod": "EMAIL_AND_PHONE_NUMBER"},
        [
            warning(
                f"{UPC}.RequiredSignUpAttributes",
                "cognito.sign-in-attribute",
                "SignInMethod EMAIL_AND_PHONE_NUMBER signs users in with EMAIL and "
                "PHONE_NUMBER, but RequiredSignUpAttributes lacks PHONE_NUMBER; add it.",
            )
        ],
    ),
    "verification-by-sms-without-settings": (
        {f"{UPC}.VerificationMessage": {"DeliveryMethod": "SMS"}},
        [
            warning(
                f"{UPC}.VerificationMessage",
                "cognito.delivery-settings",
                "VerificationMessage is delivered by SMS without SmsSettings: Cognito's default "
                "message is used. Add SmsSettings to word it yourself.",
            )
        ],
    ),
    "forgot-password-by-email-without-settings": (
        {f"{UPC}.ForgotPassword": {"DeliveryMethod": "EMAIL"}},
        [
            warning(
                f"{UPC}.ForgotPassword",
                "amplify.deprecated",
                "ForgotPassword is deprecated in the AmplifyBackend API; the service may ignore "
                "it. Prefer VerificationMessage.",
            ),
            warning(
                f"{UPC}.ForgotPassword",
                "cognito.delivery-settings",
                "ForgotPassword is delivered by EMAIL without EmailSettings: Cognito's default "
                "message is used. Add EmailSettings to word it yourself.",
            ),
        ],
    ),
    "sms-message-5-characters": (
        {f"{UPC}.Mfa.Settings.SmsMessage": "{###}"},
        [
            error(
                f"{UPC}.Mfa.Settings.SmsMessage",
                "cognito.sms-message",
                "SmsMessage is 5 characters; write 6 to 140 characters with {####}.",
            )
        ],
    ),
    "sms-message-141-characters": (
        {f"{UPC}.Mfa.Settings.SmsMessage": "{####}" + "x" * 135},
        [
            error(
                f"{UPC}.Mfa.Settings.SmsMessage",
                "cognito.sms-message",
                "SmsMessage is 141 characters; write 6 to 140 characters with {####}.",
            )
        ],
    ),
    "sms-message-without-code": (
        {f"{UPC}.Mfa.Settings.SmsMessage": "Your code"},
        [
            error(
                f"{UPC}.Mfa.Settings.SmsMessage",
                "cognito.sms-message",
                "SmsMessage does not contain {####}, where Cognito puts the code; write 6 to 140 "
                "characters with {####}.",
            )
        ],
    ),
    "email-message-5-characters": (
        {f"{UPC}.VerificationMessage.EmailSettings.EmailMessage": "{###}"},
        [
            error(
                f"{UPC}.VerificationMessage.EmailSettings.EmailMessage",
                "cognito.email-message",
                "EmailMessage is 5 characters; write 6 to 20000 characters with {####}.",
            )
        ],
    ),
    "email-message-20001-characters": (
        {f"{UPC}.VerificationMessage.EmailSettings.EmailMessage": "{####}" + "x" * 19995},
        [
            error(
                f"{UPC}.VerificationMessage.EmailSettings.EmailMessage",
                "cognito.email-message",
                "EmailMessage is 20001 characters; write 6 to 20000 characters with {####}.",
            )
        ],
    ),
    "email-message-without-code": (
        {f"{UPC}.VerificationMessage.EmailSettings.EmailMessage": "no code here"},
        [
            error(
                f"{UPC}.VerificationMessage.EmailSettings.EmailMessage",
                "cognito.email-message",
                "EmailMessage does not contain {####}, where Cognito puts the code; write 6 to "
                "20000 characters with {####}.",
            )
        ],
    ),
    "email-subject-empty": (
        {f"{UPC}.VerificationMessage.EmailSettings.EmailSubject": ""},
        [
            error(
                f"{UPC}.VerificationMessage.EmailSettings.EmailSubject",
                "cognito.email-subject",
                "EmailSubject is empty; write 1 to 140 characters.",
            )
        ],
    ),
    "email-subject-141-characters": (
        {f"{UPC}.VerificationMessage.EmailSettings.EmailSubject": "s" * 141},
        [
            error(
                f"{UPC}.VerificationMessage.EmailSettings.EmailSubject",
                "cognito.email-subject",
                "EmailSubject is 141 characters; write 1 to 140 characters.",
            )
        ],
    ),
    "redirect-uri-empty": (
        {OUT: [""]},
        [error(f"{OUT}[0]", "cognito.redirect-uri", "RedirectSignOutURIs[0] '' is empty.")],
    ),
    "redirect-uri-1025-characters": (
        {OUT: ["https://e.com/" + "a" * 1011]},
        [
            error(
                f"{OUT}[0]",
                "cognito.redirect-uri",
                "RedirectSignOutURIs[0] 'https://e.com/aaa...aaaaaaaaaaaaaaaaaa' is 1025 "
                "characters; Cognito takes at most 1024.",
            )
        ],
    ),
    "redirect-uri-spaces": (
        {OUT: ["https://a b.com/", "https://e.com/\t"]},
        [
            error(
                f"{OUT}[0]",
                "cognito.redirect-uri",
                "RedirectSignOutURIs[0] 'https://a b.com/' contains spaces.",
            ),
            error(
                f"{OUT}[1]",
                "cognito.redirect-uri",
                "RedirectSignOutURIs[1] 'https://e.com/\\t' contains spaces.",
            ),
        ],
    ),
    "redirect-uri-not-absolute": (
        {OUT: ["/relative", "myapp:", "x"]},
        [
            error(
                f"{OUT}[0]",
                "cognito.redirect-uri",
                f"RedirectSignOutURIs[0] '/relative' {NOT_ABSOLUTE}",
            ),
            error(
                f"{OUT}[1]",
                "cognito.redirect-uri",
                f"RedirectSignOutURIs[1] 'myapp:' {NOT_ABSOLUTE}",
            ),
            error(
                f"{OUT}[2]", "cognito.redirect-uri", f"RedirectSignOutURIs[2] 'x' {NOT_ABSOLUTE}"
            ),
        ],
    ),
    "redirect-uri-fragment": (
        {OUT: ["https://e.com/#top", "myapp://cb#x"]},
        [
            error(
                f"{OUT}[0]",
                "cognito.redirect-uri",
                "RedirectSignOutURIs[0] 'https://e.com/#top' has a fragment (#...), which "
                "Cognito refuses; remove it.",
            ),
            error(
                f"{OUT}[1]",
                "cognito.redirect-uri",
                "RedirectSignOutURIs[1] 'myapp://cb#x' has a fragment (#...), which "
                "Cognito refuses; remove it.",
            ),
        ],
    ),
    "redirect-uri-no-host": (
        {OUT: ["https://", "https://[bad/", "http:///cb"]},
        [
            error(
                f"{OUT}[0]",
                "cognito.redirect-uri",
                "RedirectSignOutURIs[0] 'https://' has no host.",
            ),
            error(
                f"{OUT}[1]",
                "cognito.redirect-uri",
                "RedirectSignOutURIs[1] 'https://[bad/' has no host.",
            ),
            error(
                f"{OUT}[2]",
                "cognito.redirect-uri",
                "RedirectSignOutURIs[2] 'http:///cb' has no host.",
            ),
        ],
    ),
    "redirect-uri-http-public-host": (
        {OUT: ["http://example.com/", "HTTP://example.com/", "http://localhost.example.com/"]},
        [
            error(
                f"{OUT}[0]",
                "cognito.redirect-uri",
                f"RedirectSignOutURIs[0] 'http://example.com/' {HTTP}",
            ),
            error(
                f"{OUT}[1]",
                "cognito.redirect-uri",
                f"RedirectSignOutURIs[1] 'HTTP://example.com/' {HTTP}",
            ),
            error(
                f"{OUT}[2]",
                "cognito.redirect-uri",
                f"RedirectSignOutURIs[2] 'http://localhost.example.com/' {HTTP}",
            ),
        ],
    ),
    "redirect-uri-duplicate": (
        {f"{OAUTH}.RedirectSignInURIs": ["https://a.com/", "https://b.com/", "https://a.com/"]},
        [
            warning(
                f"{OAUTH}.RedirectSignInURIs[2]",
                "cognito.redirect-uri-duplicate",
                "'https://a.com/' is listed twice in RedirectSignInURIs; remove the repeat.",
            )
        ],
    ),
    "redirect-uri-101": (
        {f"{OAUTH}.RedirectSignInURIs": [f"https://e.com/{i}" for i in range(101)]},
        [
            error(
                f"{OAUTH}.RedirectSignInURIs",
                "cognito.redirect-uri-count",
                "RedirectSignInURIs has 101 URIs; Cognito takes at most 100.",
            )
        ],
    ),
    "domain-prefix-pattern": (
        {f"{OAUTH}.DomainPrefix": "My_App"},
        [
            error(
                f"{OAUTH}.DomainPrefix",
                "cognito.domain-prefix",
                "DomainPrefix 'My_App' must be 1 to 63 lowercase letters, digits and hyphens, "
                "starting and ending with a letter or digit.",
            )
        ],
    ),
    "domain-prefix-reserved-word-first-named": (
        {f"{OAUTH}.DomainPrefix": "shop-amazon-aws"},
        [
            error(
                f"{OAUTH}.DomainPrefix",
                "cognito.domain-prefix",
                "DomainPrefix 'shop-amazon-aws' contains the reserved word 'aws'; Cognito "
                "refuses domains containing aws, amazon or cognito.",
            )
        ],
    ),
    "domain-missing": (
        {f"{OAUTH}.DomainPrefix": GONE},
        [
            warning(
                OAUTH,
                "cognito.domain-missing",
                "OAuth is set without DomainPrefix: the hosted UI needs a domain; add one.",
            )
        ],
    ),
    "scope-without-openid": (
        {f"{OAUTH}.OAuthScopes": ["PHONE", "EMAIL", "AWS_COGNITO_SIGNIN_USER_ADMIN"]},
        [
            warning(
                f"{OAUTH}.OAuthScopes",
                "cognito.scope-openid",
                "The PHONE and EMAIL scopes work only with OPENID; add OPENID.",
            )
        ],
    ),
    "three-scopes-without-openid": (
        {f"{OAUTH}.OAuthScopes": ["PROFILE", "PHONE", "EMAIL"]},
        [
            warning(
                f"{OAUTH}.OAuthScopes",
                "cognito.scope-openid",
                "The PROFILE, PHONE and EMAIL scopes work only with OPENID; add OPENID.",
            )
        ],
    ),
    "profile-scope-without-openid": (
        {f"{OAUTH}.OAuthScopes": ["PROFILE"]},
        [
            warning(
                f"{OAUTH}.OAuthScopes",
                "cognito.scope-openid",
                "The PROFILE scope works only with OPENID; add OPENID.",
            )
        ],
    ),
    "implicit-grant": (
        {f"{OAUTH}.OAuthGrantType": "IMPLICIT"},
        [
            warning(
                f"{OAUTH}.OAuthGrantType",
                "cognito.implicit-grant",
                "The IMPLICIT grant returns tokens in the redirect URL; the CODE grant (with "
                "PKCE) is recommended.",
            )
        ],
    ),
    "social-provider-member-missing": (
        {f"{SOCIAL}.Google": {"ClientId": "123-abc"}},
        [
            error(
                f"{SOCIAL}.Google.ClientSecret",
                "cognito.social-provider",
                "Google ClientSecret is missing; Google sign-in needs ClientId, ClientSecret.",
            )
        ],
    ),
    "social-provider-member-empty": (
        {f"{SOCIAL}.SignInWithApple": {**APPLE, "KeyId": " "}},
        [
            error(
                f"{SOCIAL}.SignInWithApple.KeyId",
                "cognito.social-provider",
                "SignInWithApple KeyId is empty; SignInWithApple sign-in needs ClientId, KeyId, "
                "PrivateKey, TeamId.",
            )
        ],
    ),
    "social-provider-member-redacted": (
        {f"{SOCIAL}.Google.ClientSecret": REDACTED},
        [
            error(
                f"{SOCIAL}.Google.ClientSecret",
                "cognito.social-provider",
                "Google ClientSecret was redacted when it was exported; enter the real value.",
            )
        ],
    ),
    "apple-private-key-armor": (
        {
            f"{SOCIAL}.SignInWithApple": {
                **APPLE,
                "PrivateKey": "-----BEGIN PRIVATE KEY-----\nMIGTAgEA\n-----END PRIVATE KEY-----",
            }
        },
        [
            error(
                f"{SOCIAL}.SignInWithApple.PrivateKey",
                "cognito.apple-private-key",
                "PrivateKey must be the key body only: remove the -----BEGIN/-----END lines "
                "(the editor offers to strip them).",
            )
        ],
    ),
    "whitespace": (
        {"ResourceName": " mainauth"},
        [
            warning(
                "ResourceName",
                "input.whitespace",
                "ResourceName has leading or trailing spaces; remove them if they are not "
                "meant to be there.",
            )
        ],
    ),
}


@pytest.mark.parametrize(("edits", "expected"), BRANCHES.values(), ids=BRANCHES.keys())
def test_each_rule_branch_names_the_field_and_the_fix(edits, expected):
    findings = validate(planted(edits))
    assert [(f.severity, f.code, f.path, f.message) for f in findings] == expected


# name -> (planted edits, the findings): a member of the wrong type or missing has its model
# finding and no rule's besides (a rule skips what it cannot read), while the members beside it
# are still judged.
WRONG_TYPES: dict[str, tuple[dict[str, Any], list[tuple[str, str, str, str]]]] = {
    "domain-prefix-a-number": (
        {f"{OAUTH}.DomainPrefix": 5},
        [
            error(
                f"{OAUTH}.DomainPrefix",
                "model.type",
                "DomainPrefix must be a string, not a number (5).",
            )
        ],
    ),
    "sign-up-attributes-a-string": (
        {f"{UPC}.RequiredSignUpAttributes": "PHONE_NUMBER"},
        [
            error(
                f"{UPC}.RequiredSignUpAttributes",
                "model.type",
                "RequiredSignUpAttributes must be a list, not a string ('PHONE_NUMBER').",
            )
        ],
    ),
    "sign-up-attributes-missing": (
        {f"{UPC}.RequiredSignUpAttributes": GONE},
        [
            error(
                f"{UPC}.RequiredSignUpAttributes",
                "model.required",
                "RequiredSignUpAttributes is required in UserPoolConfigs; add it.",
            )
        ],
    ),
    "sign-in-uris-a-string-sign-out-still-judged": (
        {f"{OAUTH}.RedirectSignInURIs": "https://a.com/ ", OUT: ["/x"]},
        [
            error(
                f"{OAUTH}.RedirectSignInURIs",
                "model.type",
                "RedirectSignInURIs must be a list, not a string ('https://a.com/ ').",
            ),
            error(
                f"{OUT}[0]", "cognito.redirect-uri", f"RedirectSignOutURIs[0] '/x' {NOT_ABSOLUTE}"
            ),
        ],
    ),
    "an-unknown-member-holding-a-list": (
        {"Extra": ["x"]},
        [
            error(
                "Extra",
                "model.unknown",
                "CreateBackendAuth has no member 'Extra'; it takes AppId, BackendEnvironmentName, "
                "ResourceConfig, ResourceName.",
            )
        ],
    ),
    "a-uri-a-number-the-next-still-judged": (
        {OUT: [5, "/x"]},
        [
            error(
                f"{OUT}[0]",
                "model.type",
                "RedirectSignOutURIs must be a string, not a number (5).",
            ),
            error(
                f"{OUT}[1]", "cognito.redirect-uri", f"RedirectSignOutURIs[1] '/x' {NOT_ABSOLUTE}"
            ),
        ],
    ),
}


@pytest.mark.parametrize(("edits", "expected"), WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_a_member_a_rule_cannot_read_has_the_model_finding_alone(edits, expected):
    findings = validate(planted(edits))
    assert [(f.severity, f.code, f.path, f.message) for f in findings] == expected


# name -> planted edits that sit just inside every bound: the request stays valid
INSIDE: dict[str, dict[str, Any]] = {
    "app-id-20-characters": {"AppId": "d" + "0" * 19},
    "app-id-2-characters": {"AppId": "d1"},
    "env-name-1-character": {"BackendEnvironmentName": "e"},
    "env-name-255": {"BackendEnvironmentName": "e" * 255},
    "pool-names-1-character": {f"{UPC}.UserPoolName": "a", f"{IDP}.IdentityPoolName": "b"},
    "pool-names-128-characters": {
        f"{UPC}.UserPoolName": "a" * 128,
        f"{IDP}.IdentityPoolName": "+=,.@-_ " + "b" * 120,
    },
    "password-length-6": {f"{UPC}.PasswordPolicy.MinimumLength": 6},
    "password-length-99.0": {f"{UPC}.PasswordPolicy.MinimumLength": 99.0},
    "sms-message-6-characters": {f"{UPC}.Mfa.Settings.SmsMessage": "{####}"},
    "sms-message-140-characters": {f"{UPC}.Mfa.Settings.SmsMessage": "{####}" + "x" * 134},
    "email-message-6-and-subject-1": {
        f"{UPC}.VerificationMessage.EmailSettings": {"EmailSubject": "s", "EmailMessage": "{####}"}
    },
    "email-message-20000-subject-140": {
        f"{UPC}.VerificationMessage.EmailSettings": {
            "EmailSubject": "s" * 140,
            "EmailMessage": "{####}" + "x" * 19994,
        }
    },
    "redirect-uri-1024-characters": {OUT: ["https://e.com/" + "a" * 1010]},
    "redirect-uri-local-hosts-and-app-schemes": {
        OUT: ["http://localhost/", "http://127.0.0.1:8080/cb", "HTTP://LOCALHOST/", "myapp://cb"]
    },
    "redirect-uris-100": {
        f"{OAUTH}.RedirectSignInURIs": [f"https://e.com/{i}" for i in range(100)]
    },
    "domain-prefix-63-characters": {f"{OAUTH}.DomainPrefix": "a" * 63},
    "scopes-with-openid": {f"{OAUTH}.OAuthScopes": ["PHONE", "OPENID"]},
    "mfa-off-without-types": {f"{UPC}.Mfa": {"MFAMode": "OFF"}},
    "mfa-sms-with-phone": {
        f"{UPC}.Mfa.Settings.MfaTypes": ["SMS"],
        f"{UPC}.RequiredSignUpAttributes": ["EMAIL", "PHONE_NUMBER"],
    },
    "delivery-with-its-settings": {
        f"{UPC}.VerificationMessage": {"DeliveryMethod": "SMS", "SmsSettings": {}}
    },
    "apple-with-every-member": {f"{SOCIAL}.SignInWithApple": APPLE},
}


@pytest.mark.parametrize("edits", INSIDE.values(), ids=INSIDE.keys())
def test_just_inside_the_bounds_nothing_is_found(edits):
    assert validate(planted(edits)) == []


# -- the size of the encoded request -------------------------------------------------------


def body(request: dict[str, Any]) -> bytes:
    """The body botocore's own serializer sends for ``request``: the measure the rule must
    agree with (the URI's members, here AppId, are not in it)."""
    service = botocore.session.get_session().get_service_model("amplifybackend")
    model = service.operation_model("CreateBackendAuth")
    return create_serializer("rest-json").serialize_to_request(request, model)["body"]


def body_bytes(request: dict[str, Any]) -> int:
    return len(body(request))


def size_findings(request: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (f.severity, f.code, f.path, f.message)
        for f in validate(request)
        if f.code == "amplify.request-size"
    ]


def test_a_body_of_exactly_1_mib_passes_one_byte_more_is_refused_by_name():
    request = valid_request()
    request["ResourceName"] = ""
    request["ResourceName"] = "r" * (MAX_REQUEST_BYTES - body_bytes(request))
    assert body_bytes(request) == MAX_REQUEST_BYTES
    assert validate(request) == []
    request["ResourceName"] += "r"
    assert size_findings(request) == [
        error(
            "ResourceName",
            "amplify.request-size",
            "The request would be 1.0 MiB (1,048,577 bytes) once encoded; the service takes "
            "at most 1 MiB (1,048,576 bytes). ResourceName alone is 1.0 MiB: shorten it.",
        )
    ]


def test_the_size_counts_nested_members_as_the_wire_spells_them():
    # Padding deep in ResourceConfig: the body's keys (resourceConfig, userPoolConfigs, ...)
    # and the escapes of non-ASCII text count, as botocore encodes them.
    request = valid_request()
    google = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    google["Google"]["ClientId"] = "é"
    google["Google"]["ClientId"] = "é" + "c" * (MAX_REQUEST_BYTES - body_bytes(request))
    assert body_bytes(request) == MAX_REQUEST_BYTES
    assert validate(request) == []
    google["Google"]["ClientId"] += "c" * 300_000
    assert size_findings(request) == [
        error(
            "ResourceConfig",
            "amplify.request-size",
            "The request would be 1.3 MiB (1,348,576 bytes) once encoded; the service takes "
            "at most 1 MiB (1,048,576 bytes). ResourceConfig alone is 1.3 MiB: shorten it.",
        )
    ]


def test_the_size_is_told_even_beside_a_value_json_lacks():
    # YAML reads an unquoted 2024-01-01 as a date: a model error, and the size still counts it
    # as text, as it would be once the user quotes it.
    request = valid_request(ResourceName="r" * (2 * MAX_REQUEST_BYTES))
    request["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = datetime.date(2024, 1, 1)
    assert [f.code for f in validate(request) if f.is_error] == [
        "model.type",
        "amplify.request-size",
    ]


def test_the_member_to_shorten_is_the_largest_as_sent():
    # ResourceConfig is sent one byte longer than ResourceName, and only its wire names (the
    # social provider's client_id, client_secret) make it so; its 576,717 bytes are 0.55 MiB
    # and a fifth of a byte, which rounds up.
    request = valid_request()
    google = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    google["Google"]["ClientId"] = ""

    def sent(member: str) -> int:
        return len(json.dumps(json.loads(body(request))[member]))

    google["Google"]["ClientId"] = "c" * (576_717 - sent("resourceConfig"))
    request["ResourceName"] = "r" * (576_716 - 2)
    assert (sent("resourceConfig"), sent("resourceName")) == (576_717, 576_716)
    total = body_bytes(request)
    assert size_findings(request) == [
        error(
            "ResourceConfig",
            "amplify.request-size",
            f"The request would be 1.1 MiB ({total:,} bytes) once encoded; the service takes "
            "at most 1 MiB (1,048,576 bytes). ResourceConfig alone is 0.6 MiB: shorten it.",
        )
    ]

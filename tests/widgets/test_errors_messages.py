"""Findings in the form's words (widgets/messages.py): every rule of docs/rules.md renders under
its field with the members' labels, never a bare API member name that has a label, while the
core's own messages (the CLI's) keep the API names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import GONE, planted

from amplify_auth_widgets import AuthConfigEditor, validate
from amplify_auth_widgets.core.findings import Finding
from amplify_auth_widgets.widgets.messages import (
    QUOTED,
    SEPARATOR,
    humane,
    labels_of,
    todo_text,
    translate,
)

ROOT = Path(__file__).resolve().parents[2]
UPC = "ResourceConfig.UserPoolConfigs"
OAUTH = f"{UPC}.OAuth"
IDP = "ResourceConfig.IdentityPoolConfigs"
KEY = "-----BEGIN PRIVATE KEY-----\nMIGTAgEA\n-----END PRIVATE KEY-----"
APPLE = {"ClientId": "com.example", "KeyId": "K1", "PrivateKey": KEY, "TeamId": "T1"}

#: code -> edits of the full valid request that make validate() find it
TRIGGERS: dict[str, dict[str, Any]] = {
    "model.required": {"ResourceConfig.AuthResources": GONE, f"{UPC}.Mfa.MFAMode": GONE},
    "model.type": {f"{OAUTH}.DomainPrefix": 5, f"{UPC}.PasswordPolicy.MinimumLength": True},
    "model.enum": {f"{UPC}.SignInMethod": "FOO"},
    "model.unknown": {"ResourceConfig.Colour": "blue"},
    "amplify.app-id": {"AppId": "Bad App"},
    "cognito.env-name": {"BackendEnvironmentName": ""},
    "cognito.password-length": {f"{UPC}.PasswordPolicy.MinimumLength": 3},
    "cognito.user-pool-name": {f"{UPC}.UserPoolName": "a#b"},
    "cognito.identity-pool-name": {f"{IDP}.IdentityPoolName": ""},
    "cognito.identity-pool-missing": {IDP: GONE},
    "cognito.identity-pool-ignored": {"ResourceConfig.AuthResources": "USER_POOL_ONLY"},
    "cognito.domain-prefix": {f"{OAUTH}.DomainPrefix": "my-aws-app"},
    "cognito.domain-missing": {f"{OAUTH}.DomainPrefix": GONE},
    "cognito.redirect-uri": {f"{OAUTH}.RedirectSignInURIs": ["https://a.io/", "http://x.io/"]},
    "cognito.redirect-uri-count": {
        f"{OAUTH}.RedirectSignOutURIs": [f"https://a.io/{i}" for i in range(101)]
    },
    "cognito.redirect-uri-duplicate": {
        f"{OAUTH}.RedirectSignInURIs": ["https://a.io/", "https://a.io/"]
    },
    "cognito.scope-openid": {f"{OAUTH}.OAuthScopes": ["EMAIL"]},
    "cognito.implicit-grant": {f"{OAUTH}.OAuthGrantType": "IMPLICIT"},
    "cognito.social-provider": {f"{OAUTH}.SocialProviderSettings.Google.ClientSecret": ""},
    "cognito.apple-private-key": {f"{OAUTH}.SocialProviderSettings.SignInWithApple": APPLE},
    "cognito.mfa-types": {f"{UPC}.Mfa.Settings.MfaTypes": []},
    "cognito.mfa-sms-phone": {f"{UPC}.Mfa.Settings.MfaTypes": ["SMS"]},
    "cognito.sms-message": {
        f"{UPC}.VerificationMessage": {
            "DeliveryMethod": "SMS",
            "SmsSettings": {"SmsMessage": "no code here"},
        }
    },
    "cognito.email-message": {f"{UPC}.VerificationMessage.EmailSettings.EmailMessage": "hi"},
    "cognito.email-subject": {f"{UPC}.VerificationMessage.EmailSettings.EmailSubject": ""},
    "cognito.delivery-settings": {f"{UPC}.VerificationMessage.EmailSettings": GONE},
    "cognito.sign-in-attribute": {f"{UPC}.RequiredSignUpAttributes": ["NAME"]},
    "amplify.deprecated": {f"{UPC}.ForgotPassword": {"DeliveryMethod": "EMAIL"}},
    "input.whitespace": {"ResourceName": " mainauth"},
}


def documented_codes() -> set[str]:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    codes = set(re.findall(r"^\| ((?:model|cognito|amplify)\.[a-z0-9-]+) \|", text, re.M))
    return codes | set(re.findall(r"code `(input\.[a-z-]+)`", text))


def bare_names(text: str, operation: str = "CreateBackendAuth") -> list[str]:
    """Member names with a label of their own left in ``text``, outside quoted values."""
    outside = QUOTED.sub("''", text)
    return [n for n in re.findall(r"[A-Za-z][A-Za-z0-9]*", outside) if n in labels_of(operation)]


def test_the_table_covers_every_documented_rule():
    codes = documented_codes()
    assert {"model.required", "cognito.mfa-types", "input.whitespace"} <= codes
    assert len(codes) >= 29
    assert codes - set(TRIGGERS) == set()


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_every_rule_renders_in_labels_with_no_bare_member_name(code):
    findings = [f for f in validate(planted(TRIGGERS[code])) if f.code == code]
    assert findings, f"the edits for {code} no longer make it"
    for finding in findings:
        shown = humane(finding, "CreateBackendAuth")
        assert bare_names(shown) == [], (finding.message, shown)
        assert shown != finding.message or not bare_names(finding.message)
        for quoted in QUOTED.findall(finding.message):  # the user's own text: as it was
            assert quoted in shown


def test_the_core_keeps_the_api_names_for_the_cli():
    (finding,) = [f for f in validate(planted({"AppId": GONE})) if f.code == "model.required"]
    assert finding.message == "AppId is required; add it."
    assert humane(finding, "CreateBackendAuth") == "App ID is required."


def test_the_wordings_the_issue_asked_for():
    empty = {"ResourceConfig": {"UserPoolConfigs": {}}}  # the empty form's request
    required = [f for f in validate(empty) if f.code == "model.required"]
    shown = {f.path: humane(f, "CreateBackendAuth") for f in required}
    assert shown["AppId"] == "App ID is required."
    assert shown["ResourceConfig.AuthResources"] == "What to create is required in Resource config."
    enum = next(f for f in validate(planted(TRIGGERS["model.enum"])) if f.code == "model.enum")
    assert humane(enum, "CreateBackendAuth") == (
        "'FOO' is not one of the choices for Sign in with: Email, Email and phone number, "
        "Phone number, Username."
    )


def test_a_member_name_inside_a_quoted_value_is_the_users_text_and_stays():
    labels = labels_of("CreateBackendAuth")
    text = "AppId 'AppId UserPoolName' is not an Amplify app id; RedirectSignInURIs[1] too."
    assert translate(text, labels) == (
        "App ID 'AppId UserPoolName' is not an Amplify app id; Sign-in redirect URLs, line 2 too."
    )


def test_update_requests_use_their_own_labels():
    findings = validate(planted({f"{UPC}.SignInMethod": "FOO"}), "UpdateBackendAuth")
    assert {f.code for f in findings} >= {"model.unknown"}  # Create members Update lacks
    for finding in findings:
        assert bare_names(humane(finding, "UpdateBackendAuth"), "UpdateBackendAuth") == []


@pytest.mark.parametrize(
    ("finding", "section", "expected"),
    [
        (
            Finding("ResourceConfig.AuthResources", "error", "model.required", "x"),
            "Identity pool",
            "What to create: choose one",
        ),
        (
            Finding(f"{IDP}.UnauthenticatedLogin", "error", "model.required", "x"),
            "Identity pool",
            "Allow guest access: choose one",
        ),
        (Finding("AppId", "error", "model.required", "x"), "Target", "App ID: required"),
        (
            Finding(f"{UPC}.RequiredSignUpAttributes", "error", "model.required", "x"),
            "Sign-in and sign-up",
            "Required at sign-up: choose one",
        ),
        (
            Finding(
                f"{UPC}.PasswordPolicy.MinimumLength",
                "error",
                "cognito.password-length",
                "MinimumLength 3 is not allowed.",
            ),
            "Password policy",
            "Minimum length: Minimum length 3 is not allowed",
        ),
    ],
)
def test_a_to_do_item_names_its_section_and_label(finding, section, expected):
    assert todo_text(finding, section, "CreateBackendAuth") == f"{section} {SEPARATOR} {expected}"


def test_the_editor_shows_the_words_under_the_field_and_in_the_summary():
    editor = AuthConfigEditor()
    editor.field("AppId").control.value = "Bad App"
    editor.reveal()
    messages = editor.field("AppId").messages.value
    assert "App ID &#x27;Bad App&#x27; is not an Amplify app id" in messages
    assert 'title="amplify.app-id"' in messages  # the rule's code stays the tooltip
    resources = editor.field("ResourceConfig.AuthResources").messages.value
    assert "What to create is required in Resource config." in resources
    assert "AuthResources" not in resources + editor.summary.value
    assert "AppId is required" not in editor.summary.value
    # the trait keeps the core's findings as they are, for code that reads them
    assert any(f.message.startswith("AppId 'Bad App'") for f in editor.findings)

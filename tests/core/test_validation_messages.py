"""The model checks' messages, word for word: each names the member, what it must be, the value
(quoted briefly) and the fix. They are what a user reads beside a field, in the CLI and in the
emulator's 400 answers, so a change in their wording is a change to review, not a detail."""

from __future__ import annotations

import datetime

import pytest
from conftest import GONE, planted

from amplify_auth_widgets.core.findings import Finding, show_number
from amplify_auth_widgets.core.validation import model_findings, validate

UPC = "ResourceConfig.UserPoolConfigs"


def changed(path: str, value: object) -> dict:
    """The valid request with the member at ``path`` set to ``value`` (deleted when None)."""
    return planted({path: GONE if value is None else value})


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (f"{UPC}.UserPoolName", ["x"], "UserPoolName must be a string, not a list (['x'])."),
        (
            f"{UPC}.PasswordPolicy",
            "strong",
            "PasswordPolicy must be an object, not a string ('strong').",
        ),
        (
            f"{UPC}.RequiredSignUpAttributes",
            "EMAIL",
            "RequiredSignUpAttributes must be a list, not a string ('EMAIL').",
        ),
        (
            "ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin",
            "yes",
            "UnauthenticatedLogin must be true or false, not a string ('yes').",
        ),
        (
            f"{UPC}.PasswordPolicy.MinimumLength",
            True,
            "MinimumLength must be a number, not true/false (True).",
        ),
        (
            f"{UPC}.PasswordPolicy.MinimumLength",
            float("inf"),
            "MinimumLength must be a finite number.",
        ),
        (f"{UPC}.UserPoolName", {}, "UserPoolName must be a string, not an object ({})."),
        (f"{UPC}.UserPoolName", 7, "UserPoolName must be a string, not a number (7)."),
        (f"{UPC}.UserPoolName", 7.5, "UserPoolName must be a string, not a number (7.5)."),
        (f"{UPC}.UserPoolName", False, "UserPoolName must be a string, not true/false (False)."),
        (
            f"{UPC}.SignInMethod",
            "FOO",
            "'FOO' is not a valid SignInMethod; choose one of EMAIL, EMAIL_AND_PHONE_NUMBER, "
            "PHONE_NUMBER, USERNAME.",
        ),
        ("AppId", None, "AppId is required; add it."),
        (f"{UPC}.UserPoolName", None, "UserPoolName is required in UserPoolConfigs; add it."),
        (
            "Foo",
            1,
            "CreateBackendAuth has no member 'Foo'; it takes AppId, BackendEnvironmentName, "
            "ResourceConfig, ResourceName.",
        ),
        (
            f"{UPC}.Foo",
            1,
            "UserPoolConfigs has no member 'Foo'; it takes ForgotPassword, Mfa, OAuth, "
            "PasswordPolicy, RequiredSignUpAttributes, SignInMethod, UserPoolName, "
            "VerificationMessage.",
        ),
    ],
)
def test_model_messages(path, value, message):
    findings = model_findings(changed(path, value))
    assert [(f.path, f.severity, f.message) for f in findings] == [(path, "error", message)]


def test_a_request_that_is_not_an_object():
    for request, kind in (([1], "a list"), ("x", "a string"), (None, "null"), (3, "a number")):
        assert model_findings(request) == [
            Finding("", "error", "model.type", f"The request must be an object, not {kind}.")
        ]
    assert [str(f) for f in validate([])] == [
        "(request): error model.type: The request must be an object, not a list."
    ]


@pytest.mark.parametrize(
    ("operation", "params", "message"),
    [
        ("CreateApp", {"name": "x" * 300}, "name takes from 1 to 255 characters; it has 300."),
        ("CreateApp", {"name": ""}, "name takes from 1 to 255 characters; it has 0."),
        (
            "CreateApp",
            {"name": "a", "description": "x" * 1001},
            "description takes to 1000 characters; it has 1001.",
        ),
        ("ListApps", {"maxResults": 500}, "maxResults takes from 0 to 100; it has 500."),
        ("ListApps", {"maxResults": -1}, "maxResults takes from 0 to 100; it has -1."),
        (
            "ListApps",
            {"maxResults": "10"},
            "maxResults must be a whole number, not a string ('10').",
        ),
        (
            "UntagResource",
            {"resourceArn": "arn:aws:amplify:x", "tagKeys": []},
            "tagKeys takes from 1 to 50 items; it has 0.",
        ),
        (
            "UntagResource",
            {"resourceArn": "arn:aws:amplify:x", "tagKeys": ["k"] * 51},
            "tagKeys takes from 1 to 50 items; it has 51.",
        ),
    ],
)
def test_ranges_of_the_amplify_model(operation, params, message):
    """The emulator checks Amplify's requests with the same checker: the model's bounds."""
    findings = model_findings(params, operation, "amplify")
    assert [f.message for f in findings] == [message]
    assert findings[0].path == message.split()[0]  # on the member the message names
    assert findings[0].code == ("model.type" if "must be" in message else "model.range")


def test_bounds_are_inclusive():
    assert model_findings({"name": "x" * 255}, "CreateApp", "amplify") == []
    assert model_findings({"name": "x"}, "CreateApp", "amplify") == []
    assert model_findings({"maxResults": 100}, "ListApps", "amplify") == []
    assert model_findings({"maxResults": 0}, "ListApps", "amplify") == []
    for keys in (["k"], ["k"] * 50):
        assert (
            model_findings({"resourceArn": "a", "tagKeys": keys}, "UntagResource", "amplify") == []
        )


def test_maps_are_taken_as_they_are():
    # The checker has no rules for a map's keys and values (tags, environment variables).
    request = {"name": "a", "tags": {"k": "v"}, "environmentVariables": {"A": "b"}}
    assert model_findings(request, "CreateApp", "amplify") == []


def test_a_shape_without_members_says_it_takes_nothing():
    request = {"AppId": "d1", "BackendEnvironmentName": "dev", "AppName": "x"}
    request["ResourceConfig"] = {"x": 1}  # CreateBackend's ResourceConfig has no members
    assert [(f.path, f.code, f.message) for f in model_findings(request, "CreateBackend")] == [
        ("ResourceConfig.x", "model.unknown", "ResourceConfig has no member 'x'; it takes nothing.")
    ]


def test_numbers_in_messages():
    assert [show_number(v) for v in (6, 6.0, 6.5, 1e20)] == ["6", "6", "6.5", "1e+20"]
    assert show_number(10**400) == "a whole number of about 401 digits"


def test_findings_read_as_a_line_and_as_data():
    finding = Finding("AppId", "warning", "amplify.app-id", "Fix it.")
    assert str(finding) == "AppId: warning amplify.app-id: Fix it."
    assert finding.to_dict() == {
        "path": "AppId",
        "severity": "warning",
        "code": "amplify.app-id",
        "message": "Fix it.",
    }
    assert not finding.is_error and Finding("", "error", "c", "m").is_error


def test_a_value_of_a_type_json_lacks_is_named_as_yaml_makes_it_or_by_its_type():
    # YAML reads an unquoted 2024-01-01 as a date
    findings = model_findings(changed(f"{UPC}.UserPoolName", datetime.date(2024, 1, 1)))
    assert [f.message for f in findings] == [
        "UserPoolName must be a string, not a date (datetime.date(2024, 1, 1))."
    ]
    findings = model_findings(changed(f"{UPC}.UserPoolName", frozenset({"x"})))
    assert [f.message for f in findings] == [
        "UserPoolName must be a string, not frozenset (frozenset({'x'}))."
    ]


def test_errors_come_first_then_by_path_and_each_once():
    request = changed(f"{UPC}.SignInMethod", "FOO")
    request["ResourceConfig"]["AuthResources"] = "USER_POOL_ONLY"  # a warning, on an earlier path
    request["AppId"] = "BAD"
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["DomainPrefix"] = None
    findings = validate(request)
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s != "error")
    errors = [f.path for f in findings if f.is_error]
    assert errors == sorted(errors) and len(set(findings)) == len(findings)
    assert errors[0] == "AppId"
    assert findings[-1].severity == "warning"
    assert findings[-1].path < errors[-1]  # after the errors although its path sorts before


@pytest.mark.parametrize("bad", ["\ud83d", "\udc00", "\udfff", "\ud800"])
def test_a_lone_surrogate_is_named_by_its_escape_and_nothing_else_is_said_of_the_value(bad):
    # JSON's "\ud83d" brings one in: no file, request or store can hold it
    value = "ab" + bad + "cd" + "\udbff"  # the first one is named
    findings = model_findings(changed(f"{UPC}.UserPoolName", value))
    assert [(f.code, f.path, f.message) for f in findings] == [
        (
            "input.unicode",
            f"{UPC}.UserPoolName",
            f"UserPoolName holds a lone surrogate ({bad.encode('unicode_escape').decode()}), "
            "which is not Unicode text and cannot be sent or written; use the character it "
            "stands for, or its pair.",
        )
    ]
    # the same string made whole is text: a surrogate pair's character is fine
    assert model_findings(changed(f"{UPC}.UserPoolName", "ab\U0001f600cd")) == []

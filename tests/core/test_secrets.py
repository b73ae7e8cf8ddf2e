"""The secrets policy: secret paths in member and wire spellings, redaction, quoting in messages.

Every consumer (validator, rules, skeletons, history, diff, CLI output) is checked here against
secrets given in the shapes and spellings that slipped through before: the wire spelling
(``client_secret``), a provider given as a list, a PrivateKey given as a list.
"""

from __future__ import annotations

import copy
import io
import json

import pytest
from conftest import aws_env, valid_request

from amplify_auth_widgets import BackendAuthService, JobHistory
from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.core.diff import ABSENT, config_diff, describe_change
from amplify_auth_widgets.core.secrets import (
    REDACTED,
    contains_secret,
    is_secret_path,
    quote,
    redact,
    scrub_text,
    secret_names,
)
from amplify_auth_widgets.core.validation import validate

PROVIDERS = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings"
SECRET = "s3cr3t-value-XYZ"


def providers(request):
    node = request
    for step in PROVIDERS.split("."):
        node = node[step]
    return node


def with_providers(**given):
    request = valid_request(AppId="d1abc", BackendEnvironmentName="dev")
    providers(request).clear()
    providers(request).update(given)
    return request


APPLE_KEY_AS_LIST = {
    "SignInWithApple": {"ClientId": "c", "KeyId": "k", "TeamId": "t", "PrivateKey": [SECRET]}
}
WRONG_SHAPES = [
    pytest.param({"Google": [SECRET]}, id="provider-as-list"),
    pytest.param({"Google": [{"ClientId": "c", "ClientSecret": SECRET}]}, id="provider-in-list"),
    pytest.param({"Google": SECRET}, id="provider-as-string"),
    pytest.param(APPLE_KEY_AS_LIST, id="private-key-as-list"),
    pytest.param({"Facebook": {"ClientId": "c", "client_secret": SECRET}}, id="wire-spelling"),
]


def test_secret_names_come_from_the_model_in_both_spellings():
    assert {"ClientSecret", "PrivateKey", "client_secret", "private_key"} <= secret_names()
    assert "ClientId" not in secret_names() and "client_id" not in secret_names()


@pytest.mark.parametrize(
    "path",
    [
        f"{PROVIDERS}.Google",
        f"{PROVIDERS}.Google.ClientSecret",
        f"{PROVIDERS}.Google.client_secret",
        f"{PROVIDERS}.SignInWithApple.PrivateKey[0]",
        "resourceConfig.userPoolConfigs.oAuth.socialProviderSettings.Facebook",
        "ResourceConfig.UserPoolConfigs.ForgotPassword.EmailSettings.EmailMessage",
        "Anything.private_key",
    ],
)
def test_secret_paths_in_either_spelling(path):
    assert is_secret_path(path, "CreateBackendAuth")


@pytest.mark.parametrize("path", ["AppId", "ResourceConfig.UserPoolConfigs.UserPoolName", ""])
def test_ordinary_paths_are_not_secret(path):
    assert not is_secret_path(path, "CreateBackendAuth")


def test_redaction_covers_the_wire_spelling_and_wrong_shapes():
    request = with_providers(
        Facebook={"client_id": "c", "client_secret": SECRET},
        SignInWithApple={"PrivateKey": [SECRET]},
        Google=[SECRET],
    )
    redacted = redact(request, "CreateBackendAuth")
    assert SECRET not in json.dumps(redacted)
    assert providers(redacted)["Facebook"] == {"client_id": "c", "client_secret": REDACTED}
    assert contains_secret(request) and not contains_secret(redacted)
    # name-based redaction alone (no operation) still covers both spellings
    assert SECRET not in json.dumps(redact({"x": {"private_key": SECRET}}))


@pytest.mark.parametrize("given", WRONG_SHAPES)
def test_findings_never_quote_a_secret(given):
    findings = validate(with_providers(**given))
    assert findings, "a wrong shape must be reported"
    assert all(SECRET not in f.message for f in findings), [f.message for f in findings]


def test_quote_hides_secret_paths_and_values_holding_secrets():
    assert quote([SECRET], f"{PROVIDERS}.Google") == "(hidden)"
    assert SECRET not in quote({"a": {"ClientSecret": SECRET}})
    assert quote("plain") == "'plain'"
    assert len(quote("x" * 5_000_000)) <= 40


def test_scrub_text_removes_botocore_quoted_secrets():
    report = (
        f"Invalid type for parameter {PROVIDERS}.SignInWithApple.PrivateKey, value: "
        f"['{SECRET}'], type: <class 'list'>, valid types: <class 'str'>\n"
        f"Invalid type for parameter AppId, value: 5, type: <class 'int'>, valid types: "
        "<class 'str'>"
    )
    scrubbed = scrub_text(report, "CreateBackendAuth")
    assert SECRET not in scrubbed and "value: 5" in scrubbed and REDACTED in scrubbed
    request = with_providers(**APPLE_KEY_AS_LIST)
    assert SECRET not in scrub_text(f"the service said {SECRET!r}", "CreateBackendAuth", request)


def test_diff_never_shows_a_secret_in_any_spelling_or_shape():
    for old, new in [
        ({"Google": {"client_secret": "old-secret"}}, {"Google": {"client_secret": SECRET}}),
        ({"Google": ["old-secret"]}, {"Google": [SECRET]}),
    ]:
        base = {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": old}}}
        changed = copy.deepcopy(base)
        changed["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"] = new
        lines = [describe_change(*c) for c in config_diff(base, changed, "ResourceConfig")]
        assert lines and all(SECRET not in line and "old-secret" not in line for line in lines)
    assert SECRET in describe_change("x.ClientSecret", ABSENT, SECRET, include_secrets=True)


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("given", WRONG_SHAPES)
def test_cli_never_prints_a_secret(given, emulator, app_env, tmp_path, monkeypatch):
    app_id, env = app_env
    request = with_providers(**given)
    request.update(AppId=app_id, BackendEnvironmentName=env)
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request))
    common = ("create-backend-auth", "--cli-input-json", f"file://{path}")
    code, out, err = run(*common, "--validate-only")
    assert code == 252 and SECRET not in out + err
    for name, value in aws_env(emulator.url).items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    code, out, err = run(*common, "--no-validate", "--debug")
    assert code == 255 and "debug: CreateBackendAuth request" in err
    assert "ParamValidation" in err  # botocore's own report, which quotes values
    assert SECRET not in out + err


@pytest.mark.parametrize("given", WRONG_SHAPES)
def test_history_never_records_a_secret(given, emulator, app_env, clock, tmp_path):
    app_id, env = app_env
    history = JobHistory(":memory:", clock)
    service = BackendAuthService(emulator.connection(), on_call=history.record_call)
    request = with_providers(**given)
    request.update(AppId=app_id, BackendEnvironmentName=env)
    with pytest.raises(Exception) as failure:
        service.create_backend_auth(request, force=True)
    assert SECRET not in str(failure.value)
    frame = history.requests()
    assert len(frame) == 1 and frame.loc[0, "error_message"]
    assert SECRET not in frame.to_csv()
    history.export(tmp_path / "requests.csv", "requests")
    assert SECRET not in (tmp_path / "requests.csv").read_text()


def test_another_services_operation_is_judged_by_names_only():
    assert not is_secret_path("appId", "DeleteBackendEnvironment")
    assert is_secret_path("x.client_secret", "DeleteBackendEnvironment")


@pytest.mark.parametrize("path", [f"{PROVIDERS}.Google", f"{PROVIDERS}.Google.ClientId"])
def test_the_editor_never_shows_a_secret_it_cannot_display(path):
    """A field handed a value of the wrong shape says it holds it; never what it is."""
    from amplify_auth_widgets.core.model import request_spec
    from amplify_auth_widgets.widgets.form import build_field

    field = build_field(request_spec("CreateBackendAuth").find(path), lambda *_: None)
    field.set([SECRET])
    assert "Holds" in field.note.value and SECRET not in field.note.value
    assert field.get() == [SECRET]  # kept as it is, nothing the user entered is lost

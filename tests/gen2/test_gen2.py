"""The Gen 2 export in Python: every configured member is accounted for, secrets stay out."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import zipfile

import pytest
from conftest import CORPUS, load_case, valid_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.strategies import well_typed

from amplify_auth_widgets import gen2
from amplify_auth_widgets.core.model import FieldSpec, request_spec
from amplify_auth_widgets.gen2.typescript import Arrow, Inline, string, template_text, value_lines

VALID = [p for p in CORPUS if not json.loads(p.read_text())["errors"]]
UPC = "ResourceConfig.UserPoolConfigs"


def leaf_paths(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix


def all_text(export):
    return "\n".join(export.files.values()) + export.frame().to_csv()


@pytest.mark.parametrize("case_file", VALID, ids=[p.stem for p in VALID])
def test_every_configured_member_has_one_row(case_file):
    case = json.loads(case_file.read_text())
    export = gen2.export(case["request"], case["operation"])
    # plus the rows of what Gen 1 derived (test_gen2_providers), which are no members
    members = [r["member"] for r in export.rows if r["status"] != "derived"]
    assert sorted(members) == sorted(leaf_paths(case["request"]))
    assert not [r for r in export.rows if r["status"] == gen2.NOT_MAPPED]
    for row in export.rows:
        assert row["status"] in ("mapped", "secret", "source", "not supported", "derived"), row
        assert row["target"] or row["note"], row  # where it went, or why not, in words


def test_full_configuration_goes_where_the_gen2_docs_put_it():
    export = gen2.export(valid_request())
    table = export.frame().set_index("member")
    assert table.loc[f"{UPC}.PasswordPolicy.MinimumLength", "file"] == "amplify/backend.ts"
    assert table.loc[f"{UPC}.OAuth.DomainPrefix", "file"] == "amplify/backend.ts"
    assert table.loc[f"{UPC}.Mfa.MFAMode", "target"] == "multifactor.mode"
    assert table.loc["AppId", "status"] == "source"
    resource = export.files["amplify/auth/resource.ts"]
    backend = export.files["amplify/backend.ts"]
    assert 'multifactor: { mode: "OPTIONAL", totp: true },' in resource
    assert "verificationEmailBody: (createCode) =>" in resource
    assert "`Your verification code is ${createCode()}`" in resource
    assert "minimumLength: 10," in backend
    assert '.domain = "main-app-login";' in backend
    for text in export.files.values():
        assert text.startswith("// Amplify Gen 2 auth exported from app d1a2b3c4d5e6f7, ")
        assert "environment staging" in text
        assert all(len(line) <= 80 for line in text.splitlines()), text


def test_secrets_become_references_and_their_values_never_appear():
    request = valid_request()
    providers = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    providers["SignInWithApple"] = {
        "ClientId": "com.example.app",
        "KeyId": "KEY123",
        "TeamId": "TEAM123",
        "PrivateKey": "apple-private-key-value",
    }
    providers["Facebook"] = {"ClientId": "fb-id", "ClientSecret": "fb-secret-value"}
    export = gen2.export(request)
    names = [s.name for s in export.secrets]
    assert names == [
        "GOOGLE_CLIENT_ID",
        "GOOGLE_CLIENT_SECRET",
        "SIWA_CLIENT_ID",
        "SIWA_KEY_ID",
        "SIWA_PRIVATE_KEY",
        "SIWA_TEAM_ID",
        "FACEBOOK_CLIENT_ID",
        "FACEBOOK_CLIENT_SECRET",
    ]
    assert export.secret_commands[0] == "npx ampx sandbox secret set GOOGLE_CLIENT_ID"
    with zipfile.ZipFile(io.BytesIO(export.zip_bytes())) as archive:
        zipped = "".join(archive.read(name).decode() for name in archive.namelist())
    text = all_text(export) + repr(export.rows) + zipped
    for value in ("g-secret-value", "apple-private-key-value", "fb-secret-value"):
        assert value not in text
    resource = export.files["amplify/auth/resource.ts"]
    assert 'privateKey: secret("SIWA_PRIVATE_KEY"),' in resource
    header = resource.split("import ", 1)[0]
    assert "GOOGLE_CLIENT_SECRET" in header and "npx ampx sandbox secret set NAME" in header


def test_a_member_the_mapping_does_not_know_is_reported_not_dropped():
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["Colour"] = "blue"
    export = gen2.export(request)
    row = next(r for r in export.rows if r["member"] == f"{UPC}.Colour")
    assert row["status"] == "not mapped"
    assert "service model has no such member" in row["note"]


def test_a_model_member_without_a_mapping_is_not_mapped(monkeypatch):
    """A member the model gains later shows up as not mapped, from the model walk alone."""
    spec = request_spec("CreateBackendAuth")
    extra = FieldSpec("Tier", "ResourceConfig.Tier", "string", "Tier")
    resource = spec.member("ResourceConfig")
    grown = dataclasses.replace(resource, members=(*resource.members, extra))
    others = tuple(m for m in spec.members if m.name != "ResourceConfig")
    root = dataclasses.replace(spec, members=(*others, grown))
    monkeypatch.setattr(gen2.exporter, "request_spec", lambda operation: root)
    request = valid_request()
    request["ResourceConfig"]["Tier"] = "gold"
    row = next(r for r in gen2.export(request).rows if r["member"] == "ResourceConfig.Tier")
    assert row["status"] == "not mapped"
    assert "no Gen 2 place" in row["note"]


def test_deprecated_forgot_password_and_the_identity_pool_are_covered():
    case = load_case("forgot-password-deprecated")
    table = gen2.export(case["request"]).frame().set_index("member")
    assert table.loc[f"{UPC}.ForgotPassword.DeliveryMethod", "target"] == "accountRecovery"
    subject = table.loc[f"{UPC}.ForgotPassword.EmailSettings.EmailSubject"]
    assert subject["status"] == "not supported"
    assert "custom message" in subject["note"]
    pool = table.loc["ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin"]
    assert pool["target"] == "cfnIdentityPool.allowUnauthenticatedIdentities"


def test_a_get_backend_auth_response_and_a_bare_resource_config_export_alike():
    request = valid_request()
    response = {**copy.deepcopy(request), "Error": None}
    from_response = gen2.export(response)
    bare = gen2.export(request["ResourceConfig"])
    assert from_response.files == gen2.export(request).files
    assert (
        bare.files["amplify/auth/resource.ts"].split("\n", 3)[3]
        == (from_response.files["amplify/auth/resource.ts"].split("\n", 3)[3])
    )
    assert "(not given)" in bare.files["amplify/auth/resource.ts"]


@pytest.mark.parametrize("bad", [None, [], "text", {"Nothing": 1}])
def test_bad_input_gets_a_clear_message(bad):
    with pytest.raises((TypeError, ValueError), match="ResourceConfig"):
        gen2.export(bad)


def test_files_write_and_zip(tmp_path):
    export = gen2.export(valid_request())
    written = export.write(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(export.files)
    with zipfile.ZipFile(io.BytesIO(export.zip_bytes())) as archive:
        assert archive.read("amplify/backend.ts").decode() == export.files["amplify/backend.ts"]


def test_strings_and_templates_are_escaped_for_typescript():
    assert string('say "hi"') == "'say \"hi\"'"
    assert string("it's") == '"it\'s"'
    assert string("a\\b\n") == '"a\\\\b\\n"'
    assert template_text("`x` ${y} {####}", "{####}", "c()") == "\\`x\\` \\${y} ${c()}"
    long = "x" * 90
    assert value_lines(
        long, 1, "  verificationEmailSubject: ", ",", key="verificationEmailSubject"
    ) == [
        "  verificationEmailSubject:",
        f'    "{long}",',
    ]
    assert value_lines(Arrow("c", "y" * 80), 0, "k: ", ",", key="k")[0] == "k: (c) =>"
    assert value_lines(Inline(required=True), 0, "email: ", ",", key="email") == [
        "email: { required: true },"
    ]


MESSAGE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subject=MESSAGE, body=MESSAGE)
def test_any_message_text_round_trips_through_the_template(subject, body):
    request = valid_request()
    settings_ = request["ResourceConfig"]["UserPoolConfigs"]["VerificationMessage"]
    settings_["EmailSettings"] = {"EmailSubject": subject or "s", "EmailMessage": body + "{####}"}
    export = gen2.export(request)
    resource = export.files["amplify/auth/resource.ts"]
    template = template_text(body + "{####}", "{####}", "createCode()")
    assert f"`{template}`" in resource


@pytest.mark.parametrize(
    "change, path",
    [
        ({"UserPoolConfigs": []}, "ResourceConfig.UserPoolConfigs"),
        ({"IdentityPoolConfigs": "pool"}, "ResourceConfig.IdentityPoolConfigs"),
    ],
)
def test_a_wrongly_typed_member_is_named(change, path):
    request = valid_request()
    request["ResourceConfig"].update(change)
    with pytest.raises(ValueError, match=path.replace(".", r"\.")):
        gen2.export(request)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=well_typed(request_spec("CreateBackendAuth").member("ResourceConfig")))
def test_export_never_crashes_on_configurations_from_the_model(config):
    try:
        export = gen2.export({"ResourceConfig": config})
    except ValueError as exc:
        assert "ResourceConfig" in str(exc)
        return
    assert sorted(r["member"] for r in export.rows if r["status"] != "derived") == sorted(
        p
        for p, _, _ in gen2.configured(
            {"ResourceConfig": config}, request_spec("CreateBackendAuth")
        )
    )
    assert all(r["status"] for r in export.rows)


def test_scopes_that_need_openid_say_so():
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["OAuthScopes"] = ["PROFILE"]
    table = gen2.export(request).frame().set_index("member")
    assert "only with openid" in table.loc[f"{UPC}.OAuth.OAuthScopes", "note"]

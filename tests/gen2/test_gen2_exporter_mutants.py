"""The Gen 2 export's own parts pinned whole: the refusals of what it is given, the header,
the two files' lines, the table's rows and values, the export's fields, and how the files are
written (every refusal's words, backups, modes, nothing left half-written).

Written for the mutation run of ``gen2.exporter`` (docs/mutation.md): the other gen2 tests
looked at fragments, and the writing was tested through the CLI as a process, which runs the
installed code. No Node toolchain here: each test takes milliseconds.
"""

from __future__ import annotations

import copy
import io
import os
import stat
import zipfile

import pytest
from conftest import valid_request
from support.deployed import DEPLOYED
from support.gen2_lines import DEFINE_AUTH, DEFINE_BACKEND, NATIVE, NATIVE_OAUTH, POOL_OVERRIDES

from amplify_auth_widgets import gen2
from amplify_auth_widgets.gen2.exporter import COLUMNS, Gen2Export, Written, request_of

UPC = "ResourceConfig.UserPoolConfigs"
RESOURCE, BACKEND = "amplify/auth/resource.ts", "amplify/backend.ts"


# -- what the export is given ---------------------------------------------------------------


@pytest.mark.parametrize(("bad", "kind"), [(None, "NoneType"), ([], "list"), ("text", "str")])
def test_what_is_not_a_dict_is_refused_naming_its_type_and_the_caller(bad, kind):
    with pytest.raises(TypeError) as refused:
        request_of(bad, "CreateBackendAuth", "predict()")
    assert str(refused.value) == (
        "predict() takes a request, a GetBackendAuth response or a ResourceConfig as a dict, "
        f"not {kind}."
    )
    with pytest.raises(TypeError, match=r"^export\(\) takes a request"):
        gen2.export(bad)


@pytest.mark.parametrize(
    ("bad", "held"),
    [({}, "no members"), ({"b": 1, "a": 2, 3: 4}, "only 'a', 'b', 3")],
)
def test_a_dict_without_the_configuration_is_refused_with_its_keys(bad, held):
    with pytest.raises(ValueError) as refused:
        gen2.export(bad)
    assert str(refused.value) == (
        "export() needs ResourceConfig (or a request or GetBackendAuth response holding it); "
        f"this dict has {held}."
    )


def test_a_response_loses_its_operation_and_error_and_a_bare_config_is_wrapped():
    request = valid_request()
    response = {**copy.deepcopy(request), "Operation": "update", "Error": None}
    assert request_of(response, "CreateBackendAuth") == request
    config = request["ResourceConfig"]
    assert request_of(config, "UpdateBackendAuth") == {"ResourceConfig": config}
    # one member of the configuration is enough to take the dict for one
    assert request_of({"Service": "COGNITO"}, "CreateBackendAuth") == {
        "ResourceConfig": {"Service": "COGNITO"}
    }


def test_members_of_the_wrong_type_or_not_text_are_all_named():
    wrong = {"UserPoolConfigs": {"SignInMethod": 5, "UserPoolName": ["x"]}}
    with pytest.raises(ValueError) as refused:
        gen2.export(wrong)
    assert str(refused.value) == (
        "export() needs each member in the type the service model gives it: "
        f"{UPC}.SignInMethod: SignInMethod must be a string, not a number (5).; "
        f"{UPC}.UserPoolName: UserPoolName must be a string, not a list (['x'])."
    )
    surrogates = {
        "UserPoolConfigs": {"UserPoolName": "a\udc80", "SignInMethod": "EMAIL"},
        "Service": "\udcff",
    }
    with pytest.raises(ValueError) as refused:
        gen2.export(surrogates)
    advice = "which is not Unicode text and cannot be sent or written; use the character it"
    assert str(refused.value) == (
        "export() needs Unicode text in every string: "
        f"{UPC}.UserPoolName: UserPoolName holds a lone surrogate (\\udc80), {advice} stands "
        "for, or its pair.; ResourceConfig.Service: Service holds a lone surrogate (\\udcff), "
        f"{advice} stands for, or its pair."
    )


# -- the files ------------------------------------------------------------------------------


def small(**config):
    return {"ResourceConfig": {"UserPoolConfigs": {"SignInMethod": "EMAIL"}, **config}}


def test_a_configuration_without_names_says_not_given_and_imports_no_secret():
    export = gen2.export(small())
    header = [
        "// Amplify Gen 2 auth exported from app (not given), environment (not given),",
        "// by amplify-auth-widgets.",
    ]
    assert export.files == {
        RESOURCE: "\n".join(
            [
                *header,
                *DEFINE_AUTH,
                "    email: true,",
                "  },",
                "});",
                "",
            ]
        ),
        BACKEND: "\n".join(
            [
                *header,
                *DEFINE_BACKEND,
                *NATIVE,
                "",
            ]
        ),
    }
    assert (export.app_id, export.environment, export.resource_name) == ("", "", "")
    assert (export.way, export.deployed, export.notes, export.secrets) == (None, None, [], [])


def test_overrides_are_grouped_by_resource_and_a_dotted_property_is_a_property_override():
    request = small(AuthResources="USER_POOL_ONLY")
    request.update(AppId="app1", BackendEnvironmentName="dev")
    request["ResourceConfig"]["UserPoolConfigs"]["VerificationMessage"] = {
        "DeliveryMethod": "SMS",
        "SmsSettings": {"SmsMessage": "Code {####}"},
    }
    export = gen2.export(request)
    assert export.files[BACKEND] == "\n".join(
        [
            "// Amplify Gen 2 auth exported from app app1, environment dev, by",
            "// amplify-auth-widgets.",
            *DEFINE_BACKEND,
            *POOL_OVERRIDES,
            'cfnUserPool.autoVerifiedAttributes = ["email", "phone_number"];',
            'cfnUserPool.smsVerificationMessage = "Code {####}";',
            "cfnUserPool.addPropertyOverride(",
            '  "VerificationMessageTemplate.SmsMessage",',
            '  "Code {####}",',
            ");",
            "cfnIdentityPool.allowUnauthenticatedIdentities = false;",
            *NATIVE,
            "",
        ]
    )
    assert (export.app_id, export.environment, export.resource_name) == ("app1", "dev", "")


def test_a_domain_alone_imports_its_type_and_says_why_it_is_set_in_backend_ts():
    request = small()
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"] = {"DomainPrefix": "my-login"}
    backend = gen2.export(request).files[BACKEND]
    lines = backend.splitlines()
    assert lines[2:7] == [
        'import { defineBackend } from "@aws-amplify/backend";',
        'import type { CfnUserPoolDomain } from "aws-cdk-lib/aws-cognito";',
        'import { auth } from "./auth/resource";',
        "",
        "const backend = defineBackend({ auth });",
    ]
    start = lines.index("// What defineAuth has no property for, set on the resources it creates.")
    assert lines[start - 1] == ""
    assert lines[start + 1 : start + 4] == [  # no override, so no cfnResources line
        "const { userPool } = backend.auth.resources;",
        'const domain = userPool.node.findChild("UserPoolDomain");',
        '(domain.node.defaultChild as CfnUserPoolDomain).domain = "my-login";',
    ]


def test_the_full_configurations_backend_sets_each_override_in_order():
    backend = gen2.export(valid_request()).files[BACKEND]
    assert "\n".join(backend.splitlines()[4:37]) == "\n".join(
        [
            'import { defineBackend } from "@aws-amplify/backend";',
            'import type { CfnUserPoolDomain } from "aws-cdk-lib/aws-cognito";',
            'import { OAuthScope } from "aws-cdk-lib/aws-cognito";',
            'import { auth } from "./auth/resource";',
            "",
            "const backend = defineBackend({ auth });",
            *POOL_OVERRIDES,
            'cfnUserPool.userPoolName = "main-users";',
            "cfnUserPool.policies = {",
            "  passwordPolicy: {",
            "    minimumLength: 10,",
            "    requireLowercase: false,",
            "    requireNumbers: true,",
            "    requireSymbols: false,",
            "    requireUppercase: true,",
            "  },",
            "};",
            'cfnIdentityPool.identityPoolName = "main_identity";',
            "cfnIdentityPool.allowUnauthenticatedIdentities = false;",
            "const { userPool } = backend.auth.resources;",
            'const domain = userPool.node.findChild("UserPoolDomain");',
            '(domain.node.defaultChild as CfnUserPoolDomain).domain = "main-app-login";',
            *NATIVE_OAUTH,
            "    flows: { authorizationCodeGrant: true },",
            "    scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],",
            '    callbackUrls: ["https://app.example.com/", "http://localhost:3000/"],',
            '    logoutUrls: ["https://app.example.com/signout/"],',
        ]
    )


def test_the_header_names_the_source_and_the_secrets_and_resource_ts_imports_secret():
    export = gen2.export(valid_request())
    resource = export.files[RESOURCE].splitlines()
    assert resource[:7] == [
        "// Amplify Gen 2 auth exported from app d1a2b3c4d5e6f7, environment staging,",
        "// Gen 1 auth resource mainauth, by amplify-auth-widgets.",
        "// Set each secret with `npx ampx sandbox secret set NAME` first:",
        "// GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET.",
        'import { defineAuth, secret } from "@aws-amplify/backend";',
        "",
        "export const auth = defineAuth({",
    ]
    # defineAuth's props in the order of Gen 2's documentation
    tops = [line[2:].split(":")[0] for line in resource if top_level(line)]
    assert tops == ["loginWith", "userAttributes", "multifactor"]
    assert export.secret_commands == [
        "npx ampx sandbox secret set GOOGLE_CLIENT_ID",
        "npx ampx sandbox secret set GOOGLE_CLIENT_SECRET",
    ]


def top_level(line: str) -> bool:
    return len(line) > 2 and line.startswith("  ") and line[2].isalpha()


def test_every_prop_is_written_in_documentation_order_whatever_the_mapping_made_first():
    request = valid_request()
    upc = request["ResourceConfig"]["UserPoolConfigs"]
    upc["ForgotPassword"] = {"DeliveryMethod": "EMAIL"}
    resource = gen2.export(request).files[RESOURCE]
    tops = [line[2:].split(":")[0] for line in resource.splitlines() if top_level(line)]
    assert tops == ["loginWith", "userAttributes", "multifactor", "accountRecovery"]


def test_long_names_wrap_at_76_columns_without_breaking_at_a_hyphen_and_commands_stay_whole():
    request = small()
    request.update(AppId="a" * 40 + "-" + "b" * 40, BackendEnvironmentName="dev")
    request["ResourceName"] = "x-y-z-" * 20
    lines = gen2.export(request).files[RESOURCE].splitlines()[:5]
    assert lines == [
        "// Amplify Gen 2 auth exported from app",
        "// " + "a" * 40 + "-" + "b" * 40 + ",",
        "// environment dev, Gen 1 auth resource",
        "// " + "x-y-z-" * 20 + ",",
        "// by amplify-auth-widgets.",
    ]
    backend = gen2.export(valid_request(), way="recreate", deployed=DEPLOYED).files[BACKEND]
    commands = [line for line in backend.splitlines() if line.startswith("// $ ")]
    assert [len(c) > 80 for c in commands] == [True, True]
    assert commands[0] == (
        "// $ aws cognito-idp describe-user-pool-client --region us-east-1 --user-pool-id "
        "us-east-1_AbC123xyZ --client-id abcdefghijklmnopqrstuvwxyz"
    )
    # the notes wrap at 76 characters after the comment's "// "
    header = backend.split("\nimport ")[0].splitlines()
    assert max(len(line) for line in header if not line.startswith("// $ ")) == 79


def test_the_text_is_each_file_under_its_name():
    export = gen2.export(small())
    assert export.text() == (
        f"// ==> {RESOURCE} <==\n{export.files[RESOURCE]}\n"
        f"// ==> {BACKEND} <==\n{export.files[BACKEND]}"
    )


def test_the_zip_holds_every_file_compressed():
    export = gen2.export(valid_request(), way="recreate", deployed=DEPLOYED)
    with zipfile.ZipFile(io.BytesIO(export.zip_bytes())) as archive:
        assert archive.namelist() == list(export.files)
        for info in archive.infolist():
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert archive.read(info).decode() == export.files[info.filename]


# -- the table ------------------------------------------------------------------------------


def rows_by_member(export):
    return {row["member"]: row for row in export.rows}


def test_members_no_one_places_are_rows_that_say_why(monkeypatch):
    request = small(Extra=[1, 2])
    request["ResourceConfig"]["UserPoolConfigs"]["Bogus"] = {"x": 1, "y": None}
    request["ResourceConfig"]["UserPoolConfigs"]["Mfa"] = {"Settings": {"SmsMessage": "c {####}"}}
    export = gen2.export(request)
    rows = rows_by_member(export)
    unknown = {"status": "not mapped", "file": "", "target": ""}
    assert rows["ResourceConfig.Extra"] == {
        "member": "ResourceConfig.Extra",
        "value": "1, 2",
        **unknown,
        "note": "the service model has no such member",
    }
    assert rows[f"{UPC}.Bogus.x"]["note"] == "the service model has no such member"
    assert f"{UPC}.Bogus.y" not in rows  # a None is no configured member
    assert rows[f"{UPC}.Mfa.Settings.SmsMessage"] == {
        "member": f"{UPC}.Mfa.Settings.SmsMessage",
        "value": "c {####}",
        **unknown,
        "note": "this exporter has no Gen 2 place for it; carry it across by hand",
    }
    assert export.unmapped() == [
        rows[f"{UPC}.Bogus.x"],
        rows[f"{UPC}.Mfa.Settings.SmsMessage"],
        rows["ResourceConfig.Extra"],
    ]
    assert list(export.frame().columns) == list(COLUMNS)
    assert export.frame().to_dict("records") == export.rows


def test_unsupported_rows_are_unmapped_too():
    request = small()
    request["ResourceConfig"]["UserPoolConfigs"]["Mfa"] = {
        "MFAMode": "OFF",
        "Settings": {"MfaTypes": ["SMS"]},
    }
    export = gen2.export(request)
    assert export.unmapped() == [
        {
            "member": f"{UPC}.Mfa.Settings.MfaTypes",
            "value": "SMS",
            "status": "not supported",
            "file": "",
            "target": "",
            "note": "MFA is OFF, so Cognito uses no MFA types",
        }
    ]


def test_values_are_shown_as_written_and_secrets_hidden_in_any_spelling():
    request = small(Service="COGNITO")
    upc = request["ResourceConfig"]["UserPoolConfigs"]
    upc["PasswordPolicy"] = {"MinimumLength": 12.0}
    upc["Mfa"] = {"MFAMode": "ON", "Settings": {"MfaTypes": ["SMS", "TOTP"]}}
    request["ResourceConfig"]["IdentityPoolConfigs"] = {
        "UnauthenticatedLogin": True,
        "IdentityPoolName": "pool",
    }
    request["ResourceConfig"]["ClientSecret"] = "hush"  # unknown to the model: by its name
    request["ResourceConfig"]["PrivateKey"] = {"inner": "hush too"}  # held under a secret name
    request["ResourceConfig"]["Ratio"] = 1.5
    upc["OAuth"] = {
        "SocialProviderSettings": {"Google": {"ClientId": "id", "ClientSecret": "s3cret"}}
    }
    values = {m: r["value"] for m, r in rows_by_member(gen2.export(request)).items()}
    assert values[f"{UPC}.PasswordPolicy.MinimumLength"] == "12"
    assert values[f"{UPC}.Mfa.Settings.MfaTypes"] == "SMS, TOTP"
    assert values["ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin"] == "true"
    assert values["ResourceConfig.ClientSecret"] == "<redacted>"
    assert values["ResourceConfig.PrivateKey.inner"] == "<redacted>"
    assert values["ResourceConfig.Ratio"] == "1.5"
    assert values[f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret"] == "<redacted>"
    assert values[f"{UPC}.OAuth.SocialProviderSettings.Google.ClientId"] == "id"
    request["ResourceConfig"]["IdentityPoolConfigs"]["UnauthenticatedLogin"] = False
    upc["OAuth"]["SocialProviderSettings"]["Google"]["ClientSecret"] = ""
    values = {m: r["value"] for m, r in rows_by_member(gen2.export(request)).items()}
    assert values["ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin"] == "false"
    # an empty secret shows as empty: there is nothing to hide, and it says one is missing
    assert values[f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret"] == ""


def test_the_export_keeps_its_way_its_deployed_auth_and_the_mappings_notes():
    export = gen2.export(valid_request(), way="keep", deployed=DEPLOYED)
    assert (export.way, export.deployed) == ("keep", DEPLOYED)
    assert export.resource_name == "mainauth"
    request = {"ResourceConfig": {"UserPoolConfigs": {"UserPoolName": "p"}}}
    export = gen2.export(request)
    assert export.notes == [
        "SignInMethod is not configured; Gen 2 needs one, so email sign-in is assumed."
    ]
    assert export.files[RESOURCE].splitlines()[2:4] == [
        "// SignInMethod is not configured; Gen 2 needs one, so email sign-in is",
        "// assumed.",
    ]


# -- writing --------------------------------------------------------------------------------


def test_writing_makes_the_folders_and_returns_each_path_in_order(tmp_path):
    export = gen2.export(small())
    target = tmp_path / "new" / "project"
    assert export.write(target) == [target / RESOURCE, target / BACKEND]
    for name, text in export.files.items():
        assert (target / name).read_text() == text
    assert sorted(os.listdir(target / "amplify")) == ["auth", "backend.ts"]  # no temp file
    assert os.listdir(target / "amplify" / "auth") == ["resource.ts"]


def test_files_are_made_with_the_usual_mode(tmp_path):
    old = os.umask(0o022)
    try:
        gen2.export(small()).write(tmp_path)
    finally:
        os.umask(old)
    for name in (RESOURCE, BACKEND):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


def test_what_is_written_is_said_file_by_file(tmp_path):
    export = gen2.export(small())
    (tmp_path / "amplify").mkdir()
    (tmp_path / BACKEND).write_text("// mine\n")
    done = export.write_files(tmp_path, force=True)
    assert done == [
        Written(tmp_path / RESOURCE, "created"),
        Written(tmp_path / BACKEND, "replaced", tmp_path / "amplify" / "backend.ts.bak"),
    ]
    assert export.write_files(tmp_path) == [
        Written(tmp_path / RESOURCE, "unchanged"),
        Written(tmp_path / BACKEND, "unchanged"),
    ]
    assert sorted(os.listdir(tmp_path / "amplify")) == ["auth", "backend.ts", "backend.ts.bak"]


def test_two_files_that_differ_are_both_named(tmp_path):
    export = gen2.export(small())
    for name in (RESOURCE, BACKEND):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("// mine\n")
    with pytest.raises(gen2.WriteRefused) as refused:
        export.write(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path / RESOURCE}, {tmp_path / BACKEND} already exist with other content (a "
        "project's backend.ts may define more than auth). Nothing was written: compare and "
        "merge by hand, or pass --force (force=True in Python) to replace, keeping a .bak copy."
    )
    (tmp_path / RESOURCE).write_text(export.files[RESOURCE])
    with pytest.raises(gen2.WriteRefused) as refused:
        export.write(tmp_path)
    assert str(refused.value).startswith(f"{tmp_path / BACKEND} already exists with other")


def test_a_backup_never_replaces_an_earlier_one(tmp_path):
    export = gen2.export(small())
    folder = tmp_path / "amplify"
    folder.mkdir()
    for name in ("backend.ts.bak", "backend.ts.bak.1"):
        (folder / name).write_text(name)
    (folder / "backend.ts").write_text("// mine\n")
    (folder / ".backend.ts.tmp").write_text("a temp file left by another\n")
    done = export.write_files(tmp_path, force=True)
    assert done[1].backup == folder / "backend.ts.bak.2"
    assert (folder / "backend.ts.bak.2").read_text() == "// mine\n"
    assert (folder / "backend.ts.bak").read_text() == "backend.ts.bak"
    assert (folder / ".backend.ts.tmp").read_text() == "a temp file left by another\n"
    assert (folder / "backend.ts").read_text() == export.files[BACKEND]


def test_a_thousand_backups_are_enough(tmp_path):
    export = gen2.export(small())
    folder = tmp_path / "amplify"
    folder.mkdir()
    (folder / "backend.ts").write_text("// mine\n")
    for n in range(1000):
        (folder / ("backend.ts.bak" + (f".{n}" if n else ""))).write_text("")
    with pytest.raises(gen2.WriteRefused) as refused:
        export.write(tmp_path, force=True)
    assert str(refused.value) == (
        "backend.ts.bak and backend.ts.bak.1 to backend.ts.bak.999 are all taken; clear some away."
    )
    assert (folder / "backend.ts").read_text() == "// mine\n"
    (folder / "backend.ts.bak.999").unlink()
    export.write(tmp_path, force=True)
    assert (folder / "backend.ts.bak.999").read_text() == "// mine\n"


def test_a_file_where_the_project_folder_should_be_is_refused(tmp_path):
    (tmp_path / "project").write_text("")
    with pytest.raises(gen2.WriteRefused) as refused:
        gen2.export(small()).write(tmp_path / "project", force=True)
    assert str(refused.value) == f"{tmp_path / 'project'} is not a folder; nothing was written."


def test_a_file_where_a_folder_of_the_export_should_be_is_refused(tmp_path):
    (tmp_path / "amplify").mkdir()
    (tmp_path / "amplify" / "auth").write_text("")
    with pytest.raises(gen2.WriteRefused) as refused:
        gen2.export(small()).write(tmp_path, force=True)
    assert str(refused.value) == (
        f"{tmp_path / 'amplify' / 'auth'} is not a folder, so {RESOURCE} cannot go under it."
    )
    assert os.listdir(tmp_path / "amplify") == ["auth"]


def test_a_target_that_is_no_regular_file_is_refused(tmp_path):
    (tmp_path / "amplify").mkdir()
    os.mkfifo(tmp_path / BACKEND)
    with pytest.raises(gen2.WriteRefused) as refused:
        gen2.export(small()).write(tmp_path, force=True)
    assert str(refused.value) == (
        f"{tmp_path / BACKEND} exists and is not a regular file; nothing was written."
    )


@pytest.mark.parametrize(
    ("link", "fix"),
    [("amplify", "replace the link by a folder"), (BACKEND, "remove the link")],
)
def test_a_link_is_refused_with_its_fix(tmp_path, link, fix):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "project" / "amplify").mkdir(parents=True, exist_ok=True)
    if link == "amplify":
        (tmp_path / "project" / "amplify").rmdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "project" / link)
    with pytest.raises(gen2.WriteRefused) as refused:
        gen2.export(small()).write(tmp_path / "project", force=True)
    assert str(refused.value) == (
        f"{tmp_path / 'project' / link} is a symbolic link; the export writes no file through "
        f"a link. Nothing was written: {fix}, or export elsewhere."
    )


def test_a_folder_that_turns_out_to_be_a_file_while_writing_is_refused(tmp_path):
    # the second file's folder is the first file: checked before anything was written, both
    # were to be created; when the second comes, its folder is a file
    export = Gen2Export(files={"a/x.ts": "1\n", "a/x.ts/y.ts": "2\n"}, rows=[], secrets=[])
    with pytest.raises(gen2.WriteRefused) as refused:
        export.write(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path / 'a' / 'x.ts'} is not a folder (or is a link): Not a directory."
    )
    assert (tmp_path / "a" / "x.ts").read_text() == "1\n"


def test_a_member_set_to_none_is_passed_over_and_the_next_ones_are_listed():
    # the model refuses None for its own members; one it does not know may hold it
    request = {
        "ResourceConfig": {
            "Bogus": None,
            "UserPoolConfigs": {"Bogus": None, "SignInMethod": "EMAIL", "UserPoolName": "p"},
            "Service": "COGNITO",
        }
    }
    members = [row["member"] for row in gen2.export(request).rows]
    assert members == [
        f"{UPC}.SignInMethod",
        f"{UPC}.UserPoolName",
        "ResourceConfig.Service",
        "AppClientID (native app client)",
    ]


def test_an_empty_table_still_has_its_columns():
    frame = Gen2Export(files={}, rows=[], secrets=[]).frame()
    assert list(frame.columns) == list(COLUMNS) and frame.empty


def test_write_files_refuses_a_file_that_differs_unless_forced(tmp_path):
    export = gen2.export(small())
    (tmp_path / "amplify").mkdir()
    (tmp_path / BACKEND).write_text("// mine\n")
    with pytest.raises(gen2.WriteRefused, match="already exists with other content"):
        export.write_files(tmp_path)
    assert (tmp_path / BACKEND).read_text() == "// mine\n"
    assert not (tmp_path / RESOURCE).exists()

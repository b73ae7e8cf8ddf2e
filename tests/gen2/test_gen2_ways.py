"""The two ways to Gen 2 that keep the users: ``keep`` (``referenceAuth`` to the deployed pool)
and ``recreate`` (a new pool and a user-migration trigger reading the old one).

The Python tests check what each way writes, says and refuses, with hostile ids; the toolchain
test type-checks, Prettier-checks and synthesizes both ways offline with the pinned Gen 2
toolchain, from ids the emulator deployed, and reads the CloudFormation templates.
"""

from __future__ import annotations

import dataclasses
import json
import shlex

import pytest
from conftest import valid_request
from support import toolchain
from support.deployed import DEPLOYED

from amplify_auth_widgets import BackendAuthService, gen2
from amplify_auth_widgets.core.deployed import DeployedAuth
from amplify_auth_widgets.gen2 import ways
from amplify_auth_widgets.gen2.trigger import ENVIRONMENT, HANDLER_TS, handler_source
from amplify_auth_widgets.gen2.typescript import string

RESOURCE, BACKEND, MIGRATE = gen2.RESOURCE_TS, gen2.BACKEND_TS, ways.MIGRATE_TS
REFERENCE = ("userPoolId", "identityPoolId", "userPoolClientId", "authRoleArn", "unauthRoleArn")

#: Every character that ends a string, a comment or a shell word somewhere.
HOSTILE = "x\"y'z\\w`${globalThis.PWNED = 1}\n// */ $(touch /tmp/pwned); \u2028end"
USER_POOL_ONLY = dataclasses.replace(
    DEPLOYED,
    identity_pool_id=None,
    identity_pool_name=None,
    auth_role_arn=None,
    unauth_role_arn=None,
)


def user_pool_only_request() -> dict:
    request = valid_request()
    request["ResourceConfig"]["AuthResources"] = "USER_POOL_ONLY"
    del request["ResourceConfig"]["IdentityPoolConfigs"]
    return request


def body(text: str) -> list[str]:
    """A file's lines without its header comment."""
    return [line for line in text.splitlines() if not line.startswith("//")]


def code(export) -> str:
    """The files without their header comments."""
    return "\n".join(
        line
        for text in export.files.values()
        for line in text.splitlines()
        if not line.startswith("//")
    )


# -- without a way: as before ----------------------------------------------------------------


def test_without_a_way_the_export_is_unchanged_and_deployed_only_adds_a_warning():
    plain = gen2.export(valid_request())
    assert plain.way is None and plain.deployed is None
    assert gen2.export(valid_request(), way=None).files == plain.files
    warned = gen2.export(valid_request(), deployed=DEPLOYED)
    assert warned.deployed is DEPLOYED and warned.rows == plain.rows
    assert code(warned) == code(plain)
    assert len(warned.notes) == len(plain.notes) + 1
    assert "NEW, EMPTY user pool: the users of us-east-1_AbC123xyZ do not move" in warned.notes[-1]
    assert "NEW, EMPTY" in warned.files[RESOURCE] and "NEW, EMPTY" not in plain.files[RESOURCE]


# -- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("way", gen2.WAYS)
def test_a_way_needs_the_deployed_auth(way):
    with pytest.raises(
        ValueError, match=rf"way='{way}' needs deployed.*deployed_auth\(app_id, env\)"
    ):
        gen2.export(valid_request(), way=way)


def test_an_unknown_way_is_refused_with_the_ways():
    with pytest.raises(ValueError, match=r"way must be 'keep' or 'recreate' \(or None.*not 'Keep'"):
        gen2.export(valid_request(), way="Keep", deployed=DEPLOYED)


def test_deployed_must_be_a_deployed_auth():
    with pytest.raises(TypeError, match=r"deployed must be a DeployedAuth .* not dict"):
        gen2.export(valid_request(), way="keep", deployed=DEPLOYED.as_dict())


def test_keep_is_refused_without_an_identity_pool_and_recreate_is_the_fix():
    with pytest.raises(gen2.WayRefused) as refused:
        gen2.export(user_pool_only_request(), way="keep", deployed=USER_POOL_ONLY)
    message = str(refused.value)
    assert isinstance(refused.value, ValueError)
    assert "referenceAuth" in message and "identity pool" in message
    assert "USER_POOL_ONLY" in message and "Use way='recreate'" in message
    # the recreate way takes the same environment
    assert (
        gen2.export(user_pool_only_request(), way="recreate", deployed=USER_POOL_ONLY).way
        == "recreate"
    )


@pytest.mark.parametrize("missing", ["identity_pool_id", "auth_role_arn", "unauth_role_arn"])
def test_keep_names_the_missing_part(missing):
    deployed = dataclasses.replace(DEPLOYED, **{missing: None})
    with pytest.raises(gen2.WayRefused) as refused:
        gen2.export(valid_request(), way="keep", deployed=deployed)
    label = missing.removesuffix("_id").removesuffix("_arn").replace("_", " ")
    assert f"has no {label}" in str(refused.value)
    assert "Use way='recreate'" in str(refused.value)


def test_keep_is_refused_when_the_configuration_is_user_pool_only():
    with pytest.raises(gen2.WayRefused, match="the environment is USER_POOL_ONLY"):
        gen2.export(user_pool_only_request(), way="keep", deployed=DEPLOYED)


@pytest.mark.parametrize("way", gen2.WAYS)
def test_both_ways_need_the_web_client(way):
    deployed = dataclasses.replace(DEPLOYED, web_client_id=None)
    with pytest.raises(gen2.WayRefused, match=r"web app client \(AppClientIDWeb\) of mainauth"):
        gen2.export(valid_request(), way=way, deployed=deployed)


# -- keep ------------------------------------------------------------------------------------


def test_keep_references_the_deployed_pool_and_writes_no_configuration():
    export = gen2.export(valid_request(), way="keep", deployed=DEPLOYED)
    assert (export.way, export.deployed) == ("keep", DEPLOYED)
    assert list(export.files) == [RESOURCE, BACKEND]
    resource, backend = export.files[RESOURCE], export.files[BACKEND]
    assert 'import { referenceAuth } from "@aws-amplify/backend";' in resource
    for prop, value in (
        ("userPoolId", DEPLOYED.user_pool_id),
        ("identityPoolId", DEPLOYED.identity_pool_id),
        ("userPoolClientId", DEPLOYED.web_client_id),
        ("authRoleArn", DEPLOYED.auth_role_arn),
        ("unauthRoleArn", DEPLOYED.unauth_role_arn),
    ):
        assert (
            f"  {prop}: {string(value)}," in resource
            or f"  {prop}:\n    {string(value)}," in resource
        )
    assert DEPLOYED.native_client_id not in export.text()  # the native client has a secret in Gen 1
    for absent in ("defineAuth", "secret(", "cfnResources", "main-users", "GOOGLE"):
        assert absent not in code(export)
    assert backend.endswith('import { auth } from "./auth/resource";\n\ndefineBackend({ auth });\n')
    assert export.secrets == [] and export.secret_commands == []


def test_keep_says_what_it_means():
    export = gen2.export(valid_request(), way="keep", deployed=DEPLOYED)
    notes = " ".join(export.notes)
    assert "Users, passwords and sessions stay" in notes
    assert "settings stay managed outside Gen 2" in notes and "Gen 2 cannot change them" in notes
    assert "Do not delete the Gen 1 environment" in notes
    header = export.files[RESOURCE].split("import")[0]
    assert "Gen 2 cannot change them" in header and "referenceAuth" in header
    table = export.frame()
    way = table[table.status == ways.WAY].set_index("member")
    assert way.loc["way", "value"] == "keep" and "cannot change" in way.loc["way", "note"]
    assert way.loc["deployed.web_client_id", "target"] == "userPoolClientId"
    assert way.loc["deployed.user_pool_id", "value"] == DEPLOYED.user_pool_id
    config = table[~table.member.str.startswith(("way", "deployed."))]
    assert set(config.status) == {ways.KEPT, "source"}  # nothing of the configuration is code
    assert (config[config.status == ways.KEPT].file == "").all()
    secret = config.set_index("member").loc[
        "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"
    ]
    assert secret.value == "<redacted>"


# -- recreate --------------------------------------------------------------------------------


def test_recreate_adds_the_migration_trigger_with_the_old_pool():
    export = gen2.export(valid_request(), way="recreate", deployed=DEPLOYED)
    plain = gen2.export(valid_request())
    assert list(export.files) == [RESOURCE, BACKEND, MIGRATE, HANDLER_TS]
    assert export.files[HANDLER_TS] == handler_source()
    resource = export.files[RESOURCE]
    assert 'import { migrateUsers } from "./migrate-users/resource";' in resource
    assert "  triggers: { userMigration: migrateUsers },\n});" in resource
    # the configuration is mapped as without a way, the trigger added
    ours = [
        'import { migrateUsers } from "./migrate-users/resource";',
        "  triggers: { userMigration: migrateUsers },",
    ]
    assert [line for line in body(resource) if line not in ours] == body(plain.files[RESOURCE])
    backend = body(export.files[BACKEND])
    start = backend.index("const backend = defineBackend({ auth, migrateUsers });")
    assert backend[start - 3 : start - 1] == [
        'import { PolicyStatement } from "aws-cdk-lib/aws-iam";',
        'import { migrateUsers } from "./auth/migrate-users/resource";',
    ]
    del backend[start - 3 : start - 1]
    backend[start - 2] = "const backend = defineBackend({ auth });"
    assert backend[: len(body(plain.files[BACKEND]))] == body(plain.files[BACKEND])
    function = export.files[MIGRATE]
    assert 'name: "migrate-users",' in function and 'entry: "./handler.ts",' in function
    values = (DEPLOYED.user_pool_id, DEPLOYED.web_client_id, DEPLOYED.region)
    for name, value in zip(ENVIRONMENT, values, strict=True):
        assert f"    {name}: {string(value)},\n" in function
    assert export.secret_commands == plain.secret_commands  # the new pool needs them again


def test_recreate_grants_exactly_two_actions_and_allows_the_password_flow():
    backend = gen2.export(valid_request(), way="recreate", deployed=DEPLOYED).files[BACKEND]
    assert "const backend = defineBackend({ auth, migrateUsers });" in backend
    assert 'import { PolicyStatement } from "aws-cdk-lib/aws-iam";' in backend
    assert 'import { migrateUsers } from "./auth/migrate-users/resource";' in backend
    policy = backend.split("new PolicyStatement({")[1].split("});")[0]
    assert policy.split() == [
        "actions:",
        '["cognito-idp:AdminInitiateAuth",',
        '"cognito-idp:AdminGetUser"],',
        "resources:",
        "[",
        string(DEPLOYED.user_pool_arn) + ",",
        "],",
    ]
    assert "backend.migrateUsers.resources.lambda.addToRolePolicy(readOldPool);" in backend
    assert (
        "appClient.explicitAuthFlows = [\n  ...(appClient.explicitAuthFlows ?? []),\n"
        '  "ALLOW_USER_PASSWORD_AUTH",\n];\n'
    ) in backend


def test_recreate_says_how_to_sign_in_what_stays_behind_and_what_to_change_first():
    export = gen2.export(valid_request(), way="recreate", deployed=DEPLOYED)
    notes = "\n".join(export.notes)
    assert 'authFlowType: "USER_PASSWORD_AUTH"' in notes and "never with SRP" in notes
    assert "MFA devices and TOTP secrets" in notes and "social identities relink" in notes
    assert "ALLOW_ADMIN_USER_PASSWORD_AUTH" in notes
    assert "update-user-pool-client resets every setting it is not given" in notes
    describe, update = gen2.old_client_commands(DEPLOYED)
    assert f"$ {describe}" in export.notes and f"$ {update}" in export.notes
    header = export.files[BACKEND].split("\nimport")[0].splitlines()
    assert f"// $ {update}" in header  # a command stays on one line, to be copied whole
    assert "// us-east-1_AbC123xyZ at their first sign-in" in "\n".join(header)  # not split at "-"
    table = export.frame().set_index("member")
    assert table.loc["way", "value"] == "recreate"
    assert table.loc["deployed.user_pool_arn", "target"] == "readOldPool.resources"
    assert table.loc["deployed.web_client_id", "target"] == "OLD_USER_POOL_CLIENT_ID"
    assert table.loc["way.explicitAuthFlows", "value"] == "ALLOW_USER_PASSWORD_AUTH"


def test_the_old_client_commands_quote_every_value():
    hostile = dataclasses.replace(
        DEPLOYED, region=HOSTILE + "r", user_pool_id=HOSTILE + "p", web_client_id=HOSTILE + "c"
    )
    describe, update = gen2.old_client_commands(hostile)
    where = [
        "--region",
        HOSTILE + "r",
        "--user-pool-id",
        HOSTILE + "p",
        "--client-id",
        HOSTILE + "c",
    ]
    assert shlex.split(describe) == ["aws", "cognito-idp", "describe-user-pool-client", *where]
    assert shlex.split(update) == [
        "aws",
        "cognito-idp",
        "update-user-pool-client",
        *where,
        "--explicit-auth-flows",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    ]


@pytest.mark.parametrize("way", gen2.WAYS)
def test_hostile_ids_are_string_literals_and_stay_in_comments(way):
    fields = {f.name: HOSTILE + f.name for f in dataclasses.fields(DeployedAuth)}
    export = gen2.export(valid_request(), way=way, deployed=DeployedAuth(**fields))
    placed = ways.REFERENCE if way == "keep" else ("user_pool_id", "web_client_id", "region")
    for name in placed:
        assert string(fields[name]) in export.text(), name
    if way == "recreate":
        assert string(fields["user_pool_arn"]) in export.files[BACKEND]
    for name, text in export.files.items():
        if name == HANDLER_TS:
            continue
        header, _, rest = text.partition("\nimport ")
        assert all(line.startswith("//") for line in header.splitlines()), name
        for value in fields.values():  # each value is in the code only as a string literal
            rest = rest.replace(string(value), "")
        assert "PWNED" not in rest and "pwned" not in rest, name
    for line in export.text().splitlines():
        assert "\u2028" not in line and "\r" not in line


def test_a_recreated_export_writes_its_trigger_folder(tmp_path):
    export = gen2.export(valid_request(), way="recreate", deployed=DEPLOYED)
    written = export.write(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(export.files)
    assert (tmp_path / HANDLER_TS).read_text() == handler_source()


# -- the Gen 2 toolchain: type-check, Prettier, synthesis --------------------------------------


def deployed_by_the_emulator(emulator, request: dict) -> DeployedAuth:
    service = BackendAuthService(emulator.connection())
    app_id = emulator.create_app("moving-app", (request["BackendEnvironmentName"],))
    request["AppId"] = app_id
    service.create_backend_auth(request)
    emulator.clock.advance(5)  # the auth job completes: the environment's outputs exist
    deployed = service.deployed_auth(app_id, request["BackendEnvironmentName"])
    assert deployed is not None
    return deployed


def lambda_function(folder, name: str) -> dict:
    found = [
        f
        for f in toolchain.typed(folder, "AWS::Lambda::Function")
        if "migrate-users" in json.dumps(f.get("Tags", []))
    ]
    assert len(found) == 1, found
    return found[0]


def check_keep(folder, deployed: DeployedAuth) -> None:
    template = toolchain.auth_template(folder)
    assert not toolchain.resources(template, "UserPool")  # no pool is made
    (reference,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "Custom::AmplifyRefAuth"
    ]
    assert {k: reference[k] for k in REFERENCE} == {
        "userPoolId": deployed.user_pool_id,
        "identityPoolId": deployed.identity_pool_id,
        "userPoolClientId": deployed.web_client_id,
        "authRoleArn": deployed.auth_role_arn,
        "unauthRoleArn": deployed.unauth_role_arn,
    }


def check_recreate(folder, deployed: DeployedAuth) -> None:
    function = lambda_function(folder, "migrate-users")
    variables = function["Environment"]["Variables"]
    values = (deployed.user_pool_id, deployed.web_client_id, deployed.region)
    assert {n: variables[n] for n in ENVIRONMENT} == dict(zip(ENVIRONMENT, values, strict=True))
    role = function["Role"]["Fn::GetAtt"][0]
    policies = [
        p for p in toolchain.typed(folder, "AWS::IAM::Policy") if {"Ref": role} in p["Roles"]
    ]
    assert [p["PolicyDocument"]["Statement"] for p in policies] == [
        [
            {
                "Action": ["cognito-idp:AdminInitiateAuth", "cognito-idp:AdminGetUser"],
                "Effect": "Allow",
                "Resource": deployed.user_pool_arn,
            }
        ]
    ]
    template = toolchain.auth_template(folder)
    (pool,) = toolchain.resources(template, "UserPool")
    assert "migrateuserslambda" in json.dumps(pool["LambdaConfig"]["UserMigration"])
    (client,) = [
        r["Properties"]
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::Cognito::UserPoolClient" and "NativeAppClient" not in name
    ]
    # Gen 2's own flows are kept, and the password flow the trigger needs is added
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
    }


@pytest.mark.skipif(
    not toolchain.installed(),
    reason="the Gen 2 toolchain is not installed: run `make gen2-toolchain` (make test does)",
)
@pytest.mark.timeout(900)
def test_both_ways_type_check_and_synthesize_with_the_gen2_toolchain(tmp_path, emulator):
    deployed = deployed_by_the_emulator(emulator, valid_request())
    only = user_pool_only_request()
    only["BackendEnvironmentName"] = "solo"
    deployed_only = deployed_by_the_emulator(emulator, only)
    assert not deployed_only.has_identity_pool
    hostile = dataclasses.replace(
        deployed, user_pool_id=HOSTILE, web_client_id=HOSTILE + "c", region=HOSTILE + "r"
    )
    cases = {
        "keep": ("keep", valid_request(), deployed),
        "recreate": ("recreate", valid_request(), deployed),
        "recreate-pool-only": ("recreate", only, deployed_only),
        "recreate-hostile": ("recreate", valid_request(), hostile),
    }
    exports = {n: gen2.export(r, way=w, deployed=d) for n, (w, r, d) in cases.items()}
    folders = toolchain.checked(tmp_path, exports)
    for folder in folders:
        way, _, deployed_auth = cases[folder.name]
        (check_keep if way == "keep" else check_recreate)(folder, deployed_auth)

"""The user-migration trigger's handler, run against moto's Cognito as the old (Gen 1) pool.

moto runs in server mode on 127.0.0.1 (a free port) with an old pool, its client and users made
by boto3; the generated handler runs under the Gen 2 toolchain's tsx, its AWS SDK pointed at
moto by ``AWS_ENDPOINT_URL``, with every case in one Node process. One ``tsc --noEmit`` and one
Prettier run check the handler, a hostile list of custom attributes included. The literal
tests need no toolchain.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import toolchain

from amplify_auth_widgets.gen2.trigger import (
    ENVIRONMENT,
    HANDLER_TS,
    STANDARD_ATTRIBUTES,
    custom_names,
    handler_source,
)

needs_toolchain = pytest.mark.skipif(
    not toolchain.installed(),
    reason="the Gen 2 toolchain is not installed: run `make gen2-toolchain` (make test does)",
)

REGION = "us-east-1"
PASSWORD = "Old-Pool-Passw0rd!"
WRONG = "Not-The-Passw0rd?"
TEMPORARY = "Temp-Passw0rd-By-Admin!"
SIGN_IN_FAILED = "Incorrect username or password."
NO_SUCH_USER = "User does not exist."
ALICE = {
    "email": "alice@example.com",
    "email_verified": "true",
    "name": "Alice Liddell",
    "custom:tier": "gold",
    "custom:legacy": "gen1-only",
}
#: Names that would end a string, a template or a comment if written as they are.
HOSTILE = [
    '"]); globalThis.PWNED = 1; (["',
    "'; globalThis.PWNED = 1; '",
    "${globalThis.PWNED}`",
    "line\nbreak\r\u2028\u2029",
    "*/ // \\ end \\",
    "nul\x00 del\x7f lone\ud800",
]


# -- the literal: Python only ---------------------------------------------------------------


HEAD = "const CUSTOM_ATTRIBUTES: string[] = "


def custom_block(source: str) -> tuple[str, str]:
    """The array literal of ``CUSTOM_ATTRIBUTES`` and the source with it taken out."""
    start = source.index(HEAD) + len(HEAD)
    end = source.index("];\n", start) + 1
    return source[start:end], source[:start] + source[end:]


def read_back(array: str) -> list[str]:
    """The array's strings read as Python reads them: the escapes the export writes
    (``\\uXXXX``, ``\\n``, ``\\"`` and the like) mean the same in both languages, and a list
    literal (trailing comma included) is written alike."""
    values = ast.literal_eval(array)
    assert isinstance(values, list) and all(isinstance(v, str) for v in values), array
    return values


def test_hostile_custom_attribute_names_land_literally():
    source = handler_source(HOSTILE)
    array, rest = custom_block(source)
    assert read_back(array) == ["custom:" + name for name in HOSTILE]
    # nothing but the list changed: the code around it is the same as with a plain name
    plain = [f"plain-name-{i}" for i in range(len(HOSTILE))]
    plain_array, plain_rest = custom_block(handler_source(plain))
    assert rest == plain_rest and read_back(plain_array) == custom_names(plain)
    for bad in ("\r", "\x00", "\u2028", "\ud800"):
        assert bad not in source
    # one line an element: a line break in a name is an escape, not a line
    assert array.count("\n") == len(HOSTILE) + 1


@given(st.lists(st.text(min_size=1), max_size=4))
def test_any_names_read_back_as_given(names):
    names = [n for n in names if n.removeprefix("custom:")]
    array, _ = custom_block(handler_source(names))
    assert read_back(array) == custom_names(names)


def test_names_take_the_custom_prefix_once_and_in_order():
    assert custom_names(["tier", "custom:tier", "custom:plan", "plan"]) == [
        "custom:tier",
        "custom:plan",
    ]
    assert custom_block(handler_source())[0] == "[]"
    assert 'const CUSTOM_ATTRIBUTES: string[] = ["custom:tier"];' in handler_source(["tier"])


@pytest.mark.parametrize(
    ("value", "error", "says"),
    [
        ("tier", TypeError, "custom_attributes is one string: pass a list of names, such as"),
        (["ok", 3], TypeError, "custom_attributes[1] is a int: pass each custom attribute's"),
        (["custom:"], ValueError, "custom_attributes[0] names no attribute: pass a name"),
        ([""], ValueError, "custom_attributes[0] names no attribute"),
    ],
)
def test_bad_custom_attributes_are_refused_by_name(value, error, says):
    with pytest.raises(error) as raised:
        handler_source(value)
    assert str(raised.value).startswith(says)


def test_the_handler_reads_the_agreed_environment():
    source = handler_source()
    pool, client, region = ENVIRONMENT
    assert f'UserPoolId: setting("{pool}")' in source
    assert f'ClientId: setting("{client}")' in source
    assert f"region: process.env.{region}," in source
    standard = source.split("const STANDARD_ATTRIBUTES = ", 1)[1].split(";", 1)[0]
    assert read_back(standard) == list(STANDARD_ATTRIBUTES)
    assert not {"sub", "identities"} & set(STANDARD_ATTRIBUTES)


# -- the old pool: moto's Cognito on 127.0.0.1 ----------------------------------------------


@pytest.fixture(scope="module")
def old_pool() -> Iterator[dict[str, str]]:
    """moto's server with an old pool, its client and three users; stopped at the end."""
    boto3 = pytest.importorskip("boto3")
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        cognito = boto3.client(
            "cognito-idp",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        yield {"url": url, **make_pool(cognito)}
    finally:
        server.stop()


def make_pool(cognito: Any) -> dict[str, str]:
    custom = [
        {"Name": n, "AttributeDataType": "String", "Mutable": True} for n in ("tier", "legacy")
    ]
    pool = cognito.create_user_pool(PoolName="gen1-auth-dev", Schema=custom)["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    attributes = [{"Name": k, "Value": v} for k, v in ALICE.items()]
    cognito.admin_create_user(
        UserPoolId=pool, Username="alice", UserAttributes=attributes, MessageAction="SUPPRESS"
    )
    cognito.admin_set_user_password(
        UserPoolId=pool, Username="alice", Password=PASSWORD, Permanent=True
    )
    # bob still holds the temporary password an administrator gave him
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="bob",
        TemporaryPassword=TEMPORARY,
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
        MessageAction="SUPPRESS",
    )
    held = cognito.admin_get_user(UserPoolId=pool, Username="alice")["UserAttributes"]
    return {"pool": pool, "client": client, "held": " ".join(a["Name"] for a in held)}


# -- the handler under tsx ------------------------------------------------------------------

RUNNER = """\
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = {};
for (const { name, project, event, env } of cases) {
  const file = resolve(project, "HANDLER_TS");
  const { handler } = await import(pathToFileURL(file).href);
  const saved = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === null) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    results[name] = { result: await handler(event, {}, () => {}) };
  } catch (error) {
    results[name] = { error: String(error?.message), type: String(error?.name) };
  }
  process.env = saved;
}
process.stdout.write(JSON.stringify(results));
""".replace("HANDLER_TS", HANDLER_TS)

#: The projects: the handler with custom:tier listed, with no custom attribute, and hostile.
PROJECTS = {"listed": ["tier"], "bare": [], "hostile": HOSTILE}


def event(source: str, user: str, password: str | None = None) -> dict[str, Any]:
    """A user-migration event as Cognito sends it to the new pool's trigger."""
    request: dict[str, Any] = {"validationData": None, "clientMetadata": None}
    if password is not None:
        request["password"] = password
    return {
        "version": "1",
        "triggerSource": source,
        "region": REGION,
        "userPoolId": "us-east-1_NewPool01",
        "userName": user,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "new-client"},
        "request": request,
        "response": {
            "userAttributes": None,
            "forceAliasCreation": None,
            "enableSMSMFA": None,
            "finalUserStatus": None,
            "messageAction": None,
            "desiredDeliveryMediums": None,
        },
    }


SIGN_IN = "UserMigration_Authentication"
FORGOT = "UserMigration_ForgotPassword"
#: Each case: the project, the event, and what to change in the environment (None: unset).
CASES: dict[str, tuple[Any, ...]] = {
    "right": ("listed", event(SIGN_IN, "alice", PASSWORD)),
    "right-bare": ("bare", event(SIGN_IN, "alice", PASSWORD)),
    "wrong": ("listed", event(SIGN_IN, "alice", WRONG)),
    "unknown": ("listed", event(SIGN_IN, "nobody", PASSWORD)),
    "temporary": ("listed", event(SIGN_IN, "bob", TEMPORARY)),
    "forgot": ("listed", event(FORGOT, "alice")),
    "forgot-unknown": ("listed", event(FORGOT, "nobody")),
    "other": ("listed", event("PreSignUp_SignUp", "alice", PASSWORD)),
    "no-pool": ("listed", event(SIGN_IN, "alice", PASSWORD), {"OLD_USER_POOL_ID": None}),
    "no-client": ("listed", event(SIGN_IN, "alice", PASSWORD), {"OLD_USER_POOL_CLIENT_ID": ""}),
    "not-a-client": (
        "listed",
        event(SIGN_IN, "alice", PASSWORD),
        {"OLD_USER_POOL_CLIENT_ID": "no-such-client"},
    ),
}


def node_env(old_pool: dict[str, str], home: Path) -> dict[str, str]:
    """The environment of the Node process: no AWS setting of this machine (profile, config
    files, endpoints), dummy keys, and the SDK pointed at moto on 127.0.0.1 only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env.update(
        AWS_ENDPOINT_URL=old_pool["url"],
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_REGION=REGION,
        AWS_CONFIG_FILE=str(home / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        NODE_NO_WARNINGS="1",
    )
    env.update(zip(ENVIRONMENT, (old_pool["pool"], old_pool["client"], REGION), strict=True))
    assert all("amazonaws" not in v for k, v in env.items() if k.startswith("AWS_"))
    return env


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One root with a Gen 2 project a handler (see ``PROJECTS``) and the runner."""
    root = tmp_path_factory.mktemp("migrate-users")
    toolchain.prepare(root, {})
    for name, custom in PROJECTS.items():
        file = root / name / HANDLER_TS
        file.parent.mkdir(parents=True)
        file.write_text(handler_source(custom))
    (root / "runner.mjs").write_text(RUNNER)
    return root


@pytest.fixture(scope="module")
def results(project: Path, old_pool: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every case of ``CASES`` through the handlers in one tsx process."""
    cases = [
        {"name": n, "project": p, "event": e, "env": rest[0] if rest else {}}
        for n, (p, e, *rest) in CASES.items()
    ]
    (project / "cases.json").write_text(json.dumps(cases))
    run = subprocess.run(
        [str(toolchain.BIN / "tsx"), "runner.mjs", "cases.json"],
        cwd=project,
        env=node_env(old_pool, project),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def response(results: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    assert "result" in results[name], results[name]
    return results[name]["result"]["response"]


@needs_toolchain
def test_the_right_password_moves_the_user_confirmed_and_silent(results, old_pool):
    got = response(results, "right")
    assert "sub" in old_pool["held"].split()  # the old pool has one to leave out
    assert got["finalUserStatus"] == "CONFIRMED"
    assert got["messageAction"] == "SUPPRESS"
    # sub and the custom attribute the new pool lacks stay behind; the verified flag moves
    assert got["userAttributes"] == {k: v for k, v in ALICE.items() if k != "custom:legacy"}


@needs_toolchain
def test_a_custom_attribute_moves_only_when_listed(results):
    got = response(results, "right-bare")
    assert got["userAttributes"] == {k: v for k, v in ALICE.items() if not k.startswith("custom:")}
    assert got["finalUserStatus"] == "CONFIRMED"


@needs_toolchain
@pytest.mark.parametrize("case", ["wrong", "unknown"])
def test_a_refused_sign_in_throws_without_the_password(results, case):
    assert results[case] == {"error": SIGN_IN_FAILED, "type": "Error"}
    assert WRONG not in json.dumps(results[case]) and PASSWORD not in json.dumps(results[case])


@needs_toolchain
def test_a_temporary_password_moves_the_user_to_reset_it(results):
    got = response(results, "temporary")
    assert got["finalUserStatus"] == "RESET_REQUIRED"
    assert got["userAttributes"] == {"email": "bob@example.com"}


@needs_toolchain
def test_a_forgotten_password_moves_the_user_for_cognito_to_send_the_code(results):
    got = response(results, "forgot")
    assert got["messageAction"] == "SUPPRESS"
    assert got["finalUserStatus"] is None
    assert got["userAttributes"]["email"] == ALICE["email"]
    assert "sub" not in got["userAttributes"] and "custom:legacy" not in got["userAttributes"]
    assert results["forgot-unknown"] == {"error": NO_SUCH_USER, "type": "Error"}


@needs_toolchain
def test_another_trigger_source_gets_its_event_back_unchanged(results):
    assert results["other"] == {"result": CASES["other"][1]}


@needs_toolchain
def test_the_handlers_type_check_and_are_laid_out_as_prettier_does(project):
    checked = toolchain.typecheck(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    laid_out = toolchain.prettier_check(project)
    assert laid_out.returncode == 0, laid_out.stdout + laid_out.stderr


@needs_toolchain
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no-pool", "The migration trigger needs OLD_USER_POOL_ID in its environment."),
        ("no-client", "The migration trigger needs OLD_USER_POOL_CLIENT_ID in its environment."),
        # any other refusal is named, never passed on with the old pool's message
        ("not-a-client", "The old user pool could not answer (ResourceNotFoundException)."),
    ],
)
def test_a_missing_or_wrong_setting_is_named(results, case, message):
    assert results[case] == {"error": message, "type": "Error"}

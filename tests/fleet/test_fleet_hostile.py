"""The fleet never fails whole: malformed answers of the service become the error of their own
row and the audit goes on; a targets list that names a target twice sends it once; a targets
CSV whose rows do not fit its header, a folder, an unreadable or non-UTF-8 file are refused
with the file, the line and the fix (exit 252)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from typing import Any
from urllib.parse import unquote

import pandas as pd
import pytest
from conftest import BIN, LocalServer, QuietHandler, aws_env, serving, sign_as_emulator

from amplify_auth_widgets import (
    BackendAuthService,
    Connection,
    JobHistory,
    JobTracker,
    TrackerPolicy,
)
from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.inventory import Fleet

#: An auth configuration as the service answers it (its members' wire names).
WIRE_CONFIG = {
    "authResources": "USER_POOL_ONLY",
    "service": "COGNITO",
    "userPoolConfigs": {
        "requiredSignUpAttributes": ["EMAIL"],
        "signInMethod": "EMAIL",
        "userPoolName": "pool",
        "mfa": {"MFAMode": "OFF"},
    },
}
GOOD_META = json.dumps({"auth": {"auth1": {"service": "Cognito"}}})


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    """The CLI signs with these, as a user's configuration would give them."""
    sign_as_emulator(monkeypatch)


class HostileService(LocalServer):
    """Amplify and AmplifyBackend on 127.0.0.1, answering the calls an audit makes with the
    crafted items given: ``apps`` (ListApps), ``environments[app_id]`` (ListBackendEnvironments),
    ``meta[(app_id, environment)]`` (GetBackend's AmplifyMetaConfig, GOOD_META when not given)
    and ``configs[(app_id, environment)]`` (GetBackendAuth's ResourceConfig, WIRE_CONFIG)."""

    def __init__(
        self,
        apps: list[Any],
        environments: dict[str, list[Any]],
        meta: dict[tuple[str, str], Any] | None = None,
        configs: dict[tuple[str, str], Any] | None = None,
    ) -> None:
        super().__init__(_HostileHandler)
        self.apps, self.environments = apps, environments
        self.meta, self.configs = meta or {}, configs or {}

    def fleet(self) -> Fleet:
        return Fleet(BackendAuthService(Connection.for_emulator(self.url, max_attempts=1)))


class _HostileHandler(QuietHandler):
    server: HostileService

    def send(self, data: dict[str, Any]) -> None:
        self.answer(200, json.dumps(data).encode(), [("Content-Type", "application/json")])

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        found = re.fullmatch(r"/apps/([^/]+)/backendenvironments", path)
        if found:
            self.send({"backendEnvironments": self.server.environments[unquote(found[1])]})
        elif path == "/apps":
            self.send({"apps": self.server.apps})
        else:
            self.answer(404, b"{}", [("x-amzn-ErrorType", "NotFoundException")])

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"] or 0)) or b"{}")
        backend = re.fullmatch(r"/backend/([^/]+)/details", self.path)
        auth = re.fullmatch(r"/backend/([^/]+)/auth/([^/]+)/details", self.path)
        if backend:  # GetBackend: the environment in the body
            key = (unquote(backend[1]), body["backendEnvironmentName"])
            self.send({"amplifyMetaConfig": self.server.meta.get(key, GOOD_META)})
        elif auth:  # GetBackendAuth: the environment in the path
            key = (unquote(auth[1]), unquote(auth[2]))
            self.send({"resourceConfig": self.server.configs.get(key, WIRE_CONFIG)})
        else:
            self.answer(404, b"{}", [("x-amzn-ErrorType", "NotFoundException")])


def audit_rows(server: HostileService, *options: str) -> tuple[int, list[dict[str, Any]], str]:
    """``amplify-auth fleet audit --output json`` against ``server``, as a user runs it."""
    out, err = io.StringIO(), io.StringIO()
    argv = ["fleet", "audit", "--endpoint-url", server.url, "--no-progress"]
    code = main([*argv, "--output", "json", *options], out, err)
    return code, (json.loads(out.getvalue()) if out.getvalue().strip() else []), err.getvalue()


def by_target(rows: list[dict[str, Any]]) -> dict[tuple[Any, Any], list[str | None]]:
    found: dict[tuple[Any, Any], list[str | None]] = {}
    for row in rows:
        found.setdefault((row["app_id"], row["environment"]), []).append(row["error"])
    return found


def test_malformed_apps_environments_and_meta_configs_are_each_their_own_rows_error():
    service = HostileService(
        apps=[
            {"appId": "d1good", "name": "good"},
            {"name": "idless"},  # no appId
            {"appId": 7, "name": "numbered"},  # an appId of the wrong type
            {"appId": "d2other", "name": "other"},
            {"appId": "d1good", "name": "good"},  # listed twice: audited once
        ],
        environments={
            "d1good": [
                {"environmentName": "dev"},
                {"environmentName": "meta-object"},
                {"environmentName": "meta-text"},
                {"environmentName": "meta-list"},
                {"environmentName": "auth-list"},
                {"environmentName": "no-meta"},
                {"createTime": "2024-01-01"},  # no environmentName
                {"environmentName": 5},  # a name of the wrong type
            ],
            "d2other": [{"environmentName": "prod"}],
        },
        meta={
            ("d1good", "meta-object"): {"auth": {"auth1": {}}},  # an object, not JSON text
            ("d1good", "meta-text"): "not json {",
            ("d1good", "meta-list"): "[1, 2]",
            ("d1good", "auth-list"): json.dumps({"auth": ["auth1"]}),
            ("d1good", "no-meta"): "{}",  # no auth: a value, not an error
        },
    )
    with serving(service):
        code, rows, err = audit_rows(service)
        # a filter by app name still finds an app without an id, and only it
        filtered = audit_rows(service, "--apps", "idless")
    assert filtered[0] == 0 and [r["app_name"] for r in filtered[1]] == ["idless"]
    assert code == 0, err
    found = by_target(rows)
    # the well-formed targets, of both apps, are audited in full
    assert found[("d1good", "dev")] == [None] and found[("d2other", "prod")] == [None]
    configured = {(r["app_id"], r["environment"]): r["configured"] for r in rows}
    assert configured[("d1good", "dev")] and configured[("d2other", "prod")]
    assert found[("d1good", "no-meta")] == [None] and not configured[("d1good", "no-meta")]
    # each malformed AmplifyMetaConfig: its environment's row says what was wrong
    meta_errors = {
        "meta-object": "AmplifyMetaConfig is not text (a JSON document) but {'auth'",
        "meta-text": "AmplifyMetaConfig is not JSON (Expecting value",
        "meta-list": "AmplifyMetaConfig is not a JSON object but [1, 2]",
        "auth-list": "whose auth is not an object by resource name but ['auth1']",
    }
    for env, says in meta_errors.items():
        (error,) = found[("d1good", env)]
        assert error is not None and error.startswith("GetBackend: MalformedAnswer: "), error
        assert says in error
    # environments without a name of text: a row of their app each, naming the item
    assert sorted(found[("d1good", None)]) == [
        "ListBackendEnvironments: MalformedAnswer: environment 7 of the listing has no "
        "environmentName; its auth was not read",
        "ListBackendEnvironments: MalformedAnswer: environment 8 of the listing has an "
        "environmentName that is not text (5); its auth was not read",
    ]
    # apps without an id of text: a row without app_id, named by the app's name if any
    idless = {r["app_name"]: r["error"] for r in rows if r["app_id"] is None}
    assert idless == {
        "idless": "ListApps: MalformedAnswer: app 2 of the listing (named 'idless') has no "
        "appId; its environments were not listed",
        "numbered": "ListApps: MalformedAnswer: app 3 of the listing (named 'numbered') has an "
        "appId that is not text (7); its environments were not listed",
    }
    assert len(rows) == 2 + 7 + 2  # d1good listed twice is one app's rows


def test_answers_of_the_wrong_types_are_counted_as_findings_not_a_crash():
    """A configuration whose enum members are lists and booleans are lists: the typed columns
    leave them out, the findings count them, and the next environment is audited."""
    strange = json.loads(json.dumps(WIRE_CONFIG))
    strange["userPoolConfigs"]["mfa"] = {"MFAMode": ["OFF"]}
    strange["userPoolConfigs"]["signInMethod"] = {"not": "a name"}
    strange["identityPoolConfigs"] = {"identityPoolName": "ids", "unauthenticatedLogin": [1]}
    service = HostileService(
        apps=[{"appId": "d1odd", "name": "odd"}],
        environments={"d1odd": [{"environmentName": "dev"}, {"environmentName": "prod"}]},
        configs={("d1odd", "dev"): strange},
    )
    with serving(service):
        frame = service.fleet().audit(progress=None)
    dev, prod = frame.iloc[0], frame.iloc[1]
    assert (dev["environment"], prod["environment"]) == ("dev", "prod")
    assert dev["configured"] and pd.isna(dev["UserPoolConfigs.Mfa.MFAMode"])
    assert pd.isna(dev["UserPoolConfigs.SignInMethod"])
    assert dev["errors"] >= 2 and "model.type" in dev["finding_codes"]
    assert prod["UserPoolConfigs.Mfa.MFAMode"] == "OFF" and prod["errors"] == 0


def test_an_apply_that_reads_a_malformed_meta_config_stops_that_target_only():
    """An upsert reads each environment's auth first: the one whose AmplifyMetaConfig is not
    a JSON object is not sent and says why; the other goes on (here to its dry-run diff)."""
    service = HostileService(
        apps=[{"appId": "d1good", "name": "good"}],
        environments={"d1good": [{"environmentName": "dev"}, {"environmentName": "prod"}]},
        meta={("d1good", "dev"): "[1]"},
    )
    targets = pd.DataFrame({"app_id": ["d1good", "d1good"], "environment": ["dev", "prod"]})
    with serving(service):
        results = service.fleet().apply(
            TEMPLATE, targets, mode="upsert", dry_run=True, sleep=lambda s: None
        )
    assert results["status"].astype(str).tolist() == ["NOT_SENT", "DRY_RUN"]
    assert results["error"][0] == (
        "MalformedAnswer: the answer's AmplifyMetaConfig is not a JSON object but [1]"
    )
    assert results["operation"].astype(str)[1] == "UpdateBackendAuth"  # prod has auth1


# -- apply: a target named twice is sent once ------------------------------------------------

TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": fleet_config(0, "fixed", None)}


@pytest.fixture
def emu(tmp_path):
    with Emulator(job_seconds=0, seed=11, db=str(tmp_path / "state.sqlite3")) as emulator:
        store, now = emulator.backend.store, emulator.clock()
        for app in ("d1dup", "d2dup"):
            store.put_app(app, app, {}, now)
            for env in ("dev", "prod"):
                store.put_environment(app, env, {}, now)
        yield emulator


def quick_fleet(emulator: Emulator) -> Fleet:
    history = JobHistory(":memory:")
    service = BackendAuthService(
        emulator.connection(), on_call=history.record_call, sleep=lambda s: None
    )
    return Fleet(
        service, history, JobTracker(service, history, policy=TrackerPolicy(min_interval=0.02))
    )


def test_apply_sends_a_target_named_twice_once_and_says_which_row_it_repeats(emu):
    fleet = quick_fleet(emu)
    targets = pd.DataFrame(
        {
            "app_id": ["d1dup", "d2dup", "d1dup", "d1dup", "d1dup", "", "d2dup"],
            "environment": ["dev", "dev", "dev", "dev", "prod", "dev", None],
            "resource_name": [None, None, "fleetauth", None, None, None, None],
            "UserPoolConfigs.PasswordPolicy.MinimumLength": [
                None,
                None,
                None,
                "20",  # the same target with its own override: still the same target
                None,
                None,
                None,
            ],
        }
    )
    results = fleet.apply(TEMPLATE, targets, concurrency=4, progress=None)
    assert results["status"].astype(str).tolist() == [
        "COMPLETED",
        "COMPLETED",
        "DUPLICATE",
        "DUPLICATE",
        "COMPLETED",
        "INVALID",
        "INVALID",
    ]
    errors = results["error"].tolist()
    assert errors[2] == (
        "the same app, environment and resource as target 1: sent once, for target 1"
    )
    assert errors[3].endswith("sent once, for target 1; its own overrides are not applied")
    assert errors[5].startswith("target 6 has no app_id: every target names the app")
    assert errors[6].startswith("target 7 has no environment")
    assert pd.isna(results["app_id"][5]) and pd.isna(results["environment"][6])
    assert jobs_of(emu) == {("d1dup", "dev"): 1, ("d1dup", "prod"): 1, ("d2dup", "dev"): 1}


def jobs_of(emulator: Emulator) -> dict[tuple[str, str], int]:
    """How many jobs the service started in each environment that has any."""
    client = emulator.client("amplifybackend")
    counts = {}
    for app in ("d1dup", "d2dup"):
        for env in ("dev", "prod"):
            jobs = client.list_backend_jobs(AppId=app, BackendEnvironmentName=env)["Jobs"]
            if jobs:
                counts[(app, env)] = len(jobs)
    return counts


def run_apply(
    emulator: Emulator, targets: str, *options: str, folder: str | None = None
) -> tuple[int, str, str]:
    """``amplify-auth fleet apply`` of TEMPLATE (written in ``folder``, by default the targets'
    folder) to ``targets``, as a user runs it."""
    template = os.path.join(folder or os.path.dirname(targets), "template.json")
    with open(template, "w") as file:
        json.dump(TEMPLATE, file)
    out, err = io.StringIO(), io.StringIO()
    argv = ["fleet", "apply", "--template", template, "--targets", targets]
    extra = ["--endpoint-url", emulator.url, "--no-progress"]
    code = main([*argv, *extra, "--output", "json", *options], out, err)
    return code, out.getvalue(), err.getvalue()


def test_cli_apply_sends_repeated_csv_rows_once(emu, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text("app_id,environment\nd1dup,dev\nd2dup,prod\nd1dup,dev\n")
    code, out, err = run_apply(emu, str(targets))
    assert code == 0, err
    assert [r["status"] for r in json.loads(out)] == ["COMPLETED", "COMPLETED", "DUPLICATE"]
    assert "1 target row(s) repeat an earlier row's app, environment and resource" in err
    assert jobs_of(emu) == {("d1dup", "dev"): 1, ("d2dup", "prod"): 1}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "app_id,environment\nd1dup,dev\nd1dup,prod,extra\n",
            "line 3: 3 fields, but the header names 2 columns (app_id,environment); refused "
            "rather than shifted into the wrong columns. Put a field that holds a comma in "
            "double quotes, or name the extra column in the header",
        ),
        # every row one field longer than the header: what pandas took for an index column
        (
            "app_id,environment\nd1dup,dev,x\nd2dup,dev,y\n",
            "line 2: 3 fields, but the header names 2 columns",
        ),
        (
            "app_id,environment,resource_name\nd1dup,dev,fleetauth\n\nd2dup,dev\n",
            "line 4: 2 fields, but the header names 3 columns (app_id,environment,resource_name);"
            " refused rather than guessed. Give every column a field, an empty one (nothing "
            "between two commas, or a comma at the end) where there is none",
        ),
        ('app_id,environment\nd1dup,"dev\n', "line 2: not CSV (unexpected end of data)"),
        ("app_id,environment,app_id\nd1dup,dev,d1dup\n", "line 1: the header names 'app_id' "),
        ("app_id,environment,\nd1dup,dev,\n", "the header has a column without a name"),
        ("\n\n", "is empty: its first line names the columns"),
        ("app_id,environment\n", "names no targets"),
    ],
)
def test_a_targets_csv_whose_rows_do_not_fit_its_header_is_refused(emu, tmp_path, text, says):
    targets = tmp_path / "targets.csv"
    targets.write_text(text)
    code, out, err = run_apply(emu, str(targets))
    assert code == 252 and out == ""
    assert f"--targets: {targets}" in err and says in err, err
    assert jobs_of(emu) == {}  # nothing sent


def test_a_folder_an_unreadable_or_a_non_utf8_targets_file_is_refused(emu, tmp_path):
    code, _, err = run_apply(emu, str(tmp_path))
    assert code == 252 and f"--targets: {str(tmp_path)!r} is a folder, not a CSV file" in err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("app_id,environment\nd1dup,dév\n".encode("latin-1"))
    code, _, err = run_apply(emu, str(latin))
    assert code == 252 and f"--targets: {latin}, line 2: not UTF-8 text (byte 0xe9)" in err
    assert "save the file as UTF-8" in err
    bom = tmp_path / "bom.csv"  # what a spreadsheet's "CSV UTF-8" writes: read as it means
    bom.write_bytes("app_id,environment\nd1dup,dev\n".encode("utf-8-sig"))
    code, out, err = run_apply(emu, str(bom))
    assert code == 0 and [r["status"] for r in json.loads(out)] == ["COMPLETED"], err
    # a file the system cannot read from its start (EIO): the reason, not a traceback
    code, _, err = run_apply(emu, "/proc/self/mem", folder=str(tmp_path))
    assert code == 252 and "--targets: '/proc/self/mem' cannot be read: Input/output error" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_targets_file_without_read_permission_is_refused(emu, tmp_path):
    locked = tmp_path / "locked.csv"
    locked.write_text("app_id,environment\nd1dup,dev\n")
    locked.chmod(0)
    code, _, err = run_apply(emu, str(locked))
    assert code == 252 and f"{str(locked)!r} cannot be read (permission denied)" in err


@pytest.mark.separate_process
def test_fleet_audit_of_a_hostile_service_as_a_real_process(tmp_path):
    service = HostileService(
        apps=[{"name": "idless"}, {"appId": "d1good", "name": "good"}],
        environments={"d1good": [{"environmentName": "dev"}, {"nothing": 1}]},
        meta={("d1good", "dev"): "[]"},
    )
    with serving(service):
        done = subprocess.run(
            [str(BIN / "amplify-auth"), "fleet", "audit", "--no-progress", "--output", "csv"],
            env=aws_env(service.url),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout))
    assert len(frame) == 3 and frame["error"].notna().all()
    assert "Traceback" not in done.stderr


def test_the_editor_s_target_lists_skip_malformed_items_instead_of_failing():
    """The editor's App and Environment suggestions read the same listings: a malformed item
    is no option, and a meta config that is not JSON text suggests no resource."""
    from amplify_auth_widgets.widgets.targets import existing_auth, list_apps, list_environments

    service = HostileService(
        apps=[{"appId": "d1good", "name": 3}, {"name": "idless"}, {"appId": 7}],
        environments={
            "d1good": [{"environmentName": "dev"}, {"appId": "d1good"}, {"environmentName": 5}]
        },
        meta={("d1good", "dev"): {"auth": {"auth1": {}}}},
    )
    with serving(service):
        connection = Connection.for_emulator(service.url, max_attempts=1)
        assert list_apps(connection) == [("d1good", "")]
        assert list_environments(connection, "d1good") == ["dev"]
        assert existing_auth(connection, "d1good", "dev") == []


def test_deployed_ids_are_read_and_a_malformed_output_is_its_rows_error():
    """The audit carries each environment's deployed ids (``core.deployed``); an ``output``
    that is not what Gen 1 writes is its environment's error, and the others are read."""
    deployed = {
        "providers": {
            "awscloudformation": {
                "Region": "us-east-1",
                "AuthRoleArn": "arn:aws:iam::123456789012:role/a-authRole",
                "UnauthRoleArn": "arn:aws:iam::123456789012:role/a-unauthRole",
            }
        },
        "auth": {
            "auth1": {
                "output": {
                    "UserPoolId": "us-east-1_AbC123xyZ",
                    "AppClientIDWeb": "w" * 26,
                    "AppClientSecret": "never-read-secret",
                }
            }
        },
    }
    service = HostileService(
        apps=[{"appId": "d1good", "name": "good"}],
        environments={"d1good": [{"environmentName": n} for n in ("ids", "bad", "none")]},
        meta={
            ("d1good", "ids"): json.dumps(deployed),
            ("d1good", "bad"): json.dumps({"auth": {"auth1": {"output": {"UserPoolId": 7}}}}),
        },
    )
    with serving(service):
        frame = service.fleet().audit().set_index("environment")
    ids = frame.loc["ids"]
    assert ids["user_pool_id"] == "us-east-1_AbC123xyZ" and ids["web_client_id"] == "w" * 26
    assert ids["auth_role_arn"].endswith("a-authRole") and pd.isna(ids["identity_pool_id"])
    assert ids["region"] == "us-east-1"
    assert "never-read-secret" not in frame.to_csv()
    bad = frame.loc["bad"]
    assert bad["error"].startswith("GetBackend: MalformedAnswer: the answer's AmplifyMetaConfig")
    assert "UserPoolId is not text but int" in bad["error"] and not bad["configured"]
    none = frame.loc["none"]  # auth configured, nothing deployed: no ids, no error
    assert none["configured"] and pd.isna(none["user_pool_id"]) and pd.isna(none["error"])
    assert str(frame["user_pool_id"].dtype) == "string"

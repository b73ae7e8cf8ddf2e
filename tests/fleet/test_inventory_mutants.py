"""The fleet audit's frame and its parts, against a service in this process (no HTTP, no
emulator): what each environment's row holds and how it is typed, which targets an audit
visits and in what order, what a malformed answer says, and the audit's progress, filters and
saved copy."""

from __future__ import annotations

import copy
import json
import threading
import time
from concurrent.futures import CancelledError
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from conftest import valid_request

from amplify_auth_widgets import Connection, JobHistory, JobTracker
from amplify_auth_widgets.client.connection import ConfigurationError
from amplify_auth_widgets.client.service import ApiError, PaginationError
from amplify_auth_widgets.fleet import inventory
from amplify_auth_widgets.fleet.accounts import Location
from amplify_auth_widgets.fleet.inventory import (
    AUDIT_COLUMNS,
    DEPLOYED_COLUMNS,
    Fleet,
    MalformedAnswer,
    audit_columns,
    audit_frame,
    config_column,
    config_fields,
    flatten,
    in_background,
)
from amplify_auth_widgets.fleet.progress import ProgressBar
from amplify_auth_widgets.fleet.timeline import saved_audits

META = '{"auth": {"mainauth": {"service": "Cognito"}}}'
CONFIG = valid_request()["ResourceConfig"]


class FakeService:
    """What ``Fleet`` asks of a service, answered from dicts: ``apps`` (ListApps, in pages of
    ``page`` items), ``environments[app_id]`` (a list of items, or an ApiError to raise),
    ``meta[(app, env)]`` (GetBackend's AmplifyMetaConfig, META when not given) and
    ``configs[(app, env)]`` (GetBackendAuth's ResourceConfig, CONFIG when not given, or an
    ApiError to raise)."""

    def __init__(
        self,
        apps: list[Any],
        environments: dict[str, Any],
        meta: dict[tuple[str, str], Any] | None = None,
        configs: dict[tuple[str, str], Any] | None = None,
        page: int = 100,
    ) -> None:
        self.apps, self.environments, self.page = apps, environments, page
        self.meta, self.configs = meta or {}, configs or {}
        self.apps_client = object()
        self.requests: list[tuple[str, dict[str, Any], Any]] = []
        self.auth_reads: list[tuple[str, str, str]] = []

    def call(self, operation: str, request: Any, *, client: Any = None) -> dict[str, Any]:
        self.requests.append((operation, dict(request), client))
        if operation == "ListApps":
            start = int(request.get("nextToken") or 0)
            found: dict[str, Any] = {"apps": self.apps[start : start + self.page]}
            if start + self.page < len(self.apps):
                found["nextToken"] = str(start + self.page)
            return found
        if operation == "ListBackendEnvironments":
            listed = self.environments[request["appId"]]
            if isinstance(listed, ApiError):
                raise listed
            if listed == "endless":  # the same page and token again and again
                return {"backendEnvironments": envs("dev"), "nextToken": "again"}
            start = int(request.get("nextToken") or 0)
            page = {"backendEnvironments": listed[start : start + self.page]}
            if start + self.page < len(listed):
                page["nextToken"] = str(start + self.page)
            return page
        assert operation == "GetBackend"
        key = (request["AppId"], request["BackendEnvironmentName"])
        return {"AmplifyMetaConfig": self.meta.get(key, META)}

    def get_backend_auth(self, app_id: str, env: str, name: str) -> dict[str, Any]:
        self.auth_reads.append((app_id, env, name))
        config = self.configs.get((app_id, env), CONFIG)
        if isinstance(config, ApiError):
            raise config
        return {} if config is None else {"ResourceConfig": copy.deepcopy(config)}


def envs(*names: str) -> list[dict[str, str]]:
    return [{"environmentName": n} for n in names]


# -- the frame ---------------------------------------------------------------------------------


def test_flatten_gives_dotted_paths_and_redacts_only_secrets_that_are_set():
    flat = flatten(
        {
            "A": {"B": {"ClientSecret": "s3cret", "ClientId": "id"}, "PrivateKey": None},
            "L": [1, 2],
        }
    )
    assert flat == {
        "A.B.ClientSecret": "<redacted>",
        "A.B.ClientId": "id",
        "A.PrivateKey": None,
        "L": [1, 2],
    }


def test_the_columns_are_the_target_the_deployed_ids_the_fields_and_the_verdicts_in_order():
    columns = audit_columns()
    fields = [config_column(f) for f in config_fields()]
    assert fields[0] == "AuthResources" and "UserPoolConfigs.Mfa.MFAMode" in fields
    assert "UserPoolConfigs.Mfa" not in fields  # structures are not leaves; lists are
    assert "UserPoolConfigs.OAuth.OAuthScopes" in fields
    head = ["app_id", "app_name", "environment", "resource_name", "configured"]
    assert columns[: 5 + len(DEPLOYED_COLUMNS) + len(fields)] == [
        *head,
        *DEPLOYED_COLUMNS,
        *fields,
    ]
    tail = columns[5 + len(DEPLOYED_COLUMNS) + len(fields) :]
    assert tail[:5] == ["errors", "warnings", "finding_codes", "gen2", "error"]
    assert tail[-1] == "failed_checks" and all(c.startswith("check.") for c in tail[5:-1])
    assert "resource_name" not in DEPLOYED_COLUMNS and "user_pool_id" in DEPLOYED_COLUMNS
    assert list(AUDIT_COLUMNS) == [*head, *DEPLOYED_COLUMNS, *tail[:5]]


def test_every_column_is_typed_from_the_model_and_wrong_values_are_left_out():
    rows = [
        {
            "app_id": "a1",
            "app_name": "one",
            "environment": "dev",
            "configured": True,
            "errors": 2,
            "warnings": 0,
            "finding_codes": ["X"],
            "UserPoolConfigs.Mfa.MFAMode": "OFF",
            "UserPoolConfigs.SignInMethod": "NOT_A_METHOD",  # not in the enum
            "AuthResources": ["USER_POOL_ONLY"],  # a list where an enum goes
            "IdentityPoolConfigs.UnauthenticatedLogin": True,
            "UserPoolConfigs.PasswordPolicy.MinimumLength": "12",
            "UserPoolConfigs.UserPoolName": "pool",
        },
        {
            "app_id": "a2",
            "environment": "prod",
            "IdentityPoolConfigs.UnauthenticatedLogin": "yes",  # not a boolean
            "UserPoolConfigs.PasswordPolicy.MinimumLength": "long",  # not a number
        },
        {"app_id": None, "error": "ListApps: MalformedAnswer: ..."},
    ]
    frame = audit_frame(rows)
    mfa = frame["UserPoolConfigs.Mfa.MFAMode"]
    assert list(mfa.cat.categories) == ["ON", "OFF", "OPTIONAL"]
    assert mfa[0] == "OFF" and pd.isna(mfa[1])
    assert pd.isna(frame.loc[0, "UserPoolConfigs.SignInMethod"])
    assert pd.isna(frame.loc[0, "AuthResources"])
    assert str(frame["AuthResources"].dtype) == "category"
    login = frame["IdentityPoolConfigs.UnauthenticatedLogin"]
    assert str(login.dtype) == "boolean" and bool(login[0]) and pd.isna(login[1])
    length = frame["UserPoolConfigs.PasswordPolicy.MinimumLength"]
    assert str(length.dtype) == "Float64" and length[0] == 12 and pd.isna(length[1])
    for text in ("app_id", "app_name", "environment", "user_pool_id", "gen2", "error"):
        assert str(frame[text].dtype) == "string", text
    assert str(frame["UserPoolConfigs.UserPoolName"].dtype) == "string"
    secret = "UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"
    assert str(frame[secret].dtype) == "string"
    assert frame["configured"].tolist() == [True, False, False]
    # a boolean column: the unconfigured ones are one filter away
    assert frame[~frame["configured"]]["environment"].tolist() == ["prod", pd.NA]
    assert str(frame["errors"].dtype) == "Int64" and str(frame["warnings"].dtype) == "Int64"
    assert frame.loc[0, "errors"] == 2 and pd.isna(frame.loc[1, "errors"])
    assert frame["finding_codes"].tolist() == [["X"], [], []]


def test_a_field_no_environment_has_is_typed_all_the_same():
    """An audit of user pools alone (no identity pool anywhere) keeps the boolean column a
    boolean one, so that the same filters work on every audit."""
    frame = audit_frame([{"app_id": "a1", "environment": "dev", "configured": True}])
    login = frame["IdentityPoolConfigs.UnauthenticatedLogin"]
    assert str(login.dtype) == "boolean" and pd.isna(login[0])
    assert frame[login.fillna(False)].empty
    assert str(frame["UserPoolConfigs.PasswordPolicy.MinimumLength"].dtype) == "Float64"
    assert str(frame["UserPoolConfigs.Mfa.MFAMode"].dtype) == "category"


# -- the fleet's parts ---------------------------------------------------------------------


def test_a_fleet_shares_one_history_with_its_tracker():
    service: Any = FakeService([], {})
    alone = Fleet(service)
    assert alone.history.path == ":memory:"  # never the user's history file
    assert isinstance(alone.history, JobHistory) and alone.tracker.history is alone.history
    assert alone.tracker.service is service and alone.page_size is None
    history = JobHistory(":memory:")
    assert Fleet(service, history).tracker.history is history
    tracker = JobTracker(service, JobHistory(":memory:"))
    followed = Fleet(service, tracker=tracker)
    assert followed.tracker is tracker and followed.history is tracker.history


def test_connect_records_every_call_in_the_history_given_and_sends_adaptively():
    history = JobHistory(":memory:")
    fleet = Fleet.connect(history=history)
    assert fleet.history is history and fleet.tracker.history is history
    assert fleet.service.send_retry_mode == "adaptive"
    assert fleet.service.on_call == history.record_call
    assert Fleet.connect().history.path == ":memory:"  # never the user's history file
    connection = Connection(region="eu-west-3", profile="other")
    assert Fleet.connect(connection).service.connection is connection
    assert isinstance(Fleet.connect().service.connection, Connection)


def test_the_location_is_asked_once_and_again_for_a_new_service(monkeypatch):
    asked: list[Any] = []

    def locate(connection: Any) -> Location:
        asked.append(connection)
        return Location("123456789012", "eu-west-1")

    monkeypatch.setattr(inventory, "locate", locate)
    fleet = Fleet.connect()
    assert fleet.location() == Location("123456789012", "eu-west-1")
    assert fleet.location() is fleet.location() and asked == [fleet.service.connection]
    other = Fleet.connect().service
    fleet.set_service(other)
    assert fleet.service is other and fleet.tracker.service is other
    fleet.location()
    assert asked == [asked[0], other.connection]
    # a service without a Connection is nowhere known, and not asked
    assert Fleet(FakeService([], {})).location() == Location(None, None)  # type: ignore[arg-type]
    assert len(asked) == 2


def test_listings_read_every_page_through_the_apps_client_with_the_page_size():
    apps = [{"appId": f"d{n}", "name": f"app{n}"} for n in range(5)]
    service = FakeService(apps, {"d1": envs("a", "b", "c")}, page=2)
    fleet = Fleet(service, page_size=2)  # type: ignore[arg-type]
    assert [a["appId"] for a in fleet.list_apps()] == [f"d{n}" for n in range(5)]
    listings = [r for r in service.requests if r[0] == "ListApps"]
    assert [r[1] for r in listings] == [
        {"maxResults": 2},
        {"maxResults": 2, "nextToken": "2"},
        {"maxResults": 2, "nextToken": "4"},
    ]
    assert fleet.list_environments("d1") == ["a", "b", "c"]
    assert service.requests[-2:] == [
        ("ListBackendEnvironments", {"appId": "d1", "maxResults": 2}, service.apps_client),
        (
            "ListBackendEnvironments",
            {"appId": "d1", "maxResults": 2, "nextToken": "2"},
            service.apps_client,
        ),
    ]
    assert all(r[2] is service.apps_client for r in service.requests)
    Fleet(service).list_apps()  # type: ignore[arg-type]
    assert [r[1] for r in service.requests[-3:]] == [{}, {"nextToken": "2"}, {"nextToken": "4"}]


def test_the_environments_of_many_apps_are_listed_eight_at_a_time():
    """Eight listings in flight, never more (the service throttles), never fewer (an audit of
    hundreds of apps would take minutes longer)."""
    apps = [{"appId": f"d{n}", "name": f"app{n}"} for n in range(24)]
    in_flight, peak = [0], [0]
    turn = threading.Condition()

    class Slow(FakeService):
        def call(self, operation: str, request: Any, *, client: Any = None) -> dict[str, Any]:
            if operation != "ListBackendEnvironments":
                return super().call(operation, request, client=client)
            with turn:
                in_flight[0] += 1
                peak[0] = max(peak[0], in_flight[0])
                turn.notify_all()
                turn.wait_for(lambda: in_flight[0] >= 8, timeout=5)
            time.sleep(0.02)
            with turn:
                in_flight[0] -= 1
            return super().call(operation, request, client=client)

    service = Slow(apps, {a["appId"]: envs("dev") for a in apps})
    pairs, _ = Fleet(service).targets()  # type: ignore[arg-type]
    assert len(pairs) == 24 and peak[0] == 8


def test_a_listing_that_would_never_end_is_stopped_and_named():
    apps = [{"appId": f"d{n}", "name": "same"} for n in range(3)]
    service = FakeService(apps, {"d0": "endless", "d1": envs("dev"), "d2": envs("dev")}, page=1)
    fleet = Fleet(service)  # type: ignore[arg-type]
    pairs, failed = fleet.targets()
    assert [a["appId"] for a, _ in pairs] == ["d1", "d2"]
    (row,) = failed
    assert row["app_id"] == "d0"
    assert row["error"].startswith(
        "ListBackendEnvironments: RepeatedPageToken: the service gave the same nextToken again"
    )
    service.apps = apps * 2  # ListApps' tokens: 1, 2, 3, then 1 again
    service.page, real = 1, service.call

    def again(operation: str, request: Any, *, client: Any = None) -> dict[str, Any]:
        found = real(operation, request, client=client)
        if operation == "ListApps" and found.get("nextToken") == "4":
            found["nextToken"] = "1"
        return found

    service.call = again  # type: ignore[method-assign]
    with pytest.raises(PaginationError) as raised:
        fleet.audit()
    assert raised.value.operation == "ListApps" and raised.value.code == "RepeatedPageToken"


def test_an_environment_listed_twice_is_one_and_items_without_a_name_are_said_so():
    items = [
        {"environmentName": "dev"},
        {"environmentName": ""},
        {"environmentName": "dev"},
        {"environmentName": 7},
        "not an object",
        {"environmentName": "prod"},
    ]
    fleet = Fleet(FakeService([], {"d1": items}))  # type: ignore[arg-type]
    names, problems = fleet.environments("d1")
    assert names == ["dev", "prod"]
    start = "ListBackendEnvironments: MalformedAnswer: environment"
    end = "; its auth was not read"
    assert problems == [
        f"{start} 2 of the listing has no environmentName{end}",
        f"{start} 4 of the listing has an environmentName that is not text (7){end}",
        f"{start} 5 of the listing has no environmentName{end}",
    ]


def test_targets_are_chosen_by_id_or_name_visited_once_and_sorted():
    apps = [
        {"appId": "d3", "name": "zeta"},
        {"appId": "d2", "name": "alpha"},
        {"appId": "d1", "name": "alpha"},
        {"appId": "d2", "name": "alpha"},  # listed twice
        {"appId": "d6", "name": 5},  # a name that is not text is none
        {"appId": "d7", "name": "Beta"},
        {"appId": "d4", "name": None},
        {"name": "nameless"},
    ]
    listed = {
        "d1": envs("prod", "dev"),
        "d2": envs("test"),
        "d3": envs("dev"),
        "d4": envs("x"),
        "d6": envs("y"),
        "d7": envs("z"),
    }
    fleet = Fleet(FakeService(apps, listed))  # type: ignore[arg-type]
    pairs, failed = fleet.targets()
    assert [a["name"] for a, _ in pairs[:2]] == [None, None]
    assert [(a["appId"], e) for a, e in pairs] == [
        ("d4", "x"),  # no name sorts first
        ("d6", "y"),
        ("d7", "z"),  # (names as they sort: capitals first)
        ("d1", "dev"),
        ("d1", "prod"),
        ("d2", "test"),
        ("d3", "dev"),
    ]
    assert [r["error"].split(":")[1].strip() for r in failed] == ["MalformedAnswer"]
    pairs, failed = fleet.targets(apps=["alpha", "d3"], environments=["dev", "test"])
    assert [(a["appId"], e) for a, e in pairs] == [("d1", "dev"), ("d2", "test"), ("d3", "dev")]
    assert failed == []  # the nameless app is not among those asked for
    pairs, failed = fleet.targets(apps=["nameless"])
    assert pairs == [] and len(failed) == 1 and failed[0]["app_name"] == "nameless"


def test_an_app_whose_listing_fails_is_a_row_and_the_others_are_visited():
    """The failed rows come by app name (none first), then id, then error."""
    apps = [
        {"appId": "d1", "name": "beta"},
        {"appId": "d2", "name": "Alpha"},
        {"appId": "d3"},
        {"appId": "d5", "name": "beta"},
        {"appId": "d4", "name": "beta"},
        {"appId": 12, "name": "beta"},
        {"appId": "D0", "name": "beta"},
    ]
    listed: dict[str, Any] = {
        "d1": ApiError("ListBackendEnvironments", "Throttled", "no"),
        "d2": [{"environmentName": 5}, *envs("dev")],
        "d3": ApiError("ListBackendEnvironments", "Throttled", "slow down"),
        "d4": ApiError("ListBackendEnvironments", "Throttled", "later"),
        "d5": ApiError("ListBackendEnvironments", "AccessDenied", "no"),
        "D0": ApiError("ListBackendEnvironments", "Throttled", "no"),
    }
    pairs, failed = Fleet(FakeService(apps, listed)).targets()  # type: ignore[arg-type]
    assert [(a["appId"], e) for a, e in pairs] == [("d2", "dev")]
    assert [(r["app_id"], r["app_name"], r["environment"], r["configured"]) for r in failed] == [
        ("d3", None, None, False),
        ("d2", "Alpha", None, False),
        (None, "beta", None, False),  # (an app without an id first)
        ("D0", "beta", None, False),
        ("d1", "beta", None, False),
        ("d4", "beta", None, False),
        ("d5", "beta", None, False),
    ]
    assert failed[0]["error"] == "ListBackendEnvironments: Throttled: slow down"
    assert "has an appId that is not text (12)" in failed[2]["error"]
    assert failed[4]["error"] == "ListBackendEnvironments: Throttled: no"
    assert failed[6]["error"] == "ListBackendEnvironments: AccessDenied: no"
    assert "environment 1 of the listing" in failed[1]["error"]


def test_a_listed_app_without_an_id_says_which_and_why():
    apps = [{"appId": "", "name": "blank"}, {"appId": 12}, "text"]
    pairs, failed = Fleet(FakeService(apps, {})).targets()  # type: ignore[arg-type]
    assert pairs == []
    start, end = "ListApps: MalformedAnswer: app", "; its environments were not listed"
    assert [r["error"] for r in failed] == [
        f"{start} 2 of the listing has an appId that is not text (12){end}",
        f"{start} 3 of the listing has no appId{end}",
        f"{start} 1 of the listing (named 'blank') has no appId{end}",
    ]
    assert [r["app_id"] for r in failed] == [None, None, None]


def test_an_environment_without_auth_is_none_and_only_its_first_resource_is_read():
    meta = {
        ("d1", "none"): None,
        ("d1", "empty"): "",
        ("d1", "noauth"): '{"api": {}}',
        ("d1", "two"): '{"auth": {"first": {}, "second": {}}}',
        ("d1", "gone"): META,
        ("d1", "blank"): META,
    }
    configs: dict[tuple[str, str], Any] = {
        ("d1", "gone"): ApiError("GetBackendAuth", "NotFoundException", "gone"),
        ("d1", "blank"): None,  # an answer without a ResourceConfig
    }
    service = FakeService([], {}, meta, configs)
    fleet = Fleet(service)  # type: ignore[arg-type]
    for env in ("none", "empty", "noauth", "gone"):
        assert fleet.auth_of("d1", env) == (None, None, None), env
    assert fleet.audit_one({"appId": "d1", "name": "one"}, "none") == {
        "app_id": "d1",
        "app_name": "one",
        "environment": "none",
        "configured": False,
        "gen2": None,
    }
    assert fleet.auth_of("d1", "blank") == ("mainauth", {}, None)
    name, config = fleet.current_auth("d1", "two")
    assert name == "first" and config == CONFIG
    assert service.auth_reads[-1] == ("d1", "two", "first")
    service.configs[("d1", "two")] = ApiError("GetBackendAuth", "Throttled", "later")
    with pytest.raises(ApiError, match="Throttled"):
        fleet.auth_of("d1", "two")


@pytest.mark.parametrize(
    ("meta", "says"),
    [
        (7, "the answer's AmplifyMetaConfig is not text (a JSON document) but 7"),
        ("{", "the answer's AmplifyMetaConfig is not JSON (Expecting"),
        ("[1]", "the answer's AmplifyMetaConfig is not a JSON object but [1]"),
        (
            '{"auth": ["a"]}',
            "the answer's AmplifyMetaConfig is an object whose auth is not an object by "
            "resource name but ['a']",
        ),
    ],
)
def test_a_meta_config_of_the_wrong_shape_is_its_environments_error(meta, says):
    fleet = Fleet(FakeService([], {}, {("d1", "dev"): meta}))  # type: ignore[arg-type]
    with pytest.raises(MalformedAnswer) as raised:
        fleet.current_auth("d1", "dev")
    assert raised.value.operation == "GetBackend" and raised.value.code == "MalformedAnswer"
    assert raised.value.message.startswith(says)
    row = fleet.audit_one({"appId": "d1", "name": "one"}, "dev")
    assert row["error"].startswith(f"GetBackend: MalformedAnswer: {says}")
    assert row["configured"] is False and row["environment"] == "dev"


def test_a_deployed_meta_that_is_not_what_gen1_writes_fails_the_row_but_not_current_auth():
    meta = '{"auth": {"mainauth": {"output": {"UserPoolId": 7}}}}'
    fleet = Fleet(FakeService([], {}, {("d1", "dev"): meta}))  # type: ignore[arg-type]
    assert fleet.current_auth("d1", "dev")[0] == "mainauth"
    with pytest.raises(MalformedAnswer, match="the answer's"):
        fleet.auth_of("d1", "dev")
    row = fleet.audit_one({"appId": "d1", "name": "one"}, "dev")
    assert row["error"].startswith(
        "GetBackend: MalformedAnswer: the answer's AmplifyMetaConfig.auth.mainauth.output"
    )
    assert "UserPoolId" in row["error"] and row["configured"] is False


def test_an_audit_row_holds_the_configuration_its_findings_and_its_gen2_code():
    weak = copy.deepcopy(CONFIG)
    weak["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 5  # an error
    weak["UserPoolConfigs"]["OAuth"]["OAuthGrantType"] = "IMPLICIT"  # a warning
    weak["UserPoolConfigs"]["OAuth"]["RedirectSignInURIs"] = ["http://app.example.com/"]  # error
    wrong = copy.deepcopy(CONFIG)
    wrong["UserPoolConfigs"]["Mfa"] = "OFF"  # a structure's place holds text
    service = FakeService([], {}, configs={("d1", "weak"): weak, ("d1", "wrong"): wrong})
    fleet = Fleet(service)  # type: ignore[arg-type]
    app = {"appId": "d1", "name": "one"}
    row = fleet.audit_one(app, "weak")
    assert row["app_id"] == "d1" and row["app_name"] == "one" and row["environment"] == "weak"
    assert row["resource_name"] == "mainauth" and row["configured"] is True
    assert row["UserPoolConfigs.PasswordPolicy.MinimumLength"] == 5
    assert row["errors"] == 2 and row["warnings"] == 1
    assert row["finding_codes"] == [
        "cognito.implicit-grant",
        "cognito.password-length",
        "cognito.redirect-uri",
    ]
    assert "defineAuth" in row["gen2"]
    assert "error" not in row
    secret = "UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"
    assert row[secret] == "<redacted>"
    assert secret in row["secret_digests"] and CONFIG["UserPoolConfigs"]["OAuth"][
        "SocialProviderSettings"
    ]["Google"]["ClientSecret"] not in str(row)
    bad = fleet.audit_one(app, "wrong")
    assert bad["errors"] >= 1 and bad["gen2"] is None and bad["configured"] is True


def test_an_environment_id_the_service_would_refuse_is_its_rows_error():
    class Refusing(FakeService):
        def call(self, operation: str, request: Any, *, client: Any = None) -> dict[str, Any]:
            from amplify_auth_widgets.client.service import ValidationFailed
            from amplify_auth_widgets.core.validation import validate

            request = {"AppId": "?", "BackendEnvironmentName": "!!"}
            raise ValidationFailed(operation, validate(request, "GetBackendAuth"))

    row = Fleet(Refusing([], {})).audit_one({"appId": "?", "name": None}, "dev")  # type: ignore[arg-type]
    assert row["configured"] is False and row["error"]
    assert row["error"].startswith("AppId: error amplify.app-id: AppId '?' is not")
    assert row["error"].endswith(
        ".; ResourceName: error model.required: ResourceName is required; add it."
    )


# -- the audit -------------------------------------------------------------------------------


def fleet_of_three() -> tuple[Fleet, FakeService]:
    apps = [{"appId": "d1", "name": "one"}, {"appId": "d2", "name": "two"}, {"name": "x"}]
    service = FakeService(apps, {"d1": envs("dev", "prod"), "d2": envs("dev")})
    return Fleet(service), service  # type: ignore[arg-type]


def test_an_audit_reports_its_progress_from_zero_to_every_environment():
    fleet, _ = fleet_of_three()
    seen: list[tuple[int, int]] = []
    frame = fleet.audit(progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert frame["environment"].tolist()[1:] == ["dev", "prod", "dev"]
    assert frame["app_id"].tolist()[1:] == ["d1", "d1", "d2"]
    assert frame.loc[0, "app_name"] == "x" and "no appId" in frame.loc[0, "error"]
    assert frame["configured"].tolist() == [False, True, True, True]
    assert fleet.audit(concurrency=1, progress=None)["environment"].tolist()[1:] == [
        "dev",
        "prod",
        "dev",
    ]


@pytest.mark.parametrize("concurrency", [0, -2])
def test_an_audit_needs_one_thread_at_least(concurrency):
    fleet, service = fleet_of_three()
    with pytest.raises(ValueError, match=f"concurrency must be 1 or more, not {concurrency}"):
        fleet.audit(concurrency=concurrency)
    assert service.requests == []


def test_a_saved_audit_keeps_its_filters_and_secrets_as_digests():
    fleet, _ = fleet_of_three()
    unsaved = fleet.audit()
    assert saved_audits(fleet.history).empty and len(unsaved) == 4
    frame = fleet.audit(apps=iter(["one"]), environments=iter(["prod"]), save=True)
    assert frame["environment"].tolist() == ["prod"]
    saved = saved_audits(fleet.history)
    assert len(saved) == 1 and bool(saved.loc[0, "filtered"])
    assert saved.loc[0, "environments"] == 1 and saved.loc[0, "where"] == ["?/?"]
    whole = fleet.audit(save=True)
    saved = saved_audits(fleet.history)
    assert len(saved) == 2 and not bool(saved.loc[1, "filtered"]) and len(whole) == 4


@pytest.mark.parametrize(
    "scope", [{"apps": ["one"]}, {"environments": ["prod"]}, {"apps": ["d1", "d2"]}]
)
def test_an_audit_filtered_by_apps_or_environments_alone_is_saved_as_filtered(scope):
    """Drift must not take the environments a filtered audit did not read for gone."""
    fleet, _ = fleet_of_three()
    fleet.audit(save=True, **scope)
    assert bool(saved_audits(fleet.history).loc[0, "filtered"])


def test_a_saved_audit_says_where_it_read_also_when_nothing_was_there():
    fleet = Fleet(FakeService([], {}))  # type: ignore[arg-type]
    fleet._location = Location("111122223333", "eu-west-3")
    assert fleet.audit(save=True).empty
    saved = saved_audits(fleet.history)
    assert saved["where"].tolist() == [["111122223333/eu-west-3"]]


def test_an_audit_takes_its_place_from_the_connection_where_the_rows_have_none(monkeypatch):
    fleet, _ = fleet_of_three()
    monkeypatch.setattr(fleet, "location", lambda: Location("111122223333", "eu-west-3"))
    frame = fleet.audit()
    assert frame["account_id"].tolist() == ["111122223333"] * 4
    assert frame["region"].tolist() == ["eu-west-3"] * 4


def test_the_module_audit_draws_a_bar_only_when_asked():
    assert inventory._progress(False, "audit", "env") is None
    assert inventory._progress(None, "audit", "env") is None  # type: ignore[arg-type]

    def mine(done: int, total: int) -> None:
        pass

    assert inventory._progress(mine, "audit", "env") is mine
    bar = inventory._progress(True, "audit 1/eu", "target")
    assert isinstance(bar, ProgressBar) and bar.label == "audit 1/eu" and bar.unit == "target"


# -- in the background -------------------------------------------------------------------------


def test_work_in_the_background_hands_its_result_or_its_error_to_whoever_waits():
    assert in_background(lambda a, b=0: a + b, 2, b=3).result(timeout=10) == 5

    def fails() -> None:
        raise KeyboardInterrupt("stop")

    with pytest.raises(KeyboardInterrupt, match="stop"):
        in_background(fails).result(timeout=10)
    started = threading.Event()
    release = threading.Event()

    def slow() -> str:
        started.set()
        release.wait(10)
        return "done"

    future = in_background(slow)
    assert started.wait(10) and future.running()
    release.set()
    assert future.result(timeout=10) == "done"


def test_a_background_audit_cancelled_before_it_starts_is_never_run(monkeypatch):
    ran: list[int] = []

    class Later:
        def __init__(self, target: Any, name: str, daemon: bool) -> None:
            assert name == "fleet" and daemon is True
            self.target = target

        def start(self) -> None:
            started.append(self)

    started: list[Later] = []
    # the module's own view of threading, not the standard library's for every thread
    monkeypatch.setattr(inventory, "threading", SimpleNamespace(Thread=Later))
    future = in_background(lambda: ran.append(1))
    assert future.cancel()
    started[0].target()
    assert ran == [] and future.cancelled()
    with pytest.raises(CancelledError):
        future.result(timeout=1)
    fleet, _ = fleet_of_three()
    monkeypatch.undo()
    assert len(fleet.audit_async(concurrency=2).result(timeout=30)) == 4


def test_an_audit_or_apply_in_the_background_takes_the_same_arguments(monkeypatch):
    fleet, _ = fleet_of_three()
    frame = fleet.audit_async(["one"], environments=["prod"]).result(timeout=30)
    assert frame[["app_id", "environment"]].values.tolist() == [["d1", "prod"]]
    asked: list[tuple[Any, Any, dict[str, Any]]] = []

    def apply_to(template: Any, targets: Any, **options: Any) -> str:
        asked.append((template, targets, options))
        return "results"

    monkeypatch.setattr(inventory, "apply_to", apply_to)
    template, targets = {"Service": "COGNITO"}, pd.DataFrame({"app_id": ["d1"]})
    assert fleet.apply_async(template, targets, dry_run=True).result(timeout=30) == "results"
    assert asked == [(template, targets, {"fleet": fleet, "dry_run": True})]


# -- several connections -------------------------------------------------------------------


class Places:
    """``Fleet.connect`` replaced: each connection's region names the place it reaches (account
    ``1111...`` in eu-west-1, ``2222...`` in eu-west-3) and the apps there; a region named
    ``down`` fails its listing, ``unset`` its configuration."""

    ACCOUNTS = {"eu-west-1": "111111111111", "eu-west-3": "222222222222"}

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fleets: list[Fleet] = []
        places = self

        def connect(cls: type[Fleet], connection: Any = None, history: Any = None) -> Fleet:
            region = connection.region
            if region == "down":
                apps: Any = ApiError("ListApps", "AccessDenied", "not here")
            elif region == "unset":
                apps = ConfigurationError("no credentials for profile unset")
            else:
                apps = [{"appId": f"d{region[-1]}", "name": f"app-{region}"}]
            service = FakeService([], {f"d{region[-1]}": envs("dev", "prod")})
            if isinstance(apps, Exception):
                problem = apps

                def fail(*args: Any, **kwargs: Any) -> Any:
                    raise problem

                service.call = fail  # type: ignore[method-assign]
            else:
                service.apps = apps
            fleet = cls(service, history)  # type: ignore[arg-type]
            fleet._location = Location(places.ACCOUNTS.get(region), region)
            places.fleets.append(fleet)
            return fleet

        monkeypatch.setattr(Fleet, "connect", classmethod(connect))
        self.labels: list[tuple[str, str]] = []

        class Bar:
            def __init__(self, label: str, *, unit: str) -> None:
                places.labels.append((label, unit))

            def __call__(self, done: int, total: int) -> None:
                pass

        monkeypatch.setattr(inventory, "ProgressBar", Bar)


def test_an_audit_of_several_places_says_where_each_row_is_and_a_failed_one_is_its_row(
    monkeypatch,
):
    places = Places(monkeypatch)
    where = [Connection(region=r) for r in ("eu-west-1", "down", "unset", "eu-west-3")]
    frame = inventory.audit(where)
    assert places.labels == [
        ("audit 111111111111/eu-west-1", "env"),
        ("audit ?/down", "env"),
        ("audit ?/unset", "env"),
        ("audit 222222222222/eu-west-3", "env"),
    ]
    assert frame.index.tolist() == list(range(6))
    rows = frame[["account_id", "region", "app_id", "environment", "configured"]]
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["111111111111", "eu-west-1", "d1", "dev", True],
        ["111111111111", "eu-west-1", "d1", "prod", True],
        [None, "down", None, None, False],
        [None, "unset", None, None, False],
        ["222222222222", "eu-west-3", "d3", "dev", True],
        ["222222222222", "eu-west-3", "d3", "prod", True],
    ]
    assert frame.loc[2, "error"] == "ListApps: AccessDenied: not here"
    assert frame.loc[3, "error"] == "no credentials for profile unset"
    assert frame["error"].isna().tolist() == [True, True, False, False, True, True]


def test_an_audit_of_one_place_raises_its_failure_and_draws_one_bar(monkeypatch):
    places = Places(monkeypatch)
    with pytest.raises(ApiError, match="AccessDenied"):
        inventory.audit(Connection(region="down"))
    with pytest.raises(ConfigurationError, match="no credentials"):
        inventory.audit([Connection(region="unset")])
    frame = inventory.audit(Connection(region="eu-west-1"), apps=["d1"], environments=["dev"])
    assert places.labels[-1] == ("audit", "env") and len(frame) == 1
    assert inventory.audit(Connection(region="eu-west-1"), apps=["d2"], progress=False).empty
    asked: list[int] = []
    audit = Fleet.audit

    def counted(self: Fleet, apps: Any, environments: Any, concurrency: int, *rest: Any, **kw: Any):
        asked.append(concurrency)
        return audit(self, apps, environments, concurrency, *rest, **kw)

    monkeypatch.setattr(Fleet, "audit", counted)
    inventory.audit(Connection(region="eu-west-1"), progress=False)
    inventory.audit(Connection(region="eu-west-1"), concurrency=2, progress=False)
    assert asked == [8, 2]  # eight environments at a time, as a Fleet's audit reads them
    places.labels.clear()
    seen: list[tuple[int, int]] = []
    inventory.audit(Connection(region="eu-west-1"), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 2), (1, 2), (2, 2)] and places.labels == []


def test_a_saved_audit_goes_to_the_users_history_file_unless_given_one(monkeypatch, tmp_path):
    places = Places(monkeypatch)
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "history.sqlite3"))
    where = [Connection(region="eu-west-1"), Connection(region="eu-west-3")]
    inventory.audit(where, apps=iter(["d1", "d3"]), save=True, progress=False)
    saved = saved_audits(JobHistory(tmp_path / "history.sqlite3"))
    assert len(saved) == 2 and saved["where"].tolist() == [
        ["111111111111/eu-west-1"],
        ["222222222222/eu-west-3"],
    ]
    assert saved["environments"].tolist() == [2, 2]  # the filter read once a connection
    assert places.fleets[0].history is places.fleets[1].history
    inventory.audit(where[0], progress=False)  # not saved: no history file opened
    assert places.fleets[-1].history.path == ":memory:"
    mine = JobHistory(":memory:")
    inventory.audit(where[0], history=mine, save=True, progress=False)
    assert len(saved_audits(mine)) == 1
    assert len(saved_audits(JobHistory(tmp_path / "history.sqlite3"))) == 2


def test_an_apply_to_several_places_sends_each_target_through_its_own_and_keeps_their_order(
    monkeypatch,
):
    places = Places(monkeypatch)
    sent: list[tuple[str | None, list[str], dict[str, Any]]] = []

    def apply_to(template: Any, part: pd.DataFrame, *, fleet: Fleet, **options: Any) -> Any:
        from amplify_auth_widgets.fleet.rollout import Outcome, Target, results_frame

        assert template is wanted
        assert list(part.columns) == ["app_id", "environment"]  # the targets' own, no more
        sent.append((fleet.location().region, part["app_id"].tolist(), options))
        done = []
        for row in part.to_dict("records"):
            target = Target(row["app_id"], row["environment"], "mainauth", {})
            target.operation, target.status = "UpdateBackendAuth", Outcome.DRY_RUN
            done.append(target)
        return results_frame(done)

    monkeypatch.setattr(inventory, "apply_to", apply_to)
    where = [Connection(region="eu-west-1"), Connection(region="eu-west-3")]
    targets = pd.DataFrame(
        {
            "app_id": ["d3", "d1", "d9", "d1"],
            "environment": ["dev", "dev", "dev", "prod"],
            "account_id": ["222222222222", "111111111111", "333333333333", None],
            "region": ["eu-west-3", "eu-west-1", "eu-west-2", "eu-west-1"],
        },
        index=[10, 20, 30, 40],
    )
    cancel, wanted = threading.Event(), {"UserPoolConfigs": {"Mfa": {"MFAMode": "ON"}}}
    result = inventory.apply(wanted, targets, "upsert", 3, True, connection=where, cancel=cancel)
    assert places.labels == [
        ("apply 222222222222/eu-west-3", "target"),
        ("apply 111111111111/eu-west-1", "target"),
    ]
    assert [(r, apps) for r, apps, _ in sent] == [
        ("eu-west-3", ["d3"]),
        ("eu-west-1", ["d1", "d1"]),
    ]
    options = sent[0][2]
    assert options["mode"] == "upsert" and options["concurrency"] == 3
    assert options["dry_run"] is True and options["cancel"] is cancel
    assert result.index.tolist() == [0, 1, 2, 3]
    assert result["app_id"].tolist() == ["d3", "d1", "d9", "d1"]
    assert result["status"].tolist() == ["DRY_RUN", "DRY_RUN", "INVALID", "DRY_RUN"]
    assert result["region"].tolist() == ["eu-west-3", "eu-west-1", "eu-west-2", "eu-west-1"]
    assert result["account_id"].tolist()[:3] == ["222222222222", "111111111111", "333333333333"]
    assert result.loc[3, "account_id"] == "111111111111"  # where it was sent
    assert str(result["region"].dtype) == "string" and str(result["status"].dtype) == "category"
    assert str(result["operation"].dtype) == "category"
    assert "333333333333" in result.loc[2, "error"] and result.loc[2, "environment"] == "dev"
    # one place: no label of where, and no cancel given when none was
    sent.clear()
    one = inventory.apply(wanted, targets.iloc[[1]], connection=where[0], progress=False)
    assert one["status"].tolist() == ["DRY_RUN"] and "cancel" not in sent[0][2]
    assert sent[0][2]["mode"] == "create" and sent[0][2]["concurrency"] == 8
    assert sent[0][2]["dry_run"] is False and sent[0][2]["progress"] is None
    inventory.apply(wanted, targets.iloc[[1]], connection=where[0])
    assert places.labels[-1] == ("apply", "target")
    nowhere = pd.DataFrame({"app_id": [None], "environment": [None], "region": ["mars-1"]})
    refused = inventory.apply(wanted, nowhere, connection=where)
    assert refused[["app_id", "environment"]].isna().all(axis=None)  # none made up
    assert refused.loc[0, "status"] == "INVALID"
    kept = JobHistory(":memory:")  # (a durable one lets an interrupted apply resume)
    inventory.apply(wanted, targets.iloc[[1]], connection=where[0], history=kept)
    assert places.fleets[-1].history is kept


def test_an_apply_with_nothing_to_do_is_an_empty_frame_of_the_results_columns(monkeypatch):
    Places(monkeypatch)
    from amplify_auth_widgets.fleet.rollout import results_frame

    empty = pd.DataFrame({"app_id": [], "environment": []})
    result = inventory.apply({}, empty, connection=Connection(region="eu-west-1"))
    assert result.empty
    assert list(result.columns) == [*results_frame([]).columns, "account_id", "region"]
    assert str(result["region"].dtype) == "string"


def test_a_secret_changed_between_two_saved_audits_is_drift_and_its_value_never_saved():
    from amplify_auth_widgets.fleet.timeline import drift

    fleet, service = fleet_of_three()
    clock = iter(range(1_800_000_000, 1_800_000_100, 10))
    fleet.history.clock = lambda: float(next(clock))
    fleet.audit(save=True)
    rotated = copy.deepcopy(CONFIG)
    google = rotated["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]
    google["ClientSecret"] = "rotated-google-secret"
    service.configs[("d1", "prod")] = rotated
    fleet.audit(save=True)
    changes = drift(history=fleet.history)
    secret = "UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"
    assert changes[["app_id", "environment", "field"]].values.tolist() == [["d1", "prod", secret]]
    assert "rotated-google-secret" not in changes.to_csv()


def test_an_audit_reads_eight_environments_at_a_time_or_as_many_as_asked():
    apps = [{"appId": "d1", "name": "one"}]
    names = [f"e{n}" for n in range(24)]
    in_flight, peak = [0], [0]
    turn = threading.Condition()

    class Slow(FakeService):
        def call(self, operation: str, request: Any, *, client: Any = None) -> dict[str, Any]:
            if operation != "GetBackend":
                return super().call(operation, request, client=client)
            with turn:
                in_flight[0] += 1
                peak[0] = max(peak[0], in_flight[0])
                turn.notify_all()
                turn.wait_for(lambda: in_flight[0] >= limit, timeout=5)
            time.sleep(0.02)
            with turn:
                in_flight[0] -= 1
            return super().call(operation, request, client=client)

    fleet = Fleet(Slow(apps, {"d1": envs(*names)}))  # type: ignore[arg-type]
    limit = 8
    assert len(fleet.audit()) == 24 and peak[0] == 8
    limit, peak[0] = 3, 0
    assert len(fleet.audit(concurrency=3)) == 24 and peak[0] == 3


def test_the_deployed_ids_are_read_into_their_columns():
    deployed = {
        "providers": {
            "awscloudformation": {
                "Region": "eu-west-3",
                "AuthRoleArn": "arn:aws:iam::123456789012:role/a-authRole",
            }
        },
        "auth": {"mainauth": {"output": {"UserPoolId": "eu-west-3_AbC123xyZ"}}},
    }
    fleet = Fleet(FakeService([], {}, {("d1", "dev"): json.dumps(deployed)}))  # type: ignore[arg-type]
    row = fleet.audit_one({"appId": "d1", "name": "one"}, "dev")
    assert row["user_pool_id"] == "eu-west-3_AbC123xyZ" and row["region"] == "eu-west-3"
    assert row["resource_name"] == "mainauth" and row["configured"] is True
    assert set(DEPLOYED_COLUMNS) <= set(row)

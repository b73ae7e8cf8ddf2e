"""An apply's plan, target by target, without a service: the targets read from a frame (cells
turned into the field's type, empty cells, duplicates, rows without an app or environment),
the request each gets, what a dry run shows and the results frame. A mutation run of
fleet/rollout.py found these checked only through a few whole applies."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from amplify_auth_widgets.core.lifecycle import JobStatus
from amplify_auth_widgets.emulator.demo import SOCIAL, fleet_config
from amplify_auth_widgets.fleet.rollout import (
    Outcome,
    Target,
    apply,
    build_request,
    mark_duplicates,
    parse_targets,
    results_frame,
    target_diff,
)

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
POLICY = "UserPoolConfigs.PasswordPolicy.MinimumLength"


def one(template: dict[str, Any], **cells: Any) -> Target:
    """The one target of a frame of one row (app d1, environment dev, and ``cells``)."""
    row = {"app_id": "d1abc", "environment": "dev", **cells}
    (target,) = parse_targets(template, pd.DataFrame([row]))
    return target


def at(config: dict[str, Any], path: str) -> Any:
    for step in path.split("."):
        config = config[step]
    return config


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        (POLICY, "14", 14.0),  # a double, from a CSV's text
        (POLICY, " 9.5 ", 9.5),
        (POLICY, "fourteen", "fourteen"),  # not a number: kept for the validator to name
        (POLICY, np.float64(13.0), 13.0),
        ("IdentityPoolConfigs.UnauthenticatedLogin", "TRUE", True),
        ("IdentityPoolConfigs.UnauthenticatedLogin", " false ", False),
        ("IdentityPoolConfigs.UnauthenticatedLogin", "yes", "yes"),
        ("IdentityPoolConfigs.UnauthenticatedLogin", np.bool_(True), True),
        ("UserPoolConfigs.OAuth.OAuthScopes", "EMAIL, OPENID,, ", ["EMAIL", "OPENID"]),
        ("UserPoolConfigs.OAuth.OAuthScopes", ' ["PHONE", "EMAIL"]', ["PHONE", "EMAIL"]),
        ("UserPoolConfigs.OAuth.OAuthScopes", "[PHONE", "[PHONE"),  # not JSON: kept
        ("UserPoolConfigs.OAuth.OAuthScopes", "", []),
        ("UserPoolConfigs.UserPoolName", " pool ", " pool "),  # text is text, spaces and all
        ("ResourceConfig.UserPoolConfigs.Mfa.MFAMode", "OFF", "OFF"),
    ],
)
def test_a_cell_becomes_the_value_of_its_field_s_type(column, cell, value):
    target = one(TEMPLATE, **{column: cell})
    got = at(target.config, column.removeprefix("ResourceConfig."))
    assert got == value and type(got) is type(value)  # Python's own types: JSON writes them
    json.dumps(target.config)


def test_an_override_makes_the_structures_the_template_lacks_and_empty_cells_override_nothing():
    frame = pd.DataFrame(
        {
            "app_id": ["d1abc", "d2abc", "d3abc"],
            "environment": ["dev", "dev", "dev"],
            "UserPoolConfigs.OAuth.OAuthScopes": [["EMAIL"], None, np.nan],
            POLICY: [None, "20", np.nan],
        }
    )
    first, second, third = parse_targets({"Service": "COGNITO"}, frame)
    assert first.config == {
        "Service": "COGNITO",
        "UserPoolConfigs": {"OAuth": {"OAuthScopes": ["EMAIL"]}},
    }
    assert second.config == {
        "Service": "COGNITO",
        "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 20.0}},
    }
    assert third.config == {"Service": "COGNITO"}
    # each target has a configuration of its own, the template's left as it was
    first.config["Service"] = "changed"
    assert third.config["Service"] == "COGNITO"
    assert all(t.resource_name is None and not t.settled for t in (first, second, third))


def test_the_resource_is_the_targets_or_else_the_template_requests():
    assert one(TEMPLATE).resource_name == "fleetauth" and not one(TEMPLATE).named
    named = one(TEMPLATE, resource_name="mine")
    assert (named.resource_name, named.named) == ("mine", True)
    for empty in ("", None, np.nan):
        target = one(TEMPLATE, resource_name=empty)
        assert (target.resource_name, target.named) == ("fleetauth", False)
    # a bare ResourceConfig names no resource, even one with a ResourceName member
    assert one(CONFIG).resource_name is None
    assert one({**CONFIG, "ResourceName": "x"}).resource_name is None


@pytest.mark.parametrize("template", [[CONFIG], "fleetauth", {"ResourceConfig": [1]}])
def test_a_template_that_is_no_object_is_refused(template):
    with pytest.raises(ValueError, match=r"^the template must be a request or a ResourceConfig"):
        one(template)


def test_a_row_without_its_app_or_environment_is_invalid_and_says_which_row():
    frame = pd.DataFrame(
        {"app_id": ["d1abc", None, "", "d4abc"], "environment": ["dev", np.nan, "prod", None]}
    )
    ok, both, app, env = parse_targets(TEMPLATE, frame)
    assert not ok.settled
    assert both.status == app.status == env.status == Outcome.INVALID
    assert both.error == (
        "target 2 has no app_id and no environment: every target names the app (its id) and "
        "the environment"
    )
    assert app.error.startswith("target 3 has no app_id: ")
    assert env.error.startswith("target 4 has no environment: ")
    assert (both.app_id, both.environment, env.environment) == ("", "", "")


def test_a_target_named_again_is_a_duplicate_of_its_first_row():
    frame = pd.DataFrame(
        {
            "app_id": ["d1abc", "d1abc", "d1abc", "d1abc", "d1abc", "d2abc"],
            "environment": ["dev", "dev", "dev", "prod", "dev", "dev"],
            "resource_name": [None, None, None, None, "other", None],
            POLICY: [None, None, "20", None, None, None],
        }
    )
    targets = parse_targets(TEMPLATE, frame)
    assert [t.status for t in targets] == [
        None,
        Outcome.DUPLICATE,
        Outcome.DUPLICATE,
        None,
        None,
        None,
    ]
    assert targets[1].error == (
        "the same app, environment and resource as target 1: sent once, for target 1"
    )
    assert targets[2].error == (
        "the same app, environment and resource as target 1: sent once, for target 1; its own "
        "overrides are not applied"
    )


def test_a_settled_target_is_not_counted_as_the_first_of_its_name():
    first = Target("d1abc", "dev", "auth", {})
    first.status = Outcome.INVALID
    second, third = Target("d1abc", "dev", "auth", {}), Target("d1abc", "dev", "auth", {"x": 1})
    mark_duplicates([first, second, third])
    assert first.status == Outcome.INVALID and second.status is None
    assert third.status == Outcome.DUPLICATE and "as target 2: " in str(third.error)


def digest(operation: str, request: dict[str, Any]) -> str:
    return f"{operation}:{json.dumps(request, sort_keys=True)}"


@pytest.mark.parametrize(
    ("mode", "current", "looked_up", "operation"),
    [
        ("create", None, None, "CreateBackendAuth"),
        ("create", CONFIG, True, "CreateBackendAuth"),
        ("update", None, None, "UpdateBackendAuth"),  # not looked up: the resource was named
        ("update", CONFIG, True, "UpdateBackendAuth"),
        ("upsert", None, True, "CreateBackendAuth"),
        ("upsert", CONFIG, True, "UpdateBackendAuth"),
    ],
)
def test_the_operation_follows_the_mode_and_what_the_environment_has(
    mode, current, looked_up, operation
):
    target = Target("d1abc", "dev", "fleetauth", json.loads(json.dumps(CONFIG)))
    target.current, target.looked_up = current, looked_up
    build_request(target, mode, digest)
    assert target.operation == operation and target.status is None
    assert target.request is not None and target.request["ResourceName"] == "fleetauth"
    assert target.request["AppId"] == "d1abc"
    assert target.request["BackendEnvironmentName"] == "dev"
    assert target.request_hash == digest(operation, target.request)
    dropped = [f for f in target.findings if f.code == "fleet.not-updatable"]
    if operation == "CreateBackendAuth":
        assert target.request["ResourceConfig"] == CONFIG and not dropped
        return
    # what UpdateBackendAuth cannot change is left out, each named in a warning
    assert "UserPoolName" not in target.request["ResourceConfig"]["UserPoolConfigs"]
    assert {(f.path, f.severity) for f in dropped} == {
        (f"ResourceConfig.{p}", "warning")
        for p in (
            "IdentityPoolConfigs.IdentityPoolName",
            "UserPoolConfigs.UserPoolName",
            "UserPoolConfigs.SignInMethod",
            "UserPoolConfigs.RequiredSignUpAttributes",
        )
    }
    assert all(
        f.message == "UpdateBackendAuth cannot change this member; it is left as it is"
        for f in dropped
    )


def test_a_target_without_a_resource_name_sends_none_and_the_validator_asks_for_one():
    target = Target("d1abc", "dev", None, json.loads(json.dumps(CONFIG)))
    build_request(target, "create", digest)
    assert target.request is not None and "ResourceName" not in target.request
    assert target.status == Outcome.INVALID and "ResourceName is required" in str(target.error)


def test_an_update_where_there_is_no_auth_is_invalid_and_builds_nothing():
    target = Target("d1abc", "dev", None, CONFIG, looked_up=True)
    build_request(target, "update", digest)
    assert (target.status, target.error) == (
        Outcome.INVALID,
        "no auth to update in this environment",
    )
    assert target.request is None and target.request_hash is None


def test_a_request_with_errors_is_invalid_with_every_error_and_still_hashed():
    config = json.loads(json.dumps(CONFIG))
    config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 3
    config["UserPoolConfigs"]["Mfa"]["MFAMode"] = "SOMETIMES"
    target = Target("d1abc", "dev", "fleetauth", config)
    build_request(target, "create", digest)
    assert target.status == Outcome.INVALID and target.request["ResourceName"] == "fleetauth"
    errors = [str(f) for f in target.findings if f.severity == "error"]
    assert len(errors) == 2 and target.error == "; ".join(errors)
    assert target.request_hash == digest("CreateBackendAuth", target.request)


def test_a_dry_run_shows_each_change_an_update_makes_and_no_secret():
    current = json.loads(json.dumps(SOCIAL))
    config = {"UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 14}}}
    target = Target("d1abc", "dev", "auth", config, current=current, looked_up=True)
    build_request(target, "update", digest)
    # an update keeps what it does not name: one line, the one member changed
    assert target_diff(target) == ["UserPoolConfigs.PasswordPolicy.MinimumLength: 8 -> 14"]
    # a create replaces: what the template lacks is removed, a secret never quoted
    target = Target("d1abc", "dev", "auth", {"Service": "COGNITO"}, current=current)
    build_request(target, "create", digest)
    lines = target_diff(target)
    assert "AuthResources: removed (was 'IDENTITY_POOL_AND_USER_POOL')" in lines
    assert any(line.startswith("UserPoolConfigs: removed") for line in lines)
    assert "demo-google-secret" not in "".join(lines)
    # nothing there yet: each member added; a target with no request shows nothing
    fresh = Target("d1abc", "dev", "auth", {"Service": "COGNITO", "UserPoolConfigs": {}})
    build_request(fresh, "create", digest)
    assert target_diff(fresh) == ["Service: added 'COGNITO'"]
    assert target_diff(Target("d1abc", "dev", None, {})) == []


def test_a_secret_added_whole_is_shown_redacted():
    config = json.loads(json.dumps(SOCIAL))
    target = Target("d1abc", "dev", "auth", config, current={})
    build_request(target, "create", digest)
    lines = target_diff(target)
    assert "demo-google-secret" not in "\n".join(lines)
    assert "UserPoolConfigs: added (hidden)" in lines  # it holds the providers' secrets
    assert "IdentityPoolConfigs: added {'IdentityPoolName': 'shop_identity',..." in lines


def test_the_results_frame_has_a_row_a_target_with_typed_columns():
    done = Target("d1abc", "dev", "auth", {}, operation="UpdateBackendAuth", job_id="j1")
    done.status, done.error, done.duration = JobStatus.COMPLETED, "retried once", 2.5
    done.request_hash, done.diff = "h1", ["a: 1 -> 2"]
    bad = Target("", "dev", None, {})
    bad.status, bad.error = Outcome.INVALID, "target 2 has no app_id"
    waiting = Target("d2abc", "prod", None, {})
    frame = results_frame([done, bad, waiting])
    assert list(frame.columns) == [
        "app_id",
        "environment",
        "resource_name",
        "operation",
        "request_hash",
        "job_id",
        "status",
        "error",
        "duration",
        "findings",
        "diff",
        "changes",
        "applied_by",
    ]
    texts = ("resource_name", "request_hash", "job_id", "error", "applied_by")
    for column in ("app_id", "environment", *texts):
        assert str(frame[column].dtype) == "string", column
    assert str(frame["operation"].dtype) == str(frame["status"].dtype) == "category"
    rows = frame.to_dict("records")
    assert rows[0]["status"] == "COMPLETED" and pd.isna(rows[0]["error"])  # done: no error
    assert rows[0]["duration"] == pd.Timedelta(seconds=2.5) and rows[0]["diff"] == ["a: 1 -> 2"]
    assert pd.isna(rows[1]["app_id"]) and rows[1]["error"] == "target 2 has no app_id"
    assert rows[1]["status"] == "INVALID" and pd.isna(rows[2]["status"])
    assert pd.isna(rows[2]["duration"]) and rows[2]["findings"] == []


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"mode": "replace"}, "mode must be one of create, update, upsert, not 'replace'"),
        ({"concurrency": 0}, "concurrency must be 1 or more, not 0"),
    ],
)
def test_an_apply_refuses_a_mode_or_concurrency_it_cannot_use(options, says):
    frame = pd.DataFrame({"app_id": ["d1abc"], "environment": ["dev"]})
    with pytest.raises(ValueError) as caught:
        apply(TEMPLATE, frame, fleet=None, **options)  # type: ignore[arg-type]
    assert str(caught.value) == says


@pytest.mark.parametrize(
    ("columns", "says"),
    [
        (
            {"configured": [True], "finding_codes": [[]]},
            "targets is an audit frame: its configuration columns would override the template; "
            'pass frame[["app_id", "environment", "resource_name"]] instead',
        ),
        (
            {"app": ["d1abc"]},
            "targets needs the columns app_id and environment; missing: app_id, environment",
        ),
        (
            {"app_id": ["d1abc"], "environment": ["dev"], "UserPoolConfigs.PasswordPolicy": [1]},
            "targets column 'UserPoolConfigs.PasswordPolicy' is neither app_id, environment, "
            "resource_name nor a configuration field (a dotted path such as "
            "UserPoolConfigs.PasswordPolicy.MinimumLength)",
        ),
        (
            {"app_id": ["d1abc"], "environment": ["dev"], "Mfa.Mode": ["ON"]},
            "targets column 'Mfa.Mode' is neither app_id, environment, resource_name nor a "
            "configuration field (a dotted path such as "
            "UserPoolConfigs.PasswordPolicy.MinimumLength)",
        ),
    ],
)
def test_a_frame_that_cannot_name_targets_is_refused_with_the_fix(columns, says):
    with pytest.raises(ValueError) as caught:
        parse_targets(TEMPLATE, pd.DataFrame(columns))
    assert str(caught.value) == says


def test_what_requests_share_is_validated_once_and_the_findings_are_validate_s():
    from amplify_auth_widgets.core.validation import validate
    from amplify_auth_widgets.fleet.rollout import SharedValidation

    weak = json.loads(json.dumps(CONFIG))
    weak["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 3
    targets = [
        {"AppId": "d1abc", "BackendEnvironmentName": "dev"},
        {"AppId": "NOT an app id", "BackendEnvironmentName": " prod "},
        {"AppId": 7},
        {},
    ]
    shared = SharedValidation()
    for operation in ("CreateBackendAuth", "UpdateBackendAuth"):
        for config in (CONFIG, weak, {"Service": "COGNITO"}):
            for target in targets:
                request = {**target, "ResourceName": "fleetauth", "ResourceConfig": config}
                assert shared(request, operation) == validate(request, operation)
    # a request JSON cannot write is validated whole, and the validator names what is wrong
    odd = {"AppId": "d1abc", "BackendEnvironmentName": "dev", "ResourceConfig": {1, 2}}
    assert shared(odd, "CreateBackendAuth") == validate(odd, "CreateBackendAuth")

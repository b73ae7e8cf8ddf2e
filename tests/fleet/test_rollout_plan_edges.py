"""An apply's plan at the edges the first tests of ``test_rollout_plan.py`` left open, found
by a mutation run of fleet/rollout.py: which row a duplicate is compared with, a frame with
one of an audit frame's columns (not an audit frame), and shared validation: validated once
whatever the order of the members, and a request JSON cannot write validated as its own
operation."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.rollout import (
    Outcome,
    Target,
    build_request,
    is_unchanged,
    parse_targets,
    results_frame,
)

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
POLICY = "UserPoolConfigs.PasswordPolicy.MinimumLength"


def test_a_duplicate_is_compared_with_the_row_it_repeats_not_another():
    frame = pd.DataFrame(
        {
            "app_id": ["d1abc", "d2abc", "d1abc", "d2abc"],
            "environment": ["dev"] * 4,
            POLICY: ["20", None, "20", "16"],
        }
    )
    first, other, again, changed = parse_targets(TEMPLATE, frame)
    assert first.status is other.status is None
    # the same overrides as the row it repeats (not as the last row, nor the one before)
    assert again.status == Outcome.DUPLICATE
    assert again.error == (
        "the same app, environment and resource as target 1: sent once, for target 1"
    )
    assert changed.error == (
        "the same app, environment and resource as target 2: sent once, for target 2; its "
        "own overrides are not applied"
    )


@pytest.mark.parametrize("column", ["configured", "finding_codes"])
def test_a_frame_with_one_audit_column_is_told_that_column_is_unknown(column):
    # not an audit frame (that has both): the column is named, as any unknown column is
    frame = pd.DataFrame({"app_id": ["d1abc"], "environment": ["dev"], column: [True]})
    with pytest.raises(ValueError) as caught:
        parse_targets(TEMPLATE, frame)
    assert str(caught.value).startswith(f"targets column {column!r} is neither app_id, ")


def test_what_requests_share_is_validated_once_whatever_the_order_of_their_members(
    monkeypatch,
):
    # the validator watched, not replaced: what SharedValidation exists for is that two
    # hundred targets of one template cost one full validation, not two hundred
    from amplify_auth_widgets.core import validation
    from amplify_auth_widgets.fleet import rollout

    whole: list[dict] = []

    def watched(request, operation="CreateBackendAuth"):
        if "ResourceConfig" in request:
            whole.append(request)
        return validation.validate(request, operation)

    monkeypatch.setattr(rollout, "validate", watched)
    shared = rollout.SharedValidation()
    reordered = dict(reversed(list(CONFIG.items())))  # the same members, another order
    for n, config in enumerate([CONFIG, reordered, CONFIG]):
        request = {"AppId": f"d{n}abc", "BackendEnvironmentName": "dev", "ResourceConfig": config}
        assert shared(request, "UpdateBackendAuth") == validation.validate(
            request, "UpdateBackendAuth"
        )
    assert len(whole) == 1


def test_a_request_json_cannot_write_is_validated_whole_as_its_own_operation():
    from amplify_auth_widgets.core.validation import validate
    from amplify_auth_widgets.fleet.rollout import SharedValidation

    config = {**CONFIG, "Extra": {1, 2}}  # (a set: not JSON)
    odd = {"AppId": "d1abc", "BackendEnvironmentName": "dev", "ResourceConfig": config}
    for operation in ("CreateBackendAuth", "UpdateBackendAuth"):
        assert SharedValidation()(odd, operation) == validate(odd, operation)
    # (the operations' findings differ: an update cannot take the pool's name, say)
    assert validate(odd, "CreateBackendAuth") != validate(odd, "UpdateBackendAuth")


def test_an_environment_with_the_configuration_under_another_resource_name_is_changed():
    def looked_up(current_name: str) -> Target:
        target = Target("d1abc", "dev", "fleetauth", json.loads(json.dumps(CONFIG)))
        target.looked_up, target.current = True, json.loads(json.dumps(CONFIG))
        target.current_name = current_name
        build_request(target, "create", lambda operation, request: "hash")
        return target

    assert is_unchanged(looked_up("fleetauth"))  # what it has, under that name: nothing to send
    # the same settings under another auth resource: the one named is still to be made
    assert not is_unchanged(looked_up("envauth"))


def test_a_configuration_not_read_or_no_auth_at_all_is_never_unchanged():
    target = Target("d1abc", "dev", "fleetauth", json.loads(json.dumps(CONFIG)))
    target.current, target.current_name = json.loads(json.dumps(CONFIG)), "fleetauth"
    build_request(target, "create", lambda operation, request: "hash")
    for read in (None, False):  # given, not read from the environment: not proof of state
        target.looked_up = read
        assert not is_unchanged(target)
    # read, and the environment has no auth: even a request of nothing makes one
    empty = Target("d1abc", "dev", None, {}, looked_up=True)
    build_request(empty, "create", lambda operation, request: "hash")
    assert empty.request is not None and not is_unchanged(empty)


def test_the_results_frame_names_each_target_leaves_an_empty_name_missing_and_warns_not():
    named = Target("d1abc", "dev", "auth", {})
    unnamed = Target("", "", None, {})
    unnamed.status = Outcome.INVALID
    named.duration = 2.5
    with warnings.catch_warnings():  # (a notebook shows a warning under every apply)
        warnings.simplefilter("error")
        rows = results_frame([named, unnamed]).to_dict("records")
    assert rows[0]["duration"] == pd.Timedelta(seconds=2.5) and pd.isna(rows[1]["duration"])
    assert (rows[0]["app_id"], rows[0]["environment"], rows[0]["resource_name"]) == (
        "d1abc",
        "dev",
        "auth",
    )
    assert all(pd.isna(rows[1][c]) for c in ("app_id", "environment", "resource_name"))

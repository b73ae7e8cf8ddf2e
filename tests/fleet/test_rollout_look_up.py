"""What an apply reads of each environment before it sends, against the emulator, at the
edges a mutation run of fleet/rollout.py found unchecked: a create whose target names no
resource keeps the template's name whatever the environment has, an upsert where there is no
auth creates the template's, an upsert whose app is not there sends nothing, a look-up
refused for both the app id and the environment says both, and a dry run: its changes as
rows, and the targets whose environment it cannot read or that have no auth to update; and
what an apply's requests share validated once."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pandas as pd
import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.rollout import Outcome

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
APP = "d1lookup"


@pytest.fixture
def made(tmp_path) -> Iterator[Emulator]:
    """An emulator (jobs end at once) whose app APP's dev has auth named envauth and whose
    bare and spare have none."""
    with Emulator(job_seconds=0, seed=7, db=str(tmp_path / "state.sqlite3")) as emulator:
        store, now = emulator.backend.store, emulator.clock()
        store.put_app(APP, APP, {}, now)
        for env in ("dev", "bare", "spare"):
            store.put_environment(APP, env, {}, now)
        store.put_auth(APP, "dev", "envauth", STORED, now)
        yield emulator


def fleet(emulator: Emulator, history: JobHistory) -> Fleet:
    service = BackendAuthService(
        emulator.connection(), on_call=history.record_call, sleep=lambda s: None
    )
    policy = TrackerPolicy(min_interval=0.02, max_interval=0.1)
    return Fleet(service, history, JobTracker(service, history, policy=policy))


def sent_names(history: JobHistory, operation: str) -> list[str]:
    calls = history.requests()
    calls = calls[calls["operation"].astype(str) == operation]
    return [json.loads(request).get("ResourceName") for request in calls["request"]]


def test_a_create_naming_no_resource_sends_the_template_s_name_not_the_environment_s(made):
    history = JobHistory(":memory:")
    targets = pd.DataFrame({"app_id": [APP], "environment": ["dev"]})
    (row,) = fleet(made, history).apply(TEMPLATE, targets, mode="create").to_dict("records")
    assert row["operation"] == "CreateBackendAuth" and row["resource_name"] == "fleetauth"
    assert sent_names(history, "CreateBackendAuth") == ["fleetauth"]


def test_an_upsert_where_there_is_no_auth_creates_the_template_s(made):
    history = JobHistory(":memory:")
    targets = pd.DataFrame({"app_id": [APP], "environment": ["bare"]})
    (row,) = fleet(made, history).apply(TEMPLATE, targets, mode="upsert").to_dict("records")
    assert (row["status"], row["operation"]) == ("COMPLETED", "CreateBackendAuth")
    assert row["resource_name"] == "fleetauth"
    assert sent_names(history, "CreateBackendAuth") == ["fleetauth"]


def test_a_look_up_refused_for_the_app_id_and_the_environment_names_both(made):
    targets = pd.DataFrame({"app_id": ["NOT an app id"], "environment": ["x" * 300]})
    (row,) = (
        fleet(made, JobHistory(":memory:"))
        .apply(TEMPLATE, targets, mode="upsert")
        .to_dict("records")
    )
    assert row["status"] == Outcome.INVALID
    # settled at its look-up: no operation chosen, no request built
    assert pd.isna(row["operation"]) and pd.isna(row["request_hash"])
    # each error whole, one after the other
    assert row["error"].startswith("AppId: error amplify.app-id: AppId 'NOT an app id' ")
    assert "(as in the Amplify console's App ARN).; BackendEnvironmentName: error " in row["error"]
    assert row["error"].endswith(
        "BackendEnvironmentName is 300 characters; give 1 to 255 characters."
    )


def test_an_upsert_whose_app_is_not_there_ends_at_its_look_up_and_sends_nothing(made):
    history = JobHistory(":memory:")
    targets = pd.DataFrame({"app_id": ["d9nothere"], "environment": ["dev"]})
    (row,) = fleet(made, history).apply(TEMPLATE, targets, mode="upsert").to_dict("records")
    assert row["status"] == Outcome.NOT_SENT and row["error"].startswith("NotFoundException: ")
    assert pd.isna(row["operation"])  # neither a create nor an update was chosen
    calls = history.requests()["operation"].astype(str).tolist()
    assert not {"CreateBackendAuth", "UpdateBackendAuth"} & set(calls)


def test_a_dry_run_gives_each_target_its_changes_as_rows_and_its_lines(made):
    targets = pd.DataFrame({"app_id": [APP, APP], "environment": ["dev", "bare"]})
    dev, bare = (
        fleet(made, JobHistory(":memory:"))
        .apply(TEMPLATE, targets, mode="upsert", dry_run=True)
        .to_dict("records")
    )
    assert (dev["status"], dev["operation"]) == (Outcome.DRY_RUN, "UpdateBackendAuth")
    path = "UserPoolConfigs.PasswordPolicy.MinimumLength"
    # (the service gives the double back as 8.0)
    assert dev["changes"] == [(path, 8.0, 12)] and dev["diff"] == [f"{path}: 8.0 -> 12"]
    # where there is no auth: every member the create adds, absent before
    assert bare["operation"] == "CreateBackendAuth" and bare["changes"]
    assert all(before is None for _, before, _ in bare["changes"])
    assert len(bare["changes"]) == len(bare["diff"])


def test_a_dry_run_reads_every_environment_and_says_what_it_cannot_show(made):
    # a dry run needs what each environment has: a create whose app is not there and a named
    # update where there is no auth end so, not with a diff from nothing
    targets = pd.DataFrame(
        {"app_id": ["d9nothere", APP], "environment": ["dev", "bare"], "resource_name": "fleetauth"}
    )
    gone, bare = fleet(made, JobHistory(":memory:")).apply(
        TEMPLATE, targets.iloc[:1], mode="create", dry_run=True
    ).to_dict("records") + fleet(made, JobHistory(":memory:")).apply(
        TEMPLATE, targets.iloc[1:], mode="update", dry_run=True
    ).to_dict("records")
    assert gone["status"] == Outcome.NOT_SENT and gone["error"].startswith("NotFoundException")
    assert gone["diff"] == [] and gone["changes"] == []
    assert (bare["status"], bare["error"]) == (
        Outcome.INVALID,
        "no auth to update in this environment",
    )


def test_an_apply_validates_what_its_requests_share_once(made, monkeypatch):
    # the validator watched, not replaced: two targets of one template, one full validation
    from amplify_auth_widgets.core import validation
    from amplify_auth_widgets.fleet import rollout

    whole: list[dict] = []

    def watched(request, operation="CreateBackendAuth"):
        if "ResourceConfig" in request:
            whole.append(request)
        return validation.validate(request, operation)

    monkeypatch.setattr(rollout, "validate", watched)
    targets = pd.DataFrame({"app_id": [APP, APP], "environment": ["bare", "spare"]})
    results = fleet(made, JobHistory(":memory:")).apply(
        TEMPLATE, targets, mode="create", dry_run=True
    )
    assert results["status"].astype(str).tolist() == [Outcome.DRY_RUN] * 2
    assert len(whole) == 1


def test_a_dry_run_of_a_create_judges_the_name_the_create_sends(made):
    """Where the environment's auth has another name and already the template's settings, a
    create would send the template's name and be refused: its dry run must not call it
    UNCHANGED by the environment's name, which the create does not send."""
    made.backend.store.put_auth(APP, "spare", "otherauth", CONFIG, made.clock())
    targets = pd.DataFrame({"app_id": [APP], "environment": ["spare"]})
    apply = fleet(made, JobHistory(":memory:")).apply
    (dry,) = apply(TEMPLATE, targets, mode="create", dry_run=True).to_dict("records")
    (real,) = apply(TEMPLATE, targets, mode="create").to_dict("records")
    assert dry["resource_name"] == real["resource_name"] == "fleetauth"
    assert dry["status"] == Outcome.DRY_RUN and dry["operation"] == "CreateBackendAuth"
    assert real["status"] != Outcome.UNCHANGED, real

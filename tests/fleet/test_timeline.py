"""Drift between saved audits, on the emulator's demo apps: each audit saved with its time in
the history's file, and every field that changed per environment since (secrets only as
"changed"), environments that came and went, from a time or a span ago."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pandas as pd
import pytest
from conftest import FakeClock

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.core.model import REDACTED
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL, STRONG
from amplify_auth_widgets.fleet import timeline
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.inventory import audit as audit_function
from amplify_auth_widgets.fleet.timeline import (
    DRIFT_COLUMNS,
    ENVIRONMENT_FIELD,
    drift,
    parse_since,
    saved_audits,
)
from amplify_auth_widgets.jobs.audits import AuditStore

GOOGLE_SECRET = "ClientSecret-of-google-9f8e7d"
SECRET_FIELD = "UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"


@pytest.fixture
def demo(tmp_path):
    with Emulator(demo=True, job_seconds=0, db=str(tmp_path / "state.sqlite3"), seed=3) as emu:
        yield emu


def make_fleet(emulator, history):
    service = BackendAuthService(
        emulator.connection(), on_call=history.record_call, sleep=lambda s: None
    )
    tracker = JobTracker(service, history, policy=TrackerPolicy(min_interval=0.02))
    return Fleet(service, history, tracker)


def edit(emulator, app_id, env, resource, config):
    """A change made behind the fleet's back (the console, another tool)."""
    emulator.store.put_auth(app_id, env, resource, config, emulator.clock())


def changes(frame):
    return {
        (r["app_id"], r["environment"], r["field"], _text(r["before"]), _text(r["after"]))
        for r in frame.to_dict("records")
    }


def _text(value):
    return json.dumps(value) if isinstance(value, list) else value


def test_drift_between_two_saved_audits_names_each_changed_field(demo, tmp_path):
    clock = FakeClock()
    history = JobHistory(tmp_path / "history.sqlite3", clock=clock)
    fleet = make_fleet(demo, history)
    social = copy.deepcopy(SOCIAL)
    social["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]["ClientSecret"] = (
        GOOGLE_SECRET
    )
    edit(demo, "d2demoshop", "staging", "shopmobileauth", social)
    first = fleet.audit(save=True)
    assert drift(history=history).empty  # one audit: nothing to compare with

    clock.advance(3600)
    weaker = copy.deepcopy(STRONG)
    weaker["UserPoolConfigs"]["Mfa"] = {"MFAMode": "OFF"}
    weaker["UserPoolConfigs"]["PasswordPolicy"]["AdditionalConstraints"] = ["REQUIRE_DIGIT"]
    edit(demo, "d1demotodo", "prod", "todowebauth", weaker)
    social["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]["ClientSecret"] = (
        "rotated-secret-1234"
    )
    edit(demo, "d2demoshop", "staging", "shopmobileauth", social)
    demo.store.delete_environment("d3demoadmin", "main")
    demo.store.put_environment("d4demonew", "test", {}, clock())
    second = fleet.audit(save=True)
    assert len(second) == len(first)  # (one environment gone, one new)

    found = drift(history=history)
    assert list(found.columns) == list(DRIFT_COLUMNS)
    assert changes(found) == {
        ("d1demotodo", "prod", "UserPoolConfigs.Mfa.MFAMode", "ON", "OFF"),
        ("d1demotodo", "prod", "UserPoolConfigs.Mfa.Settings.MfaTypes", '["TOTP"]', None),
        (
            "d1demotodo",
            "prod",
            "UserPoolConfigs.PasswordPolicy.AdditionalConstraints",
            '["REQUIRE_DIGIT", "REQUIRE_SYMBOL", "REQUIRE_UPPERCASE"]',
            '["REQUIRE_DIGIT"]',
        ),
        ("d2demoshop", "staging", SECRET_FIELD, REDACTED, "changed"),
        ("d3demoadmin", "main", ENVIRONMENT_FIELD, "present", "absent"),
        ("d4demonew", "test", ENVIRONMENT_FIELD, "absent", "present"),
    }
    assert set(found["when"]) == {pd.Timestamp(clock(), unit="s", tz="UTC")}
    assert set(found.loc[found["app_id"] == "d1demotodo", "app_name"]) == {"todo-web"}
    assert str(found["field"].dtype) == "string"
    # the secret is nowhere: not in the frame, not in the file
    assert GOOGLE_SECRET not in found.to_csv() and "rotated-secret" not in found.to_csv()
    history.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite3*"))
    assert GOOGLE_SECRET.encode() not in stored and b"rotated-secret" not in stored
    with JobHistory(tmp_path / "history.sqlite3") as reopened:  # (the rows are compressed)
        store = AuditStore(reopened)
        saved = json.dumps([store.rows(a["id"]) for a in store.audits()])
    assert saved.count('"todowebauth"') == 4  # (dev and prod, twice) and SECRET_FIELD in saved
    assert GOOGLE_SECRET not in saved and "rotated-secret" not in saved


def test_an_unchanged_fleet_has_no_drift_across_reopened_files(demo, tmp_path):
    """The secrets' digests are keyed by the file: a history opened again compares them
    equal, so nothing is reported changed (module-level audit, save=True)."""
    path = tmp_path / "history.sqlite3"
    with JobHistory(path, clock=FakeClock()) as history:
        audit_function(demo.connection(), history=history, progress=False, save=True)
    clock = FakeClock(1_800_000_600.0)
    with JobHistory(path, clock=clock) as history:
        audit_function(demo.connection(), history=history, progress=False, save=True)
        assert len(saved_audits(history)) == 2
        found = drift(history=history)
    assert found.empty and list(found.columns) == list(DRIFT_COLUMNS)


def test_save_without_a_history_uses_the_users_file(demo, tmp_path, monkeypatch):
    path = tmp_path / "env-history.sqlite3"
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(path))
    audit_function(demo.connection(), progress=False, save=True)
    audits = saved_audits()
    assert len(audits) == 1 and audits["environments"][0] == 6
    assert not audits["filtered"][0] and audits["where"][0] == ["123456789012/us-east-1"]
    unsaved = audit_function(demo.connection(), progress=False)
    assert len(unsaved) == 6 and len(saved_audits()) == 1


def test_since_a_time_reports_every_change_after_it_with_its_time(demo):
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    fleet = make_fleet(demo, history)
    config = copy.deepcopy(STRONG)
    fleet.audit(save=True)
    start = clock()
    lengths = (13, 14)
    for length in lengths:
        clock.advance(86400)
        config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = length
        edit(demo, "d1demotodo", "prod", "todowebauth", config)
        fleet.audit(save=True)
    field = "UserPoolConfigs.PasswordPolicy.MinimumLength"
    every = drift(since=start + 1, history=history)
    assert list(zip(every["field"], every["before"], every["after"], strict=True)) == [
        (field, 12, 13),
        (field, 13, 14),
    ]
    assert list(every["when"]) == [
        pd.Timestamp(start + 86400, unit="s", tz="UTC"),
        pd.Timestamp(start + 2 * 86400, unit="s", tz="UTC"),
    ]
    # the same from a datetime, ISO text or a span ago; the latest alone by default
    moment = dt.datetime.fromtimestamp(start + 1, dt.UTC)
    assert drift(since=moment, history=history).equals(every)
    assert drift(since=moment.isoformat(), history=history).equals(every)
    assert drift(since="2d", history=history).equals(every)
    assert drift(since=dt.timedelta(hours=23), history=history)["after"].tolist() == [14]
    assert drift(history=history)["after"].tolist() == [14]
    # until: the changes up to a time
    assert drift(since=start + 1, until=start + 86400, history=history)["after"].tolist() == [13]
    assert drift(since=clock() + 1, history=history).empty


def test_a_filtered_audit_says_nothing_of_environments_it_did_not_read(demo):
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    fleet = make_fleet(demo, history)
    fleet.audit(save=True)
    clock.advance(60)
    fleet.audit(apps=iter(["todo-web"]), save=True)  # (a generator: read once)
    assert drift(history=history).empty
    audits = saved_audits(history)
    assert audits["filtered"].tolist() == [False, True]
    assert audits["environments"].tolist() == [6, 2]
    clock.advance(60)
    fleet.audit(save=True)  # a whole audit again, compared with the whole one before
    assert drift(history=history).empty


@pytest.mark.parametrize(
    "since",
    ["yesterday", "7 days", "-3d", "2026-13-45", [], True, "\u0663d", "\u0662" * 4 + "-01-01"],
)
def test_a_time_that_cannot_be_read_is_refused_with_the_forms_it_takes(since):
    with pytest.raises(ValueError) as caught:
        parse_since(since, 1_800_000_000.0)
    assert str(caught.value).startswith(f"since: {since!r} is not a time: give an ISO 8601")
    assert "a span ago (7d, 12h, 30m, 45s, 2w)" in str(caught.value)


def test_until_is_named_in_its_message():
    with pytest.raises(ValueError, match=r"^until: 'soon' is not a time"):
        drift(until="soon", history=JobHistory(":memory:"))


def test_times_read_as_epoch_seconds():
    now = 1_800_000_000.0
    assert parse_since(None, now) is None
    assert parse_since("90m", now) == now - 5400
    assert parse_since("1.5h", now) == now - 5400
    assert parse_since("2w", now) == now - 14 * 86400
    assert parse_since(1_700_000_000, now) == 1_700_000_000.0
    assert (
        parse_since("2027-01-15T08:00:00Z", now)
        == dt.datetime(2027, 1, 15, 8, tzinfo=dt.UTC).timestamp()
    )
    naive = dt.datetime(2027, 1, 15, 8)  # naive: UTC, whatever the machine's zone
    assert parse_since(naive, now) == dt.datetime(2027, 1, 15, 8, tzinfo=dt.UTC).timestamp()


def test_secret_digests_are_keyed_by_the_file_and_never_the_value(tmp_path):
    config = {"A": {"ClientSecret": "s3cr3t", "ClientId": "id"}, "PrivateKey": None}
    one, two = JobHistory(":memory:"), JobHistory(":memory:")
    digests = timeline.secret_digests(config, one)
    assert list(digests) == ["A.ClientSecret"]  # (a secret that is None has none)
    assert digests == timeline.secret_digests(config, one)
    assert digests != timeline.secret_digests(config, two)
    assert "s3cr3t" not in json.dumps(digests)


def frame_of(*rows):
    columns = ["account_id", "region", "app_id", "app_name", "environment", "configured"]
    return pd.DataFrame(
        [dict(zip(columns, r, strict=True)) | {"errors": 0, "check.x": True} for r in rows]
    )


def test_audits_of_other_accounts_and_regions_are_compared_each_with_its_own():
    """Audits saved a connection at a time (two accounts, two regions): an environment is
    compared with its own previous state, and one is gone only from a whole audit of its own
    account and region; derived columns (findings, checks) are not compared."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    east = ("111111111111", "us-east-1")
    west = ("222222222222", "eu-west-1")
    timeline.save_audit(history, frame_of((*east, "a1", "one", "dev", True)))
    clock.advance(10)
    timeline.save_audit(history, frame_of((*west, "a1", "one", "dev", False)))
    clock.advance(10)
    east_again = frame_of((*east, "a1", "one", "dev", False), (*east, "a2", "two", "prod", True))
    east_again["errors"] = 3  # (derived: not compared)
    timeline.save_audit(history, east_again)
    clock.advance(10)
    timeline.save_audit(history, frame_of(), apps=["nothing"])  # filtered: says nothing
    clock.advance(10)
    timeline.save_audit(history, frame_of((*west, "a3", "three", "dev", False)))
    found = drift(since=1, history=history)
    assert [
        (r["account_id"], r["region"], r["app_id"], r["field"], r["before"], r["after"])
        for r in found.to_dict("records")
    ] == [
        (*east, "a1", "configured", True, False),
        (*east, "a2", ENVIRONMENT_FIELD, "absent", "present"),
        (*west, "a1", ENVIRONMENT_FIELD, "present", "absent"),
        (*west, "a3", ENVIRONMENT_FIELD, "absent", "present"),
    ]
    assert found["when"].tolist() == [
        pd.Timestamp(clock() - 20, unit="s", tz="UTC"),
        pd.Timestamp(clock() - 20, unit="s", tz="UTC"),
        pd.Timestamp(clock(), unit="s", tz="UTC"),
        pd.Timestamp(clock(), unit="s", tz="UTC"),
    ]
    # by default: the latest audit of each account and region, each against what was before
    assert drift(history=history).equals(found)
    start = pd.Timestamp(clock() - 40, unit="s", tz="UTC")
    assert timeline.baseline_time(history) == start  # (east's before its latest: the first)
    assert timeline.baseline_time(JobHistory(":memory:")) is None
    clock.advance(10)
    timeline.save_audit(history, frame_of((*west, "a3", "three", "dev", False)))
    assert drift(history=history).equals(found.iloc[:2])  # (west read again, as it was)


def test_a_read_that_failed_is_its_error_and_not_a_configuration_removed():
    """A throttled or refused read between two good ones reports the error appearing and
    clearing, and the next good read is compared with the last good one."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    where = ("111111111111", "us-east-1", "a1", "one", "dev", True)
    mfa = "UserPoolConfigs.Mfa.MFAMode"
    throttled = "GetBackend: ThrottlingException: Rate exceeded"
    timeline.save_audit(history, frame_of(where).assign(**{mfa: "ON"}))
    failed = frame_of(where).assign(configured=False, error=throttled)
    for frame in (failed, failed, frame_of(where).assign(**{mfa: "OFF"})):
        clock.advance(10)
        timeline.save_audit(history, frame)
    found = drift(since=1, history=history)
    assert [(r["field"], r["before"], r["after"]) for r in found.to_dict("records")] == [
        ("error", None, throttled),  # (the second failed read: no change)
        (mfa, "ON", "OFF"),
        ("error", throttled, None),
    ]
    # the good reads on either side of the errors are compared with each other
    assert drift(since=1, until=clock() - 1, history=history)["after"].tolist() == [throttled]
    latest = drift(since=clock() - 1, history=history)
    assert latest[["field", "before", "after"]].values.tolist() == [
        [mfa, "ON", "OFF"],
        ["error", throttled, None],
    ]


def test_an_app_whose_environments_could_not_be_listed_loses_none():
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    east = ("111111111111", "us-east-1")
    both = frame_of((*east, "a1", "one", "dev", True), (*east, "a2", "two", "dev", True))
    timeline.save_audit(history, both)
    clock.advance(10)
    unlisted = frame_of((*east, "a1", "one", None, False), (*east, "a2", "two", "dev", True))
    unlisted["error"] = ["ListBackendEnvironments: AccessDeniedException: no", None]
    timeline.save_audit(history, unlisted)
    assert drift(history=history).empty
    clock.advance(10)
    timeline.save_audit(history, frame_of((*east, "a2", "two", "dev", True)))  # a1 listed
    found = drift(history=history)  # (against what was known: a1's dev before its error)
    assert found[["app_id", "environment", "field", "after"]].values.tolist() == [
        ["a1", "dev", ENVIRONMENT_FIELD, "absent"]
    ]
    clock.advance(10)
    timeline.save_audit(history, both)
    found = drift(history=history)
    assert found[["app_id", "environment", "field", "after"]].values.tolist() == [
        ["a1", "dev", ENVIRONMENT_FIELD, "present"]
    ]


def test_drift_over_two_accounts_and_two_regions_on_the_emulator(tmp_path):
    """Saved audits of the demo fleet over 2 accounts x 2 regions (a connection each): a
    change in one pair and an environment gone from another are said with their account and
    region; an audit of one pair alone says nothing of the others."""
    from amplify_auth_widgets.emulator.demo import FLEET_PAIRS, FLEET_REGIONS, seed_fleet_pairs
    from amplify_auth_widgets.emulator.store import scoped

    clock = FakeClock()
    with (
        Emulator(job_seconds=0, regions=FLEET_REGIONS, db=str(tmp_path / "s.sqlite3")) as emu,
        JobHistory(tmp_path / "history.sqlite3", clock=clock) as history,
    ):
        seeded = seed_fleet_pairs(emu.backend, 2)
        connections = emu.connections()  # (a connection each pair, as it is now)
        audit_function(connections, history=history, progress=False, save=True)
        audits = saved_audits(history)
        assert len(audits) == len(FLEET_PAIRS)  # (one a connection, saying where it read)
        assert sorted(audits["where"]) == sorted([f"{a}/{r}"] for a, r in FLEET_PAIRS)
        (east, east_region), (_, west_region) = FLEET_PAIRS[0], FLEET_PAIRS[1]
        other = FLEET_PAIRS[3]
        changed = next(k for k in seeded if k[:2] == (east, west_region))
        gone = next(k for k in seeded if k[:2] == other)
        with scoped(*changed[:2]):
            row = emu.store.auth(changed[2], changed[3])
            config = json.loads(row["config"])
            config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 30
            emu.store.put_auth(changed[2], changed[3], row["resource_name"], config, clock())
        with scoped(*gone[:2]):
            emu.store.delete_environment(gone[2], gone[3])
        clock.advance(600)
        audit_function(connections, history=history, progress=False, save=True)
        found = drift(since="5m", history=history)
        assert [
            (r["account_id"], r["region"], r["app_id"], r["environment"], r["field"], r["after"])
            for r in found.to_dict("records")
        ] == [
            (*changed, "UserPoolConfigs.PasswordPolicy.MinimumLength", 30),
            (*gone, ENVIRONMENT_FIELD, "absent"),
        ]
        clock.advance(600)
        audit_function(emu.connection(), history=history, progress=False, save=True)
        assert drift(since="5m", history=history).empty  # (the default pair: as it was)
        assert drift(history=history).equals(found)  # (each pair's latest: the others' too)
        assert east_region == emu.connection().effective_region()
        with scoped(*other):  # a pair emptied of apps: its audit has no row, it was read
            for app_id in {k[2] for k in seeded if k[:2] == other}:
                emu.store.delete_app(app_id)
        clock.advance(600)
        audit_function(connections, history=history, progress=False, save=True)
        emptied = drift(since="5m", history=history)
        assert set(emptied["after"]) == {"absent"} and len(emptied) == 2 * 3 - 1
        assert {tuple(k) for k in emptied[["account_id", "region"]].values} == {other}


def test_missing_values_of_every_dtype_are_saved_as_absent():
    history = JobHistory(":memory:")
    frame = frame_of(("1", "r", "a1", "one", "dev", True), ("1", "r", "a2", "two", "dev", True))
    frame["text"] = pd.array(["x", pd.NA], dtype="string")
    frame["number"] = pd.array([12.0, pd.NA], dtype="Float64")
    frame["flag"] = pd.array([pd.NA, False], dtype="boolean")
    frame["kind"] = pd.Categorical(["ON", None], categories=["ON", "OFF"])
    frame["listed"] = [["A", "B"], []]
    audit_id = timeline.save_audit(history, frame)
    saved = [row["fields"] for row in AuditStore(history).rows(audit_id)]
    assert saved == [
        {"app_name": "one", "configured": True, "text": "x", "number": 12, "kind": "ON"}
        | {"listed": ["A", "B"]},
        {"app_name": "two", "configured": True, "flag": False, "listed": []},
    ]
    assert isinstance(saved[0]["number"], int)

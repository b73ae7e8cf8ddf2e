"""Drift between saved audits, on frames saved directly (no emulator): what the mutation run
of ``fleet.timeline`` found no test of (docs/mutation.md). The baseline of an environment
read by a filtered audit, looked for past audits of other environments, and the order of
changes seen at one time when an environment's account and region are unknown; an
environment back with changes; a secret set or removed, its column never saved; a location
known by half, taken or kept; an audit of some environments, filtered; an app unlisted
in audit after audit, known three audits back."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest
from conftest import FakeClock

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.core.model import REDACTED
from amplify_auth_widgets.fleet import timeline
from amplify_auth_widgets.fleet.timeline import drift
from amplify_auth_widgets.jobs.audits import AuditStore

EAST = ("111111111111", "us-east-1")


def frame_of(*rows: tuple[object, ...]) -> pd.DataFrame:
    """An audit's frame: one row per environment, its location, names and ``configured``."""
    columns = ["account_id", "region", "app_id", "app_name", "environment", "configured"]
    return pd.DataFrame([dict(zip(columns, r, strict=True)) for r in rows])


def changed(found: pd.DataFrame) -> list[tuple[object, ...]]:
    return [(r["app_id"], r["field"], r["before"], r["after"]) for r in found.to_dict("records")]


def test_an_environment_is_compared_with_its_last_read_past_audits_of_others_only():
    """An audit of one app, then one of another: the second app's environment is compared
    with the whole audit before both, the first app's audit in between passed over."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    timeline.save_audit(
        history, frame_of((*EAST, "a1", "one", "dev", True), (*EAST, "a2", "two", "dev", True))
    )
    clock.advance(10)
    timeline.save_audit(history, frame_of((*EAST, "a2", "two", "dev", True)), apps=["a2"])
    clock.advance(10)
    timeline.save_audit(history, frame_of((*EAST, "a1", "one", "dev", False)), apps=["a1"])
    assert changed(drift(since=clock() - 5, history=history)) == [("a1", "configured", True, False)]


def test_changes_seen_at_one_time_list_an_environment_of_unknown_location_first():
    """An app deployed nowhere yet has no account or region: its changes come before those
    of the environments whose account is known, as the empty text it sorts as."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    nowhere = (None, None, "a1", "one", "dev")
    timeline.save_audit(history, frame_of((*nowhere, True), (*EAST, "a2", "two", "dev", True)))
    clock.advance(10)
    timeline.save_audit(history, frame_of((*EAST, "a2", "two", "dev", False), (*nowhere, False)))
    found = drift(history=history)
    assert changed(found) == [("a1", "configured", True, False), ("a2", "configured", True, False)]
    assert found["account_id"].isna().tolist() == [True, False]


def test_an_environment_back_with_changes_says_it_is_back_before_what_changed():
    """An environment gone from one whole audit and back in the next, changed: its
    ``(environment)`` row comes first, then its fields against its last good read."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    other = (*EAST, "a2", "two", "dev", True)
    timeline.save_audit(history, frame_of((*EAST, "a1", "one", "dev", True), other))
    clock.advance(10)
    timeline.save_audit(history, frame_of(other))
    clock.advance(10)
    timeline.save_audit(history, frame_of((*EAST, "a1", "one", "dev", False), other))
    assert changed(drift(since=clock() - 5, history=history)) == [
        ("a1", "(environment)", "absent", "present"),
        ("a1", "configured", True, False),
    ]


def test_a_secret_set_or_removed_is_a_change_without_its_value():
    """A secret where there was none is a change to ``changed``; one removed, from the
    redacted mark to nothing: neither shows a value."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    row = (*EAST, "a1", "one", "dev", True)
    field = "UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"
    digests = {("a1", "dev"): {field: "digest-of-the-secret"}}
    timeline.save_audit(history, frame_of(row))
    clock.advance(10)
    timeline.save_audit(history, frame_of(row), digests)
    clock.advance(10)
    timeline.save_audit(history, frame_of(row))
    assert changed(drift(since=1, history=history)) == [
        ("a1", field, None, "changed"),
        ("a1", field, REDACTED, None),
    ]


@pytest.mark.parametrize(
    ("known", "where"),
    [
        (("111111111111", None), "111111111111/?"),  # (a region that could not be read)
        ((None, "us-east-1"), "?/us-east-1"),  # (an account that could not be read)
    ],
)
def test_an_environment_without_a_location_takes_its_apps_even_half_known(known, where):
    """An environment with no account or region (its auth not deployed) is placed where
    another environment of its app is, when only one of the two is known too: the audit
    read one place, not also an unknown one."""
    history = JobHistory(":memory:", clock=FakeClock())
    timeline.save_audit(
        history,
        frame_of((*known, "a1", "one", "dev", True), (None, None, "a1", "one", "prod", False)),
    )
    assert timeline.saved_audits(history)["where"].tolist() == [[where]]


@pytest.mark.parametrize(
    ("half", "where"),
    [
        (("222222222222", None), ["111111111111/us-east-1", "222222222222/?"]),
        ((None, "eu-west-1"), ["?/eu-west-1", "111111111111/us-east-1"]),
    ],
)
def test_an_environment_half_located_keeps_what_is_known_of_it(half, where):
    """Only an environment with neither account nor region takes its app's location: one
    with either keeps it, not moved to where another environment of the app is."""
    history = JobHistory(":memory:", clock=FakeClock())
    timeline.save_audit(
        history,
        frame_of((*EAST, "a1", "one", "dev", True), (*half, "a1", "one", "prod", False)),
    )
    assert timeline.saved_audits(history)["where"].tolist() == [where]


def test_a_secrets_column_is_never_saved_or_compared_only_its_digest():
    """The audit's column of a secret (redacted, or None when not set) is left out of what is
    saved: a secret set is one change, to "changed", from its digest alone."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    field = "UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"
    row = (*EAST, "a1", "one", "dev", True)
    timeline.save_audit(history, frame_of(row).assign(**{field: None}))
    clock.advance(10)
    digests = {("a1", "dev"): {field: "digest-of-the-secret"}}
    timeline.save_audit(history, frame_of(row).assign(**{field: REDACTED}), digests)
    assert changed(drift(history=history)) == [("a1", field, None, "changed")]


def test_an_audit_of_some_environments_says_nothing_of_the_others():
    """An audit read with ``environments`` (and no ``apps``) is filtered too: the
    environments it did not read are not gone."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    dev = (*EAST, "a1", "one", "dev", True)
    timeline.save_audit(history, frame_of(dev, (*EAST, "a1", "one", "prod", True)))
    clock.advance(10)
    timeline.save_audit(history, frame_of(dev), environments=["dev"])
    assert timeline.saved_audits(history)["filtered"].tolist() == [False, True]
    assert drift(history=history).empty


@pytest.mark.parametrize(("failed", "came_back"), [(1, False), (3, False), (4, True)])
def test_an_app_unlisted_in_every_audit_keeps_its_environments_three_audits_back(failed, came_back):
    """An app whose environments could not be listed keeps those the whole audit before knew,
    back through three such audits (``_KNOWN_DEPTH``), even when it is all the audit read;
    after four, its environment listed again is new."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    dev = (*EAST, "a1", "one", "dev", True)
    unlisted = frame_of((*EAST, "a1", "one", None, False)).assign(
        error="ListBackendEnvironments: AccessDeniedException: no"
    )
    timeline.save_audit(history, frame_of(dev))
    for _ in range(failed):
        clock.advance(10)
        timeline.save_audit(history, unlisted)
    clock.advance(10)
    timeline.save_audit(history, frame_of(dev))
    expected = [("a1", "(environment)", "absent", "present")] if came_back else []
    assert changed(drift(since=clock() - 5, history=history)) == expected


def test_an_audit_read_back_from_parquet_saves_as_the_audit_itself(tmp_path):
    """A frame written to Parquet and read back holds its list cells as numpy arrays of numpy
    values: it is saved as the same rows, its lists as lists, and compares with the original
    unchanged."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    frame = frame_of((*EAST, "a1", "one", "dev", True), (*EAST, "a2", "two", "dev", True))
    frame["constraints"] = [["REQUIRE_DIGIT", "REQUIRE_SYMBOL"], []]
    frame["lengths"] = [[8, 12], [6]]
    frame.to_parquet(tmp_path / "audit.parquet")
    read_back = pd.read_parquet(tmp_path / "audit.parquet")
    assert type(read_back["lengths"][0]).__name__ == "ndarray"  # what the case is about
    first = timeline.save_audit(history, frame)
    clock.advance(10)
    second = timeline.save_audit(history, read_back)
    store = AuditStore(history)
    assert store.rows(second) == store.rows(first)
    assert store.rows(second)[0]["fields"]["lengths"] == [8, 12]
    assert drift(history=history).empty


def test_a_missing_time_and_missing_members_of_a_list_are_saved_as_nothing():
    """A time column's missing value (``NaT``) is absent from the saved row, and a missing
    member of a list (``pd.NA``, as a nullable column's values gathered into a list) is
    None: the audit saves, and its lists keep their length."""
    history = JobHistory(":memory:")
    frame = frame_of((*EAST, "a1", "one", "dev", True), (*EAST, "a2", "two", "dev", True))
    frame["modified"] = pd.to_datetime([None, None])
    frame["lengths"] = [[pd.NA, 8], [12]]
    audit_id = timeline.save_audit(history, frame)
    saved = [row["fields"] for row in AuditStore(history).rows(audit_id)]
    assert saved == [
        {"app_name": "one", "configured": True, "lengths": [None, 8]},
        {"app_name": "two", "configured": True, "lengths": [12]},
    ]


@pytest.mark.parametrize(
    ("read", "listed"),
    [
        (("222222222222", "eu-west-1"), ["111111111111/us-east-1", "222222222222/eu-west-1"]),
        ((None, "eu-west-1"), ["?/eu-west-1", "111111111111/us-east-1"]),  # (account unknown)
        (("222222222222", None), ["111111111111/us-east-1", "222222222222/?"]),
    ],
)
def test_an_account_and_region_read_with_no_app_is_where_the_audit_read(read, listed):
    """An account and region the audit read and found no app in are listed where it read,
    as they are (an unknown account or region as ``?``), beside those of its rows."""
    history = JobHistory(":memory:", clock=FakeClock())
    timeline.save_audit(history, frame_of((*EAST, "a1", "one", "dev", True)), where=[read])
    assert timeline.saved_audits(history)["where"].tolist() == [listed]


NOW = 1_800_000_000.0  # 2027-01-15 08:00 UTC


def test_a_timedelta_is_a_span_ago():
    assert timeline.parse_since(dt.timedelta(hours=2), NOW) == NOW - 7200
    assert timeline.parse_since(dt.timedelta(0), NOW) == NOW


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Asia/Kolkata"])
def test_a_datetime_is_its_own_instant_and_a_naive_one_utc_in_any_zone(monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        paris = dt.timezone(dt.timedelta(hours=1))
        assert timeline.parse_since(dt.datetime(2027, 1, 15, 9, tzinfo=paris), 0) == NOW
        assert timeline.parse_since(dt.datetime(2027, 1, 15, 8), 0) == NOW
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_time_that_cannot_be_read_is_refused_with_the_whole_message():
    with pytest.raises(ValueError) as caught:
        timeline.parse_since("last week", NOW)
    assert str(caught.value) == (
        "since: 'last week' is not a time: give an ISO 8601 time (2026-03-01 or "
        "2026-03-01T08:00Z), epoch seconds, a datetime, or a span ago (7d, 12h, 30m, 45s, 2w)"
    )


def test_saved_audits_lists_each_audit_by_its_id_and_none_before_the_first():
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    columns = ["id", "time", "environments", "where", "filtered"]
    empty = timeline.saved_audits(history)
    assert empty.empty and list(empty.columns) == columns
    assert empty[~empty["filtered"]].empty  # the whole audits picked out: none
    first = timeline.save_audit(history, frame_of((*EAST, "a1", "one", "dev", True)))
    clock.advance(60)
    second = timeline.save_audit(history, frame_of(), where=[EAST])
    audits = timeline.saved_audits(history)
    assert list(audits.columns) == columns
    assert audits["id"].tolist() == [first, second] and first != second
    assert audits["environments"].tolist() == [1, 0]
    clock.advance(60)
    timeline.save_audit(history, frame_of(), apps=["a1"])
    audits = timeline.saved_audits(history)
    assert audits[~audits["filtered"]]["id"].tolist() == [first, second]  # the whole ones
    assert audits["time"].tolist() == [
        pd.Timestamp(1_800_000_000, unit="s", tz="UTC"),
        pd.Timestamp(1_800_000_060, unit="s", tz="UTC"),
        pd.Timestamp(1_800_000_120, unit="s", tz="UTC"),
    ]


def three_audits() -> tuple[JobHistory, FakeClock]:
    """One environment audited at 0, 10 and 20 seconds (the clock's start), ``configured``
    going 1, 2, 3."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock=clock)
    for value in (1, 2, 3):
        timeline.save_audit(history, frame_of((*EAST, "a1", "one", "dev", value)))
        clock.advance(10)
    clock.advance(-10)  # now: the last audit's time
    return history, clock


def test_since_and_until_at_an_audits_own_time_keep_it_before_and_within():
    """An audit saved at ``since`` is before the window (its change is not reported, it is
    what the next is compared with); one saved at ``until`` is within it."""
    history, clock = three_audits()
    start = clock() - 20
    assert changed(drift(since=start + 10, history=history)) == [("a1", "configured", 2, 3)]
    assert changed(drift(since=start, until=start + 10, history=history)) == [
        ("a1", "configured", 1, 2)
    ]


def test_spans_ago_are_counted_from_the_historys_clock():
    history, _ = three_audits()
    assert changed(drift(since="15s", history=history)) == [
        ("a1", "configured", 1, 2),
        ("a1", "configured", 2, 3),
    ]
    assert changed(drift(since="15s", until="5s", history=history)) == [("a1", "configured", 1, 2)]

"""The job lifecycle module: statuses, terminal ones, local verdicts, display, SQL."""

from __future__ import annotations

import sqlite3

from amplify_auth_widgets.core import lifecycle
from amplify_auth_widgets.core.lifecycle import JobStatus, Verdict


def test_statuses_match_the_service_model():
    enum = lifecycle.model_statuses()
    # The model types a job's Status as a plain string today; should it grow an enum, ours must
    # be exactly it.
    assert enum is None or set(enum) == {s.value for s in JobStatus}


def test_terminal_and_final():
    assert lifecycle.is_terminal("COMPLETED") and lifecycle.is_terminal(JobStatus.FAILED)
    assert not lifecycle.is_terminal("IN_PROGRESS") and not lifecycle.is_terminal(None)
    assert not lifecycle.is_terminal(Verdict.TIMED_OUT)  # the job may still end at the service
    assert lifecycle.is_final(Verdict.TIMED_OUT) and lifecycle.is_final(Verdict.NOT_FOUND)
    assert not lifecycle.is_final(lifecycle.PENDING)


def test_local_verdicts_cannot_be_mistaken_for_service_statuses():
    assert all(v.endswith("(local)") for v in Verdict)
    assert not set(Verdict) & set(JobStatus)


def test_display_prefers_the_verdict_and_covers_unknown_statuses():
    assert lifecycle.display("IN_PROGRESS", Verdict.TIMED_OUT).label == "TIMED_OUT (local)"
    assert lifecycle.display("FAILED").kind == "error"
    assert lifecycle.display("COMPLETED").color != lifecycle.display("FAILED").color
    odd = lifecycle.display("ROLLING_BACK")
    assert odd.label == "ROLLING_BACK" and odd.color == lifecycle.OTHER.color
    assert lifecycle.shown(None) == lifecycle.UNKNOWN
    assert set(lifecycle.DISPLAY) == {*JobStatus, *Verdict}


def test_sql_list_is_valid_sql_for_a_partial_index():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (s TEXT)")
    db.execute(f"CREATE UNIQUE INDEX one ON t (s) WHERE s IN {lifecycle.sql_list()}")
    db.executemany("INSERT INTO t VALUES (?)", [(JobStatus.IN_PROGRESS,)] * 2)
    db.execute("INSERT INTO t VALUES (?)", (JobStatus.COMPLETED,))
    assert db.execute("SELECT s, typeof(s) FROM t").fetchall()[-1] == ("COMPLETED", "text")
    assert lifecycle.sql_list(("it's",)) == "('it''s')"

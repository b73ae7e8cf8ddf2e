"""Saved audits in the history's file (``jobs.audits``): each audit's rows kept whole and
compressed beside the history's tables, read back as they were, oldest first."""

from __future__ import annotations

import json
import zlib

import pytest

from amplify_auth_widgets.jobs.audits import ROW_KEY, AuditStore
from amplify_auth_widgets.jobs.history import JobHistory


def row(app_id, env, **fields):
    return {
        "account_id": "111111111111",
        "region": "eu-west-1",
        "app_id": app_id,
        "environment": env,
        "fields": fields,
        "secrets": {"A.ClientSecret": "digest"} if app_id == "a2" else {},
    }


def test_an_audit_is_read_back_as_it_was_saved(tmp_path):
    path = tmp_path / "history.sqlite3"
    rows = [row("a1", "dev", configured=True, n=12, names=["x", "é"]), row("a2", None)]
    with JobHistory(path) as history:
        first = AuditStore(history).save(
            rows, 1_800_000_000.5, {"apps": None, "where": [["1", "r"]]}
        )
        second = AuditStore(history).save([], 1_700_000_000.0)
    with JobHistory(path) as history:  # (a file opened again)
        store = AuditStore(history)
        assert store.rows(first) == rows
        assert store.rows(second) == []
        assert store.audits() == [  # oldest first, by time
            {"id": second, "time": 1_700_000_000.0, "scope": {}, "environments": 0},
            {
                "id": first,
                "time": 1_800_000_000.5,
                "scope": {"apps": None, "where": [["1", "r"]]},
                "environments": 2,
            },
        ]
        # beside the history's own tables, which still work
        assert {"requests", "jobs", "events", "audits"} <= {
            r[0] for r in history.database.query("SELECT name FROM sqlite_master")
        }


def test_rows_keep_only_their_key_fields_and_secrets(tmp_path):
    history = JobHistory(":memory:")
    extra = {**row("a1", "dev", x=1), "gen2": "code", "secrets": None}
    store = AuditStore(history)
    audit_id = store.save([extra], 1.0)
    (saved,) = store.rows(audit_id)
    assert set(saved) == {*ROW_KEY, "fields", "secrets"} and saved["secrets"] == {}


def test_an_audit_is_stored_compressed(tmp_path):
    history = JobHistory(":memory:")
    rows = [
        row(f"a{n}", "dev", **{f"UserPoolConfigs.Field{i}": "value" for i in range(40)})
        for n in range(200)
    ]
    store = AuditStore(history)
    audit_id = store.save(rows, 1.0)
    (blob,) = history.database.query("SELECT rows FROM audits WHERE id = ?", (audit_id,))[0]
    assert json.loads(zlib.decompress(blob)) == rows
    assert len(blob) * 10 < len(json.dumps(rows))


def test_two_audits_at_one_time_keep_their_order(tmp_path):
    store = AuditStore(JobHistory(":memory:"))
    ids = [store.save([row("a1", "dev", n=n)], 5.0) for n in range(3)]
    assert [a["id"] for a in store.audits()] == ids


def test_an_audit_that_is_not_there_is_named():
    with pytest.raises(KeyError, match="no saved audit 7"):
        AuditStore(JobHistory(":memory:")).rows(7)

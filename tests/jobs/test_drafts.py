"""Drafts (``jobs.drafts``): the form's request kept in the history's file, never a secret."""

from __future__ import annotations

import sqlite3

from conftest import every_secret

from amplify_auth_widgets.core.model import REDACTED
from amplify_auth_widgets.jobs.drafts import DraftStore, without_secrets
from amplify_auth_widgets.jobs.history import JobHistory


def test_a_draft_comes_back_without_its_secrets_which_are_named(tmp_path, clock):
    request, planted = every_secret(AppId="d4demonew")
    path = tmp_path / "history.sqlite3"
    with JobHistory(path, clock) as history:
        DraftStore(history).save(request, "UpdateBackendAuth")
    with JobHistory(path, clock) as history:  # another kernel, later
        draft = DraftStore(history).load()
    assert draft is not None and draft.operation == "UpdateBackendAuth"
    assert draft.time == clock.now
    assert sorted(draft.reenter) == sorted(planted)
    for secret_path in planted:  # the secrets are gone from the request, not "<redacted>"
        parent, _, name = secret_path.rpartition(".")
        node = draft.request
        for part in parent.split("."):
            node = node[part]
        assert name not in node
    assert draft.request["AppId"] == "d4demonew"
    assert REDACTED not in repr(draft.request)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert not [s for s in planted.values() if s.encode() in stored]


def test_one_last_draft_replaced_and_cleared(tmp_path, clock):
    with JobHistory(tmp_path / "h.sqlite3", clock) as history:
        store = DraftStore(history)
        assert store.load() is None
        store.save({"AppId": "first"}, "CreateBackendAuth")
        clock.advance(5)
        store.save({"AppId": "second"}, "CreateBackendAuth")
        draft = store.load()
        assert draft is not None and draft.request == {"AppId": "second"}
        assert draft.reenter == () and draft.time == clock.now
        store.clear()
        assert store.load() is None


def test_a_hand_edited_draft_gives_no_draft_and_real_secrets_are_still_taken_out(tmp_path):
    path = tmp_path / "h.sqlite3"
    with JobHistory(path) as history:
        DraftStore(history).save({"AppId": "a"}, "CreateBackendAuth")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE drafts SET operation = 'DeleteBackendAuth'")
    with JobHistory(path) as history:
        assert DraftStore(history).load() is None
    with sqlite3.connect(path) as db:
        db.execute("UPDATE drafts SET operation = 'CreateBackendAuth', request = '[1, 2'")
    with JobHistory(path) as history:
        assert DraftStore(history).load() is None
    with sqlite3.connect(path) as db:
        db.execute(
            'UPDATE drafts SET request = \'{"ResourceConfig": {"UserPoolConfigs": '
            '{"OAuth": {"SocialProviderSettings": {"Google": '
            '{"ClientId": "c", "ClientSecret": "typed-in"}}}}}}\''
        )
    with JobHistory(path) as history:
        draft = DraftStore(history).load()
    assert draft is not None and "typed-in" not in repr(draft)
    assert draft.reenter == (
        "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret",
    )


def test_without_secrets_walks_lists_too():
    kept, removed = without_secrets({"a": [REDACTED, {"b": REDACTED, "c": 1}], "d": REDACTED})
    assert kept == {"a": [{"c": 1}]} and removed == ["a[0]", "a[1].b", "d"]

"""What a saved audit leaves in the history's file beyond its rows, which a mutation run of
``jobs.audits`` found no test looking at: the scope stored in one canonical form (the same
scope, built in any order, is the same text in the file: audits of one scope group together in
SQL), and the store's own history (whose key digests the secrets the rows hold)."""

from __future__ import annotations

from amplify_auth_widgets.jobs.audits import AuditStore
from amplify_auth_widgets.jobs.history import JobHistory


def test_one_scope_is_stored_as_one_text_whatever_the_order_it_was_built_in():
    history = JobHistory(":memory:")
    store = AuditStore(history)
    store.save([], 1.0, {"apps": ["d1"], "where": [["1", "r"]], "environments": None})
    store.save([], 2.0, {"environments": None, "where": [["1", "r"]], "apps": ["d1"]})
    (scope,) = history.database.query("SELECT DISTINCT scope FROM audits")
    assert scope == ('{"apps": ["d1"], "environments": null, "where": [["1", "r"]]}',)
    first, second = store.audits()
    assert list(first["scope"]) == list(second["scope"]) == ["apps", "environments", "where"]


def test_a_store_keeps_the_history_it_was_opened_on():
    """A caller holding the store digests secrets with its history's key (``request_hash``)."""
    history = JobHistory(":memory:")
    store = AuditStore(history)
    assert store.history is history and store.database is history.database

"""The emulator's layout: a module of handlers per service, routed to by service; what it serves
is ``core.operations.emulated_operations()``; the store's savepoints."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore import xform_name

from amplify_auth_widgets.core.operations import emulated_operations
from amplify_auth_widgets.emulator import Faults
from amplify_auth_widgets.emulator.amplify import Amplify
from amplify_auth_widgets.emulator.backend import Backend
from amplify_auth_widgets.emulator.common import ServiceBackend
from amplify_auth_widgets.emulator.server import EmulatorApp
from amplify_auth_widgets.emulator.store import Store

HANDLERS: tuple[type[ServiceBackend], ...] = (Backend, Amplify)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = Store(str(tmp_path / "state.sqlite3"))
    yield made
    made.close()


def _operations(handler: type[ServiceBackend]) -> set[str]:
    return {name for name in vars(handler) if not name.startswith("_")}


def test_each_emulated_service_has_one_module_of_handlers():
    assert sorted(h.service for h in HANDLERS) == sorted(emulated_operations())
    for handler in HANDLERS:
        for operation in emulated_operations()[handler.service]:
            assert callable(getattr(handler, xform_name(operation), None)), (handler, operation)


def test_a_service_does_not_answer_the_others_operations():
    backend, amplify = (
        {xform_name(op) for op in emulated_operations()[s]} for s in ("amplifybackend", "amplify")
    )
    assert not _operations(Backend) & amplify
    assert not _operations(Amplify) & backend


def test_the_server_routes_to_the_handlers_by_service(emulator):
    served = {"amplifybackend": emulator.backend, "amplify": emulator.amplify}
    assert emulator.app.services == served
    assert emulator.app.emulated == emulated_operations()


def test_the_server_refuses_to_serve_a_service_without_handlers(store):
    backend = Backend(store, lambda: 0.0, random.Random(1), (0.0, 0.0), 0.0)
    with pytest.raises(ValueError, match="amplify"):
        EmulatorApp([backend], Faults(), random.Random(1), lambda: 0.0)


def test_a_service_without_jobs_settles_nothing(store):
    assert Amplify(store, lambda: 0.0, random.Random(1)).settle() == 0


def test_the_not_emulated_answer_lists_what_core_operations_says(emulator, app_env):
    amplify = emulator.client("amplify")
    with pytest.raises(amplify.exceptions.BadRequestException) as raised:
        amplify.list_branches(appId=app_env[0])
    assert ", ".join(emulated_operations()["amplify"]) in str(raised.value)


# -- savepoints ----------------------------------------------------------------------------


def _names(store: Store) -> list[str]:
    return [row["app_id"] for row in store.apps()]


def _add(db: sqlite3.Connection, app_id: str) -> None:
    db.execute("INSERT INTO apps VALUES (?, 'n', '{}', 0, 0)", (app_id,))


def test_a_savepoint_keeps_its_writes_in_the_transaction(store):
    with store.transaction() as db:
        with store.savepoint(db, "part"):
            _add(db, "kept")
        assert db.in_transaction
    assert _names(store) == ["kept"]


def test_a_failed_savepoint_rolls_back_its_writes_alone(store):
    with store.transaction() as db:
        _add(db, "before")
        with pytest.raises(KeyError), store.savepoint(db, "part"):
            _add(db, "dropped")
            raise KeyError("the step failed")
        _add(db, "after")  # the transaction goes on
    assert _names(store) == ["after", "before"]


def test_a_savepoint_name_is_an_identifier(store):
    refused = pytest.raises(ValueError, match="identifier")
    with store.transaction() as db, refused, store.savepoint(db, "x; DROP TABLE apps"):
        pass
    assert store.apps() == []

"""A warning about a loose database file points at the code that opened it (the history's or
the emulator's caller), not at the package's own lines: where a person looks for its cause."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator

import pytest

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.core import db
from amplify_auth_widgets.emulator.store import Store

# mutmut's build of core/db.py calls every function through a trampoline (two more frames a
# call), so no warning there can point where it does in the package as shipped
TRAMPOLINED = hasattr(db, "x__private_file__mutmut_orig")


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.skipif(TRAMPOLINED, reason="frames differ under mutmut's trampolines")
@pytest.mark.parametrize("opener", [JobHistory, Store], ids=["history", "emulator"])
def test_the_warning_points_at_the_code_that_opened_the_file(tmp_path, opener):
    path = tmp_path / "h.sqlite3"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)
    with pytest.warns(UserWarning, match="made private") as caught:
        opener(str(path)).close()
    assert [w.filename for w in caught] == [__file__]


@pytest.mark.skipif(TRAMPOLINED, reason="frames differ under mutmut's trampolines")
def test_the_warning_that_a_file_stays_loose_points_there_too(tmp_path, monkeypatch):
    path = tmp_path / "h.sqlite3"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)

    def refused(name, mode, **kwargs):
        raise PermissionError(1, "Operation not permitted", name)

    monkeypatch.setattr(db.os, "chmod", refused)
    with pytest.warns(UserWarning, match="could not be made private") as caught:
        JobHistory(path).close()
    assert [w.filename for w in caught] == [__file__]

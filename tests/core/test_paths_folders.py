"""Where the package keeps its files (``core.paths``): ``$AMPLIFY_AUTH_DATA`` as the user
typed it (a home folder's ``~``, stray spaces), else the platform's data folder of the package;
the app's emulator in ``emulator/`` under it."""

from __future__ import annotations

from pathlib import Path

import pytest
from platformdirs import user_data_dir

from amplify_auth_widgets.core.paths import DATA_ENV, data_folder, emulator_folder


def test_the_variable_names_the_folder_and_the_emulators_is_inside_it(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "team"))
    assert data_folder() == tmp_path / "team"
    assert emulator_folder() == tmp_path / "team" / "emulator"


def test_a_home_folder_and_stray_spaces_in_the_variable_are_read_as_meant(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(DATA_ENV, "  ~/amplify data \n")
    assert data_folder() == tmp_path / "amplify data"
    assert emulator_folder() == tmp_path / "amplify data" / "emulator"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_without_the_variable_the_platforms_folder_of_the_package(monkeypatch, value):
    if value is None:
        monkeypatch.delenv(DATA_ENV, raising=False)
    else:
        monkeypatch.setenv(DATA_ENV, value)
    expected = Path(user_data_dir("amplify-auth-widgets"))
    assert data_folder() == expected and expected.name == "amplify-auth-widgets"
    assert emulator_folder() == expected / "emulator"

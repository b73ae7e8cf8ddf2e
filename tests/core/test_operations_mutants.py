"""The order operations are listed in (the CLI's --help, the emulator's error text): CRUD verbs
in reading order, names alike by name, and a verb the model adds after the CRUD ones."""

from __future__ import annotations

from amplify_auth_widgets.core import operations
from amplify_auth_widgets.core.operations import _matching


def test_amplify_s_apps_and_environments_are_served_in_reading_order():
    assert operations.emulated_operations()["amplify"] == (
        "CreateApp",
        "CreateBackendEnvironment",
        "GetApp",
        "GetBackendEnvironment",
        "ListApps",
        "ListBackendEnvironments",
        "DeleteApp",
        "DeleteBackendEnvironment",
    )


def test_an_operation_whose_verb_is_no_crud_verb_comes_after_them_by_name():
    # How a model update that adds, say, CloneBackendAuth would be listed: the model has
    # CloneBackend today (and Generate..., Remove...), which no family of ours takes.
    assert _matching(r"[A-Z][a-z]+Backend") == (
        "CreateBackend",
        "GetBackend",
        "DeleteBackend",
        "CloneBackend",
    )
    assert _matching(r"(Remove|Generate|Import|Clone|Get)Backend\w*") == (
        "GetBackend",
        "GetBackendAPI",
        "GetBackendAPIModels",
        "GetBackendAuth",
        "GetBackendJob",
        "GetBackendStorage",
        "ImportBackendAuth",
        "ImportBackendStorage",
        "CloneBackend",
        "GenerateBackendAPIModels",
        "RemoveBackendConfig",
    )


def test_a_pattern_matches_whole_names_only():
    # "GetBackend" is not "GetBackendAuth"'s prefix match: the family of the backend itself
    # holds the backend's operations alone
    assert _matching(r"GetBackend") == ("GetBackend",)
    assert _matching(r"Backend") == ()

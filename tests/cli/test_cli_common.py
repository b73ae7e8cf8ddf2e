"""What every command shares (cli/common.py) and the one way commands are dispatched: a job's
final status gives one exit code whichever command followed it, ``--color`` has one set of
choices, and every subcommand names the function that runs it."""

from __future__ import annotations

import argparse
import io

import pytest

from amplify_auth_widgets.cli import entry
from amplify_auth_widgets.cli.common import COLOR_CHOICES, Console, status_exit_code
from amplify_auth_widgets.cli.exitcodes import (
    EXIT_CONFIG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OTHER,
    EXIT_SERVICE,
    EXIT_USAGE,
)
from amplify_auth_widgets.client.connection import ConfigurationError
from amplify_auth_widgets.core.lifecycle import JobStatus, Verdict
from amplify_auth_widgets.core.operations import (
    commanded_operations,
    configuration_operations,
    sending_operations,
)
from amplify_auth_widgets.core.skeleton import InputError, cli_name


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (JobStatus.COMPLETED, EXIT_OK),
        (JobStatus.FAILED, EXIT_SERVICE),
        (Verdict.NOT_FOUND, EXIT_SERVICE),
        (Verdict.TIMED_OUT, EXIT_OTHER),
        ("COMPLETED", EXIT_OK),  # the plain text a frame holds maps the same
        ("TIMED_OUT (local)", EXIT_OTHER),
    ],
)
def test_a_jobs_final_status_has_one_exit_code(status, code):
    assert status_exit_code([status]) == code


def test_the_worst_status_wins_and_no_status_is_success():
    assert status_exit_code([]) == EXIT_OK
    assert status_exit_code([JobStatus.COMPLETED, Verdict.TIMED_OUT]) == EXIT_OTHER
    assert status_exit_code([Verdict.TIMED_OUT, JobStatus.FAILED]) == EXIT_SERVICE


def test_a_commands_own_outcomes_join_the_job_statuses():
    outcomes = {"INVALID": EXIT_USAGE, "NOT_SENT": EXIT_SERVICE}
    assert status_exit_code(["INVALID", JobStatus.COMPLETED], outcomes) == EXIT_USAGE
    assert status_exit_code(["INVALID", Verdict.TIMED_OUT], outcomes) == EXIT_OTHER
    assert status_exit_code(["NOT_SENT"], outcomes) == EXIT_SERVICE
    assert status_exit_code(["DRY_RUN"], outcomes) == EXIT_OK


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Every (sub)command's parser, by its prog."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found[child.prog] = child
                found.update(_subparsers(child))
    return found


def test_every_command_names_the_function_that_runs_it():
    parsers = _subparsers(entry.build_parser())
    leaves = {prog: p for prog, p in parsers.items() if not _subparsers(p)}
    assert set(leaves) >= {
        "amplify-auth validate",
        "amplify-auth emulator",
        "amplify-auth app",
        "amplify-auth export-gen2",
        "amplify-auth fleet audit",
        "amplify-auth fleet apply",
    }
    for prog, parser in leaves.items():
        assert callable(parser.get_default("run")), prog


def test_the_api_commands_are_the_operations_the_cli_speaks_in_order():
    parsers, run = _subparsers(entry.build_parser()), entry.run_api_command
    api = [prog.split()[-1] for prog, p in parsers.items() if p.get_default("run") is run]
    assert api == [cli_name(op) for op in commanded_operations()]


def test_operation_choices_come_from_the_operations_list():
    parsers = _subparsers(entry.build_parser())

    def choices(prog: str) -> tuple[str, ...]:
        action = next(a for a in parsers[prog]._actions if "--operation" in a.option_strings)
        return tuple(action.choices or ())

    assert choices("amplify-auth validate") == sending_operations()
    assert choices("amplify-auth export-gen2") == configuration_operations()


def test_every_color_option_has_the_same_choices():
    colored = 0
    for prog, parser in _subparsers(entry.build_parser()).items():
        for action in parser._actions:
            if "--color" in action.option_strings:
                assert tuple(action.choices or ()) == COLOR_CHOICES, prog
                assert action.default == "auto", prog
                colored += 1
    assert colored >= 11  # the 7 API commands, validate, export-gen2, fleet audit and apply


@pytest.mark.parametrize(
    ("error", "code", "text"),
    [
        (entry.UsageError("bad option"), EXIT_USAGE, "bad option"),
        (InputError("bad file"), EXIT_USAGE, "error: bad file"),
        (ConfigurationError("no region"), EXIT_CONFIG, "configuration error: no region"),
        (KeyboardInterrupt(), EXIT_INTERRUPTED, "interrupted"),
        (RuntimeError("boom"), EXIT_OTHER, "error: RuntimeError: boom (run with --debug"),
    ],
)
def test_one_place_maps_an_exception_to_its_exit_code(error, code, text):
    err = io.StringIO()
    assert entry.exit_code_of_error(error, Console(io.StringIO(), err)) == code
    assert err.getvalue().startswith(text)

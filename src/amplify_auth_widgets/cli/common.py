"""What every ``amplify-auth`` command shares: the usage error (exit 252), the console and its
``--color`` option, the findings printer, the AWS CLI's connection options and the connection
they make, the user's job history, the option types for seconds, and the exit code a job's
final status ends a command with."""

from __future__ import annotations

import argparse
import math
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from ..client.connection import Connection
from ..core.lifecycle import JobStatus, Verdict
from ..core.secrets import quote
from ..core.skeleton import cli_name
from ..jobs.history import JobHistory
from .exitcodes import EXIT_OK, EXIT_OTHER, EXIT_SERVICE, EXIT_USAGE
from .output import render_finding, use_color

#: ``--color``: always, never, or when the stream is a terminal (what ``use_color`` reads).
COLOR_CHOICES = ("on", "off", "auto")

#: The exit code of a job's final status or local verdict; any other (COMPLETED) is EXIT_OK.
JOB_EXIT_CODES: dict[str, int] = {
    JobStatus.FAILED: EXIT_SERVICE,
    Verdict.NOT_FOUND: EXIT_SERVICE,
    Verdict.TIMED_OUT: EXIT_OTHER,
}
#: Which exit code wins when several jobs end differently: the service's refusal first, then
#: an unfinished wait, then bad input.
WORST_FIRST = (EXIT_SERVICE, EXIT_OTHER, EXIT_USAGE)


class UsageError(Exception):
    """Bad syntax or parameters: exit code 252."""


def seconds(text: str) -> float:
    """An option's number of seconds (or milliseconds): finite and not negative."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a number of 0 or more")
    return value


def add_connection_options(parser: argparse.ArgumentParser, several: bool = False) -> None:
    """The AWS CLI's connection options, which ``connection_from_args`` reads. With
    ``several``, --profile and --region may be given more than once (lists: the fleet's
    commands reach every profile in every region)."""
    c = parser.add_argument_group("connection (as the AWS CLI)")
    c.add_argument("--endpoint-url", help="the service URL, e.g. the local emulator's")
    c.add_argument("--no-verify-ssl", action="store_true", help="do not verify TLS certificates")
    c.add_argument("--ca-bundle", help="the CA bundle to verify TLS certificates with")
    if several:
        each = "; more than once: each profile in each region"
        c.add_argument("--profile", action="append", help="a profile from your AWS config" + each)
        c.add_argument("--region", action="append", help="the AWS region" + each)
    else:
        c.add_argument("--profile", help="a profile from your AWS config")
        c.add_argument("--region", help="the AWS region")
    c.add_argument("--cli-read-timeout", type=seconds, metavar="SECONDS")
    c.add_argument("--cli-connect-timeout", type=seconds, metavar="SECONDS")
    c.add_argument("--no-sign-request", action="store_true", help="send unsigned requests")


def connection_from_args(args: argparse.Namespace) -> Any:
    """The connection the options of ``add_connection_options`` describe."""
    verify: bool | str | None = None
    if args.no_verify_ssl:
        verify = False
    elif args.ca_bundle:
        verify = args.ca_bundle
    return Connection(
        profile=args.profile,
        region=args.region,
        endpoint_url=args.endpoint_url,
        verify=verify,
        connect_timeout=args.cli_connect_timeout,
        read_timeout=args.cli_read_timeout,
        unsigned=args.no_sign_request,
    )


def add_color_option(group: Any) -> None:
    """``--color``, the same on every command that has it (a parser or an argument group)."""
    group.add_argument("--color", choices=COLOR_CHOICES, default="auto")


def status_exit_code(statuses: Iterable[str], outcomes: Mapping[str, int] | None = None) -> int:
    """The exit code a command ends with, given the final status of every job it followed (a
    service status or a local verdict) and, where a command has them, ``outcomes``: the exit
    codes of ends that are not a job's (the fleet's INVALID, NOT_SENT, ...). The worst wins
    (``WORST_FIRST``); EXIT_OK when every job COMPLETED. One function, so that ``--wait`` and
    ``fleet apply`` can never disagree on what a FAILED job or a timed-out wait exits with."""
    codes = {**JOB_EXIT_CODES, **(outcomes or {})}
    found = {codes.get(str(status), EXIT_OK) for status in statuses}
    return next((code for code in WORST_FIRST if code in found), EXIT_OK)


class Console:
    """Where output goes, and whether it is coloured."""

    def __init__(self, stdout: TextIO, stderr: TextIO, color: str = "auto") -> None:
        self.stdout, self.stderr = stdout, stderr
        self.color_out = use_color(color, stdout)
        self.color_err = use_color(color, stderr)

    def out(self, text: str) -> None:
        self.stdout.write(text if text.endswith("\n") else text + "\n")

    def err(self, text: str) -> None:
        self.stderr.write(text if text.endswith("\n") else text + "\n")
        self.stderr.flush()


def _with_option_hint(line: str, path: str, code: str = "") -> str:
    """A missing top-level member's finding, with the option that gives it."""
    if code == "model.required" and path and "." not in path:
        return f"{line} (--{cli_name(path)})"
    return line


def print_findings(findings: list[Any], console: Console, to_stderr: bool = False) -> None:
    """Each finding as ``path: severity code: message``, to stdout (or stderr)."""
    color = console.color_err if to_stderr else console.color_out
    write = console.err if to_stderr else console.out
    for finding in findings:
        write(_with_option_hint(render_finding(finding, color), finding.path, finding.code))


def open_history(console: Console) -> Any:
    """The user's job history (``$AMPLIFY_AUTH_HISTORY``), or one in memory if it cannot open."""
    try:
        return JobHistory.from_environment()
    except (OSError, sqlite3.Error) as exc:
        console.err(f"warning: job history not available ({exc}); this run is not recorded")
        return JobHistory(":memory:")

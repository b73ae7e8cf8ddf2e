"""``amplify-auth fleet audit`` and ``amplify-auth fleet apply``: the fleet from a shell.

``fleet audit`` prints (or writes) the audit frame: a row per app and environment, secrets
redacted. ``fleet apply --template FILE --targets CSV`` applies a request file to the targets a
CSV names (``app_id``, ``environment``, optional ``resource_name`` and override columns) and
prints a row per target. Both show progress on stderr. Every call is recorded in the job
history (``$AMPLIFY_AUTH_HISTORY`` or the user's file), so an interrupted apply run again
skips what it already did. Exit codes are the other commands': 252 bad input (or a target
with error findings), 253 bad configuration, 254 a target the service refused or whose job
FAILED, 255 a job still running at the deadline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

FORMATS = ("table", "csv", "json", "parquet")
#: What a table of an audit shows (a terminal is narrow); the other formats have every column.
NARROW = (
    "app_id",
    "app_name",
    "environment",
    "configured",
    "errors",
    "warnings",
    "finding_codes",
    "error",
)


def add_fleet_commands(sub: Any) -> None:
    """Add ``fleet audit`` and ``fleet apply`` to the ``amplify-auth`` subcommands."""
    from .cli import add_connection_options

    fleet = sub.add_parser(
        "fleet",
        help="Audit the auth of every app and environment, or apply one to many.",
        description="Work on many apps and environments at once.",
    )
    actions = fleet.add_subparsers(dest="fleet_command", metavar="ACTION", required=True)
    audit = actions.add_parser(
        "audit",
        help="A row per app and environment: configuration, findings, errors.",
        description="Read the auth of every environment of every app (or of --apps and "
        "--environments) into one table. Secrets are redacted.",
    )
    audit.add_argument("--apps", help="app ids or names, comma-separated (default: all)")
    audit.add_argument("--environments", help="environment names, comma-separated")
    apply = actions.add_parser(
        "apply",
        help="Apply a request file to the targets of a CSV.",
        description="Validate every target's request first, then send them with bounded "
        "concurrency (one job per app at a time) and follow the jobs. A target the history "
        "shows COMPLETED with the same request is skipped.",
    )
    apply.add_argument(
        "--template", required=True, metavar="FILE", help="a request file (JSON or YAML)"
    )
    apply.add_argument(
        "--targets",
        required=True,
        metavar="CSV",
        help="a CSV with app_id and environment columns, optionally resource_name and "
        "override columns named by dotted paths (UserPoolConfigs.PasswordPolicy.MinimumLength)",
    )
    apply.add_argument("--mode", choices=("create", "update", "upsert"), default="create")
    apply.add_argument(
        "--dry-run", action="store_true", help="print the diff each target would get; send nothing"
    )
    for p in (audit, apply):
        p.add_argument(
            "--concurrency",
            type=_concurrency,
            default=8,
            metavar="N",
            help="targets at a time (default 8)",
        )
        p.add_argument(
            "--output",
            nargs="+",
            metavar=("FORMAT", "FILE"),
            default=["table"],
            help=f"{', '.join(FORMATS)} (default table), to FILE or stdout; parquet needs a FILE",
        )
        p.add_argument("--color", choices=("on", "off", "auto"), default="auto")
        p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
        add_connection_options(p)
        p.set_defaults(run=run_fleet)


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number of 1 or more, not {text!r}")
    return value


def _output(args: argparse.Namespace) -> tuple[str, Path | None]:
    from .cli import UsageError

    fmt, *rest = args.output
    if fmt not in FORMATS or len(rest) > 1:
        raise UsageError(
            f"--output: FORMAT [FILE] with FORMAT one of {', '.join(FORMATS)}; got "
            f"{' '.join(args.output)!r}"
        )
    path = Path(rest[0]) if rest else None
    if fmt == "parquet" and path is None:
        raise UsageError("--output parquet needs a FILE: --output parquet audit.parquet")
    return fmt, path


def _split(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(",") if part.strip()] if text else None


def _targets(path: str) -> Any:
    import pandas as pd

    from .cli import UsageError

    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise UsageError(f"--targets: no such file {path!r}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise UsageError(f"--targets: {path} is not a readable CSV ({exc})") from None


def write_frame(frame: Any, fmt: str, path: Path | None, console: Any) -> None:
    """The frame as a table, CSV, JSON lines of records, or Parquet (lists as JSON text)."""
    import json

    if fmt == "parquet":
        assert path is not None
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = [json.dumps(v) if isinstance(v, list) else v for v in frame[column]]
        frame.to_parquet(path, index=False)
        return
    if fmt == "csv":
        text = frame.to_csv(index=False)
    elif fmt == "json":
        text = frame.to_json(orient="records", date_format="iso", indent=1)
    else:
        text = frame.to_string(index=False, max_colwidth=60)
    if path is None:
        console.out(text)
    else:
        path.write_text(text if text.endswith("\n") else text + "\n")


def run_fleet(args: argparse.Namespace, console: Any) -> int:
    from .cli import EXIT_OK, EXIT_OTHER, EXIT_SERVICE, EXIT_USAGE, UsageError, connection_from_args
    from .cli import _open_history as open_history
    from .fleet import Fleet, TextProgress

    fmt, path = _output(args)
    fleet = Fleet.connect(connection_from_args(args), open_history(console))
    progress = None if args.no_progress else TextProgress(f"fleet {args.fleet_command}", sys.stderr)
    if args.fleet_command == "audit":
        frame = fleet.audit(
            _split(args.apps), _split(args.environments), args.concurrency, progress
        )
        if fmt == "table":
            frame = frame[list(NARROW)]
        write_frame(frame, fmt, path, console)
        return EXIT_OK
    from .fleet_apply import Outcome
    from .lifecycle import JobStatus, Verdict
    from .skeleton import load_skeleton_file

    template = load_skeleton_file(args.template)
    try:
        results = fleet.apply(
            template,
            _targets(args.targets),
            mode=args.mode,
            concurrency=args.concurrency,
            dry_run=args.dry_run,
            progress=progress,
        )
    except ValueError as exc:
        raise UsageError(f"fleet apply: {exc}") from None
    shown = results if fmt != "table" else results.drop(columns=["findings"])
    write_frame(shown, fmt, path, console)
    statuses = set(results["status"].astype(str))
    if statuses & {JobStatus.FAILED, Outcome.NOT_SENT, Verdict.NOT_FOUND}:
        return EXIT_SERVICE
    if Verdict.TIMED_OUT in statuses or Outcome.CANCELLED in statuses:
        return EXIT_OTHER
    if Outcome.INVALID in statuses:
        return EXIT_USAGE
    return EXIT_OK

"""``amplify-auth fleet audit|apply|plan``: the fleet from a shell.

``fleet audit`` prints (or writes) the audit frame: a row per app and environment, secrets
redacted. ``fleet plan`` audits the same way and prints the plan of the move to Gen 2
(``fleet.migration``): a row per environment with the way, the verdict, its reasons, the
secrets to set and the cdk-nag findings; the table adds each environment's reasons and the
counts by verdict. It exits 0 when no environment is blocked and 1 (``EXIT_PARTIAL``) when
some are (the plan is still printed whole); a failure to audit exits as the audit's would.
``fleet apply --template FILE --targets CSV`` applies a request file to the targets a
CSV names (``app_id``, ``environment``, optional ``resource_name`` and override columns) and
prints a row per target; a CSV row with more or fewer fields than its header is refused with
its line number (never shifted into other columns), and a target named on two rows is sent
once (the second row says DUPLICATE). All three show progress on stderr. Every call is recorded
in the job history (``$AMPLIFY_AUTH_HISTORY`` or the user's file), so an interrupted apply run
again skips what it already did. Exit codes are the other commands': 252 bad input (or a target
with error findings), 253 bad configuration, 254 a target the service refused or whose job
FAILED, 255 a job still running at the deadline.

``fleet audit --save`` also keeps the audit with its time in the history file, and ``fleet
drift [--since WHEN] [--until WHEN]`` prints every field that changed per environment between
saved audits (``fleet.timeline``; a secret only as changed), nothing on stdout when nothing
did, so that a cron job mails only changes (``--fail-on-change`` exits 1 then).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from ..core.csvsafe import to_csv
from ..core.skeleton import load_skeleton_file
from .common import (
    UsageError,
    add_color_option,
    add_connection_options,
    connection_from_args,
    open_history,
    status_exit_code,
)
from .exitcodes import EXIT_OK, EXIT_OTHER, EXIT_PARTIAL, EXIT_SERVICE, EXIT_USAGE

FORMATS = ("table", "csv", "json", "parquet")
#: What a table of an audit shows (a terminal is narrow); the other formats have every column.
NARROW = (
    "app_id",
    "app_name",
    "environment",
    "configured",
    "failed_checks",
    "errors",
    "warnings",
    "finding_codes",
    "error",
)
#: What a table of an audit over several connections shows first: where each row is.
LOCATION = ("account_id", "region")
#: What a table of a plan shows; its reasons follow the table, an environment at a time.
PLAN_NARROW = ("app_id", "app_name", "environment", "way", "verdict", "secrets")


def add_fleet_commands(sub: Any) -> None:
    """Add ``fleet audit``, ``fleet apply`` and ``fleet plan`` to the ``amplify-auth``
    subcommands."""
    fleet = sub.add_parser(
        "fleet",
        help="Audit the auth of every app and environment, apply one to many, or plan the "
        "move to Gen 2.",
        description="Work on many apps and environments at once.",
    )
    actions = fleet.add_subparsers(dest="fleet_command", metavar="ACTION", required=True)
    for p in (_add_audit(actions), _add_apply(actions), _add_plan(actions)):
        _add_shared_options(p)
        p.set_defaults(run=run_fleet)
    _add_drift(actions).set_defaults(run=run_drift)


def _add_selection(parser: argparse.ArgumentParser) -> None:
    """--apps and --environments: which of the fleet an audit (or a plan) reads."""
    parser.add_argument("--apps", help="app ids or names, comma-separated (default: all)")
    parser.add_argument("--environments", help="environment names, comma-separated")


def _add_audit(actions: Any) -> argparse.ArgumentParser:
    """``fleet audit`` and the options only it has."""
    audit: argparse.ArgumentParser = actions.add_parser(
        "audit",
        help="A row per app and environment: configuration, findings, errors.",
        description="Read the auth of every environment of every app (or of --apps and "
        "--environments) into one table. Secrets are redacted.",
    )
    _add_selection(audit)
    audit.add_argument(
        "--save",
        action="store_true",
        help="keep this audit with its time in the job history file, for `fleet drift` "
        "(secrets only as digests)",
    )
    return audit


def _add_plan(actions: Any) -> argparse.ArgumentParser:
    """``fleet plan`` and the options only it has (those of ``fleet audit``)."""
    plan: argparse.ArgumentParser = actions.add_parser(
        "plan",
        help="The move to Gen 2: a way and a verdict per environment, with reasons.",
        description="Audit every environment (or those of --apps and --environments), then plan "
        "its move to Amplify Gen 2 with its users: the way (keep: referenceAuth on the deployed "
        "pool; recreate: a new pool and a user-migration trigger), a verdict (ready, ready "
        "with overrides, needs a decision, blocked) and its reasons, the secrets to set and "
        "the cdk-nag findings. Keep is recommended where possible, recreate where keep is "
        "not (USER_POOL_ONLY), a decision where keeping would freeze a weak setting. "
        f"Exit status: {EXIT_OK} when no environment is blocked, {EXIT_PARTIAL} when one or "
        "more are (the plan is printed whole all the same).",
    )
    _add_selection(plan)
    return plan


def _add_apply(actions: Any) -> argparse.ArgumentParser:
    """``fleet apply`` and the options only it has."""
    apply: argparse.ArgumentParser = actions.add_parser(
        "apply",
        help="Apply a request file to the targets of a CSV.",
        description="Read what every target has now and validate its request first, then "
        "send them with bounded concurrency (one job per app at a time) and follow every job "
        "together. A target that already has what its request would make it is UNCHANGED: "
        "nothing is sent (a run again sends nothing); a job of the same request still "
        "pending from an earlier run is followed, not sent again.",
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
    return apply


def _add_shared_options(p: argparse.ArgumentParser) -> None:
    """The options audit and apply share: concurrency, output, colour, progress, connection."""
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
    add_color_option(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    add_connection_options(p, several=True)


def fleet_connections(args: argparse.Namespace) -> list[Any]:
    """A connection per --profile in each --region (each given once or more; none: AWS's
    default), the other connection options shared: the accounts and regions to reach."""
    made = []
    for profile in args.profile or [None]:
        for region in args.region or [None]:
            each = argparse.Namespace(**{**vars(args), "profile": profile, "region": region})
            made.append(connection_from_args(each))
    return made


def _concurrency(text: str) -> int:
    """--concurrency: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number of 1 or more, not {text!r}")
    return value


def _output(args: argparse.Namespace) -> tuple[str, Path | None]:
    """--output's FORMAT and FILE (None: stdout), checked."""
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
    """A comma-separated option as its non-empty parts (None when not given)."""
    return [part.strip() for part in text.split(",") if part.strip()] if text else None


#: The largest targets file read (a CSV of a hundred thousand targets is a few megabytes).
TARGETS_LIMIT = 64 * 1024 * 1024


def _targets(path: str) -> Any:
    """The targets CSV as a frame of text cells (an empty cell is missing). Every row must
    have one field per column of the header: a row with more or fewer is refused with its line
    number, never realigned."""
    import pandas as pd  # deferred: pandas costs about 300 ms, which only the fleet pays

    text = _read_targets(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[list[str | None]] = []
    try:
        for fields in reader:
            if not fields:  # a blank line
                continue
            if header is None:
                header = [name.strip() for name in fields]
                _check_header(path, header, reader.line_num)
                continue
            if len(fields) != len(header):
                raise UsageError(_width_message(path, reader.line_num, fields, header))
            rows.append([field or None for field in fields])
    except csv.Error as exc:
        raise UsageError(
            f"--targets: {path}, line {reader.line_num}: not CSV ({exc}); put a field with "
            "commas, quotes or line breaks in double quotes, its quotes doubled"
        ) from None
    if header is None:
        raise UsageError(
            f"--targets: {path} is empty: its first line names the columns "
            "(app_id,environment and optionally resource_name and override columns)"
        )
    if not rows:
        raise UsageError(
            f"--targets: {path} names no targets: add a line a target below its header"
        )
    return pd.DataFrame(rows, columns=header, dtype=object)


def _read_targets(path: str) -> str:
    """The targets file's text (UTF-8, at most TARGETS_LIMIT bytes), or a UsageError that
    says what to do about it."""
    try:
        with open(path, "rb") as file:
            data = file.read(TARGETS_LIMIT + 1)
    except FileNotFoundError:
        raise UsageError(f"--targets: no such file {path!r}") from None
    except IsADirectoryError:
        raise UsageError(
            f"--targets: {path!r} is a folder, not a CSV file: give the path of the CSV"
        ) from None
    except PermissionError:
        raise UsageError(
            f"--targets: {path!r} cannot be read (permission denied): make it readable, or "
            "give a copy you can read"
        ) from None
    except OSError as exc:
        raise UsageError(f"--targets: {path!r} cannot be read: {exc.strerror or exc}") from None
    if len(data) > TARGETS_LIMIT:
        raise UsageError(
            f"--targets: {path!r} is larger than {TARGETS_LIMIT // 2**20} MB: split the targets "
            "into several files"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UsageError(
            f"--targets: {path}, line {line}: not UTF-8 text (byte {data[exc.start]:#04x}); "
            "save the file as UTF-8 (CSV UTF-8 in a spreadsheet)"
        ) from None


def _check_header(path: str, header: list[str], line: int) -> None:
    """Refuse a header that names a column twice or has a column without a name."""
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise UsageError(
            f"--targets: {path}, line {line}: the header names {', '.join(map(repr, repeated))} "
            "more than once; name each column once"
        )
    if "" in header:
        raise UsageError(
            f"--targets: {path}, line {line}: the header has a column without a name (column "
            f"{header.index('') + 1}); name every column, or remove the extra comma"
        )


def _width_message(path: str, line: int, fields: list[str], header: list[str]) -> str:
    """What to do about a row with more or fewer fields than the header has columns."""
    where = (
        f"--targets: {path}, line {line}: {len(fields)} fields, but the header names "
        f"{len(header)} columns ({','.join(header)})"
    )
    if len(fields) > len(header):
        return (
            f"{where}; refused rather than shifted into the wrong columns. Put a field that "
            "holds a comma in double quotes, or name the extra column in the header"
        )
    return (
        f"{where}; refused rather than guessed. Give every column a field, an empty one "
        "(nothing between two commas, or a comma at the end) where there is none"
    )


def write_frame(frame: Any, fmt: str, path: Path | None, console: Any) -> None:
    """The frame as a table, CSV, JSON lines of records, or Parquet (lists as JSON text)."""
    if fmt == "parquet":
        assert path is not None
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = [json.dumps(v) if isinstance(v, list) else v for v in frame[column]]
        frame.to_parquet(path, index=False)
        return
    if fmt == "csv":
        text = to_csv(frame, index=False)
    elif fmt == "json":
        text = frame.to_json(orient="records", date_format="iso", indent=1)
    else:
        text = frame.to_string(index=False, max_colwidth=60)
    if path is None:
        console.out(text)
    else:
        path.write_text(text if text.endswith("\n") else text + "\n")


def run_fleet(args: argparse.Namespace, console: Any) -> int:
    """``fleet audit``, ``fleet apply`` or ``fleet plan``, as ``args.fleet_command`` says."""
    # deferred: the fleet layer (the gen2 exporter, the tracker: ~35 ms), for fleet only
    from ..fleet.inventory import Fleet, audit
    from ..fleet.progress import ProgressBar

    fmt, path = _output(args)
    connections = fleet_connections(args)
    fleet = Fleet.connect(connections[0], open_history(console))
    unit = "target" if args.fleet_command == "apply" else "env"
    label = f"fleet {args.fleet_command}"
    progress = None if args.no_progress else ProgressBar(label, sys.stderr, unit=unit)
    if args.fleet_command in ("audit", "plan"):
        saving = getattr(args, "save", False)
        saved_before = _last_saved(fleet.history) if saving else 0
        frame = audit(
            connections,
            _split(args.apps),
            _split(args.environments),
            args.concurrency,
            history=fleet.history,
            progress=progress or False,
            save=saving,
        )
        if args.fleet_command == "plan":
            return _plan(frame, fmt, path, console)
        if fmt == "table":  # (where each row is, when there are several places)
            frame = frame[[*(LOCATION if len(connections) > 1 else ()), *NARROW]]
        write_frame(frame, fmt, path, console)
        if saving:
            _say_saved(fleet.history, console, saved_before)
        return EXIT_OK
    return _apply(connections, fleet.history, args, progress, fmt, path, console)


def _apply(
    connections: list[Any],
    history: Any,
    args: argparse.Namespace,
    progress: Any,
    fmt: str,
    path: Path | None,
    console: Any,
) -> int:
    """``fleet apply``: a row per target, each through the connection of its account_id and
    region columns when there are several, and the exit code of the worst
    (``status_exit_code``, with the outcomes that are not a job's status: INVALID 252,
    NOT_SENT 254, CANCELLED 255)."""
    from ..fleet.inventory import apply  # deferred with the fleet layer (see run_fleet)
    from ..fleet.rollout import Outcome

    template = load_skeleton_file(args.template)
    try:
        results = apply(
            template,
            _targets(args.targets),
            mode=args.mode,
            concurrency=args.concurrency,
            dry_run=args.dry_run,
            connection=connections,
            history=history,
            progress=progress or False,
        )
    except ValueError as exc:
        raise UsageError(f"fleet apply: {exc}") from None
    # a table has the diff as lines; its rows (changes) are for JSON and the widget's table
    shown = results if fmt != "table" else results.drop(columns=["findings", "changes"])
    write_frame(shown, fmt, path, console)
    statuses = results["status"].astype(str)
    repeated = int((statuses == Outcome.DUPLICATE).sum())
    if repeated:
        console.err(
            f"fleet apply: {repeated} target row(s) repeat an earlier row's app, environment "
            "and resource: each target was sent once (see the DUPLICATE rows)"
        )
    outcomes: dict[str, int] = {
        Outcome.NOT_SENT: EXIT_SERVICE,
        Outcome.CANCELLED: EXIT_OTHER,
        Outcome.INVALID: EXIT_USAGE,
    }
    return status_exit_code(set(statuses), outcomes)


def _plan(audit: Any, fmt: str, path: Path | None, console: Any) -> int:
    """``fleet plan``: the plan of the audit, and EXIT_PARTIAL when an environment is blocked.
    A table has its reasons below it; CSV holds each list as JSON text."""
    from ..fleet.migration import BLOCKED, migration_plan  # deferred with the fleet layer

    plan = migration_plan(audit)
    if fmt == "table":
        narrow = plan[list(PLAN_NARROW)].astype(object).where(plan[list(PLAN_NARROW)].notna(), "")
        narrow["secrets"] = [", ".join(names) for names in plan["secrets"]]
        text = narrow.to_string(index=False, max_colwidth=60)
        text = _printable(text) + "\n\n" + _plan_reasons(plan)
        if path is None:
            console.out(text)
        else:
            path.write_text(text if text.endswith("\n") else text + "\n")
    else:
        shown = plan.copy()
        if fmt == "csv":
            for column in ("reasons", "secrets", "nag"):
                shown[column] = [json.dumps(v, ensure_ascii=False) for v in shown[column]]
        write_frame(shown, fmt, path, console)
    return EXIT_PARTIAL if (plan["verdict"] == BLOCKED).any() else EXIT_OK


def _plan_reasons(plan: Any) -> str:
    """Each environment's verdict and reasons, then the counts by verdict."""
    from ..fleet.migration import plan_counts  # deferred with the fleet layer

    lines = []
    for row in plan.to_dict("records"):
        name = f"{row['app_name'] or row['app_id']} / {row['environment']}"
        way = f" ({row['way']})" if isinstance(row["way"], str) else ""
        lines.append(f"{name}: {row['verdict']}{way}")
        lines += [f"  - {reason}" for reason in row["reasons"]]
        lines += [f"  - cdk-nag: {finding}" for finding in row["nag"]]
    counts = plan_counts(plan)
    lines += ["", " · ".join(f"{verdict}: {int(n)}" for verdict, n in counts.items())]
    return _printable("\n".join(lines))


def _printable(text: str) -> str:
    """``text`` with every control character but the line break written as an escape, so
    that a name from the service can never move the cursor or recolour the terminal."""
    return "".join(
        c if c == "\n" or c.isprintable() else c.encode("unicode_escape").decode() for c in text
    )


#: The formats `fleet drift` writes (a few short columns: no Parquet).
DRIFT_FORMATS = ("table", "csv", "json")


def _add_drift(actions: Any) -> argparse.ArgumentParser:
    """``fleet drift``: what changed between saved audits (``fleet.drift``)."""
    drift: argparse.ArgumentParser = actions.add_parser(
        "drift",
        help="What changed between audits saved with `fleet audit --save`.",
        description="Every field that changed per environment between saved audits (field, "
        "before, after, when); a secret only as changed. By default the latest saved audit "
        "against each environment's state before it; --since for every change seen after a "
        "time. Reads the job history file ($AMPLIFY_AUTH_HISTORY or the user's). Prints "
        "nothing on stdout when nothing changed, so that cron mails only changes. Exit "
        f"status: {EXIT_OK}, or with --fail-on-change {EXIT_PARTIAL} when something changed.",
    )
    drift.add_argument(
        "--since",
        metavar="WHEN",
        help="an ISO 8601 time (2026-03-01, 2026-03-01T08:00Z) or a span ago (7d, 12h, 30m)",
    )
    drift.add_argument("--until", metavar="WHEN", help="the same forms (default: now)")
    drift.add_argument(
        "--output",
        nargs="+",
        metavar=("FORMAT", "FILE"),
        default=["table"],
        help=f"{', '.join(DRIFT_FORMATS)} (default table), to FILE or stdout",
    )
    drift.add_argument(
        "--fail-on-change", action="store_true", help=f"exit {EXIT_PARTIAL} if anything changed"
    )
    return drift


def run_drift(args: argparse.Namespace, console: Any) -> int:
    """``fleet drift``: the changes as a table, CSV or JSON; a line on stderr when none."""
    from ..fleet.timeline import drift  # deferred with the fleet layer (see run_fleet)

    fmt, path = _output(args)
    if fmt not in DRIFT_FORMATS:
        raise UsageError(f"--output: fleet drift writes {', '.join(DRIFT_FORMATS)}, not {fmt}")
    try:
        changes = drift(args.since, args.until, history=open_history(console))
    except ValueError as exc:
        raise UsageError(f"fleet drift --{exc}") from None
    if changes.empty:
        console.err("fleet drift: no change between the saved audits compared")
        return EXIT_OK
    shown = changes.copy()
    if fmt != "json":  # (JSON keeps each value's type; text shows it as JSON would)
        for column in ("before", "after"):
            shown[column] = [_value_text(v) for v in shown[column]]
        shown["when"] = shown["when"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "table":
        text = _printable(shown.to_string(index=False, max_colwidth=60))
        if path is None:
            console.out(text)
        else:
            path.write_text(text + "\n")
    else:
        write_frame(shown, fmt, path, console)
    return EXIT_PARTIAL if args.fail_on_change else EXIT_OK


def _value_text(value: Any) -> str:
    """A before or after value as text: lists and numbers as JSON, nothing as empty."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _last_saved(history: Any) -> int:
    """The id of the latest saved audit of ``history`` (0: none)."""
    from ..fleet.timeline import saved_audits  # deferred with the fleet layer

    ids = saved_audits(history)["id"]
    return int(ids.max()) if len(ids) else 0


def _say_saved(history: Any, console: Any, after: int) -> None:
    """On stderr: which audits were saved (one a connection, those after id ``after``),
    where and when, and how to compare them."""
    from ..fleet.timeline import saved_audits  # deferred with the fleet layer

    audits = saved_audits(history)
    audits = audits[audits["id"] > after]
    where = "memory (lost on exit)" if history.path == ":memory:" else history.path
    if audits.empty:
        console.err("fleet audit: nothing saved (no connection could be audited)")
        return
    ids = ", ".join(str(i) for i in audits["id"])
    console.err(
        f"fleet audit: saved as audit{'s' if len(audits) > 1 else ''} {ids} of {where}, at "
        f"{audits['time'].iloc[-1].isoformat(timespec='seconds')}; "
        "`amplify-auth fleet drift` shows what changed since the one before"
    )

"""``amplify-auth migrate``: a complete Amplify Gen 2 project per Gen 1 environment, its users kept.

``migrate --app-id A --backend-environment-name E --way keep|recreate --out DIR`` reads what the
environment deployed (``GetBackend``: the pool, clients, identity pool and roles) and its
configuration (``GetBackendAuth``), exports them the way asked (``gen2.export(..., way=,
deployed=)``) and writes a project under DIR (``gen2.project``): ``package.json`` pinned to the
versions the tests prove and its lock, ``tsconfig.json``, ``amplify/`` and a README that lists
the secrets to set and the steps to deploy. ``npm ci && npx tsc --noEmit`` passes on it as
written.

``migrate --all --out DIR`` audits every environment (``fleet.audit``; ``--apps`` and
``--environments`` narrow it), plans the move (``fleet.migration_plan``) and writes
``DIR/<app-id>-<env>/`` for each environment the plan does not block, its recommended way
unless ``--way`` says otherwise; a line per environment, then a summary.

A folder that is not empty is refused unless ``--force`` (then a file that differs is replaced,
its old text kept as ``NAME.bak``); nothing is written through a symbolic link. Exit codes are
the other commands': 252 bad options, a way the environment cannot take, a refused folder;
254 an error from the service; 255 an environment with no deployed auth (or a disk error).
With ``--all`` the worst of its environments' wins, and an environment the plan blocks (the
others written) gives 1, as ``fleet plan`` does.
"""

from __future__ import annotations

import argparse
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..client.service import ApiError, BackendAuthService
from ..core.deployed import DeployedUnreadable
from ..core.secrets import quote
from .common import (
    UsageError,
    add_color_option,
    add_connection_options,
    connection_from_args,
)
from .exitcodes import EXIT_OK, EXIT_OTHER, EXIT_PARTIAL, EXIT_SERVICE, EXIT_USAGE
from .output import paint

if TYPE_CHECKING:
    from ..gen2 import Written

#: A name shown, and used in a folder name, as it is; anything else is quoted or replaced.
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
#: What became of an environment (``Outcome.status``), in the summary's order.
STATUSES = ("written", "refused", "blocked", "error")
#: Which exit code of ``--all``'s environments wins: the service's error first, then the
#: disk's, a refusal, and last an environment the plan blocked (the others were written).
WORST_FIRST = (EXIT_SERVICE, EXIT_OTHER, EXIT_USAGE, EXIT_PARTIAL)


def add_migrate(sub: Any) -> None:
    """Add ``migrate`` to the ``amplify-auth`` subcommands."""
    p = sub.add_parser(
        "migrate",
        help="Write a complete Amplify Gen 2 project for an environment's auth, users kept.",
        description="Write an Amplify Gen 2 project (package.json pinned, its lock, "
        "tsconfig.json, amplify/, a README with the secrets to set and the steps to deploy) "
        "for one environment's auth, or, with --all, for every environment the migration plan "
        "does not block.",
    )
    target = p.add_argument_group("which environments")
    target.add_argument("--app-id", help="the app of the environment")
    target.add_argument("--backend-environment-name", help="the environment")
    target.add_argument(
        "--all", action="store_true", help="every environment the migration plan does not block"
    )
    target.add_argument("--apps", help="with --all: app ids or names, comma-separated")
    target.add_argument("--environments", help="with --all: environment names, comma-separated")
    way = p.add_argument_group("the project")
    way.add_argument(
        "--way",
        metavar="keep|recreate",
        help="keep: reference the Gen 1 pool (referenceAuth); recreate: a new pool the users "
        "move into at sign-in (a user-migration trigger). Required for one environment; with "
        "--all it overrides the plan's recommendation",
    )
    way.add_argument("--out", required=True, metavar="DIR", help="the project's folder")
    way.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty (a file that differs is kept as NAME.bak)",
    )
    add_color_option(way)
    way.add_argument("--no-progress", action="store_true", help="with --all, no progress bar")
    add_connection_options(p)
    p.set_defaults(run=run_migrate)


@dataclass
class Outcome:
    """What became of one environment: ``written`` (under ``folder``, the ``way`` taken),
    ``refused`` (a way it cannot take, a folder not empty), ``blocked`` (nothing to move yet)
    or ``error`` (the service's, or the disk's); ``exit_code`` is what it ends a command with."""

    status: str
    message: str = ""
    exit_code: int = EXIT_OK
    written: list[Written] = field(default_factory=list)
    folder: Path | None = None
    way: str | None = None


def shown(name: Any) -> str:
    """A name as a terminal line may show it: as it is when plain, else quoted (control
    characters and escape sequences written as escapes, never sent to the terminal)."""
    text = str(name)
    return text if _SAFE.fullmatch(text) else quote(text)


def folder_name(app_id: str, environment: str) -> str:
    """``<app-id>-<env>``, a single folder name whatever the names hold: a part that is not
    plain (a ``/``, ``..``, a control character) is replaced, with a hash of the names after
    it so that two environments never share a folder."""
    if _SAFE.fullmatch(app_id) and _SAFE.fullmatch(environment):
        return f"{app_id}-{environment}"
    parts = [
        re.sub(r"[^A-Za-z0-9._-]+", "_", p)[:40].strip("._-") or "x" for p in (app_id, environment)
    ]
    digest = hashlib.sha256(f"{app_id}\0{environment}".encode()).hexdigest()[:10]
    return f"{parts[0]}-{parts[1]}-{digest}"


def migrate_one(
    service: BackendAuthService,
    app_id: str,
    environment: str,
    way: str,
    folder: Path,
    force: bool,
) -> Outcome:
    """Export one environment the way asked and write its project under ``folder``. A
    service's error is raised (``ApiError``); every other end is an ``Outcome``."""
    from .. import gen2  # deferred: the exporter costs ~10 ms that other commands do not need
    from ..gen2.project import write_project

    where = f"app {shown(app_id)}, environment {shown(environment)}"
    try:
        deployed = service.deployed_auth(app_id, environment)
    except DeployedUnreadable as exc:
        return Outcome("blocked", f"{where}: its deployed auth cannot be read: {exc}", EXIT_OTHER)
    if deployed is None:
        return Outcome(
            "blocked",
            f"{where} has no deployed auth (GetBackend's AmplifyMetaConfig names no user pool): "
            "deploy its Gen 1 auth first (amplify push, or create-backend-auth --wait) and "
            "migrate once that job completed.",
            EXIT_OTHER,
        )
    config = service.get_backend_auth(app_id, environment, deployed.resource_name)
    try:
        export = gen2.export(config, "CreateBackendAuth", way=way, deployed=deployed)
    except gen2.WayRefused as exc:
        message = re.sub(r"\bway='(\w+)'", r"--way \1", str(exc))  # as the option says it
        return Outcome("refused", f"{where}: {message}", EXIT_USAGE)
    except (TypeError, ValueError) as exc:
        return Outcome("blocked", f"{where}: no Gen 2 form: {exc}", EXIT_OTHER)
    try:
        written = write_project(export, folder, force)
    except gen2.WriteRefused as exc:
        return Outcome("refused", str(exc), EXIT_USAGE)
    except OSError as exc:
        return Outcome("error", f"cannot write the project under {folder}: {exc}", EXIT_OTHER)
    return Outcome("written", f"{where}: way {way}", EXIT_OK, written, folder, way)


def _check_options(args: argparse.Namespace) -> None:
    """UsageError for options that do not go together, before anything is read."""
    from ..gen2.ways import WAYS  # deferred: the exporter, which --help never needs

    if args.way is not None and args.way not in WAYS:
        raise UsageError(f"migrate: --way {quote(args.way)} is not a way: keep or recreate.")
    target = {"--app-id": args.app_id, "--backend-environment-name": args.backend_environment_name}
    if args.all:
        given = [option for option, value in target.items() if value]
        if given:
            raise UsageError(
                f"migrate: --all takes no {' or '.join(given)}; use --apps and "
                "--environments to narrow it."
            )
        return
    missing = [option for option, value in {**target, "--way": args.way}.items() if not value]
    if missing:
        raise UsageError(
            f"migrate: {', '.join(missing)} missing: give --app-id, --backend-environment-name "
            "and --way keep|recreate for one environment, or --all for the whole plan."
        )
    if args.apps or args.environments:
        raise UsageError("migrate: --apps and --environments go with --all.")


def run_migrate(args: argparse.Namespace, console: Any) -> int:
    """``migrate``: one environment (its outcome's exit code), or --all of the plan."""
    _check_options(args)
    if args.all:
        return _run_all(args, console)
    service = BackendAuthService(connection_from_args(args))
    outcome = migrate_one(
        service, args.app_id, args.backend_environment_name, args.way, Path(args.out), args.force
    )
    if outcome.status != "written":
        console.err(paint(terminal(f"error: {outcome.message}"), "error", console.color_err))
        return outcome.exit_code
    _say_written(outcome.written, console)
    console.out(f"wrote {outcome.message} to {terminal(args.out)}")
    console.err(
        f"Next: read {terminal(str(Path(args.out) / 'README.md'))} (the secrets to set), then "
        "there: npm ci && npx tsc --noEmit && npx ampx sandbox"
    )
    return EXIT_OK


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal(text: str) -> str:
    """``text`` with every control character (an escape sequence's start, a line break, a
    bidirectional override) written as its Python escape, so that no message a name reaches
    can move the cursor, recolour the terminal or forge a line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _say_written(written: list[Written], console: Any) -> None:
    for w in written:
        if w.action == "unchanged":
            console.err(terminal(f"unchanged {w.path}"))
        elif w.backup is not None:
            console.err(terminal(f"replaced {w.path} (its old text is in {w.backup})"))
        else:
            console.err(terminal(f"wrote {w.path}"))


def _split(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(",") if part.strip()] if text else None


def _run_all(args: argparse.Namespace, console: Any) -> int:
    """Audit, plan, and write a project per environment not blocked; a line each, a summary.
    The worst outcome's exit code wins (``WORST_FIRST``); an environment the plan blocked
    gives EXIT_PARTIAL, as ``fleet plan`` does."""
    from .. import fleet  # deferred: pandas and the tracker, which one environment never needs

    connection = connection_from_args(args)
    progress: Any = False if args.no_progress else fleet.ProgressBar("audit", unit="env")
    audit = fleet.audit(connection, _split(args.apps), _split(args.environments), progress=progress)
    plan = fleet.migration_plan(audit)
    service = BackendAuthService(connection)
    out = Path(args.out)
    used: set[str] = set()
    outcomes: list[Outcome] = []
    for row in plan.to_dict("records"):
        outcome = _plan_row(service, row, args, out, used)
        outcomes.append(outcome)
        _say_outcome(outcome, row, console)
    counts = ", ".join(f"{sum(o.status == s for o in outcomes)} {s}" for s in STATUSES)
    plural = "s" if len(outcomes) != 1 else ""
    console.out(terminal(f"{counts} of {len(outcomes)} environment{plural}, under {out}"))
    codes = {o.exit_code for o in outcomes}
    return next((code for code in WORST_FIRST if code in codes), EXIT_OK)


def _plan_row(
    service: BackendAuthService,
    row: dict[str, Any],
    args: argparse.Namespace,
    out: Path,
    used: set[str],
) -> Outcome:
    """One plan row's outcome: blocked as the plan says, else its project written."""
    from ..fleet.migration import BLOCKED  # deferred with the fleet layer

    app_id, env = str(row["app_id"] or ""), str(row["environment"] or "")
    if row["verdict"] == BLOCKED or not app_id or not env:
        reasons = "; ".join(str(r) for r in row["reasons"]) or "no environment to read"
        return Outcome("blocked", reasons, EXIT_PARTIAL)
    name = folder_name(app_id, env)
    if name in used:  # two plain names joined alike ("a-b" "c", "a" "b-c")
        name = folder_name(app_id + "\0", env)
    used.add(name)
    way = args.way or str(row["way"])
    try:
        outcome = migrate_one(service, app_id, env, way, out / name, args.force)
    except ApiError as exc:
        return Outcome("error", f"{exc.operation}: {exc.code}: {exc.message}", EXIT_SERVICE)
    if outcome.status == "blocked":  # (deployed no more since the audit read it)
        outcome.exit_code = EXIT_PARTIAL
    return outcome


def _say_outcome(outcome: Outcome, row: dict[str, Any], console: Any) -> None:
    """``STATUS  app/env  [verdict]  what``: one line per environment, on stdout."""
    label = f"{shown(row['app_id'] or '-')}/{shown(row['environment'] or '-')}"
    verdict = str(row["verdict"])
    if outcome.status == "written":
        line = f"written  {label}  [{verdict}]  way {outcome.way} -> {outcome.folder}"
        style = "ok"
    else:
        line = f"{outcome.status}  {label}  [{verdict}]  {outcome.message}"
        style = "warning" if outcome.status == "blocked" else "error"
    console.out(paint(terminal(line), style, console.color_out))

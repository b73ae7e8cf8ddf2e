"""Apply one auth configuration to many targets: validated first, idempotent, resumable, with
as many jobs in flight as the service allows.

``apply(template, targets, mode=..., concurrency=8, dry_run=False)`` takes a template (a
``CreateBackendAuth`` request or just its ``ResourceConfig``) and a DataFrame of targets with
``app_id`` and ``environment`` columns, optionally ``resource_name`` and override columns named
by dotted configuration paths (``UserPoolConfigs.PasswordPolicy.MinimumLength``; an empty cell
overrides nothing). For every target it:

1. reads what the environment has **now** (``GetBackend``, ``GetBackendAuth``), builds the
   request (``create``: CreateBackendAuth; ``update``: UpdateBackendAuth, with the members that
   operation cannot change left out and named; ``upsert``: whichever fits what the environment
   has) and **validates** it; a target with error findings is not sent;
2. follows, rather than repeats, a job of the same request (same hash) the history holds still
   pending there: a run interrupted by Ctrl-C or a kernel restart is simply run again;
3. settles it ``UNCHANGED`` when its current configuration already is what the request would
   make it: no request, no job (in a dry run too). The current configuration decides, never
   the history: an entry there is not proof of state (the service may have been reset, or the
   console used since); it only names the job that applied the same request before
   (``applied_by``);
4. sends the rest with at most ``concurrency`` calls at a time but **one job per app at a
   time** (the service refuses a second pending job, so the targets of one app queue behind
   each other), and hands every job to the fleet's one ``JobTracker``, which follows them all
   together on its schedule (``Dispatcher``): the jobs in flight are bounded by the apps, not
   by threads. Throttling and gateway timeouts are retried with backoff (and slow the sender
   down where the connection uses botocore's ``adaptive`` retry mode, as ``Fleet.connect``
   makes it); a refusal for a pending job is answered by following that job (ours, if its
   answer was lost on the way) instead of sending again.

What every target shares is validated once (``SharedValidation``). A target named again
(the same app, environment and auth resource as an earlier row) is sent once, for its first
row; the others end ``DUPLICATE`` and say which row they repeat. A row without an app id or an
environment ends ``INVALID``, and the other rows go on.

It returns a frame with one row a target: the request hash, job id, final status (a job status
of ``lifecycle`` or an ``Outcome``), error, duration, findings, in a dry run (which sends
nothing) the diff the target would get (``diff``, a line a member, and ``changes``, the same as
(path, before, after) rows for a table), and the job that earlier applied the same request.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from ..client.service import RETRYABLE_CODES, ApiError, ValidationFailed
from ..core.diff import ABSENT, config_diff, deep_merge, describe_change, prune, shown_values
from ..core.findings import Finding, errors, sort_findings
from ..core.lifecycle import PENDING, JobStatus, Verdict, is_final
from ..core.model import FieldSpec, request_spec
from ..core.secrets import redact
from ..core.validation import validate
from ..jobs.history import JobHistory, parse_time

if TYPE_CHECKING:
    import pandas as pd

    from ..client.service import BackendAuthService
    from ..jobs.tracker import JobTracker, TrackedJob

#: Told (done, total) as targets settle.
Progress = Callable[[int, int], None]


class Fleet(Protocol):
    """What an apply needs of a fleet (``inventory.Fleet`` is one): its service, its history
    and tracker, and an environment's current auth configuration."""

    service: BackendAuthService
    history: JobHistory
    tracker: JobTracker

    def current_auth(self, app_id: str, env: str) -> tuple[str | None, dict[str, Any] | None]:
        """The auth resource's name and configuration (None, None when it has none)."""
        ...


MODES = ("create", "update", "upsert")
#: Rounds of sending one request (each the service's own retries) before giving up on it.
SEND_ROUNDS = 6


class Outcome(StrEnum):
    """A target's end that is not a job's status."""

    INVALID = "INVALID"  # error findings: not sent
    UNCHANGED = "UNCHANGED"  # the environment already has what the request would make it
    NOT_SENT = "NOT_SENT"  # the service did not accept it (see error)
    DRY_RUN = "DRY_RUN"  # a dry run: nothing sent
    CANCELLED = "CANCELLED"  # interrupted before it was sent
    DUPLICATE = "DUPLICATE"  # the same target as an earlier row: sent once, for that row


@dataclass
class Target:
    """One row of an apply, as it goes."""

    app_id: str
    environment: str
    resource_name: str | None
    config: dict[str, Any]
    operation: str | None = None
    request: dict[str, Any] | None = None
    request_hash: str | None = None
    findings: list[Finding] = field(default_factory=list)
    current: dict[str, Any] | None = None
    job_id: str | None = None
    status: str | None = None
    error: str | None = None
    duration: float | None = None
    diff: list[str] = field(default_factory=list)
    #: The diff as (path, before, after): None for absent, a secret as HIDDEN (a table's rows).
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    #: Whether the environment's current auth was read (None: not asked).
    looked_up: bool | None = None
    #: Whether the targets frame named the auth resource (else the template's name, if any).
    named: bool = False
    #: The auth resource the environment has now (None: none, or not read).
    current_name: str | None = None
    #: A job of the same request the history holds pending here: followed, not sent again.
    resumed: bool = False
    #: The job that applied the same request here before, as the history tells.
    applied_by: str | None = None

    @property
    def settled(self) -> bool:
        return self.status is not None


def parse_targets(template: dict[str, Any], targets: pd.DataFrame) -> list[Target]:
    """The targets of a frame, each with the template's configuration and its overrides."""
    overrides = _override_columns(targets)
    base = template.get("ResourceConfig", template) if isinstance(template, dict) else None
    if not isinstance(base, dict):
        raise ValueError("the template must be a request or a ResourceConfig (an object)")
    name = template.get("ResourceName") if "ResourceConfig" in template else None
    parsed: list[Target] = []
    for number, row in enumerate(targets.to_dict("records"), 1):
        parsed.append(_target_of(row, number, base, name, overrides))
    mark_duplicates(parsed)
    return parsed


def _override_columns(targets: pd.DataFrame) -> dict[str, FieldSpec]:
    """The frame's override columns, each with the configuration field it names; a frame
    without the naming columns, an audit frame or an unknown column is refused."""
    if "configured" in targets.columns and "finding_codes" in targets.columns:
        raise ValueError(
            "targets is an audit frame: its configuration columns would override the template; "
            'pass frame[["app_id", "environment", "resource_name"]] instead'
        )
    missing = [c for c in ("app_id", "environment") if c not in targets.columns]
    if missing:
        raise ValueError(
            f"targets needs the columns app_id and environment; missing: {', '.join(missing)}"
        )
    root = request_spec("CreateBackendAuth").member("ResourceConfig")
    assert root is not None
    overrides: dict[str, FieldSpec] = {}
    for column in targets.columns:
        if column in ("app_id", "environment", "resource_name"):
            continue
        path = str(column).removeprefix("ResourceConfig.")
        spec = root.find(path)
        if spec is None or spec.is_structure:
            raise ValueError(
                f"targets column {column!r} is neither app_id, environment, resource_name nor a "
                "configuration field (a dotted path such as "
                "UserPoolConfigs.PasswordPolicy.MinimumLength)"
            )
        overrides[str(column)] = spec
    return overrides


def _target_of(
    row: dict[str, Any],
    number: int,
    base: dict[str, Any],
    name: str | None,
    overrides: dict[str, FieldSpec],
) -> Target:
    """Target ``number`` (from 1): the template's configuration with the row's overrides; one
    without an app id or environment is settled ``INVALID``."""
    import pandas as pd  # deferred: slow to import

    config = json.loads(json.dumps(base))  # a deep copy per target
    for column, spec in overrides.items():
        value = row[column]
        # (a list cell of a frame read from Parquet is a numpy array: not a missing value)
        if not pd.api.types.is_list_like(value) and pd.isna(value):
            continue
        _set_path(config, spec.path.removeprefix("ResourceConfig.").split("."), value, spec)
    resource = row.get("resource_name")
    named = resource is not None and not pd.isna(resource) and bool(str(resource))
    app_id, environment = _cell(row["app_id"]), _cell(row["environment"])
    target = Target(app_id, environment, name, config)
    if named:
        target.resource_name, target.named = str(resource), True
    empty = [c for c, v in (("app_id", app_id), ("environment", environment)) if not v]
    if empty:
        target.status = Outcome.INVALID
        target.error = (
            f"target {number} has no {' and no '.join(empty)}: every target names "
            "the app (its id) and the environment"
        )
    return target


def _cell(value: Any) -> str:
    """A target-naming cell as text; an empty or missing one is ``""``."""
    import pandas as pd  # deferred: slow to import

    if value is None or (not isinstance(value, list | dict) and pd.isna(value)):
        return ""
    return str(value)


def mark_duplicates(targets: list[Target]) -> None:
    """Settle as ``DUPLICATE`` every target that names the same app, environment and auth
    resource as an earlier one (numbered from 1, in the order given): it is sent once."""
    first: dict[tuple[str, str, str | None], int] = {}
    for number, target in enumerate(targets, 1):
        if target.settled:
            continue
        key = (target.app_id, target.environment, target.resource_name)
        if key not in first:
            first[key] = number
            continue
        kept = first[key]
        note = "" if target.config == targets[kept - 1].config else "; its own overrides are not"
        target.status = Outcome.DUPLICATE
        target.error = (
            f"the same app, environment and resource as target {kept}: sent once, for target "
            f"{kept}{note and note + ' applied'}"
        )


def _set_path(config: dict[str, Any], steps: list[str], value: Any, spec: FieldSpec) -> None:
    for step in steps[:-1]:
        config = config.setdefault(step, {})
    config[steps[-1]] = _coerce(value, spec)


def _coerce(value: Any, spec: FieldSpec) -> Any:
    """A cell (often a string from CSV) as the field's type; what does not convert is kept as
    it is, for the validator to name."""
    if hasattr(value, "tolist"):  # numpy scalars and arrays: Python's own values
        value = value.tolist()
    if not isinstance(value, str):
        if spec.type in ("integer", "long") and isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    text = value.strip()
    if spec.type in ("integer", "long") and text.lstrip("-").isdigit():
        return int(text)
    if spec.type in ("double", "float"):
        try:
            return float(text)
        except ValueError:
            return value
    if spec.type == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if spec.is_list:
        if text.startswith("["):
            try:
                return json.loads(text)
            except ValueError:
                return value
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


#: The members that name a target; every other member of a fleet's requests is the same for
#: most targets.
TARGET_MEMBERS = ("AppId", "BackendEnvironmentName")


class SharedValidation:
    """``validate`` for requests that differ mostly in their target: the members other than
    ``TARGET_MEMBERS`` are validated once for all the requests that share them, the target
    members for each (every check of theirs looks at the member alone). Two hundred targets
    of one template took two hundred full validations, as long as sending them."""

    def __init__(self) -> None:
        self._shared: dict[tuple[str, str], list[Finding]] = {}

    def __call__(self, request: dict[str, Any], operation: str) -> list[Finding]:
        rest = {k: v for k, v in request.items() if k not in TARGET_MEMBERS}
        try:
            key = (operation, json.dumps(rest, sort_keys=True))
        except (TypeError, ValueError):  # (not JSON: validated whole, and the validator says)
            return validate(request, operation)
        if key not in self._shared:
            self._shared[key] = [
                f for f in validate(request, operation) if _member(f.path) not in TARGET_MEMBERS
            ]
        named = {k: request[k] for k in TARGET_MEMBERS if k in request}
        own = [f for f in validate(named, operation) if _member(f.path) in TARGET_MEMBERS]
        return sort_findings(self._shared[key] + own)


def _member(path: str) -> str:
    """The request member a finding's path is in."""
    return path.split(".", 1)[0].split("[", 1)[0]


def build_request(
    target: Target,
    mode: str,
    digest: Callable[[str, dict[str, Any]], str],
    validator: Callable[[dict[str, Any], str], list[Finding]] = validate,
) -> None:
    """Choose the operation, build and validate the request, hash it with ``digest`` (the
    history's ``request_hash``, keyed by its file)."""
    # (not read: an update with the resource named; the service says if there is none)
    exists = target.current is not None or target.looked_up is None
    if mode == "update" and not exists:
        target.status, target.error = Outcome.INVALID, "no auth to update in this environment"
        return
    create = mode == "create" or (mode == "upsert" and not exists)
    target.operation = "CreateBackendAuth" if create else "UpdateBackendAuth"
    config = target.config
    dropped: list[str] = []
    if not create:
        spec = request_spec("UpdateBackendAuth").member("ResourceConfig")
        config, dropped = prune(config, spec)
    target.request = {
        "AppId": target.app_id,
        "BackendEnvironmentName": target.environment,
        "ResourceName": target.resource_name,
        "ResourceConfig": config,
    }
    if target.resource_name is None:
        del target.request["ResourceName"]
    target.findings = validator(target.request, target.operation) + [
        Finding(
            f"ResourceConfig.{path.removeprefix('ResourceConfig.')}",
            "warning",
            "fleet.not-updatable",
            "UpdateBackendAuth cannot change this member; it is left as it is",
        )
        for path in dropped
    ]
    target.request_hash = digest(target.operation, target.request)
    if errors(target.findings):
        target.status = Outcome.INVALID
        target.error = "; ".join(str(f) for f in errors(target.findings))


def target_diff(target: Target) -> list[str]:
    """What the target would get, one readable line a changed member (secrets hidden)."""
    # A member added or removed whole may hold secrets below it: redact them; a secret leaf
    # itself is shown as changed, never its value (describe_change).
    return [describe_change(path, o, n) for path, o, n in _changed(target)]


def target_changes(target: Target) -> list[tuple[str, Any, Any]]:
    """``target_diff`` as (path, before, after) rows: absent as None, secrets as HIDDEN."""
    return [(path, *shown_values(path, o, n)) for path, o, n in _changed(target)]


def _changed(target: Target) -> list[tuple[str, Any, Any]]:
    """(path, old, new) of each member the target would change, whole values redacted."""
    if target.request is None:
        return []
    new = target.request["ResourceConfig"]
    if target.operation == "UpdateBackendAuth" and target.current is not None:
        new = deep_merge(target.current, new)
    old = target.current if target.current is not None else {}
    return [
        (path, _hidden(o), _hidden(n))
        for path, o, n in config_diff(old, new)
        if o is not ABSENT or n
    ]


def _hidden(value: Any) -> Any:
    return redact(value) if isinstance(value, dict | list) else value


def is_unchanged(target: Target) -> bool:
    """True when the environment's current configuration (read, not assumed) already is what
    the target's request would make it, under the same resource name: sending it would start
    a job that changes nothing."""
    if target.looked_up is not True or target.current is None or target.request is None:
        return False
    if target.resource_name is not None and target.current_name != target.resource_name:
        return False
    return not target_diff(target)


class Runner:
    """Sends one target's request, with its retries and the answers to a pending job (one
    call at a time, in a worker of the ``Dispatcher``'s pool)."""

    def __init__(
        self,
        fleet: Fleet,
        cancel: threading.Event,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ) -> None:
        self.fleet, self.cancel, self.sleep, self.clock = fleet, cancel, sleep, clock

    def send(self, target: Target) -> dict[str, Any] | None:
        """The accepted answer (naming the job), or None with the target settled."""
        assert target.operation is not None and target.request is not None
        service, first_try = self.fleet.service, time.time()
        for attempt in range(SEND_ROUNDS):
            if self.cancel.is_set():
                target.status = Outcome.CANCELLED
                return None
            try:
                return service.call(target.operation, target.request, force=True)
            except ApiError as exc:
                target.error = f"{exc.code}: {exc.message}"
                if exc.code in RETRYABLE_CODES:
                    self.sleep(service.backoff(attempt + 3))
                    continue
                if exc.code == "BadRequestException" and "pending job" in exc.message:
                    adopted = self._pending(target, first_try)
                    if adopted is not None:
                        return adopted
                    continue
                target.status = Outcome.NOT_SENT
                return None
        target.status = Outcome.NOT_SENT
        return None

    def _pending(self, target: Target, since: float) -> dict[str, Any] | None:
        """The app has a pending job. If it is ours (sent, its answer lost on the way), follow
        it; if it is another's, wait for it to end and let the caller send again."""
        try:
            jobs = self.fleet.service.list_backend_jobs(target.app_id, target.environment)
        except ApiError:
            self.sleep(self.fleet.service.backoff(3))
            return None
        pending = [j for j in jobs if j.get("Status") == PENDING]
        for job in pending:
            created = parse_time(job.get("CreateTime")) or 0.0
            if job.get("Operation") == target.operation and created >= since - 1.0:
                return {**job, "AppId": target.app_id}
        for job in pending:  # another's job in this environment: wait it out
            tracked = self.fleet.tracker.track(
                target.app_id,
                target.environment,
                job["JobId"],
                job.get("Operation"),
                PENDING,
                followed=True,
            )
            self.fleet.tracker.follow_job(tracked, self.cancel)
        if not pending:  # pending in another environment of the app: ask again later
            self.sleep(self.fleet.service.backoff(4))
        return None


#: Seconds the dispatcher waits at most between two looks (a send answered, a job ended,
#: a cancel or Ctrl-C): short, so that none is noticed late.
LOOK_EVERY = 0.05


class Dispatcher:
    """Sends the targets not yet settled and sees their jobs to their end.

    At most ``concurrency`` sends are in flight (each a ``Runner.send`` in a pool), and an app's
    targets go one after the other: the next is sent once the job of the one before has ended.
    Every job is handed to the fleet's ``JobTracker``, which follows them all in its rounds
    (one ``GetBackendJob`` a job, one ``ListBackendJobs`` for an environment with several), in
    its background thread (started for the apply and stopped after it, unless it ran). So
    hundreds of jobs can be in flight with a handful of threads, and the wall time is the
    longest app's queue. A cancel (or Ctrl-C) stops sending: the jobs sent go on, and a later
    run follows them."""

    def __init__(
        self, runner: Runner, planned: list[Target], concurrency: int, progress: Progress | None
    ) -> None:
        self.runner, self.progress, self.total = runner, progress, len(planned)
        self.done = sum(t.settled for t in planned)
        self.queues: dict[str, deque[Target]] = {}
        for target in planned:
            if not target.settled:
                self.queues.setdefault(target.app_id, deque()).append(target)
        self.sending: dict[Future[dict[str, Any] | None], tuple[Target, float]] = {}
        self.following: dict[str, tuple[Target, TrackedJob, float]] = {}  # by app id
        self.pool = ThreadPoolExecutor(concurrency, "fleet-send")

    @property
    def tracker(self) -> JobTracker:
        return self.runner.fleet.tracker

    def run(self) -> None:
        """Until every target is settled; an interruption (Ctrl-C) cancels what is not sent."""
        self._tell()
        # the tracker polls in its own thread, so that a slow round (throttled polls backing
        # off) never holds up the sends; one already running (the app's) is used as it is
        started = not self.tracker.running
        if started:
            self.tracker.start()
        try:
            while self.queues or self.sending or self.following:
                self._start_ready()
                self._collect_sent()
                self._collect_ended()
                self._wait()
        except BaseException:
            self.runner.cancel.set()
            raise
        finally:
            self.progress = None  # (told no more: a progress that raised is on its way out)
            try:
                self.pool.shutdown(wait=True)
                self._collect_sent()  # (answers that came after a cancel: jobs on record)
            finally:
                if started:
                    self.tracker.stop()

    def _tell(self) -> None:
        if self.progress:
            self.progress(self.done, self.total)

    def _settle(self, target: Target) -> None:
        """``target`` has its end: one more done."""
        self.done += 1
        self._tell()

    def _start_ready(self) -> None:
        """Send (or follow) the next target of every app that has nothing in flight."""
        for app_id in [a for a in self.queues if a not in self.following]:
            if any(t.app_id == app_id for t, _ in self.sending.values()):
                continue
            queue = self.queues[app_id]
            target = queue.popleft()
            if not queue:
                del self.queues[app_id]
            if self.runner.cancel.is_set():
                target.status = Outcome.CANCELLED
                self._settle(target)
            elif target.resumed:  # pending from an earlier run: followed, not sent again
                response = {"JobId": target.job_id, "Status": PENDING}
                self._follow(target, response, self.runner.clock())
            else:
                future = self.pool.submit(self.runner.send, target)
                self.sending[future] = (target, self.runner.clock())

    def _collect_sent(self) -> None:
        """Hand the job of every answered send to the tracker."""
        for future in [f for f in self.sending if f.done()]:
            target, started = self.sending.pop(future)
            response = future.result()
            if response is None:  # settled by the runner (NOT_SENT, CANCELLED)
                self._settle(target)
            else:
                self._follow(target, response, started)

    def _follow(self, target: Target, response: dict[str, Any], started: float) -> None:
        request = target.request or {}
        job = self.tracker.track_response(
            {"AppId": target.app_id, "BackendEnvironmentName": target.environment, **response},
            target.operation,
            request,
        )
        if job is None:
            target.status, target.error = Outcome.NOT_SENT, "the response named no job"
            self._settle(target)
            return
        target.job_id = job.job_id
        self.following[target.app_id] = (target, job, started)

    def _collect_ended(self) -> None:
        """Settle the targets whose job ended (or all that are followed, once cancelled)."""
        cancelled = self.runner.cancel.is_set()
        for app_id, (target, job, started) in list(self.following.items()):
            if not job.done and not cancelled:
                continue
            del self.following[app_id]
            if not job.done:  # the job goes on; a later run follows it
                target.status = Outcome.CANCELLED
            elif job.status == Verdict.NOT_FOUND and target.resumed:
                self._forgotten(target)  # the history's job is not the service's
                continue
            else:
                target.status, target.error = job.status, job.error
                target.duration = self.runner.clock() - started
            self._settle(target)

    def _forgotten(self, target: Target) -> None:
        """A job the history held pending that the service does not know (it was reset, say):
        the target is decided by its current configuration, as if the history had none."""
        target.resumed, target.job_id = False, None
        if is_unchanged(target):
            target.status = Outcome.UNCHANGED
            self._settle(target)
        else:
            self.queues.setdefault(target.app_id, deque()).appendleft(target)

    def _wait(self) -> None:
        """Until a send is answered, or ``LOOK_EVERY`` (for the jobs the tracker saw end)."""
        if self.sending:
            wait(list(self.sending), timeout=LOOK_EVERY, return_when=FIRST_COMPLETED)
        elif self.following:
            self.runner.cancel.wait(LOOK_EVERY)


def results_frame(targets: list[Target]) -> pd.DataFrame:
    """One row a target: what was sent, its job and how it ended."""
    import pandas as pd  # deferred: slow to import

    frame = pd.DataFrame(
        {
            "app_id": [t.app_id or None for t in targets],
            "environment": [t.environment or None for t in targets],
            "resource_name": [t.resource_name for t in targets],
            "operation": [t.operation for t in targets],
            "request_hash": [t.request_hash for t in targets],
            "job_id": [t.job_id for t in targets],
            "status": [None if t.status is None else str(t.status) for t in targets],
            "error": [t.error if t.status != JobStatus.COMPLETED else None for t in targets],
            "duration": pd.to_timedelta([t.duration for t in targets], unit="s"),
            "findings": [[str(f) for f in t.findings] for t in targets],
            "diff": [t.diff for t in targets],
            "changes": [t.changes for t in targets],
            "applied_by": [t.applied_by for t in targets],
        }
    )
    texts = ("app_id", "environment", "resource_name", "request_hash", "job_id", "error")
    for column in (*texts, "applied_by"):
        frame[column] = frame[column].astype("string")
    for column in ("operation", "status"):
        frame[column] = frame[column].astype("category")
    return frame


def apply(
    template: dict[str, Any],
    targets: pd.DataFrame,
    *,
    fleet: Fleet,
    mode: str = "create",
    concurrency: int = 8,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> pd.DataFrame:
    """Apply ``template`` to ``targets`` through ``fleet`` (see the module). ``concurrency``
    bounds the calls in flight (the look-ups, then the sends), not the jobs. ``cancel`` stops
    sending (pending jobs go on, and a later run follows them)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if concurrency < 1:
        raise ValueError(f"concurrency must be 1 or more, not {concurrency}")
    planned = _plan(template, targets, fleet, mode, concurrency, dry_run, sleep)
    if dry_run:
        for target in planned:
            target.diff = target_diff(target)
            target.changes = target_changes(target)
            if not target.settled:
                target.status = Outcome.DRY_RUN
    else:
        runner = Runner(fleet, cancel or threading.Event(), sleep, clock)
        Dispatcher(runner, planned, concurrency, progress).run()
    return results_frame(planned)


def _plan(
    template: dict[str, Any],
    targets: pd.DataFrame,
    fleet: Fleet,
    mode: str,
    concurrency: int,
    dry_run: bool,
    sleep: Callable[[float], None],
) -> list[Target]:
    """The targets with their requests built and validated, those the history shows pending
    marked to be followed (``_resume``) and those whose environment already has what they
    would send settled ``UNCHANGED``: nothing is sent yet."""
    planned = parse_targets(template, targets)
    with ThreadPoolExecutor(concurrency) as pool:
        # What each environment has now: whether there is anything to send at all, the
        # diff of a dry run, the choice of an upsert, the resource name for an update.
        wait(
            [
                pool.submit(_look_up, fleet, t, sleep, dry_run or _needs_look_up(t, mode), mode)
                for t in planned
                if not t.settled
            ]
        )
        mark_duplicates(planned)  # (an update's look-up may have named a resource)
        validator = SharedValidation()
        for target in planned:
            if not target.settled:
                build_request(target, mode, fleet.history.request_hash, validator)
    _resume(fleet, planned)
    for target in planned:
        if not target.settled and not target.resumed and is_unchanged(target):
            target.status = Outcome.UNCHANGED
    return planned


def _needs_look_up(target: Target, mode: str) -> bool:
    return mode == "upsert" or (mode == "update" and not target.named)


def _look_up(
    fleet: Fleet,
    target: Target,
    sleep: Callable[[float], None],
    required: bool = True,
    mode: str = "upsert",
) -> None:
    """Read the environment's auth into ``target``. Where the apply cannot go on without it
    (``required``: an upsert, an update naming no resource, a dry run), a failure settles the
    target; where it only asks whether anything would change, "not found" leaves it unread
    and the send finds out."""
    for attempt in range(SEND_ROUNDS):  # (each round is the service's own retries)
        try:
            name, target.current = _read(fleet, target, required or mode != "update")
            break
        except ApiError as exc:
            if not required and exc.code == "NotFoundException":
                return
            target.status, target.error = Outcome.NOT_SENT, f"{exc.code}: {exc.message}"
            if exc.code not in RETRYABLE_CODES:
                return
            sleep(fleet.service.backoff(attempt + 3))
        except ValidationFailed as exc:  # an app id or environment the service would refuse
            target.status = Outcome.INVALID
            target.error = "; ".join(str(f) for f in errors(exc.findings))
            return
    else:
        return
    target.status = target.error = None
    target.looked_up, target.current_name = True, name
    if name is not None and _needs_look_up(target, mode):
        # an update naming none (and an upsert) names the resource the environment has; not a
        # create, nor a dry run of one: it would be judged against a name it will not send
        target.resource_name = name


def _read(fleet: Fleet, target: Target, whole: bool) -> tuple[str | None, Any]:
    """The auth resource's name and configuration: what the environment has
    (``current_auth``: ``GetBackend``, then ``GetBackendAuth``) where ``whole``, else the one
    resource the target names (``GetBackendAuth`` alone: one call a target, for an update,
    which expects it there; a create would find none mostly, each a NotFound on record)."""
    if whole or target.resource_name is None:
        return fleet.current_auth(target.app_id, target.environment)
    answer = fleet.service.get_backend_auth(target.app_id, target.environment, target.resource_name)
    return target.resource_name, answer.get("ResourceConfig") or {}


def _resume(fleet: Fleet, planned: list[Target]) -> None:
    """What the history knows of each target's request: a job still pending there is followed
    instead of sent again; the last that COMPLETED is named (``applied_by``), and no more: the
    current configuration decides whether anything is sent."""
    import pandas as pd  # deferred: slow to import

    hashes = {t.request_hash for t in planned if not t.settled}
    if not hashes:
        return
    seen = fleet.history.submissions()
    seen = seen[seen["request_hash"].isin(hashes)]
    latest: dict[tuple[str, str, str], tuple[str, str, Any]] = {}
    applied: dict[tuple[str, str, str], str] = {}
    for row in seen.itertuples():
        key = (str(row.app_id), str(row.environment), str(row.request_hash))
        latest[key] = (str(row.job_id), str(row.status), row.local_verdict)
        if row.status == JobStatus.COMPLETED:
            applied[key] = str(row.job_id)
    for target in planned:
        key = (target.app_id, target.environment, str(target.request_hash))
        if target.settled:
            continue
        target.applied_by = applied.get(key)
        if key in latest:
            job_id, status, verdict = latest[key]
            if not is_final(status) and pd.isna(verdict):
                target.job_id, target.resumed = job_id, True  # still pending: follow it

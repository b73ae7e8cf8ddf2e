"""JobTracker: follow any number of backend jobs to their end, asking no more than it must.

The AWS CLI has no waiter for these jobs, and the Amplify CLI asks every 2 seconds. The tracker
shapes each job's polls by what history knows of that operation's durations: ``schedule.plan``
chooses, from a log-normal fit to them and a call budget, when to ask first, how often to ask
while jobs of that kind usually end, and how to back off after (see there). It asks fewer
times than polling every ``min_interval`` and sees the end no later, whatever the spread of the
durations. A first poll more than five minutes away is preceded by one halfway. With **no
history** yet it backs off from ``min_interval``. These knobs (the interval, the deadline, the
call budget, ...) are one frozen ``TrackerPolicy``: ``JobTracker(service, history,
policy=TrackerPolicy(deadline=600))``.

Where several jobs are pending in one app and environment, one ``ListBackendJobs`` (all pages)
refreshes them all and discovers jobs started elsewhere. Throttling, gateway timeouts and
refused connections are retried by the service, and if they persist the job is simply asked
again later: a job is never lost or duplicated, and a terminal status is recorded once. A job
still pending at its deadline is marked timed out: a local verdict, not the service's.

The tracker records job statuses in ``history``; recording every *request* is the service's
``on_call`` hook, wired where the service and history are put together (the app, the CLI, the
fleet), not here.

Time comes from ``clock``; ``poll_due()`` does one round and returns, so tests and benchmarks
drive the tracker on a fake clock. ``start()`` runs rounds in a background thread.
``follow_job(job)`` polls one job in the caller's thread instead (the rounds leave it alone):
a fleet apply's workers each follow the job they sent.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..client.service import ApiError, BackendAuthService
from ..core.lifecycle import TERMINAL, UNKNOWN, JobStatus, Verdict, is_final
from .history import JobHistory, parse_time
from .schedule import Schedule, plan

Callback = Callable[["TrackedJob", str | None, str], None]
#: Seconds: a job expected to take longer than this is checked once halfway as well.
LONG_WAIT = 300.0


@dataclass(frozen=True)
class TrackerPolicy:
    """How a ``JobTracker`` polls: one documented set of tuning knobs instead of loose
    arguments, frozen so that a policy handed to several trackers cannot change under them.
    The defaults are the app's, the CLI's and the fleet's."""

    #: Seconds after a job's creation at which it is given up as ``TIMED_OUT`` (a local
    #: verdict, not the service's).
    deadline: float = 3600.0
    #: Seconds: the first interval without history (backing off from it, x1.5 a poll), the
    #: base of the backoff after a problem (x2 a miss), and the naive polling the schedule
    #: must beat; the Amplify CLI asks every 2 seconds.
    min_interval: float = 2.0
    #: Polls a job may cost on average; None: what polling every ``min_interval`` would.
    call_budget: float | None = None
    #: Seconds: the longest wait between two polls of a job, however far the backoff gets.
    max_interval: float = 60.0
    #: Environments asked about at once in a round (each its own call); 1: one at a time, in
    #: the calling thread.
    poll_concurrency: int = 8
    #: Fraction by which intervals outside the dense window are spread either way, so that
    #: jobs started together are not all asked about together.
    jitter: float = 0.1
    #: Durations of an operation history must know before its polls follow a schedule.
    min_samples: int = 5


@dataclass
class TrackedJob:
    """What the tracker knows of one job."""

    app_id: str
    env: str
    job_id: str
    operation: str | None = None
    status: str | None = None
    created: float = 0.0
    next_poll: float = 0.0
    polls: int = 0
    overdue_polls: int = 0
    misses: int = 0
    error: str | None = None
    last_problem: str | None = None
    finished: float | None = None
    #: Polled by a caller's thread (``follow_job``): the background rounds leave it alone.
    followed: bool = False
    #: The job as the service last described it (GetBackendJob's or ListBackendJobs' item).
    last: dict[str, Any] = field(default_factory=dict, repr=False)
    history_ids: list[str] = field(default_factory=list, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.app_id, self.env)

    @property
    def done(self) -> bool:
        return is_final(self.status)


class JobTracker:
    """Tracks jobs in the background; callbacks on every status change."""

    def __init__(
        self,
        service: BackendAuthService,
        history: JobHistory | None = None,
        *,
        policy: TrackerPolicy | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.service = service
        self.history = history if history is not None else JobHistory(":memory:", clock)
        #: How the tracker polls (frozen: give the tracker another one to poll otherwise).
        self.policy = policy if policy is not None else TrackerPolicy()
        self.clock = clock
        self._pool: ThreadPoolExecutor | None = None
        self.rng = rng or random.Random()
        self.jobs: dict[str, TrackedJob] = {}
        #: The jobs not yet done (a subset of ``jobs``, pruned each round): a round looks at
        #: these, not at every job ever tracked.
        self._open: dict[str, TrackedJob] = {}
        self.calls = 0
        self.problems: list[str] = []
        self._callbacks: list[Callback] = []
        self._schedules: dict[str, Schedule | None] = {}
        #: Per operation: durations the schedule was planned from, and learned since.
        self._planned_from: dict[str, int] = {}
        self._new_samples: dict[str, int] = {}
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- what to track ---------------------------------------------------------------------

    def on_change(self, callback: Callback, remove: bool = False) -> None:
        """``callback(job, old_status, new_status)`` on every status change (``remove=True``
        takes it off again)."""
        if remove:
            self._callbacks = [c for c in self._callbacks if c != callback]
        else:
            self._callbacks.append(callback)

    def track(
        self,
        app_id: str,
        env: str,
        job_id: str,
        operation: str | None = None,
        status: str | None = None,
        created: float | None = None,
        *,
        followed: bool = False,
    ) -> TrackedJob:
        """Track a job (``followed``: its caller polls it with ``follow_job``)."""
        with self._lock:
            if job_id in self.jobs:
                return self.jobs[job_id]
            now = self.clock()
            job = TrackedJob(
                app_id, env, job_id, operation, status, created if created is not None else now
            )
            job.followed = followed
            job.next_poll = self._next_poll(job, now)
            self.jobs[job_id] = job
            self._open[job_id] = job
        if status is not None:  # on record at once, so that a restart can resume it
            self.history.record_status(
                {
                    "JobId": job_id,
                    "AppId": app_id,
                    "BackendEnvironmentName": env,
                    "Operation": operation,
                    "Status": status,
                    "CreateTime": job.created,
                },
                now,
            )
        self._wake.set()
        return job

    def track_response(
        self,
        response: dict[str, Any],
        operation: str | None = None,
        request: dict[str, Any] | None = None,
        *,
        followed: bool = False,
    ) -> TrackedJob | None:
        """Track the job a Create/Update/Delete/Import response names (an ``on_submit``
        callback for the editor)."""
        if not response.get("JobId"):
            return None
        request = request or {}
        return self.track(
            response.get("AppId") or request.get("AppId", ""),
            response.get("BackendEnvironmentName") or request.get("BackendEnvironmentName", ""),
            response["JobId"],
            response.get("Operation") or operation,
            response.get("Status"),
            parse_time(response.get("CreateTime")),
            followed=followed,
        )

    def resume(self) -> list[TrackedJob]:
        """Track again every unfinished job the history holds (after a restart)."""
        return [
            self.track(
                j["AppId"],
                j["BackendEnvironmentName"],
                j["JobId"],
                j["Operation"],
                j["Status"],
                j["Created"],
            )
            for j in self.history.unfinished()
        ]

    def discover(self, app_id: str, env: str) -> list[TrackedJob]:
        """Find the jobs of an environment that were started elsewhere; track pending ones."""
        listed = self._list(app_id, env)
        found = []
        for item in listed or []:
            if item["JobId"] not in self.jobs and item.get("Status") not in TERMINAL:
                found.append(
                    self.track(
                        app_id,
                        env,
                        item["JobId"],
                        item.get("Operation"),
                        item.get("Status"),
                        parse_time(item.get("CreateTime")),
                    )
                )
            elif item.get("Status") in TERMINAL:
                self.history.record_status(item, self.clock())
        return found

    @property
    def pending(self) -> list[TrackedJob]:
        with self._lock:
            return self._still_open()

    def _still_open(self) -> list[TrackedJob]:
        """The jobs not done, with those that are done taken out of ``_open`` (under the
        lock)."""
        done = [key for key, job in self._open.items() if job.done]
        for key in done:
            del self._open[key]
        return list(self._open.values())

    # -- the schedule ----------------------------------------------------------------------

    def schedule(self, operation: str | None) -> Schedule | None:
        """The polling schedule for jobs of ``operation``, planned from the durations history
        has learned, or None while it knows fewer than ``min_samples``."""
        if operation is None:
            return None
        if operation not in self._schedules:
            durations = self.history.durations(operation)
            self._planned_from[operation] = len(durations)
            self._schedules[operation] = (
                plan(
                    durations,
                    naive_interval=self.policy.min_interval,
                    call_budget=self.policy.call_budget,
                    max_interval=self.policy.max_interval,
                )
                if len(durations) >= self.policy.min_samples
                else None
            )
        return self._schedules[operation]

    def _learned(self, operation: str) -> None:
        """One more duration of ``operation`` on record: plan again once the new ones are
        half as many as those planned from (planning takes a moment, and a few more samples
        barely move it: the plans of a thousand jobs are a dozen)."""
        planned = self._schedules.get(operation)
        self._new_samples[operation] = self._new_samples.get(operation, 0) + 1
        known = self._planned_from.get(operation, 0) + self._new_samples[operation]
        if planned is None or self._new_samples[operation] >= known // 2:
            self._schedules.pop(operation, None)
            self._new_samples[operation] = 0
            self._bring_forward(operation)

    def _bring_forward(self, operation: str) -> None:
        """The pending jobs of ``operation`` polled where the schedule just learned puts them,
        if that is sooner than planned: jobs started together before anything was learned
        (a fleet's first hundred) would otherwise wait out the back-off without history,
        and the longest of them sets a fleet apply's wall time."""
        if self.schedule(operation) is None:
            return
        now = self.clock()
        with self._lock:
            waiting = [j for j in self._still_open() if j.operation == operation]
        for job in waiting:
            job.next_poll = min(job.next_poll, self._next_poll(job, now))
        self._wake.set()

    def window(self, operation: str | None) -> tuple[float, float] | None:
        """Seconds after creation between which jobs of ``operation`` are polled densely."""
        schedule = self.schedule(operation)
        return None if schedule is None else (schedule.first, schedule.dense_until)

    def _jittered(self, seconds: float) -> float:
        return seconds * (1 + self.rng.uniform(-self.policy.jitter, self.policy.jitter))

    def _backoff(self, growth: float, steps: int) -> float:
        """``min_interval`` grown ``steps`` times by ``growth``, at most ``max_interval``,
        jittered: the wait where no schedule applies (no history yet, or after a problem)."""
        policy = self.policy
        return self._jittered(min(policy.max_interval, policy.min_interval * growth**steps))

    def _next_poll(self, job: TrackedJob, now: float) -> float:
        elapsed = now - job.created
        schedule = self.schedule(job.operation)
        if schedule is None:
            interval = self._backoff(1.5, job.polls)
        elif elapsed < schedule.first / 2 - 0.05 and schedule.first > LONG_WAIT:
            # (50 ms: the halfway poll's time, read back from epoch seconds, may fall a hair
            # short of halfway; as for next_after, that is not a reason to ask again)
            interval = schedule.first / 2 - elapsed
        elif job.polls == 0 and elapsed < schedule.first:
            # the first poll at the schedule's first, however soon: next_after's slack is for
            # the polls after it (jobs that end at once were asked about an interval late)
            interval = schedule.first - elapsed
        else:
            interval = schedule.next_after(elapsed, job.overdue_polls, self.policy.max_interval)
            if elapsed > schedule.dense_until:
                interval = self._jittered(interval)
        return min(now + max(interval, 0.001), job.created + self.policy.deadline)

    def next_due(self) -> float | None:
        with self._lock:
            times = [j.next_poll for j in self._still_open() if not j.followed]
        return min(times) if times else None

    # -- a round ---------------------------------------------------------------------------

    def poll_due(self, now: float | None = None) -> int:
        """Ask about every job whose time has come; returns how many API calls it made."""
        now = self.clock() if now is None else now
        before = self.calls
        with self._lock:
            pending = self._still_open()
        pending = [j for j in pending if not j.followed]  # (each has its own poller)
        due = [j for j in pending if j.next_poll <= now]
        by_env: dict[tuple[str, str], list[TrackedJob]] = {}
        for job in due:
            by_env.setdefault(job.key, []).append(job)
        pending_by_env: dict[tuple[str, str], list[TrackedJob]] = {}
        for job in pending:
            if job.key in by_env:
                pending_by_env.setdefault(job.key, []).append(job)

        def refresh(key: tuple[str, str], jobs: list[TrackedJob]) -> None:
            pending_here = pending_by_env[key]
            if len(pending_here) > 1:
                self._refresh_by_list(key, pending_here, now)
            else:
                for job in jobs:
                    self._refresh_one(job, now)

        if len(by_env) > 1 and self.policy.poll_concurrency > 1:  # environments are independent
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.policy.poll_concurrency, "job-poll")
            list(self._pool.map(lambda item: refresh(*item), by_env.items()))
        else:
            for key, jobs in by_env.items():
                refresh(key, jobs)
        for job in due:
            self._check_deadline(job, self.clock())
        return self.calls - before

    def _count(self, calls: int) -> None:
        with self._lock:
            self.calls += calls

    def _list(self, app_id: str, env: str) -> list[dict[str, Any]] | None:
        start = self.service.calls_here
        try:
            return self.service.list_backend_jobs(app_id, env)
        except ApiError as exc:
            self._problem(f"ListBackendJobs {app_id}/{env}: {exc.message} ({exc.code})")
            return None
        finally:
            self._count(self.service.calls_here - start)

    def _refresh_by_list(self, key: tuple[str, str], jobs: list[TrackedJob], now: float) -> None:
        listed = self._list(*key)
        if listed is None:
            for job in jobs:
                self._reschedule_after_problem(job, now)
            return
        by_id = {item["JobId"]: item for item in listed}
        for job in jobs:
            item = by_id.get(job.job_id)
            if item is None:
                self._miss(job, now)
            else:
                self._observe(job, item, now)
        for item in listed:
            if item["JobId"] not in self.jobs and item.get("Status") not in TERMINAL:
                self.track(
                    key[0],
                    key[1],
                    item["JobId"],
                    item.get("Operation"),
                    item.get("Status"),
                    parse_time(item.get("CreateTime")),
                )

    def _refresh_one(self, job: TrackedJob, now: float) -> None:
        start = self.service.calls_here
        try:
            item = self.service.get_backend_job(job.app_id, job.env, job.job_id)
        except ApiError as exc:
            if exc.code == "NotFoundException":
                self._miss(job, now)
            else:
                self._problem(f"GetBackendJob {job.job_id}: {exc.message} ({exc.code})")
                self._reschedule_after_problem(job, now)
            return
        finally:
            self._count(self.service.calls_here - start)
        self._observe(job, item, now)

    def _observe(self, job: TrackedJob, item: dict[str, Any], now: float) -> None:
        job.polls += 1
        job.misses = 0
        job.last_problem = None
        if job.operation is None:
            job.operation = item.get("Operation")
        created = parse_time(item.get("CreateTime"))
        if created is not None:
            job.created = created
        new = item.get("Status") or UNKNOWN
        record = {
            **item,
            "AppId": job.app_id,
            "BackendEnvironmentName": job.env,
            "Operation": job.operation,
        }
        changed = self.history.record_status(record, now)
        with self._lock:  # (two pollers of one job, briefly: the change is told once)
            old, job.status = job.status, new
        job.error = item.get("Error")
        job.last = dict(item)
        if new in TERMINAL:
            job.finished = now
            if new == JobStatus.COMPLETED and job.operation is not None:
                self._learned(job.operation)
        else:
            schedule = self.schedule(job.operation)
            if schedule is not None and now - job.created > schedule.dense_until:
                job.overdue_polls += 1
            job.next_poll = self._next_poll(job, now)
        if changed or old != new:
            self._emit(job, old, new)

    def _miss(self, job: TrackedJob, now: float) -> None:
        job.misses += 1
        if job.misses >= 3:
            self._problem(f"job {job.job_id} is not known to the service; no longer tracked")
            old, job.status = job.status, Verdict.NOT_FOUND  # (unknown three times running)
            self._emit(job, old, job.status)
        else:
            self._reschedule_after_problem(job, now)

    def _reschedule_after_problem(self, job: TrackedJob, now: float) -> None:
        job.last_problem = self.problems[-1] if self.problems else None
        job.next_poll = min(
            now + self._backoff(2, job.misses + 1),
            job.created + self.policy.deadline,
        )

    def _check_deadline(self, job: TrackedJob, now: float) -> None:
        if not job.done and now >= job.created + self.policy.deadline:
            self.history.record_timeout(job.job_id, now)
            old, job.status = job.status, Verdict.TIMED_OUT
            self._emit(job, old, Verdict.TIMED_OUT)

    def _problem(self, message: str) -> None:
        self.problems.append(message)
        del self.problems[:-50]

    def _emit(self, job: TrackedJob, old: str | None, new: str) -> None:
        for callback in list(self._callbacks):
            try:
                callback(job, old, new)
            except Exception as exc:  # a broken callback must not stop the tracking
                self._problem(f"a status callback failed: {type(exc).__name__}: {exc}")

    # -- in the background -----------------------------------------------------------------

    def run_until_done(
        self, sleep: Callable[[float], None] = time.sleep, timeout: float | None = None
    ) -> None:
        """Poll in this thread until nothing is pending (scripts and the CLI)."""
        started = self.clock()
        while self.pending:
            due = self.next_due()
            if due is None:  # every one pending is followed by a thread of its own
                sleep(self.policy.min_interval)
            elif due > self.clock():
                sleep(due - self.clock())
            self.poll_due()
            if timeout is not None and self.clock() - started > timeout:
                return

    def follow(
        self,
        response: dict[str, Any],
        operation: str | None = None,
        request: dict[str, Any] | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> TrackedJob | None:
        """Track the job ``response`` names and poll in this thread, on the tracker's schedule,
        until it ends or reaches the deadline (a ``TIMED_OUT`` verdict): the CLI's ``--wait``."""
        job = self.track_response(response, operation, request)
        while job is not None and not job.done:
            wait = job.next_poll - self.clock()
            if wait > 0:
                sleep(wait)
            self.poll_due()
        return job

    def follow_job(self, job: TrackedJob, stop: threading.Event | None = None) -> TrackedJob:
        """Poll ``job`` in this thread, on the tracker's schedule, until it ends, reaches its
        deadline (``TIMED_OUT``) or ``stop`` is set; meanwhile the background rounds leave it
        alone, and take it on again if it is left pending. Many threads may each follow their
        own job: a fleet apply's workers do, because handing every job to the background
        thread and back cost more than polling it."""
        stop = stop or threading.Event()
        job.followed = True
        try:
            while not job.done and not stop.is_set():
                wait = job.next_poll - self.clock()
                if wait > 0:
                    stop.wait(wait)
                    continue
                self._refresh_one(job, self.clock())
                self._check_deadline(job, self.clock())
        finally:
            job.followed = False
            self._wake.set()
        return job

    def start(self) -> JobTracker:
        """Poll in a background thread; returns at once. ``stop()`` ends it."""
        if self._thread is not None and self._thread.is_alive():
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="job-tracker", daemon=True)
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_due()
            except Exception as exc:  # keep tracking whatever one round did
                self._problem(f"a polling round failed: {type(exc).__name__}: {exc}")
            due = self.next_due()
            wait = 1.0 if due is None else min(max(due - self.clock(), 0.01), 1.0)
            self._wake.wait(wait)
            self._wake.clear()

"""The emulated AmplifyBackend service: backends, their auth resources and their jobs.

Methods are named after the operations in snake_case, take the request as member names (already
checked against the model by the server) and return the response as member names. Errors are
``EmulatorError``s with the modeled code. Amplify's apps and environments, which a backend
creates and lists, are ``amplify.Amplify``'s; both work on the one ``Store``.

The behaviour follows the real service where it is known: every change is an asynchronous job
that starts ``IN_PROGRESS`` and ends ``COMPLETED`` or ``FAILED`` after the configured job time;
at most one job per app is pending; a request that the model accepts but that Cognito would
refuse (an error rule of docs/rules.md) is accepted and its job FAILS with the rule's message,
as a real deployment fails. A job's effect on the stored state is applied when it completes,
lazily: every request first settles the jobs whose end time has passed, so jobs left in
progress by a stopped emulator finish by their timestamps after a restart.
"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

from ..core.diff import deep_merge
from ..core.findings import errors
from ..core.lifecycle import PENDING, JobStatus, is_terminal
from ..core.model import SERVICE_NAME, service_model
from ..core.rules import rule_findings
from .common import ServiceBackend, iso, page
from .meta import amplify_meta
from .protocol import EmulatorError, check_string
from .store import Store

__all__ = ["JOB_LIST_PAGE", "Backend", "iso"]

JOB_LIST_PAGE = 25


class Backend(ServiceBackend):
    """The emulated AmplifyBackend service over one ``Store``."""

    service = SERVICE_NAME

    def __init__(
        self,
        store: Store,
        clock: Callable[[], float],
        rng: random.Random,
        job_seconds: tuple[float, float] | Callable[[str, str], float],
        fail_rate: float,
    ) -> None:
        super().__init__(store, clock, rng)
        self.job_seconds = job_seconds
        self.fail_rate = fail_rate

    # -- helpers ---------------------------------------------------------------------------

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _require_auth(self, app_id: str, env: str, resource_name: str | None = None) -> Any:
        self.require_env(app_id, env)
        row = self.store.auth(app_id, env)
        if row is None or (resource_name and row["resource_name"] != resource_name):
            what = f"Auth resource {resource_name}" if resource_name else "Auth"
            raise EmulatorError(
                "NotFoundException",
                f"{what} not found in backend environment {env} of app {app_id}.",
                ResourceType="Auth",
            )
        return row

    def settle(self) -> int:
        """Finish every job whose end time has passed, applying its effect. Returns how many."""
        now = self.clock()
        if not self.store.any_due(now):  # the common case: no write transaction at all
            return 0
        with self.store.transaction() as db:
            due = self.store.due_jobs(db, now)
            for job in due:
                self._finish(db, job)
        return len(due)

    def _finish(self, db: Any, job: Any) -> None:
        """End one job with its outcome. A change that cannot be applied (a row written by
        something else, a value the store refuses) fails this job alone: its savepoint is
        rolled back, the job is FAILED with the reason, and the other jobs go on."""
        status, error = job["outcome"], job["outcome_error"]
        try:
            with self.store.savepoint(db, "finish_job"):
                if status == JobStatus.COMPLETED:
                    self._apply(db, job, json.loads(job["effect"]))
        except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError) as exc:
            status = JobStatus.FAILED
            error = f"The emulator could not apply this job's change ({type(exc).__name__})."
        if status not in (JobStatus.COMPLETED, JobStatus.FAILED):
            status, error = JobStatus.FAILED, f"The job's stored outcome {status!r} is unknown."
        self.store.update_job(
            job["job_id"], db, status=status, error=error, update_time=job["end_time"]
        )

    def _apply(self, db: Any, job: Any, effect: dict[str, Any]) -> None:
        app_id, env, when = job["app_id"], job["env_name"], job["end_time"]
        kind = effect["kind"]
        if kind == "put_auth":
            self.store.put_auth(
                app_id,
                env,
                effect["resource_name"],
                effect["config"],
                when,
                effect.get("imported"),
                db,
            )
        elif kind == "delete_auth":
            self.store.delete_auth(app_id, env, db)
        elif kind == "create_env":
            self.store.add_environment(app_id, env, when, db)
        elif kind == "delete_env":
            self.store.delete_environment(app_id, env, db)

    def _start_job(
        self, app_id: str, env: str, operation: str, effect: dict[str, Any], failure: str | None
    ) -> dict[str, Any]:
        if failure is None and self.fail_rate and self.rng.random() < self.fail_rate:
            failure = "Injected failure: the deployment did not complete (emulator --fail-rate)."
        duration = self.duration(operation, app_id)
        now = self.clock()
        job = {
            "job_id": self.new_id(),
            "app_id": app_id,
            "env_name": env,
            "operation": operation,
            "status": PENDING,
            "error": None,
            "create_time": now,
            "update_time": now,
            "end_time": now + duration,
            "outcome": JobStatus.FAILED if failure else JobStatus.COMPLETED,
            "outcome_error": failure,
            "effect": effect,
        }
        pending = self.store.start_job(job)
        if pending is not None:
            raise EmulatorError(
                "BadRequestException",
                f"There is already a pending job for the requested appId {app_id} "
                f"(job {pending['job_id']}, {pending['operation']}). Please wait for it to "
                "complete before creating a new job.",
            )
        return {
            "AppId": app_id,
            "BackendEnvironmentName": env,
            "JobId": job["job_id"],
            "Operation": operation,
            "Status": PENDING,
        }

    def duration(self, operation: str, app_id: str) -> float:
        """How long a new job runs: fixed, drawn from a range, or what a function says."""
        if callable(self.job_seconds):
            return float(self.job_seconds(operation, app_id))
        # A fixed time (LOW == HIGH) needs no branch: uniform(x, x) is exactly x.
        low, high = self.job_seconds
        return self.rng.uniform(low, high)

    def _job_view(self, row: Any) -> dict[str, Any]:
        update = (
            row["update_time"]
            if row["status"] != PENDING
            else max(row["create_time"], min(self.clock(), row["end_time"]))
        )
        view = {
            "AppId": row["app_id"],
            "BackendEnvironmentName": row["env_name"],
            "JobId": row["job_id"],
            "Operation": row["operation"],
            "Status": row["status"],
            "CreateTime": iso(row["create_time"]),
            "UpdateTime": iso(update),
        }
        if row["error"]:
            view["Error"] = row["error"]
        return view

    @staticmethod
    def _rule_failure(request: dict[str, Any], operation: str) -> str | None:
        """The message a real deployment would fail with, or None (model errors never get here)."""
        # The server has refused model errors already; only the rules remain to run.
        found = errors(rule_findings(request, operation, []))
        if not found:
            return None
        return "; ".join(f"{f.path}: {f.message}" for f in found)

    # -- AmplifyBackend: backends ------------------------------------------------------------

    def create_backend(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env = request["AppId"], request["BackendEnvironmentName"]
        # The app and environment made here are Amplify's too, listed by its API: they must
        # be what Amplify's model allows, not just any AmplifyBackend string.
        amplify = service_model("amplify")
        app, environment = amplify.shape_for("App"), amplify.shape_for("BackendEnvironment")
        problems: list[str] = []
        check_string(app_id, app.members["appId"], "AppId", problems)
        check_string(request["AppName"], app.members["name"], "AppName", problems)
        check_string(
            env, environment.members["environmentName"], "BackendEnvironmentName", problems
        )
        if problems:
            raise EmulatorError("BadRequestException", "Invalid request: " + " ".join(problems))
        if self.store.app(app_id) is None:
            if self.store.scope_of(app_id) is not None:
                raise EmulatorError(
                    "BadRequestException",
                    f"App id {app_id} is taken by an app of another account or region; "
                    "choose another id.",
                )
            self.store.put_app(app_id, request["AppName"], {}, self.clock())
        if self.store.environment(app_id, env) is not None:
            raise EmulatorError(
                "BadRequestException", f"Backend environment {env} already exists for {app_id}."
            )
        return self._start_job(app_id, env, "CreateBackend", {"kind": "create_env"}, None)

    def get_backend(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id = request["AppId"]
        app = self.require_app(app_id)
        envs = [r["env_name"] for r in self.store.environments(app_id)]
        response: dict[str, Any] = {
            "AppId": app_id,
            "AppName": app["name"],
            "BackendEnvironmentList": envs,
            "AmplifyFeatureFlags": "{}",
        }
        env = request.get("BackendEnvironmentName")
        if env:
            self.require_env(app_id, env)
            response["BackendEnvironmentName"] = env
            response["AmplifyMetaConfig"] = amplify_meta(
                app_id, app["name"], env, self.store.auth(app_id, env)
            )
        return response

    def delete_backend(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env = request["AppId"], request["BackendEnvironmentName"]
        self.require_env(app_id, env)
        return self._start_job(app_id, env, "DeleteBackend", {"kind": "delete_env"}, None)

    # -- AmplifyBackend: auth ----------------------------------------------------------------

    def create_backend_auth(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env = request["AppId"], request["BackendEnvironmentName"]
        self.require_env(app_id, env)
        if self.store.auth(app_id, env) is not None:
            raise EmulatorError(
                "BadRequestException",
                f"Auth already exists in backend environment {env} of app {app_id}; "
                "use UpdateBackendAuth to change it.",
            )
        effect = {
            "kind": "put_auth",
            "resource_name": request["ResourceName"],
            "config": request["ResourceConfig"],
        }
        failure = self._rule_failure(request, "CreateBackendAuth")
        return self._start_job(app_id, env, "CreateBackendAuth", effect, failure)

    def get_backend_auth(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env = request["AppId"], request["BackendEnvironmentName"]
        row = self._require_auth(app_id, env, request["ResourceName"])
        return {
            "AppId": app_id,
            "BackendEnvironmentName": env,
            "ResourceName": row["resource_name"],
            "ResourceConfig": json.loads(row["config"]),
        }

    def update_backend_auth(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env = request["AppId"], request["BackendEnvironmentName"]
        row = self._require_auth(app_id, env, request["ResourceName"])
        merged = deep_merge(json.loads(row["config"]), request["ResourceConfig"])
        failure = self._rule_failure(request, "UpdateBackendAuth") or self._rule_failure(
            {**request, "ResourceConfig": merged}, "CreateBackendAuth"
        )
        effect = {"kind": "put_auth", "resource_name": row["resource_name"], "config": merged}
        return self._start_job(app_id, env, "UpdateBackendAuth", effect, failure)

    def delete_backend_auth(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env = request["AppId"], request["BackendEnvironmentName"]
        self._require_auth(app_id, env, request["ResourceName"])
        return self._start_job(app_id, env, "DeleteBackendAuth", {"kind": "delete_auth"}, None)

    def import_backend_auth(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env = request["AppId"], request["BackendEnvironmentName"]
        self.require_env(app_id, env)
        imported = {
            k: request[k]
            for k in ("UserPoolId", "IdentityPoolId", "NativeClientId", "WebClientId")
            if request.get(k)
        }
        config = {
            "AuthResources": "IDENTITY_POOL_AND_USER_POOL"
            if "IdentityPoolId" in imported
            else "USER_POOL_ONLY",
            "Service": "COGNITO",
            "UserPoolConfigs": {
                "UserPoolName": request["UserPoolId"],
                "SignInMethod": "USERNAME",
                "RequiredSignUpAttributes": [],
            },
        }
        if "IdentityPoolId" in imported:
            config["IdentityPoolConfigs"] = {
                "IdentityPoolName": request["IdentityPoolId"],
                "UnauthenticatedLogin": False,
            }
        effect = {
            "kind": "put_auth",
            "resource_name": "imported",
            "config": config,
            "imported": imported,
        }
        return self._start_job(app_id, env, "ImportBackendAuth", effect, None)

    # -- AmplifyBackend: jobs ----------------------------------------------------------------

    def get_backend_job(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env, job_id = request["AppId"], request["BackendEnvironmentName"], request["JobId"]
        row = self.store.job(app_id, env, job_id)
        if row is None:
            raise EmulatorError(
                "NotFoundException",
                f"Job {job_id} not found in backend environment {env} of app {app_id}.",
                ResourceType="Job",
            )
        return self._job_view(row)

    def list_backend_jobs(self, request: dict[str, Any]) -> dict[str, Any]:
        app_id, env = request["AppId"], request["BackendEnvironmentName"]
        self.require_app(app_id)
        rows = self.store.jobs(app_id, env)
        for key, column in (("JobId", "job_id"), ("Operation", "operation"), ("Status", "status")):
            if request.get(key):
                rows = [r for r in rows if r[column] == request[key]]
        jobs, token = page(
            rows, request.get("MaxResults") or JOB_LIST_PAGE, request.get("NextToken")
        )
        response: dict[str, Any] = {"Jobs": [self._job_view(r) for r in jobs]}
        if token:
            response["NextToken"] = token
        return response

    def update_backend_job(self, request: dict[str, Any]) -> dict[str, Any]:
        """Rename a job's operation or end it now. A job that ended stays as it ended: setting
        it back IN_PROGRESS would apply its old change again later, a rollback nobody asked
        for. Ending a running job with COMPLETED applies its change now; FAILED drops it."""
        view = self.get_backend_job(request)
        status = request.get("Status")
        if status and status not in tuple(JobStatus):
            raise EmulatorError(
                "BadRequestException",
                f"Status {status!r} is not a job status; use one of {', '.join(JobStatus)}.",
            )
        if status and is_terminal(view["Status"]) and status != view["Status"]:
            raise EmulatorError(
                "BadRequestException",
                f"Job {view['JobId']} is {view['Status']}: a finished job cannot become "
                f"{status}. Start a new job instead.",
            )
        changes: dict[str, Any] = {}
        if request.get("Operation"):
            changes["operation"] = request["Operation"]
        if is_terminal(status) and not is_terminal(view["Status"]):
            changes.update(outcome=status, end_time=self.clock())
            if status == JobStatus.FAILED:
                changes["outcome_error"] = "Ended as FAILED by UpdateBackendJob."
        if changes:
            self.store.update_job(view["JobId"], update_time=self.clock(), **changes)
            self.settle()
        return self.get_backend_job(request)

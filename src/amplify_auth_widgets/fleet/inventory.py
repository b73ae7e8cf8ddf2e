"""The fleet: every app's auth side by side in one DataFrame, and one configuration applied to
many targets safely.

``audit(connection)`` lists apps and their backend environments (``ListApps``,
``ListBackendEnvironments``, every page), reads each environment's auth (``GetBackend`` names the
auth resource, ``GetBackendAuth`` reads it; none configured is a value, not an error) and returns
a row per (app, environment): the configuration's leaf fields as dotted columns typed from the
service model (enums as categories over the model's values, integers as ``Int64``, booleans as
``boolean``), the validator's findings counted by severity, and their codes. So "which
environments have MFA off, a password shorter than 12 or the implicit grant" is one filter::

    weak = frame[(frame["UserPoolConfigs.Mfa.MFAMode"] == "OFF")
                 | (frame["UserPoolConfigs.PasswordPolicy.MinimumLength"] < 12)
                 | (frame["UserPoolConfigs.OAuth.OAuthGrantType"] == "IMPLICIT")]

Each row also carries what the environment's auth deployed, read from ``GetBackend``'s
``AmplifyMetaConfig`` (``core.deployed``): ``DEPLOYED_COLUMNS`` (the region, the user pool's id,
ARN and name, the web and native client ids, the identity pool's id and name, the two roles and
the stack), None where the environment has none (no auth, not deployed yet, or
``USER_POOL_ONLY``: no identity pool); a move to Gen 2 starts from them (``fleet.migration``).
The columns, in order: ``app_id``, ``app_name``, ``environment``, ``resource_name``,
``configured``, the deployed columns, a column per configuration field (model order), then
``errors``, ``warnings``, ``finding_codes``, ``gen2`` and ``error``, and last the named
security checks (``fleet.checks``): a boolean column per check, ``check.<id>`` (True: failed,
<NA>: does not apply), and ``failed_checks``, the ids failed (``audit_columns()``).

Secrets are redacted. An error for one target is recorded in its row and the rest go on; so
is an answer of the service that does not have the model's shape (``MalformedAnswer``): an app
without an ``appId`` is a row with no ``app_id`` and the error, an environment without a name
a row of its app with no ``environment`` and the error, an ``AmplifyMetaConfig`` that is not
a JSON object (or whose deployed ids are not what Gen 1 writes) the error of its environment's
row.

``apply(template, targets, ...)`` is in ``fleet_apply``; ``Fleet`` puts a service, a history
and a tracker together once (the history records every call) and offers both, also in the
background (``audit_async``, ``apply_async``) so that a notebook kernel never waits.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import fields as dataclass_fields
from typing import TYPE_CHECKING, Any

from ..client.connection import ConfigurationError, Connection
from ..client.service import ApiError, BackendAuthService, ValidationFailed, collect_pages
from ..core.deployed import DeployedAuth, DeployedUnreadable, read_deployed
from ..core.model import REDACTED, SECRET_MEMBERS, FieldSpec, request_spec
from ..core.secrets import quote
from ..core.validation import validate
from ..gen2.exporter import export
from ..jobs.history import JobHistory
from ..jobs.tracker import JobTracker
from .accounts import Location, connection_list, fill_location, locate, route, stack
from .checks import FAILED_COLUMN, check_columns, with_checks
from .progress import ProgressBar
from .rollout import Progress
from .rollout import apply as apply_to
from .timeline import SECRET_DIGESTS, save_audit, secret_digests

if TYPE_CHECKING:
    import pandas as pd

#: ``progress(done, total)`` after every target.
#: The columns that name a target, in audits, targets and results.
TARGET_COLUMNS = ("app_id", "environment")
#: What the environment's auth deployed (``core.deployed.DeployedAuth``'s fields but its
#: resource name, which is ``resource_name``), as text columns; None where it has none.
DEPLOYED_COLUMNS = tuple(
    f.name for f in dataclass_fields(DeployedAuth) if f.name != "resource_name"
)
#: The columns of an audit row before the configuration fields, and after them.
HEAD_COLUMNS = ("app_id", "app_name", "environment", "resource_name", "configured")
TAIL_COLUMNS = ("errors", "warnings", "finding_codes", "gen2", "error")
#: The columns of an audit row that are not configuration fields.
AUDIT_COLUMNS = (*HEAD_COLUMNS, *DEPLOYED_COLUMNS, *TAIL_COLUMNS)
_DTYPES = {"integer": "Int64", "long": "Int64", "double": "Float64", "float": "Float64"}


class MalformedAnswer(ApiError):
    """An answer of the service without the shape its model gives (an app without an
    ``appId``, an ``AmplifyMetaConfig`` that is not a JSON object): not the service's error
    code but a local verdict on its answer, recorded in the target's row like one."""

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(operation, "MalformedAnswer", message)


def config_fields() -> list[FieldSpec]:
    """The leaf fields of a ``ResourceConfig``, in model order (lists are leaves)."""
    root = request_spec("CreateBackendAuth").member("ResourceConfig")
    assert root is not None
    leaves: list[FieldSpec] = []

    def walk(spec: FieldSpec) -> None:
        for member in spec.members:
            if member.is_structure:
                walk(member)
            else:
                leaves.append(member)

    walk(root)
    return leaves


def config_column(spec: FieldSpec) -> str:
    """``UserPoolConfigs.Mfa.MFAMode``: a field's path below ``ResourceConfig``."""
    return spec.path.removeprefix("ResourceConfig.")


def flatten(config: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted leaf paths of a configuration; secrets redacted."""
    flat: dict[str, Any] = {}
    for key, value in config.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, path + "."))
        else:
            flat[path] = REDACTED if key in SECRET_MEMBERS and value is not None else value
    return flat


def audit_columns() -> list[str]:
    """The audit frame's columns in order: the target, what it deployed, its configuration's
    fields (model order), its findings, its Gen 2 code, its error and its checks' verdicts."""
    return [
        *HEAD_COLUMNS,
        *DEPLOYED_COLUMNS,
        *(config_column(f) for f in config_fields()),
        *TAIL_COLUMNS,
        *check_columns(),
        FAILED_COLUMN,
    ]


def audit_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One row a target: target columns, deployed ids, a typed column per configuration
    field, findings."""
    import pandas as pd  # deferred: slow to import

    frame = pd.DataFrame(rows, columns=audit_columns())
    texts = ("app_id", "app_name", "environment", "resource_name", *DEPLOYED_COLUMNS, "gen2")
    for name in (*texts, "error"):
        frame[name] = frame[name].astype("string")
    frame["configured"] = frame["configured"].fillna(False).astype(bool)
    for name in ("errors", "warnings"):
        frame[name] = frame[name].astype("Int64")
    frame["finding_codes"] = [c if isinstance(c, list) else [] for c in frame["finding_codes"]]
    for spec in config_fields():
        name = config_column(spec)
        if spec.name in SECRET_MEMBERS or (spec.type == "string" and not spec.enum):
            frame[name] = frame[name].astype("string")
        elif spec.enum:  # (a value of the wrong type, even a list, is left out: the
            # findings name it)
            values = [v if isinstance(v, str) and v in spec.enum else None for v in frame[name]]
            frame[name] = pd.Categorical(values, categories=list(spec.enum))
        elif spec.type == "boolean":
            frame[name] = pd.array(
                [v if isinstance(v, bool) else None for v in frame[name]], dtype="boolean"
            )
        elif spec.type in _DTYPES:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(_DTYPES[spec.type])
    return with_checks(frame)  # a column per named check, and failed_checks (fleet.checks)


class Fleet:
    """A service, a history and a tracker put together once, for audits and applies.

    >>> fleet = Fleet.connect(emulator.connection())  # doctest: +SKIP
    >>> frame = fleet.audit()  # doctest: +SKIP
    """

    def __init__(
        self,
        service: BackendAuthService,
        history: JobHistory | None = None,
        tracker: JobTracker | None = None,
        *,
        page_size: int | None = None,
    ) -> None:
        self.service = service
        #: Items a listing page asks for (None: the service's default).
        self.page_size = page_size
        self.history = history or (tracker.history if tracker else JobHistory(":memory:"))
        self.tracker = tracker or JobTracker(service, self.history)

    @classmethod
    def connect(
        cls, connection: Connection | None = None, history: JobHistory | None = None
    ) -> Fleet:
        """A fleet on ``connection`` whose every call goes on record in ``history``, and whose
        sends slow down while the service throttles them (botocore's ``adaptive`` retry mode,
        unless the connection names a mode of its own)."""
        history = history if history is not None else JobHistory(":memory:")
        service = BackendAuthService(
            connection or Connection(), on_call=history.record_call, send_retry_mode="adaptive"
        )
        return cls(service, history)

    def set_service(self, service: BackendAuthService) -> None:
        """List, audit and apply through ``service`` from now on; the tracker follows jobs
        there too."""
        self.service = self.tracker.service = service
        self._location: Location | None = None

    def location(self) -> Location:
        """The account and region the service's connection reaches (``fleet.accounts``),
        asked once (for the service in use)."""
        known: Location | None = getattr(self, "_location", None)
        if known is None:
            connection = getattr(self.service, "connection", None)
            known = (
                locate(connection) if isinstance(connection, Connection) else Location(None, None)
            )
            self._location = known
        return known

    # -- listing ---------------------------------------------------------------------------

    def list_apps(self) -> list[dict[str, Any]]:
        """Every app (all pages of ``ListApps``)."""
        client = self.service.apps_client
        return collect_pages(
            lambda page: self.service.call("ListApps", page, client=client),
            "ListApps",
            self._page_request(),
            "apps",
            token="nextToken",
        )

    def list_environments(self, app_id: str) -> list[str]:
        """The backend environment names of an app (all pages; an item without a name of
        text is left out, see ``environments``)."""
        return self.environments(app_id)[0]

    def environments(self, app_id: str) -> tuple[list[str], list[str]]:
        """The backend environment names of an app (all pages, each once), and what was wrong
        with the items that have no name of text."""
        client = self.service.apps_client
        listed = collect_pages(
            lambda page: self.service.call("ListBackendEnvironments", page, client=client),
            "ListBackendEnvironments",
            {"appId": app_id, **self._page_request()},
            "backendEnvironments",
            token="nextToken",
        )
        names: list[str] = []
        problems: list[str] = []
        for number, item in enumerate(listed, 1):
            name = item.get("environmentName") if isinstance(item, dict) else None
            if isinstance(name, str) and name:
                if name not in names:
                    names.append(name)
                continue
            what = (
                "no environmentName"
                if name is None or name == ""
                else f"an environmentName that is not text ({quote(name)})"
            )
            problems.append(
                f"ListBackendEnvironments: MalformedAnswer: environment {number} of the "
                f"listing has {what}; its auth was not read"
            )
        return names, problems

    def _page_request(self) -> dict[str, Any]:
        return {} if self.page_size is None else {"maxResults": self.page_size}

    def targets(
        self, apps: Iterable[str] | None = None, environments: Iterable[str] | None = None
    ) -> tuple[list[tuple[dict[str, Any], str]], list[dict[str, Any]]]:
        """(app, environment) pairs to visit, and rows for apps whose listing failed."""
        wanted_apps = set(apps) if apps is not None else None
        wanted_envs = set(environments) if environments is not None else None
        failed: list[dict[str, Any]] = []
        chosen: list[dict[str, Any]] = []
        seen: set[str] = set()
        for number, item in enumerate(self.list_apps(), 1):
            app, problem = _checked_app(item, number)
            if wanted_apps is not None and not ({app["appId"], app["name"]} & wanted_apps):
                continue
            if problem is not None:
                failed.append(_app_row(app, None) | {"error": problem})
            elif app["appId"] not in seen:  # (an app listed twice is audited once)
                seen.add(app["appId"])
                chosen.append(app)
        pairs: list[tuple[dict[str, Any], str]] = []
        with ThreadPoolExecutor(8) as pool:
            futures = {pool.submit(self.environments, a["appId"]): a for a in chosen}
            for future in as_completed(futures):
                app = futures[future]
                try:
                    names, problems = future.result()
                except ApiError as exc:
                    failed.append(_app_row(app, None) | {"error": _error_text(exc)})
                    continue
                failed += [_app_row(app, None) | {"error": p} for p in problems]
                pairs += [(app, n) for n in names if wanted_envs is None or n in wanted_envs]
        pairs.sort(key=lambda pair: (pair[0]["name"] or "", pair[0]["appId"], pair[1]))
        failed.sort(key=lambda row: (row["app_name"] or "", row["app_id"] or "", row["error"]))
        return pairs, failed

    def current_auth(self, app_id: str, env: str) -> tuple[str | None, dict[str, Any] | None]:
        """The auth resource name of an environment and its configuration (None, None when it
        has none). Service errors other than "not found" are raised, and ``MalformedAnswer``
        for an ``AmplifyMetaConfig`` that is not a JSON object (none at all is no auth)."""
        name, config, _ = self.auth_of(app_id, env, deployed=False)
        return name, config

    def auth_of(
        self, app_id: str, env: str, *, deployed: bool = True
    ) -> tuple[str | None, dict[str, Any] | None, DeployedAuth | None]:
        """``current_auth``, and what the auth deployed (``core.deployed.read_deployed`` of the
        same ``GetBackend`` answer; None when nothing is deployed). With ``deployed``, a meta
        whose deployed ids are not what Gen 1 writes is a ``MalformedAnswer`` too."""
        backend = self.service.call("GetBackend", {"AppId": app_id, "BackendEnvironmentName": env})
        meta = backend.get("AmplifyMetaConfig")
        names = list(_auth_resources(meta))
        if not names:
            return None, None, None
        ids = _deployed(meta) if deployed else None
        try:
            auth = self.service.get_backend_auth(app_id, env, names[0])
        except ApiError as exc:
            if exc.code == "NotFoundException":
                return None, None, None
            raise
        return names[0], auth.get("ResourceConfig") or {}, ids

    # -- audit -----------------------------------------------------------------------------

    def audit_one(self, app: dict[str, Any], env: str) -> dict[str, Any]:
        """The audit row of one environment; a failure is recorded in it, never raised."""
        row = _app_row(app, env)
        try:
            name, config, deployed = self.auth_of(app["appId"], env)
        except ApiError as exc:
            return row | {"error": _error_text(exc)}
        except ValidationFailed as exc:  # an id the service would refuse, e.g.
            return row | {"error": "; ".join(str(f) for f in exc.findings)}
        if config is None:
            return row
        request = {
            "AppId": app["appId"],
            "BackendEnvironmentName": env,
            "ResourceName": name,
            "ResourceConfig": config,
        }
        findings = validate(request, "CreateBackendAuth")
        row.update(flatten(config))
        row[SECRET_DIGESTS] = secret_digests(config, self.history)  # (not a frame column)
        if deployed is not None:
            row.update({k: v for k, v in deployed.as_dict().items() if k in DEPLOYED_COLUMNS})
        row.update(
            resource_name=name,
            configured=True,
            errors=sum(f.is_error for f in findings),
            warnings=sum(not f.is_error for f in findings),
            finding_codes=sorted({f.code for f in findings}),
            gen2=_gen2(request),
        )
        return row

    def audit(
        self,
        apps: Iterable[str] | None = None,
        environments: Iterable[str] | None = None,
        concurrency: int = 8,
        progress: Progress | None = None,
        *,
        save: bool = False,
    ) -> pd.DataFrame:
        """Audit every environment of every app (or of ``apps``, by id or name, and
        ``environments``, by name), ``concurrency`` at a time. With ``save``, the audit is
        kept in the history's file with its time, for ``fleet.drift`` (secrets as digests)."""
        if concurrency < 1:
            raise ValueError(f"concurrency must be 1 or more, not {concurrency}")
        apps, environments = _listed(apps), _listed(environments)  # (read twice with save)
        pairs, rows = self.targets(apps, environments)
        total = len(pairs)
        if progress:
            progress(0, total)
        with ThreadPoolExecutor(concurrency) as pool:
            futures = [pool.submit(self.audit_one, app, env) for app, env in pairs]
            for done, _ in enumerate(as_completed(futures), 1):
                if progress:
                    progress(done, total)
            rows += [f.result() for f in futures]
        fill_location(rows, self.location())  # (where the auth deployed says, first)
        frame = audit_frame(rows)
        if save:
            digests = {(r["app_id"], r["environment"]): r.get(SECRET_DIGESTS) or {} for r in rows}
            where = self.location()  # (read even when no app is there: then none is)
            save_audit(
                self.history,
                frame,
                digests,
                apps=apps,
                environments=environments,
                where=[(where.account_id, where.region)],
            )
        return frame

    def apply(self, template: dict[str, Any], targets: pd.DataFrame, **options: Any) -> Any:
        """``rollout.apply`` on this fleet (see there for the options)."""
        return apply_to(template, targets, fleet=self, **options)

    # -- in the background -----------------------------------------------------------------

    def audit_async(self, *args: Any, **kwargs: Any) -> Future[pd.DataFrame]:
        """``audit`` in a background thread: returns a Future at once."""
        return in_background(self.audit, *args, **kwargs)

    def apply_async(self, *args: Any, **kwargs: Any) -> Future[pd.DataFrame]:
        """``apply`` in a background thread: returns a Future at once."""
        return in_background(self.apply, *args, **kwargs)


def in_background(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
    """``function(*args, **kwargs)`` in a daemon thread of its own; its Future at once (a
    cancel before it starts skips it; an exception is handed to whoever waits)."""
    future: Future[Any] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(function(*args, **kwargs))
        except BaseException as exc:  # handed to whoever waits on the future
            future.set_exception(exc)

    threading.Thread(target=run, name="fleet", daemon=True).start()
    return future


def _listed(names: Iterable[str] | None) -> list[str] | None:
    return None if names is None else list(names)


def _checked_app(item: Any, number: int) -> tuple[dict[str, Any], str | None]:
    """An item of ``ListApps`` as ``{"appId", "name"}`` (None where it has none of text), and
    what is wrong with it (None: nothing)."""
    item = item if isinstance(item, dict) else {}
    app_id, name = item.get("appId"), item.get("name")
    app = {
        "appId": app_id if isinstance(app_id, str) and app_id else None,
        "name": name if isinstance(name, str) else None,
    }
    if app["appId"] is not None:
        return app, None
    called = f" (named {quote(name)})" if app["name"] else ""
    what = (
        "no appId"
        if app_id is None or app_id == ""
        else f"an appId that is not text ({quote(app_id)})"
    )
    return (
        app,
        f"ListApps: MalformedAnswer: app {number} of the listing{called} has {what}; its "
        "environments were not listed",
    )


def _auth_resources(meta_config: Any) -> list[str]:
    """The auth resource names of a ``GetBackend`` answer's ``AmplifyMetaConfig`` (a JSON
    object as text, whose ``auth`` member is an object by resource name)."""
    if meta_config is None or meta_config == "":
        return []
    where = "the answer's AmplifyMetaConfig is"
    if not isinstance(meta_config, str):
        raise MalformedAnswer(
            "GetBackend", f"{where} not text (a JSON document) but {quote(meta_config)}"
        )
    try:
        meta = json.loads(meta_config)
    except ValueError as exc:
        raise MalformedAnswer("GetBackend", f"{where} not JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise MalformedAnswer("GetBackend", f"{where} not a JSON object but {quote(meta)}")
    auth = meta.get("auth")
    if auth is None:
        return []
    if not isinstance(auth, dict):
        raise MalformedAnswer(
            "GetBackend",
            f"{where} an object whose auth is not an object by resource name but {quote(auth)}",
        )
    return list(auth)


def _deployed(meta: Any) -> DeployedAuth | None:
    """``read_deployed`` of an answer's meta, its complaint a ``MalformedAnswer``."""
    try:
        return read_deployed(meta)
    except DeployedUnreadable as exc:
        raise MalformedAnswer("GetBackend", f"the answer's {exc}") from None


def _app_row(app: dict[str, Any], env: str | None) -> dict[str, Any]:
    return {
        "app_id": app["appId"],
        "app_name": app.get("name"),
        "environment": env,
        "configured": False,
        "gen2": None,
    }


def _gen2(request: dict[str, Any]) -> str | None:
    """The environment's auth as Amplify Gen 2 code (both files, as text that CSV and Parquet
    keep); None for a configuration of the wrong types, which has no Gen 2 form."""

    try:
        return export(request).text()
    except ValueError:
        return None


def _error_text(exc: ApiError) -> str:
    return f"{exc.operation}: {exc.code}: {exc.message}"


def audit(
    connection: Connection | Iterable[Connection] | None = None,
    apps: Iterable[str] | None = None,
    environments: Iterable[str] | None = None,
    concurrency: int = 8,
    *,
    history: JobHistory | None = None,
    progress: Progress | bool = True,
    save: bool = False,
) -> pd.DataFrame:
    """Audit the auth of every app and environment ``connection`` reaches (see the module);
    several connections (accounts, regions) are audited in turn into one frame, whose
    ``account_id`` and ``region`` say where each row is (``fleet.accounts``). With ``save``,
    keep it in ``history``'s file (by default the user's history file,
    ``$AMPLIFY_AUTH_HISTORY``) for ``fleet.drift``."""
    if save and history is None:
        history = JobHistory.from_environment()
    connections = connection_list(connection)
    apps, environments = _listed(apps), _listed(environments)  # (read once per connection)
    frames = []
    for each in connections:
        fleet = Fleet.connect(each, history)
        label = "audit" if len(connections) == 1 else f"audit {fleet.location().label()}"
        try:
            frames.append(
                fleet.audit(
                    apps, environments, concurrency, _progress(progress, label, "env"), save=save
                )
            )
        except (ApiError, ConfigurationError) as exc:
            if len(connections) == 1:
                raise
            error = _error_text(exc) if isinstance(exc, ApiError) else str(exc)
            row = {**fleet.location().as_dict(), "configured": False, "error": error}
            frames.append(audit_frame([row]))
    return stack(frames)


def apply(
    template: dict[str, Any],
    targets: pd.DataFrame,
    mode: str = "create",
    concurrency: int = 8,
    dry_run: bool = False,
    *,
    connection: Connection | Iterable[Connection] | None = None,
    history: JobHistory | None = None,
    progress: Progress | bool = True,
    cancel: threading.Event | None = None,
) -> pd.DataFrame:
    """Apply ``template`` to ``targets`` (see ``rollout.apply``; ``cancel`` stops sending).
    Give a durable ``history`` (``JobHistory()``) for a run that can be resumed after an
    interruption.
    With several connections, each target goes through the one of its ``account_id`` and
    ``region`` columns (``fleet.accounts.route``; one that none reaches is refused, never sent
    elsewhere); the results say where each target is in those two columns."""
    fleets = [Fleet.connect(each, history) for each in connection_list(connection)]
    locations = [fleet.location() for fleet in fleets]
    targets = targets.reset_index(drop=True)  # (positions: the results' order)
    groups, refused = route(targets, locations)
    frames = []
    for number, part in groups.items():
        several = len(fleets) > 1
        label = f"apply {locations[number].label()}" if several else "apply"
        result = fleets[number].apply(
            template,
            part,
            mode=mode,
            concurrency=concurrency,
            dry_run=dry_run,
            progress=_progress(progress, label, "target"),
            **({} if cancel is None else {"cancel": cancel}),
        )
        frames.append(_located(result, part.index, locations[number]))
    if refused:
        frames.append(_refused(targets, refused))
    return _in_order(frames)


def _located(result: pd.DataFrame, index: Any, location: Location) -> pd.DataFrame:
    """An apply's results, indexed as their targets, with where they are."""
    result.index = index
    for column, value in location.as_dict().items():
        result[column] = value
    return result


def _refused(targets: pd.DataFrame, refused: dict[Any, str]) -> pd.DataFrame:
    """A result row for each target no connection reaches: INVALID, with the reason."""
    from .rollout import Outcome, Target, results_frame

    rows = []
    for index, reason in refused.items():
        row = targets.loc[index]
        target = Target(str(row.get("app_id") or ""), str(row.get("environment") or ""), None, {})
        target.status, target.error = Outcome.INVALID, reason
        rows.append(target)
    frame = results_frame(rows)
    frame.index = list(refused)
    for column in ("account_id", "region"):
        frame[column] = [targets.loc[i].get(column) for i in refused]
    return frame


def _in_order(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts' results in the order of their targets (indexed by position), numbered anew,
    typed as one part's are."""
    import pandas as pd  # deferred: slow to import

    from .rollout import results_frame

    if not frames:
        frames = [results_frame([]).assign(account_id=None, region=None)]
    combined = pd.concat(frames).sort_index().reset_index(drop=True)
    for column in ("account_id", "region"):
        combined[column] = combined[column].astype("string")
    for column in ("operation", "status"):  # (parts with other values: one category again)
        combined[column] = combined[column].astype("category")
    return combined


def _progress(progress: Progress | bool, label: str, unit: str) -> Progress | None:
    """``True``: tqdm's bar where the user looks (``progress.ProgressBar``); False or None:
    none; a callable: itself."""
    if progress is True:
        return ProgressBar(label, unit=unit)
    return progress or None

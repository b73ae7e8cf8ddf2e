"""The backend auth operations, validated before they are sent, with errors people can read.

``BackendAuthService`` wraps a boto3 ``amplifybackend`` client. Every method takes the request
as a dict of API member names (what the editor produces and a CLI skeleton holds), checks it with
``validate`` and refuses it with ``ValidationFailed`` when there is an error finding, unless
``force=True``. Whatever goes wrong on the way (a service error, a refused connection, a timeout,
throttling that outlasted the retries, missing credentials) comes out as one ``ApiError`` with
the operation, the error code, the HTTP status, the message and the request id.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..core.deployed import DeployedAuth, read_deployed
from ..core.findings import Finding, errors
from ..core.model import SERVICE_NAME
from ..core.secrets import scrub_text
from ..core.validation import validate
from .connection import Connection

#: Error codes worth another try: the service said "not now", not "no".
RETRYABLE_CODES = frozenset(
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "Throttling",
        "LimitExceededException",
        "GatewayTimeoutException",
        "ConnectionError",
        "InternalFailureException",
        "ServiceUnavailable",
    }
)
DEFAULT_ATTEMPTS = 5
#: botocore's retry mode whose client-side rate limiter slows a sender down while the service
#: throttles it (a CUBIC rate, cut at each throttled answer and grown back after): what a
#: fleet's sends use (``Fleet.connect``), unless the connection names a mode of its own.
ADAPTIVE = "adaptive"
#: Operations that only read: never rate-limited by the sender's limiter (the tracker's polls
#: have their own schedule, and slowing them would only see jobs end later).
READ_PREFIXES = ("Get", "List")
#: Pages a listing may take before it is stopped as a runaway: a thousand pages is far more
#: jobs, apps or environments than any account holds, and far less than forever.
PAGE_LIMIT = 1000


class ApiError(Exception):
    """A call that did not succeed, whatever the cause, in one shape."""

    def __init__(
        self,
        operation: str,
        code: str,
        message: str,
        http_status: int | None = None,
        request_id: str | None = None,
        retry_attempts: int = 0,
    ) -> None:
        self.operation = operation
        self.code = code
        self.message = message
        self.http_status = http_status
        self.request_id = request_id
        self.retry_attempts = retry_attempts
        status = f" (HTTP {http_status})" if http_status else ""
        super().__init__(f"{operation} failed: {code}{status}: {message}")

    @property
    def is_service_error(self) -> bool:
        """True when the service answered with an error (the CLI's exit code 254)."""
        return self.http_status is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "Operation": self.operation,
            "Code": self.code,
            "HttpStatus": self.http_status,
            "Message": self.message,
            "RequestId": self.request_id,
        }

    @classmethod
    def from_exception(cls, operation: str, exc: BaseException, request: Any = None) -> ApiError:
        """The error for ``exc``; its message never holds a secret of ``request`` (botocore's
        parameter report quotes values, a service may echo them)."""
        error = cls._from_exception(operation, exc)
        message = scrub_text(error.message, operation, request)
        if message == error.message:
            return error
        return cls(
            operation,
            error.code,
            message,
            error.http_status,
            error.request_id,
            error.retry_attempts,
        )

    @classmethod
    def _from_exception(cls, operation: str, exc: BaseException) -> ApiError:
        from botocore import exceptions as bx  # deferred: slow to import

        if isinstance(exc, bx.ClientError):
            error = exc.response.get("Error", {})
            meta = exc.response.get("ResponseMetadata", {})
            attempts = int(meta.get("RetryAttempts") or 0)
            message = error.get("Message") or str(exc)
            return cls(
                operation,
                error.get("Code") or "Unknown",
                message,
                meta.get("HTTPStatusCode"),
                meta.get("RequestId"),
                attempts,
            )
        if isinstance(exc, bx.ConnectTimeoutError | bx.ReadTimeoutError):
            return cls(operation, "Timeout", f"no answer in time from {_url(exc)}")
        if isinstance(exc, bx.EndpointConnectionError | bx.ConnectionClosedError):
            return cls(operation, "ConnectionError", f"could not connect to {_url(exc)}")
        if isinstance(exc, bx.NoCredentialsError):
            return cls(
                operation,
                "NoCredentials",
                "no AWS credentials: configure a profile, set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or use --no-sign-request",
            )
        if isinstance(exc, bx.ParamValidationError):
            return cls(operation, "ParamValidation", str(exc.kwargs.get("report", exc)))
        if isinstance(exc, bx.SSLError):
            return cls(operation, "SSLError", f"TLS failed for {_url(exc)}: check --ca-bundle")
        return cls(operation, type(exc).__name__, str(exc))


def _env_attempts() -> int | None:
    """AWS_MAX_ATTEMPTS, as the AWS CLI and the SDKs read it."""
    try:
        return max(1, int(os.environ["AWS_MAX_ATTEMPTS"]))
    except (KeyError, ValueError):
        return None


def _url(exc: Any) -> str:
    """The URL a botocore connection error names: each of them (timeouts, refused or closed
    connections, TLS) formats its own message from ``endpoint_url``, so it is always there."""
    return str(exc.kwargs["endpoint_url"])


class PaginationError(ApiError):
    """A listing that would never end: the service repeated a page token, or gave more pages
    than ``page_limit``. Not the service's error code: a local verdict on its answers."""


def collect_pages(
    fetch: Callable[[dict[str, Any]], Mapping[str, Any]],
    operation: str,
    request: Mapping[str, Any],
    items: str,
    *,
    token: str = "NextToken",
    max_pages: int | None = None,
    page_limit: int = PAGE_LIMIT,
) -> list[Any]:
    """Every item of a paginated listing: ``fetch(request)`` page after page, following the
    ``token`` member, until a page has none or ``max_pages`` pages are read.

    Every pagination loop goes through here, so that a service that repeats a token (which
    would loop forever) or never stops giving pages fails with a ``PaginationError`` that says
    so, instead of hanging the caller.
    """
    page = dict(request)
    collected: list[Any] = []
    seen = {page[token]} if page.get(token) else set()
    pages = 0
    while True:
        response = fetch(page)
        collected.extend(response.get(items) or [])
        pages += 1
        following = response.get(token)
        if not following or (max_pages is not None and pages >= max_pages):
            return collected
        if following in seen:
            raise PaginationError(
                operation,
                "RepeatedPageToken",
                f"the service gave the same {token} again after page {pages} ({following!r}); "
                "stopped reading pages, which would never end. Try again later, or read one "
                "page at a time (--no-paginate).",
            )
        if pages >= page_limit:
            raise PaginationError(
                operation,
                "PageLimitExceeded",
                f"more than {page_limit} pages of {items}; stopped reading. Narrow the listing "
                "with a filter, or raise the page limit if so many are expected.",
            )
        seen.add(following)
        page[token] = following


class ValidationFailed(Exception):
    """A request refused before sending: it has error findings."""

    def __init__(self, operation: str, findings: list[Finding]) -> None:
        self.operation = operation
        self.findings = findings
        lines = "\n".join(f"  {f}" for f in errors(findings))
        super().__init__(f"{operation} not sent: the request has errors:\n{lines}")


class BackendAuthService:
    """The AmplifyBackend auth and job operations, on one connection.

    Throttling, gateway timeouts and refused connections are retried here rather than inside
    botocore, with capped exponential backoff and jitter, so that ``sleep`` can be injected
    (tests do not wait) and every attempt is counted. ``connection.max_attempts`` (or
    ``AWS_MAX_ATTEMPTS``) sets the number of attempts (default 5).

    The calls that start jobs (every operation but ``Get*`` and ``List*``) go through a client
    of their own, the ``sender``: in botocore's ``adaptive`` retry mode when the connection's
    ``retry_mode`` says so, or else ``send_retry_mode`` does (``Fleet.connect`` gives
    ``ADAPTIVE``). botocore then rate-limits the sends itself, slower at each throttled answer
    and faster again as they succeed, shared by every thread; it still makes one attempt a
    call, and the retries stay here. No limiter of our own.

    >>> service = BackendAuthService(Connection.for_emulator(url))  # doctest: +SKIP
    >>> service.create_backend_auth(request)["JobId"]  # doctest: +SKIP
    """

    def __init__(
        self,
        connection: Connection | None = None,
        *,
        client: Any = None,
        on_call: Callable[[str, dict[str, Any], dict[str, Any] | None, ApiError | None], None]
        | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        send_retry_mode: str | None = None,
    ) -> None:
        self.connection = connection or Connection()
        self._client = client
        self._apps_client: Any = None
        self._sender: Any = client
        #: botocore's retry mode for the calls that start jobs (see the class).
        self.send_retry_mode = self.connection.retry_mode or send_retry_mode or "standard"
        self._building = threading.Lock()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.max_attempts = self.connection.max_attempts or _env_attempts() or DEFAULT_ATTEMPTS
        self.retries = 0
        #: Called after every call with (operation, request, response, error): the history hook.
        self.on_call = on_call
        self.calls = 0
        self._here = threading.local()
        #: Pages a listing may take before ``PaginationError`` (see ``collect_pages``).
        self.page_limit = PAGE_LIMIT

    @property
    def client(self) -> Any:
        if self._client is None:
            # one client, however many threads ask first (each built its own: ~20 MB apiece)
            with self._building:
                if self._client is None:
                    self._client = self._single_try(SERVICE_NAME)
        return self._client

    @property
    def sender(self) -> Any:
        """The client that sends the calls that start jobs: ``client`` itself, unless the
        send retry mode is ``adaptive`` (botocore's rate limiter, one attempt a call)."""
        if self._sender is None:
            if self.send_retry_mode != ADAPTIVE:
                self._sender = self.client
            else:
                with self._building:
                    if self._sender is None:
                        self._sender = self._single_try(SERVICE_NAME, ADAPTIVE)
        return self._sender

    def _single_try(self, service: str, mode: str = "standard") -> Any:
        """A client that tries once: retries are ``call``'s, counted and with ``sleep``."""
        single_try = self.connection.with_changes(max_attempts=1, retry_mode=mode)
        return single_try.client(service)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before attempt ``attempt + 1``: 0.25 s doubling, capped at 8 s,
        with full jitter over its upper half."""
        ceiling = min(8.0, 0.25 * 2**attempt)
        return ceiling * (0.5 + self.rng.random() / 2)

    @property
    def calls_here(self) -> int:
        """Attempts made by the calling thread (``calls`` counts every thread's)."""
        return getattr(self._here, "calls", 0)

    @property
    def apps_client(self) -> Any:
        """A client of Amplify itself (ListApps, ListBackendEnvironments), also single-try."""
        if self._apps_client is None:
            with self._building:
                if self._apps_client is None:
                    self._apps_client = self._single_try("amplify")
        return self._apps_client

    def call(
        self,
        operation: str,
        request: Mapping[str, Any],
        *,
        force: bool = False,
        client: Any = None,
    ) -> dict[str, Any]:
        """Send ``operation`` with ``request`` after validating it; the response, no metadata.

        ``client`` sends it through another service's client (``apps_client``), with the same
        retries and history hook; the AmplifyBackend validator does not apply there."""
        params = dict(request)
        if not force and client is None:
            findings = validate(params, operation)
            if errors(findings):
                raise ValidationFailed(operation, findings)
        from botocore import xform_name  # deferred: slow to import

        if client is None:
            client = self.client if operation.startswith(READ_PREFIXES) else self.sender
        method = getattr(client, xform_name(operation))
        attempt = 0
        while True:
            self.calls += 1
            self._here.calls = self.calls_here + 1
            try:
                response = method(**params)
                break
            except Exception as exc:
                error = ApiError.from_exception(operation, exc, params)
                attempt += 1
                if error.code in RETRYABLE_CODES and attempt < self.max_attempts:
                    self.retries += 1
                    self.sleep(self.backoff(attempt))
                    continue
                if attempt > 1:
                    error = ApiError(
                        operation,
                        error.code,
                        f"{error.message} (after {attempt - 1} retries)",
                        error.http_status,
                        error.request_id,
                        attempt - 1,
                    )
                if self.on_call:
                    self.on_call(operation, params, None, error)
                raise error from exc
        response.pop("ResponseMetadata", None)
        if self.on_call:
            self.on_call(operation, params, response, None)
        return response

    # -- the operations --------------------------------------------------------------------

    def create_backend_auth(
        self, request: Mapping[str, Any], *, force: bool = False
    ) -> dict[str, Any]:
        return self.call("CreateBackendAuth", request, force=force)

    def update_backend_auth(
        self, request: Mapping[str, Any], *, force: bool = False
    ) -> dict[str, Any]:
        return self.call("UpdateBackendAuth", request, force=force)

    def get_backend_auth(
        self, app_id: str, backend_environment_name: str, resource_name: str
    ) -> dict[str, Any]:
        return self.call(
            "GetBackendAuth",
            {
                "AppId": app_id,
                "BackendEnvironmentName": backend_environment_name,
                "ResourceName": resource_name,
            },
        )

    def deployed_auth(self, app_id: str, backend_environment_name: str) -> DeployedAuth | None:
        """What the environment's auth deployed (pool, clients, identity pool, roles), read
        from ``GetBackend``'s ``AmplifyMetaConfig``; None before its auth job completes or
        without auth. ``core.deployed.DeployedUnreadable`` when the answer is not what Gen 1
        writes; ``ApiError`` as for any call."""
        backend = self.call(
            "GetBackend", {"AppId": app_id, "BackendEnvironmentName": backend_environment_name}
        )
        return read_deployed(backend.get("AmplifyMetaConfig"))

    def delete_backend_auth(
        self, app_id: str, backend_environment_name: str, resource_name: str
    ) -> dict[str, Any]:
        return self.call(
            "DeleteBackendAuth",
            {
                "AppId": app_id,
                "BackendEnvironmentName": backend_environment_name,
                "ResourceName": resource_name,
            },
        )

    def import_backend_auth(
        self, request: Mapping[str, Any], *, force: bool = False
    ) -> dict[str, Any]:
        return self.call("ImportBackendAuth", request, force=force)

    def get_backend_job(
        self, app_id: str, backend_environment_name: str, job_id: str
    ) -> dict[str, Any]:
        return self.call(
            "GetBackendJob",
            {"AppId": app_id, "BackendEnvironmentName": backend_environment_name, "JobId": job_id},
        )

    def list_backend_jobs(
        self,
        app_id: str,
        backend_environment_name: str,
        *,
        max_pages: int | None = None,
        **filters: Any,
    ) -> list[dict[str, Any]]:
        """Every job of an environment (all pages), optionally filtered by JobId, Operation,
        Status; ``MaxResults`` sets the page size."""
        request: dict[str, Any] = {
            "AppId": app_id,
            "BackendEnvironmentName": backend_environment_name,
            **{k: v for k, v in filters.items() if v is not None},
        }
        return collect_pages(
            lambda page: self.call("ListBackendJobs", page),
            "ListBackendJobs",
            request,
            "Jobs",
            max_pages=max_pages,
            page_limit=self.page_limit,
        )

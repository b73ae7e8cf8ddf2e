"""Sending a request to the service: one object, composed into the editor.

A ``Submitter`` is given a service, a way to get the current request and a status display; it
knows nothing else of its host. Each request runs in a background thread so that the kernel
never waits on the network; ``busy`` is true meanwhile and a second request is refused, so a
double click sends once. Errors are reported in words through the status display, never as a
traceback; a service that cannot be reached is named, with what to do about it.

    >>> submitter = Submitter(service, lambda: editor.value, StatusLine())  # doctest: +SKIP
    >>> submitter.on_submit(lambda response, operation, request: print(response["JobId"]))
    ... # doctest: +SKIP
    >>> submitter.send("CreateBackendAuth")  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlparse

import ipywidgets as w
import traitlets as t

from ..client.service import ApiError, ValidationFailed
from ..core.deployed import DeployedAuth
from ..core.operations import configuration_operations

TARGET = ("AppId", "BackendEnvironmentName", "ResourceName")

#: ApiError codes that mean "nobody answered", as opposed to an answer that says no.
UNREACHABLE_CODES = frozenset({"ConnectionError", "Timeout"})


class StatusDisplay(Protocol):
    """Where a submitter reports: ``kind`` is ``info``, ``ok`` or ``error``."""

    def show(self, message: str, kind: str = "info") -> None: ...


def endpoint_of(service: Any) -> str:
    """The endpoint a service talks to, in words: its URL, or AWS's endpoint for a region."""
    connection = getattr(service, "connection", None)
    url = getattr(connection, "endpoint_url", None)
    if url:
        return str(url)
    try:
        region = connection.effective_region() if connection is not None else None
    except Exception:  # no region configured: the message still names the service
        region = None
    where = "AWS's amplifybackend endpoint"
    return f"{where} in {region}" if region else where


def is_local(url: str) -> bool:
    return (urlparse(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def unreachable_message(operation: str, service: Any, error: ApiError) -> str:
    """Which endpoint did not answer and what to do, for a person rather than a log."""
    where = endpoint_of(service)
    waited = " (no answer in time)" if error.code == "Timeout" else ""
    tries = f", tried {error.retry_attempts + 1} times" if error.retry_attempts else ""
    head = f"{operation} was not sent: nothing answers at {where}{waited}{tries}."
    if is_local(where):
        advice = (
            " The local emulator at that address is not running: it stops when the notebook "
            "cell that started it with `with Emulator(...)` ends, or when its process exits. "
            "Use one that stays up for the notebook's lifetime (`amplify_auth_widgets.local()`, "
            "or `amplify-auth emulator` in a terminal), connect the editor to it with "
            "`editor.set_service(...)`, and send again."
        )
    else:
        advice = (
            " Check the endpoint URL, the region, your network and any proxy settings, then "
            "send again; nothing was changed on the service."
        )
    return head + advice


def error_message(label: str, exc: BaseException, service: Any) -> str:
    """A failed request, in words."""
    if isinstance(exc, ValidationFailed):
        return f"Not sent: the request has {len(exc.findings)} problem(s); see the form."
    if isinstance(exc, ApiError):
        if exc.code in UNREACHABLE_CODES:
            return unreachable_message(exc.operation, service, exc)
        status = f", HTTP {exc.http_status}" if exc.http_status else ""
        return f"{exc.operation} failed: {exc.message} ({exc.code}{status})"
    return f"{label} failed: {type(exc).__name__}: {exc}"


class Submitter(t.HasTraits):
    """Sends the current request to a service in the background and reports how it went."""

    service = t.Any(
        None, allow_none=True, help="The BackendAuthService requests go to; None: not connected."
    )
    busy = t.Bool(False, help="True while a request is under way; another is refused meanwhile.")
    last_response = t.Dict(
        default_value=None,
        allow_none=True,
        help="The service's answer to the last accepted request; None before the first.",
    )

    def __init__(
        self,
        service: Any,
        get_value: Callable[[], dict[str, Any]],
        status: StatusDisplay,
        *,
        background: bool = True,
    ) -> None:
        super().__init__(service=service)
        self.get_value = get_value
        self.status = status
        self.background = background
        self._thread: threading.Thread | None = None
        self._submitted = w.CallbackDispatcher()

    def set_service(self, service: Any) -> None:
        """Send further requests to ``service`` (another connection, AWS instead of local)."""
        self.service = service

    def on_submit(
        self, callback: Callable[[dict[str, Any], str, dict[str, Any]], Any], remove: bool = False
    ) -> None:
        """Call ``callback(response, operation, request)`` after every accepted request."""
        self._submitted.register_callback(callback, remove=remove)

    def target(self) -> tuple[str, str, str]:
        value = self.get_value()
        return tuple(str(value.get(k, "")) for k in TARGET)  # type: ignore[return-value]

    def run(self, label: str, work: Callable[[], Any], done: Callable[[Any], None]) -> bool:
        """Run ``work`` (a service call) in the background, then ``done(result)``.

        False, doing nothing, when not connected or when a request is under way.
        """
        if self.busy or self.service is None:
            return False
        self.busy = True
        self.status.show(f"{label}…", "info")
        service = self.service

        def body() -> None:
            try:
                done(work())
            except Exception as exc:  # shown in words, never as a traceback
                self.status.show(error_message(label, exc, service), "error")
            finally:
                self.busy = False

        if self.background:
            self._thread = threading.Thread(target=body, name=f"submit-{label}", daemon=True)
            self._thread.start()
        else:
            body()
        return True

    def join(self, timeout: float | None = 30) -> None:
        """Wait for a request under way (for scripts and tests; the UI never needs it)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def load_current(self, loaded: Callable[[dict[str, Any], DeployedAuth | None], None]) -> bool:
        """Read the target's configuration (GetBackendAuth) and what its auth deployed
        (GetBackend: the ids a move to Gen 2 keeps; None when it cannot be read) and hand both
        to ``loaded``."""
        app_id, env, resource = self.target()

        def fetch() -> tuple[dict[str, Any], DeployedAuth | None]:
            response = self.service.get_backend_auth(app_id, env, resource)
            try:
                deployed = self.service.deployed_auth(app_id, env)
            except (ApiError, ValueError):  # the configuration loads without it
                deployed = None
            return response, deployed

        def done(answer: tuple[dict[str, Any], DeployedAuth | None]) -> None:
            response, deployed = answer
            loaded(response.get("ResourceConfig") or {}, deployed)
            self.status.show(f"Loaded the current configuration of {app_id}/{env}.", "ok")

        return self.run("Loading", fetch, done)

    def send(self, operation: str) -> bool:
        """Send ``operation`` (CreateBackendAuth, UpdateBackendAuth or DeleteBackendAuth)."""
        request = self.get_value()
        if operation == "DeleteBackendAuth":
            target = self.target()
            call: Callable[[], Any] = lambda: self.service.delete_backend_auth(*target)  # noqa: E731
        elif operation in configuration_operations():  # sends the whole request
            from botocore import xform_name

            method = xform_name(operation)  # the service's create_backend_auth, ...
            call = lambda: getattr(self.service, method)(request)  # noqa: E731
        else:
            raise ValueError(f"cannot send {operation!r}")

        def sent(response: dict[str, Any]) -> None:
            self.last_response = response
            self.status.show(
                f"{response.get('Operation', operation)}: job {response.get('JobId')} "
                f"{response.get('Status')}",
                "ok",
            )
            self._submitted(response, operation, request)

        return self.run(f"Sending {operation}", call, sent)

"""Sending a request (widgets/submit.py) with a service faked in memory: what is sent for each
operation, what the status says while a request is under way, after it and when it fails
(a refusal, an error of the service, nobody answering, locally or on AWS), that a second
request is refused while one is under way, and what Load current hands back. No emulator:
each test runs in milliseconds, so that a mutation run of the module gets its verdicts fast."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest

from amplify_auth_widgets.client.service import ApiError, ValidationFailed
from amplify_auth_widgets.core.deployed import DeployedUnreadable
from amplify_auth_widgets.core.findings import Finding
from amplify_auth_widgets.widgets.status import StatusLine
from amplify_auth_widgets.widgets.submit import (
    Submitter,
    endpoint_of,
    error_message,
    is_local,
    unreachable_message,
)

REQUEST = {"AppId": "d1app", "BackendEnvironmentName": "dev", "ResourceName": "mainauth"}
LOCAL_ADVICE = (
    " The local emulator at that address is not running: it stops when the notebook "
    "cell that started it with `with Emulator(...)` ends, or when its process exits. "
    "Use one that stays up for the notebook's lifetime (`amplify_auth_widgets.local()`, "
    "or `amplify-auth emulator` in a terminal), connect the editor to it with "
    "`editor.set_service(...)`, and send again."
)
REMOTE_ADVICE = (
    " Check the endpoint URL, the region, your network and any proxy settings, then "
    "send again; nothing was changed on the service."
)


class Connection:
    def __init__(self, url: str | None = None, region: Any = None):
        self.endpoint_url = url
        self.region = region

    def effective_region(self) -> str | None:
        if isinstance(self.region, Exception):
            raise self.region
        return self.region


class Service:
    """What the submitter calls, recorded; ``fail`` raised by every call."""

    def __init__(self, connection: Any = None, fail: Exception | None = None):
        self.connection = connection if connection is not None else Connection("http://x:1")
        self.fail = fail
        self.calls: list[tuple[Any, ...]] = []
        self.config: Any = {"UserPoolConfigs": {"UserPoolName": "pool"}}
        self.deployed: Any = "deployed ids"
        self.gate: threading.Event | None = None

    def _answer(self, operation: str) -> dict[str, Any]:
        if self.gate is not None:
            self.gate.wait(10)
        if self.fail is not None:
            raise self.fail
        return {"Operation": operation, "JobId": "j-1", "Status": "IN_PROGRESS"}

    def create_backend_auth(self, request: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(("create", request))
        return self._answer("create")

    def update_backend_auth(self, request: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(("update", request))
        return self._answer("update")

    def delete_backend_auth(self, *target: str) -> dict[str, Any]:
        self.calls.append(("delete", *target))
        return self._answer("delete")

    def get_backend_auth(self, *target: str) -> dict[str, Any]:
        self.calls.append(("get", *target))
        if self.fail is not None:
            raise self.fail
        return {"ResourceConfig": self.config} if self.config is not None else {}

    def deployed_auth(self, *where: str) -> Any:
        self.calls.append(("deployed", *where))
        if isinstance(self.deployed, Exception):
            raise self.deployed
        return self.deployed


def submitter(service: Any, request: dict[str, Any] = REQUEST, background: bool = False):
    status = StatusLine()
    return Submitter(service, lambda: dict(request), status, background=background), status


def test_the_endpoint_is_named_by_its_url_or_by_aws_s_region():
    assert endpoint_of(Service(Connection("http://127.0.0.1:4566"))) == "http://127.0.0.1:4566"
    aws = "AWS's amplifybackend endpoint"
    assert endpoint_of(Service(Connection(None, "eu-west-1"))) == f"{aws} in eu-west-1"
    assert endpoint_of(Service(Connection(None, None))) == aws
    assert endpoint_of(Service(Connection(None, RuntimeError("no region")))) == aws
    assert endpoint_of(object()) == aws  # a service without a connection


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:4566", True),
        ("http://localhost:8000/", True),
        ("http://[::1]:8000", True),
        ("https://amplifybackend.eu-west-1.amazonaws.com", False),
        ("http://127.0.0.2:4566", False),
        ("AWS's amplifybackend endpoint in eu-west-1", False),
    ],
)
def test_only_this_machine_s_addresses_are_local(url, local):
    assert is_local(url) is local


def test_nobody_answering_locally_names_the_address_and_how_to_keep_an_emulator_up():
    service = Service(Connection("http://127.0.0.1:4566"))
    error = ApiError("CreateBackendAuth", "ConnectionError", "could not connect")
    assert unreachable_message("CreateBackendAuth", service, error) == (
        "CreateBackendAuth was not sent: nothing answers at http://127.0.0.1:4566." + LOCAL_ADVICE
    )


def test_nobody_answering_on_aws_says_it_waited_how_often_it_tried_and_what_to_check():
    service = Service(Connection(None, "us-east-1"))
    error = ApiError("UpdateBackendAuth", "Timeout", "no answer", retry_attempts=2)
    assert unreachable_message("UpdateBackendAuth", service, error) == (
        "UpdateBackendAuth was not sent: nothing answers at AWS's amplifybackend endpoint in "
        "us-east-1 (no answer in time), tried 3 times." + REMOTE_ADVICE
    )


def test_each_kind_of_failure_is_said_in_words():
    service = Service(Connection("https://example.invalid"))
    findings = [Finding("AppId", "error", "required", "needed"), Finding("", "warning", "w", "x")]
    assert error_message("Sending", ValidationFailed("CreateBackendAuth", findings), service) == (
        "Not sent: the request has 2 problem(s); see the form."
    )
    refused = ApiError("CreateBackendAuth", "BadRequestException", "exists", http_status=400)
    assert error_message("Sending", refused, service) == (
        "CreateBackendAuth failed: exists (BadRequestException, HTTP 400)"
    )
    unanswered = ApiError("GetBackendAuth", "Unknown", "odd")
    assert error_message("Loading", unanswered, service) == "GetBackendAuth failed: odd (Unknown)"
    gone = ApiError("GetBackendAuth", "ConnectionError", "could not connect")
    assert error_message("Loading", gone, service) == (
        "GetBackendAuth was not sent: nothing answers at https://example.invalid." + REMOTE_ADVICE
    )
    assert error_message("Loading", KeyError("x"), service) == "Loading failed: KeyError: 'x'"


def test_a_new_submitter_is_idle_and_sends_nothing_until_connected():
    sub, status = submitter(None)
    assert sub.service is None and not sub.busy and sub.last_response is None  # no answer yet
    assert sub.send("CreateBackendAuth") is False
    assert sub.load_current(lambda *_: None) is False
    assert status.message == "" and not sub.busy
    service = Service()
    sub.set_service(service)
    assert sub.service is service
    assert sub.send("CreateBackendAuth") is True
    assert service.calls == [("create", REQUEST)]


@pytest.mark.parametrize(
    ("operation", "call"),
    [
        ("CreateBackendAuth", ("create", REQUEST)),
        ("UpdateBackendAuth", ("update", REQUEST)),
        ("DeleteBackendAuth", ("delete", "d1app", "dev", "mainauth")),
    ],
)
def test_each_operation_sends_what_it_needs_and_the_status_names_the_job(operation, call):
    service = Service()
    sub, status = submitter(service)
    heard: list[tuple[Any, ...]] = []
    sub.on_submit(lambda *args: heard.append(args))
    busy: list[bool] = []
    sub.observe(lambda change: busy.append(change["new"]), "busy")
    assert sub.send(operation) is True
    assert service.calls == [call]
    answer = {"Operation": call[0], "JobId": "j-1", "Status": "IN_PROGRESS"}
    assert sub.last_response == answer
    assert status.message == f"{call[0]}: job j-1 IN_PROGRESS" and status.kind == "ok"
    assert heard == [(answer, operation, REQUEST)]
    assert busy == [True, False]


def test_an_answer_without_the_operation_is_named_by_the_one_sent():
    service = Service()
    service._answer = lambda operation: {"JobId": "j-2", "Status": "COMPLETED"}  # type: ignore[method-assign]
    sub, status = submitter(service)
    sub.send("UpdateBackendAuth")
    assert status.message == "UpdateBackendAuth: job j-2 COMPLETED"


def test_a_callback_removed_is_not_called():
    sub, _ = submitter(Service())
    heard: list[Any] = []

    def listen(*args: Any) -> None:
        heard.append(args)

    sub.on_submit(listen)
    sub.on_submit(listen, remove=True)
    sub.send("CreateBackendAuth")
    assert heard == []


def test_an_operation_that_is_not_sent_from_here_is_refused():
    service = Service()
    sub, _ = submitter(service)
    with pytest.raises(ValueError, match="cannot send 'ImportBackendAuth'"):
        sub.send("ImportBackendAuth")
    assert service.calls == [] and not sub.busy


def test_a_failed_request_is_said_in_words_and_the_submitter_is_free_again():
    refused = ApiError("CreateBackendAuth", "BadRequestException", "exists", http_status=400)
    sub, status = submitter(Service(fail=refused))
    shown: list[tuple[str, str]] = []
    status.observe(lambda _: shown.append((status.message, status.kind)), "message")
    assert sub.send("CreateBackendAuth") is True
    assert shown == [
        ("Sending CreateBackendAuth…", "info"),
        ("CreateBackendAuth failed: exists (BadRequestException, HTTP 400)", "error"),
    ]
    assert status.kind == "error" and not sub.busy and sub.last_response is None


def test_a_request_under_way_refuses_a_second_one_and_join_waits_for_it():
    service = Service()
    service.gate = threading.Event()
    sub, status = submitter(service, background=True)
    assert sub.send("CreateBackendAuth") is True
    assert sub.busy and status.message == "Sending CreateBackendAuth…" and status.kind == "info"
    assert sub.send("CreateBackendAuth") is False  # a double click sends once
    assert sub.load_current(lambda *_: None) is False
    service.gate.set()
    sub.join()
    assert not sub.busy and len(service.calls) == 1
    assert sub.last_response is not None and status.kind == "ok"


def test_load_current_hands_back_the_configuration_and_what_was_deployed():
    service = Service()
    sub, status = submitter(service)
    loaded: list[tuple[Any, Any]] = []
    assert sub.load_current(lambda config, deployed: loaded.append((config, deployed)))
    assert loaded == [({"UserPoolConfigs": {"UserPoolName": "pool"}}, "deployed ids")]
    assert service.calls == [("get", "d1app", "dev", "mainauth"), ("deployed", "d1app", "dev")]
    assert status.message == "Loaded the current configuration of d1app/dev."
    assert status.kind == "ok"


@pytest.mark.parametrize(
    "unreadable",
    [ApiError("GetBackend", "NotFoundException", "none"), DeployedUnreadable("odd meta")],
)
def test_load_current_loads_the_configuration_when_what_was_deployed_cannot_be_read(unreadable):
    service = Service()
    service.deployed = unreadable
    sub, status = submitter(service)
    loaded: list[tuple[Any, Any]] = []
    sub.load_current(lambda config, deployed: loaded.append((config, deployed)))
    assert loaded == [({"UserPoolConfigs": {"UserPoolName": "pool"}}, None)]
    assert status.kind == "ok"


def test_load_current_of_an_answer_without_configuration_gives_an_empty_one():
    service = Service()
    service.config = None
    sub, _ = submitter(service)
    loaded: list[Any] = []
    sub.load_current(lambda config, deployed: loaded.append(config))
    assert loaded == [{}]


def test_a_load_that_fails_loads_nothing_and_says_why():
    service = Service(fail=ApiError("GetBackendAuth", "NotFoundException", "no auth", 404))
    sub, status = submitter(service)
    loaded: list[Any] = []
    assert sub.load_current(lambda *args: loaded.append(args)) is True
    assert loaded == []
    assert status.message == "GetBackendAuth failed: no auth (NotFoundException, HTTP 404)"
    assert status.kind == "error" and not sub.busy


def test_the_target_is_read_as_text_with_what_is_missing_empty():
    sub, _ = submitter(Service(), {"AppId": "d1app", "BackendEnvironmentName": 5})
    assert sub.target() == ("d1app", "5", "")


class Held(Service):
    """A service that answers only when released (2 s at most), noting the thread it ran in."""

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()
        self.ran_in: list[threading.Thread] = []

    def _answer(self, operation: str) -> dict[str, Any]:
        self.ran_in.append(threading.current_thread())
        self.released.wait(2)
        return super()._answer(operation)


def test_by_default_a_request_runs_in_a_thread_of_its_own_that_never_holds_python_up():
    service = Held()
    status = StatusLine()
    sub = Submitter(service, lambda: dict(REQUEST), status)  # as the module's docstring makes it
    assert sub.send("CreateBackendAuth") is True
    assert sub.busy  # the caller (the kernel) already has its answer; the request is under way
    service.released.set()
    sub.join()
    assert not sub.busy and status.message == "create: job j-1 IN_PROGRESS"
    (thread,) = service.ran_in
    assert thread is not threading.current_thread()
    assert thread.daemon  # a script that ends while the service hangs is not kept waiting


def test_join_with_nothing_sent_returns_at_once():
    sub, _ = submitter(Service(), background=True)
    sub.join()
    not_connected = Submitter(None, lambda: dict(REQUEST), StatusLine())
    assert not_connected.send("CreateBackendAuth") is False
    not_connected.join()


def test_join_gives_up_after_its_timeout_on_a_request_that_hangs():
    service = Held()
    sub, _ = submitter(service, background=True)
    sub.send("CreateBackendAuth")
    sub.join(0.05)
    assert sub.busy  # still waiting for the service: join returned without it
    service.released.set()
    sub.join()
    assert not sub.busy


class Display:
    """A status display of a host's own, which is told the kind of each message."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def show(self, message: str, kind: str) -> None:
        self.shown.append((message, kind))


def test_every_message_comes_with_its_kind():
    display = Display()
    sub = Submitter(Service(), lambda: dict(REQUEST), display, background=False)
    sub.send("CreateBackendAuth")
    assert display.shown == [
        ("Sending CreateBackendAuth…", "info"),
        ("create: job j-1 IN_PROGRESS", "ok"),  # the operation as the fake answers,
    ]


def test_an_unexpected_failure_of_a_send_is_named_with_the_send():
    sub, status = submitter(Service(fail=RuntimeError("socket closed")))
    assert sub.send("UpdateBackendAuth") is True
    assert status.message == "Sending UpdateBackendAuth failed: RuntimeError: socket closed"
    assert status.kind == "error" and not sub.busy


def test_load_current_says_it_is_loading_and_names_an_unexpected_failure_as_the_load_s():
    service = Service()
    display = Display()
    sub = Submitter(service, lambda: dict(REQUEST), display, background=False)
    sub.load_current(lambda *_: None)
    assert display.shown[0] == ("Loading…", "info")
    service.fail = RuntimeError("socket closed")
    sub.load_current(lambda *_: None)
    assert display.shown[-1] == ("Loading failed: RuntimeError: socket closed", "error")


def test_a_script_s_join_waits_thirty_seconds_for_a_request_that_hangs(monkeypatch):
    """``join()`` with no timeout, a script's wait for its request, is bounded: 30 seconds, as
    the target picker's and the editor's, then the script goes on (the request's thread is a
    daemon). A thread that never ends is stood in for, and records the wait it is given, so
    that nothing waits here."""
    from amplify_auth_widgets.widgets import submit

    waits: list[float | None] = []

    class Hung:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def start(self) -> None:  # the service never answers
            pass

        def join(self, timeout: float | None = None) -> None:
            waits.append(timeout)

    sub, _ = submitter(Service(), background=True)
    monkeypatch.setattr(submit, "threading", SimpleNamespace(Thread=Hung))
    assert sub.send("CreateBackendAuth") is True
    sub.join()
    assert waits == [30]
    assert sub.busy  # still under way: the script went on without it

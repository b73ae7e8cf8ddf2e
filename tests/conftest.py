"""Shared fixtures: an isolated AWS environment, a movable clock, and running emulators; and
the run's end check that no process a test started is still alive (see ``leaks``)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseServer
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
CORPUS = sorted((DATA / "validation").glob("*.json"))
BIN = Path(sys.executable).parent


#: This run's mark in the environment of every process it starts, and the processes that
#: were already below it when it began.
_MARK = pytest.StashKey[str]()
_BEFORE = pytest.StashKey[frozenset[int]]()


def pytest_configure(config: pytest.Config) -> None:
    import os
    import tempfile

    from support import leaks

    # the app's data folder (durable emulator, history, drafts) is the run's, never the
    # user's: also for servers started before the per-test isolation (module fixtures)
    os.environ["AMPLIFY_AUTH_DATA"] = tempfile.mkdtemp(prefix="aaw-test-data-")
    config.stash[_MARK] = leaks.mark_run()
    config.stash[_BEFORE] = frozenset(leaks.children())


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the run's data folder (see ``pytest_configure``)."""
    import os
    import shutil

    folder = os.environ.get("AMPLIFY_AUTH_DATA", "")
    if "aaw-test-data-" in folder:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run, naming them, if processes the tests started are still alive; then stop
    them, so that a leak costs one red run and not the machine."""
    from support import leaks

    mark = session.config.stash.get(_MARK, None)
    if mark is None:
        return
    left = leaks.leftovers(mark, before=session.config.stash.get(_BEFORE, frozenset()))
    if not left:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"{len(left)} process(es) started by the tests are still alive:"]
    lines += [f"  {leaks.describe(p)}" for p in left]
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_sep("=", "leftover processes", red=True)
        for line in lines:
            reporter.write_line(line, red=True)
    leaks.stop(left)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def load_case(name: str) -> dict[str, Any]:
    return json.loads((DATA / "validation" / f"{name}.json").read_text())


def valid_request(**changes: Any) -> dict[str, Any]:
    """The corpus's full valid request, with top-level members changed."""
    request = load_case("valid-full")["request"]
    request.update(changes)
    return request


#: A planted value meaning "delete the member".
GONE = object()


def planted(edits: dict[str, Any]) -> dict[str, Any]:
    """The full valid request with each dotted path set to its value (deleted for GONE)."""
    request = valid_request()
    for path, value in edits.items():
        if value is GONE:
            parent, name = _parent_of(request, path)
            del parent[name]
        else:
            set_at(request, path, value)
    return request


def get_at(data: Any, path: str) -> Any:
    """The value at a dotted path of member names."""
    for part in path.split("."):
        data = data[part]
    return data


def set_at(data: Any, path: str, value: Any) -> None:
    parent, name = _parent_of(data, path)
    parent[name] = value


def _parent_of(data: Any, path: str) -> tuple[Any, str]:
    """The object holding the member at a dotted path (``data`` itself for a top member),
    and the member's name."""
    parent, _, name = path.rpartition(".")
    return (get_at(data, parent) if parent else data), name


def every_secret(**changes: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The full valid request with every social provider of the model switched on and every
    secret member (the model's secret paths) holding a value of its own, short and without
    spaces so that no output format wraps it. Returns the request and {path: secret}."""
    from amplify_auth_widgets.core.model import request_spec, secret_paths

    request = valid_request(**changes)
    base = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings"
    settings: dict[str, Any] = {}
    planted: dict[str, str] = {}
    spec = request_spec("CreateBackendAuth").find(base)
    assert spec is not None
    for provider in spec.members:
        settings[provider.name] = {}
        for member in provider.members:
            path = f"{base}.{provider.name}.{member.name}"
            if path in secret_paths("CreateBackendAuth"):
                value = planted[path] = f"Pl4nted{len(planted)}{provider.name}{member.name}"
            else:
                value = f"{provider.name.lower()}-{member.name.lower()}"
            settings[provider.name][member.name] = value
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"] = settings
    return request, planted


class FakeClock:
    """Epoch seconds that move only when a test moves them."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def sign_as_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    """The credentials and region an in-process CLI signs with, as a user's configuration
    would give them: the emulator's default account."""
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "emulator"),
        ("AWS_SECRET_ACCESS_KEY", "emulator-secret"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ):
        monkeypatch.setenv(name, value)


def profiles_of_two_accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other: str) -> None:
    """An AWS configuration with the profiles ``home`` (the emulator's default account) and
    ``other`` (the key ``emulator-<other>``, which an emulator given it maps to ``other``)."""
    config, credentials = tmp_path / "config", tmp_path / "credentials"
    config.write_text("[profile home]\n\n[profile other]\n")
    credentials.write_text(
        "[home]\naws_access_key_id = emulator\naws_secret_access_key = s\n\n"
        f"[other]\naws_access_key_id = emulator-{other}\naws_secret_access_key = s\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))


def sign_by(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore dates SigV4 signatures by ``clock`` (the emulator's) instead of this machine's,
    so a signature's freshness does not depend on how fast the test runs."""
    from datetime import UTC, datetime

    monkeypatch.setattr(
        "botocore.auth.get_current_datetime",
        lambda remove_tzinfo=True: datetime.fromtimestamp(clock(), UTC).replace(tzinfo=None),
    )


@pytest.fixture(autouse=True)
def isolated_aws(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the machine's AWS configuration or reaches anything but 127.0.0.1."""
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("aws-home")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # the CLI's job history goes to a file of the test run, never the user's
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(home / "history.sqlite3"))
    # and so does the app's data folder: a fresh one per test
    monkeypatch.setenv("AMPLIFY_AUTH_DATA", str(home / "aaw-data"))


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone set to one far from UTC, then restored."""
    import time

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14 all year
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulator(clock: FakeClock, tmp_path: Path) -> Iterator[Any]:
    """An emulator in a thread whose jobs take 5 s of the fake clock."""
    from amplify_auth_widgets.emulator import Emulator

    with Emulator(job_seconds=5, clock=clock, db=str(tmp_path / "state.sqlite3"), seed=7) as emu:
        yield emu


@pytest.fixture
def app_env(emulator: Any) -> tuple[str, str]:
    """An app with a `staging` environment in the emulator."""
    return emulator.create_app("test-app", ("staging",)), "staging"


def aws_env(url: str) -> dict[str, str]:
    """Environment for a subprocess (the AWS CLI, our CLI) that talks to an emulator."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="emulator",
        AWS_SECRET_ACCESS_KEY="emulator-secret",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="us-east-1",
        AWS_ENDPOINT_URL=url,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_PAGER="",
    )
    return env


def signed(
    url: str,
    method: str,
    path: str,
    body: bytes | str = b"",
    headers: dict[str, str] | None = None,
    service: str = "amplifybackend",
    key: str = "emulator",
    secret: str = "emulator-secret",
    sign: bool = True,
) -> tuple[int, dict[str, str], Any]:
    """A raw HTTP request to an emulator, signed with SigV4 as boto3 would sign it."""
    import http.client
    from urllib.parse import urlsplit

    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    data = body.encode() if isinstance(body, str) else body
    request = AWSRequest(method=method, url=url + path, data=data, headers=dict(headers or {}))
    if sign:
        SigV4Auth(Credentials(key, secret), service, "us-east-1").add_auth(request)
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=data, headers=dict(request.headers.items()))
        response = connection.getresponse()
        raw = response.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw
        return response.status, {k.lower(): v for k, v in response.getheaders()}, payload
    finally:
        connection.close()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (just released by the system)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalServer(ThreadingHTTPServer):
    """A test's HTTP server on 127.0.0.1 and a free port, a thread a request; ``url`` is its
    address. Run it with ``serving``."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class QuietHandler(BaseHTTPRequestHandler):
    """A test server's request handler: ``answer`` sends a whole answer; nothing is logged."""

    def answer(self, status: int, data: bytes, headers: Iterable[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(server: BaseServer) -> Iterator[Any]:
    """``server`` answering on a thread of its own until the block ends; then it is closed."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def ours(url: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """`amplify-auth ARGV` as a process, talking to the emulator at ``url``."""
    return subprocess.run(
        [str(BIN / "amplify-auth"), *argv],
        capture_output=True,
        text=True,
        env=aws_env(url),
        timeout=60,
    )

"""Serving a team, for real: JupyterHub (from PyPI) with the configuration shipped in
``deploy/jupyterhub_config.py``, its configurable-http-proxy (from npm), all on 127.0.0.1.
Two people log in through the hub's login page in Chromium, each lands on the app in a server
of their own and runs a job; neither sees the other's jobs or draft; a server left idle is
stopped by the idle culler while one in use is not, and its user, back, finds her jobs; and
nothing outlives the hub."""

from __future__ import annotations

import ipaddress
import itertools
import json
import os
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
import pytest
from conftest import BIN
from support.browser import (
    ROOT,
    bad_console,
    chromium_page,
    cmdline,
    free_port,
    leftovers,
    needs_chromium,
    port_open,
    shot,
    start,
    stop,
    wait_for_http,
)

from amplify_auth_widgets.app.serve import descendants, is_running

CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PROXY = ROOT / "tests" / "browser" / "node_modules" / ".bin" / "configurable-http-proxy"
needs_proxy = pytest.mark.skipif(
    not PROXY.exists(), reason="configurable-http-proxy is not installed (make test does)"
)
PASSWORD = "team-password-for-the-test"
#: The idle culler's timeout in the test: servers report activity and the culler checks every
#: sixth of it (3 s), so an idle server goes within about 26 s of its last activity.
CULL_SECONDS = 20
#: What the test's own hub configuration adds to the shipped one: a service whose token lets
#: the test read the users' servers (and nothing else) through the hub's API.
PROBE_CONFIG = """c = get_config()
load_subconfig({config!r})
c.JupyterHub.services.append({{"name": "probe", "api_token": {token!r}}})
c.JupyterHub.load_roles.append(
    {{"name": "probe", "scopes": ["list:users", "read:servers"], "services": ["probe"]}}
)
"""


@dataclass
class Hub:
    url: str
    token: str
    pid: int
    homes: Path

    def server(self, user: str) -> dict[str, Any] | None:
        """The user's default server as the hub's API tells it, or None if it has none."""
        request = urllib.request.Request(
            f"{self.url}/hub/api/users/{user}", headers={"Authorization": f"token {self.token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                servers = json.load(response)["servers"]
        except urllib.error.HTTPError as error:
            if error.code == 404:  # no such user (yet)
                return None
            raise
        return servers.get("")

    def age(self, user: str) -> float:
        """Seconds since the user's server started (0 if it has none)."""
        server = self.server(user)
        return time.time() - epoch(server["started"]) if server else 0.0


@pytest.fixture
def hub(tmp_path):
    """The shipped configuration run as the README says, on free ports, its database, cookie
    secret and users' homes in ``tmp_path``; stopped with SIGTERM, its servers with it."""
    ports = {name: free_port() for name in ("PORT", "API_PORT", "PROXY_API_PORT")}
    token = secrets.token_hex(16)
    config = tmp_path / "test_config.py"
    config.write_text(PROBE_CONFIG.format(config=str(CONFIG), token=token))
    env = {
        **os.environ,
        **{f"AAW_HUB_{name}": str(port) for name, port in ports.items()},
        "AAW_HUB_PASSWORD": PASSWORD,
        "AAW_HUB_DIR": str(tmp_path / "hub"),
        "AAW_HUB_PROXY": str(PROXY),
        "AAW_HUB_CULL_TIMEOUT": str(CULL_SECONDS),
        "AMPLIFY_AUTH_JOB_SECONDS": "0",
    }
    url = f"http://127.0.0.1:{ports['PORT']}"
    log = tmp_path / "hub.log"
    process = start([str(BIN / "jupyterhub"), "-f", str(config)], log, env=env, cwd=tmp_path)
    children: list[int] = []
    try:
        wait_for_http(f"{url}/hub/api/", process, log, seconds=60)
        yield Hub(url, token, process.pid, tmp_path / "hub" / "homes")
    finally:
        children = descendants(process.pid)  # the proxy, the culler, the users' servers
        code = stop(process)
    assert code == 0, log.read_text()
    alive = still_running(children, seconds=15)  # the apps' emulators go once unused
    assert leftovers(children) == [], f"outlived the hub: {alive}"
    assert not any(port_open(port) for port in ports.values())
    assert "Traceback" not in log.read_text(), log.read_text()


def still_running(pids: list[int], seconds: float) -> dict[int, str]:
    """Which of ``pids`` still run (and their command lines) once they had ``seconds`` to
    stop: polled, the test goes on as soon as they are gone."""
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if is_running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return {pid: cmdline(pid) for pid in alive}


def log_in(page: Any, hub: Hub, user: str) -> None:
    """Through the hub's login page, as a person does; the hub starts the user's server and
    lands them on the app."""
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{user}/voila/render/"), timeout=90_000)
    page.wait_for_selector(".aaw-editor", timeout=90_000)


def fill(page: Any, member: str, value: str) -> None:
    box = page.locator(f".aaw-editor .aaw-at-{member} input").first
    box.fill(value)
    box.press("Enter")


def create_auth(page: Any, resource: str) -> str:
    """Create auth in the demo's environment without any (d4demonew/dev), follow the job to
    COMPLETED and return its id as the Jobs tab shows it."""
    page.locator(".aaw-editor select").nth(0).select_option(label="Email sign-in (defaults)")
    page.get_by_role("button", name="Apply preset").click()
    fill(page, "AppId", "d4demonew")
    fill(page, "BackendEnvironmentName", "dev")
    fill(page, "ResourceName", resource)
    page.wait_for_selector(".aaw-problems:has-text('Ready to send')", timeout=30_000)
    page.locator("button.aaw-create").click()
    page.wait_for_selector(".aaw-job-status:has-text('COMPLETED')", timeout=30_000)
    page.get_by_role("tab", name="Jobs").click()
    page.wait_for_selector(".aaw-monitor .aaw-badge:has-text('COMPLETED')", timeout=30_000)
    ids = page.locator(".aaw-monitor .aaw-jobs tbody code").evaluate_all(
        "cs => cs.map(c => c.title)"
    )
    assert len(ids) == 1, f"one job was sent, the Jobs tab lists {ids}"
    return str(ids[0])


def processes_in(hub: Hub, home: Path) -> list[int]:
    """The hub's descendants working in ``home``: that user's server and its kernels."""
    found = []
    for pid in descendants(hub.pid):
        try:
            if Path(psutil.Process(pid).cwd()) == home:
                found.append(pid)
        except psutil.Error:
            continue
    return found


def off_machine(hub: Hub) -> list[str]:
    """The sockets of the hub and all it started (proxy, culler, servers, kernels, the apps'
    emulators) that listen on or talk to anything but this machine's loopback."""
    bad = []
    for pid in [hub.pid, *descendants(hub.pid)]:
        try:
            connections = psutil.Process(pid).net_connections(kind="inet")
        except psutil.Error:
            continue
        for conn in connections:
            for address in (conn.laddr, conn.raddr):
                if address and not ipaddress.ip_address(address.ip).is_loopback:
                    bad.append(f"{psutil.Process(pid).name()} {conn}")
    return bad


def epoch(iso: str) -> float:
    """The hub's ISO 8601 time (UTC) in epoch seconds."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


class Culling(threading.Thread):
    """Watches, through the hub's API, when ``user``'s server goes; meanwhile the test goes on
    (the culler does not wait for it). ``idle`` is how long the server had been idle by the
    hub's record when it was first seen gone."""

    def __init__(self, hub: Hub, user: str) -> None:
        super().__init__(daemon=True)
        self.hub, self.user = hub, user
        self.gone = threading.Event()
        self.finish = threading.Event()
        self.idle = 0.0
        self.error: BaseException | None = None

    def run(self) -> None:
        last = None
        try:
            while not self.finish.is_set():
                server = self.hub.server(self.user)
                if server is None and last is not None:
                    self.idle = time.time() - epoch(last)
                    self.gone.set()
                    return
                last = server["last_activity"] if server else last
                self.finish.wait(0.5)  # the poll's pace, not a wait for the service
        except BaseException as error:  # told to the test, which asserts on it
            self.error = error
            self.gone.set()


def keep_working(page: Any, hub: Hub, user: str, culling: Culling) -> None:
    """``user`` keeps working (each tab change is a message to their kernel) while the culler
    stops the idle server ``culling`` watches, and until their own is older than the timeout:
    a culler that ignored activity would have stopped it by then."""
    deadline = time.monotonic() + CULL_SECONDS + 60
    tabs = itertools.cycle(("Configure", "Jobs"))
    while not culling.gone.is_set() or hub.age(user) < CULL_SECONDS + 3:
        if time.monotonic() > deadline:
            pytest.fail(f"{culling.user}'s server was not culled: {hub.server(culling.user)}")
        page.get_by_role("tab", name=next(tabs)).click()
        page.wait_for_timeout(500)  # the poll's pace, not a wait for the service


@needs_chromium
@needs_proxy
@pytest.mark.timeout(300)
def test_two_users_each_get_their_own_app_and_an_idle_server_is_culled(hub):
    with chromium_page(width=1300, height=1100) as page:
        page.goto(f"{hub.url}/hub/login")  # a name that is a path is refused, not a folder
        page.fill("#username_input", "../evil")
        page.fill("#password_input", PASSWORD)
        page.click("#login_submit")
        page.wait_for_selector("text=Invalid username or password")
        assert not (hub.homes.parent / "evil").exists() and hub.server("alice") is None
        page.console.clear()  # the refused login's 403, as it should be

        log_in(page, hub, "alice")
        assert (hub.homes / "alice" / "amplify-auth.ipynb").exists()
        alice_job = create_auth(page, "alicesauth")
        shot(page, "hub-alice-jobs")
        assert bad_console(page) == [], (page.console[-12:], page.outside)
    alice = processes_in(hub, hub.homes / "alice")  # her page is closed: her server idles
    assert alice, "alice's server does not run in her home"
    culling = Culling(hub, "alice")
    culling.start()

    try:
        with chromium_page(width=1300, height=1100) as page:
            log_in(page, hub, "bob")
            # a fresh draft, not alice's; the same environment is free in his own emulator
            resource = page.locator(".aaw-editor .aaw-at-ResourceName input").first
            assert resource.input_value() == ""
            bob_job = create_auth(page, "bobsauth")
            jobs = page.inner_text(".aaw-monitor .aaw-jobs")
            assert bob_job[:8] in jobs and alice_job[:8] not in jobs
            assert alice_job not in page.content() and "alicesauth" not in page.content()
            assert off_machine(hub) == []
            shot(page, "hub-bob-jobs")

            keep_working(page, hub, "bob", culling)
            assert culling.error is None, culling.error
            assert culling.idle >= CULL_SECONDS - 2, f"culled after {culling.idle:.0f} s idle"
            assert hub.server("bob") is not None, "bob's server, in use, was culled too"
            assert bad_console(page) == [], page.console[-12:]
    finally:
        culling.finish.set()  # its polls end with the test, passed or not

    assert still_running(alice, seconds=20) == {}, "alice's culled server still runs"

    with chromium_page(width=1300, height=1100) as page:  # alice comes back to her work
        log_in(page, hub, "alice")
        page.get_by_role("tab", name="Jobs").click()
        page.wait_for_selector(f".aaw-monitor .aaw-jobs code[title='{alice_job}']")
        assert bob_job[:8] not in page.inner_text(".aaw-monitor .aaw-jobs")
        assert bad_console(page) == [], page.console[-12:]


def load_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> Any:
    """The shipped configuration as JupyterHub loads it, with ``env`` (and no other
    ``AAW_HUB_`` setting) in the environment and its folder in ``tmp_path``."""
    from traitlets.config.loader import PyFileConfigLoader

    for name in [name for name in os.environ if name.startswith("AAW_HUB_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AAW_HUB_DIR", str(tmp_path / "hub"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader(CONFIG.name, str(CONFIG.parent)).load_config()


def test_the_shipped_configuration_listens_on_loopback_only_and_culls_as_told(
    monkeypatch, tmp_path
):
    c = load_config(
        monkeypatch,
        tmp_path,
        AAW_HUB_PASSWORD=PASSWORD,
        AAW_HUB_PORT="9000",
        AAW_HUB_CULL_TIMEOUT="600",
        AAW_HUB_USERS=" Alice, bob ,",
    )
    assert c.JupyterHub.bind_url == "http://127.0.0.1:9000"
    assert c.JupyterHub.hub_bind_url == "http://127.0.0.1:8081"
    assert c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:8001"
    assert c.Spawner.ip == "127.0.0.1"
    (culler,) = c.JupyterHub.services
    assert culler["command"][-2:] == ["--timeout=600", "--cull-every=100"]
    assert c.Spawner.environment["JUPYTERHUB_ACTIVITY_INTERVAL"] == "100"
    assert c.JupyterHub.last_activity_interval == 100
    assert c.Authenticator.allowed_users == {"alice", "bob"} and not c.Authenticator.allow_all
    assert c.SimpleLocalProcessSpawner.home_dir_template == str(
        tmp_path / "hub" / "homes" / "{username}"
    )
    # each user's data stays in their home: no data or history folder of the hub's is passed on
    assert not [name for name in c.Spawner.env_keep if name.startswith("AMPLIFY_AUTH_DATA")]
    assert "AMPLIFY_AUTH_HISTORY" not in c.Spawner.env_keep
    voila = json.loads((tmp_path / "hub" / "user-config" / "voila.json").read_text())
    assert voila["VoilaConfiguration"]["template"] == "aaw"


def test_anyone_with_the_password_and_no_culler_when_so_configured(monkeypatch, tmp_path):
    c = load_config(monkeypatch, tmp_path, AAW_HUB_PASSWORD=PASSWORD, AAW_HUB_CULL_TIMEOUT="0")
    assert c.Authenticator.allow_all and not c.Authenticator.allowed_users
    assert "services" not in c.JupyterHub and "load_roles" not in c.JupyterHub


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "AAW_HUB_PASSWORD is not set"),
        ({"AAW_HUB_PASSWORD": "short"}, "AAW_HUB_PASSWORD is not set or shorter than 8"),
        ({"AAW_HUB_PORT": "80a"}, "AAW_HUB_PORT='80a' is not a port"),
        ({"AAW_HUB_API_PORT": "70000"}, "AAW_HUB_API_PORT='70000' is not a port"),
        ({"AAW_HUB_PROXY_API_PORT": "\u00b2"}, "AAW_HUB_PROXY_API_PORT='\u00b2' is not a port"),
        ({"AAW_HUB_CULL_TIMEOUT": "1h"}, "AAW_HUB_CULL_TIMEOUT='1h' is not a number of seconds"),
        ({"AAW_HUB_USERS": "alice,../evil"}, "AAW_HUB_USERS names '../evil'"),
    ],
)
def test_a_wrong_setting_is_refused_by_name_with_its_fix(monkeypatch, tmp_path, env, named):
    env = {"AAW_HUB_PASSWORD": PASSWORD, **env} if env else env
    with pytest.raises(SystemExit) as refused:
        load_config(monkeypatch, tmp_path, **env)
    message = str(refused.value.code)
    assert message.startswith(named), message
    assert "give" in message or "set it" in message or "letters" in message

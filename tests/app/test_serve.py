"""The app's server without a browser: which Host and Origin names mean this machine, the
router rule that refuses the rest (on tornado's own request objects), and the Voila command
line that carries the bounds. tests/browser/test_browser_hardening.py drives the same server in
Chromium."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest

from amplify_auth_widgets.app.serve import (
    LOCAL_NAMES,
    POOL_REFILL_SECONDS,
    PortBusy,
    app_notebook,
    claim_port,
    descendants,
    host_allowed,
    host_name,
    is_running,
    listens_beyond_loopback,
    serve,
    share_dir,
    stop_tree,
    voila_command,
    voila_environment,
)
from amplify_auth_widgets.app.voila import ForeignRequest


@pytest.mark.parametrize(
    "host, name",
    [
        ("localhost", "localhost"),
        ("LocalHost:8866", "localhost"),
        ("[::1]:80", "::1"),
        ("[::1]", "::1"),
        ("::1", "::1"),
        ("127.0.0.1:8866", "127.0.0.1"),
        (" Example.COM:1 ", "example.com"),
        ("localhost.", "localhost."),
    ],
)
def test_the_name_in_a_host_header(host, name):
    assert host_name(host) == name


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST:8866", "127.0.0.1:8866", "[::1]:8866", "127.1.2.3", "::1"]
)
def test_this_machine_s_names_are_allowed_on_loopback(host):
    assert host_allowed(host, LOCAL_NAMES, "127.0.0.1")


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8866",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
        "localhost.",
        "",
        ":8866",
        "10.0.0.5",
        "[fe80::1]:8866",
    ],
)
def test_other_names_are_refused_on_loopback(host):
    assert not host_allowed(host, LOCAL_NAMES, "127.0.0.1")


def test_beyond_loopback_addresses_answer_and_names_only_as_allowed():
    assert host_allowed("10.0.0.5:8866", LOCAL_NAMES, "0.0.0.0")
    assert host_allowed("[fe80::1]:8866", LOCAL_NAMES, "::")
    assert not host_allowed("evil.example", LOCAL_NAMES, "0.0.0.0")
    assert host_allowed("app.corp:443", (*LOCAL_NAMES, "app.corp"), "0.0.0.0")
    assert not host_allowed("app.corp", LOCAL_NAMES, "0.0.0.0")


@pytest.mark.parametrize(
    "ip, beyond",
    [
        ("127.0.0.1", False),
        ("::1", False),
        ("localhost", False),
        ("", False),
        ("127.0.0.2", False),
        ("0.0.0.0", True),
        ("::", True),
        ("192.168.1.5", True),
        ("my-host", True),
    ],
)
def test_what_listens_beyond_loopback(ip, beyond):
    assert listens_beyond_loopback(ip) is beyond


def request(host: str, origin: str | None = None) -> HTTPServerRequest:
    headers = HTTPHeaders({"Host": host})
    if origin is not None:
        headers["Origin"] = origin
    return HTTPServerRequest(method="GET", uri="/", headers=headers)


@pytest.mark.parametrize(
    "host, origin, refused",
    [
        ("127.0.0.1:8866", None, False),
        ("localhost:8866", "http://localhost:8866", False),
        ("127.0.0.1:8866", "null", True),  # a sandboxed frame, of any site
        ("LocalHost:8866", "http://localhost:8866", False),  # names are not case-sensitive
        ("evil.example:8866", None, True),  # DNS rebinding
        ("127.0.0.1:8866", "http://evil.example:8866", True),  # another site's script
        ("127.0.0.1:8866", "http://evil.example", True),
        ("127.0.0.1:8866", "file://", True),  # an origin with no host
        ("127.0.0.1:8866", "http://127.0.0.1:9999", True),  # another server of this machine
        ("127.0.0.1:8866", "http://localhost:8866", True),  # the app under another name
        ("localhost:8866", "http://localhost:8866/", False),
    ],
)
def test_the_router_rule_refuses_foreign_hosts_and_origins(host, origin, refused):
    matcher = ForeignRequest(LOCAL_NAMES, "127.0.0.1")
    assert (matcher.match(request(host, origin)) is not None) is refused


def test_voila_runs_through_the_closed_launcher_with_its_bounds():
    command = voila_command(
        Path("app.ipynb"),
        "127.0.0.1",
        8866,
        allowed_hosts=("App.Corp:443", "localhost"),
        max_kernels=5,
        max_kernels_per_user=2,
    )
    assert command[1:3] == ["-m", "amplify_auth_widgets.app.voila"]
    hosts = [c.split("=", 1)[1] for c in command if c.startswith("--AppVoila.allowed_hosts=")]
    assert hosts == ["localhost", "127.0.0.1", "::1", "app.corp"]  # each once, lower case
    assert "--AppVoila.max_kernels=5" in command
    assert "--AppVoila.max_kernels_per_user=2" in command
    assert "--Voila.port_retries=0" in command and "--port=8866" in command


@pytest.mark.parametrize("ip", [" ", "[]", "LOCALHOST", "[::1]", "127.0.0.1:8866"])
def test_loopback_written_otherwise_is_still_loopback(ip):
    assert listens_beyond_loopback(ip) is False


def test_an_empty_name_is_refused_even_when_listed():
    assert not host_allowed("[]:8866", ("", *LOCAL_NAMES), "0.0.0.0")


def test_the_whole_voila_command_with_its_defaults():
    """Each option is a safeguard (no other port, no tracebacks, kernels over Unix sockets,
    culled once idle, at most so many) or what the page needs (the template, the base URL)."""
    command = voila_command(Path("app.ipynb"), "127.0.0.1", 8866)
    assert command[1:] == [
        "-m",
        "amplify_auth_widgets.app.voila",
        "app.ipynb",
        "--port=8866",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--Voila.base_url=/",
        "--no-browser",
        "--template=aaw",
        "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        "--KernelManager.transport=ipc",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        "--AppVoila.allowed_hosts=localhost",
        "--AppVoila.allowed_hosts=127.0.0.1",
        "--AppVoila.allowed_hosts=::1",
        "--AppVoila.max_kernels=8",
        "--AppVoila.max_kernels_per_user=4",
        "--preheat_kernel=True",
        "--pool_size=1",
        f"--VoilaKernelManager.fill_delay={POOL_REFILL_SECONDS}",
    ]


@pytest.mark.parametrize("idle, interval", [(600, 60), (3600, 60), (10, 5), (1, 1), (0, 1)])
def test_idle_kernels_are_looked_for_every_minute_or_twice_per_idle_time(idle, interval):
    command = voila_command(Path("app.ipynb"), "::1", 0, cull_idle_seconds=idle)
    assert f"--MappingKernelManager.cull_idle_timeout={idle}" in command
    assert f"--MappingKernelManager.cull_interval={interval}" in command


def test_voila_s_options_follow_the_arguments(tmp_path):
    command = voila_command(
        Path("nb.ipynb"), "0.0.0.0", 9000, preheat=3, base_url="/app/", trust_dir=tmp_path
    )
    assert command[-5:] == [
        "--preheat_kernel=True",
        "--pool_size=3",
        f"--VoilaKernelManager.fill_delay={POOL_REFILL_SECONDS}",
        f"--NotebookNotary.data_dir={tmp_path}",
        "--AppVoila.trust_notebook=True",
    ]
    assert "--Voila.ip=0.0.0.0" in command and "--Voila.base_url=/app/" in command
    cold = voila_command(Path("nb.ipynb"), "127.0.0.1", 9000, preheat=0)
    assert cold[-1] == "--AppVoila.max_kernels_per_user=4"
    words = ("preheat", "pool_size", "fill_delay", "Notary", "trust")
    assert not any(word in c for c in cold for word in words)
    assert "--theme=dark" in voila_command(Path("nb.ipynb"), "127.0.0.1", 9000, theme="dark")


def test_a_free_port_is_claimed_and_a_taken_one_refused_with_what_to_do():
    port = claim_port("127.0.0.1", 0)
    assert 0 < port < 65536
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with pytest.raises(PortBusy) as refused:
            claim_port("127.0.0.1", busy)
    assert str(refused.value).startswith(f"port {busy} on 127.0.0.1 is in use by another program")
    assert str(refused.value).endswith(
        ". Stop it, or choose another port: --port 8867, or --port 0 for any free one."
    )


@pytest.mark.skipif(not socket.has_ipv6, reason="no IPv6")
def test_an_ipv6_host_is_claimed_as_ipv6():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    assert claim_port("::1", 0) > 0


def test_asking_whether_a_child_runs_does_not_signal_it():
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert is_running(child.pid) and is_running(child.pid)
        time.sleep(0.2)
        assert child.poll() is None  # SIGHUP or any other signal would have ended it
    finally:
        child.kill()
        child.wait()


def test_voila_finds_the_template_first_and_the_extra_variables(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", "/elsewhere")
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)
    env = voila_environment({"AMPLIFY_AUTH_APP_TOKEN": "t"})
    assert env["JUPYTER_PATH"] == os.pathsep.join([str(share_dir()), "/elsewhere"])
    assert env["AMPLIFY_AUTH_APP_TOKEN"] == "t" and env["PYTHONUNBUFFERED"] == "1"
    monkeypatch.delenv("JUPYTER_PATH")
    assert voila_environment({})["JUPYTER_PATH"] == str(share_dir())
    assert (share_dir() / "voila" / "templates" / "aaw").is_dir()
    assert app_notebook().name == "app.ipynb" and app_notebook().is_file()


def _tree() -> subprocess.Popen[bytes]:
    """A shell with a child that outlives a SIGTERM to the shell alone."""
    script = "trap '' TERM; sleep 30 & wait"
    return subprocess.Popen(["sh", "-c", script], start_new_session=True)


def test_a_tree_is_stopped_children_included():
    tree = _tree()
    try:
        deadline = time.monotonic() + 5
        while not descendants(tree.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        children = descendants(tree.pid)
        assert len(children) == 1 and is_running(children[0])
        assert tree.pid in descendants(os.getpid()) and children[0] in descendants(os.getpid())
        stop_tree(tree, grace=0.5)
        assert tree.returncode is not None
        deadline = time.monotonic() + 5  # SIGKILL is sent; its delivery takes a moment
        while is_running(children[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not is_running(children[0])
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(tree.pid, signal.SIGKILL)
        tree.wait()


def test_what_runs_is_running_and_a_zombie_or_the_dead_are_not():
    assert is_running(os.getpid())
    child = subprocess.Popen(["sh", "-c", "exit 0"])
    deadline = time.monotonic() + 5
    while is_running(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_running(child.pid)  # exited, not yet reaped: a zombie
    child.wait()
    assert not is_running(child.pid)
    assert is_running(1)  # not ours to signal, but it runs


def test_serving_returns_voila_s_exit_code_and_restores_the_signal_handlers():
    announced = []
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    code = serve(["sh", "-c", "exit 3"], dict(os.environ), lambda: announced.append(1))
    assert code == 3 and announced == [1]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_voila_runs_in_a_session_of_its_own_with_the_environment_given():
    check = (
        "import os, sys; sys.exit(int(os.environ['CODE']) if os.getsid(0) == os.getpid() else 9)"
    )
    code = serve([sys.executable, "-c", check], {**os.environ, "CODE": "7"}, lambda: None)
    assert code == 7


def test_a_sigterm_while_serving_stops_voila_and_returns_0():
    started = time.monotonic()
    code = serve(["sleep", "30"], dict(os.environ), lambda: os.kill(os.getpid(), signal.SIGTERM))
    assert code == 0 and time.monotonic() - started < 20


def test_a_command_that_cannot_start_is_its_own_error():
    with pytest.raises(FileNotFoundError):
        serve(["/nonexistent/voila"], dict(os.environ), lambda: None)


def test_the_pool_waits_for_the_first_page_before_starting_its_next_kernel():
    """Voila's own kernel manager (the class its factory makes when preheating) reads the
    option the command gives: a name Voila does not know would be dropped without a word."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets.config.loader import KVArgParseConfigLoader
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    command = voila_command(Path("app.ipynb"), "127.0.0.1", 0)
    options = [c for c in command if c.startswith("--VoilaKernelManager.")]
    config = KVArgParseConfigLoader(options).load_config()
    manager_class = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    # traitlets gives a class the options of the sections named for it and its bases
    trait = manager_class.class_traits(config=True)["fill_delay"]
    given = config[manager_class.__name__].fill_delay  # a string the trait parses
    assert trait.from_string(given) == POOL_REFILL_SECONDS > trait.default_value

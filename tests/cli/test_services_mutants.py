"""`amplify-auth emulator` and `amplify-auth app` in this process (``entry.main``): their --help
and defaults, every option's refusals word for word, the emulator the options make, the
emulator served until Ctrl-C or SIGTERM (and what it says), and the app's launch with Voila
stood in for: the URL and its token, the command and environment Voila gets, the warning for a
host beyond this machine, the shared emulator started with Voila and waited for after it. A
mutation run of cli/services.py found none of it checked in this process."""

from __future__ import annotations

import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import pytest

from amplify_auth_widgets.app import serve as app_serve
from amplify_auth_widgets.cli.entry import UsageError, build_parser, main
from amplify_auth_widgets.client import emulator_process
from amplify_auth_widgets.client.connection import Connection


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def said(*argv: str) -> str:
    """A command's help, its words joined by single spaces whatever the terminal's width."""
    code, out, err = run(*argv, "--help")
    assert (code, err) == (0, "")
    return " ".join(out.split())


def refused(*argv: str) -> str:
    """The line a refused option gets (main prints it and exits 252). Read from the parser,
    so that a value wrongly accepted fails here instead of running the command."""
    with pytest.raises(UsageError) as refusal:
        build_parser().parse_args(list(argv))
    return " ".join(str(refusal.value).split())


# -- help and defaults ------------------------------------------------------------------------


def test_the_emulator_s_help_says_what_each_option_does():
    assert said("emulator") == (
        "usage: amplify-auth emulator [-h] [--host HOST] [--port PORT] [--db DB] "
        "[--job-seconds JOB_SECONDS] [--demo] [--demo-fleet N] [--latency-ms LATENCY_MS] "
        "[--throttle-rate THROTTLE_RATE] [--fail-rate FAIL_RATE] [--timeout-rate TIMEOUT_RATE] "
        "[--seed SEED] [--strict-auth KEY:SECRET] [--allow-host NAME] [--region REGION] "
        "[--account KEY=ACCOUNT] [--demo-pairs] [--log-level {debug,info,warning,error}] "
        "Serve a local emulator of the AmplifyBackend API (and Amplify's app listing) until "
        "Ctrl-C. Point boto3 or the AWS CLI at it with --endpoint-url. options: -h, --help show "
        "this help message and exit --host HOST address to listen on (default 127.0.0.1) "
        "--port PORT port (default 4600; 0: any free) --db DB SQLite file for the state "
        "(default: a temporary file) --job-seconds JOB_SECONDS how long a job stays "
        "IN_PROGRESS: seconds, or a range LOW-HIGH to draw from --demo seed demo apps, some "
        "with auth --demo-fleet N seed N fleet apps with dev, staging and prod, about 3 in 10 "
        "weakly configured --latency-ms LATENCY_MS added to every request --throttle-rate "
        "THROTTLE_RATE fraction answered 429 --fail-rate FAIL_RATE fraction of jobs that FAIL "
        "--timeout-rate TIMEOUT_RATE fraction answered 504 --seed SEED seed for ids and faults, "
        "for reproducible runs --strict-auth KEY:SECRET verify SigV4 signatures as AWS does: by "
        "this key (or STS's temporary ones), for a region served and the request's service "
        "(default: any signed request) --allow-host NAME also answer requests whose Host is "
        "NAME (repeatable; '*': any name). By default only 127.0.0.1, localhost, [::1] and the "
        "--host address are answered, so that a web page cannot read the emulator through a "
        "name of its own (DNS rebinding) --region REGION serve REGION (repeatable; default "
        "us-east-1 alone): each region, in each account, holds apps of its own; a request "
        "signed for another is refused --account KEY=ACCOUNT the access key id KEY belongs to "
        "the 12-digit ACCOUNT (repeatable; any other key belongs to 123456789012) --demo-pairs "
        "seed --demo-fleet's apps in each of 2 accounts x 2 regions (us-east-1 and eu-west-1 "
        "served; the second account's key is emulator-210987654321) --log-level "
        "{debug,info,warning,error}"
    )


def test_the_app_s_help_says_what_each_option_does():
    assert said("app") == (
        "usage: amplify-auth app [-h] [--port PORT] [--host HOST] [--job-seconds JOB_SECONDS] "
        "[--aws] [--theme {light,dark}] [--allow-host NAME] [--max-kernels N] "
        "[--max-kernels-per-user N] [--preheat N] [--base-url BASE_URL] [--cull-idle SECONDS] "
        "Serve the editor and the job monitor as a Voila web app. By default it talks to an "
        "embedded emulator with demo data; --aws uses your AWS configuration. The URL printed "
        "carries a token, as Jupyter's do: a page without it gets the login form and starts no "
        "kernel. Set AMPLIFY_AUTH_APP_TOKEN (16 characters or more) to choose the token; "
        "otherwise a new one is made at each start. options: -h, --help show this help message "
        "and exit --port PORT port (default 8866; 0: any free) --host HOST address (default "
        "127.0.0.1) --job-seconds JOB_SECONDS the embedded emulator's job time --aws use AWS "
        "instead of the emulator --theme {light,dark} the page's theme, JupyterLab's light or "
        "dark one (default light); a page may ask for the other with ?theme=dark or "
        "?theme=light in its URL --allow-host NAME a host name the app answers to besides "
        "localhost, 127.0.0.1 and [::1] (the name a proxy or your browser uses for it); repeat "
        "for more. Requests naming any other host are refused, which keeps pages on other sites "
        "out (DNS rebinding) --max-kernels N kernels in all, preheated ones included; a page "
        "load past it gets 503 (default 8, about 170 MB each) --max-kernels-per-user N pages "
        "open at once in one signed-in browser; past it a page load gets 429 (default 4) "
        "--preheat N kernels kept started with the app run, so a page load does not wait "
        "(default 1; 0: start a kernel per page load) --base-url BASE_URL the path prefix a "
        "proxy serves the app under (default: JupyterHub's service prefix when run as a hub "
        "service, else /) --cull-idle SECONDS stop a kernel whose page is closed after this "
        "many idle seconds (default 600)"
    )


def test_the_command_list_names_both_services():
    text = said()
    assert "emulator Run the local AmplifyBackend emulator." in text
    assert "app Run the web app (Voila) against the embedded emulator." in text


def test_the_emulator_s_defaults_are_the_ones_its_help_gives():
    args = build_parser().parse_args(["emulator"])
    assert vars(args) | {"run": None} == vars(args) | {
        "command": "emulator",
        "run": None,
        "host": "127.0.0.1",
        "port": 4600,
        "db": None,
        "job_seconds": "3",
        "demo": False,
        "demo_fleet": 0,
        "latency_ms": 0.0,
        "throttle_rate": 0.0,
        "fail_rate": 0.0,
        "timeout_rate": 0.0,
        "seed": None,
        "strict_auth": None,
        "allow_host": [],
        "region": None,
        "account": [],
        "demo_pairs": False,
        "log_level": "warning",
    }
    assert args.run.__name__ == "run_emulator"


def test_the_app_s_defaults_are_the_ones_its_help_gives(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    args = build_parser().parse_args(["app"])
    assert vars(args) | {"run": None} == vars(args) | {
        "command": "app",
        "run": None,
        "port": 8866,
        "host": "127.0.0.1",
        "job_seconds": "3",
        "aws": False,
        "theme": "light",
        "allow_host": [],
        "max_kernels": 8,
        "max_kernels_per_user": 4,
        "preheat": 1,
        "base_url": "/",
        "cull_idle": 600,
    }
    assert args.run.__name__ == "run_app"


def test_as_a_jupyterhub_service_the_app_is_served_under_the_hub_s_prefix(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/services/amplify-auth")
    assert build_parser().parse_args(["app"]).base_url == "/services/amplify-auth/"
    assert build_parser().parse_args(["app", "--base-url", "/mine"]).base_url == "/mine/"


# -- the options' values and refusals ---------------------------------------------------------


@pytest.mark.parametrize("command", ["emulator", "app"])
def test_a_port_is_1_to_65535_or_0_for_any_free_one(command):
    # a port is read as written, leading zeros and all, up to nine characters; text of ten
    # or more is never read as a number (the guard's edge: "000008866" is read, one more
    # zero is refused like any text that is not a port)
    for text, value in (("0", 0), ("1", 1), ("65535", 65535), ("000008866", 8866)):
        assert build_parser().parse_args([command, "--port", text]).port == value
    for text in ("65536", "-1", "http", "", "1e3", "0000008866", "99999999999999999999"):
        assert refused(command, "--port", text) == (
            f"amplify-auth {command}: error: argument --port: '{text}' is not a port: choose 1 "
            f"to 65535, or 0 for any free port (see 'amplify-auth {command} --help')"
        )


@pytest.mark.parametrize("command", ["emulator", "app"])
def test_an_empty_host_is_refused_not_taken_for_every_address(command):
    # a server given "" listens on every address of the machine, with no warning said
    for text in ("", " "):
        assert refused(command, "--host", text) == (
            f"amplify-auth {command}: error: argument --host: '{text}' is no address: give "
            "127.0.0.1 for this machine only (the default), or 0.0.0.0 for every address of "
            f"the machine (see 'amplify-auth {command} --help')"
        )
    for text in ("127.0.0.1", "0.0.0.0", "::1", "localhost"):
        assert build_parser().parse_args([command, "--host", text]).host == text
    assert build_parser().parse_args([command]).host == "127.0.0.1"
    assert build_parser().parse_args([command, "--host", " 0.0.0.0 "]).host == "0.0.0.0"


def test_a_refused_option_exits_252_with_its_line_and_runs_nothing():
    code, out, err = run("emulator", "--port", "65536")
    assert (code, out) == (252, "")
    assert err == refused("emulator", "--port", "65536") + "\n"


def test_a_rate_is_a_fraction_from_0_to_1():
    for option, attribute in (
        ("--throttle-rate", "throttle_rate"),
        ("--fail-rate", "fail_rate"),
        ("--timeout-rate", "timeout_rate"),
    ):
        for text, value in (("0", 0.0), ("1", 1.0), ("0.25", 0.25)):
            assert getattr(build_parser().parse_args(["emulator", option, text]), attribute) == (
                value
            )
        for text in ("1.01", "-0.5", "2"):
            assert (
                f"argument {option}: '{text}' is not between 0 and 1 (a fraction of requests)"
                in refused("emulator", option, text)
            )
        assert f"argument {option}: 'half' is not a number from 0 to 1 (see" in refused(
            "emulator", option, "half"
        )


@pytest.mark.parametrize("command", ["emulator", "app"])
def test_job_seconds_are_a_number_or_a_range_of_0_or_more(command):
    for text in ("0", "2.5", "2-10", "0-0"):
        assert build_parser().parse_args([command, "--job-seconds", text]).job_seconds == text
    for text in ("soon", "-3", "nan", "inf", "2-inf", "10-2", "1-nan"):
        assert (
            f"argument --job-seconds: '{text}' is not a number of seconds (3) or a range (2-10) "
            "of 0 or more (see" in refused(command, "--job-seconds", text)
        )


def test_the_kernel_bounds_are_whole_numbers_of_1_or_more():
    for option, attribute in (
        ("--max-kernels", "max_kernels"),
        ("--max-kernels-per-user", "max_kernels_per_user"),
    ):
        assert getattr(build_parser().parse_args(["app", option, "1"]), attribute) == 1
        assert getattr(build_parser().parse_args(["app", option, "12"]), attribute) == 12
        for text in ("0", "-2", "two", "1.5", ""):
            assert (
                f"argument {option}: '{text}' is not a whole number of 1 or more (see"
                in refused("app", option, text)
            )


def test_the_base_url_has_one_slash_at_each_end():
    for text, value in (
        ("/", "/"),
        ("", "/"),
        ("///", "/"),
        ("hub", "/hub/"),
        ("/user/ann/", "/user/ann/"),
        ("//user/ann//", "/user/ann/"),
        ("/X/", "/X/"),  # only slashes are trimmed, whatever the letters
        ("XX", "/XX/"),
    ):
        assert build_parser().parse_args(["app", "--base-url", text]).base_url == value


def test_strict_auth_is_a_key_and_a_secret():
    args = build_parser().parse_args(["emulator", "--strict-auth", "AKID:s3cret:with:colons"])
    assert args.strict_auth == "AKID:s3cret:with:colons"
    # the key ends at the first colon, as the emulator reads it: a secret may hold colons,
    # and what the emulator would refuse is refused here, as a usage error
    assert build_parser().parse_args(["emulator", "--strict-auth", "AKID:s3cret:"]).strict_auth
    for text in ("AKID", "AKID:", ":s3cret", ":", ":AKID:s3cret"):
        assert "argument --strict-auth: give the key as KEY:SECRET (see" in refused(
            "emulator", "--strict-auth", text
        )


def test_an_account_is_a_key_and_twelve_digits():
    args = build_parser().parse_args(
        ["emulator", "--account", "AKIDA=111111111111", "--account", "AKIDB=222222222222"]
    )
    assert args.account == [("AKIDA", "111111111111"), ("AKIDB", "222222222222")]
    for text in (
        "AKID=11111111111",
        "AKID=1111111111111",
        "=111111111111",
        "AKID111111111111",
        "AK=ID=111111111111",  # the account is all that follows the first '='
    ):
        assert (
            "argument --account: give an access key id and a 12-digit account as KEY=ACCOUNT, "
            f"not '{text}' (see" in refused("emulator", "--account", text)
        )
    assert "not 'AKID=11111111111x'" in refused("emulator", "--account", "AKID=11111111111x")


def test_regions_are_aws_region_names():
    args = build_parser().parse_args(["emulator", "--region", "eu-west-1", "--region", "us-west-2"])
    assert args.region == ["eu-west-1", "us-west-2"]
    assert (
        "argument --region: 'moon-1' is not a region name; give one like us-east-1 or "
        "eu-west-1 (see" in refused("emulator", "--region", "moon-1")
    )


def test_an_allowed_host_is_a_name_an_address_or_any():
    args = build_parser().parse_args(["emulator", "--allow-host", "emu.test", "--allow-host", "*"])
    assert args.allow_host == ["emu.test", "*"]
    assert (
        "argument --allow-host: 'a b' is not a host name or address; give e.g. emulator.test or "
        "192.168.1.5, or '*' to answer any Host (see" in refused("emulator", "--allow-host", "a b")
    )


def test_the_demo_fleet_is_0_to_10000_apps():
    assert build_parser().parse_args(["emulator", "--demo-fleet", "10000"]).demo_fleet == 10000
    assert build_parser().parse_args(["emulator", "--demo-fleet", "0"]).demo_fleet == 0
    for text in ("10001", "-1", "many"):
        assert f"argument --demo-fleet: a number of apps from 0 to 10000, not '{text}'" in (
            refused("emulator", "--demo-fleet", text)
        )


# -- --db: a state file, never a file that is not one -----------------------------------------


def db_refusal(text: str) -> str:
    line = refused("emulator", "--db", text)
    prefix = "amplify-auth emulator: error: argument --db: "
    suffix = " (see 'amplify-auth emulator --help')"
    assert line.startswith(prefix) and line.endswith(suffix), line
    return line.removeprefix(prefix).removesuffix(suffix)


def test_db_may_be_a_state_file_an_empty_file_or_a_new_file(tmp_path):
    state = tmp_path / "state.sqlite3"
    with sqlite3.connect(state) as db:
        db.execute("create table t (x)")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    for path in (state, empty, tmp_path / "new.sqlite3"):
        assert build_parser().parse_args(["emulator", "--db", str(path)]).db == str(path)
    assert not (tmp_path / "new.sqlite3").exists()


def test_db_refuses_a_folder_a_file_that_is_not_sqlite_and_a_missing_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("data").mkdir()
    assert db_refusal("data") == (
        "'data' is a folder; give a file in it, such as data/emulator.sqlite3"
    )
    notes = Path("notes.txt")
    notes.write_bytes(b"my notes, not a database\n" * 4)
    assert db_refusal("notes.txt") == (
        "'notes.txt' is not an SQLite database (left untouched); give an emulator's state file "
        "or a new file name"
    )
    assert notes.read_bytes() == b"my notes, not a database\n" * 4
    Path("short").write_bytes(b"SQLite")  # shorter than the header: not a database either
    assert "is not an SQLite database" in db_refusal("short")
    assert db_refusal("nowhere/state.sqlite3") == "the folder 'nowhere' does not exist"


def test_db_refuses_a_file_it_cannot_read():
    # root reads a file of mode 000; reading /proc/self/mem at 0 fails for everyone
    assert db_refusal("/proc/self/mem") == "cannot read '/proc/self/mem': Input/output error"


def test_db_given_with_a_tilde_is_the_file_in_the_home_folder(tmp_path, monkeypatch):
    # `--db=~/state.sqlite3` reaches the program as typed: the shell expands no tilde there.
    # The file checked was the home folder's, the file opened ./~/state.sqlite3 (no such folder)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(["emulator", "--db=~/state.sqlite3", "--port", "0"])
    assert args.db == str(tmp_path / "home" / "state.sqlite3")
    emu = emulator_of("--db=~/state.sqlite3")
    try:
        assert emu.db == args.db
    finally:
        emu.stop()
    assert (tmp_path / "home" / "state.sqlite3").exists() and not (tmp_path / "~").exists()
    (tmp_path / "home" / "notes").write_text("not a database")
    assert "is not an SQLite database" in db_refusal("~/notes")


# -- the emulator the options make ------------------------------------------------------------


def emulator_of(*argv: str):
    from amplify_auth_widgets.cli.services import emulator_from_args

    return emulator_from_args(build_parser().parse_args(["emulator", "--port", "0", *argv]))


def test_the_options_reach_the_emulator(tmp_path):
    db = tmp_path / "state.sqlite3"
    emu = emulator_of(
        "--host",
        "::1",
        "--db",
        str(db),
        "--job-seconds",
        "4-6",
        "--latency-ms",
        "7",
        "--throttle-rate",
        "0.1",
        "--fail-rate",
        "0.2",
        "--timeout-rate",
        "0.3",
        "--log-level",
        "error",
        "--port",
        "4711",  # not started here: nothing listens
    )
    try:
        assert (emu.host, emu.port, emu.db, emu.log_level) == ("::1", 4711, str(db), "error")
        assert (emu.faults.latency_ms, emu.faults.throttle_rate, emu.faults.timeout_rate) == (
            7.0,
            0.1,
            0.3,
        )
        assert emu.fail_rate == 0.2 and emu.backend.job_seconds == (4.0, 6.0)
        assert emu.regions == ("us-east-1",) and emu.store.apps() == []
    finally:
        emu.stop()
    assert db.exists()  # the state file given is kept


def test_a_seed_makes_the_same_ids_and_demo_seeds_apps():
    def first_id(*argv: str) -> tuple[str, list[str]]:
        emu = emulator_of(*argv)
        try:
            return emu.backend.new_app_id(), sorted(row["app_id"] for row in emu.store.apps())
        finally:
            emu.stop()

    same, demo = first_id("--seed", "11", "--demo")
    assert first_id("--seed", "11") == (same, [])
    assert first_id("--seed", "12")[0] != same
    assert demo == ["d1demotodo", "d2demoshop", "d3demoadmin", "d4demonew"]


def test_strict_auth_refuses_any_other_key():
    with emulator_of("--strict-auth", "AKIDSTRICT:the:secret").start() as emu:
        ok = Connection.for_emulator(
            emu.url, access_key_id="AKIDSTRICT", secret_access_key="the:secret"
        )
        assert ok.client("amplify").list_apps()["apps"] == []
        other = Connection.for_emulator(emu.url, access_key_id="AKIDSTRICT")
        with pytest.raises(Exception, match="signature"):
            other.client("amplify").list_apps()


def test_demo_pairs_adds_the_fleet_s_regions_to_those_given_and_keeps_the_accounts_given():
    given = ("--region", "eu-west-1", "--account", "AKIDX=333333333333")
    emu = emulator_of(*given, "--demo-pairs", "--demo-fleet", "1")
    try:
        assert emu.regions == ("eu-west-1", "us-east-1")
        assert emu.identities.key_for("333333333333") == "AKIDX"
        assert emu.identities.key_for("210987654321") == "emulator-210987654321"
        assert len(emu.store.scopes()) == 4  # 2 accounts x 2 regions
    finally:
        emu.stop()
    emu = emulator_of("--demo-pairs")
    try:
        assert emu.regions == ("us-east-1", "eu-west-1") and emu.store.scopes() == []
    finally:
        emu.stop()


# -- `amplify-auth emulator`: served until Ctrl-C or SIGTERM ----------------------------------


class StopsWhenAnnounced(io.StringIO):
    """stdout that, once the URL is announced (and flushed), lists the apps there and sends
    ``signum`` to this process, as a terminal's Ctrl-C or a service manager's stop would."""

    def __init__(self, signum: int) -> None:
        super().__init__()
        self.signum = signum
        self.apps: list[dict] | None = None
        self.handler_then = None

    def flush(self) -> None:
        text = self.getvalue()
        if self.apps is None and "listening on" in text:
            url = text.split()[-1]
            self.apps = Connection.for_emulator(url).client("amplify").list_apps()["apps"]
            self.handler_then = signal.getsignal(self.signum)
            if self.handler_then in (signal.SIG_DFL, signal.default_int_handler, None):
                # sent with no handler of the emulator's, it would stop the test run itself
                raise AssertionError(f"the emulator serves with no handler of {self.signum!r}")
            os.kill(os.getpid(), self.signum)


def refused_connection(url: str) -> bool:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.socket() as sock:
        sock.settimeout(5)
        return sock.connect_ex((host, int(port))) != 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_emulator_serves_until_stopped_and_says_how_to_use_it(signum, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    out, err = StopsWhenAnnounced(signum), io.StringIO()
    started = time.monotonic()
    assert main(["emulator", "--port", "0", "--demo"], out, err) == 0
    assert time.monotonic() - started < 30
    url = out.getvalue().split()[-1]
    assert out.getvalue() == f"amplify-auth emulator listening on {url}\n"
    assert url.startswith("http://127.0.0.1:") and int(url.rsplit(":", 1)[1]) > 0
    assert out.apps  # it answered, with the demo's apps, while announced
    assert callable(out.handler_then) and out.handler_then not in before.values()
    db = err.getvalue().splitlines()[0].removeprefix("state: ")
    assert err.getvalue() == (
        f"state: {db}\n"
        f"use it:  export AWS_ENDPOINT_URL={url} AWS_REGION=us-east-1 "
        "AWS_ACCESS_KEY_ID=emulator AWS_SECRET_ACCESS_KEY=emulator-secret\n"
        "stop it: Ctrl-C\n"
        "emulator stopped\n"
    )
    assert Path(db).parent == tmp_path and not Path(db).exists()  # its temporary state is gone
    assert refused_connection(url)  # and it no longer listens
    assert {s: signal.getsignal(s) for s in before} == before  # the handlers are put back


def test_the_emulator_s_state_file_holds_its_apps_for_the_next_run(tmp_path):
    db = tmp_path / "state.sqlite3"
    first, err = StopsWhenAnnounced(signal.SIGTERM), io.StringIO()
    assert main(["emulator", "--port", "0", "--demo", "--db", str(db)], first, err) == 0
    assert err.getvalue().startswith(f"state: {db}\n") and db.exists()
    again = StopsWhenAnnounced(signal.SIGTERM)
    assert main(["emulator", "--port", "0", "--db", str(db)], again, io.StringIO()) == 0
    assert again.apps == first.apps and again.apps


def test_a_state_file_the_emulator_cannot_use_is_refused_untouched(tmp_path):
    db = tmp_path / "broken.sqlite3"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    db.chmod(0o600)
    code, out, err = run("emulator", "--port", "0", "--db", str(db))
    assert (code, out) == (253, "")
    assert err == (
        f"error: --db {db}: cannot keep the emulator's state there: file is not a database\n"
    )
    assert db.read_bytes() == b"SQLite format 3\x00" + b"\xff" * 200


def test_a_port_in_use_is_refused_with_what_to_do_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run("emulator", "--port", str(port))
    assert (code, out) == (253, "")
    assert err == (
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use. Choose another "
        "--port (0 picks a free one).\n"
    )
    assert list(tmp_path.iterdir()) == []  # the temporary state file was removed


# -- `amplify-auth app`, with Voila stood in for ----------------------------------------------


class FakeVoila:
    """``app.serve.serve`` stood in for: records what Voila would be run with, tells the app
    Voila's pid (its own child, a short sleep) and announces, then exits with ``code``."""

    def __init__(self, code: int = 0) -> None:
        self.code = code
        self.calls: list[dict] = []

    def __call__(self, command, env, announce, started=None):
        trust = Path(next(c for c in command if "NotebookNotary.data_dir=" in c).split("=", 1)[1])
        self.calls.append(
            {"command": command, "env": env, "started": started, "trust_was_dir": trust.is_dir()}
        )
        self.trust = trust
        if started is not None:
            started(4242)
        announce()
        return self.code


@pytest.fixture
def voila(monkeypatch):
    fake = FakeVoila()
    monkeypatch.setattr(app_serve, "serve", fake)
    monkeypatch.delenv("AMPLIFY_AUTH_APP_TOKEN", raising=False)
    return fake


@pytest.fixture
def no_emulator(monkeypatch):
    """The shared emulator's start stood in for: records its calls, starts nothing."""
    calls = []

    def shared(job_seconds, folder=None, client=None):
        calls.append({"job_seconds": job_seconds, "client": client})
        raise RuntimeError("not in this test")

    monkeypatch.setattr(emulator_process, "shared", shared)
    return calls


def option(command: list[str], name: str) -> list[str]:
    return [c.split("=", 1)[1] for c in command if c.startswith(f"--{name}=")]


def test_the_app_announces_its_url_with_a_new_token_and_runs_voila_on_that_port(voila, no_emulator):
    code, out, err = run("app", "--port", "0")
    assert (code, err) == (0, "app stopped\n")
    (call,) = voila.calls
    port = int(option(call["command"], "port")[0])
    assert port > 0 and option(call["command"], "Voila.ip") == ["127.0.0.1"]
    token = call["env"]["AMPLIFY_AUTH_APP_TOKEN"]
    assert out == f"amplify-auth app at http://127.0.0.1:{port}/?token={token} (Ctrl-C to stop)\n"
    # 32 random bytes (256 bits), URL-safe base64 without padding: 43 characters. The size
    # is the token's strength, a security parameter: changing it must be a decision
    assert len(token) == 43 and token.replace("-", "").replace("_", "").isalnum()
    assert run("app", "--port", "0")[1] != out  # a new token at each start
    assert call["env"]["AMPLIFY_AUTH_JOB_SECONDS"] == "3"
    assert "AMPLIFY_AUTH_TARGET" not in call["env"]
    assert call["env"]["PYTHONUNBUFFERED"] == "1" and call["env"]["PATH"] == os.environ["PATH"]
    # a trust folder for Voila's life, named for the app in the temporary folder
    assert call["trust_was_dir"] and not voila.trust.exists()
    assert voila.trust.name.startswith("amplify-auth-app-")
    assert voila.trust.parent == Path(tempfile.gettempdir())


def test_the_app_serves_voila_with_the_options_given(voila, no_emulator, monkeypatch):
    monkeypatch.setattr(app_serve, "claim_port", lambda host, port: 8870)
    code, out, _ = run(
        "app",
        "--host",
        "::1",
        "--port",
        "8870",
        "--job-seconds",
        "1-2",
        "--theme",
        "dark",
        "--allow-host",
        "app.example.test",
        "--max-kernels",
        "3",
        "--max-kernels-per-user",
        "2",
        "--preheat",
        "2",
        "--base-url",
        "hub/app",
        "--cull-idle",
        "90",
    )
    assert code == 0
    command = voila.calls[0]["command"]
    expected = app_serve.voila_command(
        app_serve.app_notebook(),
        "::1",
        8870,
        preheat=2,
        cull_idle_seconds=90,
        base_url="/hub/app/",
        trust_dir=voila.trust,
        allowed_hosts=("app.example.test",),
        max_kernels=3,
        max_kernels_per_user=2,
        theme="dark",
    )
    assert command == expected
    assert voila.calls[0]["env"]["AMPLIFY_AUTH_JOB_SECONDS"] == "1-2"
    token = voila.calls[0]["env"]["AMPLIFY_AUTH_APP_TOKEN"]
    assert out == f"amplify-auth app at http://[::1]:8870/hub/app/?token={token} (Ctrl-C to stop)\n"


def test_the_token_chosen_is_used_whole_and_quoted_in_the_url(voila, no_emulator, monkeypatch):
    token = "my/own+token=with?parts&1"
    monkeypatch.setenv("AMPLIFY_AUTH_APP_TOKEN", token)
    code, out, _ = run("app", "--port", "0")
    assert code == 0 and voila.calls[0]["env"]["AMPLIFY_AUTH_APP_TOKEN"] == token
    quoted = out.split("?token=")[1].split()[0]
    assert unquote(quoted) == token and "/" not in quoted and "+" not in quoted
    monkeypatch.setenv("AMPLIFY_AUTH_APP_TOKEN", "x" * 16)  # 16 characters are enough
    assert run("app", "--port", "0")[0] == 0


@pytest.mark.parametrize("token", ["", "x", "x" * 15])
def test_a_token_too_short_to_be_a_secret_is_refused(voila, no_emulator, monkeypatch, token):
    monkeypatch.setenv("AMPLIFY_AUTH_APP_TOKEN", token)
    assert run("app", "--port", "0") == (
        253,
        "",
        f"error: AMPLIFY_AUTH_APP_TOKEN is set but holds {len(token)} characters; give it at "
        "least 16 (or unset it, and the app makes one)\n",
    )
    assert voila.calls == [] and no_emulator == []


def test_a_port_in_use_is_refused_before_voila_starts(voila, no_emulator):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run("app", "--port", str(port))
    assert (code, out) == (253, "")
    assert err.startswith(f"error: port {port} on 127.0.0.1 is in use by another program (")
    assert voila.calls == [] and no_emulator == []


@pytest.mark.parametrize("aws", [False, True], ids=["emulator", "aws"])
def test_a_host_beyond_this_machine_is_warned_of_and_the_url_names_this_machine(
    voila, no_emulator, monkeypatch, aws
):
    monkeypatch.setattr(app_serve, "claim_port", lambda host, port: 8866)
    code, out, err = run("app", "--host", "0.0.0.0", *(["--aws"] if aws else []))
    assert code == 0
    assert err == (
        "warning: --host 0.0.0.0 serves the app beyond this machine: anyone who can reach it "
        "and has the token can use the app"
        + (" and your AWS credentials (--aws)" if aws else "")
        + ". Prefer serving it behind JupyterHub (see the README).\napp stopped\n"
    )
    assert out.startswith("amplify-auth app at http://127.0.0.1:8866/?token=")
    assert option(voila.calls[0]["command"], "Voila.ip") == ["0.0.0.0"]


def test_with_aws_the_app_targets_aws_and_starts_no_emulator(voila, no_emulator):
    assert run("app", "--port", "0", "--aws")[0] == 0
    assert voila.calls[0]["env"]["AMPLIFY_AUTH_TARGET"] == "aws"
    assert voila.calls[0]["started"] is None and no_emulator == []


def test_voila_s_failure_is_the_app_s(voila, no_emulator):
    voila.code = 3
    code, _, err = run("app", "--port", "0")
    assert (code, err) == (255, "error: Voila stopped with exit code 3; its log is above.\n")


def test_the_app_starts_the_shared_emulator_with_voila_as_its_client(voila, no_emulator):
    assert run("app", "--port", "0", "--job-seconds", "0-1")[0] == 0
    # the start's failure (here, always) is left to the page's kernel: the app runs on
    assert no_emulator == [{"job_seconds": "0-1", "client": 4242}]


def test_the_app_waits_for_the_emulator_it_started_to_exit(voila, monkeypatch):
    children = []

    def shared(job_seconds, folder=None, client=None):
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1.5)"])
        children.append(child)
        return SimpleNamespace(pid=child.pid)

    monkeypatch.setattr(emulator_process, "shared", shared)
    started = time.monotonic()
    assert run("app", "--port", "0")[0] == 0
    (child,) = children
    assert child.poll() is not None  # it had exited when the app returned
    assert time.monotonic() - started < 8  # and the app returned once it had (not 10 s on)


def test_the_app_leaves_an_emulator_it_did_not_start_running(voila, monkeypatch):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        monkeypatch.setattr(app_serve, "descendants", lambda pid: [])  # not ours
        monkeypatch.setattr(
            emulator_process, "shared", lambda *a, **k: SimpleNamespace(pid=other.pid)
        )
        started = time.monotonic()
        assert run("app", "--port", "0")[0] == 0
        assert time.monotonic() - started < 8 and other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_the_emulator_s_start_runs_in_a_background_thread(monkeypatch):
    from amplify_auth_widgets.cli.services import EarlyEmulator

    seen = {}
    release = threading.Event()

    def shared(job_seconds, folder=None, client=None):
        seen["thread"] = threading.current_thread()
        release.wait(10)
        return SimpleNamespace(pid=None)

    monkeypatch.setattr(emulator_process, "shared", shared)
    early = EarlyEmulator("5")
    assert (early.job_seconds, early.pid, early.thread) == ("5", None, None)
    early.start(4242)  # returns while the start still runs: Voila is not held up
    assert early.thread.is_alive() and early.thread.daemon
    assert early.thread.name == "emulator-start"
    release.set()
    early.wait_for_exit()
    assert seen["thread"] is early.thread and early.pid is None


def test_the_wait_gives_up_on_a_start_that_hangs(monkeypatch):
    """A start of the shared emulator that never returns does not keep the app from exiting
    once its wait is over."""
    from amplify_auth_widgets.cli.services import EarlyEmulator

    release = threading.Event()

    def shared(job_seconds, folder=None, client=None):
        release.wait(30)
        return SimpleNamespace(pid=None)

    monkeypatch.setattr(emulator_process, "shared", shared)
    early = EarlyEmulator("3")
    early.start(4242)
    try:
        started = time.monotonic()
        early.wait_for_exit(0.5)
        assert time.monotonic() - started < 10 and early.thread.is_alive()
    finally:
        release.set()


def test_whole_number_options_refuse_other_text():
    for command, option in (("emulator", "--seed"), ("app", "--preheat"), ("app", "--cull-idle")):
        assert f"argument {option}: invalid int value: 'soon' (see" in refused(
            command, option, "soon"
        )
    args = build_parser().parse_args(["app", "--preheat", "0", "--cull-idle", "30"])
    assert (args.preheat, args.cull_idle) == (0, 30)
    assert build_parser().parse_args(["emulator", "--seed", "7"]).seed == 7


class Clock:
    """``services.time`` stood in for: ``sleep`` moves ``monotonic`` on, nothing waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.mark.parametrize("exits_at", [0.35, None])
def test_the_app_waits_at_most_ten_seconds_for_its_emulator_and_leaves_once_it_has_exited(
    monkeypatch, exits_at
):
    """Once Voila has stopped, the app waits for the emulator it started: long enough to see
    it exit (it lingers ``IDLE_SECONDS`` after its last client), never more than ten seconds
    (Ctrl-C on the app returns by then, whatever the emulator does), and looking often, so
    that the app leaves within a tenth of a second of the emulator's exit."""
    from amplify_auth_widgets.cli import services

    clock = Clock()
    monkeypatch.setattr(services, "time", clock)
    monkeypatch.setattr(app_serve, "descendants", lambda pid: [4321])  # ours
    monkeypatch.setattr(
        app_serve, "is_running", lambda pid: exits_at is None or clock.now < exits_at
    )
    early = services.EarlyEmulator("3")
    early.pid = 4321
    early.wait_for_exit()
    assert emulator_process.IDLE_SECONDS < 10
    if exits_at is None:  # an emulator that does not exit: the app gives up ten seconds on
        assert 10.0 <= clock.now < 10.2
    else:  # one that exits: the app is gone within a tenth of a second
        assert exits_at <= clock.now <= exits_at + 0.1 + 1e-9

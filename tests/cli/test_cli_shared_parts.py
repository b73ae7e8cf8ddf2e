"""The parts every command shares (cli/common.py), each on its own: the seconds option type,
the AWS CLI's connection options and the connection they make, the console's lines, the
findings printer and its option hints, and the history that falls back to memory. A mutation
run of cli/common.py found them checked only through whole commands run as processes."""

from __future__ import annotations

import argparse
import io

import pytest

from amplify_auth_widgets.cli.common import (
    Console,
    add_color_option,
    add_connection_options,
    connection_from_args,
    open_history,
    print_findings,
    seconds,
)
from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.core.findings import Finding
from amplify_auth_widgets.jobs.history import HISTORY_ENV


@pytest.mark.parametrize(("text", "value"), [("0", 0.0), ("2.5", 2.5), (" 7 ", 7.0), ("1e3", 1e3)])
def test_seconds_are_finite_numbers_of_zero_or_more(text, value):
    assert seconds(text) == value


@pytest.mark.parametrize("text", ["-1", "-0.5", "nan", "inf", "-inf", "ten", ""])
def test_anything_else_is_refused_naming_what_was_given(text):
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        seconds(text)
    assert str(caught.value) == f"{text!r} is not a number of 0 or more"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(exit_on_error=False)
    add_connection_options(parser)
    add_color_option(parser)
    return parser.parse_args(argv)


def test_no_connection_option_defers_everything_to_the_aws_configuration():
    args = parse()
    assert connection_from_args(args) == Connection()
    assert args.color == "auto"


def test_every_connection_option_reaches_the_connection():
    args = parse(
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--ca-bundle",
        "/etc/ca.pem",
        "--profile",
        "dev",
        "--region",
        "eu-west-1",
        "--cli-read-timeout",
        "30",
        "--cli-connect-timeout",
        "5",
        "--no-sign-request",
        "--color",
        "off",
    )
    assert connection_from_args(args) == Connection(
        profile="dev",
        region="eu-west-1",
        endpoint_url="http://127.0.0.1:9",
        verify="/etc/ca.pem",
        connect_timeout=5.0,
        read_timeout=30.0,
        unsigned=True,
    )
    assert args.color == "off"


def test_no_verify_ssl_wins_over_a_ca_bundle():
    args = parse("--no-verify-ssl", "--ca-bundle", "/etc/ca.pem")
    assert connection_from_args(args).verify is False


@pytest.mark.parametrize("argv", [("--cli-read-timeout", "-1"), ("--color", "sometimes")])
def test_a_bad_option_value_is_refused(argv):
    with pytest.raises(argparse.ArgumentError):
        parse(*argv)


def test_the_console_writes_whole_lines_and_flushes_its_errors():
    class Flushed(io.StringIO):
        flushes = 0

        def flush(self) -> None:
            self.flushes += 1
            super().flush()

    out, err = io.StringIO(), Flushed()
    console = Console(out, err, "on")
    console.out("one")
    console.out("two\n")
    console.err("bad")
    console.err("worse\n")
    assert out.getvalue() == "one\ntwo\n" and err.getvalue() == "bad\nworse\n"
    assert err.flushes == 2
    assert console.color_out is console.color_err is True
    plain = Console(io.StringIO(), io.StringIO())
    assert plain.color_out is plain.color_err is False  # "auto" and no terminal


FINDINGS = [
    Finding("AppId", "error", "model.required", "AppId is required; add it."),
    Finding("ResourceConfig.Service", "error", "model.required", "Service is required."),
    Finding("ResourceName", "warning", "x.other", "not a missing member"),
    Finding("", "error", "model.required", "the request is required"),
]


def test_findings_are_printed_a_line_each_with_the_option_that_gives_a_missing_member():
    out, err = io.StringIO(), io.StringIO()
    print_findings(FINDINGS, Console(out, err, "off"))
    assert out.getvalue().splitlines() == [
        "AppId: error model.required: AppId is required; add it. (--app-id)",
        "ResourceConfig.Service: error model.required: Service is required.",
        "ResourceName: warning x.other: not a missing member",
        "(request): error model.required: the request is required",
    ]
    assert err.getvalue() == ""


def test_findings_can_go_to_stderr_coloured_as_that_stream_is():
    out, err = io.StringIO(), io.StringIO()
    console = Console(out, err, "off")
    console.color_err = True
    print_findings(FINDINGS[:1], console, to_stderr=True)
    assert out.getvalue() == ""
    assert err.getvalue() == (
        "AppId: \033[31merror\033[0m model.required: AppId is required; add it. (--app-id)\n"
    )


def test_the_history_is_the_user_s_file_or_else_memory_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setenv(HISTORY_ENV, str(tmp_path / "history.sqlite3"))
    err = io.StringIO()
    history = open_history(Console(io.StringIO(), err))
    assert (tmp_path / "history.sqlite3").exists() and err.getvalue() == ""
    history.close()
    (tmp_path / "a-file").write_text("")  # a folder that cannot be: a file is there
    monkeypatch.setenv(HISTORY_ENV, str(tmp_path / "a-file" / "history.sqlite3"))
    history = open_history(Console(io.StringIO(), err))
    assert history.requests().empty  # one in memory: this run still works
    assert err.getvalue().startswith("warning: job history not available (")
    assert err.getvalue().endswith("); this run is not recorded\n")
    # a link planted where the history goes: refused, said, and this run still works
    (tmp_path / "link.sqlite3").symlink_to(tmp_path / "planted.sqlite3")
    monkeypatch.setenv(HISTORY_ENV, str(tmp_path / "link.sqlite3"))
    err = io.StringIO()
    history = open_history(Console(io.StringIO(), err))
    assert history.requests().empty and not (tmp_path / "planted.sqlite3").exists()
    assert "link.sqlite3 is a symbolic link" in err.getvalue()
    assert "AMPLIFY_AUTH_HISTORY" in err.getvalue()

"""`amplify-auth` itself in this process (``entry.main``): the words of its help (the top level,
an API command's, `validate`'s), the defaults it documents, and which commands offer --wait. A
mutation run of cli/entry.py found most of the help's words and defaults checked by no test
that runs the mutant (only by the installed command in a subprocess)."""

from __future__ import annotations

import functools
import io
import json
import re
from pathlib import Path

import pytest
from conftest import aws_env, valid_request

from amplify_auth_widgets.cli.common import status_exit_code
from amplify_auth_widgets.cli.entry import build_parser, entry_point, main
from amplify_auth_widgets.core.lifecycle import Verdict
from amplify_auth_widgets.emulator import Emulator

INPUT = (
    "input: --cli-input-json JSON the request as JSON, or file://path; options given "
    "explicitly override it --cli-input-yaml YAML the request as YAML, or file://path; options "
    "given explicitly override it --generate-cli-skeleton "
    "[{input,yaml-input,output,input-minimal,yaml-input-minimal}] print a skeleton and exit: "
    "of the request as JSON (input, the default) or as YAML commented as the AWS CLI v2 does "
    "(yaml-input: [REQUIRED], each member's documentation, its valid values), of the response "
    "(output); input-minimal and yaml-input-minimal hold only the required members, the values "
    "to fill --validate-only check the request and print every finding; send nothing "
    "--no-validate send the request even if it has error findings (the service decides) "
)
WAIT = (
    "--wait follow the job the request starts until it is COMPLETED or FAILED; progress goes "
    "to stderr --wait-timeout SECONDS with --wait, give up after this long (default 1800) "
)
AFTER_INPUT = (
    "connection (as the AWS CLI): --endpoint-url ENDPOINT_URL the service URL, e.g. the local "
    "emulator's --no-verify-ssl do not verify TLS certificates --ca-bundle CA_BUNDLE the CA "
    "bundle to verify TLS certificates with --profile PROFILE a profile from your AWS config "
    "--region REGION the AWS region --cli-read-timeout SECONDS --cli-connect-timeout SECONDS "
    "--no-sign-request send unsigned requests output (as the AWS CLI): --output "
    "{json,text,table,yaml,yaml-stream} --query QUERY a JMESPath expression applied to the "
    "response --color {on,off,auto} --no-cli-pager output is never paged here --no-paginate "
    "fetch only the first page (list commands fetch all pages by default) --debug log the "
    "request and response to stderr, secrets redacted --show-secrets print ClientSecret and "
    "PrivateKey values in the output (redacted by default) accepted, with no effect here: "
    "--cli-binary-format {base64,raw-in-base64-out} accepted for compatibility with the AWS "
    "CLI; it changes nothing here, because no member of this API is binary --cli-auto-prompt "
    "accepted for compatibility with the AWS CLI; it changes nothing here, because every "
    "option can be given or read from --cli-input-* --no-cli-auto-prompt accepted for "
    "compatibility with the AWS CLI; it changes nothing here, because nothing ever prompts"
)


@pytest.fixture(autouse=True)
def terminal(monkeypatch):
    """argparse wraps help to the terminal's width: one width, whatever the test's terminal."""
    monkeypatch.setenv("COLUMNS", "80")


def said(*argv: str) -> str:
    """A command's help, its words joined by single spaces whatever the terminal's width."""
    out, err = io.StringIO(), io.StringIO()
    assert main([*argv, "--help"], out, err) == 0 and err.getvalue() == ""
    return " ".join(out.getvalue().split())


def test_the_top_level_help_lists_each_command_with_its_first_sentence():
    assert said() == (
        "usage: amplify-auth [-h] [--version] COMMAND ... Compose, check, send and follow AWS "
        "Amplify backend auth requests. Works against AWS or the built-in local emulator. "
        "positional arguments: COMMAND create-backend-auth Creates a new backend "
        "authentication resource. get-backend-auth Gets a backend auth details. "
        "update-backend-auth Updates an existing backend authentication resource. "
        "delete-backend-auth Deletes an existing backend authentication resource. "
        "import-backend-auth Imports an existing backend authentication resource. "
        "get-backend-job Returns information about a specific job. list-backend-jobs Lists the "
        "jobs for the backend of an Amplify app. validate Check skeleton files (JSON or YAML) "
        "and print every finding. emulator Run the local AmplifyBackend emulator. app Run the "
        "web app (Voila) against the embedded emulator. export-gen2 Export a backend auth "
        "configuration as Amplify Gen 2 code (defineAuth). migrate Write a complete Amplify "
        "Gen 2 project for an environment's auth, users kept. fleet Audit the auth of every "
        "app and environment, apply one to many, or plan the move to Gen 2. options: -h, "
        "--help show this help message and exit --version show program's version number and "
        "exit Run 'amplify-auth COMMAND help' (or --help) for a command's options; an API "
        "command's help documents every member of its structure options."
    )


def test_an_api_commands_help_says_what_every_option_does():
    assert said("get-backend-job") == (
        "usage: amplify-auth get-backend-job [-h] [--app-id VALUE] [--backend-environment-name "
        "VALUE] [--job-id VALUE] [--cli-input-json JSON | --cli-input-yaml YAML] "
        "[--generate-cli-skeleton [{input,yaml-input,output,input-minimal,yaml-input-minimal}]] "
        "[--validate-only] [--no-validate] [--endpoint-url ENDPOINT_URL] [--no-verify-ssl] "
        "[--ca-bundle CA_BUNDLE] [--profile PROFILE] [--region REGION] [--cli-read-timeout "
        "SECONDS] [--cli-connect-timeout SECONDS] [--no-sign-request] [--output "
        "{json,text,table,yaml,yaml-stream}] [--query QUERY] [--color {on,off,auto}] "
        "[--no-cli-pager] [--no-paginate] [--debug] [--show-secrets] [--cli-binary-format "
        "{base64,raw-in-base64-out}] [--cli-auto-prompt] [--no-cli-auto-prompt] Returns "
        "information about a specific job. options: -h, --help show this help message and exit "
        "request members (from the service model): --app-id VALUE The app ID. (string; "
        "required) --backend-environment-name VALUE The name of the backend environment. "
        "(string; required) --job-id VALUE The ID for the job. (string; required) "
        + INPUT
        + AFTER_INPUT
    )


def test_the_commands_that_start_a_job_and_only_they_offer_wait():
    starting = ("create-backend-auth", "update-backend-auth", "delete-backend-auth")
    for command in (*starting, "import-backend-auth"):
        assert INPUT + WAIT + AFTER_INPUT in said(command), command
    for command in ("get-backend-auth", "get-backend-job", "list-backend-jobs"):
        assert INPUT + AFTER_INPUT in said(command), command


def test_optional_members_and_numbers_are_documented_as_such():
    text = said("list-backend-jobs")
    assert (
        "--job-id VALUE The ID for the job. (string) --max-results VALUE The maximum number of "
        "results that you want in the response. (integer) --next-token VALUE"
    ) in text
    assert (
        "--resource-config VALUE The resource configuration for this request object. (JSON or "
        "file://path; required; its members are below) --resource-name VALUE The name of this "
        "resource. (string; required) input:"
    ) in said("create-backend-auth")


def test_validates_help_and_defaults():
    assert said("validate") == (
        "usage: amplify-auth validate [-h] [--operation "
        "{CreateBackendAuth,UpdateBackendAuth,ImportBackendAuth}] [--color {on,off,auto}] FILE "
        "[FILE ...] Check request files, as --cli-input-json/--cli-input-yaml would read them, "
        "and print findings as `path: severity code: message`. Exit 252 if any file has an "
        "error. positional arguments: FILE options: -h, --help show this help message and exit "
        "--operation {CreateBackendAuth,UpdateBackendAuth,ImportBackendAuth} the operation "
        "whose request shape the files hold --color {on,off,auto}"
    )
    args = build_parser().parse_args(["validate", "a.json", "b.yaml"])
    assert (args.files, args.operation, args.color) == (
        ["a.json", "b.yaml"],
        "CreateBackendAuth",
        "auto",
    )


def test_an_api_commands_defaults():
    args = build_parser().parse_args(["create-backend-auth"])
    assert (args.output, args.wait_timeout, args.color, args.generate_cli_skeleton) == (
        "json",
        1800.0,
        "auto",
        None,
    )
    flags = ("validate_only", "no_validate", "wait", "no_cli_pager", "no_paginate", "debug")
    flags += ("show_secrets", "cli_auto_prompt", "no_cli_auto_prompt")
    assert [getattr(args, flag) for flag in flags] == [False] * len(flags)
    assert (args.query, args.cli_binary_format, args.cli_input_json, args.AppId) == (
        None,
        None,
        None,
        None,
    )
    bare = build_parser().parse_args(["get-backend-job", "--generate-cli-skeleton"])
    assert bare.generate_cli_skeleton == "input"
    assert not hasattr(bare, "wait")


# -- sending, in this process, against the emulator ----------------------------------------

SLOW = "slow-app"


@pytest.fixture(scope="module")
def emulator():
    """Jobs end at once, except those of apps whose name says slow (a minute)."""
    slow: set[str] = set()
    with Emulator(job_seconds=lambda operation, app_id: 60 if app_id in slow else 0) as emu:
        emu.slow = slow
        yield emu


@pytest.fixture
def cli(emulator, monkeypatch):
    for name, value in aws_env(emulator.url).items():
        monkeypatch.setenv(name, value)

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), stdout=out, stderr=err)
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    """--wait polls the job every 0.02 s here, not the real 2 s: no test waits for it."""
    from amplify_auth_widgets.jobs import tracker

    policy = functools.partial(tracker.TrackerPolicy, min_interval=0.02, max_interval=0.1)
    monkeypatch.setattr(tracker, "TrackerPolicy", policy)


def request_file(tmp_path, app_id: str) -> str:
    path = tmp_path / f"{app_id}.json"
    path.write_text(json.dumps(valid_request(AppId=app_id, BackendEnvironmentName="dev")))
    return f"file://{path}"


def test_wait_follows_the_job_to_its_end(emulator, cli, tmp_path):
    app_id = emulator.create_app("waited")
    code, out, err = cli(
        "create-backend-auth", "--cli-input-json", request_file(tmp_path, app_id), "--wait"
    )
    assert code == 0, err
    response = json.loads(out)
    job = response["JobId"]
    assert response["Status"] == "COMPLETED" and "TimedOut" not in response
    lines = err.splitlines()
    assert lines[0] == f"job {job}: IN_PROGRESS"  # the status the request answered
    ended = re.fullmatch(rf"job {job}: COMPLETED after (\d+)s", lines[-1])
    assert ended, lines
    assert int(ended[1]) < 60  # the seconds since the job was created, not a clock's reading


def test_wait_gives_up_after_its_timeout_and_says_the_job_goes_on(emulator, cli, tmp_path):
    app_id = emulator.create_app("slow")
    emulator.slow.add(app_id)
    given = ("--cli-input-json", request_file(tmp_path, app_id), "--wait", "--wait-timeout", "0.5")
    code, out, err = cli("create-backend-auth", *given, "--color", "off")
    response = json.loads(out)
    job = response["JobId"]
    assert response["TimedOut"] is True and response["Status"] != "COMPLETED"
    assert (
        f"job {job}: not finished after 0.5s; stopped waiting (a local verdict: the job goes "
        "on). Follow it with get-backend-job."
    ) in err.splitlines()
    assert code == status_exit_code([str(Verdict.TIMED_OUT)]) == 255


def test_a_failed_job_says_why_and_exits_with_the_services_code(emulator, cli, tmp_path):
    app_id = emulator.create_app("failing")
    request = valid_request(AppId=app_id, BackendEnvironmentName="dev")
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["DomainPrefix"] = "Bad_Prefix"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(request))
    given = ("--cli-input-json", f"file://{path}", "--wait", "--no-validate", "--color", "on")
    code, out, err = cli("create-backend-auth", *given)
    job = json.loads(out)["JobId"]
    assert code == 254 and json.loads(out)["Status"] == "FAILED"
    failed = [line for line in err.splitlines() if f"job {job} FAILED: " in line]
    assert (
        len(failed) == 1
        and failed[0].startswith("\033[")
        and "DomainPrefix 'Bad_Prefix'" in failed[0]
    )


def test_debug_logs_the_connection_request_and_response_secrets_redacted(emulator, cli, tmp_path):
    app_id = emulator.create_app("debugged")
    code, out, err = cli(
        "create-backend-auth", "--cli-input-json", request_file(tmp_path, app_id), "--debug"
    )
    assert code == 0, err
    lines = err.splitlines()
    assert lines[0].startswith("debug: connection {") and emulator.url in lines[0]
    request = json.loads(lines[1].removeprefix("debug: CreateBackendAuth request "))
    assert request["AppId"] == app_id
    assert "g-secret-value" not in err and "<redacted>" in lines[1]
    response = json.loads(lines[2].removeprefix("debug: CreateBackendAuth response "))
    assert response == json.loads(out)


def test_list_backend_jobs_reads_every_page_unless_told_not_to(emulator, cli, tmp_path):
    app_id = emulator.create_app("listed")
    where = ("--app-id", app_id, "--backend-environment-name", "dev")
    create = ("create-backend-auth", "--cli-input-json", request_file(tmp_path, app_id))
    delete = ("delete-backend-auth", *where, "--resource-name", "mainauth")
    for argv in (create, delete, create):
        code, _, err = cli(*argv)
        assert code == 0, err
    listing = ("list-backend-jobs", *where, "--max-results", "1")
    code, out, err = cli(*listing)
    assert code == 0, err
    assert sorted(job["Operation"] for job in json.loads(out)["Jobs"]) == [
        "CreateBackendAuth",
        "CreateBackendAuth",
        "DeleteBackendAuth",
    ]
    code, out, _ = cli(*listing, "--no-paginate")
    assert len(json.loads(out)["Jobs"]) == 1
    code, out, _ = cli("list-backend-jobs", *where, "--operation", "DeleteBackendAuth")
    assert [job["Operation"] for job in json.loads(out)["Jobs"]] == ["DeleteBackendAuth"]


def test_a_service_error_exits_254_with_its_request_id(cli):
    code, out, err = cli(
        "get-backend-job",
        "--app-id",
        "dnope",
        "--backend-environment-name",
        "dev",
        "--job-id",
        "j1",
    )
    assert (code, out) == (254, "")
    lines = err.splitlines()
    assert lines[0].startswith("error: ") and "NotFoundException (HTTP 404)" in lines[0]
    assert lines[1].startswith("request id: ") and len(lines) == 2


def test_an_unknown_option_given_with_its_value_after_an_equals_sign_gets_a_suggestion():
    out, err = io.StringIO(), io.StringIO()
    code = main(["create-backend-auth", "--app-idd=d1a2b3c4d5e6f7"], out, err)
    assert code == 252 and err.getvalue().splitlines() == [
        "amplify-auth create-backend-auth: error: unrecognized arguments: --app-idd=d1a2b3c4d5e6f7",
        "  --app-idd=d1a2b3c4d5e6f7: did you mean --app-id?",
        "See 'amplify-auth create-backend-auth --help'.",
    ]


def test_the_console_script_exits_with_the_commands_code_and_writes_to_the_terminal(
    monkeypatch, capsys, tmp_path
):
    missing = str(tmp_path / "missing.json")
    monkeypatch.setattr("sys.argv", ["amplify-auth", "validate", missing])
    with pytest.raises(SystemExit) as exited:
        entry_point()
    assert exited.value.code == 252
    out, err = capsys.readouterr()
    assert (
        out.startswith("(file): error input.file: ") and missing in out
    )  # not a terminal: no colour
    assert err == ""  # a file that cannot be read has no summary line


def checked(*options: str) -> tuple[int, str, str]:
    """create-backend-auth --validate-only with the target given and ``options``."""
    argv = ["create-backend-auth", "--app-id", "d1abcdefgh", "--backend-environment-name", "dev"]
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--resource-name", "r", *options, "--validate-only"], out, err)
    return code, out.getvalue(), err.getvalue()


def test_a_structure_options_file_that_cannot_be_read_is_named_by_its_option(tmp_path):
    missing = tmp_path / "missing.json"
    assert checked("--resource-config", f"file://{missing}") == (
        252,
        "",
        f"error: --resource-config: no such file: {missing}\n",
    )


def test_json_of_the_wrong_type_is_a_finding_and_leading_blank_lines_are_json_still(tmp_path):
    code, out, _ = checked("--resource-config", "[1]")
    assert code == 252 and "ResourceConfig must be an object, not a list ([1])" in out
    code, out, _ = checked("--resource-config", '"text"')
    assert code == 252 and "ResourceConfig must be an object, not a string ('text')" in out
    path = tmp_path / "config.json"
    path.write_text('\n  {"AuthResources": "USER_POOL_ONLY"}\n')
    code, out, _ = checked("--resource-config", f"file://{path}")
    assert code == 252 and "Service is required in ResourceConfig" in out  # read as JSON


def test_a_whole_number_of_up_to_a_hundred_digits_is_read_and_checked_for_its_range():
    argv = ["list-backend-jobs", "--app-id", "d1abcdefgh", "--backend-environment-name", "dev"]
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--max-results", "9" * 100, "--validate-only"], out, err)
    assert code == 252 and "MaxResults takes from 1 to 25; it has 1e+100." in out.getvalue()


# -- options refused before anything is read or sent --------------------------------------


def validated(*options: str) -> tuple[int, str, str]:
    """create-backend-auth --validate-only of a valid request with ``options``."""
    request = json.dumps(valid_request())
    out, err = io.StringIO(), io.StringIO()
    argv = ["create-backend-auth", "--cli-input-json", request, *options, "--validate-only"]
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:0",
        "http://127.0.0.1:99999",
        "ftp://127.0.0.1:4600",
        "http://",
        "http://127.0.0.1:4600/a b",
        "http://[::1",
    ],
)
def test_an_endpoint_url_must_be_http_or_https_with_a_host_and_a_port(url):
    assert validated("--endpoint-url", url) == (
        252,
        "",
        f"--endpoint-url: '{url}' is not an http:// or https:// URL with a host, such as "
        "http://127.0.0.1:4600; nothing was sent.\n",
    )


@pytest.mark.parametrize("url", ["http://127.0.0.1:4600", "https://localhost"])
def test_a_good_endpoint_url_is_taken(url):
    assert validated("--endpoint-url", url) == (
        0,
        "",
        "0 error(s), 0 warning(s); nothing was sent.\n",
    )


def test_a_ca_bundle_must_be_a_file_and_a_query_must_compile(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "certs").mkdir()
    assert validated("--ca-bundle", "certs") == (
        252,
        "",
        "--ca-bundle: 'certs' is not a file; nothing was sent.\n",
    )
    (tmp_path / "ca.pem").write_text("not read before sending\n")
    assert validated("--ca-bundle", "ca.pem")[0] == 0
    assert validated("--query", "[[") == (
        252,
        "",
        "--query: '[[' is not a JMESPath expression (Invalid jmespath expression: Incomplete "
        "expression, at column 3); nothing was sent.\n",
    )
    assert validated("--query", "Status")[0] == 0


def test_a_request_with_errors_is_refused_with_its_findings_and_the_way_past(tmp_path):
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["SignInMethod"] = "FOO"
    argv = ["create-backend-auth", "--cli-input-json", json.dumps(request), "--color", "off"]
    out, err = io.StringIO(), io.StringIO()
    # port 1 is closed: had the request been sent, the error would be a connection error
    code = main([*argv, "--endpoint-url", "http://127.0.0.1:1", "--region", "us-east-1"], out, err)
    assert (code, out.getvalue()) == (252, "")
    assert err.getvalue().splitlines() == [
        "ResourceConfig.UserPoolConfigs.SignInMethod: error model.enum: 'FOO' is not a valid "
        "SignInMethod; choose one of EMAIL, EMAIL_AND_PHONE_NUMBER, PHONE_NUMBER, USERNAME.",
        "CreateBackendAuth was not sent: fix the errors above (or pass --no-validate).",
    ]


def test_a_request_with_warnings_is_sent_and_its_warnings_go_to_stderr(emulator, cli):
    app_id = emulator.create_app("warned")
    request = valid_request(AppId=app_id, BackendEnvironmentName="dev")
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["OAuthGrantType"] = "IMPLICIT"
    code, out, err = cli("create-backend-auth", "--cli-input-json", json.dumps(request))
    assert code == 0 and json.loads(out)["Status"] == "IN_PROGRESS"
    assert err.splitlines() == [
        "ResourceConfig.UserPoolConfigs.OAuth.OAuthGrantType: warning cognito.implicit-grant: "
        "The IMPLICIT grant returns tokens in the redirect URL; the CODE grant (with PKCE) is "
        "recommended."
    ]


# -- validate ------------------------------------------------------------------------------


def validate_files(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def test_validate_fails_if_any_file_fails_whatever_follows_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("good.json").write_text(json.dumps(valid_request()))
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["SignInMethod"] = "FOO"
    Path("bad.json").write_text(json.dumps(request))
    code, out, err = validate_files("missing.json", "good.json", "--color", "off")
    assert code == 252
    assert out.splitlines() == [
        "# missing.json",
        "(file): error input.file: missing.json: no such file: missing.json",
        "# good.json",
    ]
    assert err == "good.json: 0 error(s), 0 warning(s)\n"
    code, out, err = validate_files("bad.json", "good.json", "--color", "on")
    assert code == 252 and "\033[31merror\033[0m model.enum" in out
    assert err.splitlines() == [
        "\033[31mbad.json: 1 error(s), 0 warning(s)\033[0m",  # red
        "\033[32mgood.json: 0 error(s), 0 warning(s)\033[0m",  # green
    ]
    code, out, _ = validate_files("missing.json", "--color", "on")
    assert code == 252
    assert (
        out == "(file): \033[31merror\033[0m input.file: missing.json: no such file: missing.json\n"
    )


def test_validate_checks_the_files_against_the_operation_given(tmp_path):
    path = tmp_path / "create.json"
    path.write_text(json.dumps(valid_request()))
    code, out, _ = validate_files(str(path), "--operation", "UpdateBackendAuth")
    assert code == 252
    assert "UserPoolConfigs has no member 'SignInMethod'" in out  # not an update's member


def test_get_backend_job_answers_at_once_and_does_not_follow_the_job(emulator, cli, tmp_path):
    app_id = emulator.create_app("slow")
    emulator.slow.add(app_id)
    code, out, err = cli("create-backend-auth", "--cli-input-json", request_file(tmp_path, app_id))
    assert code == 0 and err == ""  # not followed either: no --wait
    job = json.loads(out)
    assert job["Status"] == "IN_PROGRESS"
    where = ("--app-id", app_id, "--backend-environment-name", "dev", "--job-id", job["JobId"])
    code, out, err = cli("get-backend-job", *where)
    assert (code, err) == (0, "")
    assert json.loads(out)["Status"] == "IN_PROGRESS"  # the job runs a minute


def test_wait_on_a_job_the_service_forgets_says_so_in_red(emulator, tmp_path, monkeypatch):
    for name, value in aws_env(emulator.url).items():
        monkeypatch.setenv(name, value)
    app_id = emulator.create_app("slow")
    emulator.slow.add(app_id)

    class Stderr(io.StringIO):
        def write(self, text: str) -> int:
            if text.startswith("job "):  # the job has started: its app goes, and the job
                emulator.store.delete_app(app_id)
            return super().write(text)

    out, err = io.StringIO(), Stderr()
    argv = ["create-backend-auth", "--cli-input-json", request_file(tmp_path, app_id)]
    code = main([*argv, "--wait", "--color", "on"], out, err)
    job = json.loads(out.getvalue())["JobId"]
    assert code == status_exit_code([str(Verdict.NOT_FOUND)]) == 254
    assert err.getvalue().splitlines()[-1] == (
        f"\033[31mjob {job}: the service does not know it\033[0m"
    )


def test_wait_records_the_call_and_the_job_in_the_history_and_only_wait_does(
    emulator, cli, tmp_path, monkeypatch
):
    from amplify_auth_widgets.jobs.history import JobHistory

    path = tmp_path / "history.sqlite"
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(path))
    app_id = emulator.create_app("recorded")
    code, out, err = cli(
        "create-backend-auth", "--cli-input-json", request_file(tmp_path, app_id), "--wait"
    )
    assert code == 0, err
    job = json.loads(out)["JobId"]
    history = JobHistory(path)
    try:
        assert history.status_of(job) == "COMPLETED"
        calls = list(history.requests()["operation"])  # the request, then the polls
        assert calls[0] == "CreateBackendAuth" and set(calls[1:]) == {"GetBackendJob"}
    finally:
        history.close()
    path.unlink()
    where = ("--app-id", app_id, "--backend-environment-name", "dev", "--job-id", job)
    assert cli("get-backend-job", *where)[0] == 0
    assert not path.exists()  # nothing followed, nothing recorded


def test_a_cli_input_that_is_not_an_object_is_refused_by_its_options_name():
    for option, text in (("--cli-input-json", "[1]"), ("--cli-input-yaml", "- 1")):
        out, err = io.StringIO(), io.StringIO()
        assert main(["create-backend-auth", option, text, "--validate-only"], out, err) == 252
        assert (out.getvalue(), err.getvalue()) == (
            "",
            f"error: {option}: the input must be an object of request members, not a list\n",
        )


def test_cli_input_yaml_is_read_as_yaml():
    text = "AppId: d1abcdefgh\nBackendEnvironmentName: dev\nResourceName: auth\n"
    out, err = io.StringIO(), io.StringIO()
    argv = ["create-backend-auth", "--cli-input-yaml", text, "--validate-only", "--color", "off"]
    assert main(argv, out, err) == 252
    assert out.getvalue() == (  # the members it gives are read: only the structure is missing
        "ResourceConfig: error model.required: ResourceConfig is required; add it. "
        "(--resource-config)\n"
    )


def test_an_api_command_run_without_main_checks_its_options_itself():
    from amplify_auth_widgets.cli.common import Console, UsageError
    from amplify_auth_widgets.cli.entry import run_api_command

    argv = ["create-backend-auth", "--cli-input-json", json.dumps(valid_request())]
    args = build_parser().parse_args([*argv, "--query", "[[", "--validate-only"])
    with pytest.raises(UsageError, match=r"^--query: '\[\[' is not a JMESPath expression"):
        run_api_command(args, Console(io.StringIO(), io.StringIO()))


def test_a_listing_without_an_app_id_is_refused_naming_it_even_with_no_validate(cli):
    """list-backend-jobs reads the app and environment from its options; one left out is
    checked as empty, not sent and not reported as a null or a value the user never gave."""
    code, out, err = cli(
        "list-backend-jobs", "--backend-environment-name", "dev", "--no-validate", "--color", "off"
    )
    assert (code, out) == (252, "")
    assert err.splitlines() == [
        "AppId: error amplify.app-id: AppId '' is not an Amplify app id: it is 'd' followed by "
        "lowercase letters and digits, 20 characters at most (as in the Amplify console's App "
        "ARN)."
    ]
    code, out, err = cli("list-backend-jobs", "--app-id", "d1todo", "--no-validate")
    assert (code, out) == (252, "")
    assert err.startswith("BackendEnvironmentName: error cognito.env-name: ")
    assert "BackendEnvironmentName is empty" in err


def _with_an_error_and_a_warning() -> str:
    from conftest import load_case

    request = load_case("implicit-warning")["request"]
    request["AppId"] = "MyApp"  # not an Amplify app id: an error
    return json.dumps(request)


def test_validate_only_counts_the_errors_and_the_warnings_apart():
    out, err = io.StringIO(), io.StringIO()
    argv = ["create-backend-auth", "--cli-input-json", _with_an_error_and_a_warning()]
    assert main([*argv, "--validate-only", "--color", "off"], out, err) == 252
    assert err.getvalue().splitlines()[-1] == "1 error(s), 1 warning(s); nothing was sent."
    codes = [line.split()[2].rstrip(":") for line in out.getvalue().splitlines()]
    assert codes == ["amplify.app-id", "cognito.implicit-grant"]


def test_a_sent_requests_warnings_are_coloured_as_asked(emulator, cli):
    request = json.loads(_with_an_error_and_a_warning())
    request.update(AppId=emulator.create_app("warned"), BackendEnvironmentName="dev")
    given = ["create-backend-auth", "--cli-input-json", json.dumps(request)]
    code, _, err = cli(*given, "--color", "on")
    assert code == 0, err
    warning = [line for line in err.splitlines() if "cognito.implicit-grant" in line]
    assert len(warning) == 1 and "\033[" in warning[0]
    request["AppId"] = emulator.create_app("plain")
    code, _, err = cli(
        "create-backend-auth", "--cli-input-json", json.dumps(request), "--color", "off"
    )
    assert code == 0, err
    assert "cognito.implicit-grant" in err and "\033[" not in err


def test_wait_with_a_history_that_cannot_open_warns_and_still_follows_the_job(
    emulator, cli, tmp_path, monkeypatch
):
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path))  # a folder, not a database
    app_id = emulator.create_app("unrecorded")
    code, out, err = cli(
        "create-backend-auth", "--cli-input-json", request_file(tmp_path, app_id), "--wait"
    )
    assert code == 0, err
    assert json.loads(out)["Status"] == "COMPLETED"
    first = err.splitlines()[0]
    assert first.startswith("warning: job history not available (")
    assert first.endswith("); this run is not recorded")


def test_wait_that_gives_up_puts_its_verdict_in_the_history(emulator, cli, tmp_path, monkeypatch):
    """The tracker keeps its local verdict (TIMED_OUT) in the user's history, as the app's does:
    the job is then known as timed out there, not as still running."""
    from amplify_auth_widgets.jobs.history import JobHistory

    path = tmp_path / "history.sqlite"
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(path))
    app_id = emulator.create_app("gave-up")
    emulator.slow.add(app_id)
    given = ("--cli-input-json", request_file(tmp_path, app_id), "--wait", "--wait-timeout", "0.3")
    code, out, _ = cli("create-backend-auth", *given)
    assert code == 255
    job = json.loads(out)["JobId"]
    history = JobHistory(path)
    try:
        row = history.jobs().set_index("job_id").loc[job]
        assert row["local_verdict"] == str(Verdict.TIMED_OUT) and bool(row["timed_out"])
    finally:
        history.close()


def test_output_table_is_titled_with_the_operation(emulator, cli, tmp_path):
    app_id = emulator.create_app("titled")
    given = ("--cli-input-json", request_file(tmp_path, app_id), "--output", "table")
    code, out, err = cli("create-backend-auth", *given)
    assert code == 0, err
    assert "CreateBackendAuth" in out.splitlines()[1]


def test_debug_redacts_a_provider_given_whole_as_text_with_no_validate(emulator, cli):
    """A social provider given as a string instead of an object may hold its secret anywhere in
    it: --debug's request line replaces it whole, also when --no-validate lets it be sent."""
    request = valid_request(AppId=emulator.create_app("careless"), BackendEnvironmentName="dev")
    oauth = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]
    oauth["SocialProviderSettings"]["Facebook"] = "id=abc secret=s3cr3t-in-a-string"
    given = ("--cli-input-json", json.dumps(request), "--no-validate", "--debug")
    _, _, err = cli("create-backend-auth", *given)
    line = next(x for x in err.splitlines() if x.startswith("debug: CreateBackendAuth request "))
    sent = json.loads(line.removeprefix("debug: CreateBackendAuth request "))
    facebook = sent["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    assert facebook["Facebook"] == "<redacted>"
    assert "s3cr3t-in-a-string" not in err


def test_debug_prints_an_unexpected_errors_traceback_whole_then_the_one_line(monkeypatch):
    from amplify_auth_widgets.cli import entry

    def fail(args, console):  # an error no handler expects
        raise RuntimeError("boom")

    monkeypatch.setattr(entry, "run_api_command", fail)
    out, err = io.StringIO(), io.StringIO()
    argv = ["get-backend-auth", "--app-id", "d1demotodo", "--backend-environment-name", "dev"]
    assert main([*argv, "--resource-name", "demo", "--debug"], out, err) == 255
    lines = err.getvalue().splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-2:] == [
        "RuntimeError: boom",
        "error: RuntimeError: boom (run with --debug for details)",
    ]
    assert all(line.startswith(("  ", "Traceback", "RuntimeError", "error:")) for line in lines)

"""`amplify-auth` itself in this process (``entry.main``): the words of its help (the top level,
an API command's, `validate`'s), the defaults it documents, and which commands offer --wait. A
mutation run of cli/entry.py found most of the help's words and defaults checked by no test
that runs the mutant (only by the installed command in a subprocess)."""

from __future__ import annotations

import io

import pytest

from amplify_auth_widgets.cli.entry import build_parser, main

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

"""The ``amplify-auth`` command: the AWS CLI's amplifybackend auth commands, checked first.

Each API command (``create-backend-auth``, ``get-backend-job``, ...) takes its options from the
operation's input shape: one ``--member-name`` per member, as the AWS CLI names them, structures
and lists as JSON or ``file://``; then the AWS CLI's global options. Beyond the AWS CLI:
``--validate-only`` prints findings and sends nothing, ``--wait`` follows the job to its end
with progress on stderr, ``validate FILE...`` checks skeleton files, ``emulator`` runs the
local service, and ``app`` runs the notebook app.

Help is the AWS CLI's: ``help`` at any level (``amplify-auth help``, ``amplify-auth
create-backend-auth help``, ``amplify-auth fleet audit help``) as well as ``--help``, and an API
command's help documents every member of its structure options (``cli.helpdoc``).
``--generate-cli-skeleton`` writes the AWS CLI's skeletons (``yaml-input`` with v2's comments)
and two of ours, ``input-minimal`` and ``yaml-input-minimal``: only the required members.

Exit codes follow the AWS CLI v2: 0 success, 252 bad syntax or parameters (and any request with
error findings, which is never sent), 253 bad configuration, 254 an error from the service,
255 anything else. No traceback reaches the user unless ``--debug`` asks for it.

Every command is dispatched one way: its subparser sets ``run`` (``set_defaults(run=...)``),
``main`` calls ``args.run(args, console)``, and ``exit_code_of_error`` is the one place an
exception becomes an exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO
from urllib.parse import urlsplit

import jmespath  # botocore's own dependency: already loaded with the service model
from jmespath.exceptions import JMESPathError

from .. import __version__
from ..client.connection import ConfigurationError
from ..client.service import ApiError, BackendAuthService, ValidationFailed
from ..core.findings import errors
from ..core.lifecycle import JobStatus, Verdict
from ..core.model import FieldSpec, doc_text, operation_model, request_spec, response_spec
from ..core.operations import commanded_operations, sending_operations
from ..core.secrets import quote, redact, scrub_text
from ..core.skeleton import (
    MAX_DIGITS,
    SKELETON_KINDS,
    InputError,
    cli_name,
    generate_skeleton,
    load_cli_input,
    load_skeleton_file,
    merge_cli_input,
    parse_json,
    read_value,
)
from ..core.validation import validate
from ..jobs.history import JobHistory
from .common import (
    Console,
    UsageError,
    add_color_option,
    add_connection_options,
    connection_from_args,
    open_history,
    print_findings,
    seconds,
    status_exit_code,
)
from .exitcodes import (
    EXIT_CONFIG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OTHER,
    EXIT_SERVICE,
    EXIT_USAGE,
)
from .fleet import add_fleet_commands
from .gen2 import add_export_gen2
from .helpdoc import HelpFormatter, enum_help, help_argv, members_epilog
from .migrate import add_migrate
from .output import OUTPUT_FORMATS, paint, render, render_finding
from .services import add_service_commands


def starts_job(operation: str) -> bool:
    """True for an operation whose response names a job its request did not: one to --wait on."""
    return "JobId" in response_spec(operation).member_names and "JobId" not in (
        request_spec(operation).member_names
    )


NO_EFFECT = "accepted for compatibility with the AWS CLI; it changes nothing here, because {why}"


class _Parser(argparse.ArgumentParser):
    """A parser whose errors raise ``UsageError`` (exit 252) instead of exiting with 2, and
    whose help ends with the members of ``members``' structure options (``members_epilog``),
    written only when help is asked for: every command builds every parser."""

    def __init__(self, *args: Any, members: FieldSpec | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members

    def format_help(self) -> str:
        if self.members is not None and self.epilog is None:
            self.epilog = members_epilog(self.members) or None
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message} (see '{self.prog} --help')")


def _unrecognized(parser: argparse.ArgumentParser, command: str | None, extra: list[str]) -> str:
    """The message for unknown options, with the nearest real option for each."""
    target = parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            target = action.choices[command]
    known = [o for a in target._actions for o in a.option_strings]
    lines = [f"{target.prog}: error: unrecognized arguments: {' '.join(extra)}"]
    for word in extra:
        if word.startswith("-"):
            close = difflib.get_close_matches(word.split("=")[0], known, n=1)
            if close:
                lines.append(f"  {word}: did you mean {close[0]}?")
    lines.append(f"See '{target.prog} --help'.")
    return "\n".join(lines)


def _add_global_options(parser: argparse.ArgumentParser, operation: str) -> None:
    """The options every API command has beyond its request members, grouped as its --help
    lists them: input, connection, output, and the AWS CLI's that change nothing here."""
    _add_input_options(parser, operation)
    add_connection_options(parser)
    _add_output_options(parser)
    _add_no_effect_options(parser)


def _add_input_options(parser: argparse.ArgumentParser, operation: str) -> None:
    """Where the request comes from, whether it is checked or sent, and --wait for a job."""
    g = parser.add_argument_group("input")
    source = g.add_mutually_exclusive_group()
    source.add_argument(
        "--cli-input-json",
        metavar="JSON",
        help="the request as JSON, or file://path; options given explicitly override it",
    )
    source.add_argument(
        "--cli-input-yaml",
        metavar="YAML",
        help="the request as YAML, or file://path; options given explicitly override it",
    )
    g.add_argument(
        "--generate-cli-skeleton",
        nargs="?",
        const="input",
        choices=SKELETON_KINDS,
        help="print a skeleton and exit: of the request as JSON (input, the default) or as "
        "YAML commented as the AWS CLI v2 does (yaml-input: [REQUIRED], each member's "
        "documentation, its valid values), of the response (output); input-minimal and "
        "yaml-input-minimal hold only the required members, the values to fill",
    )
    g.add_argument(
        "--validate-only",
        action="store_true",
        help="check the request and print every finding; send nothing",
    )
    g.add_argument(
        "--no-validate",
        action="store_true",
        help="send the request even if it has error findings (the service decides)",
    )
    if starts_job(operation):
        _add_wait_options(g)


def _add_wait_options(group: Any) -> None:
    """--wait and its timeout, for an operation that starts a job."""
    group.add_argument(
        "--wait",
        action="store_true",
        help="follow the job the request starts until it is COMPLETED or FAILED; "
        "progress goes to stderr",
    )
    group.add_argument(
        "--wait-timeout",
        type=seconds,
        default=1800.0,
        metavar="SECONDS",
        help="with --wait, give up after this long (default 1800)",
    )


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    """The AWS CLI's output options, and --show-secrets."""
    o = parser.add_argument_group("output (as the AWS CLI)")
    o.add_argument("--output", choices=OUTPUT_FORMATS, default="json")
    o.add_argument("--query", help="a JMESPath expression applied to the response")
    add_color_option(o)
    o.add_argument("--no-cli-pager", action="store_true", help="output is never paged here")
    o.add_argument(
        "--no-paginate",
        action="store_true",
        help="fetch only the first page (list commands fetch all pages by default)",
    )
    o.add_argument(
        "--debug",
        action="store_true",
        help="log the request and response to stderr, secrets redacted",
    )
    o.add_argument(
        "--show-secrets",
        action="store_true",
        help="print ClientSecret and PrivateKey values in the output (redacted by default)",
    )


def _add_no_effect_options(parser: argparse.ArgumentParser) -> None:
    """The AWS CLI's options that mean nothing here: accepted, so that its commands paste."""
    n = parser.add_argument_group("accepted, with no effect here")
    n.add_argument(
        "--cli-binary-format",
        choices=("base64", "raw-in-base64-out"),
        help=NO_EFFECT.format(why="no member of this API is binary"),
    )
    n.add_argument(
        "--cli-auto-prompt",
        action="store_true",
        help=NO_EFFECT.format(why="every option can be given or read from --cli-input-*"),
    )
    n.add_argument(
        "--no-cli-auto-prompt",
        action="store_true",
        help=NO_EFFECT.format(why="nothing ever prompts"),
    )


def _add_member_options(parser: argparse.ArgumentParser, spec: FieldSpec) -> None:
    """One option per member of the request, named and typed as the AWS CLI does."""
    g = parser.add_argument_group("request members (from the service model)")
    for member in spec.members:
        option = f"--{cli_name(member.name)}"
        doc = member.documentation or member.name
        kind = {"structure": "JSON or file://path", "list": "JSON list or file://path"}.get(
            member.type, member.type
        )
        below = "; its members are below" if member.is_structure or member.is_list else ""
        required = "; required" if member.required else ""
        help_text = f"{doc}{enum_help(member)} ({kind}{required}{below})".replace("%", "%%")
        if member.type == "boolean":
            g.add_argument(
                option,
                dest=member.name,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=help_text,
            )
        else:
            g.add_argument(option, dest=member.name, metavar="VALUE", help=help_text)


def build_parser() -> argparse.ArgumentParser:
    """The ``amplify-auth`` parser: every subparser sets ``run``, the function that runs it."""
    parser = _Parser(
        prog="amplify-auth",
        description="Compose, check, send and follow AWS Amplify backend auth requests. "
        "Works against AWS or the built-in local emulator.",
        epilog="Run 'amplify-auth COMMAND help' (or --help) for a command's options; an API "
        "command's help documents every member of its structure options.",
    )
    parser.add_argument("--version", action="version", version=f"amplify-auth {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_api_commands(sub)
    _add_validate(sub)
    add_service_commands(sub)
    add_export_gen2(sub)
    add_migrate(sub)
    add_fleet_commands(sub)
    return parser


def _add_api_commands(sub: Any) -> None:
    """A command per operation the CLI speaks (``core.operations``), in --help's order."""
    for operation in commanded_operations():
        doc = doc_text(operation_model(operation).documentation or "") or operation
        first = doc.split(". ")[0].rstrip(".") + "."
        p = sub.add_parser(
            cli_name(operation),
            help=first,
            description=doc,
            formatter_class=HelpFormatter,
            members=request_spec(operation),
        )
        p.set_defaults(operation=operation, run=run_api_command)
        _add_member_options(p, request_spec(operation))
        _add_global_options(p, operation)


def _add_validate(sub: Any) -> None:
    """``validate FILE...``: check request files offline."""
    v = sub.add_parser(
        "validate",
        help="Check skeleton files (JSON or YAML) and print every finding.",
        description="Check request files, as --cli-input-json/--cli-input-yaml would read "
        "them, and print findings as `path: severity code: message`. Exit 252 if any file has "
        "an error.",
    )
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument(
        "--operation",
        default="CreateBackendAuth",
        choices=sending_operations(),
        help="the operation whose request shape the files hold",
    )
    add_color_option(v)
    v.set_defaults(run=run_validate)


# -- reading the request -------------------------------------------------------------------


def _convert(value: str, member: FieldSpec, option: str) -> Any:
    """An option's text as the member's type: JSON for structures and lists, numbers read."""
    if member.type in ("structure", "list"):
        text = read_value(value, option)
        if member.type == "structure" and not text.lstrip().startswith(("{", "[", '"')):
            raise UsageError(
                f"{option}: expected JSON (or file://path), such as "
                f'\'{{"AuthResources": "USER_POOL_ONLY", ...}}\'; the shorthand syntax is not '
                "supported."
            )
        return parse_json(text, option)
    if member.type in ("integer", "long"):
        try:
            if len(value) <= MAX_DIGITS:  # Python refuses to read over 4,300 digits anyway
                return int(value)
        except ValueError:
            pass
        raise UsageError(f"{option}: {quote(value)} is not a whole number of at most 19 digits.")
    if member.type in ("double", "float"):
        try:
            return float(value)
        except ValueError:
            raise UsageError(f"{option}: {quote(value)} is not a number.") from None
    return value


def request_from_args(args: argparse.Namespace, spec: FieldSpec) -> dict[str, Any]:
    """The request: the cli-input file (if any), overridden by the options given."""
    base: dict[str, Any] = {}
    if args.cli_input_json is not None:
        base = load_cli_input(args.cli_input_json, "json")
    elif args.cli_input_yaml is not None:
        base = load_cli_input(args.cli_input_yaml, "yaml")
    explicit: dict[str, Any] = {}
    for member in spec.members:
        value = getattr(args, member.name, None)
        if value is not None:
            option = f"--{cli_name(member.name)}"
            explicit[member.name] = (
                value if isinstance(value, bool) else _convert(value, member, option)
            )
    return merge_cli_input(base, explicit)


# -- running -------------------------------------------------------------------------------


def run_api_command(args: argparse.Namespace, console: Console) -> int:
    """Run an API command: read the request, check it, send it (unless its findings stop it),
    follow the job with --wait, and print the response as --output and --query ask."""
    operation: str = args.operation
    if not hasattr(args, "query_expression"):  # called without main(), which checks options
        check_options(args)
    if args.generate_cli_skeleton:
        console.out(generate_skeleton(args.generate_cli_skeleton, operation))
        return EXIT_OK
    request = request_from_args(args, request_spec(operation))
    stopped = _check_request(request, args, console)
    if stopped is not None:
        return stopped
    service, history = _service(request, args, console)
    try:
        response = _send(service, request, args)
    except ValidationFailed as exc:  # pragma: no cover - validated above
        print_findings(exc.findings, console, to_stderr=True)
        return EXIT_USAGE
    if args.debug:
        console.err(f"debug: {operation} response {json.dumps(redact(response), default=str)}")
    exit_code = EXIT_OK
    if getattr(args, "wait", False) and response.get("JobId"):
        response, exit_code = _wait(service, history, request, response, args, console)
    _print_result(response, args, console, operation)
    return exit_code


def _check_request(
    request: dict[str, Any], args: argparse.Namespace, console: Console
) -> int | None:
    """Validate the request: the exit code when the command ends here (--validate-only, or
    error findings without --no-validate), else None after printing any warnings."""
    findings = validate(request, args.operation)
    n_err = len(errors(findings))
    if args.validate_only:
        print_findings(findings, console)
        console.err(f"{n_err} error(s), {len(findings) - n_err} warning(s); nothing was sent.")
        return EXIT_USAGE if n_err else EXIT_OK
    if n_err and not args.no_validate:
        print_findings(findings, console, to_stderr=True)
        console.err(f"{args.operation} was not sent: fix the errors above (or pass --no-validate).")
        return EXIT_USAGE
    for finding in findings:
        if not finding.is_error:
            console.err(render_finding(finding, console.color_err))
    return None


def _service(
    request: dict[str, Any], args: argparse.Namespace, console: Console
) -> tuple[BackendAuthService, JobHistory | None]:
    """The service the options connect to (logged with --debug), and with --wait the job
    history that records its calls (the tracker learns job durations from it)."""
    connection = connection_from_args(args)
    if args.debug:
        console.err(f"debug: connection {json.dumps(connection.describe())}")
        console.err(
            f"debug: {args.operation} request {json.dumps(redact(request, args.operation))}"
        )
    service = BackendAuthService(connection)
    history = None
    if getattr(args, "wait", False):
        history = open_history(console)
        service.on_call = history.record_call
    return service, history


def _send(
    service: BackendAuthService, request: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    """Send the request (validated already: ``force``); ListBackendJobs reads every page
    unless --no-paginate."""
    if args.operation != "ListBackendJobs":
        return service.call(args.operation, request, force=True)
    filters = {k: v for k, v in request.items() if k not in ("AppId", "BackendEnvironmentName")}
    jobs = service.list_backend_jobs(
        request.get("AppId", ""),
        request.get("BackendEnvironmentName", ""),
        max_pages=1 if args.no_paginate else None,
        **filters,
    )
    return {"Jobs": jobs}


def _wait(
    service: BackendAuthService,
    history: JobHistory | None,
    request: dict[str, Any],
    response: dict[str, Any],
    args: argparse.Namespace,
    console: Console,
) -> tuple[dict[str, Any], int]:
    """Follow the job with the JobTracker: the same polling policy as the app and the fleet.
    The exit code is its final status's (``status_exit_code``), as the fleet's is."""
    # deferred: thread pools and statistics (~10 ms), which only --wait needs
    from ..jobs.tracker import JobTracker, TrackerPolicy

    tracker = JobTracker(service, history, policy=TrackerPolicy(deadline=args.wait_timeout))

    def progress(job: Any, old: str | None, new: str) -> None:
        console.err(f"job {job.job_id}: {new} after {tracker.clock() - job.created:.0f}s")

    tracker.on_change(progress)
    console.err(f"job {response['JobId']}: {response.get('Status', '?')}")
    job = tracker.follow(response, args.operation, request)
    assert job is not None  # the response names a job
    final = {**response, **job.last}
    if job.status == Verdict.TIMED_OUT:
        console.err(
            f"job {job.job_id}: not finished after {args.wait_timeout:g}s; stopped "
            "waiting (a local verdict: the job goes on). Follow it with get-backend-job."
        )
        final = {**final, "TimedOut": True}
    elif job.status == Verdict.NOT_FOUND:
        message = f"job {job.job_id}: the service does not know it"
        console.err(paint(message, "error", console.color_err))
    elif job.status == JobStatus.FAILED:
        message = f"job {job.job_id} FAILED: {job.error or ''}"
        console.err(paint(message, "error", console.color_err))
    return final, status_exit_code([str(job.status)])


def check_options(args: argparse.Namespace) -> None:
    """Refuse bad option values of any command before anything is read or sent (argparse has
    checked types and ranges): a --query that does not compile, a --ca-bundle that is not a
    file, an --endpoint-url that is not an http(s) URL."""
    args.query_expression = None
    if getattr(args, "query", None):
        try:
            args.query_expression = jmespath.compile(args.query)
        except JMESPathError as exc:
            problem = str(exc).splitlines()[0].rstrip(":")
            raise UsageError(
                f"--query: {quote(args.query)} is not a JMESPath expression ({problem}, at "
                f"column {getattr(exc, 'lex_position', 0) + 1}); nothing was sent."
            ) from None
    if getattr(args, "ca_bundle", None) and not os.path.isfile(args.ca_bundle):
        raise UsageError(f"--ca-bundle: {quote(args.ca_bundle)} is not a file; nothing was sent.")
    if getattr(args, "endpoint_url", None) and not _is_endpoint_url(args.endpoint_url):
        raise UsageError(
            f"--endpoint-url: {quote(args.endpoint_url)} is not an http:// or https:// URL "
            "with a host, such as http://127.0.0.1:4600; nothing was sent."
        )


def _is_endpoint_url(text: str) -> bool:
    """True for an http(s) URL with a host (and a port other than 0), without whitespace."""
    try:
        parts = urlsplit(text)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        valid = False
    return valid and not any(c.isspace() for c in text)


def _print_result(response: Any, args: argparse.Namespace, console: Console, title: str) -> None:
    """The response, secrets redacted unless --show-secrets, through --query, as --output."""
    data = response if args.show_secrets else redact(response)
    if args.query_expression is not None:
        data = args.query_expression.search(data)
        if data is None:
            return
    console.out(render(data, args.output, title))


def run_validate(args: argparse.Namespace, console: Console) -> int:
    """``validate FILE...``: every file's findings, and 252 if any file has an error."""
    failed = False
    for name in args.files:
        if len(args.files) > 1:
            console.out(f"# {name}")
        try:
            request = load_skeleton_file(name)
        except InputError as exc:
            console.out(f"(file): {paint('error', 'error', console.color_out)} input.file: {exc}")
            failed = True
            continue
        findings = validate(request, args.operation)
        print_findings(findings, console)
        n_err = len(errors(findings))
        failed = failed or n_err > 0
        summary = f"{name}: {n_err} error(s), {len(findings) - n_err} warning(s)"
        console.err(paint(summary, "error" if n_err else "ok", console.color_err))
    return EXIT_USAGE if failed else EXIT_OK


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command; return its exit code (the console script exits with it)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    console = Console(stdout, stderr)
    try:
        parser = build_parser()
        argv = help_argv(parser, argv) or argv  # the AWS CLI's `help` word at any level
        with contextlib.redirect_stdout(stdout):  # --help and --version write to stdout
            args, extra = parser.parse_known_args(argv)
        if extra:
            raise UsageError(_unrecognized(parser, args.command, extra))
        console = Console(stdout, stderr, getattr(args, "color", "auto"))
        if args.command is None:
            parser.print_help(stdout)
            return EXIT_USAGE
        check_options(args)
        return int(args.run(args, console))
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_OK
    except (Exception, KeyboardInterrupt) as exc:
        return exit_code_of_error(exc, console, debug="--debug" in argv)


def exit_code_of_error(exc: BaseException, console: Console, debug: bool = False) -> int:
    """The one place an exception that ends a command becomes its message and exit code:
    bad input 252, bad configuration 253, the service's error 254, Ctrl-C 130, anything else
    255 (its text scrubbed of secrets, with the traceback only if ``debug``)."""
    if isinstance(exc, UsageError):
        console.err(str(exc))
        return EXIT_USAGE
    if isinstance(exc, InputError):
        console.err(f"error: {exc}")
        return EXIT_USAGE
    if isinstance(exc, ConfigurationError):
        console.err(f"configuration error: {exc}")
        return EXIT_CONFIG
    if isinstance(exc, ApiError):
        console.err(f"error: {exc}")
        if exc.request_id:
            console.err(f"request id: {exc.request_id}")
        return EXIT_SERVICE if exc.is_service_error else EXIT_OTHER
    if isinstance(exc, KeyboardInterrupt):
        console.err("interrupted")
        return EXIT_INTERRUPTED
    # An unexpected error's text can quote what it was handed (botocore's do): scrub it like
    # every other output, the traceback that --debug asks for included.
    if debug:
        console.stderr.write(scrub_text("".join(traceback.format_exception(exc))))
    message = scrub_text(f"{type(exc).__name__}: {exc}")
    console.err(f"error: {message} (run with --debug for details)")
    return EXIT_OTHER


def entry_point() -> NoReturn:
    """The ``amplify-auth`` console script."""
    sys.exit(main())

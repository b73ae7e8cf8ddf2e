"""``amplify-auth export-gen2``: a backend auth configuration as Amplify Gen 2 code.

The configuration comes from a request file (``--cli-input-json`` / ``--cli-input-yaml``) or,
given a target (``--app-id``, ``--backend-environment-name``, ``--resource-name``), from the
service with GetBackendAuth. The files go to ``--out DIR`` (a Gen 2 project root) or to stdout;
``--table`` prints the mapping of every configured member instead. Under ``--out``, a file that
exists and differs is replaced only with ``--force`` (its old text kept as ``NAME.bak``), and
nothing is written through a symbolic link. Secrets are never written:
the code reads them with ``secret("NAME")`` and stderr lists the commands that set them.
Exit codes are the other commands': 252 bad input or a request with errors, 253 bad
configuration, 254 an error from the service.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from ..client.service import BackendAuthService
from ..core.findings import errors
from ..core.operations import configuration_operations
from ..core.skeleton import load_cli_input, redact
from ..core.validation import validate
from .common import (
    UsageError,
    add_color_option,
    add_connection_options,
    connection_from_args,
    print_findings,
)
from .exitcodes import EXIT_OK, EXIT_OTHER, EXIT_USAGE
from .output import paint

if TYPE_CHECKING:
    from ..gen2 import Gen2Export, Written

TARGET = ("app_id", "backend_environment_name", "resource_name")


def add_export_gen2(sub: Any) -> None:
    """Add ``export-gen2`` to the ``amplify-auth`` subcommands."""
    p = sub.add_parser(
        "export-gen2",
        help="Export a backend auth configuration as Amplify Gen 2 code (defineAuth).",
        description="Turn a backend auth configuration (a request file, or the current one "
        "read from the service) into amplify/auth/resource.ts and amplify/backend.ts for "
        "Amplify Gen 2, with a table of where every configured member went.",
    )
    source = p.add_argument_group("the configuration (a file, or a target to read)")
    files = source.add_mutually_exclusive_group()
    files.add_argument("--cli-input-json", metavar="JSON", help="a request as JSON, or file://")
    files.add_argument("--cli-input-yaml", metavar="YAML", help="a request as YAML, or file://")
    source.add_argument("--app-id", help="read the configuration of this app from the service")
    source.add_argument("--backend-environment-name", help="... in this environment")
    source.add_argument("--resource-name", help="... of this auth resource")
    source.add_argument(
        "--operation",
        dest="shape",
        default="CreateBackendAuth",
        choices=configuration_operations(),
        help="the request shape a file holds (default CreateBackendAuth)",
    )
    source.add_argument(
        "--no-validate", action="store_true", help="export even a request with error findings"
    )
    out = p.add_argument_group("output")
    out.add_argument("--out", metavar="DIR", help="write the files under DIR (a project root)")
    out.add_argument(
        "--force",
        action="store_true",
        help="with --out, replace files that differ from the export (each kept as NAME.bak)",
    )
    out.add_argument(
        "--table", action="store_true", help="print the mapping table instead of the files"
    )
    add_color_option(out)
    out.add_argument("--debug", action="store_true", help="log the configuration, secrets redacted")
    add_connection_options(p)
    p.set_defaults(run=run_export_gen2)


def _configuration(args: argparse.Namespace, console: Any) -> tuple[dict[str, Any], str] | None:
    """The configuration and its request shape: the service's current one for a target, or a
    request file's (None, the findings printed, when it has errors and no --no-validate; with
    it, the findings are printed and the export goes on)."""
    given = [f"--{n.replace('_', '-')}" for n in TARGET if getattr(args, n)]
    from_file = args.cli_input_json is not None or args.cli_input_yaml is not None
    if from_file and given:
        raise UsageError(
            f"export-gen2: give a request file or a target ({', '.join(given)}), not both."
        )
    if not from_file:
        missing = [f"--{n.replace('_', '-')}" for n in TARGET if not getattr(args, n)]
        if missing:
            raise UsageError(
                "export-gen2: give --cli-input-json/--cli-input-yaml FILE, or a target: "
                f"{', '.join(missing)} missing."
            )
        service = BackendAuthService(connection_from_args(args))
        response = service.get_backend_auth(*(getattr(args, n) for n in TARGET))
        return response, "CreateBackendAuth"
    if args.cli_input_json is not None:
        request = load_cli_input(args.cli_input_json, "json")
    else:
        request = load_cli_input(args.cli_input_yaml, "yaml")
    findings = validate(request, args.shape)
    n_errors = len(errors(findings))
    if n_errors:  # with --no-validate too: nothing else would say what the files lack
        print_findings(findings, console, to_stderr=True)
        if not args.no_validate:
            console.err("nothing was exported: fix the errors above (or pass --no-validate).")
            return None
        console.err(
            f"--no-validate: exporting despite the {n_errors} error(s) above; a value the "
            "service would refuse may be missing from the files, or wrong in them."
        )
    return request, args.shape


def run_export_gen2(args: argparse.Namespace, console: Any) -> int:
    """``export-gen2``: the files, to --out or stdout, or the mapping --table; then what was
    not mapped and the commands that set the secrets, on stderr."""
    from .. import gen2  # deferred: the exporter costs ~10 ms that no other command needs

    found = _configuration(args, console)
    if found is None:
        return EXIT_USAGE
    config, operation = found
    if args.debug:
        console.err(f"debug: configuration {json.dumps(redact(config), default=str)}")
    try:
        export = gen2.export(config, operation)
    except (TypeError, ValueError) as exc:
        console.err(f"error: {exc}")
        return EXIT_USAGE
    if args.table:
        console.out(export.frame().to_string(index=False))
    elif args.out:
        try:
            written = export.write_files(args.out, force=args.force)
        except gen2.WriteRefused as exc:
            console.err(f"error: {exc}")
            return EXIT_USAGE
        except OSError as exc:
            console.err(f"error: cannot write the files under {args.out}: {exc}")
            return EXIT_OTHER
        _say_written(written, console)
    else:
        console.out(export.text())
    _print_notes(export, console)
    return EXIT_OK


def _say_written(written: list[Written], console: Any) -> None:
    """Say, per file written under --out, what became of it."""
    for w in written:
        if w.action == "unchanged":
            console.err(f"unchanged {w.path}")
        elif w.backup is not None:
            console.err(f"replaced {w.path} (its old text is in {w.backup})")
        else:
            console.err(f"wrote {w.path}")


def _print_notes(export: Gen2Export, console: Any) -> None:
    """On stderr: each member the export could not map, and the commands to set secrets."""
    for row in export.unmapped():
        line = f"{row['member']}: {row['status']}: {row['note']}"
        console.err(paint(line, "warning", console.color_err))
    if export.secrets:
        console.err("Set the secrets the code reads before deploying:")
        for command in export.secret_commands:
            console.err(f"  {command}")

"""`amplify-auth export-gen2` in this process (``entry.main``): its --help (the description,
each group and each option's words, the defaults, the two request files that cannot go
together), a request refused naming the option it came by, --debug's log of a YAML date, the
table's rows, and --operation's shape in the export itself. A mutation run of cli/gen2.py found
none of it checked."""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml
from conftest import valid_request

from amplify_auth_widgets import gen2
from amplify_auth_widgets.cli.entry import build_parser, main


def said(*argv: str) -> str:
    """A command's help, its words joined by single spaces whatever the terminal's width."""
    out, err = io.StringIO(), io.StringIO()
    assert main([*argv, "--help"], out, err) == 0 and err.getvalue() == ""
    return " ".join(out.getvalue().split())


def test_the_help_says_what_each_option_does():
    text = said("export-gen2")
    assert text.startswith(
        "usage: amplify-auth export-gen2 [-h] [--cli-input-json JSON | --cli-input-yaml YAML] "
        "[--app-id APP_ID] [--backend-environment-name BACKEND_ENVIRONMENT_NAME] "
        "[--resource-name RESOURCE_NAME] [--operation {CreateBackendAuth,UpdateBackendAuth}] "
        "[--no-validate] [--out DIR] [--force] [--table] [--color {on,off,auto}] [--debug] "
    )
    assert (
        "Turn a backend auth configuration (a request file, or the current one read from the "
        "service) into amplify/auth/resource.ts and amplify/backend.ts for Amplify Gen 2, with "
        "a table of where every configured member went. options: -h, --help show this help "
        "message and exit the configuration (a file, or a target to read): --cli-input-json "
        "JSON a request as JSON, or file:// --cli-input-yaml YAML a request as YAML, or file:// "
        "--app-id APP_ID read the configuration of this app from the service "
        "--backend-environment-name BACKEND_ENVIRONMENT_NAME ... in this environment "
        "--resource-name RESOURCE_NAME ... of this auth resource --operation "
        "{CreateBackendAuth,UpdateBackendAuth} the request shape a file holds (default "
        "CreateBackendAuth) --no-validate export even a request with error findings output: "
        "--out DIR write the files under DIR (a project root) --force with --out, replace files "
        "that differ from the export (each kept as NAME.bak) --table print the mapping table "
        "instead of the files --color {on,off,auto} --debug log the configuration, secrets "
        "redacted connection (as the AWS CLI): --endpoint-url ENDPOINT_URL the service URL, "
        "e.g. the local emulator's --no-verify-ssl do not verify TLS certificates --ca-bundle "
        "CA_BUNDLE the CA bundle to verify TLS certificates with --profile PROFILE a profile "
        "from your AWS config --region REGION the AWS region --cli-read-timeout SECONDS "
        "--cli-connect-timeout SECONDS --no-sign-request send unsigned requests"
    ) in text
    assert (
        "export-gen2 Export a backend auth configuration as Amplify Gen 2 code (defineAuth)."
        in said()
    )


def test_the_defaults_the_help_gives():
    args = build_parser().parse_args(["export-gen2"])
    assert (args.shape, args.color, args.cli_input_json, args.cli_input_yaml) == (
        "CreateBackendAuth",
        "auto",
        None,
        None,
    )
    assert not any((args.no_validate, args.force, args.table, args.debug))
    assert (args.out, args.app_id, args.backend_environment_name, args.resource_name) == (
        None,
        None,
        None,
        None,
    )


def test_one_request_file_at_most_and_a_known_operation():
    out, err = io.StringIO(), io.StringIO()
    code = main(["export-gen2", "--cli-input-json", "{}", "--cli-input-yaml", "{}"], out, err)
    assert code == 252 and out.getvalue() == ""
    assert "argument --cli-input-yaml: not allowed with argument --cli-input-json" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    code = main(["export-gen2", "--operation", "DeleteBackendAuth"], out, err)
    assert code == 252
    assert "argument --operation: invalid choice: 'DeleteBackendAuth'" in err.getvalue()


def test_a_request_that_is_not_an_object_names_the_option_it_came_by():
    for option, text, says in (
        ("--cli-input-json", "[1", "--cli-input-json line 1, column 3: malformed JSON: "),
        ("--cli-input-json", "[1]", "--cli-input-json: the input must be an object of request "),
        ("--cli-input-yaml", "[1", "--cli-input-yaml line 2, column 1: malformed YAML: "),
        ("--cli-input-yaml", "[1]", "--cli-input-yaml: the input must be an object of request "),
    ):
        out, err = io.StringIO(), io.StringIO()
        assert main(["export-gen2", option, text], out, err) == 252
        assert err.getvalue().startswith(f"error: {says}"), (option, text, err.getvalue())


def export(tmp_path: Path, request: dict, *argv: str) -> tuple[int, str, str]:
    path = tmp_path / "auth.yaml"
    path.write_text(yaml.safe_dump(request))
    out, err = io.StringIO(), io.StringIO()
    code = main(["export-gen2", "--cli-input-yaml", f"file://{path}", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def test_debug_logs_a_yaml_date_as_text_before_the_export_refuses_it(tmp_path):
    request = valid_request()
    settings = {"EmailSubject": "x", "EmailMessage": "code {####}"}
    users = request["ResourceConfig"]["UserPoolConfigs"]
    users["VerificationMessage"] = {"DeliveryMethod": "EMAIL", "EmailSettings": settings}
    text = yaml.safe_dump(request).replace("EmailSubject: x", "EmailSubject: 2026-03-01")
    (tmp_path / "dated.yaml").write_text(text)  # YAML reads an unquoted date as a date
    out, err = io.StringIO(), io.StringIO()
    argv = ["--cli-input-yaml", f"file://{tmp_path / 'dated.yaml'}", "--no-validate", "--debug"]
    assert main(["export-gen2", *argv], out, err) == 252
    *told, debug, refusal = err.getvalue().splitlines()
    # the validator's finding first (a date is no string), as --no-validate prints it
    assert told[0].startswith(
        "ResourceConfig.UserPoolConfigs.VerificationMessage.EmailSettings.EmailSubject: error "
    )
    assert told[-1].startswith(f"--no-validate: exporting despite the {len(told) - 1} error(s)")
    logged = json.loads(debug.removeprefix("debug: configuration "))
    assert (
        logged["ResourceConfig"]["UserPoolConfigs"]["VerificationMessage"]["EmailSettings"][
            "EmailSubject"
        ]
        == "2026-03-01"
    )
    assert refusal.startswith("error: export() needs each member in the type the service model")


def test_the_table_s_rows_start_with_the_member_not_a_row_number(tmp_path):
    code, out, _ = export(tmp_path, valid_request(), "--table")
    rows = out.splitlines()
    assert code == 0 and rows[0].split()[0] == "member"
    # the export's frame as pandas writes it without an index: two spaces between columns
    as_read = yaml.safe_load((tmp_path / "auth.yaml").read_text())  # (its keys sorted)
    assert out == gen2.export(as_read).frame().to_string(index=False) + "\n"
    assert [row.split()[0] for row in rows[1:4]] == [
        "AppId",
        "BackendEnvironmentName",
        "ResourceConfig.AuthResources",
    ]


def test_an_update_s_request_is_exported_as_an_update(tmp_path):
    """--operation names the shape the export walks and type-checks: a member an update does
    not have is not checked against the create's type (its validation is skipped here)."""
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = 5
    code, _, err = export(tmp_path, request, "--no-validate", "--table")
    assert code == 252 and "UserPoolName must be a string, not a number (5)" in err
    argv = ("--no-validate", "--table", "--operation", "UpdateBackendAuth")
    code, out, err = export(tmp_path, request, *argv)
    assert code == 0 and "must be a string" not in err
    assert "ResourceConfig.UserPoolConfigs.UserPoolName" in out

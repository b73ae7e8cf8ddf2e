"""`amplify-auth export-gen2 --help` in this process (``entry.main``): the description, each
group and each option's words, the defaults, and the two request files that cannot go
together. A mutation run of cli/gen2.py found none of its help checked."""

from __future__ import annotations

import io

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

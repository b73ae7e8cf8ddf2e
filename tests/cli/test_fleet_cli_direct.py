"""`amplify-auth fleet` called directly (``cli.entry.main``), so that what its commands say
and write is checked against the code under test: each command's help, the option checks word
for word, every refusal of a targets CSV, the audit's and the plan's tables and files, the
apply's table, duplicates and exit codes, the progress bar on stderr, and the saved audit's
line. A mutation run of cli/fleet.py found much of it unchecked. (Not named "in_process":
mutation runs deselect every test whose name holds "process".)"""

from __future__ import annotations

import copy
import io
import json
import re

import pandas as pd
import pytest
from conftest import sign_as_emulator

from amplify_auth_widgets.cli.entry import build_parser, main
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import LEGACY, SOCIAL, fleet_config

#: An app without a name (its id stands for it), and one whose password-reset message holds
#: text beyond ASCII (a plan's reason quotes it).
NAMELESS, ACCENTED, SOCIAL_ONLY = "d7noname", "d7accent", "d7social"
RESET = "Code für {####}"


@pytest.fixture(autouse=True)
def credentials(monkeypatch, tmp_path):
    sign_as_emulator(monkeypatch)
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "history.sqlite3"))


@pytest.fixture(scope="module")
def emu():
    with Emulator(job_seconds=0, seed=12, demo=True) as emulator:
        store, now = emulator.backend.store, emulator.clock()
        store.put_app(NAMELESS, "", {}, now)
        store.put_environment(NAMELESS, "prod", {}, now)
        store.put_auth(NAMELESS, "prod", "namelessauth", fleet_config(0, "prod", None), now)
        legacy = copy.deepcopy(LEGACY)
        forgot = legacy["UserPoolConfigs"]["ForgotPassword"]
        forgot["EmailSettings"]["EmailMessage"] = RESET
        store.put_app(ACCENTED, "accented", {}, now)
        store.put_environment(ACCENTED, "main", {}, now)
        store.put_auth(ACCENTED, "main", "accentauth", legacy, now)
        social = copy.deepcopy(SOCIAL)  # no identity pool: recreate, and its secrets to set
        social["AuthResources"] = "USER_POOL_ONLY"
        social.pop("IdentityPoolConfigs")
        store.put_app(SOCIAL_ONLY, "social-only", {}, now)
        store.put_environment(SOCIAL_ONLY, "dev", {}, now)
        store.put_auth(SOCIAL_ONLY, "dev", "socialauth", social, now)
        yield emulator


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def fleet(emu, *argv: str) -> tuple[int, str, str]:
    return run("fleet", *argv, "--endpoint-url", emu.url, "--no-progress")


def said(*argv: str) -> str:
    """A command's help, its words joined by single spaces whatever the terminal's width."""
    code, out, err = run(*argv, "--help")
    assert (code, err) == (0, "")
    return " ".join(out.split())


SHARED_HELP = (
    "--concurrency N targets at a time (default 8) "
    "--output FORMAT [FILE ...] table, csv, json, parquet (default table), to FILE or stdout; "
    "parquet needs a FILE --color {on,off,auto} --no-progress no progress bar on stderr "
    "connection (as the AWS CLI): --endpoint-url ENDPOINT_URL the service URL, e.g. the local "
    "emulator's --no-verify-ssl do not verify TLS certificates --ca-bundle CA_BUNDLE the CA "
    "bundle to verify TLS certificates with --profile PROFILE a profile from your AWS config; "
    "more than once: each profile in each region --region REGION the AWS region; more than "
    "once: each profile in each region"
)
SELECTION_HELP = (
    "--apps APPS app ids or names, comma-separated (default: all) "
    "--environments ENVIRONMENTS environment names, comma-separated"
)


def test_the_fleet_help_names_each_action_with_what_it_does():
    text = said("fleet")
    assert text.startswith("usage: amplify-auth fleet [-h] ACTION ...")
    assert (
        "Work on many apps and environments at once. positional arguments: ACTION "
        "audit A row per app and environment: configuration, findings, errors. "
        "apply Apply a request file to the targets of a CSV. "
        "plan The move to Gen 2: a way and a verdict per environment, with reasons. "
        "drift What changed between audits saved with `fleet audit --save`."
    ) in text
    assert (
        "fleet Audit the auth of every app and environment, apply one to many, or plan the "
        "move to Gen 2." in said()
    )
    code, _, err = run("fleet")
    assert code == 252 and "the following arguments are required: ACTION" in err


def test_the_audit_help_says_what_each_option_does():
    text = said("fleet", "audit")
    assert (
        "Read the auth of every environment of every app (or of --apps and --environments) "
        "into one table. Secrets are redacted. options: -h, --help show this help message and "
        f"exit {SELECTION_HELP} --save keep this audit with its time in the job history file, "
        f"for `fleet drift` (secrets only as digests) {SHARED_HELP}"
    ) in text


def test_the_plan_help_says_what_each_option_does():
    text = said("fleet", "plan")
    assert (
        "Audit every environment (or those of --apps and --environments), then plan its move "
        "to Amplify Gen 2 with its users: the way (keep: referenceAuth on the deployed pool; "
        "recreate: a new pool and a user-migration trigger), a verdict (ready, ready with "
        "overrides, needs a decision, blocked) and its reasons, the secrets to set and the "
        "cdk-nag findings. Keep is recommended where possible, recreate where keep is not "
        "(USER_POOL_ONLY), a decision where keeping would freeze a weak setting. Exit status: 0 "
        "when no environment is blocked, 1 when one or more are (the plan is printed whole all "
        f"the same). options: -h, --help show this help message and exit {SELECTION_HELP} "
        f"{SHARED_HELP}"
    ) in text
    assert "--save" not in text


def test_the_apply_help_says_what_each_option_does():
    text = said("fleet", "apply")
    assert "usage: amplify-auth fleet apply [-h] --template FILE --targets CSV " in text
    assert (
        "Read what every target has now and validate its request first, then send them with "
        "bounded concurrency (one job per app at a time) and follow every job together. A "
        "target that already has what its request would make it is UNCHANGED: nothing is sent "
        "(a run again sends nothing); a job of the same request still pending from an earlier "
        "run is followed, not sent again. options: -h, --help show this help message and exit "
        "--template FILE a request file (JSON or YAML) --targets CSV a CSV with app_id and "
        "environment columns, optionally resource_name and override columns named by dotted "
        "paths (UserPoolConfigs.PasswordPolicy.MinimumLength) --mode {create,update,upsert} "
        f"--dry-run print the diff each target would get; send nothing {SHARED_HELP}"
    ) in text
    code, _, err = run("fleet", "apply", "--targets", "t.csv")
    assert code == 252 and "the following arguments are required: --template" in err
    code, _, err = run("fleet", "apply", "--template", "t.json")
    assert code == 252 and "the following arguments are required: --targets" in err


def test_the_drift_help_says_what_each_option_does():
    text = said("fleet", "drift")
    assert text.startswith(
        "usage: amplify-auth fleet drift [-h] [--since WHEN] [--until WHEN] "
        "[--output FORMAT [FILE ...]] [--fail-on-change] "
    )
    assert text.split(" [--fail-on-change] ", 1)[1] == (
        "Every field that changed per environment between saved audits (field, before, after, "
        "when); a secret only as changed. By default the latest saved audit against each "
        "environment's state before it; --since for every change seen after a time. Reads the "
        "job history file ($AMPLIFY_AUTH_HISTORY or the user's). Prints nothing on stdout when "
        "nothing changed, so that cron mails only changes. Exit status: 0, or with "
        "--fail-on-change 1 when something changed. options: -h, --help show this help message "
        "and exit --since WHEN an ISO 8601 time (2026-03-01, 2026-03-01T08:00Z) or a span ago "
        "(7d, 12h, 30m) --until WHEN the same forms (default: now) --output FORMAT [FILE ...] "
        "table, csv, json (default table), to FILE or stdout --fail-on-change exit 1 if "
        "anything changed"
    )


@pytest.mark.parametrize("action", ["audit", "plan", "apply"])
def test_the_defaults_the_help_gives(action):
    extra = ["--template", "t.json", "--targets", "t.csv"] if action == "apply" else []
    args = build_parser().parse_args(["fleet", action, *extra])
    assert (args.concurrency, args.output, args.color, args.no_progress) == (
        8,
        ["table"],
        "auto",
        False,
    )
    assert (args.profile, args.region) == (None, None)
    if action == "apply":
        assert (args.mode, args.dry_run) == ("create", False)
    else:
        assert (args.apps, args.environments) == (None, None)
    more = build_parser().parse_args(
        ["fleet", action, *extra, "--profile", "a", "--profile", "b", "--region", "eu-west-1"]
    )
    assert (more.profile, more.region) == (["a", "b"], ["eu-west-1"])


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("0", "a whole number of 1 or more, not '0'"),
        ("-3", "a whole number of 1 or more, not '-3'"),
        ("two", "a whole number of 1 or more, not 'two'"),
        ("1.5", "a whole number of 1 or more, not '1.5'"),
    ],
)
def test_concurrency_is_a_whole_number_of_one_or_more(given, says):
    code, out, err = run("fleet", "audit", "--concurrency", given)
    assert (code, out) == (252, "")
    assert f"argument --concurrency: {says}" in err
    assert build_parser().parse_args(["fleet", "audit", "--concurrency", "1"]).concurrency == 1


@pytest.mark.parametrize(
    ("output", "says"),
    [
        (
            ["xml"],
            "--output: FORMAT [FILE] with FORMAT one of table, csv, json, parquet; got 'xml'",
        ),
        (
            ["csv", "a.csv", "b.csv"],
            "--output: FORMAT [FILE] with FORMAT one of table, csv, json, parquet; got "
            "'csv a.csv b.csv'",
        ),
        (["parquet"], "--output parquet needs a FILE: --output parquet audit.parquet"),
    ],
)
def test_output_refusals_word_for_word(output, says):
    code, out, err = run("fleet", "audit", "--output", *output, "--endpoint-url", "http://x")
    assert (code, out) == (252, "")
    assert err.splitlines()[0] == says


@pytest.mark.parametrize(
    ("output", "says"),
    [
        (["parquet", "x.parquet"], "--output: fleet drift writes table, csv, json, not parquet"),
        (["json", "a", "b"], "--output: FORMAT [FILE] with FORMAT one of table, csv"),
    ],
)
def test_drift_output_refusals(output, says):
    code, out, err = run("fleet", "drift", "--output", *output)
    assert (code, out) == (252, "") and err.startswith(says)


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "template.json"
    config = fleet_config(1, "x", None)
    path.write_text(json.dumps({"ResourceName": "fleetauth", "ResourceConfig": config}))
    return str(path)


def apply_targets(emu, template, targets, *more: str) -> tuple[int, str, str]:
    return fleet(emu, "apply", "--template", template, "--targets", str(targets), *more)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "app_id,environment\nd1demotodo,prod,extra\n",
            ", line 2: 3 fields, but the header names 2 columns (app_id,environment); refused "
            "rather than shifted into the wrong columns. Put a field that holds a comma in "
            "double quotes, or name the extra column in the header",
        ),
        (
            "app_id,environment,resource_name\n\nd1demotodo,prod\n",
            ", line 3: 2 fields, but the header names 3 columns "
            "(app_id,environment,resource_name); refused rather than guessed. Give every "
            "column a field, an empty one (nothing between two commas, or a comma at the end) "
            "where there is none",
        ),
        (
            'app_id,environment\nd1demotodo,"prod"x\n',
            ", line 2: not CSV (',' expected after '\"'); put a field with commas, quotes or line "
            "breaks in double quotes, its quotes doubled",
        ),
        (
            "\n\napp_id, environment ,app_id,environment\nd1,prod,d1,prod\n",
            ", line 3: the header names 'app_id', 'environment' more than once; name each column "
            "once",
        ),
        (
            "app_id,environment,,x\nd1,prod,,\n",
            ", line 1: the header has a column without a name (column 3); name every column, or "
            "remove the extra comma",
        ),
        (
            "app_id,environment\n\n",
            " names no targets: add a line a target below its header",
        ),
        (
            "\n\n",
            " is empty: its first line names the columns (app_id,environment and optionally "
            "resource_name and override columns)",
        ),
    ],
)
def test_a_targets_csv_is_refused_with_its_line_and_the_fix(emu, template, tmp_path, text, says):
    targets = tmp_path / "targets.csv"
    targets.write_text(text)
    code, out, err = apply_targets(emu, template, targets)
    assert (code, out) == (252, "")
    assert err == f"--targets: {targets}{says}\n"


def test_a_targets_file_that_is_not_utf8_names_its_line_and_byte(emu, template, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_bytes(b"app_id,environment\nd1demotodo,prod\nd1demotodo,d\xe9v\n")
    code, out, err = apply_targets(emu, template, targets)
    assert (code, out) == (252, "")
    assert err == (
        f"--targets: {targets}, line 3: not UTF-8 text (byte 0xe9); save the file as "
        "UTF-8 (CSV UTF-8 in a spreadsheet)\n"
    )


def test_a_targets_path_that_is_no_file_is_refused_with_what_to_do(emu, template, tmp_path):
    code, _, err = apply_targets(emu, template, tmp_path / "none.csv")
    assert code == 252 and err == f"--targets: no such file {str(tmp_path / 'none.csv')!r}\n"
    code, _, err = apply_targets(emu, template, tmp_path)
    assert code == 252 and err == (
        f"--targets: {str(tmp_path)!r} is a folder, not a CSV file: give the path of the CSV\n"
    )
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    code, _, err = apply_targets(emu, template, loop)
    assert code == 252 and err == (
        f"--targets: {str(loop)!r} cannot be read: Too many levels of symbolic links\n"
    )


def test_a_targets_file_over_the_limit_is_refused(emu, template, tmp_path, monkeypatch):
    monkeypatch.setattr("amplify_auth_widgets.cli.fleet.TARGETS_LIMIT", 2**20)
    header = "app_id,environment\n"
    targets = tmp_path / "targets.csv"
    targets.write_text(header + "\n" * (2**20 - len(header) + 1))  # a byte over 1 MB
    code, _, err = apply_targets(emu, template, targets)
    assert code == 252 and err == (
        f"--targets: {str(targets)!r} is larger than 1 MB: split the targets into several files\n"
    )
    targets.write_text(header + "\n" * (2**20 - len(header)))  # 1 MB: read, and found empty
    code, _, err = apply_targets(emu, template, targets)
    assert code == 252 and "names no targets" in err


NARROW = [
    "app_id",
    "app_name",
    "environment",
    "configured",
    "failed_checks",
    "errors",
    "warnings",
    "finding_codes",
    "error",
]


def test_the_audit_table_has_the_narrow_columns_and_the_files_every_column(emu, tmp_path):
    code, out, err = fleet(emu, "audit", "--apps", " todo-web, ,new-project ,")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == NARROW
    assert sorted(line.split()[:3] for line in lines[1:]) == [
        ["d1demotodo", "todo-web", "dev"],
        ["d1demotodo", "todo-web", "prod"],
        ["d4demonew", "new-project", "dev"],
    ]
    code, out, _ = fleet(emu, "audit", "--environments", "main,", "--output", "json")
    rows = json.loads(out)
    assert code == 0 and {(r["app_id"], r["environment"]) for r in rows} == {
        ("d3demoadmin", "main"),
        (ACCENTED, "main"),
    }
    assert "UserPoolConfigs.ForgotPassword.EmailSettings.EmailMessage" in rows[0]
    assert out.startswith('[\n {\n  "app_id":')  # JSON of records, indented by one
    path = tmp_path / "audit.parquet"
    code, out, _ = fleet(emu, "audit", "--apps", "todo-web", "--output", "parquet", str(path))
    assert (code, out) == (0, "")
    frame = pd.read_parquet(path).set_index("environment")
    # a list is kept as JSON text (Parquet would need one type a column); text is kept as is
    assert json.loads(frame.loc["prod", "failed_checks"]) == [
        "password-min-length-14",
        "password-lowercase",
    ]
    assert json.loads(frame.loc["dev", "finding_codes"]) == ["cognito.implicit-grant"]
    assert frame.loc["prod", "app_name"] == "todo-web"
    assert frame.loc["prod", "UserPoolConfigs.Mfa.MFAMode"] == "ON"
    table = tmp_path / "audit.txt"
    code, out, _ = fleet(emu, "audit", "--apps", "todo-web", "--output", "table", str(table))
    assert (code, out) == (0, "")
    text = table.read_text()
    assert text.endswith("]  <NA>\n") and text.splitlines()[0].split() == NARROW
    assert text.startswith("    app_id app_name environment  configured ")  # no index
    assert len(text.splitlines()) == 3


def test_the_audit_table_of_several_places_says_where_each_row_is(emu):
    both = ("--region", "us-east-1", "--region", "eu-west-1")
    code, out, _ = fleet(emu, "audit", *both, "--apps", "todo-web")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["account_id", "region", *NARROW]
    assert [line.split()[:3] for line in lines[1:]] == [
        ["123456789012", "us-east-1", "d1demotodo"],
        ["123456789012", "us-east-1", "d1demotodo"],
        ["<NA>", "eu-west-1", "<NA>"],  # this emulator serves one region: the row says why
    ]


def test_progress_goes_to_stderr_as_the_audit_counts_environments(emu, capsys):
    out, err = io.StringIO(), io.StringIO()
    argv = ["fleet", "plan", "--apps", "todo-web", "--endpoint-url", emu.url]
    assert main([*argv, "--output", "json"], out, err) == 0
    shown = capsys.readouterr().err.splitlines()
    assert shown[0].startswith("fleet plan: 0/2 (0%) [") and shown[0].endswith("env/s]")
    assert shown[-1].startswith("fleet plan: 2/2 (100%) [")
    argv = ["fleet", "audit", "--apps", "todo-web", "--endpoint-url", emu.url]
    assert main([*argv, "--output", "json"], out, err) == 0
    assert capsys.readouterr().err.splitlines()[-1].startswith("fleet audit: 2/2 (100%) [")
    assert main([*argv, "--no-progress"], out, err) == 0
    assert capsys.readouterr().err == ""


def test_a_saved_audit_is_named_with_where_and_when(emu, tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    both = ("--region", "us-east-1", "--region", "eu-west-1")
    code, out, err = fleet(emu, "audit", "--save", *both, "--output", "csv", str(tmp_path / "a"))
    assert (code, out) == (0, "")
    pattern = (
        rf"fleet audit: saved as audit 1 of {re.escape(str(path))}, at "
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00; `amplify-auth fleet drift` shows what changed "
        r"since the one before\n"
    )
    assert re.fullmatch(pattern, err), err  # (eu-west-1 could not be audited: not saved)
    code, _, err = fleet(emu, "audit", "--save", "--output", "csv", str(tmp_path / "b"))
    assert code == 0 and err.startswith(f"fleet audit: saved as audit 2 of {path}, at ")
    nowhere = ("--region", "us-west-2", "--region", "eu-west-1")
    code, _, err = fleet(emu, "audit", "--save", *nowhere, "--output", "csv", str(tmp_path / "c"))
    assert code == 0 and err == "fleet audit: nothing saved (no connection could be audited)\n"
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "a" / "history.sqlite3"))
    code, _, err = fleet(emu, "audit", "--save", "--output", "csv", str(tmp_path / "d"))
    assert code == 0 and err.splitlines()[0].startswith("warning: job history not available (")
    assert err.splitlines()[1].startswith(
        "fleet audit: saved as audit 1 of memory (lost on exit), at "
    )


SECRETS = ["GOOGLE_CLIENT_ID,", "GOOGLE_CLIENT_SECRET"]  # (as the table joins them)
PLANNED = ("--apps", f"{NAMELESS},{ACCENTED},{SOCIAL_ONLY},new-project")


def reasons_text(rows: list[dict]) -> str:
    """What the table's reasons say, from the plan's JSON: a heading an environment (its app's
    name, or its id when it has none; its way when it has one), then its reasons and cdk-nag's
    findings, then the counts by verdict."""
    lines = []
    for r in rows:
        way = f" ({r['way']})" if r["way"] else ""
        lines.append(f"{r['app_name'] or r['app_id']} / {r['environment']}: {r['verdict']}{way}")
        lines += [f"  - {reason}" for reason in r["reasons"]]
        lines += [f"  - cdk-nag: {finding}" for finding in r["nag"]]
    return "\n".join(lines)


def test_the_plan_table_then_each_environment_s_reasons_then_the_counts(emu, tmp_path):
    code, out, err = fleet(emu, "plan", *PLANNED, "--output", "json")
    rows = json.loads(out)
    assert (code, err) == (1, "")  # new-project's environment is blocked
    code, out, _ = fleet(emu, "plan", *PLANNED)
    assert code == 1
    table, reasons = out.split("\n\n", 1)
    assert table.splitlines()[:2] == [  # right-aligned, two spaces apart, no index
        "   app_id    app_name environment      way              verdict"
        "                                secrets",
        " d7noname                    prod     keep                ready"
        "                                       ",
    ]
    assert [line.split() for line in table.splitlines()] == [
        ["app_id", "app_name", "environment", "way", "verdict", "secrets"],
        [NAMELESS, "prod", "keep", "ready"],  # empty cells, not NaN or None
        [ACCENTED, "accented", "main", "recreate", "ready", "with", "overrides"],
        ["d4demonew", "new-project", "dev", "blocked"],
        [SOCIAL_ONLY, "social-only", "dev", "recreate", "ready", "with", "overrides", *SECRETS],
    ]
    assert reasons == (
        reasons_text(rows)
        + "\n\nready: 1 · ready with overrides: 2 · needs a decision: 0 · blocked: 1\n"
    )
    assert f"{NAMELESS} / prod: ready (keep)\n" in reasons
    assert "\nnew-project / dev: blocked\n  - no auth: " in reasons
    assert f"  - UserPoolConfigs.ForgotPassword.EmailSettings.EmailMessage = {RESET}: " in reasons
    path = tmp_path / "plan.txt"
    code, written, _ = fleet(emu, "plan", *PLANNED, "--output", "table", str(path))
    assert (code, written) == (1, "") and path.read_text() == out


def test_the_plan_as_csv_holds_each_list_as_json_text_as_written(emu, tmp_path):
    code, out, _ = fleet(emu, "plan", *PLANNED, "--output", "json")
    rows = {r["app_id"]: r for r in json.loads(out)}
    path = tmp_path / "plan.csv"
    code, out, _ = fleet(emu, "plan", *PLANNED, "--output", "csv", str(path))
    assert (code, out) == (1, "")
    text = path.read_text()
    assert RESET in text  # "für" as written, not escaped
    frame = pd.read_csv(path, keep_default_na=False).set_index("app_id")
    for app_id, row in rows.items():
        for column in ("reasons", "secrets", "nag"):
            assert json.loads(frame.loc[app_id, column]) == row[column]
    assert frame.loc[SOCIAL_ONLY, "secrets"] == '["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"]'
    assert frame.loc[NAMELESS, "app_name"] == "" and frame.loc[NAMELESS, "way"] == "keep"
    code, out, _ = fleet(emu, "plan", "--apps", NAMELESS, "--output", "csv")
    assert code == 0 and out.splitlines()[0] == (
        "app_id,app_name,environment,resource_name,way,verdict,reasons,secrets,nag,"
        "user_pool_id,identity_pool_id"
    )


def deployed(emu, app_id: str, env: str = "prod") -> None:
    """An app of its own with one environment whose auth is the fleet's strong one."""
    store, now = emu.backend.store, emu.clock()
    store.put_app(app_id, app_id, {}, now)
    store.put_environment(app_id, env, {}, now)
    store.put_auth(app_id, env, "fleetauth", fleet_config(2, env, None), now)


MIN_LENGTH = "UserPoolConfigs.PasswordPolicy.MinimumLength"


def test_apply_s_table_leaves_the_findings_out_and_says_what_was_repeated(emu, template, tmp_path):
    deployed(emu, "d7apply")
    targets = tmp_path / "targets.csv"
    targets.write_text(
        f"app_id , environment,{MIN_LENGTH}\n"
        "d7apply,prod,16\n"
        "d7apply,prod,17\n"  # the same target again: sent once
        "d7missing,dev,\n"  # no such app: not sent
    )
    code, out, err = apply_targets(emu, template, targets, "--mode", "update")
    assert code == 254  # the worst: a target the service refused
    lines = out.splitlines()
    assert lines[0].split() == [
        "app_id",
        "environment",
        "resource_name",
        "operation",
        "request_hash",
        "job_id",
        "status",
        "error",
        "duration",
        "diff",
        "applied_by",
        "account_id",
        "region",
    ]
    assert [line.split()[:2] for line in lines[1:]] == [
        ["d7apply", "prod"],
        ["d7apply", "prod"],
        ["d7missing", "dev"],
    ]
    assert " COMPLETED " in lines[1] and " DUPLICATE " in lines[2] and " NOT_SENT " in lines[3]
    assert err == (
        "fleet apply: 1 target row(s) repeat an earlier row's app, environment and resource: "
        "each target was sent once (see the DUPLICATE rows)\n"
    )
    code, out, err = apply_targets(emu, template, targets, "--mode", "update", "--output", "json")
    rows = json.loads(out)
    assert code == 254 and [r["status"] for r in rows] == ["UNCHANGED", "DUPLICATE", "NOT_SENT"]
    assert {"findings", "changes", "diff"} <= set(rows[0])
    assert "fleet.not-updatable" in rows[0]["findings"][0]


def test_apply_exits_with_the_worst_outcome(emu, template, tmp_path):
    deployed(emu, "d7worst")
    targets = tmp_path / "targets.csv"
    targets.write_text(f"\ufeffapp_id,environment,{MIN_LENGTH}\nd7worst,prod,3\n")  # (a BOM)
    code, out, err = apply_targets(emu, template, targets, "--mode", "update")
    assert (code, err) == (252, "") and " INVALID " in out.splitlines()[1]
    targets.write_text(f"app_id,environment,{MIN_LENGTH}\nd7worst,prod,3\nd7worst,dev,\n")
    code, out, _ = apply_targets(emu, template, targets, "--mode", "update", "--output", "csv")
    statuses = pd.read_csv(io.StringIO(out))["status"].tolist()
    assert (code, statuses) == (254, ["INVALID", "NOT_SENT"])
    targets.write_text(f"app_id,environment,{MIN_LENGTH}\nd7worst,prod,15\n")
    code, out, err = apply_targets(emu, template, targets, "--mode", "update")
    assert (code, err) == (0, "") and " COMPLETED " in out


def test_apply_refuses_a_column_it_does_not_know_saying_so(emu, template, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text("app_id,environment,UserPoolConfigs.Nope\nd7noname,prod,3\n")
    code, out, err = apply_targets(emu, template, targets, "--mode", "update")
    assert (code, out) == (252, "")
    assert err.startswith(
        "fleet apply: targets column 'UserPoolConfigs.Nope' is neither app_id, environment, "
        "resource_name nor a configuration field"
    )


def test_drift_writes_each_value_as_text_and_each_format_to_a_file(tmp_path):
    """Between two saved audits: a number, a list (its text unescaped), a member set where
    there was none (before: empty), text; the table, CSV and JSON to files."""
    with Emulator(job_seconds=0, seed=13) as emu:
        deployed(emu, "d7drift")
        code, _, err = fleet(emu, "audit", "--save", "--output", "csv", str(tmp_path / "a"))
        assert code == 0, err
        config = fleet_config(2, "prod", None)
        users = config["UserPoolConfigs"]
        users["PasswordPolicy"]["MinimumLength"] = 15
        users["PasswordPolicy"]["AdditionalConstraints"] = ["REQUIRE_DIGIT"]
        users["VerificationMessage"]["EmailSettings"]["EmailSubject"] = "Ihr Code für Todo"
        users["ForgotPassword"] = {"DeliveryMethod": "EMAIL"}
        users["OAuth"] = {"RedirectSignInURIs": ["https://bücher.example/"]}
        users["VerificationMessage"]["EmailSettings"]["EmailMessage"] = "{####}\x1b[2J"
        emu.backend.store.put_auth("d7drift", "prod", "fleetauth", config, emu.clock())
        code, _, err = fleet(emu, "audit", "--save", "--output", "csv", str(tmp_path / "b"))
        assert code == 0, err
    path = tmp_path / "drift.txt"
    code, out, err = run("fleet", "drift", "--output", "table", str(path))
    assert (code, out, err) == (0, "", "")
    lines = path.read_text().splitlines()
    assert path.read_text().endswith("Z\n")
    assert lines[0].split() == [
        "account_id",
        "region",
        "app_id",
        "app_name",
        "environment",
        "field",
        "before",
        "after",
        "when",
    ]
    changed = {line.split()[5]: line for line in lines[1:]}
    assert set(changed) == {
        "UserPoolConfigs.OAuth.RedirectSignInURIs",
        "UserPoolConfigs.ForgotPassword.DeliveryMethod",
        "UserPoolConfigs.PasswordPolicy.AdditionalConstraints",
        MIN_LENGTH,
        "UserPoolConfigs.VerificationMessage.EmailSettings.EmailSu...",  # (60 columns at most)
        "UserPoolConfigs.VerificationMessage.EmailSettings.EmailMe...",
    }
    # text from the service cannot clear the terminal: its control characters are written out
    assert "\x1b" not in path.read_text() and "{####}\\x1b[2J" in path.read_text()
    when = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"
    assert re.search(
        r" prod\s+" + re.escape(MIN_LENGTH) + r"\s+12\s+15 +" + when, changed[MIN_LENGTH]
    )
    # nothing before: an empty cell, not None or NaN
    assert re.search(
        r"DeliveryMethod\s+EMAIL " + when, changed["UserPoolConfigs.ForgotPassword.DeliveryMethod"]
    )
    uris = changed["UserPoolConfigs.OAuth.RedirectSignInURIs"]
    assert re.search(
        r'RedirectSignInURIs\s+\["https://bücher.example/"\] ' + when, uris
    )  # not \\u00fc
    subject = changed["UserPoolConfigs.VerificationMessage.EmailSettings.EmailSu..."]
    assert "Your Todo code Ihr Code für Todo" in " ".join(subject.split())
    constraints = changed["UserPoolConfigs.PasswordPolicy.AdditionalConstraints"]
    assert '["REQUIRE_DIGIT", "REQUIRE_SYMBOL", "REQUIRE_UPPERCASE"] ["REQUIRE_DIGIT"]' in " ".join(
        constraints.split()
    )
    path = tmp_path / "drift.csv"
    assert run("fleet", "drift", "--output", "csv", str(path)) == (0, "", "")
    frame = pd.read_csv(path, keep_default_na=False).set_index("field")
    assert frame.loc[MIN_LENGTH, ["before", "after"]].tolist() == ["12", "15"]
    assert frame.loc["UserPoolConfigs.ForgotPassword.DeliveryMethod", "before"] == ""
    assert re.fullmatch(when, frame.loc[MIN_LENGTH, "when"])
    assert "Ihr Code für Todo" in path.read_text()
    path = tmp_path / "drift.json"
    assert run("fleet", "drift", "--output", "json", str(path)) == (0, "", "")
    rows = {r["field"]: r for r in json.loads(path.read_text())}
    assert (rows[MIN_LENGTH]["before"], rows[MIN_LENGTH]["after"]) == (12, 15)
    assert rows["UserPoolConfigs.PasswordPolicy.AdditionalConstraints"]["after"] == [
        "REQUIRE_DIGIT"
    ]
    assert rows["UserPoolConfigs.ForgotPassword.DeliveryMethod"]["before"] is None


def test_apply_s_progress_counts_targets_on_stderr(emu, template, tmp_path, capsys):
    deployed(emu, "d7progress")
    targets = tmp_path / "targets.csv"
    targets.write_text("app_id,environment\nd7progress,prod\nd7progress,dev\n")
    argv = ["--template", template, "--targets", str(targets), "--endpoint-url", emu.url]
    out, err = io.StringIO(), io.StringIO()
    assert main(["fleet", "apply", *argv, "--mode", "update"], out, err) == 254
    shown = capsys.readouterr().err.splitlines()
    assert shown and all(line.startswith("fleet apply: ") for line in shown)
    assert shown[-1].startswith("fleet apply: 2/2 (100%) [")
    assert re.search(r"(target/s|s/target)\]$", shown[-1]), shown


def test_a_plan_keeps_no_audit_in_the_history(emu, tmp_path):
    from amplify_auth_widgets.fleet.timeline import saved_audits
    from amplify_auth_widgets.jobs.history import JobHistory

    code, _, _ = fleet(emu, "plan", "--apps", NAMELESS, "--output", "json")
    assert code == 0
    with JobHistory(tmp_path / "history.sqlite3") as history:
        assert saved_audits(history).empty


def test_apply_records_each_job_in_the_history_and_is_quiet_when_told(
    emu, template, tmp_path, capsys
):
    from amplify_auth_widgets.jobs.history import JobHistory

    deployed(emu, "d7history")
    targets = tmp_path / "targets.csv"
    targets.write_text(f"app_id,environment,{MIN_LENGTH}\nd7history,prod,17\n")
    code, out, _ = apply_targets(emu, template, targets, "--mode", "update", "--output", "json")
    (row,) = json.loads(out)
    assert code == 0 and row["status"] == "COMPLETED"
    assert capsys.readouterr().err == ""  # --no-progress: no bar
    with JobHistory(tmp_path / "history.sqlite3") as history:
        jobs = history.jobs()
        assert jobs["job_id"].tolist() == [row["job_id"]]
        assert history.status_of(row["job_id"]) == "COMPLETED"


def test_apply_writes_its_rows_to_the_file_given(emu, template, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text("app_id,environment\nd7nowhere,dev\n")
    path = tmp_path / "results.csv"
    code, out, _ = apply_targets(emu, template, targets, "--output", "csv", str(path))
    assert (code, out) == (254, "")
    assert pd.read_csv(path)["status"].tolist() == ["NOT_SENT"]


def test_drift_without_a_history_file_says_so_and_that_nothing_changed(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "a-file" / "history.sqlite3"))
    code, out, err = run("fleet", "drift")
    assert (code, out) == (0, "")
    warning, said = err.splitlines()
    assert warning.startswith("warning: job history not available (")
    assert said == "fleet drift: no change between the saved audits compared"


def test_a_name_longer_than_sixty_characters_is_cut_in_the_table_not_in_the_reasons(emu):
    name = "long-name-" * 6 + "x"  # 61 characters
    store, now = emu.backend.store, emu.clock()
    store.put_app("d7long", name, {}, now)
    store.put_environment("d7long", "test", {}, now)
    code, out, _ = fleet(emu, "plan", "--apps", "d7long")
    table, reasons = out.split("\n\n", 1)
    assert code == 1 and table.splitlines()[1].split() == [
        "d7long",
        name[:57] + "...",
        "test",
        "blocked",
    ]
    assert reasons.startswith(f"{name} / test: blocked\n")


def unreadable(tmp_path) -> str:
    """A path whose opening is refused (permission denied): a file of mode 000, or for root,
    whom file modes do not stop, a write-only sysctl (its mode holds for root too)."""
    path = tmp_path / "locked.csv"
    path.write_text("app_id,environment\n")
    path.chmod(0)
    for candidate in (str(path), "/proc/sys/vm/drop_caches"):
        try:
            open(candidate, "rb").close()
        except PermissionError:
            return candidate
        except OSError:
            continue
    pytest.skip("no path here refuses reading")


def test_a_targets_file_that_cannot_be_read_says_what_to_do(emu, template, tmp_path):
    path = unreadable(tmp_path)
    code, out, err = apply_targets(emu, template, path)
    assert (code, out) == (252, "")
    assert err == (
        f"--targets: {path!r} cannot be read (permission denied): make it readable, or give a "
        "copy you can read\n"
    )


def test_a_quoted_cell_keeps_its_line_break_as_written(emu, template, tmp_path):
    deployed(emu, "d7crlf")
    targets = tmp_path / "targets.csv"  # as a spreadsheet saves it: CRLF, one inside quotes
    member = "UserPoolConfigs.VerificationMessage.EmailSettings.EmailMessage"
    targets.write_bytes(
        f'app_id,environment,{member}\r\nd7crlf,prod,"Line one\r\nline two {{####}}"\r\n'.encode()
    )
    argv = ("--mode", "update", "--dry-run", "--output", "json")
    code, out, _ = apply_targets(emu, template, targets, *argv)
    (row,) = json.loads(out)
    assert code == 0 and row["status"] == "DRY_RUN"
    assert [member, "Line one\r\nline two {####}"] == row["changes"][0][::2]


def test_a_targets_file_with_lines_ended_by_cr_alone_is_read(emu, template, tmp_path):
    deployed(emu, "d7cr")
    targets = tmp_path / "targets.csv"  # (old Mac spreadsheets' "CSV (Macintosh)")
    targets.write_bytes(b"app_id,environment\rd7cr,prod\r")
    code, out, err = apply_targets(emu, template, targets, "--mode", "update", "--dry-run")
    assert code == 0, err
    assert out.splitlines()[1].split()[:2] == ["d7cr", "prod"]

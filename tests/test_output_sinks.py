"""What we write for other programs, fed names an attacker picked: the shell command of the
AWS CLI tab, every CSV (spreadsheets), the plots (matplotlib's mathtext) and HTML attributes."""

from __future__ import annotations

import concurrent.futures
import copy
import io
import json
import os
import re
import stat
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import valid_request
from support.sinks import (
    audit_frame,
    csv_cells,
    fill_secrets,
    is_number,
    jobs_frame,
    plain_labels,
)

from amplify_auth_widgets import BackendAuthService, JobHistory, JobMonitor, JobTracker
from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.core.csvsafe import FORMULA_STARTS, neutralise, to_csv
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.report import plot_findings_heatmap
from amplify_auth_widgets.jobs.report import figure_png, plot_timeline
from amplify_auth_widgets.widgets.cli_tab import secret_variable, shell_script
from amplify_auth_widgets.widgets.fleet import FleetPanel
from amplify_auth_widgets.widgets.html import escape
from amplify_auth_widgets.widgets.reports import ReportsView

# -- the shell ---------------------------------------------------------------------------------

PLANTED_KEYS = [
    "x$(touch PWNED)",
    "x_(touch PWNED)",  # the same variable name as the one above, once reduced
    '";touch PWNED;"',
    "google",  # the same variable name as Google's
    "1x",
    "a\ntouch PWNED #",
    "`touch PWNED`",
]


def _stub(path: Path, body: str) -> None:
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_secret_variables_are_names_the_shell_takes_as_they_are():
    base = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings"
    assert secret_variable(f"{base}.Google.ClientSecret") == "GOOGLE_CLIENT_SECRET"
    assert secret_variable(f"{base}.x$(touch PWNED).ClientSecret") == "X_TOUCH_PWNED_CLIENT_SECRET"
    assert secret_variable(f"{base}.1x.ClientSecret") == "_1X_CLIENT_SECRET"
    assert secret_variable(f"{base}.$$$.ClientSecret") == "CLIENT_SECRET"
    assert secret_variable("Providers[].ClientSecret") == "PROVIDERS_CLIENT_SECRET"
    for key in PLANTED_KEYS:
        assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", secret_variable(f"{base}.{key}.ClientSecret"))


def test_the_pasted_command_runs_aws_with_the_request_and_nothing_else(tmp_path: Path):
    request = valid_request(
        AppId="d1$(touch PWNED)",
        BackendEnvironmentName="staging'\ntouch PWNED\n#",
        ResourceName="`touch PWNED`",
        ClientSecret="top-level",  # a secret given as a member of its own: a word, not JSON
    )
    upc = request["ResourceConfig"]["UserPoolConfigs"]
    upc["UserPoolName"] = '";touch PWNED;" $(touch PWNED) \'@@GOOGLE_CLIENT_SECRET@@'
    providers = upc["OAuth"]["SocialProviderSettings"]
    for key in PLANTED_KEYS:
        providers[key] = {"ClientId": f"id of {key}", "ClientSecret": "in-the-form"}
    endpoint = "http://127.0.0.1:9/$(touch PWNED)';touch PWNED;'\n# x"
    connection = Connection.for_emulator(endpoint, region="us-east-1$(touch PWNED)")
    script = shell_script(request, "CreateBackendAuth", connection)
    assert "in-the-form" not in script and "top-level" not in script

    # the variables to set, in the order of the secrets: valid, distinct names
    variables = re.findall(
        r"^# Set first, without showing it: read -rs (\S+) && export \1$", script, re.M
    )
    assert len(variables) == 2 + len(PLANTED_KEYS) == len(set(variables))
    assert all(re.fullmatch(r"[A-Z_][A-Z0-9_]*", v) for v in variables)
    assert {"GOOGLE_CLIENT_SECRET", "GOOGLE_CLIENT_SECRET_2", "X_TOUCH_PWNED_CLIENT_SECRET"} <= set(
        variables
    )

    # the real `aws` and `TOUCH` (the names upper-case, as variables are) are stubs that record
    bin_dir, work = tmp_path / "bin", tmp_path / "work"
    bin_dir.mkdir()
    work.mkdir()
    argv_file = tmp_path / "argv.json"
    _stub(
        bin_dir / "aws",
        f"import json, sys\nopen({str(argv_file)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
    )
    _stub(bin_dir / "TOUCH", "import sys\nfor name in sys.argv[1:]:\n    open(name, 'w').close()\n")
    values = {
        v: f"value {i} of {v}: $(touch PWNED) `touch PWNED` '" for i, v in enumerate(variables)
    }
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path), **values}
    done = subprocess.run(
        ["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert not list(work.iterdir()) and not (tmp_path / "PWNED").exists()  # nothing planted ran

    argv = json.loads(argv_file.read_text())
    assert argv[:2] == ["amplifybackend", "create-backend-auth"]
    options = dict(zip(argv[2::2], argv[3::2], strict=True))
    expected = fill_secrets(copy.deepcopy(request), [values[v] for v in variables])
    assert json.loads(options.pop("--resource-config")) == expected["ResourceConfig"]
    assert options == {
        "--app-id": request["AppId"],
        "--backend-environment-name": request["BackendEnvironmentName"],
        "--resource-name": request["ResourceName"],
        "--client-secret": expected["ClientSecret"],
        "--endpoint-url": endpoint,
        "--region": "us-east-1$(touch PWNED)",
    }


# -- spreadsheets ------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://127.0.0.1/x","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tfoo",
    "\r=1",
]


def _assert_safe(text: str, names: list[str]) -> list[list[str]]:
    """No cell of the CSV starts as a formula (a number such as -3 is a number), and each
    name is there, behind a quote."""
    rows = csv_cells(text)
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not is_number(c)]
    for name in names:
        assert "'" + name in cells, name
    return rows


def test_csv_cells_that_would_be_formulas_are_text_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "text": [*FORMULAS, "plain", "it's -1"],
            "number": [-3, 2, -1, 0, 5, -7, 1, 2],
            "real": [-0.5] * 8,
            "string": pd.array([*FORMULAS, None, "x"], dtype="string"),
            "category": pd.Categorical([*FORMULAS, "ok", "=1"]),
            "when": pd.Timestamp("2026-01-01", tz="UTC"),
            "mixed": [-1, "-1", None, 2.5, "=1", "a", "b", "c"],
        }
    )
    frame["=header"] = "h"
    rows = _assert_safe(to_csv(frame, index=False), FORMULAS)
    header, body = rows[0], rows[1:]
    assert header == ["text", "number", "real", "string", "category", "when", "mixed", "'=header"]
    column = {name: [row[i] for row in body] for i, name in enumerate(header)}
    assert column["text"] == ["'" + f for f in FORMULAS] + ["plain", "it's -1"]
    assert column["number"] == ["-3", "2", "-1", "0", "5", "-7", "1", "2"]  # numbers as they are
    assert column["real"] == ["-0.5"] * 8
    assert column["string"] == ["'" + f for f in FORMULAS] + ["", "x"]
    assert column["category"][-1] == "'=1"
    assert column["mixed"][:5] == ["-1", "'-1", "", "2.5", "'=1"]  # text is text, numbers numbers
    assert str(neutralise(frame)["number"].dtype) == "int64"
    assert frame["text"].iloc[0] == FORMULAS[0]  # the caller's frame is left as it was


@pytest.fixture
def planted_history(clock) -> JobHistory:
    history = JobHistory(":memory:", clock)
    for i, name in enumerate(FORMULAS):
        job = {
            "JobId": f"j{i}",
            "AppId": name,
            "BackendEnvironmentName": name,
            "Operation": "CreateBackendAuth",
            "Status": "IN_PROGRESS",
        }
        history.record_call(
            "CreateBackendAuth", {"AppId": name, "BackendEnvironmentName": name}, job, None
        )
        clock.advance(5)
        history.record_status({**job, "Status": "FAILED", "Error": name})
    return history


def test_history_exports_every_table_safe_for_a_spreadsheet(planted_history, tmp_path):
    for table in ("jobs", "requests", "events"):
        path = planted_history.export(tmp_path / f"{table}.csv", table=table)
        with path.open(newline="") as file:  # a CR in a cell stays a CR
            _assert_safe(file.read(), FORMULAS)
    parquet = pd.read_parquet(planted_history.export(tmp_path / "jobs.parquet"))
    assert parquet["app_id"].tolist() == FORMULAS  # Parquet is typed: written as it is


def test_the_monitors_csv_download_is_safe_for_a_spreadsheet(planted_history, emulator, clock):
    service = BackendAuthService(emulator.connection())
    monitor = JobMonitor(JobTracker(service, planted_history, clock=clock), autostart=False)
    _assert_safe(monitor.export("csv").decode(), FORMULAS)


@pytest.fixture
def planted_fleet(tmp_path):
    """An emulator whose apps and environments have names an attacker picked."""
    with Emulator(job_seconds=0, seed=3, db=str(tmp_path / "s.sqlite3")) as emu:
        store, now = emu.backend.store, emu.clock()
        yield emu, store, now


def test_fleet_audit_csv_is_safe_for_a_spreadsheet(planted_fleet, monkeypatch):
    emu, store, now = planted_fleet
    for i, name in enumerate(FORMULAS):
        store.put_app(f"d{i}evil", name, {}, now)
        store.put_environment(f"d{i}evil", name, {}, now)
        store.put_auth(f"d{i}evil", name, "auth", SOCIAL, now)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "emulator")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "emulator-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    out, err = io.StringIO(), io.StringIO()
    argv = ["fleet", "audit", "--output", "csv", "--endpoint-url", emu.url, "--no-progress"]
    assert main(argv, out, err) == 0, err.getvalue()
    rows = _assert_safe(out.getvalue(), FORMULAS)
    header = rows[0]
    names = {row[header.index("app_name")] for row in rows[1:]}
    assert names == {"'" + f for f in FORMULAS}
    # a numeric column stays numeric
    lengths = {
        row[header.index("UserPoolConfigs.PasswordPolicy.MinimumLength")] for row in rows[1:]
    }
    assert {float(n) for n in lengths} == {
        SOCIAL["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"]
    }


# -- plots -------------------------------------------------------------------------------------

MATH = ["$x$", r"$\frac{a}{b}$", r"$\undefined$", "a$b"]


def test_plot_labels_are_the_names_as_written():
    timeline = plot_timeline(jobs_frame(MATH), now=pd.Timestamp("2026-01-02", tz="UTC"))
    assert figure_png(timeline)[:4] == b"\x89PNG"
    lanes = plain_labels(timeline.axes[0].get_yticklabels())
    assert lanes == sorted(f"{n} / {n}" for n in MATH)
    heatmap = plot_findings_heatmap(audit_frame(MATH))
    assert figure_png(heatmap)[:4] == b"\x89PNG"
    assert plain_labels(heatmap.axes[0].get_yticklabels()) == sorted(MATH)


def _history_of(names: list[str], clock) -> JobHistory:
    history = JobHistory(":memory:", clock)
    for i, name in enumerate(names):
        job = {"JobId": f"j{i}", "AppId": name, "BackendEnvironmentName": name}
        history.record_status({**job, "Operation": "CreateBackendAuth", "Status": "IN_PROGRESS"})
        clock.advance(5)
        history.record_status({**job, "Operation": "CreateBackendAuth", "Status": "COMPLETED"})
    return history


def test_the_reports_tab_draws_names_with_dollars(clock):
    view = ReportsView(_history_of(MATH, clock), clock=clock)
    frame = view.refresh()
    assert frame.loc["(all)", "completed"] == len(MATH) and "<table" in view.table.value
    assert view.plot_error.value == ""
    for image in (view.timeline, view.status_plot):
        assert bytes(image.png[:4]) == b"\x89PNG" and image.layout.display is None
    assert view.refresh() is not None  # and again: the history does not break it for good


def test_a_plot_that_fails_leaves_the_table_and_says_why(clock):
    history = _history_of(["d1"], clock)
    job = {"JobId": "j9", "AppId": "d1", "BackendEnvironmentName": "dev"}
    history.record_status({**job, "Operation": "CreateBackendAuth", "Status": "IN_PROGRESS"})
    # a clock in ms: the unfinished job's bar would end in the year 59000
    view = ReportsView(history, clock=lambda: clock() * 1000)
    frame = view.refresh()
    assert frame is not None and view.report is frame and "<table" in view.table.value
    assert "The plots could not be drawn" in view.plot_error.value
    assert all(image.layout.display == "none" for image in (view.timeline, view.status_plot))
    view.clock = clock  # put right, the plots are back and the message goes
    view.refresh()
    assert view.plot_error.value == "" and view.timeline.layout.display is None


def _panel(emu: Emulator) -> FleetPanel:
    history = JobHistory(":memory:")
    service = BackendAuthService(emu.connection(), on_call=history.record_call)
    return FleetPanel(Fleet(service, history, JobTracker(service, history)))


def test_the_fleet_tab_audits_environments_named_with_dollars(planted_fleet):
    emu, store, now = planted_fleet
    for i, name in enumerate(MATH):
        store.put_app(f"d{i}math", name, {}, now)
        store.put_environment(f"d{i}math", name, {}, now)
        store.put_auth(f"d{i}math", name, "auth", SOCIAL, now)
    panel = _panel(emu)
    audited = threading.Event()
    panel.observe(lambda _: audited.set(), names="audit")
    panel.run_audit()
    assert audited.wait(60) and len(panel.audit) == len(MATH)
    for name in MATH:
        assert f"<td>{escape(name)}</td>" in panel.table.value
    assert bytes(panel.heatmap.png[:4]) == b"\x89PNG" and panel.heatmap.layout.display is None
    assert panel.heatmap_error.value == ""


def test_a_heat_map_that_fails_leaves_the_audit_table(planted_fleet):
    emu, _, _ = planted_fleet
    panel = _panel(emu)
    frame = audit_frame(["dev", "prod"]).assign(
        app_id=["d1", "d2"], app_name=["one", "two"], errors=0, warnings=0, error=None
    )
    frame["finding_codes"] = [[{"not": "a code"}], []]  # codes the heat map cannot count
    future: concurrent.futures.Future[Any] = concurrent.futures.Future()
    future.set_result(frame)
    panel._audited(future)  # as the audit's future calls it when done
    assert panel.audit is frame and "<td>one</td>" in panel.table.value
    assert "The heat map could not be drawn" in panel.heatmap_error.value
    assert panel.heatmap.layout.display == "none"
    assert panel.targets.options == ("d1 / dev", "d2 / prod")


def test_the_monitor_timeline_draws_dollar_names_and_says_why_when_it_cannot(emulator, clock):
    service = BackendAuthService(emulator.connection())
    history = _history_of(MATH, clock)
    monitor = JobMonitor(JobTracker(service, history, clock=clock), autostart=False)
    assert monitor.plot()[:4] == b"\x89PNG" and monitor.timeline.layout.display is None
    job = {"JobId": "j9", "AppId": "d1", "BackendEnvironmentName": "dev"}
    history.record_status({**job, "Operation": "CreateBackendAuth", "Status": "IN_PROGRESS"})
    # a clock in ms: the unfinished job's bar would end in the year 59000
    monitor.clock = lambda: clock() * 1000
    assert monitor.plot() == b"" and monitor.timeline.layout.display == "none"
    assert "The timeline could not be drawn" in monitor.problem.value
    assert "<table" in monitor.table.value  # the jobs' table stays


def test_an_audit_that_cannot_be_shown_says_why_and_error_rows_are_listed(planted_fleet):
    emu, _, _ = planted_fleet
    panel = _panel(emu)
    future: concurrent.futures.Future[Any] = concurrent.futures.Future()
    future.set_result(pd.DataFrame({"environment": ["dev"]}))  # no columns an audit has
    panel._audited(future)
    assert "The audit could not be shown" in panel.message.value
    # an app whose environments could not be listed is a row without one: it is shown
    frame = audit_frame(["dev"]).assign(app_id=["d1"], app_name=["one"], errors=0, warnings=0)
    frame["error"] = [None]
    failed = frame.iloc[[0]].assign(app_id="d2", app_name="two", environment=None, error="boom")
    both = pd.concat([frame, failed], ignore_index=True)
    assert panel.filtered(both)["app_id"].tolist() == ["d1", "d2"]
    panel.app_filter.value = "two"
    assert panel.filtered(both)["error"].tolist() == ["boom"]


# -- HTML --------------------------------------------------------------------------------------

HOSTILE = "x' onmouseover='alert(1)' \"<b>&amp;</b>"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _parse(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.parametrize("quote", ["'", '"'])
def test_escaped_text_stays_inside_its_attribute(quote):
    html = f"<code title={quote}{escape(HOSTILE)}{quote}>{escape(HOSTILE)}</code>"
    assert _parse(html) == [("code", [("title", HOSTILE)])]


def test_the_monitor_table_shows_a_hostile_job_id_as_text(emulator, clock):
    history = JobHistory(":memory:", clock)
    job = {"JobId": HOSTILE, "AppId": "d1", "BackendEnvironmentName": "dev"}
    history.record_status({**job, "Operation": "CreateBackendAuth", "Status": "IN_PROGRESS"})
    service = BackendAuthService(emulator.connection())
    monitor = JobMonitor(JobTracker(service, history, clock=clock), autostart=False)
    codes = [attrs for tag, attrs in _parse(monitor.table.value) if tag == "code"]
    assert codes == [[("title", HOSTILE)]]
    assert "b" not in {tag for tag, _ in _parse(monitor.table.value)}

"""Issue 19, "How to be sure": hostile text through every place a string leaves the program.

One hypothesis property a sink, all drawing from ``hostile_text()``: dangerous fragments (every
Unicode line and paragraph separator, quotes, backslashes, ``${}``, backticks, comment ends,
``</script>``, NUL, lone surrogates, mathtext, formula starts, bidi controls, a 10,000 character
run, emoji) mixed with arbitrary text. Each sink must give the value back as the same literal
text, read by the program that reads it for real:

- the Gen 2 files, evaluated in Node (tsx) with a recording stub of ``@aws-amplify/backend``;
- the AWS CLI tab's command, run by bash with a stub ``aws`` that records its argv;
- CSV, read back with the csv module (a cell starting as a formula gets a ``'`` in front);
- HTML, parsed with html.parser: the text and the attribute are the input, no element or
  ``on*`` attribute appears;
- plots: the labels are the input and the PNG renders;
- file names: the request's download is named with one safe path component, escaped in HTML.

A lone surrogate is refused by validation (``input.unicode``) before the Gen 2 export and the
CLI tab, and a NUL cannot be a command-line argument: for those the property is the refusal,
naming the member. pandas 3 refuses lone surrogates in text, so no frame we write as CSV or
plot can hold one: those sinks draw text without them.

Examples are derandomised (the same every run). ``AAW_HOSTILE_EXAMPLES=N`` runs N examples of
every sink (the Node sink N // 10 batches of 20 strings) for a longer search.
"""

from __future__ import annotations

import base64
import copy
import csv
import json
import os
import re
import stat
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import valid_request
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from support import toolchain
from support.gen2_eval import (
    called,
    check_email_case,
    check_phone_case,
    email_case,
    evaluate,
    literal_file,
    phone_case,
)
from support.sinks import (
    audit_frame,
    csv_cells,
    fill_secrets,
    is_number,
    jobs_frame,
    plain_labels,
)

from amplify_auth_widgets import gen2, validate
from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.core.csvsafe import FORMULA_STARTS, to_csv
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.fleet.report import plot_findings_heatmap
from amplify_auth_widgets.jobs.report import figure_png, plot_timeline
from amplify_auth_widgets.widgets.cli_tab import CliTab, shell_script
from amplify_auth_widgets.widgets.fleet import SHOWN
from amplify_auth_widgets.widgets.fleet import _table as fleet_table
from amplify_auth_widgets.widgets.html import download_link, escape
from amplify_auth_widgets.widgets.requestio import RequestIO

UPC = "ResourceConfig.UserPoolConfigs"
SURROGATES = ["\ud800", "\udfff"]
LONG = "A'\u2028$" * 2500  # a 10,000 character run
FRAGMENTS = [
    *["\u2028", "\u2029", "\x85", "\r", "\n", "\r\n", "\v", "\f", "\x00", "\t", "\x1b[31m"],
    *["'", '"', "`", "\\", "\\\\", "${x}", "${", "*/", "/*", "</script>", "<!--", "-->"],
    *["$x$", r"$\frac{a}{b}$", r"$\undefined$", "=1+1", "+1", "-1", "@SUM(A1)"],
    *["<b onmouseover=alert(1)>", "&amp;", "$(touch PWNED)", "'; touch PWNED; '", "../", "/"],
    *SURROGATES,
    *["\u202e", "\u202d", "\u200d", "\ufeff", "\U0001f600", "e\u0301"],
    LONG,
]
#: Every fragment at once: the first example of every sink, with and without lone surrogates.
EVERYTHING = "".join(FRAGMENTS)
TEXT_ONLY = "".join(f for f in FRAGMENTS if f not in SURROGATES)


def hostile_text() -> st.SearchStrategy[str]:
    """One to eight pieces, each a dangerous fragment or any text (st.text has no lone
    surrogates: those come from the fragments)."""
    piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))
    return st.lists(piece, min_size=1, max_size=8).map("".join)


def as_js(text: str) -> str:
    """``text`` as a JavaScript string holds it: in UTF-16 a high and a low surrogate in a row
    are the pair they make (Python keeps them apart)."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def lone_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def _examples(ci: int) -> int:
    wanted = os.environ.get("AAW_HOSTILE_EXAMPLES")
    return int(wanted) if wanted else ci


def budget(ci: int) -> Any:
    """The settings of a sink: ``ci`` examples unless AAW_HOSTILE_EXAMPLES says otherwise."""
    return settings(
        max_examples=_examples(ci),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


# -- Gen 2 files, evaluated in Node -------------------------------------------------------------

NODE_BATCH = 20


def _node_batches() -> int:
    wanted = os.environ.get("AAW_HOSTILE_EXAMPLES")
    return max(1, int(wanted) // 10) if wanted else 4


@pytest.mark.skipif(
    not toolchain.installed(),
    reason="the Gen 2 toolchain is not installed: run `make gen2-toolchain` (make test does)",
)
@settings(
    max_examples=_node_batches(),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],  # a Node run a step: shrinking took minutes
)
@given(batch=st.lists(hostile_text(), min_size=NODE_BATCH, max_size=NODE_BATCH))
@example(batch=[EVERYTHING, TEXT_ONLY])
def test_gen2_files_give_every_value_back_in_node(tmp_path_factory, batch):
    files: dict[str, dict[str, str]] = {}
    entry: dict[str, str] = {}
    # an empty text is no value to carry (the export leaves an empty message or name out, as
    # validation refuses it): the round trip is of the others
    texts = [h for h in batch if h and not lone_surrogate(h)]
    for h in batch:
        if lone_surrogate(h):  # refused, by member, before any file is made
            for request, member in (
                (email_case(h), f"{UPC}.UserPoolName"),
                (phone_case(h), f"{UPC}.VerificationMessage.SmsSettings.SmsMessage"),
                (valid_request(BackendEnvironmentName=h), "BackendEnvironmentName"),
            ):
                with pytest.raises(ValueError, match=rf"{re.escape(member)}: .*lone surrogate"):
                    gen2.export(request)
    for i, h in enumerate(texts):
        for case, request in (
            (f"email{i}", email_case(h)),
            (f"phone{i}", phone_case(h)),
            (f"names{i}", valid_request(AppId=h, BackendEnvironmentName=h, ResourceName=h)),
        ):
            files[case] = gen2.export(request).files
            entry[case] = "amplify/backend.ts"  # which imports amplify/auth/resource.ts
    # the code layer alone takes any string, lone surrogates too
    files["literals"] = {"values.ts": literal_file(batch)}
    entry["literals"] = "values.ts"

    results = evaluate(tmp_path_factory.mktemp("hostile-gen2"), files, entry)

    for case, result in results.items():
        assert result["error"] is None, (case, result["error"])
        assert result["planted"] == [], (case, result["planted"])
    literals = results["literals"]["exports"]
    assert literals["strings"] == [as_js(v) for v in batch]
    assert literals["templates"] == [called(as_js(v)) for v in batch]
    for i, h in enumerate(texts):
        check_email_case(results[f"email{i}"], h)
        check_phone_case(results[f"phone{i}"], h)
        # names reach only the header's comments: the code around them still runs as written
        names = results[f"names{i}"]
        assert names["backend"]["given"] == ["auth"]
        assert names["auth"]["loginWith"]["email"]["verificationEmailSubject"] == "Your code"


# -- the AWS CLI tab's command, run by bash -----------------------------------------------------

TOP_LEVEL = ("AppId", "BackendEnvironmentName", "ResourceName")


def _cli_request(h: str) -> dict[str, Any]:
    """``h`` as every top-level name, inside the JSON, as a provider's key (its secret a shell
    variable named after it) and as a secret given as a member of its own."""
    request = valid_request(AppId=h, BackendEnvironmentName=h, ResourceName=h, ClientSecret=h + "!")
    pool = request["ResourceConfig"]["UserPoolConfigs"]
    pool["UserPoolName"] = h
    pool["OAuth"]["RedirectSignInURIs"] = [h, "https://app.example.com/"]
    pool["OAuth"]["SocialProviderSettings"][h] = {"ClientId": h, "ClientSecret": "in-the-form"}
    return request


def _typed_secret(h: str) -> str:
    """``h`` as a secret's value in the shell's environment: anything but a NUL (no variable
    holds one) and a line break at its end (``read`` ends there, and a command substitution
    drops it)."""
    return h.replace("\x00", "").rstrip("\n")


@pytest.fixture
def shell(tmp_path) -> dict[str, Path]:
    """A folder for the stub ``aws`` (bash: NUL-separated argv to a file) and a working one."""
    bin_dir, work = tmp_path / "bin", tmp_path / "work"
    bin_dir.mkdir()
    work.mkdir()
    aws = bin_dir / "aws"
    aws.write_text('#!/bin/bash\nprintf \'%s\\0\' "$@" > "$AAW_ARGV"\n')
    aws.chmod(aws.stat().st_mode | stat.S_IXUSR)
    return {"bin": bin_dir, "work": work, "argv": tmp_path / "argv"}


@budget(60)
@given(h=hostile_text())
@example(h=EVERYTHING)
@example(h=TEXT_ONLY)
@example(h=TEXT_ONLY.replace("\x00", ""))
def test_the_cli_tabs_command_gives_aws_the_request(shell, h):
    request = _cli_request(h)
    if lone_surrogate(h):  # validation refuses it first, on each member
        refused = {f.path for f in validate(request) if f.code == "input.unicode"}
        assert {*TOP_LEVEL, f"{UPC}.UserPoolName", f"{UPC}.OAuth.RedirectSignInURIs[0]"} <= refused
        return
    connection = Connection.for_emulator("http://127.0.0.1:9")
    if "\x00" in h:  # no command line can carry it: the tab says so, by member
        with pytest.raises(ValueError, match=r"AppId: .*NUL"):
            shell_script(request, "CreateBackendAuth", connection)
        tab = CliTab()
        tab.refresh(request, "CreateBackendAuth", connection, skeleton="{}")
        assert tab.script == "" and "AppId" in tab.command.value and "NUL" in tab.command.value
        return
    script = shell_script(request, "CreateBackendAuth", connection)
    assert "in-the-form" not in script
    variables = re.findall(
        r"^# Set first, without showing it: read -rs (\S+) && export \1$", script, re.M
    )
    values = {v: f"{i}: {_typed_secret(h)}" for i, v in enumerate(variables)}
    shell["argv"].unlink(missing_ok=True)
    env = {
        "PATH": f"{shell['bin']}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(shell["work"]),
        "AAW_ARGV": str(shell["argv"]),
        **values,
    }
    # from a file, as a paste reaches bash (a 10,000 character value makes the script longer
    # than one argument may be)
    pasted = shell["bin"].parent / "pasted.sh"
    pasted.write_text(script, encoding="utf-8")
    done = subprocess.run(
        ["bash", str(pasted)], cwd=shell["work"], env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert not list(shell["work"].iterdir())  # nothing planted ran
    argv = [a.decode() for a in shell["argv"].read_bytes().split(b"\0")[:-1]]
    assert argv[:2] == ["amplifybackend", "create-backend-auth"]
    options = dict(zip(argv[2::2], argv[3::2], strict=True))
    expected = fill_secrets(copy.deepcopy(request), [values[v] for v in variables])
    assert json.loads(options.pop("--resource-config")) == expected["ResourceConfig"]
    assert options == {
        "--app-id": h,
        "--backend-environment-name": h,
        "--resource-name": h,
        "--client-secret": expected["ClientSecret"],
        "--endpoint-url": "http://127.0.0.1:9",
        "--region": "us-east-1",
    }


# -- CSV, read back as a spreadsheet-safe reader reads it ---------------------------------------


def _as_written(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def text_only() -> st.SearchStrategy[str]:
    return hostile_text().filter(lambda t: not lone_surrogate(t))


@budget(150)
@given(names=st.lists(text_only(), min_size=1, max_size=4))
@example(names=[TEXT_ONLY, "=1+1\r\n-1"])
def test_csv_cells_read_back_as_written(names):
    """(No lone surrogates: pandas 3 refuses them in text, so no frame we write holds one.)"""
    header = names[0] + " (header)"
    columns = {
        header: names,
        "category": pd.Categorical(names),
        "string": pd.array(names, dtype="string"),
        "object": pd.Series(names, dtype=object),
    }
    frame = pd.DataFrame({**columns, "count": range(len(names))})
    rows = csv_cells(to_csv(frame, index=False))
    assert rows[0] == [_as_written(header), "category", "string", "object", "count"]
    texts = len(columns)
    assert rows[1:] == [[_as_written(n)] * texts + [str(i)] for i, n in enumerate(names)]
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not is_number(c)]


@budget(30)
@given(names=st.lists(text_only(), min_size=1))
@example(names=[TEXT_ONLY])
def test_csv_files_read_back_as_written(tmp_path_factory, names):
    path = tmp_path_factory.mktemp("hostile-csv") / "names.csv"
    to_csv(pd.DataFrame({"name": names}), path, index=False)
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows == [["name"], *[[_as_written(n)] for n in names]]


# -- HTML --------------------------------------------------------------------------------------


class _Parsed(HTMLParser):
    """Start tags with their attributes, and the text, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", [("comment", data)]))


def parse(html: str) -> _Parsed:
    parser = _Parsed()
    parser.feed(html)
    parser.close()
    return parser


def _no_handlers(parsed: _Parsed) -> None:
    assert not [(t, a) for t, attrs in parsed.tags for a, _ in attrs if a.startswith("on")]


@budget(200)
@given(h=hostile_text())
@example(h=EVERYTHING)
def test_html_gives_back_the_text_and_adds_nothing(h):
    for quote in ("'", '"'):
        parsed = parse(f"<code title={quote}{escape(h)}{quote}>{escape(h)}</code>")
        assert parsed.tags == [("code", [("title", h)])]
        assert "".join(parsed.text) == h
    link = parse(download_link(h, b"data", "text/plain"))
    assert [t for t, _ in link.tags] == ["a"]
    _no_handlers(link)
    # the fleet's table: each cell is the text, no element but the table's own
    row = dict.fromkeys(SHOWN, h)
    table = parse(fleet_table([row], SHOWN))
    assert {t for t, _ in table.tags} == {"style", "table", "thead", "tbody", "tr", "th", "td"}
    _no_handlers(table)
    assert "".join(table.text).count(h) >= len(SHOWN)


@pytest.fixture(scope="module")
def monitor_parts(tmp_path_factory):
    from amplify_auth_widgets import BackendAuthService, JobHistory, JobMonitor, JobTracker
    from amplify_auth_widgets.emulator import Emulator

    with Emulator(job_seconds=0, db=str(tmp_path_factory.mktemp("m") / "s.sqlite3")) as emu:
        yield BackendAuthService(emu.connection()), JobHistory, JobMonitor, JobTracker


@budget(30)
@given(h=text_only())
@example(h=TEXT_ONLY)
def test_the_monitor_table_gives_back_the_job_as_text(monitor_parts, h):
    service, JobHistory, JobMonitor, JobTracker = monitor_parts
    history = JobHistory(":memory:")
    job = {"JobId": h, "AppId": h, "BackendEnvironmentName": h, "Error": h}
    history.record_status({**job, "Operation": "CreateBackendAuth", "Status": "FAILED"})
    monitor = JobMonitor(JobTracker(service, history), autostart=False)
    parsed = parse(monitor.table.value)
    assert [a for t, a in parsed.tags if t == "code"] == [[("title", h)]]
    assert {t for t, _ in parsed.tags} <= {"style", "table", "thead", "tbody", "tr", "th", "td"} | {
        "code",
        "span",
    }
    _no_handlers(parsed)
    assert "".join(parsed.text).count(h) >= 3  # app, environment, error


# -- plots -------------------------------------------------------------------------------------


@budget(12)
@given(h=text_only().filter(lambda t: LONG not in t))
@example(h=TEXT_ONLY)
def test_plot_labels_are_the_text_and_the_png_renders(h):
    """(No lone surrogates: pandas 3 refuses them in text, so no frame we plot holds one. The
    10,000 character run takes 3 s to draw: it is in the explicit example only.)"""
    timeline = plot_timeline(jobs_frame([h]), now=pd.Timestamp("2026-01-02", tz="UTC"))
    assert plain_labels(timeline.axes[0].get_yticklabels()) == [f"{h} / {h}"]
    assert figure_png(timeline)[:8] == b"\x89PNG\r\n\x1a\n"
    heatmap = plot_findings_heatmap(audit_frame([h]))
    assert plain_labels(heatmap.axes[0].get_yticklabels()) == [h]
    assert figure_png(heatmap)[:8] == b"\x89PNG\r\n\x1a\n"


# -- file names --------------------------------------------------------------------------------


def _one_safe_component(name: str) -> None:
    assert name and len(name.encode()) <= 255, name
    assert "/" not in name and "\\" not in name and name not in (".", "..")
    assert not name.startswith("."), name
    bad = {unicodedata.category(c) for c in name} & {"Cc", "Cf", "Cs", "Zl", "Zp"}
    assert not bad, (name, bad)


@budget(60)
@given(h=hostile_text())
@example(h=EVERYTHING)
@example(h="../../.bashrc")
def test_the_request_download_is_named_with_one_safe_component(h):
    """The only file name made from data: the editor's "Prepare download" names the JSON file
    after the request's AppId (the Gen 2 zip, its entries and the monitor's exports have fixed
    names)."""
    request = valid_request(AppId=h)
    io_ = RequestIO(lambda: request, lambda _: None, lambda: "CreateBackendAuth", request_spec, str)
    io_.prepare_download()
    link = parse(io_.download_link.value)
    assert [t for t, _ in link.tags] == ["a"]
    attrs = dict(link.tags[0][1])
    name, href = attrs["download"], attrs["href"]
    assert name is not None and href is not None
    _one_safe_component(name)
    assert name.startswith("CreateBackendAuth-") and name.endswith(".json")
    # the file holds the request as it is, in UTF-8
    data = base64.b64decode(href.split("base64,", 1)[1])
    # (two lone surrogates in a row read back as the pair they make, as JSON reads them)
    assert json.loads(data.decode("utf-8"))["AppId"] == json.loads(json.dumps(h))
    assert "".join(link.text).endswith(name)  # the link shows the name it saves

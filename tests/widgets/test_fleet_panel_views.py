"""The fleet panel's views as a person reads them: the audit table, what changed since the last
audit, the migration plan's table and chart, why Apply is off, the accounts picker's labels.
Hand-built frames where a view's edge is hard to reach through the service (a name missing, a
list, NaN, more rows than are shown); every style sheet applies to the table it is beside."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pandas as pd
import pytest
from support.htmltext import text_of

from amplify_auth_widgets.fleet.migration import CHART_TITLE, VERDICT_COLORS, VERDICTS
from amplify_auth_widgets.widgets.fleet import (
    _blocked_note,
    _place_label,
    chart_html,
    drift_html,
    plan_table,
)
from amplify_auth_widgets.widgets.style import on_theme

WHEN = pd.Timestamp("2027-01-15 08:00:00", tz="UTC")


class _Markup(HTMLParser):
    """Every element's tag and attributes, and each table row's cells as their text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[list[str]] = []
        self.style = ""
        self._in_style = False
        self._cell = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "style":
            self._in_style = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self._cell = True

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        elif tag in ("td", "th"):
            self._cell = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        elif self._cell:
            self.rows[-1][-1] += data


def markup(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def rules(style: str) -> dict[str, dict[str, str]]:
    """A style sheet as {selector: {property: value}}, each selector of a group on its own."""
    found: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", style):
        declared = dict(d.split(":", 1) for d in body.split(";") if d)
        for selector in selectors.split(","):
            found.setdefault(selector.strip(), {}).update(declared)
    return found


def table_class(parsed: _Markup) -> str:
    (classes,) = [a.get("class") for tag, a in parsed.elements if tag == "table"]
    assert classes
    return classes


def changes_frame(rows: list[tuple]) -> pd.DataFrame:
    """Changes as ``fleet.drift`` gives them: names as ``string``, values as they were."""
    columns = ["app_id", "app_name", "environment", "field"]
    frame = pd.DataFrame([row[:4] for row in rows], columns=columns, dtype="string")
    for at, name in ((4, "before"), (5, "after")):
        frame[name] = pd.Series([row[at] for row in rows], index=frame.index, dtype=object)
    return frame


# -- what changed since the last audit --------------------------------------------------------


def test_the_first_audit_and_an_audit_without_change_say_so():
    assert drift_html(None, None) == (
        "<i>First saved audit: the next one shows what changed since.</i>"
    )
    unchanged = drift_html(changes_frame([]), WHEN)
    assert text_of(unchanged) == "No change since the audit of 2027-01-15 08:00:00 UTC."
    assert markup(unchanged).elements == [("span", {"class": "aaw-drift"})]


def test_each_change_is_a_row_named_by_app_and_environment():
    changes = changes_frame(
        [
            ("d1", "todo-web", "prod", "UserPoolConfigs.Mfa.MFAMode", "ON", "OPTIONAL"),
            ("d1", "todo-web", "prod", "scopes", ["a", "b"], ["a"]),
            ("d2", "", "dev", "resource_name", None, "auth"),
            ("d3", "", "main", "stack_name", "s", float("nan")),
        ]
    )
    html = drift_html(changes, WHEN)
    parsed = markup(html)
    assert parsed.rows == [
        ["environment", "field", "before", "after"],
        ["todo-web / prod", "UserPoolConfigs.Mfa.MFAMode", "ON", "OPTIONAL"],
        ["todo-web / prod", "scopes", "a, b", "a"],  # a list's items, comma-separated
        ["d2 / dev", "resource_name", "(none)", "auth"],  # no name: the app's id
        ["d3 / main", "stack_name", "s", ""],  # NaN: nothing
    ]
    summary = "4 change(s) in 3 environment(s) since the audit of 2027-01-15 08:00:00 UTC"
    assert text_of(html) == summary + "".join("".join(row) for row in parsed.rows)
    # the changes open at once, the count in bold, the table styled
    details = [a for tag, a in parsed.elements if tag == "details"]
    assert details == [{"class": "aaw-drift", "open": None}]
    assert re.search(r"<summary><b>4</b> change\(s\) in <b>3</b> environment", html)
    assert_styled_table(parsed)


def test_a_long_list_of_changes_says_how_many_are_not_shown():
    changes = changes_frame([("d1", "a", "prod", f"f{i}", i, i + 1) for i in range(5)])
    cut = drift_html(changes, WHEN, limit=3)
    parsed = markup(cut)
    assert [row[1] for row in parsed.rows[1:]] == ["f0", "f1", "f2"]
    assert text_of(cut).endswith("a / prodf223" + "2 more rows not shown")
    assert "more rows" not in drift_html(changes, WHEN, limit=5)
    assert len(markup(drift_html(changes, WHEN, limit=5)).rows) == 1 + 5


def assert_styled_table(parsed: _Markup) -> None:
    """The table's style sheet pads its cells and aligns them left: it names the table's
    class."""
    css = rules(parsed.style)
    name = table_class(parsed)
    for cell in ("td", "th"):
        assert css[f".{name} {cell}"] == {"padding": "2px 10px", "text-align": "left"}


# -- the migration plan ------------------------------------------------------------------------


def plan_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


PLAN_ROWS = [
    {
        "app_name": "todo-web",
        "app_id": "d1",
        "environment": "prod",
        "way": "generated project",
        "verdict": "ready",
        "reasons": [],
        "secrets": ["GOOGLE_SECRET", "<b>x</b>"],
        "nag": None,
    },
    {
        "app_name": "<img src=x>",
        "app_id": "d2",
        "environment": "dev",
        "way": "by hand",
        "verdict": "blocked",
        "reasons": ["no auth: the environment has no auth resource"],
        "secrets": [],
        "nag": float("nan"),
    },
]


def test_the_plan_table_lists_each_environment_with_its_verdict_in_colour():
    html = plan_table(plan_frame(PLAN_ROWS))
    parsed = markup(html)
    headings = ["App", "App id", "Environment", "Way", "Verdict", "Reasons", "Secrets to set"]
    assert parsed.rows[0] == [*headings, "cdk-nag findings"]
    assert [a for tag, a in parsed.elements if tag == "th"] == [{"scope": "col"}] * 8
    assert parsed.rows[1] == [
        "todo-web",
        "d1",
        "prod",
        "generated project",
        "ready",
        "",
        "GOOGLE_SECRET<b>x</b>",  # each list item escaped, shown as written
        "",
    ]
    assert parsed.rows[2][0] == "<img src=x>" and parsed.rows[2][-1] == ""
    assert "<img src=x>" not in html
    # lists as bulleted items; an empty list an empty cell
    assert "<td><ul><li>GOOGLE_SECRET</li><li>&lt;b&gt;x&lt;/b&gt;</li></ul></td>" in html
    assert "<td><ul><li>no auth: the environment has no auth resource</li></ul></td>" in html
    assert "<td></td><td></td>" in html  # row 2: no secrets, no findings
    # each verdict in its own colour, made readable on the theme, in bold
    for verdict in ("ready", "blocked"):
        colour = on_theme(VERDICT_COLORS[verdict])
        assert f'<td style="color:{colour}"><b>{verdict}</b></td>' in html
    assert text_of(html) == "Migration plan: a row per environment" + "".join(
        "".join(row) for row in parsed.rows
    )
    css = rules(parsed.style)
    assert table_class(parsed) == "aaw-plan"
    for cell in ("td", "th"):
        assert css[f".aaw-plan {cell}"] == {
            "padding": "2px 10px",
            "text-align": "left",
            "vertical-align": "top",
        }
    assert css[".aaw-plan ul"] == {"margin": "0", "padding-left": "1.2em"}


def test_a_verdict_the_palette_lacks_takes_the_text_colour_and_long_plans_are_cut():
    odd = [{**PLAN_ROWS[0], "verdict": "unheard of"}]
    html = plan_table(plan_frame(odd))
    assert f'<td style="color:{on_theme("currentColor")}"><b>unheard of</b></td>' in html
    many = plan_frame([{**PLAN_ROWS[0], "app_id": f"d{i}"} for i in range(4)])
    cut = plan_table(many, limit=3)
    assert [row[1] for row in markup(cut).rows[1:]] == ["d0", "d1", "d2"]
    assert text_of(cut).endswith("1 more rows not shown")
    assert "more rows" not in plan_table(many, limit=4)
    big = plan_frame([{**PLAN_ROWS[0], "app_id": f"d{i}"} for i in range(201)])
    shown = plan_table(big)  # 200 rows at most by default
    assert len(markup(shown).rows) == 1 + 200 and text_of(shown).endswith("1 more rows not shown")
    assert "more rows" not in plan_table(big.head(200))


def test_the_chart_is_a_figure_with_the_counts_in_words_and_its_title_as_caption():
    plan = plan_frame([{**PLAN_ROWS[0], "verdict": v} for v in (*VERDICTS, "ready")])
    html = chart_html(plan)
    parsed = markup(html)
    assert [tag for tag, _ in parsed.elements] == ["figure", "img", "figcaption"]
    assert parsed.elements[0][1] == {"class": "aaw-plan-chart", "style": "margin:0"}
    img = parsed.elements[1][1]
    assert img["alt"] == (
        "Bar chart of 5 environments by migration verdict: ready 2, ready with overrides 1, "
        "needs a decision 1, blocked 1."
    )
    assert img["style"] == "max-width:640px"
    assert img["src"].startswith("data:image/png;base64,")
    png = base64.b64decode(img["src"].removeprefix("data:image/png;base64,"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert text_of(html) == CHART_TITLE


# -- why Apply is off, and the accounts picker --------------------------------------------------


@pytest.mark.parametrize(
    ("invalid", "named"),
    [
        (["a / prod"], "1 target(s) INVALID (a / prod;"),
        (["a / 1", "a / 2", "a / 3"], "3 target(s) INVALID (a / 1, a / 2, a / 3;"),
        (
            ["a / 1", "a / 2", "a / 3", "a / 4"],
            "4 target(s) INVALID (a / 1, a / 2, a / 3 and 1 more;",
        ),
        ([f"a / {i}" for i in range(7)], "7 target(s) INVALID (a / 0, a / 1, a / 2 and 4 more;"),
    ],
)
def test_why_apply_is_off_names_three_invalid_targets_and_counts_the_rest(invalid, named):
    note = _blocked_note(invalid)
    assert text_of(note) == (
        f"Apply is off: {named} the reason is in each row). "
        "Unpick them in Targets or change the template, then Dry run again."
    )
    assert note.startswith('<span style="color:') and "<img" not in _blocked_note(["<img> / x"])


@pytest.mark.parametrize(
    ("connection", "label"),
    [
        (SimpleNamespace(profile="home", region="eu-west-1", access_key_id="AKIA1234"), "home"),
        (SimpleNamespace(profile=None, region="eu-west-1", access_key_id="AKIAWXYZ"), "key …WXYZ"),
        (SimpleNamespace(profile="", region="eu-west-1", access_key_id=""), "default"),
        (SimpleNamespace(region="eu-west-1"), "default"),
    ],
)
def test_a_place_is_named_by_its_profile_or_its_key_s_last_four_characters(connection, label):
    assert _place_label(connection) == f"{label} · eu-west-1"


def test_a_place_without_a_region_says_so():
    assert _place_label(SimpleNamespace(profile="home", region=None)) == "home · default region"
    assert _place_label(SimpleNamespace(profile="home")) == "home · default region"


def test_the_changes_show_200_rows_and_count_the_rest():
    changes = changes_frame([("d1", "a", "prod", f"f{i}", i, i + 1) for i in range(201)])
    shown = drift_html(changes, WHEN)
    assert len(markup(shown).rows) == 1 + 200
    assert text_of(shown).endswith("1 more rows not shown")
    assert "more rows" not in drift_html(changes.head(200), WHEN)

"""The fleet's dry run as a person reads it (``widgets.dryrun``), on its own: each value as the
user writes it, each setting by its label, each INVALID target's reasons, the table of targets
and of changes, and which targets hold Apply back. Results frames as ``fleet.apply`` makes
them (one made by a real dry run against the emulator), and by hand for the edges."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from support.htmltext import text_of

from amplify_auth_widgets import BackendAuthService, JobHistory
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.widgets.codeview import SCROLL_CLASS
from amplify_auth_widgets.widgets.dryrun import (
    NOT_SET,
    changes_html,
    dry_run_html,
    invalid_targets,
    reason_html,
    setting_label,
    show_value,
)
from amplify_auth_widgets.widgets.style import job_colour

MIN_LENGTH = "UserPoolConfigs.PasswordPolicy.MinimumLength"
CONFIG = request_spec("UpdateBackendAuth").member("ResourceConfig")
HEAD = ["App", "Environment", "Operation", "Status", "Reason", "Changes"]


class _Table(HTMLParser):
    """The outer table's head and body rows, each cell as its text (a nested table's cells
    spaced), and every element's tag and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.rows, self.elements = 0, [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "table":
            self.depth += 1
        elif tag == "tr" and self.depth == 1:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            if self.depth == 1:
                self.rows[-1].append("")
            else:
                self.rows[-1][-1] += " "

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth >= 1 and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def parsed(html: str) -> _Table:
    table = _Table()
    table.feed(html.split("</style>", 1)[-1])
    table.rows = [[" ".join(cell.split()) for cell in row] for row in table.rows]
    return table


def rules(html: str) -> dict[str, dict[str, str]]:
    """The style sheet as {selector: {property: value}}, each selector of a group alone."""
    style = re.search(r"<style>(.*?)</style>", html, re.S)[1]
    found: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", style):
        declared = dict(d.split(":", 1) for d in body.split(";") if d)
        for selector in selectors.split(","):
            found.setdefault(selector.strip(), {}).update(declared)
    return found


# -- a value as the user writes it -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "(not set)"),
        (True, "true"),
        (False, "false"),
        (8.0, "8"),
        (0.0, "0"),
        (-3.0, "-3"),
        (1e20, "100000000000000000000"),
        (6.5, "6.5"),
        (0.1, "0.1"),
        (14, "14"),
        (0, "0"),
        ("", ""),
        ("Your code: {####}", "Your code: {####}"),
        (["REQUIRE_DIGIT", "REQUIRE_SYMBOL"], "REQUIRE_DIGIT, REQUIRE_SYMBOL"),
        ([8.0, True, None], "8, true, (not set)"),
        (("a", 2), "a, 2"),
        ([], "(none)"),
        ({"ClientSecret": "<redacted>"}, '{"ClientSecret": "<redacted>"}'),
        ({"a": 1, "b": [1, 2]}, '{"a": 1, "b": [1, 2]}'),
        ({"Name": "café ✓"}, '{"Name": "café ✓"}'),
        ({"at": dt.date(2027, 1, 15)}, '{"at": "2027-01-15"}'),
        ([{"a": 1}], '{"a": 1}'),
    ],
)
def test_a_value_is_shown_as_the_user_writes_it(value, shown):
    assert show_value(value) == shown


def test_a_long_value_is_cut_at_200_characters_with_an_ellipsis():
    assert show_value("x" * 200) == "x" * 200
    assert show_value("x" * 201) == "x" * 199 + "…"
    assert show_value(["y" * 150, "z" * 150]) == "y" * 150 + ", " + "z" * 47 + "…"
    assert len(show_value({"k": "v" * 500})) == 200


# -- a setting by its label --------------------------------------------------------------------


def test_a_setting_is_named_by_its_label_and_its_section_when_deep():
    assert setting_label(MIN_LENGTH, CONFIG) == "Minimum length (Password policy)"
    assert setting_label("IdentityPoolConfigs.UnauthenticatedLogin", CONFIG) == (
        "Allow guest access"  # a section's own member: no section named
    )
    assert setting_label("UserPoolConfigs.Mfa.Settings.SmsMessage", CONFIG) == (
        "SMS text (MFA methods)"
    )
    assert setting_label("Service", CONFIG) == "Service"
    # members the model lacks, in words; under a known section, its label
    assert setting_label("UserPoolConfigs.UnknownMember", CONFIG) == "Unknown member"
    assert setting_label("UserPoolConfigs.PasswordPolicy.NewThing", CONFIG) == (
        "New thing (Password policy)"
    )
    # no model at all: every step in words
    assert setting_label("UserPoolConfigs.PasswordPolicy.MinimumLength", None) == (
        "Minimum length (Password policy)"
    )
    assert setting_label("UserPoolConfigs.SignInMethod", None) == "Sign in method"
    assert setting_label("MFAMode", None) == "MFA mode"


# -- a target's changes ------------------------------------------------------------------------


def test_changes_are_a_table_of_setting_before_after_and_api_path():
    assert changes_html([], CONFIG) == "<i>no change</i>"
    html = changes_html(
        [
            (MIN_LENGTH, 8.0, 14),
            ("IdentityPoolConfigs.UnauthenticatedLogin", True, False),
            ("UserPoolConfigs.RequiredSignUpAttributes", None, ["EMAIL"]),
            ("UserPoolConfigs.VerificationMessage", {"EmailSubject": "<b>hi</b>"}, None),
        ],
        CONFIG,
    )
    table = parsed(html)
    assert table.rows == [
        ["Setting", "Before", "After", "API path"],
        ["Minimum length (Password policy)", "8", "→ 14", MIN_LENGTH],
        ["Allow guest access", "true", "→ false", "IdentityPoolConfigs.UnauthenticatedLogin"],
        [
            "Required sign up attributes",  # (the update's model has no label of its own)
            NOT_SET,
            "→ EMAIL",
            "UserPoolConfigs.RequiredSignUpAttributes",
        ],
        [
            "Verification message",
            '{"EmailSubject": "<b>hi</b>"}',
            "→ (not set)",
            "UserPoolConfigs.VerificationMessage",
        ],
    ]
    assert text_of(html) == "".join("".join(row) for row in table.rows)
    assert "<b>hi</b>" not in html  # shown, never run
    assert table.elements[0] == ("table", {"class": "aaw-changes"})
    assert [a for tag, a in table.elements if tag == "th"] == [{"scope": "col"}] * 4 + [
        {"scope": "row"}
    ] * 4
    # the arrow is for the eye only; the path may break at each dot
    assert html.count('<td><span aria-hidden="true">→ </span>') == 4
    assert "<td><code>UserPoolConfigs.<wbr>PasswordPolicy.<wbr>MinimumLength</code></td>" in html


# -- why a target is not sent ------------------------------------------------------------------


FINDINGS = [
    "ResourceConfig.AuthResources: error model.required: AuthResources is required.",
    "ResourceConfig.UserPoolConfigs.RequiredSignUpAttributes: error model.required: x.",
    f"ResourceConfig.{MIN_LENGTH}: error model.range: 3 is not allowed.",
    "AppId: error model.pattern: <b>bad</b> id.",
    "(request): error fleet.x: something.",
    "ResourceConfig.Service: warning model.y: only a warning.",
]


def items(html: str) -> list[tuple[str | None, str]]:
    return [
        (title, text_of(text))
        for title, text in re.findall(r'<li(?: title="([^"]*)")?>(.*?)</li>', html, re.S)
    ]


def test_a_reason_names_the_first_three_errors_by_label_and_counts_the_rest():
    html = reason_html({"findings": FINDINGS}, request_spec("CreateBackendAuth"))
    assert html.startswith("<ul>") and html.endswith("</ul>")
    assert items(html) == [
        ("ResourceConfig.AuthResources", "What to create: AuthResources is required."),
        ("ResourceConfig.UserPoolConfigs.RequiredSignUpAttributes", "Required at sign-up: x."),
        (f"ResourceConfig.{MIN_LENGTH}", "Minimum length (Password policy): 3 is not allowed."),
        ("", "and 2 more"),  # the errors only: the warning is not a reason
    ]
    assert '<li title="ResourceConfig.AuthResources">' in html
    assert "<li>and 2 more</li>" in html


@pytest.mark.parametrize("count", [1, 2, 3])
def test_three_errors_or_fewer_are_all_named_and_nothing_is_counted(count):
    html = reason_html({"findings": FINDINGS[:count]}, request_spec("CreateBackendAuth"))
    assert len(items(html)) == count and "more" not in html


def test_a_reason_outside_the_configuration_and_without_a_model_is_in_words():
    html = reason_html({"findings": FINDINGS[3:]}, None)
    assert items(html) == [
        ("AppId", "App id: <b>bad</b> id."),
        ("(request)", "The request: something."),
    ]
    assert "<b>" not in html  # the message escaped
    create = request_spec("CreateBackendAuth")
    assert items(reason_html({"findings": FINDINGS[3:4]}, create)) == [
        ("AppId", "App ID: <b>bad</b> id.")  # the model's label
    ]
    # no model: the configuration's members in words, the section named
    assert items(reason_html({"findings": [FINDINGS[2]]}, None)) == [
        (f"ResourceConfig.{MIN_LENGTH}", "Minimum length (Password policy): 3 is not allowed.")
    ]
    assert items(reason_html({"findings": [FINDINGS[1]]}, None)) == [
        (
            "ResourceConfig.UserPoolConfigs.RequiredSignUpAttributes",
            "Required sign up attributes (User pool configs): x.",
        )
    ]


def test_four_errors_name_three_and_count_one_and_the_items_are_all_that_shows():
    four = [*FINDINGS[:3], FINDINGS[4]]
    html = reason_html({"findings": four}, request_spec("CreateBackendAuth"))
    assert items(html)[-1] == ("", "and 1 more")
    assert text_of(html) == "".join(text for _, text in items(html))


def test_an_error_that_is_not_a_finding_is_shown_whole_and_the_next_still_named():
    odd = "Throttled: error from the service: slow down"
    html = reason_html({"findings": [odd, FINDINGS[3]]}, None)
    assert items(html) == [("", odd), ("AppId", "App id: <b>bad</b> id.")]


def test_an_error_that_is_not_a_finding_is_shown_whole():
    odd = "Throttled: error from the service: slow down"
    html = reason_html({"findings": [odd, 7, None]}, None)
    assert items(html) == [("", odd)]
    assert html == f'<ul><li title="">{odd}</li></ul>'
    multi = "ResourceConfig.Service: error model.enum: one\ntwo"
    assert items(reason_html({"findings": [multi]}, CONFIG)) == [
        ("ResourceConfig.Service", "Service: one\ntwo")
    ]


@pytest.mark.parametrize(
    ("row", "shown"),
    [
        ({"findings": [], "error": "no auth here"}, "no auth here"),
        ({"findings": [FINDINGS[-1]], "error": "<i>why</i>"}, "&lt;i&gt;why&lt;/i&gt;"),
        ({"findings": None, "error": None}, ""),
        ({"findings": "not a list", "error": float("nan")}, ""),
        ({"error": pd.NA}, ""),
        ({}, ""),
    ],
)
def test_without_error_findings_the_reason_is_the_error_that_stopped_it(row, shown):
    assert reason_html(row, None) == shown


# -- the dry run -------------------------------------------------------------------------------


def results_frame(rows: list[dict]) -> pd.DataFrame:
    columns = ["app_id", "environment", "operation", "status", "findings", "error", "changes"]
    return pd.DataFrame(rows, columns=columns)


def test_the_dry_run_is_a_table_of_targets_with_their_status_reason_and_changes():
    frame = results_frame(
        [
            {
                "app_id": "d1",
                "environment": "prod",
                "operation": "UpdateBackendAuth",
                "status": "DRY_RUN",
                "findings": [],
                "error": None,
                "changes": [
                    (MIN_LENGTH, 8.0, 14),
                    ("IdentityPoolConfigs.UnauthenticatedLogin", True, False),
                ],
            },
            {
                "app_id": "d1",
                "environment": "dev",
                "operation": "UpdateBackendAuth",
                "status": "INVALID",
                "findings": [FINDINGS[2], FINDINGS[3]],
                "error": None,
                "changes": [(MIN_LENGTH, 8.0, 3)],  # not sent: not shown
            },
            {
                "app_id": "d2<x>",
                "environment": None,
                "operation": "NoSuchOperation",
                "status": "DRY_RUN",
                "findings": [],
                "error": None,
                "changes": [
                    ("UserPoolConfigs.PasswordPolicy.MinimumLength", 6, 7),
                    ("IdentityPoolConfigs.UnauthenticatedLogin", True, False),
                ],
            },
            {
                "app_id": float("nan"),
                "environment": pd.NA,
                "operation": None,
                "status": None,
                "findings": None,
                "error": "no auth to update in this environment",
                "changes": None,
            },
        ]
    )
    html = dry_run_html(frame)
    table = parsed(html)
    assert table.rows == [
        HEAD,
        [
            "d1",
            "prod",
            "UpdateBackendAuth",
            "DRY_RUN",
            "",
            f"Setting Before After API path Minimum length (Password policy) 8 → 14 {MIN_LENGTH} "
            "Allow guest access true → false IdentityPoolConfigs.UnauthenticatedLogin",
        ],
        [
            "d1",
            "dev",
            "UpdateBackendAuth",
            "INVALID",
            "Minimum length (Password policy): 3 is not allowed.App ID: <b>bad</b> id.",
            "",
        ],
        # an operation the model lacks: its paths in words
        [
            "d2<x>",
            "",
            "NoSuchOperation",
            "DRY_RUN",
            "",
            f"Setting Before After API path Minimum length (Password policy) 6 → 7 {MIN_LENGTH} "
            "Unauthenticated login true → false "
            "IdentityPoolConfigs.UnauthenticatedLogin",
        ],
        ["", "", "", "", "no auth to update in this environment", "no change"],
    ]
    assert "<x>" not in html
    for status in ("DRY_RUN", "INVALID"):
        assert f'<b style="color:{job_colour(status)}">{status}</b>' in html
    assert f'<b style="color:{job_colour("")}"></b>' in html
    # a caption, a scope on each heading, all in a box that scrolls, named for a reader
    assert "<caption>Dry run: what Apply would send, a row per target</caption>" in html
    assert html.count('<th scope="col">') == 6 + 4 * 2
    # (labels from the operation's model: "Allow guest access", "App ID"; none: in words)
    box = f'<div class="{SCROLL_CLASS}" role="region" aria-label="Dry run" tabindex="0">'
    assert box + '<table class="aaw-dry-run">' in html and html.endswith("</table></div>")
    visible = "Dry run: what Apply would send, a row per target" + "".join(
        "".join(row) for row in table.rows
    )
    assert "".join(text_of(html).split()) == "".join(visible.split())
    assert invalid_targets(frame) == ["d1 / dev"]


def test_the_style_sheet_is_for_the_tables_it_is_beside():
    css = rules(dry_run_html(results_frame([])))
    cells = {
        "padding": "4px 10px",
        "text-align": "left",
        "vertical-align": "top",
        "line-height": "1.4",
        "border-bottom": "1px solid var(--jp-border-color2)",
    }
    assert css[".aaw-dry-run>tbody>tr>td"] == css[".aaw-dry-run>thead>tr>th"] == cells
    assert css[".aaw-dry-run"] == css[".aaw-changes"] == {"border-collapse": "collapse"}
    assert css[".aaw-dry-run ul"] == {"margin": "0", "padding-left": "1.2em"}
    wrapped = {
        "padding": "1px 8px",
        "text-align": "left",
        "vertical-align": "top",
        "line-height": "1.4",
        "overflow-wrap": "break-word",
        "max-width": "28em",
    }
    assert css[".aaw-changes td"] == css[".aaw-changes th"] == wrapped
    assert css[".aaw-changes code"] == {
        "font-family": "var(--jp-code-font-family,monospace)",
        "font-size": "var(--jp-code-font-size,13px)",
    }


def test_a_long_dry_run_shows_200_rows_and_counts_the_rest():
    row = {"app_id": "d1", "operation": "UpdateBackendAuth", "status": "DRY_RUN", "changes": []}
    frame = results_frame([{**row, "environment": f"e{i}"} for i in range(203)])
    html = dry_run_html(frame)
    assert len(parsed(html).rows) == 1 + 200
    assert html.endswith("</div><i>3 more rows not shown</i>")
    assert text_of(html).endswith("no change3 more rows not shown")
    assert "more rows" not in dry_run_html(frame.head(200))
    assert dry_run_html(frame.head(201)).endswith("</div><i>1 more rows not shown</i>")
    assert len(parsed(dry_run_html(frame.head(200))).rows) == 1 + 200
    cut = dry_run_html(frame, limit=2)
    assert [r[1] for r in parsed(cut).rows[1:]] == ["e0", "e1"]
    assert cut.endswith("<i>201 more rows not shown</i>")


def test_each_status_is_in_its_own_colour():
    frame = results_frame(
        [
            {"app_id": "d1", "environment": "prod", "status": "FAILED", "error": "refused"},
            {"app_id": "d1", "environment": "dev", "status": "DRY_RUN", "changes": []},
        ]
    )
    html = dry_run_html(frame)
    assert job_colour("FAILED") != job_colour("DRY_RUN")
    assert f'<b style="color:{job_colour("FAILED")}">FAILED</b>' in html
    assert f'<b style="color:{job_colour("DRY_RUN")}">DRY_RUN</b>' in html


def test_invalid_targets_are_named_app_slash_environment():
    frame = results_frame(
        [
            {"app_id": "d1", "environment": "prod", "status": "INVALID"},
            {"app_id": "d1", "environment": "dev", "status": "DRY_RUN"},
            {"app_id": "d2", "environment": None, "status": "INVALID"},
            {"app_id": "d3", "environment": "x", "status": None},
        ]
    )
    assert invalid_targets(frame) == ["d1 / prod", "d2 / "]
    frame["status"] = frame["status"].astype("category")
    assert invalid_targets(frame) == ["d1 / prod", "d2 / "]
    assert invalid_targets(results_frame([])) == []


def test_a_real_dry_run_reads_as_a_review(tmp_path):
    """``fleet.apply``'s own results: a target without auth INVALID with the service's reason,
    the other its change by label and as written (the service answers 8.0)."""
    with Emulator(job_seconds=0, db=str(tmp_path / "s.sqlite3")) as emu:
        store, now = emu.backend.store, emu.clock()
        store.put_app("d9shop", "shop", {}, now)
        store.put_environment("d9shop", "prod", {}, now)
        store.put_auth("d9shop", "prod", "auth", SOCIAL, now)  # minimum length 8
        store.put_environment("d9shop", "dev", {}, now)
        fleet = Fleet(BackendAuthService(emu.connection()), JobHistory(":memory:"))
        template = {
            "ResourceConfig": {
                "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
                "Service": "COGNITO",
                "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 14}},
            }
        }
        targets = pd.DataFrame({"app_id": ["d9shop", "d9shop"], "environment": ["dev", "prod"]})
        results = fleet.apply(template, targets, mode="update", dry_run=True)
    rows = {(r[0], r[1]): r for r in parsed(dry_run_html(results)).rows[1:]}
    dev, prod = rows["d9shop", "dev"], rows["d9shop", "prod"]
    assert dev[2:] == ["", "INVALID", "no auth to update in this environment", ""]
    assert prod[2:5] == ["UpdateBackendAuth", "DRY_RUN", ""]
    assert f"Minimum length (Password policy) 8 → 14 {MIN_LENGTH}" in prod[5]
    assert invalid_targets(results) == ["d9shop / dev"]

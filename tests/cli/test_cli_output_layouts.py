"""The terminal's output layouts, line for line: ``text`` against the AWS CLI's own text
formatter (``awscli.text``, a dependency) wherever the two are meant to agree, and the boxed
``table`` of each kind of value. A mutation run of cli/output.py found both checked on one
response only."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from awscli.text import format_text

from amplify_auth_widgets.cli.output import paint, render, render_finding, render_table, use_color
from amplify_auth_widgets.core.findings import Finding


def aws_text(data: Any) -> str:
    out = io.StringIO()
    format_text(data, out)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        {"AppId": "d1", "Status": "OK"},
        # scalars first in key order, then each nested value headed by its key in capitals
        {
            "Name": "x",
            "Tags": ["a", "b"],
            "Config": {"Mfa": {"MFAMode": "ON", "Types": ["SMS", "TOTP"]}, "Len": 8},
        },
        {"Jobs": [{"JobId": "j1", "Status": "OK"}, {"JobId": "j2", "Status": "FAILED"}]},
        {"Outer": {"Inner": {"Deep": 1, "Deeper": {"Deepest": True}}}},
        ["a", "b", 3],
        [{"a": 1, "n": {"x": 2}}, {"a": 3, "n": {"x": 4}}],
        "plain",
        7,
        {"Items": [1, 2], "Empty": [], "E2": {}},
    ],
)
def test_text_is_the_aws_cli_s_text(data):
    assert render(data, "text") == aws_text(data)


def test_text_heads_every_scalar_of_a_list_with_its_key():
    assert render({"Scopes": ["EMAIL", "OPENID"]}, "text") == "SCOPES\tEMAIL\nSCOPES\tOPENID\n"
    assert render([1, "two"], "text") == "1\ttwo\n"


def lines(data: Any, title: str = "") -> list[str]:
    return render(data, "table", title).splitlines()


def test_a_table_boxes_an_object_s_scalars_then_each_nested_value_under_its_key():
    assert lines(
        {"AppId": "d1", "Status": "OK", "Tags": ["a", "bb"], "Auth": {"Mode": "ON"}},
        "GetBackend",
    ) == [
        "+-------------+",
        "|  GetBackend |",
        "+-------------+",
        "| AppId  | d1 |",
        "| Status | OK |",
        "+-------------+",
        "+------+",
        "| Tags |",
        "+------+",
        "| a    |",
        "| bb   |",
        "+------+",
        "+-----------+",
        "|    Auth   |",
        "+-----------+",
        "| Mode | ON |",
        "+-----------+",
    ]


def test_a_table_of_objects_has_a_header_and_widens_its_last_column_for_a_long_title():
    assert lines(
        [{"JobId": "j1", "Status": "OK", "Op": "Create"}, {"JobId": "j22"}],
        "ListBackendJobsOfTheEnvironment",
    ) == [
        "+---------------------------------+",
        "| ListBackendJobsOfTheEnvironment |",
        "+---------------------------------+",
        "| JobId | Op     | Status         |",
        "+---------------------------------+",
        "| j1    | Create | OK             |",
        "| j22   |        |                |",
        "+---------------------------------+",
    ]


def test_a_table_of_an_object_without_scalars_is_titled_above_its_first_box():
    assert lines({"Names": [], "Config": {"Inner": {"Deep": 1}}}) == [
        "+----------+",
        "|  Result  |",
        "+----------+",
        "|  Inner   |",
        "+----------+",
        "| Deep | 1 |",
        "+----------+",
    ]


@pytest.mark.parametrize(
    ("data", "title", "expected"),
    [
        ([1, "two"], "", ["+--------+", "| Result |", "+--------+", "| 1      |", "| two    |"]),
        ("just text", "T", ["+-----------+", "|     T     |", "+-----------+", "| just text |"]),
        # a list that is not all objects: one cell a value, objects as they are written
        (
            {"Mixed": [{"a": 1}, "x"]},
            "Mixed",
            ["+----------+", "|  Mixed   |", "+----------+", "| {'a': 1} |", "| x        |"],
        ),
    ],
)
def test_a_table_of_a_list_or_a_scalar_has_one_column(data, title, expected):
    assert lines(data, title) == [*expected, expected[0]]


def test_an_empty_key_and_value_still_make_a_box_whose_lines_meet():
    assert lines({"": [""]}, "")[3:] == ["+--+", "|  |", "+--+", "|  |", "+--+"]


@pytest.mark.parametrize("data", [[], {}, {"Names": []}])
def test_a_table_of_nothing_is_its_title_in_a_shut_box(data):
    # what a --query that matches nothing prints: the box was left open at the bottom
    assert lines(data, "ListBackendJobs") == [
        "+-----------------+",
        "| ListBackendJobs |",
        "+-----------------+",
    ]


def test_a_title_wider_than_the_first_box_is_shut_in_a_box_of_its_own():
    # the title's box was shut by the narrower box's top rule, two widths meeting
    assert lines({"Auth": {"Mode": "ON"}}, "GetBackendAuthOfTheEnvironment") == [
        "+--------------------------------+",
        "| GetBackendAuthOfTheEnvironment |",
        "+--------------------------------+",
        "+-----------+",
        "|    Auth   |",
        "+-----------+",
        "| Mode | ON |",
        "+-----------+",
    ]


RESPONSE = {"Zeta": "é ü", "Alpha": [1, {"b": None}], "When": datetime(2026, 1, 2, 3, 4, 5)}


def test_json_is_indented_by_four_keeps_its_order_and_its_letters():
    assert (
        render(RESPONSE)
        == render(RESPONSE, "json")
        == (
            '{\n    "Zeta": "é ü",\n    "Alpha": [\n        1,\n        {\n            "b": null\n'
            '        }\n    ],\n    "When": "2026-01-02 03:04:05"\n}\n'
        )
    )


def test_yaml_keeps_the_order_and_the_letters_in_block_style_and_a_stream_is_a_list():
    assert render(RESPONSE, "yaml") == (
        "Zeta: é ü\nAlpha:\n- 1\n- b: null\nWhen: 2026-01-02 03:04:05\n"
    )
    assert render(RESPONSE, "yaml-stream") == (
        "- Zeta: é ü\n  Alpha:\n  - 1\n  - b: null\n  When: 2026-01-02 03:04:05\n"
    )


def test_an_unknown_format_is_named_with_the_formats_there_are():
    with pytest.raises(ValueError) as caught:
        render({}, "xml")
    assert str(caught.value) == (
        "unknown output format 'xml'; use one of json, text, table, yaml, yaml-stream"
    )


def test_a_table_without_a_title_is_titled_result():
    assert render_table({"A": "b"}).splitlines()[:2] == ["+--------+", "| Result |"]
    assert render({"A": "b"}, "table") == render_table({"A": "b"})


def test_a_finding_names_its_path_or_the_request_and_colours_only_its_severity():
    finding = Finding("", "error", "model.required", "AppId is required")
    assert render_finding(finding) == "(request): error model.required: AppId is required"
    warning = Finding("A.B", "warning", "x.y", "m")
    assert render_finding(warning, color=True) == "A.B: \033[33mwarning\033[0m x.y: m"
    assert paint("ok", "ok", True) == "\033[32mok\033[0m" and paint("x", "info", True) == "x"
    assert paint("error", "error", False) == "error"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "stream", "colour"),
    [
        ("on", io.StringIO(), True),
        ("off", Terminal(), False),
        ("auto", Terminal(), True),
        ("auto", io.StringIO(), False),
        ("auto", object(), False),  # a stream that cannot say
    ],
)
def test_colour_is_on_off_or_the_terminal_s(choice, stream, colour):
    assert use_color(choice, stream) is colour

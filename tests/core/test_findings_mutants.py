"""What a check finds, as people read it: a finding's line, its severity, the order of a list of
findings, a value's type and a number in words."""

from __future__ import annotations

import datetime as dt

from amplify_auth_widgets.core.findings import (
    Finding,
    describe,
    errors,
    show_number,
    sort_findings,
)

ERROR = Finding("Auth.PasswordPolicy.MinimumLength", "error", "model.range", "Too short.")
WARNING = Finding("Auth.Mfa", "warning", "rule.mfa", "Consider MFA.")


def test_a_finding_reads_as_one_line_naming_where_how_bad_which_rule_and_what():
    assert str(ERROR) == "Auth.PasswordPolicy.MinimumLength: error model.range: Too short."
    # a finding about the request as a whole names it so, not an empty place
    whole = Finding("", "error", "model.type", "The request must be an object.")
    assert str(whole) == "(request): error model.type: The request must be an object."


def test_only_errors_are_errors():
    assert ERROR.is_error and not WARNING.is_error
    assert errors([WARNING, ERROR, WARNING]) == [ERROR]
    assert errors([WARNING]) == []


def test_a_finding_as_a_dict_keeps_every_field_by_name():
    assert ERROR.to_dict() == {
        "path": "Auth.PasswordPolicy.MinimumLength",
        "severity": "error",
        "code": "model.range",
        "message": "Too short.",
    }


def test_findings_read_errors_first_then_by_place_then_by_rule_each_once():
    b_error = Finding("B", "error", "x.a", "m")
    a_error_z = Finding("A", "error", "x.z", "m")
    a_error_a = Finding("A", "error", "x.a", "m")
    a_warning = Finding("A", "warning", "x.a", "m")
    shuffled = [a_warning, b_error, a_error_z, a_warning, a_error_a, b_error]
    assert sort_findings(shuffled) == [a_error_a, a_error_z, b_error, a_warning]
    assert sort_findings([]) == []


def test_findings_at_one_place_by_one_rule_keep_the_order_they_were_found_in():
    first = Finding("A", "error", "x.a", "zebra")
    second = Finding("A", "error", "x.a", "apple")
    assert sort_findings([first, second]) == [first, second]


def test_a_value_s_type_in_words():
    assert describe({}) == "an object"
    assert describe([1]) == "a list"
    assert describe("x") == "a string"
    assert describe(True) == "true/false"
    assert describe(3) == describe(3.5) == "a number"
    assert describe(None) == "null"
    assert describe(b"\x00") == "binary data"
    assert describe(dt.date(2026, 1, 2)) == "a date"
    assert describe(dt.datetime(2026, 1, 2, 3, 4)) == "a date and time"
    assert describe({1}) == "a set"
    # a type JSON has no word for is named as Python names it
    assert describe(1j) == "complex"


def test_a_number_in_a_message():
    assert show_number(6) == "6"
    assert show_number(6.5) == "6.5"
    assert show_number(1e20) == "1e+20"
    # an integer no float holds is quoted, briefly, not an error
    assert show_number(10**400) == "a whole number of about 401 digits"

"""gen2.typescript's literals and layout, line by line, without Node: Prettier's choices (the
quote, where a line breaks, at exactly 80 columns) and the one-line forms of each value.
test_gen2_hostile.py reads the literals back in Node; test_gen2_toolchain.py runs Prettier on
whole exports. (Not named test_typescript*: the mutation runs would then leave out the rest of
tests/gen2 for this module.)"""

from __future__ import annotations

import pytest

from amplify_auth_widgets.gen2.typescript import (
    WIDTH,
    Code,
    Inline,
    call,
    comment_block,
    destructure,
    literal,
    object_body,
    string,
    value_lines,
)


@pytest.mark.parametrize(
    "value, text",
    [
        ("a \"b\" 'c' 'd'", "\"a \\\"b\\\" 'c' 'd'\""),  # more single quotes: double
        ("\"x\" 'y'", '"\\"x\\" \'y\'"'),  # as many of each: double, as Prettier
        ('"x" "y" \'z\'', "'\"x\" \"y\" \\'z\\''"),  # more double quotes: single
    ],
)
def test_the_quote_is_the_one_that_needs_fewer_escapes(value, text):
    assert string(value) == text


def test_object_keys_that_are_not_identifiers_are_quoted():
    assert literal(Inline({"my-key": 1, "ok": 2})) == '{ "my-key": 1, ok: 2 }'


@pytest.mark.parametrize(
    "value, text",
    [
        (2.0, "2"),
        (1.5, "1.5"),
        (-3, "-3"),
        (False, "false"),
        (["a", 1], '["a", 1]'),
        ([], "[]"),
        (Inline(), "{}"),
        ({}, "{}"),
    ],
)
def test_one_line_forms(value, text):
    assert literal(value) == text


@pytest.mark.parametrize("value", [["a", {"k": 1}], {"k": 1}, {1, 2}])
def test_values_with_no_one_line_form(value):
    assert literal(value) is None


def test_a_line_of_exactly_80_columns_stays_one_line():
    lead = "subject: "
    fits = "x" * (WIDTH - len(lead) - 3)  # the quotes and the comma make 80
    assert value_lines(fits, 0, lead, ",", key="subject") == [f'{lead}"{fits}",']
    assert value_lines(fits + "x", 0, lead, ",", key="subject") == ["subject:", f'  "{fits}x",']


def test_a_long_string_breaks_after_a_key_of_five_or_more_characters_only():
    long = "x" * 90
    assert value_lines(long, 0, "abcde: ", ",", key="abcde") == ["abcde:", f'  "{long}",']
    assert value_lines(long, 0, "abcd: ", ",", key="abcd") == [f'abcd: "{long}",']
    assert object_body({"name": long}, 1) == [f'  name: "{long}",']
    assert object_body({"subject": long}, 1) == ["  subject:", f'    "{long}",']


def test_an_array_element_and_an_expression_stay_on_their_line_however_long():
    long = "x" * 90
    assert value_lines([long], 0, "list = ", ";") == ["list = [", f'  "{long}",', "];"]
    code = Code(f"f({long})")
    assert value_lines(code, 0, "target = ", ";") == [f"target = f({long});"]
    # an expression with no text adds nothing to its line
    assert value_lines(Code(""), 0, "x" * WIDTH + " = ", ";") == ["x" * WIDTH + " = ;"]


def test_nested_objects_are_indented_one_level_each():
    assert value_lines([{"name": "x"}], 0, "list = ", ";") == [
        "list = [",
        "  {",
        '    name: "x",',
        "  },",
        "];",
    ]


def test_a_value_with_no_typescript_form_is_named():
    with pytest.raises(TypeError, match="no TypeScript form for set"):
        value_lines({1, 2}, 0, "x = ", ";")


def test_a_call_is_one_line_when_it_fits_else_one_argument_a_line():
    assert call("f", ["a", 1]) == ['f("a", 1);']
    assert call("f", [Code(""), 1]) == ["f(, 1);"]
    assert call("defineBackend", [{"auth": Code("auth")}]) == [
        "defineBackend(",
        "  {",
        "    auth: auth,",
        "  },",
        ");",
    ]
    fits = "x" * (WIDTH - len('f("");'))
    assert call("f", [fits]) == [f'f("{fits}");']
    assert call("f", [fits + "x"]) == ["f(", f'  "{fits}x",', ");"]


def test_a_destructuring_breaks_after_the_equals_sign_past_80_columns():
    head = "const { a } ="
    fits = "x" * (WIDTH - len(head) - 2)
    assert destructure(["a"], fits) == [f"{head} {fits};"]
    assert destructure(["a"], fits + "x") == [head, f"  {fits}x;"]


def test_an_empty_comment_line_has_no_trailing_space():
    assert comment_block(["", "a "]) == ["//", "// a"]

"""Reading request files and option values: each kind of bad input is refused with the message
a user reads, naming the source and the place; input just inside each limit is read whole."""

from __future__ import annotations

import json

import pytest

from amplify_auth_widgets.core.skeleton import (
    MAX_DEPTH,
    MAX_INPUT_BYTES,
    MAX_VALUES,
    InputError,
    load_cli_input,
    load_skeleton_file,
    parse_json,
    parse_yaml,
    read_value,
)

TOO_BIG = "larger than 8 MiB, the most read as input; a request the service takes is at most 1 MiB"
TOO_DEEP = "objects and lists are nested more than 64 deep; a request nests 7 deep"


def message(call, *args):
    with pytest.raises(InputError) as info:
        call(*args)
    return str(info.value)


def test_an_error_names_the_source_then_the_line_and_column():
    assert str(InputError("bad", "--x", 3, 8)) == "--x line 3, column 8: bad"
    assert str(InputError("bad", "--x", 3)) == "--x line 3: bad"
    assert str(InputError("bad", "--x")) == "--x: bad"
    assert str(InputError("bad")) == "bad"
    error = InputError("bad", "--x", 3, 8)
    assert (error.where, error.line, error.column) == ("--x", 3, 8)
    assert (InputError("bad").where, InputError("bad").line, InputError("bad").column) == (
        "",
        None,
        None,
    )


# -- option values and files ---------------------------------------------------------------


def test_a_value_is_its_own_text_and_file_reads_the_file(tmp_path, monkeypatch):
    assert read_value("d1abc", "--app-id") == "d1abc"
    (tmp_path / "name.txt").write_text("main-users ü\n", encoding="utf-8")
    assert read_value(f"file://{tmp_path}/name.txt", "--x") == "main-users ü\n"
    monkeypatch.setenv("HOME", str(tmp_path))  # file://~/... is the user's home, as in the CLI
    assert read_value("file://~/name.txt", "--x") == "main-users ü\n"


def test_files_that_cannot_be_read_are_named(tmp_path):
    missing = tmp_path / "missing.json"
    assert message(read_value, f"file://{missing}", "--x") == f"--x: no such file: {missing}"
    assert message(read_value, f"file://{tmp_path}", "--x") == (
        f"--x: {tmp_path} is a folder, not a file"
    )
    long_name = tmp_path / ("n" * 300)
    assert message(read_value, f"file://{long_name}", "--x") == (
        f"--x: cannot read {long_name}: File name too long"
    )
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"AppId": "d1\xe9"}')
    assert message(read_value, f"file://{latin1}", "--x") == (
        f"--x: {latin1} is not UTF-8 text (byte 14 is not)"
    )


def test_input_is_read_up_to_8_mib_and_no_further(tmp_path):
    exact = tmp_path / "exact.txt"
    exact.write_bytes(b"x" * MAX_INPUT_BYTES)
    assert len(read_value(f"file://{exact}", "--x")) == MAX_INPUT_BYTES
    over = tmp_path / "over.txt"
    over.write_bytes(b"x" * (MAX_INPUT_BYTES + 1))
    assert message(read_value, f"file://{over}", "--x") == f"--x: {over} is {TOO_BIG}"
    assert len(read_value("x" * MAX_INPUT_BYTES, "--x")) == MAX_INPUT_BYTES
    assert message(read_value, "x" * (MAX_INPUT_BYTES + 1), "--x") == f"--x: the value is {TOO_BIG}"


def test_a_stream_that_never_ends_is_refused_once_8_mib_are_read(tmp_path):
    """A pipe whose writer never closes it (as /dev/zero never ends): reading stops at the
    limit's first byte over, instead of waiting for an end that never comes."""
    import os
    import threading

    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    done = threading.Event()

    def write() -> None:
        with open(fifo, "wb") as stream:
            stream.write(b"x" * (MAX_INPUT_BYTES + 1))
            stream.flush()
            # holds the pipe open past the test's time limit (120 s): a reader that waits for
            # the end of the file fails the test instead of passing late
            done.wait(300)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        assert message(read_value, f"file://{fifo}", "--x") == f"--x: {fifo} is {TOO_BIG}"
    finally:
        done.set()
        writer.join(60)


# -- JSON ------------------------------------------------------------------------------------


def test_malformed_json_names_line_and_column():
    with pytest.raises(InputError) as info:
        parse_json('{\n  "AppId": "d1",\n  "x": ,\n}', "f.json")
    assert str(info.value) == "f.json line 3, column 8: malformed JSON: Expecting value"
    assert (info.value.where, info.value.line, info.value.column) == ("f.json", 3, 8)


@pytest.mark.parametrize("parse", [parse_json, parse_yaml], ids=["json", "yaml"])
def test_numbers_of_up_to_100_digits_are_read(parse):
    hundred = "9" * 100
    text = f'{{"MaxResults": {hundred}, "Minus": -{hundred}}}'
    assert parse(text, "f") == {"MaxResults": int("9" * 100), "Minus": -int("9" * 100)}
    # YAML's words say where the number is (column 16 of its one line), JSON's do not
    where = "f line 1, column 16" if parse is parse_yaml else "f"
    assert message(parse, f'{{"MaxResults": {hundred}9}}', "f") == (
        f"{where}: a number has 101 digits, over the 100 read; the API's numbers have at most 19"
    )
    for smallest in ("1" + "0" * 100, "-1" + "0" * 100):
        assert message(parse, f'{{"MaxResults": {smallest}}}', "f") == (
            f"{where}: a number has 101 digits, over the 100 read; the API's numbers have at "
            "most 19"
        )
    assert message(parse, f'{{"MaxResults": {"9" * 4000}}}', "f") == (
        f"{where}: a number has 4,000 digits, over the 100 read; the API's numbers have at most 19"
    )


def test_a_number_past_pythons_own_digit_limit_is_refused_in_the_same_words():
    # Python refuses to read an integer of more than 4,300 digits with its own ValueError;
    # JSON's and YAML's numbers are counted before Python reads them, so that never escapes
    for digits in (4301, 5000, 100_000):
        said = (
            f"a number has {digits:,} digits, over the 100 read; the API's numbers have at most 19"
        )
        assert message(parse_json, f'{{"MaxResults": -{"9" * digits}}}', "f.json") == (
            f"f.json: {said}"
        )
        # YAML's says where: line and column of the number
        text = f"AppId: d1\nMaxResults: -{'9' * digits}\n"
        assert message(parse_yaml, text, "f.yaml") == f"f.yaml line 2, column 13: {said}"
        # in its own base, and in any of YAML's spellings (sign, underscores, 0x, 0b)
        for spelled in (f"+{'1_' * digits}", f"0x{'f' * digits}", f"-0b{'1' * digits}"):
            assert message(parse_yaml, f"MaxResults: {spelled}", "f.yaml") == (
                f"f.yaml line 1, column 13: {said}"
            )
    # a value tagged as an integer is measured the same way, whatever it holds: Python never
    # reads an integer text of over 100 characters (sign, underscores and 0x aside)
    assert message(parse_yaml, f"MaxResults: !!int {'X' * 101}", "f.yaml") == (
        "f.yaml line 1, column 13: a number has 101 digits, over the 100 read; the API's "
        "numbers have at most 19"
    )
    # 100 digits in YAML are read, as in JSON
    assert parse_yaml(f"MaxResults: -{'9' * 100}", "f") == {"MaxResults": -int("9" * 100)}
    assert parse_yaml("MaxResults: +1_000", "f") == {"MaxResults": 1000}
    assert parse_yaml("MaxResults: 0x1F", "f") == {"MaxResults": 31}


def nested(depth: int) -> str:
    """``depth`` lists, one inside the other, as JSON (which YAML also reads)."""
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("parse", [parse_json, parse_yaml], ids=["json", "yaml"])
def test_nesting_is_read_64_deep_and_no_deeper(parse):
    assert parse(nested(MAX_DEPTH), "f") is not None
    assert message(parse, nested(MAX_DEPTH + 1), "f") == f"f: {TOO_DEEP}"


def test_json_nested_past_pythons_recursion_limit_is_refused_in_words():
    assert message(parse_json, nested(100_000), "f") == f"f: {TOO_DEEP}"


@pytest.mark.parametrize(
    ("parse", "aliases"),
    [(parse_json, ""), (parse_yaml, "; YAML aliases repeat values without copying them")],
    ids=["json", "yaml"],
)
def test_a_document_holds_at_most_100000_values(parse, aliases):
    # the outer list counts as a value, as each of its items does
    assert len(parse(json.dumps([0] * (MAX_VALUES - 1)), "f")) == MAX_VALUES - 1
    assert len(parse(json.dumps([[]] * (MAX_VALUES - 1)), "f")) == MAX_VALUES - 1  # [] is one
    expected = f"f: the document expands to more than 100,000 values{aliases}; a request has "
    assert message(parse, json.dumps([0] * MAX_VALUES), "f") == expected + "a few hundred"


# -- YAML ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "place"),
    [
        # the place is where the problem is, not where the mapping it breaks began
        ("AppId: d1\n- c", "malformed YAML: did not find expected key", (2, 1)),
        ("a: b: c", "malformed YAML: mapping values are not allowed in this context", (1, 5)),
        ("a: *nope", "malformed YAML: found undefined alias", (1, 4)),
        ("--- !x\n", "malformed YAML: could not determine a constructor for the tag '!x'", (1, 5)),
    ],
)
def test_malformed_yaml_names_the_problem_and_its_place(text, expected, place):
    with pytest.raises(InputError) as info:
        parse_yaml(text, "f.yaml")
    assert (info.value.line, info.value.column) == place
    assert str(info.value) == f"f.yaml line {place[0]}, column {place[1]}: {expected}"


def test_yaml_that_is_not_text_and_values_that_cannot_be_read():
    with pytest.raises(InputError) as info:
        parse_yaml("AppId: \x07", "f.yaml")
    assert str(info.value).startswith("f.yaml: malformed YAML: unacceptable character #x0007")
    assert info.value.line is None
    assert message(parse_yaml, "MaxResults: !!int x", "f.yaml") == (
        "f.yaml: a value cannot be read: invalid literal for int() with base 10: 'x'"
    )
    assert message(parse_yaml, "AppId: " + "9" * 5000, "f.yaml") == (
        "f.yaml line 1, column 8: a number has 5,000 digits, over the 100 read; the API's "
        "numbers have at most 19"
    )


def test_yaml_is_read_the_same_without_libyaml(monkeypatch):
    """PyYAML built without libyaml has no CSafeLoader: its pure-Python loader reads the same
    documents, and refuses deep nesting (by recursing) with the same words."""
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader")
    assert parse_yaml("AppId: d1abc\nTags: [a, b]\n", "f") == {"AppId": "d1abc", "Tags": ["a", "b"]}
    # 2,000 levels pass Python's recursion limit in the pure-Python composer, which recurses
    assert message(parse_yaml, nested(2_000), "f.yaml") == f"f.yaml: {TOO_DEEP}"
    # and counts a number's digits before Python reads it, as libyaml's loader does
    assert message(parse_yaml, "a: " + "9" * 5000, "f.yaml") == (
        "f.yaml line 1, column 4: a number has 5,000 digits, over the 100 read; the API's "
        "numbers have at most 19"
    )


def test_yaml_nested_past_the_parsers_own_limit_is_refused():
    with pytest.raises(InputError) as info:
        parse_yaml(nested(5_000), "f.yaml")
    assert str(info.value).startswith("f.yaml line 1, column ")
    assert "malformed YAML: exceeded maximum nesting depth" in str(info.value)


def test_aliases_repeating_text_past_8_mib_are_refused():
    mib = "x" * (1024 * 1024)
    eight = "s: &s " + mib + "\nt: [" + ", ".join(["*s"] * 7) + "]\n"
    assert len(parse_yaml(eight, "f.yaml")["t"]) == 7  # 8 MiB of text: the most read
    nine = "s: &s " + mib + "\nt: [" + ", ".join(["*s"] * 8) + "]\n"
    assert message(parse_yaml, nine, "f.yaml") == (
        "f.yaml: the document's text expands to more than 8 MiB; YAML aliases repeat values "
        "without copying them; a request the service takes is at most 1 MiB"
    )


def test_a_value_repeated_by_aliases_is_counted_each_time_it_appears():
    # 300 aliases of a list of 400: 120,000 values once expanded, from a file of a few KiB
    text = "a: &a [" + ", ".join(["0"] * 400) + "]\nb: [" + ", ".join(["*a"] * 300) + "]\n"
    assert len(text) < 5000
    assert "expands to more than 100,000 values; YAML aliases" in message(parse_yaml, text, "f")
    fewer = "a: &a [" + ", ".join(["0"] * 400) + "]\nb: [" + ", ".join(["*a"] * 200) + "]\n"
    assert len(parse_yaml(fewer, "f")["b"]) == 200
    # the same at the top: a list whose first item is the anchor, then 299 aliases of it
    top = "- &a [" + ", ".join(["0"] * 400) + "]\n" + "- *a\n" * 299
    assert "expands to more than 100,000 values" in message(parse_yaml, top, "f")


def test_a_value_repeated_by_many_aliases_is_measured_once():
    """10,000 aliases of a list of 90,000: the list is measured once and the document refused
    at once; walking it again for each alias would be 900 million steps, which the test's
    timeout stops."""
    text = "a: &a [" + "0, " * 90_000 + "]\nb: [" + "*a, " * 10_000 + "]\n"
    assert "expands to more than 100,000 values" in message(parse_yaml, text, "f")


def test_an_alias_inside_its_own_value_is_refused():
    assert message(parse_yaml, "&a [*a]\n", "f.yaml") == (
        "f.yaml: a YAML alias refers to the value that holds it"
    )
    assert message(parse_yaml, "a: &a {b: [1, *a]}\n", "f.yaml") == (
        "f.yaml: a YAML alias refers to the value that holds it"
    )


def test_aliases_deep_inside_are_measured_at_their_full_depth():
    # each level is an alias of the one before, nested one deeper: 70 levels in 70 lines
    lines = ["l0: &l0 [1]"] + [f"l{i}: &l{i} [*l{i - 1}]" for i in range(1, 70)]
    assert message(parse_yaml, "\n".join(lines), "f") == f"f: {TOO_DEEP}"
    assert parse_yaml("\n".join(lines[:63]), "f")["l62"] is not None


# -- --cli-input-* and skeleton files ---------------------------------------------------------


def test_cli_input_errors_name_the_option_and_the_file(tmp_path):
    assert message(load_cli_input, "{", "json") == (
        "--cli-input-json line 1, column 2: malformed JSON: "
        "Expecting property name enclosed in double quotes"
    )
    assert message(load_cli_input, "[1, 2]", "yaml") == (
        "--cli-input-yaml: the input must be an object of request members, not a list"
    )
    assert message(load_cli_input, "", "yaml") == (
        "--cli-input-yaml: the input must be an object of request members, not empty"
    )
    assert message(load_cli_input, '"d1"', "json", "--template") == (
        "--template: the input must be an object of request members, not a string"
    )
    assert message(load_cli_input, "7", "yaml") == (
        "--cli-input-yaml: the input must be an object of request members, not a number"
    )
    for text, kind in (
        ("2024-01-01", "a date"),
        ("2024-01-01T10:00:00Z", "a date and time"),
        ("!!binary aGVsbG8=", "binary data"),
        ("!!set {a: null}", "a set"),
        ("true", "true/false"),
    ):
        assert message(load_cli_input, text, "yaml") == (
            f"--cli-input-yaml: the input must be an object of request members, not {kind}"
        )
    missing = tmp_path / "missing.json"
    assert message(load_cli_input, f"file://{missing}") == (
        f"--cli-input-json {missing}: no such file: {missing}"
    )
    path = tmp_path / "req.json"
    path.write_text("[]")
    assert message(load_cli_input, f"file://{path}") == (
        f"--cli-input-json {path}: the input must be an object of request members, not a list"
    )


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("broken.json", "AppId: [", "JSON"),  # the name says JSON
        ("BROKEN.JSON", "AppId: [", "JSON"),
        ("broken.txt", '  {"AppId": [', "JSON"),  # the content says JSON
        ("broken.yaml", '["AppId": [', "YAML"),
        ("broken", "AppId: [", "YAML"),
    ],
)
def test_a_skeleton_file_is_json_by_its_name_or_content_else_yaml(tmp_path, name, text, kind):
    path = tmp_path / name
    path.write_text(text)
    assert message(load_skeleton_file, path).startswith(f"{path} line ")
    assert f": malformed {kind}: " in message(load_skeleton_file, path)


def test_a_skeleton_file_that_cannot_be_read_is_named(tmp_path):
    missing = tmp_path / "missing.yaml"
    assert message(load_skeleton_file, missing) == f"{missing}: no such file: {missing}"


def test_a_skeleton_file_must_hold_request_members(tmp_path):
    path = tmp_path / "skeleton.yaml"
    for text, kind in (("", "empty"), ("- a\n", "a list")):
        path.write_text(text)
        assert message(load_skeleton_file, str(path)) == (
            f"{path}: a skeleton must be an object of request members, not {kind}"
        )
    path.write_text('{"AppId": "d1abc"}')
    assert load_skeleton_file(str(path)) == {"AppId": "d1abc"}

"""core.csvsafe's contract cell by cell: which text is neutralised, which columns are left as
they are (types included), and when every text field is quoted (a carriage return, which a
spreadsheet would take for a new row). tests/test_output_sinks.py checks the package's CSVs."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from amplify_auth_widgets.core.csvsafe import (
    FORMULA_STARTS,
    neutralise,
    neutralise_cell,
    to_csv,
)


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_as_a_formula_gets_a_quote_in_front(start):
    assert neutralise_cell(start + "1") == "'" + start + "1"


@pytest.mark.parametrize("value", ["plain", "", "a=1", " =1", "'=1", -3, 2.5, None, True])
def test_other_values_are_left_as_they_are(value):
    assert neutralise_cell(value) is value


def test_columns_that_cannot_hold_text_keep_their_type_and_values():
    frame = pd.DataFrame(
        {
            "flag": [True, False],
            "count": [-3, 4],
            "real": [-0.5, 1.5],
            "when": pd.to_datetime(["2026-01-01", "2026-01-02"], utc=True),
            "took": pd.to_timedelta(["-1s", "2s"]),
            "text": ["-1", "x"],
        }
    )
    out = neutralise(frame)
    assert list(out.dtypes)[:5] == list(frame.dtypes)[:5]
    for name in ("flag", "count", "real", "when", "took"):
        assert out[name].tolist() == frame[name].tolist(), name
    assert out["text"].tolist() == ["'-1", "x"]


def test_without_a_carriage_return_fields_are_quoted_as_pandas_quotes_them():
    frame = pd.DataFrame({"name": ["=1", "a,b"], "count": [1, 2]})
    assert to_csv(frame, index=False) == 'name,count\n\'=1,1\n"a,b",2\n'


@pytest.mark.parametrize(
    "frame, text",
    [
        (
            pd.DataFrame({"name": ["one\rtwo", "=x"], "count": [1, 2]}),
            '"name","count"\n"one\rtwo",1\n"\'=x",2\n',
        ),
        (
            pd.DataFrame({"name\rtwo": ["x", "y"], "count": [1, 2]}),
            '"name\rtwo","count"\n"x",1\n"y",2\n',
        ),
    ],
    ids=["in a cell", "in a column name"],
)
def test_a_carriage_return_anywhere_quotes_every_text_field(frame, text):
    assert to_csv(frame, index=False) == text


def test_a_carriage_return_in_a_number_column_s_name_only_is_found_too():
    frame = pd.DataFrame({"count\r": [1, 2]})
    assert to_csv(frame, index=False) == '"count\r"\n1\n2\n'


def test_the_caller_s_quoting_is_kept_even_with_a_carriage_return():
    frame = pd.DataFrame({"name": ["one\rtwo"], "count": [1]})
    text = to_csv(frame, index=False, quoting=csv.QUOTE_ALL)
    assert text == '"name","count"\n"one\rtwo","1"\n'


def test_a_path_gets_the_file_and_no_text(tmp_path):
    path = tmp_path / "out.csv"
    assert to_csv(pd.DataFrame({"name": ["@x"]}), path, index=False) is None
    assert path.read_text() == "name\n'@x\n"


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([1, None], dtype="Int64"),
        pd.Series([True, None], dtype="boolean"),
        pd.Series([], dtype="int64"),
        pd.Series([], dtype="bool"),
        pd.Series(pd.to_datetime([], utc=True)),
        pd.Series(pd.to_timedelta([])),
        pd.Series([pd.NaT], dtype="datetime64[ns]"),
        pd.Series(pd.Categorical([True, False])),  # pandas calls it boolean, not numeric
    ],
    ids=["Int64", "boolean", "no ints", "no booleans", "no dates", "no durations", "NaT", "cat"],
)
def test_a_column_of_another_type_keeps_its_type_even_with_missing_values_or_no_rows(column):
    frame = pd.DataFrame({"column": column})
    assert neutralise(frame)["column"].dtype == column.dtype

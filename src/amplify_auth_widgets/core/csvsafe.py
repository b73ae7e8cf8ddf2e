"""Every CSV the package writes goes through ``to_csv`` here, safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)`` sends the reader away,
``@SUM(...)`` runs). Following OWASP's advice on CSV injection, such a cell is written with a
single quote in front (``'=HYPERLINK(...)``): the spreadsheet shows it as text. Only text is
changed: a numeric, boolean, date or duration column stays as it is (a real ``-3`` stays a
number), and so do numbers in a column of mixed values. Column names are text and are treated
the same way (the index is not: the package writes none). Parquet keeps its types and has no
formulas, so it is written as it is.
"""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    import pandas as pd

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """``value`` with a ``'`` in front if it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe in a spreadsheet."""
    out = frame.copy()
    for position in _text_columns(frame):
        # object, string and category columns: only their str cells can be formulas
        out.isetitem(position, frame.iloc[:, position].astype(object).map(neutralise_cell))
    out.columns = [neutralise_cell(c) for c in frame.columns]
    return out


def _text_columns(frame: pd.DataFrame) -> list[int]:
    """The positions of the columns that may hold text: not numbers, booleans or times."""
    from pandas.api import types  # deferred: slow to import

    return [
        position
        for position, dtype in enumerate(frame.dtypes)
        if not (
            types.is_bool_dtype(dtype)
            or types.is_numeric_dtype(dtype)
            or types.is_datetime64_any_dtype(dtype)
            or types.is_timedelta64_dtype(dtype)
        )
    ]


@overload
def to_csv(frame: pd.DataFrame, path_or_buf: None = None, **kwargs: Any) -> str: ...
@overload
def to_csv(frame: pd.DataFrame, path_or_buf: Any, **kwargs: Any) -> None: ...
def to_csv(frame: pd.DataFrame, path_or_buf: Any = None, **kwargs: Any) -> str | None:
    """``frame.to_csv(path_or_buf, **kwargs)`` with its text made safe for a spreadsheet
    (``neutralise``): the text when no path is given, as pandas does.

    pandas leaves a field with a carriage return in it unquoted (it quotes only the ``\\n`` it
    ends lines with), and a spreadsheet starts a new row there: the text after it would be a
    cell of its own, unchecked. Such a frame is written with every text field quoted.
    """
    safe = neutralise(frame)
    if "quoting" not in kwargs and _has_carriage_return(safe):
        kwargs["quoting"] = csv.QUOTE_NONNUMERIC
    return safe.to_csv(path_or_buf, **kwargs)


def _has_carriage_return(frame: pd.DataFrame) -> bool:
    if any(isinstance(c, str) and "\r" in c for c in frame.columns):
        return True
    return any(
        isinstance(v, str) and "\r" in v
        for position in _text_columns(frame)
        for v in frame.iloc[:, position]
    )

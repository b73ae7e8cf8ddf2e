"""The emulator's job time as the Python API takes it (``Emulator(job_seconds=...)``,
``aaw.local``, the shared emulator's command line): what the CLI refuses, it refuses too."""

from __future__ import annotations

import pytest

from amplify_auth_widgets.emulator import parse_job_seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        *((3, (3.0, 3.0)), ("2.5", (2.5, 2.5)), ("2-10", (2.0, 10.0)), ((0, 1), (0.0, 1.0))),
        # a number written with a negative exponent is one number, and a range's bound too
        *(("1e-3", (0.001, 0.001)), ("0.5-2e1", (0.5, 20.0)), (" 2-3 ", (2.0, 3.0))),
        *(("1e-3-2", (0.001, 2.0)), ("1E-3-2", (0.001, 2.0)), ("0-1E-1", (0.0, 0.1))),
    ],
)
def test_a_number_or_a_range_of_0_or_more_is_read(value, seconds):
    assert parse_job_seconds(value) == seconds


@pytest.mark.parametrize(
    "value",
    [
        *("nan", "inf", "2-inf", "1-nan", float("nan"), (0, float("inf")), "-3", "10-2"),
        # not numbers at all: the same words, not float()'s "could not convert string to float"
        *("fast", "-2-10", "1-2-3", "X-3", "", None, ("a", 1), [1, 2], "1x5", "2e-"),
    ],
)
def test_a_time_that_is_no_number_of_seconds_is_refused(value):
    with pytest.raises(ValueError) as refused:
        parse_job_seconds(value)
    assert str(refused.value) == (
        f"job seconds must be a number >= 0 or a range LOW-HIGH, not {value!r}"
    )

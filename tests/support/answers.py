"""What a client reads from the emulator: the fake clock's start, times, a boto3 call's error."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.exceptions import ClientError

T0 = 1_800_000_000.0  # the fake clock's start: 2027-01-15T08:00:00Z


def at(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def error_of(call, *args, **kwargs) -> tuple[str, str, str | None]:
    """The error code, message and ResourceType a boto3 call fails with."""
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    response = info.value.response
    return response["Error"]["Code"], response["Error"]["Message"], response.get("ResourceType")

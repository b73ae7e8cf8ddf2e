"""A fleet over several accounts and regions: one connection each (an AWS profile and a region,
a role profile included, as boto3 resolves it), one frame for all with ``account_id`` and
``region`` columns.

A connection's place is its region (``Connection.effective_region``) and the account its
credentials are in (STS ``GetCallerIdentity``). An audit visits each connection in turn and
stacks the frames; an apply sends each target through the connection of its ``account_id`` and
``region``: a target that names a pair no connection reaches is refused, never sent elsewhere,
and so is a target that names none when there are several connections to choose from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..client.connection import ConfigurationError, Connection

if TYPE_CHECKING:
    import pandas as pd

#: The columns that say where a target is: the account and the region.
LOCATION_COLUMNS = ("account_id", "region")


@dataclass(frozen=True)
class Location:
    """Where a connection's requests land: ``account_id`` (None when STS cannot tell, with
    ``error`` saying why) and ``region``."""

    account_id: str | None
    region: str | None
    error: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"account_id": self.account_id, "region": self.region}

    def label(self) -> str:
        return f"{self.account_id or '?'}/{self.region or '?'}"


def connection_list(connection: Connection | Iterable[Connection] | None) -> list[Connection]:
    """``connection`` as a list: None is AWS's default configuration, one is one, and an
    iterable of connections is each of them (at least one, each a ``Connection``)."""
    if connection is None:
        return [Connection()]
    if isinstance(connection, Connection):
        return [connection]
    if isinstance(connection, str | bytes | dict):
        raise TypeError(
            f"connection must be a Connection or a list of them, not {type(connection).__name__}"
            " (a profile name goes in Connection(profile=...))"
        )
    connections = list(connection)
    if not connections:
        raise ValueError("connection: give one Connection at least (or None for the default)")
    for number, item in enumerate(connections, 1):
        if not isinstance(item, Connection):
            raise TypeError(
                f"connection {number} is a {type(item).__name__}, not a Connection: build "
                "each with Connection(profile=..., region=...)"
            )
    return connections


def locate(connection: Connection) -> Location:
    """Where ``connection`` reaches: its region and its credentials' account."""
    try:
        region: str | None = connection.effective_region()
    except ConfigurationError as exc:
        return Location(None, None, str(exc))
    try:
        account = connection.caller_account() or None
    except ConfigurationError as exc:
        return Location(None, region, str(exc))
    return Location(account, region)


def fill_location(rows: list[dict[str, Any]], location: Location) -> None:
    """Give each row the location's account and region where it has none of its own (what an
    environment's auth deployed says it first)."""
    for row in rows:
        for column, value in location.as_dict().items():
            if row.get(column) is None:
                row[column] = value


def stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames of the same columns, one after the other, numbered anew."""
    import pandas as pd  # deferred: slow to import

    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True)


def _cell(value: Any) -> str | None:
    """A location cell as text, None when missing (NA, NaN, None, empty)."""
    import pandas as pd  # deferred: slow to import

    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    text = str(value).strip()
    return text or None


def route(
    targets: pd.DataFrame, locations: list[Location]
) -> tuple[dict[int, pd.DataFrame], dict[Any, str]]:
    """Which connection (by its number in ``locations``) each target goes through, as a frame
    of its targets each (their location columns dropped, their index kept), and the targets
    that none reaches, by index, with the reason."""
    has_columns = all(c in targets.columns for c in LOCATION_COLUMNS)
    chosen: dict[int, list[Any]] = {}
    refused: dict[Any, str] = {}
    for index, row in zip(targets.index, targets.to_dict("records"), strict=True):
        wanted = [_cell(row.get(c)) for c in LOCATION_COLUMNS] if has_columns else [None, None]
        number, reason = _pick(wanted[0], wanted[1], locations)
        if number is None:
            refused[index] = reason
        else:
            chosen.setdefault(number, []).append(index)
    rest = targets.drop(columns=[c for c in LOCATION_COLUMNS if c in targets.columns])
    return {n: rest.loc[indexes] for n, indexes in chosen.items()}, refused


def _pick(
    account: str | None, region: str | None, locations: list[Location]
) -> tuple[int | None, str]:
    """The number of the one connection at ``account`` and ``region`` (a missing one matches
    any), or None and why there is none."""
    if account is None and region is None and len(locations) == 1:
        return 0, ""
    if account is None and region is None:
        return None, (
            "the target names no account_id and region, and there are several connections: "
            "add the columns (an audit frame has them) to say which"
        )
    matching = [
        n
        for n, where in enumerate(locations)
        if (account is None or where.account_id == account)
        and (region is None or where.region == region)
    ]
    if len(matching) == 1:
        return matching[0], ""
    wanted = f"account {account or 'any'}, region {region or 'any'}"
    if not matching:
        reached = ", ".join(w.label() for w in locations)
        unknown = "; ".join(w.error for w in locations if w.error)
        return None, f"no connection reaches {wanted} (the connections reach {reached})" + (
            f"; {unknown}" if unknown else ""
        )
    return None, f"several connections reach {wanted}: name both account_id and region"

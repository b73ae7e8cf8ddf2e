"""What the emulated services share, as moto's services share a base backend: the account and
region their ARNs name, times as the services write them, page tokens, and ``ServiceBackend``,
the base of each service's handlers (its store, clock and random source, and the look-ups of
apps and environments both services answer ``NotFoundException`` for).

A service module (``amplify``, ``backend``) holds one ``ServiceBackend`` subclass whose methods
are the service's operations in snake_case; the server routes each request to the one whose
``service`` is the route's.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import sqlite3
from collections.abc import Callable
from typing import Any, ClassVar

from .protocol import EmulatorError
from .store import ACCOUNT, Store

__all__ = ["ACCOUNT", "ServiceBackend", "iso", "page"]


def iso(seconds: float) -> str:
    """A job time as the service gives it: ISO 8601, UTC, milliseconds."""
    stamp = dt.datetime.fromtimestamp(seconds, dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{offset}".encode()).decode()


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        version, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if version == "v1" and number.isdigit():
            return int(number)
    except (ValueError, UnicodeDecodeError):
        pass
    raise EmulatorError(
        "BadRequestException", "NextToken is not valid: repeat the request without it."
    )


def page(items: list[Any], size: int, token: str | None) -> tuple[list[Any], str | None]:
    """One page of ``items`` from where ``token`` says, and the token of the next page."""
    start = _offset(token)
    following = _token(start + size) if start + size < len(items) else None
    return items[start : start + size], following


class ServiceBackend:
    """One emulated service's operations over the ``Store`` every service shares.

    ``service`` is the botocore name of the service a subclass answers. ``settle`` is called
    before every request of any service (a job of one may change what another lists); a
    service without jobs has nothing to settle.
    """

    service: ClassVar[str]

    def __init__(self, store: Store, clock: Callable[[], float], rng: random.Random) -> None:
        self.store = store
        self.clock = clock
        self.rng = rng

    def settle(self) -> int:
        """Finish what is due; returns how many things finished (none here)."""
        return 0

    def new_app_id(self) -> str:
        """A fresh app id of Amplify's form (``d`` and 13 lower-case letters or digits)."""
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "d" + "".join(self.rng.choice(alphabet) for _ in range(13))

    def require_app(self, app_id: str) -> sqlite3.Row:
        """The app's row, or the service's NotFoundException."""
        row = self.store.app(app_id)
        if row is None:
            raise EmulatorError("NotFoundException", f"App {app_id} not found.", ResourceType="App")
        return row

    def require_env(self, app_id: str, env: str) -> sqlite3.Row:
        """The backend environment's row (its app first), or NotFoundException."""
        self.require_app(app_id)
        row = self.store.environment(app_id, env)
        if row is None:
            raise EmulatorError(
                "NotFoundException",
                f"Backend environment {env} not found for app {app_id}.",
                ResourceType="BackendEnvironment",
            )
        return row

"""The ``amplify-auth`` commands that run services: ``emulator`` and ``app``."""

from __future__ import annotations

import argparse
from typing import Any


def add_service_commands(sub: Any) -> None:
    """Add the service commands to the ``amplify-auth`` subparsers."""
    del sub


def _unused(args: argparse.Namespace) -> None:  # pragma: no cover
    del args

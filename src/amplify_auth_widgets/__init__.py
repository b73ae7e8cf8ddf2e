"""amplify-auth-widgets: compose, validate, submit and watch Amplify backend auth configurations.

Public names are resolved lazily, so that importing the package does no work: no network, no
service model, no widgets until a name is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "validate": "validation",
    "Finding": "validation",
    "FieldSpec": "model",
    "request_spec": "model",
    "Connection": "connection",
    "ConfigurationError": "connection",
    "BackendAuthService": "service",
    "ApiError": "service",
    "ValidationFailed": "service",
    "Emulator": "emulator",
    "AuthConfigEditor": "widgets.editor",
    "JobTracker": "jobs",
    "JobHistory": "history",
    "JobMonitor": "widgets.monitor",
    "ReportsView": "widgets.reports",
    "AuthApp": "widgets.app",
    "local": "local",
}

__all__ = [
    "ApiError",
    "AuthApp",
    "AuthConfigEditor",
    "BackendAuthService",
    "ConfigurationError",
    "Connection",
    "Emulator",
    "FieldSpec",
    "Finding",
    "JobHistory",
    "JobMonitor",
    "JobTracker",
    "ReportsView",
    "ValidationFailed",
    "local",
    "request_spec",
    "validate",
]

if TYPE_CHECKING:
    from .connection import ConfigurationError, Connection
    from .emulator import Emulator
    from .history import JobHistory
    from .jobs import JobTracker
    from .local import local
    from .model import FieldSpec, request_spec
    from .service import ApiError, BackendAuthService, ValidationFailed
    from .validation import Finding, validate
    from .widgets.app import AuthApp
    from .widgets.editor import AuthConfigEditor
    from .widgets.monitor import JobMonitor
    from .widgets.reports import ReportsView


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'amplify_auth_widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])

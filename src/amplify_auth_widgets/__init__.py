"""amplify-auth-widgets: compose, validate, submit and watch Amplify backend auth configurations.

Public names are resolved lazily, so that importing the package does no work: no network, no
service model, no widgets until a name is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "validate": "core.validation",
    "Finding": "core.findings",
    "DeployedAuth": "core.deployed",
    "FieldSpec": "core.model",
    "request_spec": "core.model",
    "Connection": "client.connection",
    "ConfigurationError": "client.connection",
    "BackendAuthService": "client.service",
    "ApiError": "client.service",
    "ValidationFailed": "client.service",
    "Emulator": "emulator",
    "AuthConfigEditor": "widgets.editor",
    "JobTracker": "jobs.tracker",
    "TrackerPolicy": "jobs.tracker",
    "JobHistory": "jobs.history",
    "JobMonitor": "widgets.monitor",
    "ReportsView": "widgets.reports",
    "AuthApp": "widgets.app",
    "local": "emulator.local",
}

__all__ = [
    "ApiError",
    "AuthApp",
    "AuthConfigEditor",
    "BackendAuthService",
    "ConfigurationError",
    "Connection",
    "DeployedAuth",
    "Emulator",
    "FieldSpec",
    "Finding",
    "JobHistory",
    "JobMonitor",
    "JobTracker",
    "ReportsView",
    "TrackerPolicy",
    "ValidationFailed",
    "local",
    "request_spec",
    "validate",
]

if TYPE_CHECKING:
    from .client.connection import ConfigurationError, Connection
    from .client.service import ApiError, BackendAuthService, ValidationFailed
    from .core.deployed import DeployedAuth
    from .core.findings import Finding
    from .core.model import FieldSpec, request_spec
    from .core.validation import validate
    from .emulator import Emulator
    from .emulator.local import local
    from .jobs.history import JobHistory
    from .jobs.tracker import JobTracker, TrackerPolicy
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

"""The operations this project speaks, read from the service models: one list, used by the
CLI (its API commands), the emulator (what it serves), the secrets policy (which requests
define secret paths) and the editor (which requests carry a configuration).

Nothing here names an operation of the model by hand: each family is a pattern over the
model's operation names, and a request's members decide what it carries. A model update that
adds, say, ``CloneBackendAuth`` would reach every layer through these lists.
"""

from __future__ import annotations

import functools
import re

from .model import SERVICE_NAME, request_spec, service_model

#: The order people read CRUD verbs in (``--help``, the emulator's error text).
_VERBS = ("Create", "Get", "List", "Update", "Delete", "Import")
#: Members that only name the target of a request.
_TARGET = frozenset({"AppId", "BackendEnvironmentName", "ResourceName", "JobId"})


def _matching(pattern: str, service: str = SERVICE_NAME) -> tuple[str, ...]:
    found = [n for n in service_model(service).operation_names if re.fullmatch(pattern, n)]
    verb = re.compile("|".join(_VERBS))

    def order(name: str) -> tuple[int, str]:
        match = verb.match(name)
        return (_VERBS.index(match.group(0)) if match else len(_VERBS), name)

    return tuple(sorted(found, key=order))


@functools.cache
def auth_operations() -> tuple[str, ...]:
    """Create, Get, Update, Delete and Import ``BackendAuth``."""
    return _matching(r"[A-Z][a-z]+BackendAuth")


@functools.cache
def job_operations() -> tuple[str, ...]:
    """GetBackendJob, ListBackendJobs, UpdateBackendJob."""
    return _matching(r"[A-Z][a-z]+BackendJobs?")


@functools.cache
def backend_operations() -> tuple[str, ...]:
    """The backend itself: CreateBackend, GetBackend, DeleteBackend."""
    return _matching(r"(Create|Get|Delete)Backend")


@functools.cache
def commanded_operations() -> tuple[str, ...]:
    """The ``amplify-auth`` API commands: every auth operation, then the jobs' reads."""
    reads = tuple(op for op in job_operations() if op.startswith(("Get", "List")))
    return auth_operations() + reads


@functools.cache
def sending_operations() -> tuple[str, ...]:
    """Auth operations whose request carries more than the names of its target (a
    configuration, or ids to import): the requests whose shapes define secret paths."""
    return tuple(op for op in auth_operations() if set(request_spec(op).member_names) - _TARGET)


@functools.cache
def configuration_operations() -> tuple[str, ...]:
    """Auth operations whose request holds a ``ResourceConfig``: the editor's modes."""
    return tuple(
        op for op in auth_operations() if "ResourceConfig" in request_spec(op).member_names
    )


@functools.cache
def emulated_operations() -> dict[str, tuple[str, ...]]:
    """What the emulator serves, by service: the backend, its auth and its jobs; and
    Amplify's apps and backend environments (create, get, list, delete)."""
    return {
        SERVICE_NAME: backend_operations() + auth_operations() + job_operations(),
        "amplify": _matching(r"(Create|Get|List|Delete)(App|BackendEnvironment)s?", "amplify"),
    }

"""A job as the service answers it (``GetBackendJob``), for the job history's and reports' tests."""

from __future__ import annotations

from typing import Any


def job(
    job_id: str,
    status: str,
    app: str = "d1",
    env: str = "dev",
    operation: str = "CreateBackendAuth",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "JobId": job_id,
        "AppId": app,
        "BackendEnvironmentName": env,
        "Operation": operation,
        "Status": status,
        **extra,
    }

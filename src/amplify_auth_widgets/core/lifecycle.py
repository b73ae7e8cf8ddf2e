"""The job lifecycle: the statuses a backend job goes through, which end it, and how each shows.

Every change to a backend (create, update, delete, import auth) is an asynchronous job that the
service reports ``IN_PROGRESS`` and then ``COMPLETED`` or ``FAILED``. The service model types the
job's ``Status`` as a plain string (no enum), so the values live here, once, for the service,
the tracker, the history (its SQL too), the reports, the monitor and the emulator's store.

Two more outcomes are *local verdicts*, never the service's: the tracker gave up waiting
(``TIMED_OUT``) or the service kept saying it does not know the job (``NOT_FOUND``). They are
spelled with a ``(local)`` suffix so that nobody can mistake them for a service status, and the
history keeps them apart from the job's last service status.

``display(status)`` gives the label and colour every face uses (monitor badges, report plots,
the CLI's ``--wait`` lines, the fleet's results).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from .model import service_model


class JobStatus(StrEnum):
    """What the service says of a job (the values of ``GetBackendJob``'s ``Status``)."""

    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class Verdict(StrEnum):
    """What the tracker concluded on its own: the job may go on at the service."""

    TIMED_OUT = "TIMED_OUT (local)"
    NOT_FOUND = "NOT_FOUND (local)"


#: The status of a job that has started and not ended.
PENDING = JobStatus.IN_PROGRESS
#: Statuses after which the service never changes a job.
TERMINAL: tuple[JobStatus, ...] = (JobStatus.COMPLETED, JobStatus.FAILED)
#: Every status or verdict after which nobody polls the job any more.
FINAL: tuple[str, ...] = (*TERMINAL, *Verdict)
#: What a job whose status could not be read is recorded as.
UNKNOWN = "UNKNOWN"


def is_terminal(status: str | None) -> bool:
    """True once the service will not change the job again."""
    return status in TERMINAL


def is_final(status: str | None) -> bool:
    """True once nobody follows the job any more: terminal, or a local verdict."""
    return status in FINAL


def sql_list(statuses: tuple[str, ...] = TERMINAL) -> str:
    """``('COMPLETED', 'FAILED')``: for SQL that cannot take parameters (a partial index)."""
    return "(" + ", ".join("'" + str(s).replace("'", "''") + "'" for s in statuses) + ")"


@dataclass(frozen=True)
class Display:
    """How a status or verdict shows: a short label and a colour (a CSS hex string)."""

    label: str
    color: str
    #: "ok", "error", "busy" or "warning": what a console colours it as.
    kind: str


DISPLAY: dict[str, Display] = {
    JobStatus.COMPLETED: Display("COMPLETED", "#2e7d32", "ok"),
    JobStatus.FAILED: Display("FAILED", "#c62828", "error"),
    JobStatus.IN_PROGRESS: Display("IN_PROGRESS", "#1565c0", "busy"),
    Verdict.TIMED_OUT: Display("TIMED_OUT (local)", "#8a5a00", "warning"),
    Verdict.NOT_FOUND: Display("NOT_FOUND (local)", "#6a1b9a", "warning"),
}
OTHER = Display("?", "#757575", "busy")


def shown(status: str | None, verdict: str | None = None) -> str:
    """The status to show for a job: its local verdict when it has one, else its status."""
    if verdict:
        return str(verdict)
    return str(status) if status else UNKNOWN


def display(status: str | None, verdict: str | None = None) -> Display:
    """How a job with this status (and local verdict, if any) is shown."""
    name = shown(status, verdict)
    return DISPLAY.get(name) or Display(name, OTHER.color, OTHER.kind)


@cache
def model_statuses() -> tuple[str, ...] | None:
    """The job statuses the service model enumerates, or None where it types them as plain
    strings (it does today; a test checks ``JobStatus`` against it should that change)."""
    shape = service_model().operation_model("GetBackendJob").output_shape.members["Status"]
    return tuple(shape.enum) or None

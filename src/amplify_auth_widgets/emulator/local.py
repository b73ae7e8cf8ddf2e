"""``local()``: one emulator for the life of a notebook's kernel (or a script's process).

A ``with Emulator(...)`` block stops the emulator when the cell ends, so a button clicked later
finds nothing listening. ``local()`` starts one emulator with the demo apps on first use, hands
the same one to every later call (every widget, every cell), and stops it when the process
exits. It listens on 127.0.0.1 on a free port, with its state in a temporary file: a notebook's
own sandbox, fresh in every kernel. The app (``AuthApp.from_environment``) uses ``shared()``
instead (``emulator.shared``): one process per data folder, its state kept across reloads and
restarts, shared by every page.
"""

from __future__ import annotations

import atexit
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Emulator

_lock = threading.Lock()
_shared: Emulator | None = None


def local(job_seconds: float | str = 3) -> Emulator:
    """The shared, started emulator (demo data), started on the first call.

    ``job_seconds`` (how long a job stays IN_PROGRESS: ``3``, or a range ``"2-10"``) applies
    when the emulator starts; later calls return the running one unchanged.
    """
    global _shared
    with _lock:
        if _shared is None or not _running(_shared):
            from . import Emulator

            emulator = Emulator(demo=True, job_seconds=job_seconds).start()
            atexit.register(emulator.stop)
            _shared = emulator
        return _shared


def _running(emulator: Emulator) -> bool:
    try:
        return bool(emulator.url)  # raises once the emulator has stopped
    except RuntimeError:
        return False

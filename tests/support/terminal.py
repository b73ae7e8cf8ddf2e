"""What a pseudo-terminal's other end was sent, for the tests of what is drawn on a terminal."""

from __future__ import annotations

import os
import select


def read_all(fd: int) -> str:
    """What a terminal's other end was sent (the pty is read until it has nothing more)."""
    chunks = []
    while select.select([fd], [], [], 0.2)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other end is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")

"""Folders and files only this user can touch, checked before anything is trusted in them.

The app's durable emulator keeps its key and secret (``server.json``), its log, its lock and its
state in one folder of the user's data folder, and every kernel of the user trusts what it
reads there. So the folder must be the user's alone: ``private_folder`` refuses one that is a
symbolic link or belongs to another user (``UnsafeFolder``, which names the folder and the fix),
tightens one of ours that others could write or read (mode bits in ``0o077``) to ``0700``, and
then removes what others may have planted in it meanwhile (an entry owned by someone else, or a
symbolic link), refusing a database it did not make. Files there are opened by ``open_private``:
never through a symbolic link (``O_NOFOLLOW``), and checked by ``fstat`` on the open descriptor
(a regular file, ours, private) so that nothing can be swapped between the check and the use.
POSIX only: elsewhere the user's folder's ACLs are the protection, and these checks pass.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from ..core.db import FILE_MODE, FOLDER_MODE
from ..core.db import private_folder as make_folders
from ..core.paths import DATA_ENV

#: Bits that let anyone but the owner in.
OPEN_BITS = 0o077
#: ``O_NOFOLLOW`` where the platform has it (an open of a symbolic link then fails).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class UnsafeFolder(RuntimeError):
    """A folder (or a file in it) that others control: the app will not keep secrets there."""


def _refuse(path: Path, why: str) -> UnsafeFolder:
    return UnsafeFolder(
        f"{path} {why}: the app keeps its emulator's key there and trusts what it reads there, "
        f"so it must be a folder of your own. Remove it, or set {DATA_ENV} to a folder of yours."
    )


def private_folder(folder: Path, keep: frozenset[str] = frozenset()) -> None:
    """Make ``folder`` (0700) or check it: not a symbolic link, ours, closed to others (ours
    but open: tightened, and every entry others own, and every symbolic link, removed; an
    entry named in ``keep`` that others own is refused instead, as it may be data)."""
    make_folders(folder)
    if os.name != "posix":
        return
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(folder, "is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise _refuse(folder, "is not a folder")
    if info.st_uid != os.getuid():
        raise _refuse(folder, f"belongs to another user (uid {info.st_uid})")
    if not stat.S_IMODE(info.st_mode) & OPEN_BITS:
        return
    os.chmod(folder, FOLDER_MODE)
    for entry in os.scandir(folder):
        entry_info = entry.stat(follow_symlinks=False)
        if entry_info.st_uid == os.getuid() and not entry.is_symlink():
            continue
        if entry.name in keep:
            raise _refuse(Path(entry.path), "was put there by another user or is a link")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry.path)  # planted while the folder was open: not ours to read


def open_private(path: Path, flags: int, replace: bool = False) -> int:
    """A descriptor of ``path`` opened with ``flags`` (``O_CREAT`` makes it 0600), never
    through a symbolic link, and checked: a regular file of ours, closed to others (ours and
    open: tightened). ``replace`` (a lock, a log: nothing to keep) removes a link or a file
    that fails the check and makes it anew; else ``UnsafeFolder`` is raised."""
    for attempt in (1, 2):
        try:
            descriptor = os.open(path, flags | NOFOLLOW, FILE_MODE)
        except OSError as exc:
            if exc.errno != errno.ELOOP or not replace or attempt == 2:
                if exc.errno == errno.ELOOP:
                    raise _refuse(path, "is a symbolic link") from None
                raise
            os.unlink(path)
            continue
        problem = _file_problem(descriptor)
        if problem is None:
            return descriptor
        os.close(descriptor)
        if not replace or attempt == 2:
            raise _refuse(path, problem)
        os.unlink(path)
    raise AssertionError("unreachable")  # pragma: no cover


def _file_problem(descriptor: int) -> str | None:
    """Why the open file cannot be trusted, or None (one of ours, open to others, tightened)."""
    if os.name != "posix":
        return None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_uid != os.getuid():
        return f"belongs to another user (uid {info.st_uid})"
    if stat.S_IMODE(info.st_mode) & OPEN_BITS:
        os.fchmod(descriptor, FILE_MODE)
    return None

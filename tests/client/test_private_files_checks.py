"""The emulator's folder and files are the user's alone, or refused: ``private_folder`` and
``open_private`` called directly, with other users' entries made by ``chown`` (the tests run
as root; they skip elsewhere where they need it).

What a user sees: a folder or file that others control is refused with a message naming it and
the fix (``AMPLIFY_AUTH_DATA``); one of theirs that others could read or write is closed
(0700, 0600) and what others planted in it while it was open is removed; a lock or a log
(``replace``) that is a link or another's is made anew instead.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from amplify_auth_widgets.client.private_files import UnsafeFolder, open_private, private_folder

OTHER_UID = 65534

as_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="making another user's file needs root"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def refusal(path: Path, why: str) -> str:
    return (
        f"{path} {why}: the app keeps its emulator's key there and trusts what it reads there, "
        "so it must be a folder of your own. Remove it, or set AMPLIFY_AUTH_DATA to a folder "
        "of yours."
    )


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(UnsafeFolder) as raised:
        call(*args, **kwargs)
    return str(raised.value)


def others(path: Path) -> Path:
    os.chown(path, OTHER_UID, OTHER_UID, follow_symlinks=False)
    return path


# -- the folder --------------------------------------------------------------------------------


def test_a_missing_folder_is_made_the_users_alone(tmp_path):
    folder = tmp_path / "data" / "emu"
    private_folder(folder)
    assert folder.is_dir() and mode(folder) == 0o700 and mode(folder.parent) == 0o700


def test_a_folder_that_is_a_link_is_refused_by_name(tmp_path):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "emu").symlink_to(real)
    assert refused(private_folder, tmp_path / "emu") == refusal(
        tmp_path / "emu", "is a symbolic link"
    )


def test_a_file_where_the_folder_should_be_is_refused(tmp_path):
    (tmp_path / "emu").write_text("not a folder")
    assert refused(private_folder, tmp_path / "emu") == refusal(tmp_path / "emu", "is not a folder")


@as_root
def test_another_users_folder_is_refused_with_their_uid(tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir()
    os.chmod(folder, 0o777)
    (folder / "planted").write_text("x")
    others(folder)
    assert refused(private_folder, folder) == refusal(
        folder, f"belongs to another user (uid {OTHER_UID})"
    )
    assert mode(folder) == 0o777 and (folder / "planted").exists()  # not touched


@as_root
def test_a_closed_folder_is_trusted_as_it_is(tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o700)
    (folder / "state.sqlite3").touch()
    others(folder / "state.sqlite3")
    (folder / "link").symlink_to(tmp_path)
    private_folder(folder, keep=frozenset({"state.sqlite3"}))
    assert sorted(p.name for p in folder.iterdir()) == ["link", "state.sqlite3"]


@as_root
@pytest.mark.parametrize("bits", [0o701, 0o702, 0o704, 0o710, 0o720, 0o740, 0o777])
def test_an_open_folder_is_closed_and_what_others_planted_in_it_removed(tmp_path, bits):
    folder = tmp_path / "emu"
    folder.mkdir()
    os.chmod(folder, bits)
    (folder / "ours.log").write_text("kept")
    (folder / "sub").mkdir()
    (folder / "theirs.json").touch()
    others(folder / "theirs.json")
    (folder / "link").symlink_to(folder / "ours.log")
    (folder / "their-link").symlink_to(tmp_path)
    others(folder / "their-link")
    private_folder(folder, keep=frozenset({"ours.log"}))
    assert mode(folder) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == ["ours.log", "sub"]
    assert (folder / "ours.log").read_text() == "kept"


@as_root
@pytest.mark.parametrize("kind", ["theirs", "link"])
def test_kept_data_planted_in_an_open_folder_is_refused_not_removed(tmp_path, kind):
    folder = tmp_path / "emu"
    folder.mkdir()
    os.chmod(folder, 0o755)
    kept = folder / "state.sqlite3"
    if kind == "theirs":
        kept.write_text("data")
        others(kept)
    else:
        kept.symlink_to(tmp_path / "elsewhere")
    assert refused(private_folder, folder, keep=frozenset({"state.sqlite3"})) == refusal(
        kept, "was put there by another user or is a link"
    )
    assert kept.is_symlink() or kept.read_text() == "data"


# -- the files ---------------------------------------------------------------------------------


def test_a_new_file_is_made_0600_and_written_through_the_descriptor(tmp_path):
    path = tmp_path / "server.json"
    old = os.umask(0)
    try:
        descriptor = open_private(path, os.O_WRONLY | os.O_CREAT)
    finally:
        os.umask(old)
    with os.fdopen(descriptor, "w") as file:
        file.write("{}")
    assert mode(path) == 0o600 and path.read_text() == "{}"


def test_an_own_file_open_to_others_is_closed_and_kept(tmp_path):
    path = tmp_path / "server.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    with os.fdopen(open_private(path, os.O_RDONLY)) as file:
        assert file.read() == "{}"
    assert mode(path) == 0o600


def test_a_missing_file_not_to_be_made_is_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        open_private(tmp_path / "server.json", os.O_RDONLY)
    with pytest.raises(FileNotFoundError):
        open_private(tmp_path / "server.json", os.O_RDONLY, replace=True)


def test_a_file_that_is_a_link_is_refused_and_its_target_left_alone(tmp_path):
    target = tmp_path / "target"
    target.write_text("someone's")
    link = tmp_path / "server.json"
    link.symlink_to(target)
    for flags in (os.O_RDONLY, os.O_WRONLY | os.O_CREAT | os.O_TRUNC):
        assert refused(open_private, link, flags) == refusal(link, "is a symbolic link")
    assert link.is_symlink() and target.read_text() == "someone's"


def test_a_lock_or_log_that_is_a_link_is_made_anew(tmp_path):
    target = tmp_path / "target"
    target.write_text("someone's")
    link = tmp_path / "emulator.log"
    link.symlink_to(target)
    os.close(open_private(link, os.O_WRONLY | os.O_CREAT, replace=True))
    assert not link.is_symlink() and link.is_file() and mode(link) == 0o600
    assert target.read_text() == "someone's"


def test_a_replaceable_link_is_not_made_anew_without_o_creat(tmp_path):
    link = tmp_path / "emulator.lock"
    link.symlink_to(tmp_path / "target")
    with pytest.raises(FileNotFoundError):
        open_private(link, os.O_RDONLY, replace=True)
    assert not link.exists() and not link.is_symlink()  # the link itself is gone


def test_a_folder_where_a_file_should_be_is_refused(tmp_path):
    folder = tmp_path / "server.json"
    folder.mkdir()
    assert refused(open_private, folder, os.O_RDONLY) == refusal(folder, "is not a regular file")


@as_root
def test_another_users_file_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "server.json"
    path.write_text("theirs")
    os.chmod(path, 0o644)
    others(path)
    assert refused(open_private, path, os.O_RDONLY) == refusal(
        path, f"belongs to another user (uid {OTHER_UID})"
    )
    assert path.read_text() == "theirs" and mode(path) == 0o644
    assert os.stat(path).st_uid == OTHER_UID


@as_root
def test_another_users_lock_or_log_is_made_anew_as_ours(tmp_path):
    path = tmp_path / "emulator.log"
    path.write_text("theirs")
    others(path)
    descriptor = open_private(path, os.O_WRONLY | os.O_CREAT, replace=True)
    os.close(descriptor)
    info = os.stat(path)
    assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o600
    assert path.read_text() == ""


@as_root
def test_another_users_file_not_to_be_made_again_is_removed_and_not_found(tmp_path):
    path = tmp_path / "emulator.lock"
    path.write_text("theirs")
    others(path)
    with pytest.raises(FileNotFoundError):
        open_private(path, os.O_RDONLY, replace=True)
    assert not path.exists()


@as_root
def test_an_entry_gone_before_it_is_removed_is_passed_over(tmp_path, monkeypatch):
    """Another user's entry that its owner removes between the scan and the removal (a race):
    the folder is still closed and the rest of it cleaned."""
    folder = tmp_path / "emu"
    folder.mkdir()
    os.chmod(folder, 0o755)
    for name in ("a", "b"):
        (folder / name).touch()
        others(folder / name)
    unlink = os.unlink

    def removed_first(path, *args, **kwargs):
        unlink(path, *args, **kwargs)  # its owner was quicker
        raise FileNotFoundError(2, "No such file or directory", str(path))

    monkeypatch.setattr(os, "unlink", removed_first)
    private_folder(folder)
    assert mode(folder) == 0o700 and list(folder.iterdir()) == []


def test_a_link_planted_again_as_soon_as_it_is_removed_is_refused(tmp_path, monkeypatch):
    """A lock or log made anew once, not fought for: a link that is back at the second open
    is refused (another process is planting it)."""
    link = tmp_path / "emulator.log"
    link.symlink_to(tmp_path / "target")
    unlink = os.unlink

    def planted_again(path, *args, **kwargs):
        unlink(path, *args, **kwargs)
        Path(path).symlink_to(tmp_path / "target")

    monkeypatch.setattr(os, "unlink", planted_again)
    assert refused(open_private, link, os.O_WRONLY | os.O_CREAT, replace=True) == refusal(
        link, "is a symbolic link"
    )
    assert not (tmp_path / "target").exists()


@as_root
def test_another_users_file_planted_again_as_soon_as_it_is_removed_is_refused(
    tmp_path, monkeypatch
):
    path = tmp_path / "emulator.lock"
    path.touch()
    others(path)
    unlink = os.unlink

    def planted_again(where, *args, **kwargs):
        unlink(where, *args, **kwargs)
        Path(where).touch()
        others(Path(where))

    monkeypatch.setattr(os, "unlink", planted_again)
    assert refused(open_private, path, os.O_WRONLY | os.O_CREAT, replace=True) == refusal(
        path, f"belongs to another user (uid {OTHER_UID})"
    )

"""`atomic_write`: the one way files reach the disk, whole or not at all, private from the first byte."""

from __future__ import annotations

import os
import stat

import pytest

from barrack_tui.account import files
from barrack_tui.account.files import atomic_write


def mode_of(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_writes_text_as_utf8_and_bytes_as_given(tmp_path):
    atomic_write(tmp_path / "t", "héllo\n", 0o600)
    atomic_write(tmp_path / "b", b"\x00\xff", 0o644)
    assert (tmp_path / "t").read_bytes() == "héllo\n".encode()
    assert (tmp_path / "b").read_bytes() == b"\x00\xff"


def test_the_file_is_created_with_its_mode_not_chmod_after(tmp_path, umask_022, monkeypatch):
    created: list[int] = []
    real_open = os.open

    def spy(path, flags, mode=0o777, *args, **kwargs):
        if flags & os.O_CREAT:
            created.append(mode)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", spy)
    atomic_write(tmp_path / "k", "secret", 0o600)
    assert created == [0o600]
    assert mode_of(tmp_path / "k") == 0o600


def test_the_mode_is_exact_whatever_the_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        atomic_write(tmp_path / "shared", "x", 0o644)  # the umask would have cleared the group/other read bits
    finally:
        os.umask(previous)
    assert mode_of(tmp_path / "shared") == 0o644


def test_replaces_an_existing_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "f"
    target.write_text("old")
    atomic_write(target, "new", 0o600)
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def test_without_overwrite_an_existing_file_is_kept_and_the_error_names_it(tmp_path):
    target = tmp_path / "f"
    target.write_text("old")
    with pytest.raises(FileExistsError) as raised:
        atomic_write(target, "new", 0o600, overwrite=False)
    assert raised.value.filename == str(target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def test_a_symlink_at_the_target_is_replaced_never_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    link = tmp_path / "link"
    link.symlink_to(victim)
    atomic_write(link, "new", 0o600)
    assert not link.is_symlink() and link.read_text() == "new"
    assert victim.read_text() == "untouched"


def test_a_dangling_symlink_counts_as_existing_without_overwrite(tmp_path):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        atomic_write(link, "new", 0o600, overwrite=False)
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_write_leaves_the_old_content_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "f"
    target.write_text("old")

    def full_disk(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "write", full_disk)
    with pytest.raises(OSError, match="No space"):
        atomic_write(target, "new", 0o600)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def test_the_data_and_the_directory_entry_are_synced(tmp_path, monkeypatch):
    synced: list[bool] = []
    real_fsync = os.fsync

    def spy(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", spy)
    atomic_write(tmp_path / "f", "x", 0o600)
    assert synced == [False, True]  # the file before it is named, then its directory

"""barrack_tui.account.keyfile: a saved private key is 0600 from creation, atomic, never overwritten silently, never logged."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from barrack_tui.account import keyfile
from barrack_tui.account.keyfile import KeyFileError, KeyFileExists, default_key_path, save_private_key

# Key-shaped but not "PRIVATE KEY" armour: the module does not parse keys, and secret scanners stay quiet.
KEY_TEXT = "-----BEGIN TEST KEY MATERIAL-----\nc2VjcmV0LXRlc3Qta2V5LW1hdGVyaWFs\n-----END TEST KEY MATERIAL-----"
KEY_BODY = "c2VjcmV0LXRlc3Qta2V5LW1hdGVyaWFs"


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_saved_key_has_mode_0600_under_umask_022(tmp_path, umask_022):
    target = tmp_path / "id_barrack"
    written = save_private_key(target, KEY_TEXT)
    assert written == target
    assert mode_of(target) == 0o600
    assert target.read_text() == KEY_TEXT + "\n"  # OpenSSH needs the final newline


def test_file_is_0600_at_creation_not_chmod_after(tmp_path, umask_022, monkeypatch):
    """Every file the module creates is opened with mode 0600: there is no moment where it is world-readable."""
    created_modes: list[int] = []
    real_open = os.open

    def spy_open(path, flags, mode=0o777, *args, **kwargs):
        if flags & os.O_CREAT:
            created_modes.append(mode)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(keyfile.os, "open", spy_open)
    save_private_key(tmp_path / "k", KEY_TEXT)
    assert created_modes == [0o600]


def test_mode_is_exactly_0600_even_with_a_permissive_umask(tmp_path):
    previous = os.umask(0)
    try:
        save_private_key(tmp_path / "k", KEY_TEXT)
    finally:
        os.umask(previous)
    assert mode_of(tmp_path / "k") == 0o600


def test_refuses_to_overwrite_without_confirmation(tmp_path):
    target = tmp_path / "existing"
    target.write_text("precious")
    with pytest.raises(KeyFileExists) as caught:
        save_private_key(target, KEY_TEXT)
    assert caught.value.path == target
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["existing"]  # no temporary file left behind


def test_overwrite_when_confirmed_replaces_atomically_with_0600(tmp_path, umask_022):
    target = tmp_path / "existing"
    target.write_text("old")
    os.chmod(target, 0o644)
    save_private_key(target, KEY_TEXT, overwrite=True)
    assert target.read_text() == KEY_TEXT + "\n"
    assert mode_of(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"]


def test_a_symlink_at_the_target_is_never_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("do not touch")
    link = tmp_path / "link"
    link.symlink_to(victim)
    with pytest.raises(KeyFileExists):
        save_private_key(link, KEY_TEXT)
    save_private_key(link, KEY_TEXT, overwrite=True)
    assert victim.read_text() == "do not touch"
    assert not link.is_symlink()
    assert mode_of(link) == 0o600


def test_creates_missing_directories_private(tmp_path, umask_022):
    target = tmp_path / "home" / ".ssh" / "new-key"
    save_private_key(target, KEY_TEXT)
    assert mode_of(target.parent) == 0o700
    assert mode_of(target) == 0o600


def test_expands_the_home_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    written = save_private_key("~/k", KEY_TEXT)
    assert written == tmp_path / "k"


def test_errors_name_the_path_not_the_key(tmp_path):
    not_a_dir = tmp_path / "plain-file"
    not_a_dir.write_text("")
    with pytest.raises(KeyFileError) as caught:
        save_private_key(not_a_dir / "k", KEY_TEXT)
    assert str(not_a_dir / "k") in str(caught.value)
    assert KEY_BODY not in str(caught.value)


def test_a_directory_is_not_a_key_file(tmp_path):
    with pytest.raises(KeyFileError, match="is a directory"):
        save_private_key(tmp_path, KEY_TEXT, overwrite=True)


def test_the_key_text_is_never_logged(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    save_private_key(tmp_path / "k", KEY_TEXT)
    with pytest.raises(KeyFileExists):
        save_private_key(tmp_path / "k", KEY_TEXT)
    assert str(tmp_path / "k") in caplog.text  # it does log, but only the path
    assert KEY_BODY not in caplog.text and "BEGIN" not in caplog.text


def test_default_path_is_in_dot_ssh_with_a_safe_name(tmp_path):
    assert default_key_path("ci-deploy", home=tmp_path) == tmp_path / ".ssh" / "ci-deploy"
    assert default_key_path("../evil", home=tmp_path) == tmp_path / ".ssh" / "-evil"
    assert default_key_path("", home=tmp_path) == tmp_path / ".ssh" / "barrack-key"

"""Saving a generated SSH private key to a file: mode 0600 from the first byte, atomic, never overwriting by accident.

The server returns a generated private key exactly once. This module writes
it so that no other user can ever read it, not even for an instant: the
temporary file is created with `os.open(..., 0o600)` (so the process umask
can only remove bits, never add them) and fchmod'ed to exactly 0600 before
the key is written; it then appears under its final name in one step. An
existing file is never replaced unless the caller says so (after asking the
user). Nothing here logs or raises the key text: log lines and errors name
only the path.

No Textual: the UI calls `save_private_key` and shows the result.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_KEY_MODE = 0o600
# A directory created for the key (typically ~/.ssh) must not be readable by others either.
KEY_DIR_MODE = 0o700


class KeyFileExists(FileExistsError):
    """The target exists; the UI asks before calling again with overwrite=True."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists")
        self.path = path


class KeyFileError(OSError):
    """The key could not be written; the message names the path and the reason, never the key."""


def default_key_path(key_name: str, *, home: Path | None = None) -> Path:
    """Where a generated key is proposed to go: ~/.ssh/<key name> (K1 names are safe file names)."""
    base = home if home is not None else Path.home()
    safe_name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in key_name).lstrip(".") or "barrack-key"
    return base / ".ssh" / safe_name


def _key_bytes(text: str) -> bytes:
    # OpenSSH refuses a private key file whose last line has no newline ("invalid format").
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def _write_private_temp(directory: Path, data: bytes) -> Path:
    """A new file in `directory` holding `data`, created 0600 and synced to disk."""
    for _ in range(100):
        temp = directory / f".barrack-key-{secrets.token_hex(8)}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), PRIVATE_KEY_MODE)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - 100 collisions of 64 random bits do not happen
        raise KeyFileError(f"Could not create a temporary file in {directory}")
    try:
        # A umask can only clear bits; fchmod makes the mode exactly 0600 whatever the umask was.
        os.fchmod(fd, PRIVATE_KEY_MODE)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    os.close(fd)
    return temp


def _publish(temp: Path, target: Path, *, overwrite: bool) -> None:
    if overwrite:
        # replace() swaps the directory entry: a symlink at `target` is replaced, never followed.
        os.replace(temp, target)
        return
    try:
        # link() fails if `target` exists (even as a dangling symlink): no check-then-write race.
        os.link(temp, target)
    except FileExistsError:
        raise KeyFileExists(target) from None
    except OSError:
        # Filesystems without hard links (FAT, some network mounts): best effort without the race guard.
        if os.path.lexists(target):
            raise KeyFileExists(target) from None
        os.replace(temp, target)
        return
    os.unlink(temp)


def save_private_key(path: str | os.PathLike[str], text: str, *, overwrite: bool = False) -> Path:
    """Write `text` to `path` with mode 0600, atomically; return the absolute path written.

    Raises KeyFileExists when `path` exists and `overwrite` is False, and
    KeyFileError (message: path and reason only) for any other failure.
    Missing parent directories are created with mode 0700.
    """
    target = Path(path).expanduser()
    if not target.is_absolute():
        target = Path.cwd() / target
    if target.name in ("", ".", ".."):
        raise KeyFileError(f"{target} is not a file name")
    if target.is_dir():
        raise KeyFileError(f"{target} is a directory")
    if not overwrite and os.path.lexists(target):
        raise KeyFileExists(target)
    directory = target.parent
    temp: Path | None = None
    try:
        directory.mkdir(mode=KEY_DIR_MODE, parents=True, exist_ok=True)
        temp = _write_private_temp(directory, _key_bytes(text))
        _publish(temp, target, overwrite=overwrite)
    except KeyFileExists:
        raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise KeyFileError(f"Could not save the key to {target}: {reason}") from None
    finally:
        if temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
    log.info("saved a private key file: %s (mode 0600)", target)
    return target

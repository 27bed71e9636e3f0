"""Saving a generated SSH private key to a file: mode 0600 from the first byte, atomic, never overwriting by accident.

The server returns a generated private key exactly once. This module writes
it so that no other user can ever read it, not even for an instant: through
`atomic_write`, which creates the temporary file 0600 and gives it its final
name in one step. An existing file is never replaced unless the caller says
so (after asking the user). Nothing here logs or raises the key text: log
lines and errors name only the path.

No Textual: the UI calls `save_private_key` and shows the result.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from barrack_tui.account.files import atomic_write

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
    try:
        target.parent.mkdir(mode=KEY_DIR_MODE, parents=True, exist_ok=True)
        try:
            # Not overwriting: published with link(), which fails even on a dangling symlink. Overwriting:
            # replace() swaps the directory entry, so a symlink at `target` is replaced, never followed.
            atomic_write(target, _key_bytes(text), PRIVATE_KEY_MODE, overwrite=overwrite)
        except FileExistsError:
            raise KeyFileExists(target) from None
    except KeyFileExists:
        raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise KeyFileError(f"Could not save the key to {target}: {reason}") from None
    log.info("saved a private key file: %s (mode 0600)", target)
    return target

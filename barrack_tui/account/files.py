"""Writing a file so that a crash never leaves half of it, and no one else can read it even for an instant.

Every file barrack-tui writes for the user (the opt-in key file, a generated
SSH private key, the managed SSH config, a chat export, a doctor report)
goes through `atomic_write`:

- the data goes to a new temporary file in the target's directory (so the
  final rename never crosses a filesystem), created by `os.open` with the
  final mode: the umask can only clear bits, and `fchmod` then makes the mode
  exact, so there is no moment where the file is readable by others;
- it is synced to disk before it gets its name, so after a crash the name
  holds either the old content or the whole new content, never a prefix;
- it then takes the target's name in one step (`os.replace`), or, when
  overwriting is not allowed, with `os.link`, which fails if anything (even a
  dangling symlink) is there, leaving no window between a check and a write.
  Either way a symlink at the target is replaced or refused, never followed;
- the directory is synced too, where the platform allows, so the new name
  itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

# Never following a symlink someone planted at the temporary name (where the platform has the flag).
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_NAME_ATTEMPTS = 100


def atomic_write(path: str | os.PathLike[str], data: bytes | str, mode: int, *, overwrite: bool = True) -> Path:
    """Put `data` (text is written as UTF-8) at `path` with exactly `mode`, atomically; return the path.

    The directory must exist. With `overwrite=False` an existing `path` raises `FileExistsError`
    and nothing is written. Any `OSError` leaves `path` as it was and no temporary file behind.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temp = _write_temp(target, payload, mode)
    try:
        _publish(temp, target, overwrite=overwrite)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)  # still there only when publishing failed, or after a hard link
    _sync_directory(target.parent)
    return target


def _write_temp(target: Path, payload: bytes, mode: int) -> Path:
    """A new file beside `target` holding `payload`, created with `mode` and synced to disk."""
    import secrets  # with hmac and hashlib, only when a file is written: not on the first frame's path

    for _ in range(_NAME_ATTEMPTS):
        # Hidden, and named after the target, so a leftover from a killed process says what it was.
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(temp, _CREATE_FLAGS, mode)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - 100 collisions of 48 random bits do not happen
        raise OSError(f"could not create a temporary file beside {target}")
    try:
        os.fchmod(fd, mode)  # the umask may have cleared bits the caller asked for: the mode is exactly `mode`
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)  # unbuffered: nothing is left to flush once this returns
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
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)  # fails if `target` exists: no check-then-write race
    except FileExistsError:
        raise _exists(target) from None
    except OSError:
        # Filesystems without hard links (FAT, some network mounts): best effort without the race guard.
        if os.path.lexists(target):
            raise _exists(target) from None
        os.replace(temp, target)


def _exists(target: Path) -> FileExistsError:
    # Naming the target alone: link()'s own error names the temporary file too, which means nothing to a user.
    return FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))


def _sync_directory(directory: Path) -> None:
    """Make the new directory entry durable; platforms that cannot open a directory skip this."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse to sync a directory; the file itself is already on disk
    finally:
        os.close(fd)

"""Remembered per-screen UI state (filter text, sort column...) in one small JSON file.

The file is `barrack_tui.account.paths.ui_state_file()`: `{"<screen>": {...}, ...}`.
Every screen reads and writes only its own section. A missing, unreadable or
corrupt file is never an error: the screen starts from its defaults. Writes
are atomic (a temporary file in the same directory, then `os.replace`), so a
crash mid-write never leaves half a file that would lose every screen's state.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from barrack_tui.account import paths
from barrack_tui.account.files import atomic_write

log = logging.getLogger(__name__)

# Remembered state is small; a bigger file is not ours (or is damaged) and is ignored.
MAX_STATE_BYTES = 256 * 1024


def _read_all(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_STATE_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def load(screen: str, *, path: Path | None = None) -> dict[str, Any]:
    """The remembered state of one screen ({} when nothing usable is stored)."""
    section = _read_all(path or paths.ui_state_file()).get(screen)
    return dict(section) if isinstance(section, dict) else {}


def save(screen: str, state: dict[str, Any], *, path: Path | None = None) -> bool:
    """Replace one screen's section, keeping the others. Returns False (and logs) when the disk refused."""
    target = path or paths.ui_state_file()
    data = _read_all(target)
    if data.get(screen) == state:
        return True
    data[screen] = state
    try:
        paths.ensure_private_dir(target.parent)
        atomic_write(target, json.dumps(data, indent=1, sort_keys=True), 0o600)
    except OSError as exc:
        # Losing a remembered sort order is not worth interrupting the user for.
        log.warning("could not save UI state to %s: %s", target, exc.strerror)
        return False
    return True

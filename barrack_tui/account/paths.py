"""Where barrack-tui keeps its files (config, chat history, remembered UI state) and how private those dirs are.

`BARRACK_CONFIG_DIR` / `BARRACK_DATA_DIR` override the platform directories
(tests point them at temporary folders; so can a user with a shared home).

Every directory barrack-tui creates is 0700: chats can quote the account
summary, and the opt-in key file lives in the config dir. An existing config
or data dir (or one below them) that group or others can enter is tightened
to 0700; when that is impossible (another owner, a read-only mount) it is
reported, not ignored (`tighten_private_dirs`).

`--demo` writes everything under `<data dir>/demo/` (`use_demo_data`), so the
simulator's chats and UI state never mix with a real account's.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

APP_NAME = "barrack-tui"
DEMO_SUBDIR = "demo"
PRIVATE_DIR_MODE = 0o700

log = logging.getLogger(__name__)

# The base data dir the demo was selected for; `data_dir()` answers the demo subdir only for that base,
# so pointing BARRACK_DATA_DIR elsewhere afterwards (as every test does) starts from the real dir again.
_demo_for: Path | None = None


def config_dir() -> Path:
    override = os.environ.get("BARRACK_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME)


def base_data_dir() -> Path:
    """The real account's data dir, whatever the session is."""
    override = os.environ.get("BARRACK_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def demo_data_dir() -> Path:
    return base_data_dir() / DEMO_SUBDIR


def use_demo_data(on: bool) -> None:
    """Send this session's data (`data_dir()`) to the demo's own dir, or back to the real one."""
    global _demo_for
    _demo_for = base_data_dir() if on else None


def data_dir() -> Path:
    """This session's data dir: the demo's own under `--demo`, else the real one."""
    base = base_data_dir()
    return base / DEMO_SUBDIR if _demo_for == base else base


def default_config_file() -> Path:
    return config_dir() / "config.toml"


def insecure_key_file() -> Path:
    return config_dir() / "credentials"


def ui_state_file() -> Path:
    return data_dir() / "ui-state.json"


# --- private directories ---------------------------------------------------------------------------


def _is_ours(path: Path) -> bool:
    """Inside (or equal to) the config or data dir: a dir barrack-tui may tighten without asking."""
    resolved = path.absolute()
    for root in (config_dir(), base_data_dir()):
        root = root.absolute()
        if resolved == root or root in resolved.parents:
            return True
    return False


def _tighten(path: Path) -> str:
    """chmod an existing dir to 0700 if group/others can use it; '' when done or not needed, else why not."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return ""  # gone, or not ours to look at: whoever writes there next will say why
    if not mode & 0o077:
        return ""
    try:
        os.chmod(path, PRIVATE_DIR_MODE)
    except OSError as exc:
        return (
            f"{path} can be read by other users (mode {mode:04o}) and could not be made private: "
            f"{exc.strerror or type(exc).__name__}"
        )
    return ""


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) at 0700, whatever the umask; tighten it if it is ours and too open.

    Raises OSError when the dir cannot be created. A dir outside the config and data dirs (a path the
    user typed for an export) is created private but never chmod-ed when it already exists.
    """
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    for created in missing:
        # mkdir's mode is filtered by the umask and `parents` ignores it for the parents: say it again.
        os.chmod(created, PRIVATE_DIR_MODE)
    if not missing and _is_ours(path) and (problem := _tighten(path)):
        log.warning("%s", problem)
    return path


def tighten_private_dirs() -> list[str]:
    """At start: make the existing config and data dirs (and the demo's) 0700; one line per dir that refused."""
    problems: list[str] = []
    for path in (config_dir(), base_data_dir(), demo_data_dir()):
        if path.is_dir() and (problem := _tighten(path)):
            problems.append(problem)
    return problems

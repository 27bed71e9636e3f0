"""Settings: a TOML file in the platform's config dir, then environment overrides.

A malformed file never stops the app: `load_settings` returns the defaults and
a message naming the file and line, which the CLI and the app show.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from barrack_tui.account import paths
DEFAULT_BASE_URL = "https://api.barrack.ai"
REGIONS = ("NORWAY-1", "CANADA-1", "US-1")
# Textual's built-in themes (tests/shell/test_keymap_check.py keeps this list equal to textual.theme's).
THEMES = (
    "textual-dark", "textual-light", "nord", "gruvbox", "tokyo-night", "monokai", "dracula", "flexoki",
    "catppuccin-mocha", "catppuccin-latte", "catppuccin-frappe", "catppuccin-macchiato", "solarized-light",
    "solarized-dark", "rose-pine", "rose-pine-moon", "rose-pine-dawn", "atom-one-dark", "atom-one-light",
    "ansi-dark", "ansi-light",
)


@dataclass
class PollSettings:
    fast_seconds: float = 2.0
    slow_seconds: float = 15.0
    # Errors back off up to the calm interval, not beyond: once the API answers again the data
    # must be current within one poll interval, however long the outage was.
    # Errors back off exponentially to 60 s; ctrl+r (and any action) polls at once regardless.
    max_backoff_seconds: float = 60.0


@dataclass
class Settings:
    base_url: str = DEFAULT_BASE_URL
    default_region: str | None = None
    theme: str = "textual-dark"
    read_only: bool = False
    poll: PollSettings = field(default_factory=PollSettings)
    # binding id -> comma-separated keys, applied with App.set_keymap
    keymap: dict[str, str] = field(default_factory=dict)
    ssh_options: list[str] = field(default_factory=list)
    # `user@host[:port]` that `s` hops through (ssh -J) to an instance with only a private address.
    ssh_jump_host: str | None = None
    timeout_connect: float = 5.0
    timeout_read: float = 30.0
    # Plain http to a host other than this machine sends the key unencrypted: refused unless this is on.
    allow_insecure_http: bool = False
    path: Path | None = None


@dataclass
class LoadResult:
    settings: Settings
    warnings: list[str] = field(default_factory=list)


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("BARRACK_CONFIG")
    if env:
        return Path(env)
    return paths.default_config_file()


def _apply(settings: Settings, data: dict[str, Any], warnings: list[str]) -> None:
    """Copy known keys from the parsed TOML; a wrong type is a warning, not a crash."""

    def take(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
        value = table.get(key)
        if value is None:
            return None
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; `read_only = 1` or `fast_seconds = true` are mistakes.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            warnings.append(f"config: {where}{key} has the wrong type; using the default")
            return None
        return value

    api = data.get("api", {}) if isinstance(data.get("api"), dict) else {}
    ui = data.get("ui", {}) if isinstance(data.get("ui"), dict) else {}
    poll = data.get("poll", {}) if isinstance(data.get("poll"), dict) else {}
    ssh = data.get("ssh", {}) if isinstance(data.get("ssh"), dict) else {}
    if (v := take(api, "base_url", str, "api.")) is not None:
        settings.base_url = v
    if (v := take(api, "timeout_connect", (int, float), "api.")) is not None:
        settings.timeout_connect = float(v)
    if (v := take(api, "timeout_read", (int, float), "api.")) is not None:
        settings.timeout_read = float(v)
    if (v := take(api, "allow_insecure_http", bool, "api.")) is not None:
        settings.allow_insecure_http = v
    if (v := take(ui, "default_region", str, "ui.")) is not None:
        if v in REGIONS:
            settings.default_region = v
        else:
            warnings.append(f"config: ui.default_region {v!r} is not one of {', '.join(REGIONS)}")
    if (v := take(ui, "theme", str, "ui.")) is not None:
        if v in THEMES:
            settings.theme = v
        else:
            warnings.append(f"config: ui.theme {v!r} is not a theme; using {settings.theme} (themes: {', '.join(THEMES)})")
    if (v := take(ui, "read_only", bool, "ui.")) is not None:
        settings.read_only = v
    for key in ("fast_seconds", "slow_seconds", "max_backoff_seconds"):
        if (v := take(poll, key, (int, float), "poll.")) is not None:
            if v > 0:
                setattr(settings.poll, key, float(v))
            else:
                warnings.append(f"config: poll.{key} must be positive")
    keymap = data.get("keymap", {})
    if isinstance(keymap, dict):
        # Which binding ids exist and which keys clash is the TUI's to say (tui/keymap.py), at start.
        settings.keymap = {str(k): v for k, v in keymap.items() if isinstance(v, str) and v.strip()}
        for binding_id, value in keymap.items():
            if not isinstance(value, str) or not value.strip():
                warnings.append(f"config: keymap.{binding_id} must be a string of keys like \"d\" or \"d,delete\"")
    else:
        warnings.append("config: keymap must be a table of binding id = \"keys\"")
    if (v := take(ssh, "options", list, "ssh.")) is not None:
        settings.ssh_options = [str(item) for item in v]
    if (v := take(ssh, "jump_host", str, "ssh.")) is not None:
        # It becomes one argv word after -J: a leading dash or a space would make it an option or two words.
        if v.strip() and not v.startswith("-") and not any(c.isspace() for c in v):
            settings.ssh_jump_host = v
        elif v.strip():
            warnings.append(f"config: ssh.jump_host {v!r} must be one host like \"user@bastion\" (no spaces, no leading -)")


def _env_overrides(settings: Settings) -> None:
    if url := os.environ.get("BARRACK_BASE_URL"):
        settings.base_url = url
    if region := os.environ.get("BARRACK_REGION"):
        if region in REGIONS:
            settings.default_region = region
    if os.environ.get("BARRACK_READ_ONLY", "").lower() in ("1", "true", "yes"):
        settings.read_only = True


def load_settings(explicit: str | os.PathLike[str] | None = None) -> LoadResult:
    path = config_path(explicit)
    settings = Settings(path=path)
    warnings: list[str] = []
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = None
    except OSError as exc:
        warnings.append(f"config: cannot read {path}: {exc.strerror}; using defaults")
        raw = None
    if raw is not None:
        try:
            data = tomllib.loads(raw.decode("utf-8", errors="replace"))
        except tomllib.TOMLDecodeError as exc:
            # The decoder's message names the line and column: "... (at line 3, column 7)".
            warnings.append(f"config: {path} is not valid TOML: {exc}; using defaults")
        else:
            _apply(settings, data, warnings)
    _env_overrides(settings)
    return LoadResult(settings, warnings)

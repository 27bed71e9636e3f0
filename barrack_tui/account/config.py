"""Settings: a TOML file in the platform's config dir, then environment overrides.

A malformed file never stops the app: `load_settings` returns the defaults and
a message naming the file and line, which the CLI and the app show. A key with
a wrong value is named with its line and left at its default; the other keys
still apply (the schema is in config_schema.py).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

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
        text = raw.decode("utf-8", errors="replace")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            # The decoder's message names the line and column: "... (at line 3, column 7)".
            warnings.append(f"config: {path} is not valid TOML: {exc}; using defaults")
        else:
            # Here, not at the top: a start without a config file never pays for pydantic and the schema.
            from barrack_tui.account.config_schema import read_config

            config, problems = read_config(data, text)
            config.apply(settings)
            warnings.extend(problems)
    _env_overrides(settings)
    return LoadResult(settings, warnings)

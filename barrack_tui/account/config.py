"""Settings: a TOML file in the platform's config dir, then environment overrides.

A malformed file never stops the app: `load_settings` returns the defaults and
a message naming the file and line, which the CLI and the app show. A key with
a wrong value is named with its line and left at its default; the other keys
still apply (the schema is in config_schema.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from barrack_tui.account import paths
from barrack_tui.account.settings import DEFAULT_BASE_URL, REGIONS, THEMES, PollSettings, Settings

__all__ = [
    "DEFAULT_BASE_URL", "REGIONS", "THEMES", "LoadResult", "PollSettings", "Settings", "config_path", "load_settings",
]

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
        import tomllib  # with its regexes, only when there is a file to read

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

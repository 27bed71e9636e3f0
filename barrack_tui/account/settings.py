"""What the app can be told: the settings with their defaults, and the values some of them may take.

Read from the config file (config.py, through the schema in config_schema.py)
and the environment; kept apart from the reading so the schema can name the
defaults without importing the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

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


# How alerts and watches may ring the terminal (tui/shell/desktop_notify.py): "auto" picks by terminal.
TERMINAL_NOTIFY_MODES = ("auto", "osc9", "osc777", "osc99", "bell", "off")


@dataclass
class AlertSettings:
    """Budget alerts; each threshold is off (None) until the config sets it."""

    runway_warn_hours: float | None = None
    long_running_hours: float | None = None
    # In the account's currency, per day.
    daily_spend_cap: Decimal | None = None
    # Opt-out: alerts and watches also ring the terminal (a desktop notification where it can show one).
    terminal_notify: str = "auto"


@dataclass
class Settings:
    base_url: str = DEFAULT_BASE_URL
    default_region: str | None = None
    theme: str = "textual-dark"
    read_only: bool = False
    poll: PollSettings = field(default_factory=PollSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
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

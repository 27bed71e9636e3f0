"""The config file's schema: what each key may hold, and a message naming the key and its line when it does not.

A mistake costs only its own key: the key is reported and left at its
default, every other key still applies. Keys this version does not know are
ignored without a word, so a config written for a newer version still loads.
Which keymap binding ids exist is not checked here: that is the TUI's to say.

Imported only when a config file exists, so a start without one never loads
pydantic for it; with one, pydantic comes a little earlier than the API models
would load it anyway, and building these models adds a few milliseconds.
"""

from __future__ import annotations

import dataclasses
import datetime
import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError, field_validator
from pydantic_core import ErrorDetails

from barrack_tui.account.settings import REGIONS, TERMINAL_NOTIFY_MODES, THEMES, Settings

_DEFAULT_THEME = Settings().theme
_KEYS_EXAMPLE = 'a string of keys like "d" or "d,delete"'
# Messages of their own where a bare "must be a table" would not say what goes there.
_TABLE_MESSAGES = {"keymap": 'keymap must be a table of binding id = "keys"'}
# What a type error expected, in the config file's own words.
_EXPECTED = {
    "string_type": "a string in quotes",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a table",
    "model_type": "a table",
}


class _Section(BaseModel):
    """One table of the file. Strict: `read_only = 1` or `fast_seconds = true` are mistakes, not conversions."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    def given(self) -> dict[str, Any]:
        """The keys the file set (and that were valid), by name; absent keys keep the Settings defaults."""
        return {name: value for name, value in self.model_dump(include=self.model_fields_set).items() if value is not None}


class ApiSection(_Section):
    base_url: str | None = None
    timeout_connect: float | None = None
    timeout_read: float | None = None
    allow_insecure_http: bool | None = None


class UiSection(_Section):
    default_region: str | None = None
    theme: str | None = None
    read_only: bool | None = None

    @field_validator("default_region")
    @classmethod
    def _known_region(cls, value: str | None) -> str | None:
        if value is not None and value not in REGIONS:
            raise ValueError(f"{value!r} is not one of {', '.join(REGIONS)}")
        return value

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str | None) -> str | None:
        if value is not None and value not in THEMES:
            raise ValueError(f"{value!r} is not a theme; using {_DEFAULT_THEME} (themes: {', '.join(THEMES)})")
        return value


class PollSection(_Section):
    fast_seconds: float | None = None
    slow_seconds: float | None = None
    max_backoff_seconds: float | None = None

    @field_validator("fast_seconds", "slow_seconds", "max_backoff_seconds")
    @classmethod
    def _positive(cls, value: float | None) -> float | None:
        if value is not None and not value > 0:  # `not >` also refuses nan
            raise ValueError("must be positive")
        return value


def _number(value: object) -> float:
    # TOML writes 24 and 24.0 differently; both are a number of hours here (strict mode would refuse the int).
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number, not {_kind(value)}; the alert stays off")
    if not value > 0 or value == float("inf"):  # `not >` also refuses nan
        raise ValueError(f"must be a positive number, not {value}; the alert stays off")
    return float(value)


PositiveNumber = Annotated[float, PlainValidator(_number)]


class AlertsSection(_Section):
    runway_warn_hours: PositiveNumber | None = None
    long_running_hours: PositiveNumber | None = None
    daily_spend_cap: PositiveNumber | None = None
    terminal_notify: str | None = None

    @field_validator("terminal_notify")
    @classmethod
    def _known_mode(cls, value: str | None) -> str | None:
        if value is not None and value not in TERMINAL_NOTIFY_MODES:
            raise ValueError(f"{value!r} is not one of {', '.join(TERMINAL_NOTIFY_MODES)}; using auto")
        return value


class SshSection(_Section):
    options: list[Any] | None = None
    jump_host: str | None = None

    @field_validator("options")
    @classmethod
    def _words(cls, value: list[Any] | None) -> list[str] | None:
        return None if value is None else [str(item) for item in value]

    @field_validator("jump_host")
    @classmethod
    def _one_host(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None  # blank: no jump host, as if the key were absent
        # It becomes one argv word after -J: a leading dash or a space would make it an option or two words.
        if value.startswith("-") or any(c.isspace() for c in value):
            raise ValueError(f'{value!r} must be one host like "user@bastion" (no spaces, no leading -)')
        return value


def _keys(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be {_KEYS_EXAMPLE}")
    return value


Keys = Annotated[str, PlainValidator(_keys)]
"""A keymap value: one or more comma-separated keys, applied with Textual's App.set_keymap."""


class ConfigFile(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    api: ApiSection = ApiSection()
    ui: UiSection = UiSection()
    poll: PollSection = PollSection()
    alerts: AlertsSection = AlertsSection()
    # binding id -> keys; an entry that is not keys costs only itself.
    keymap: dict[str, Keys] = {}
    ssh: SshSection = SshSection()

    def apply(self, settings: Settings) -> None:
        """Copy what the file set onto `settings` (whose own defaults stand for everything else)."""
        for name, value in {**self.api.given(), **self.ui.given()}.items():
            setattr(settings, name, value)
        settings.poll = dataclasses.replace(settings.poll, **self.poll.given())
        alerts = self.alerts.given()
        if "daily_spend_cap" in alerts:  # money is Decimal: from the number's shortest text, as written
            alerts["daily_spend_cap"] = Decimal(str(alerts["daily_spend_cap"]))
        settings.alerts = dataclasses.replace(settings.alerts, **alerts)
        settings.keymap = dict(self.keymap)
        ssh = self.ssh.given()
        settings.ssh_options = ssh.get("options", settings.ssh_options)
        settings.ssh_jump_host = ssh.get("jump_host", settings.ssh_jump_host)


# Each round drops the keys the one before refused; the second always passes, the bound is a guard.
_ROUNDS = 3


def read_config(data: dict[str, Any], text: str) -> tuple[ConfigFile, list[str]]:
    """The file's settings, and one message per refused key ("config line 3: ui.theme ..."), in file order."""
    problems: list[str] = []
    lines: dict[tuple[str, ...], int] | None = None
    for _ in range(_ROUNDS):
        try:
            return ConfigFile.model_validate(data), problems
        except ValidationError as exc:
            lines = lines if lines is not None else key_lines(text)
            errors = exc.errors(include_url=False)
            for error in sorted(errors, key=lambda e: _line_of(_path(e), lines) or 0):
                problems.append(_message(_path(error), error, _line_of(_path(error), lines)))
            for error in errors:
                data = _without(data, _path(error))
    return ConfigFile(), problems  # pragma: no cover - dropping every refused key always leaves a valid file


def _path(error: ErrorDetails) -> tuple[str, ...]:
    return tuple(str(part) for part in error["loc"])


def _without(data: Mapping[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """A copy of `data` without the value at `path`, so that key falls back to its default."""
    out = dict(data)
    if len(path) == 1:
        out.pop(path[0], None)
    elif path and isinstance(out.get(path[0]), Mapping):
        out[path[0]] = _without(out[path[0]], path[1:])
    return out


def _message(path: tuple[str, ...], error: ErrorDetails, line: int | None) -> str:
    where = f"config line {line}:" if line else "config:"
    name = ".".join(part if part.isprintable() else repr(part) for part in path)
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, ValueError):  # one of the checks above: its text follows the key's name
        return f"{where} {name} {cause}"
    got = _kind(error.get("input"))
    if len(path) == 1:
        return f"{where} {_TABLE_MESSAGES.get(name) or f'{name} must be a table ([{name}]), not {got}; using the defaults'}"
    expected = _EXPECTED.get(error["type"], "another type")
    return f"{where} {name} must be {expected}, not {got}; using the default"


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (datetime.date, datetime.time)):
        return "a date or time"
    return type(value).__name__


# --- where each key is written --------------------------------------------------------------------


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line on which each key path (and each table) is first written.

    Each line is read by tomllib on its own, so quoting and dotted keys are
    read exactly as the real parse read them. A line that is not TOML by
    itself (inside a multi-line array or string) is skipped: its keys then
    point at the nearest enclosing table instead.
    """
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parsed = _parse_line(stripped)
        if parsed is None:
            continue
        if stripped.startswith("["):
            table = next(_paths(parsed), ())
            found.setdefault(table, number)
            continue
        for path in _paths(parsed, every=True):
            found.setdefault(table + path, number)
    return found


def _parse_line(line: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        pass
    key, equals, _ = line.partition("=")  # a value continued on the next lines: the key alone
    if not equals:
        return None
    try:
        return tomllib.loads(f"{key}= 0")
    except tomllib.TOMLDecodeError:
        return None


def _paths(parsed: Mapping[str, Any], every: bool = False) -> Iterator[tuple[str, ...]]:
    """Key paths in a one-line parse: the deepest only (a table header), or every level (a key line)."""
    for key, value in parsed.items():
        inner = value[-1] if isinstance(value, list) and value and isinstance(value[-1], dict) else value
        if every:
            yield (key,)
        if isinstance(inner, dict) and inner:
            for rest in _paths(inner, every):
                yield (key, *rest)
        elif not every:
            yield (key,)


def _line_of(path: tuple[str, ...], lines: Mapping[tuple[str, ...], int]) -> int | None:
    for end in range(len(path), 0, -1):
        if (line := lines.get(path[:end])) is not None:
            return line
    return None

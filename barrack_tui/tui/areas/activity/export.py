"""Export the activity log as the filter shows it: CSV or JSON, to a path the user types, written whole.

The file holds what the screen lists (the filter applied, newest first) with
every field of each entry and its time in ISO 8601 UTC. It is written by
`atomic_write` (0600: the log names the account's machines and request ids)
and never over an existing file, so a mistyped path cannot destroy another.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from barrack_tui.account.files import atomic_write
from barrack_tui.activity.entry import FIELDS, Activity
from barrack_tui.api.errors import ApiError
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse
from barrack_tui.tui.kit.form import FormModal

FORMATS = ("csv", "json")
EXPORT_FIELDS = ("time", *FIELDS)
# A spreadsheet runs a cell that starts with one of these as a formula; a server name can start with one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def iso_time(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_rows(entries: Sequence[Activity]) -> list[dict[str, Any]]:
    return [{"time": iso_time(entry.at), **entry.as_dict()} for entry in entries]


def to_json(entries: Sequence[Activity]) -> str:
    return json.dumps(export_rows(entries), indent=2, ensure_ascii=False) + "\n"


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Quoted with a leading apostrophe, as spreadsheets themselves do, so opening the file runs nothing.
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def to_csv(entries: Sequence[Activity]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_FIELDS)
    for row in export_rows(entries):
        writer.writerow([_cell(row[name]) for name in EXPORT_FIELDS])
    return out.getvalue()


def write_export(entries: Sequence[Activity], path: Path, fmt: str) -> Path:
    """Write `entries` as `fmt` at `path` (never over an existing file); the path written."""
    text = to_json(entries) if fmt == "json" else to_csv(entries)
    return atomic_write(path, text, 0o600, overwrite=False)


def default_path(directory: Path, fmt: str, at: float) -> Path:
    return directory / f"activity-{datetime.fromtimestamp(at, UTC).strftime('%Y%m%d-%H%M%S')}.{fmt}"


@dataclass(frozen=True)
class ExportValues:
    path: str
    fmt: str


class ExportActivityModal(FormModal[Path, ExportValues]):
    """Asks the path and the format; dismisses with the path written."""

    CSS_PATH = "activity.tcss"
    FORM = "the export"
    FIELDS = ("path",)
    SUBMIT_ID = "activity-export-save"
    CANCEL_ID = "activity-export-cancel"
    ERROR_ID = "activity-export-status"
    MESSAGE_STYLE = ""  # the lines' `error` class colours them
    WORK_GROUP = "activity-export"

    def __init__(self, entries: Sequence[Activity], directory: Path, now: float) -> None:
        super().__init__(id="activity-export")
        self.entries = list(entries)
        self.directory = directory
        self.now = now
        self._path_edited = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="activity-export-box"):
            count = len(self.entries)
            yield Static(Text(f"Export {count:,} activity entr{'y' if count == 1 else 'ies'}"), classes="modal-title")
            yield Static(Text("What the filter shows, newest first. An existing file is never overwritten."),
                         classes="hint")
            with Horizontal(classes="form-row"):
                yield Label("Format", classes="form-label")
                yield Select([("CSV", "csv"), ("JSON", "json")], value="csv", allow_blank=False,
                             id="activity-export-format", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Path", classes="form-label")
                yield Input(value=str(default_path(self.directory, "csv", self.now)), id="activity-export-path",
                            compact=True)
            yield Static(id="activity-export-path-error", classes="error")
            yield Static(id="activity-export-status", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="activity-export-cancel")
                yield Button("Export", variant="primary", id="activity-export-save")

    def on_mount(self) -> None:
        self.query_one("#activity-export-path", Input).focus()

    def message_id(self, field: str) -> str:
        return "activity-export-path-error"

    def field_id(self, field: str) -> str:
        return "activity-export-path"

    def values(self) -> ExportValues:
        fmt = self.query_one("#activity-export-format", Select).value
        return ExportValues(self.query_one("#activity-export-path", Input).value.strip(),
                            fmt if isinstance(fmt, str) else "csv")

    def verdicts(self, values: ExportValues) -> Mapping[str, Verdict]:
        if not values.path:
            return {"path": refuse("PATH_EMPTY", "Type the file to write")}
        return {"path": ALLOWED}

    def on_select_changed(self, event: Select.Changed) -> None:
        # The suggested name follows the format until the user typed a path of their own.
        if event.select.id != "activity-export-format" or not isinstance(event.value, str):
            return
        box = self.query_one("#activity-export-path", Input)
        suggested = {str(default_path(self.directory, fmt, self.now)) for fmt in FORMATS}
        if box.value in suggested:
            box.value = str(default_path(self.directory, event.value, self.now))
            self.keep_as_initial(box)

    async def send(self, values: ExportValues) -> Path:
        target = Path(values.path).expanduser()
        if target.is_dir():
            target = default_path(target, values.fmt, self.now)
        try:
            if target.parent == self.directory:
                from barrack_tui.account.paths import ensure_private_dir

                ensure_private_dir(self.directory)
            return write_export(self.entries, target, values.fmt)
        except FileExistsError:
            raise _LocalError.of(f"{target} already exists; choose another name") from None
        except OSError as exc:
            raise _LocalError.of(f"Could not write {target}: {exc.strerror or exc}") from None


class _LocalError(ApiError):
    """A file that could not be written: raised as the form's refusal, so its words go on the form's line."""

    @classmethod
    def of(cls, text: str) -> _LocalError:
        return cls(0, "LOCAL_FILE", text)

    def describe(self) -> str:
        return self.message

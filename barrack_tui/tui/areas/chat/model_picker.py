"""The model picker (`m` on the chat screen): the API's model list, filtered as you type.

Dismisses with the chosen model's id (None on Escape). Model names come from
the server, so every option is built from `Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from barrack_tui.api.models.chat import AIModel
from barrack_tui.tui.kit.modal import BarrackModal


def model_matches(model: AIModel, query: str) -> bool:
    """Every word of the query appears in the model's id or name (case-insensitive)."""
    haystack = f"{model.id} {model.name}".lower()
    return all(word in haystack for word in query.lower().split())


def model_prompt(model: AIModel, *, current: bool) -> Text:
    """Two lines: the name (marked when it is the current model), then id, context size and prices."""
    prompt = Text(("● " if current else "  ") + model.name, style="bold" if current else "")
    prompt.append(
        f"\n  {model.id} · {model.context_length:,} ctx · per 1k: "
        f"in {model.input_price_per_1k} / out {model.output_price_per_1k}",
        style="dim",
    )
    return prompt


class ModelPicker(BarrackModal[str]):
    CSS_PATH = "chat.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False, id="model_picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="model_picker.up"),
    ]

    def __init__(self, models: Sequence[AIModel], *, current: str | None, error: str | None = None) -> None:
        super().__init__()
        self.models = list(models)
        self.current = current
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="model-picker"):
            yield Static(Text("Choose a model"), classes="modal-title")
            yield Input(placeholder="Filter models…", id="model-filter")
            yield OptionList(id="model-options")
            yield Static(id="model-picker-note", classes="hint")
            yield Static(
                Text("Enter chooses it for this conversation and as the default · Esc cancels"),
                classes="hint",
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#model-filter", Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one("#model-options", OptionList)
        shown = [m for m in self.models if model_matches(m, query)]
        options.clear_options()
        options.add_options([Option(model_prompt(m, current=m.id == self.current), id=m.id) for m in shown])
        ids = [m.id for m in shown]
        if ids:
            options.highlighted = ids.index(self.current) if self.current in ids else 0
        note = self.query_one("#model-picker-note", Static)
        if self.error:
            note.update(Text(self.error, style="red"))
        elif not self.models:
            note.update(Text("No models loaded yet.", style="yellow"))
        elif not shown:
            note.update(Text(f"No model matches “{query}”.", style="yellow"))
        else:
            note.update(Text(f"{len(shown)} of {len(self.models)} models", style="dim"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#model-options", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#model-options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def _choose(self, model_id: str | None) -> None:
        if model_id is not None:
            self.dismiss(model_id)

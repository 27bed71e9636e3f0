"""How a form field's validation line reads: the rule's own message in red, or a quiet confirmation.

Shared by `FormModal` (every form's message lines) and the lines a form
writes itself (a limit, the balance) so a refusal looks the same everywhere;
the text is always `rich.text.Text` (never markup). An empty line takes no
room (forms must fit at 80x24), so `show_line` hides it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from barrack_tui.rules.verdict import Verdict


def verdict_text(verdict: Verdict, ok: str = "") -> Text:
    if verdict.allowed:
        return Text(ok, style="green") if ok else Text("")
    return Text(verdict.message, style="bold red")


def show_line(widget: Static, text: Text | str) -> None:
    """Put `text` in a message line; a line with nothing to say is hidden."""
    content = text if isinstance(text, Text) else Text(text, style="bold red")
    widget.update(content)
    widget.display = bool(content.plain)


def show_verdict(widget: Static, verdict: Verdict, ok: str = "") -> None:
    show_line(widget, verdict_text(verdict, ok))

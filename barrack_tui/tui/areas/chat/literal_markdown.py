"""Textual's Markdown widget, with table cells whose tooltips show server text literally.

Textual 8.2.8 gives each cell of a table's first rows the cell's plain text as
its tooltip, and a plain `str` tooltip is drawn as markup when the mouse rests
on it (Textualize/textual#6642). In a chat answer that text is the server's:
a cell reading `gpu [/bold] box` crashed the app on hover, and
`[@click=app.quit]x[/]` became a live action. Here those tooltips are the
cell's `Content`, which is drawn as it is.

The table classes live in Textual's private `_markdown` module (not exported
by `textual.widgets.markdown`); Textual is pinned, and
tests/tui/test_chat_hostile.py fails if a table cell's tooltip is a `str`
again.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownTable, MarkdownTableContent


class _LiteralTableContent(MarkdownTableContent):
    def compose(self) -> ComposeResult:
        for cell in super().compose():
            if isinstance(cell, Widget) and isinstance(cell.tooltip, str):
                cell.tooltip = Content(cell.tooltip)
            yield cell


class _LiteralTable(MarkdownTable):
    def compose(self) -> ComposeResult:
        for child in super().compose():
            if type(child) is MarkdownTableContent:
                child = _LiteralTableContent(child.headers, child.rows)
            yield child


class LiteralMarkdown(Markdown):
    BLOCKS = {**Markdown.BLOCKS, "table_open": _LiteralTable}

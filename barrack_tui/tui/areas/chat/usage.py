"""The AI usage view (`u` on the chat screen): the API's usage summary and its paginated history.

Pushed on the chat mode's stack; Escape (or `u`) goes back. Both come from
the API (`get_ai_usage_summary`, `get_ai_usage_history(page)`), never from
local sums, so the table is what the account is billed. Model names are
server strings and are rendered as `Text`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from barrack_tui.api.errors import ApiError, AuthError
from barrack_tui.api.models.chat import UsageHistoryResponse, UsageSummaryResponse
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.screen import AreaScreen

HISTORY_COLUMNS = ("When (UTC)", "Model", "Prompt", "Completion", "Total", "Cost")


def summary_table(summary: UsageSummaryResponse) -> Table:
    table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold")
    table.add_column("Model")
    table.add_column("Tokens", justify="right")
    table.add_column(f"Cost ({summary.currency})", justify="right")
    for entry in summary.by_model:
        table.add_row(Text(entry.model), Text(f"{entry.total_tokens:,}"), Text(str(entry.total_cost)))
    table.add_row(Text("Total", style="bold"), Text(f"{summary.total_tokens:,}", style="bold"),
                  Text(str(summary.total_cost), style="bold"))
    return table


class ChatUsageScreen(AreaScreen):
    CSS_PATH = "chat.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,u", "back", "Back to chat", id="chat_usage.back"),
        bind("next page", "page(1)", "Next page", id="chat_usage.next"),
        bind("previous page", "page(-1)", "Previous page", id="chat_usage.previous"),
        bind("refresh", "reload", "Reload", id="chat_usage.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page = 1
        self.total_pages = 1
        self.summary: UsageSummaryResponse | None = None
        self.usage_page: UsageHistoryResponse | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(Text("AI usage"), classes="screen-title")
        yield Static(Text("Loading usage…", style="dim"), id="usage-summary")
        yield Static(id="usage-error", classes="error")
        table: DataTable[Text] = DataTable(id="usage-history", cursor_type="row", zebra_stripes=True)
        table.add_columns(*HISTORY_COLUMNS)
        yield table
        yield Static(id="usage-pager", classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.load_usage()

    def palette_commands(self):
        yield SystemCommand("Usage: next page", f"Older transactions ({key_for(self, 'chat_usage.next')})", lambda: self.action_page(1))
        yield SystemCommand("Usage: previous page", f"Newer transactions ({key_for(self, 'chat_usage.previous')})", lambda: self.action_page(-1))
        yield SystemCommand("Usage: reload", f"Fetch the summary and this page again ({key_for(self, 'chat_usage.reload')})", self.action_reload)
        yield SystemCommand("Usage: back to chat", "Close the usage view (Esc)", self.action_back)

    # --- actions ------------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.barrack.pop_screen()

    def action_page(self, step: int) -> None:
        target = self.page + step
        if 1 <= target <= self.total_pages:
            self.page = target
            self.load_usage(summary=False)
        else:
            edge = "first" if step < 0 else "last"
            self.barrack.notify(f"This is the {edge} page.", timeout=2)

    def action_reload(self) -> None:
        self.load_usage()

    # --- data ---------------------------------------------------------------------------------------

    @work(exclusive=True, group="chat-usage", exit_on_error=False)
    async def load_usage(self, summary: bool = True) -> None:
        send = self.barrack.store.send
        error = self.query_one("#usage-error", Static)
        try:
            if summary or self.summary is None:
                self.summary = await send(lambda api: api.get_ai_usage_summary())
                self.query_one("#usage-summary", Static).update(summary_table(self.summary))
            self.usage_page = await send(lambda api: api.get_ai_usage_history(self.page))
        except AuthError as exc:
            self.barrack.report_error(exc)
            return
        except ApiError as exc:
            error.update(Text(f"Could not load usage: {exc}"))
            return
        error.update(Text(""))
        self._show_history(self.usage_page)

    def _show_history(self, history: UsageHistoryResponse) -> None:
        table: DataTable[Text] = self.query_one("#usage-history", DataTable)
        table.clear()
        for tx in history.transactions:
            table.add_row(
                Text(tx.created_at.strftime("%Y-%m-%d %H:%M:%S")),
                Text(tx.model),
                Text(f"{tx.prompt_tokens:,}", justify="right"),
                Text(f"{tx.completion_tokens:,}", justify="right"),
                Text(f"{tx.prompt_tokens + tx.completion_tokens:,}", justify="right"),
                Text(str(tx.cost), justify="right"),
                key=tx.id,
            )
        pagination = history.pagination
        self.total_pages = max(1, pagination.total_pages or 1)
        count = pagination.total
        noun = "transaction" if count == 1 else "transactions"
        pager = Text(f"Page {self.page} of {self.total_pages} · {count:,} {noun} · newest first")
        keys = {name: key_for(self, f"chat_usage.{name}") for name in ("next", "previous", "reload", "back")}
        pager.append(f"   {keys['next']} next · {keys['previous']} previous · {keys['reload']} reload · {keys['back']} back",
                     style="dim")
        if not history.transactions:
            pager = Text(f"No AI usage yet: ask the assistant something on the chat screen.   {keys['back']} back", style="dim")
        self.query_one("#usage-pager", Static).update(pager)

"""The header on every screen: balance, burn rate, region context, masked key, badges, data age."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.widgets import Static

from barrack_tui.rules.pricing import per_minute


def format_age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def format_money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return "—"
    return f"{amount:,.2f} {currency}"


class AppHeader(Static):
    """One line; rebuilt every second from the app's store (cheap: a few values)."""

    DEFAULT_CLASSES = "app-header"

    def on_mount(self) -> None:
        self.update_header()
        self.set_interval(1.0, self.update_header)

    def update_header(self) -> None:
        app = self.app
        store = getattr(app, "store", None)
        if store is None:
            return
        self.update(self.header_text())

    def header_text(self) -> Text:
        app = self.app
        store = app.store  # type: ignore[attr-defined]
        currency = store.currency
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" barrack ", style="bold reverse")
        if getattr(app, "demo", False):
            line.append(" DEMO ", style="bold black on yellow")
        if getattr(app, "read_only", False):
            line.append(" READ-ONLY ", style="bold white on dark_red")
        sep = (" │ ", "dim")
        line.append(" ")
        line.append(format_money(store.balance_amount, currency), style="bold")
        burn = store.burn_rate_per_hour()
        line.append(*sep)
        line.append("burn ")
        line.append(f"{burn:,.2f}/h", style="bold")
        line.append(f" ({per_minute(burn):.4f}/min)", style="dim")
        line.append(*sep)
        line.append("region ")
        line.append(getattr(app, "region", None) or "all", style="bold")
        line.append(*sep)
        line.append("key ")
        line.append(getattr(app, "masked_key", "none"))
        line.append(*sep)
        health = store.health()
        if health.state == "ok":
            age = store.clock() - (health.last_success or store.clock())
            line.append(f"● updated {format_age(age)} ago", style="green")
        elif health.state == "loading":
            line.append("○ loading…", style="dim")
        elif health.state == "rate_limited":
            line.append(f"▲ rate limited — resuming in {format_age(health.retry_in)}", style="bold yellow")
        else:
            line.append(f"▲ offline — retrying in {format_age(health.retry_in)}", style="bold yellow")
        return line

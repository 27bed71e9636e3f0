"""The header on every screen: balance, burn rate (storage its own part), region context, masked key, badges, data age.

An opted-in plain-http session keeps a red badge right after the name for as long as it runs; a raised
budget alert (tui/shell/alerts.py) keeps an orange one until its condition stops holding.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from barrack_tui.api.transport import INSECURE_HTTP_WARNING
from barrack_tui.tui.kit.access import UsesBarrack

if TYPE_CHECKING:
    from barrack_tui.rules.pricing import CostBreakdown
    from barrack_tui.tui.shell.store import Store


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


def burn_text(
    costs: CostBreakdown | None, *, compact: bool, storage_known: bool = True, instances_known: bool = True
) -> Text:
    """The burn rate with storage as its own labelled part: "burn 14.30/h + storage 0.74/h (0.2507/min)".

    The instances part comes first, alone, so the figure the instance rows add up to
    is the one read. Each part is "…" until what it adds up has been read once: 0.00 before
    the first answer would claim an idle fleet. `costs` may be None only while neither part is known.
    """
    text = Text(no_wrap=True)
    if not compact:
        text.append("burn ")
    if instances_known and costs is not None:
        text.append(f"{costs.instances_per_hour:,.2f}/h", style="bold")
    else:
        text.append("…", style="dim")
    text.append("+st " if compact else " + storage ")
    if not storage_known or costs is None:
        text.append("…", style="dim")
        return text
    text.append(f"{costs.storage_per_hour:,.2f}/h", style="bold")
    if not compact:
        from barrack_tui.rules.pricing import per_minute  # once something is priced: not for the first frame

        text.append(f" ({per_minute(costs.total_per_hour):.4f}/min)", style="dim")
    return text


class AppHeader(UsesBarrack, Static):
    """One line; rebuilt every second from the app's store (cheap: a few values)."""

    DEFAULT_CLASSES = "app-header"

    def on_mount(self) -> None:
        self.update_header()
        self.set_interval(1.0, self.update_header)

    def on_resize(self) -> None:
        # The layout (wide or compact) depends on the width, which is 0 until the first layout.
        self.update_header()

    def update_header(self) -> None:
        app = self.app
        store = getattr(app, "store", None)
        if store is None:
            return
        self.update(self.header_text())

    def header_text(self) -> Text:
        """Below 110 columns the labels and the per-minute rate go, so the key and the data's age still fit in 80."""
        app = self.app
        store = self.barrack.store
        # The figures: the first answers as read before validation while the store has not read them yet.
        shown = getattr(app, "first_look", None) or store
        compact = 0 < self.size.width < 110
        currency = shown.currency
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" barrack ", style="bold reverse")
        if getattr(app, "insecure_http", False):
            # First after the name, so no width cuts it off; shorter forms keep the data's age in view.
            width = self.size.width
            warning = "⚠ http" if compact else "⚠ insecure http" if 0 < width < 150 else INSECURE_HTTP_WARNING
            line.append(f" {warning} ", style="bold white on red")
        if getattr(app, "demo", False):
            line.append(" DEMO ", style="bold black on yellow")
        if getattr(app, "read_only", False):
            line.append(" READ-ONLY ", style="bold white on dark_red")
        alert_badge = getattr(app, "alert_badge", None)
        if alert_badge is not None and (badge := alert_badge()):
            # Before the figures, so a narrow terminal cuts the data's age rather than the alert.
            line.append(f" {badge} ", style="bold black on dark_orange")
        sep = (" │ ", "dim")
        line.append(" ")
        line.append(format_money(shown.balance_amount, currency), style="bold")
        line.append(*sep)
        instances_known, storage_known = "instances" in shown.loaded, shown.storage_known()
        # Priced once something is read: before that both parts say "…", and the first frame prices nothing.
        costs = shown.costs() if instances_known or storage_known else None
        line.append_text(burn_text(costs, compact=compact, storage_known=storage_known, instances_known=instances_known))
        line.append(*sep)
        if not compact:
            line.append("region ")
        # Without its label, a bare "all" would not say what it is.
        line.append(getattr(app, "region", None) or ("all regions" if compact else "all"), style="bold")
        line.append(*sep)
        if not compact:
            line.append("key ")
        line.append(getattr(app, "masked_key", "none"))
        line.append(*sep)
        line.append_text(self._health_text(store, compact))
        return line

    @staticmethod
    def _health_text(store: Store, compact: bool) -> Text:
        health = store.health()
        if health.state == "ok":
            age = store.clock() - (health.last_success or store.clock())
            return Text(f"● {'' if compact else 'updated '}{format_age(age)} ago", style="green")
        if health.state == "loading":
            return Text("○ loading…", style="dim")
        if health.state == "rate_limited":
            return Text(f"▲ rate limited — resuming in {format_age(health.retry_in)}", style="bold yellow")
        # "offline" only when no answer came at all; a 500 is the service failing, and says so.
        what = health.category or "offline"
        return Text(f"▲ {what} — retrying in {format_age(health.retry_in)}", style="bold yellow")

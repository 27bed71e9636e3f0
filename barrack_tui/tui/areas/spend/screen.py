"""Spend: the burn over the last hours or days, the runway, and what each instance and volume accrued.

The burn chart joins two sources (spend/series.py): the billing records of
the resources read, before this session, and the pollers' samples of the
whole account since (kept by the shell's alerts, across screens). The bars
are each resource's billing records summed over the period shown. Billing is
read only for what is shown, a few requests at a time (billing.py), when the
view is shown, when the period changes, and when a read has grown old.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from barrack_tui.spend.runway import describe_runway, runway_hours
from barrack_tui.spend.series import HOURS, SPANS, Span, bucket_bounds, burn_series
from barrack_tui.tui.areas.spend.billing import ALL_UP_TO, SHOWN, BillingBook
from barrack_tui.tui.areas.spend.charts import CostBars
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet

_PRICED = frozenset({"instances", "balance", "volumes", "snapshots"})


def money_text(amount: Decimal) -> str:
    return f"{amount:,.2f}"


class SpendScreen(AreaScreen):
    CSS_PATH = "spend.tcss"
    # Volumes and snapshots are polled everywhere already (the header's storage part); named for the status line.
    POLL_KINDS = ("volumes", "snapshots")
    AREA_KINDS = ("instances", "balance", "volumes")
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("tab", "switch_span", "Hours/days", id="spend.span"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.span: Span = HOURS
        self.book = BillingBook()
        self._read_once = False

    def compose_body(self) -> ComposeResult:
        with Vertical(id="spend-body"):
            yield Static(id="spend-summary")
            yield Static(id="spend-alerts")
            yield Static(id="spend-burn-title")
            yield Sparkline([], id="spend-burn", summary_function=max)
            yield Static(id="spend-burn-axis")
            yield Static(id="spend-bars-title")
            with Horizontal(id="spend-bars"):
                yield CostBars("Instances", id="spend-instances")
                yield CostBars("Volumes", id="spend-volumes")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#spend-burn").can_focus = False

    # --- data ---------------------------------------------------------------------------------------

    def refresh_from_store(self) -> None:
        self.redraw()
        self.read_billing()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind not in _PRICED:
            return
        if change.removed:
            self.book.forget_gone(self.barrack.store)
        self.redraw()
        if change.kind in ("instances", "volumes") and (change.added or change.removed or not self._read_once):
            self.read_billing()

    @work(exclusive=True, group="spend-billing", exit_on_error=False)
    async def read_billing(self) -> None:
        store = self.barrack.store
        if not store.connected or "instances" not in store.loaded:
            return
        now = self.barrack.wall_clock
        chosen = self.book.choose(store, self.span, now())
        wanted = self.book.stale(chosen, now())
        if any(wanted.values()):
            await self.book.read(store, wanted, now)
        self._read_once = True
        self.redraw()

    def action_switch_span(self) -> None:
        self.span = SPANS[(SPANS.index(self.span) + 1) % len(SPANS)]
        self.redraw()
        self.read_billing()

    def action_reload_billing(self) -> None:
        for reads in self.book.reads.values():
            reads.clear()
        self.read_billing()

    # --- drawing ------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        self._draw_summary()
        self._draw_burn()
        self._draw_bars()

    def _draw_summary(self) -> None:
        store = self.barrack.store
        currency = store.currency
        line = Text(no_wrap=True, overflow="ellipsis")
        ready = "instances" in store.loaded and store.storage_known()
        balance = store.balance_amount
        line.append("Balance ")
        line.append(f"{money_text(balance)} {currency}" if balance is not None else "…", style="bold")
        line.append("  burn ")
        per_hour = store.costs().total_per_hour
        line.append(f"{money_text(per_hour)} {currency}/h" if ready else "…", style="bold")
        line.append("  runway ")
        hours = runway_hours(balance, per_hour) if ready else None
        line.append(describe_runway(hours, balance_known=ready and balance is not None), style="bold")
        if hours is not None and hours > 0:
            until = datetime.fromtimestamp(self.barrack.wall_clock() + float(hours) * 3600, UTC)
            line.append(f" (until {until:%a %d %b %H:%M} UTC)", style="dim")
        self.query_one("#spend-summary", Static).update(line)
        self.query_one("#spend-alerts", Static).update(self._alerts_line())

    def _alerts_line(self) -> Text:
        alerts = self.barrack.alerts
        thresholds = alerts.thresholds
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("Alerts ")
        rules = []
        if thresholds.runway_hours is not None:
            rules.append(f"runway < {thresholds.runway_hours:g} h")
        if thresholds.long_running_hours is not None:
            rules.append(f"ACTIVE > {thresholds.long_running_hours:g} h")
        if thresholds.daily_spend_cap is not None:
            rules.append(f"cap {thresholds.daily_spend_cap:,.0f}/day")
        if not rules:
            line.append("none set ([alerts] in the config file)", style="dim")
            return line
        line.append(" · ".join(rules), style="dim")
        raised = list(alerts.book.raised.values())
        if raised:
            line.append("  ")
            line.append(f" {len(raised)} raised ", style="bold black on dark_orange")
            line.append(" " + raised[0].message)
        else:
            line.append("  none raised", style="green")
        return line

    def _draw_burn(self) -> None:
        store = self.barrack.store
        now = self.barrack.wall_clock()
        series = burn_series(self.span, now, self.book.charges(), self.barrack.alerts.burn)
        self.query_one("#spend-burn", Sparkline).data = [float(value) for value in series]
        currency = store.currency
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"Burn, {self.span.label}", style="bold")
        title.append(f" ({currency}{self.span.unit})")
        top = max(series, default=Decimal(0))
        # The last bucket is the one still filling (this hour, today), not the live rate the header shows.
        current = "this hour" if self.span is HOURS else "today"
        title.append(f"  peak {money_text(top)}  {current} {money_text(series[-1]) if series else '…'}")
        title.append(f"   {key_for(self, 'spend.span')}: {'days' if self.span is HOURS else 'hours'}", style="dim")
        self.query_one("#spend-burn-title", Static).update(title)
        self.query_one("#spend-burn-axis", Static).update(self._axis(now))

    def _axis(self, now: float) -> Text:
        bounds = bucket_bounds(self.span, now)
        since = self.barrack.alerts.burn.since
        left = f"{self.span.buckets} {'h' if self.span is HOURS else 'days'} ago"
        source = self._source_note(since, bounds[0][0])
        width = max(self.query_one("#spend-burn-axis").size.width, len(left) + len(source) + 5)
        gap = width - len(left) - len(source) - len("now")
        return Text.assemble((left, "dim"), " " * max(1, gap // 2), (source, "dim"), " " * max(1, gap - gap // 2), ("now", "dim"))

    def _source_note(self, since: float | None, start: float) -> str:
        read = sum(len(reads) for reads in self.book.reads.values())
        if since is not None and since <= start:
            return "observed by the pollers"
        billing = "billing of every resource" if self.book.complete else f"billing of the {read} costliest"
        if since is None:
            return billing
        return f"{billing}, observed since {datetime.fromtimestamp(since, UTC):%H:%M} UTC"

    def _draw_bars(self) -> None:
        store = self.barrack.store
        now = self.barrack.wall_clock()
        start = bucket_bounds(self.span, now)[0][0]
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"Accrued, {self.span.label} ({store.currency})", style="bold")
        counts = (len(store.instances), len(store.volumes))
        if sum(counts) > ALL_UP_TO:
            title.append(f"  the costliest {SHOWN} of {counts[0]:,} instances and of {counts[1]:,} volumes", style="dim")
        if self.book.failures:
            title.append(f"  {self.book.failures} billing read(s) failed", style="yellow")
        self.query_one("#spend-bars-title", Static).update(title)
        empty = "Loading…" if not self._read_once else "nothing billed"
        self.query_one("#spend-instances", CostBars).show(self.book.bars("instances", store.instances, start, now), empty)
        self.query_one("#spend-volumes", CostBars).show(self.book.bars("volumes", store.volumes, start, now), empty)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield command(self, "spend.span", "Spend: switch hours/days", "The burn and the bars over 48 hours or 30 days",
                      self.action_switch_span)
        yield SystemCommand("Spend: reload billing", "Read the shown resources' billing again", self.action_reload_billing)

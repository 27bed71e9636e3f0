"""Spend view, budget alerts and watches, through the real app against the simulator (a fake clock moves time).

Each alert and watch is checked where the user meets it: the header, a toast,
the activity log, and the escape sequence the terminal receives through the
app's driver.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from barrack_tui.account.config import Settings
from barrack_tui.activity.entry import ALERT, WATCH
from barrack_tui.spend.series import DAYS, HOURS, bucket_bounds
from barrack_tui.tui.shell.header import AppHeader
from tests.harness import make_harness, settle, wait_until

HOUR = 3600


@pytest.fixture
def iterm(monkeypatch):
    """A terminal known to show OSC 9 (iTerm2), outside any multiplexer, whatever runs the tests."""
    for name in ("TMUX", "STY", "LC_TERMINAL", "ITERM_SESSION_ID", "KITTY_WINDOW_ID", "WEZTERM_PANE",
                 "GHOSTTY_RESOURCES_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM_PROGRAM", "iTerm.app")
    monkeypatch.setenv("TERM", "xterm-256color")


def alerting(**alerts: Any) -> Settings:
    settings = Settings()
    for name, value in alerts.items():
        setattr(settings.alerts, name, value)
    return settings


NOTIFICATIONS = ("\x1b]9;", "\x1b]777;", "\x1b]99;", "\x07")


def capture_terminal(app: Any) -> list[str]:
    """The notifications the app writes to its terminal (not its frames nor Textual's pointer shapes)."""
    written: list[str] = []
    write = app._driver.write

    def recording(data: str) -> None:
        if data.startswith(NOTIFICATIONS):
            written.append(data)
        write(data)

    app._driver.write = recording
    return written


def header(app: Any) -> str:
    return app.screen.query_one(AppHeader).header_text().plain


async def open_spend(h: Any, pilot: Any) -> Any:
    await h.poll()
    await settle(pilot)
    screen = h.app.screen
    await wait_until(pilot, lambda: screen._read_once and all(len(screen.book.reads[kind]) == len(getattr(h.app.store, kind)) for kind in ("instances", "volumes")), what="billing read")
    return screen


async def test_the_spend_view_shows_burn_runway_and_what_each_resource_accrued():
    h = make_harness(initial_mode="spend")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_spend(h, pilot)
        summary = screen.query_one("#spend-summary").render().plain
        burn = h.app.store.costs().total_per_hour
        assert f"burn {burn:,.2f} USD/h" in summary
        assert "runway 35 h" in summary  # 500 USD at ~14.24 USD/h
        chart = screen.query_one("#spend-burn").data
        assert len(chart) == HOURS.buckets and chart[-1] > 0
        # Every instance and volume of a small account is read, so the bars are exact and the costliest first.
        assert set(screen.book.reads["instances"]) == set(h.app.store.instances)
        bars = screen.query_one("#spend-instances").bars
        assert bars[0].name == "gpu-train-1" and bars == sorted(bars, key=lambda bar: -bar.amount)
        start = bucket_bounds(HOURS, h.app.wall_clock())[0][0]  # 47 whole hours and the current one so far
        hours = Decimal(h.app.wall_clock() - start) / HOUR
        assert round(bars[0].amount, 2) == round(Decimal("5.38") * hours, 2)  # ACTIVE throughout at 2 x 2.69
        assert screen.query_one("#spend-volumes").bars
        await pilot.press("t")
        await wait_until(pilot, lambda: screen.span is DAYS, what="days")
        assert len(screen.query_one("#spend-burn").data) == DAYS.buckets
        assert "last 30 days" in screen.query_one("#spend-burn-title").render().plain


async def test_the_chart_follows_what_the_pollers_observe():
    h = make_harness(initial_mode="spend")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_spend(h, pilot)
        before = h.app.alerts.burn.latest
        h.advance(10)  # dev-a6000 finishes starting (ACTIVE bills its 0.69 USD/h), a new volume is available
        await h.poll("instances")
        await settle(pilot)
        latest = h.app.alerts.burn.latest
        assert before is not None and latest is not None and latest.at == before.at + 10
        assert latest.per_hour == h.app.store.costs().total_per_hour >= before.per_hour + Decimal("0.69")
        # A whole hour of the new burn later, the current hour's bucket reads it.
        h.advance(HOUR)
        await h.poll()
        await settle(pilot)
        assert screen.query_one("#spend-burn").data[-1] == pytest.approx(float(h.app.store.costs().total_per_hour))


async def test_a_runway_alert_fires_below_the_threshold_in_the_header_log_and_terminal(iterm):
    h = make_harness(settings=alerting(runway_warn_hours=24))
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        written = capture_terminal(h.app)
        assert "runway" not in header(h.app)  # 35 h at the start
        h.advance(12 * HOUR)  # the balance burns down to ~23 h of runway
        await h.poll()
        await settle(pilot)
        assert "⚠ runway 2" in header(h.app)
        entries = [e for e in h.app.activity.entries() if e.result == ALERT]
        assert len(entries) == 1 and entries[0].verb == "alert: runway"
        assert "under the 24 h warning" in entries[0].message
        assert len(written) == 1 and written[0].startswith("\x1b]9;Balance runway: The balance (")
        assert written[0].endswith("\x07")
        # Told once: the next poll, still below, says nothing more.
        h.advance(60)
        await h.poll()
        await settle(pilot)
        assert len(written) == 1 and len([e for e in h.app.activity.entries() if e.result == ALERT]) == 1


async def test_long_running_and_spend_cap_alerts_and_the_opt_out(iterm):
    settings = alerting(long_running_hours=48, daily_spend_cap=Decimal("300"), terminal_notify="off")
    h = make_harness(settings=settings)
    async with h.app.run_test(size=(80, 24)) as pilot:
        written = capture_terminal(h.app)
        await h.poll()
        await settle(pilot)
        kinds = sorted(alert.key for alert in h.app.alerts.book.raised.values())
        names = {h.app.store.instances[k.split(":")[1]].name for k in kinds if k.startswith("long_running:")}
        assert names == {"gpu-train-1", "inference-a100"}  # ACTIVE 52 h and 140 h; the others less
        assert "spend_cap" in kinds  # ~14.24 USD/h is ~342 USD a day
        assert header(h.app).startswith(" barrack  ⚠ 342/day > cap +2 ")
        assert written == []  # terminal_notify = "off"
        assert len([e for e in h.app.activity.entries() if e.result == ALERT]) == 3


async def test_a_state_watch_fires_when_the_instance_becomes_active(iterm):
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        written = capture_terminal(h.app)
        dev = h.app.store.instances[h.instance_named("dev-a6000").id]
        assert str(dev.status) == "STARTING"
        from barrack_tui.tui.areas.instances.details import InstanceDetailsScreen

        h.app.push_screen(InstanceDetailsScreen(dev.id))
        await wait_until(pilot, lambda: isinstance(h.app.screen, InstanceDetailsScreen), what="details")
        await pilot.press("w")
        await wait_until(pilot, lambda: h.app.screen.query("#watch-list"), what="the watch dialog")
        await pilot.press("enter")  # ACTIVE is offered first for a STARTING instance
        await settle(pilot)
        assert [w.describe() for w in h.app.alerts.state_watches.values()] == ["dev-a6000 is ACTIVE"]
        await h.poll("instances")  # still STARTING: nothing said
        assert written == []
        h.advance(10)
        await h.poll("instances")
        await settle(pilot)
        assert h.app.alerts.state_watches == {}
        entries = [e for e in h.app.activity.entries() if e.result == WATCH]
        assert [(e.target_name, e.message) for e in entries] == [("dev-a6000", "dev-a6000 is ACTIVE.")]
        assert written == ["\x1b]9;Watch: dev-a6000 is ACTIVE.\x07"]


async def test_a_stock_watch_is_told_through_the_same_path(iterm):
    h = make_harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        screen = h.app.screen
        await wait_until(pilot, lambda: len(screen.panels) == 3, what="regions")
        written = capture_terminal(h.app)
        screen.watches.add(("US-1", "H100-PCIe-80GB", 2))
        h.state.stock[("US-1", "H100-PCIe-80GB", 2)] = 3
        await h.poll("stocks")
        await settle(pilot)
        entries = [e for e in h.app.activity.entries() if e.result == WATCH]
        assert [(e.target_kind, e.target_name) for e in entries] == [("region", "US-1")]
        assert written == ["\x1b]9;Stock watch: H100-PCIe-80GB ×2 is back in stock in US-1: 3 available.\x07"]


async def test_instance_details_chart_the_instances_billing(harness, pilot):
    from barrack_tui.tui.areas.instances.details import InstanceDetailsScreen

    evaluation = harness.instance_named("eval-a100")  # created 18 h ago: nothing billed before
    harness.app.push_screen(InstanceDetailsScreen(evaluation.id))
    await wait_until(pilot, lambda: getattr(harness.app.screen, "billing", None) is not None, what="billing")
    await settle(pilot)
    from rich.console import Console

    screen = harness.app.screen
    body = screen._body(screen.selected_instance())  # what #details-body shows

    console = Console(width=110, record=True)
    console.print(body)
    text = console.export_text()
    assert "USD/h, last 48 h: peak 3.18, now 3.18" in text
    assert "▁" * 20 in text and "█" * 20 in text  # the sparkline: nothing, then 2 x 1.59 USD/h

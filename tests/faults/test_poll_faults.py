"""The app polling through each server fault: responsive, alive, honest in the header, current again after.

Runs the real app against the in-process simulator with a fake clock: each
poll cycle is one `store.poll_cycle()` after moving the clock to the next due
time, started as a task so keypresses are timed while the faulted requests
are in flight. The slow-answer fault (latency) needs real time and a real
socket: see test_latency.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from barrack_tui.account.config import PollSettings
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.shell.polling import PollSchedule
from tests.faults.support import (
    KEYPRESS_BUDGET,
    FrameClock,
    assert_app_healthy,
    shown_header,
    steady_heap,
    store_matches_simulator,
    time_keys_while,
)
from tests.harness import make_harness

pytestmark = pytest.mark.keypress_timing

# "offline" is only for no answer at all: a 5xx or a proxy's error page is the service failing,
# a truncated body an answer that could not be read.
OFFLINE = "▲ offline — retrying in"
SERVER_ERROR = "▲ server error — retrying in"
UNREADABLE = "▲ unreadable answer — retrying in"
RATE_LIMITED = "▲ rate limited — resuming in"


@dataclass(frozen=True)
class Fault:
    switch_on: Callable[[FaultConfig], None]
    degraded: str  # what the header says while it lasts
    cycles: int  # poll cycles the fault lasts (enough for a long outage's backoff to grow past the slow interval)


def _set(**fields: object) -> Callable[[FaultConfig], None]:
    def switch_on(faults: FaultConfig) -> None:
        for name, value in fields.items():
            setattr(faults, name, value)

    return switch_on


FAULTS = {
    "5xx-20-percent": Fault(_set(error_rate=0.2, seed=8), SERVER_ERROR, 12),
    "5xx-outage": Fault(_set(error_rate=1.0), SERVER_ERROR, 10),
    "429-burst": Fault(_set(rate_limit_burst=8, retry_after=5), RATE_LIMITED, 4),
    "dropped-connections": Fault(_set(drop_rate=1.0), OFFLINE, 10),
    "truncated-json": Fault(_set(truncate_rate=1.0), UNREADABLE, 10),
    "html-502-page": Fault(_set(html_502_rate=1.0), SERVER_ERROR, 10),
}


async def next_poll_cycle(h, kind: str = "instances") -> asyncio.Task[float]:
    """Move the fake clock to when `kind` is next due and start that cycle.

    Each kind keeps its own schedule, so the soonest due kind may be another one (the header's storage
    polls volumes and snapshots everywhere): waiting for that would not ask for the instances at all.
    """
    store = h.app.store
    wait = store.schedule.seconds_until_next(store.clock(), [kind])
    h.advance(max(wait, 0.001))
    return asyncio.create_task(store.poll_cycle())


@pytest.mark.parametrize("name", list(FAULTS))
async def test_fault_keeps_ui_responsive_shows_degraded_and_recovers_within_one_interval(name: str) -> None:
    fault = FAULTS[name]
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        app = h.app
        await h.poll()
        await pilot.pause()
        table = app.screen.query_one(FleetTable)
        clock = FrameClock(app)
        assert "● updated" in shown_header(app)

        fault.switch_on(h.faults)
        # Meanwhile the account changes: only a successful poll can bring this name to the screen.
        renamed = h.instance_named("gpu-train-1")
        renamed.name = "renamed-during-the-fault"
        timings: list[float] = []
        headers: list[str] = []
        with steady_heap():
            for _ in range(fault.cycles):
                timings += await time_keys_while(clock, table, await next_poll_cycle(h))
                await pilot.pause()
                headers.append(shown_header(app))
                assert_app_healthy(app)

        assert max(timings) <= KEYPRESS_BUDGET, f"slowest keypress {max(timings) * 1000:.0f} ms: {sorted(timings)}"
        assert any(fault.degraded in line for line in headers), f"header never showed {fault.degraded!r}: {headers}"

        h.faults.clear()
        # Within one poll interval — the one in effect, which the header announces ("retrying in N s") — it is current.
        await (await next_poll_cycle(h))
        await pilot.pause()
        store_matches_simulator(app, h.state)
        assert app.store.instances[renamed.id].name == "renamed-during-the-fault"
        assert "● updated" in shown_header(app)  # healthy again (a 20% fault may have let a recent poll through)
        assert_app_healthy(app)


async def test_truncated_and_html_answers_name_what_went_wrong_not_a_trace() -> None:
    """The failure a degraded header stands for is a sentence, not a JSON decoder's traceback."""
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        for switch, expected in ((_set(truncate_rate=1.0), "cut off"), (_set(html_502_rate=1.0), "HTML")):
            h.faults.clear()
            switch(h.faults)
            await (await next_poll_cycle(h))
            await pilot.pause()
            error = h.app.store.schedule.status("instances").last_error or ""
            assert expected.lower() in error.lower(), error
            assert "Traceback" not in error and "JSONDecodeError" not in error
        assert_app_healthy(h.app)


def test_default_backoff_doubles_up_to_60_seconds() -> None:
    """However many polls failed, the next try is at most 60 s away, and ctrl+r tries at once."""
    settings = PollSettings()
    schedule = PollSchedule(settings)
    assert [schedule.backoff(n) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    assert max(schedule.backoff(n) for n in range(1, 50)) == 60

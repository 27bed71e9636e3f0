"""The usage view: the API's summary and paginated history, matching the simulator's records."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import DataTable

from barrack_tui.sim.clock import iso
from barrack_tui.sim.state import AITransactionRecord
from barrack_tui.tui.areas.chat.usage import ChatUsageScreen
from tests.tui.chat_harness import ask, chat_world, ready, screen_lines


def table_rows(app) -> list[list[str]]:
    table = app.screen.query_one("#usage-history", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_usage(pilot) -> ChatUsageScreen:
    await pilot.press("escape", "u")
    screen = pilot.app.screen
    assert isinstance(screen, ChatUsageScreen)
    for _ in range(20):
        if screen.usage_page is not None:
            break
        await pilot.pause()
    await pilot.pause()
    return screen


async def test_the_usage_table_matches_the_simulators_recorded_transactions():
    h = chat_world()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "what am I paying for?")
        await ask(pilot, "how do I connect?")
        await open_usage(pilot)
        expected = [
            [iso(r.created_at).replace("T", " ")[:19], r.model, f"{r.prompt_tokens:,}", f"{r.completion_tokens:,}",
             f"{r.prompt_tokens + r.completion_tokens:,}", str(r.cost)]
            for r in reversed(h.state.ai_transactions)
        ]
        assert len(expected) == 2 and table_rows(h.app) == expected
        summary = h.app.screen.summary
        total_tokens = sum(r.prompt_tokens + r.completion_tokens for r in h.state.ai_transactions)
        assert summary.total_tokens == total_tokens
        assert summary.total_cost == sum((r.cost for r in h.state.ai_transactions), Decimal("0"))
        # What the user reads: the summary's Total line, with the same tokens and cost.
        total_line = next(line for line in screen_lines(h.app) if line.strip().startswith("Total"))
        assert total_line.split() == ["Total", f"{total_tokens:,}", str(summary.total_cost)]
        await pilot.press("escape")
        assert type(h.app.screen).__name__ == "ChatScreen"


async def test_history_pages_follow_the_apis_pagination():
    h = chat_world()
    base = h.clock.now()
    for n in range(130):
        h.state.ai_transactions.append(AITransactionRecord(
            id=f"aitx-{n:03d}", model="barrack-assist", prompt_tokens=n, completion_tokens=2 * n,
            cost=Decimal(n) / 1000, created_at=base + n))
    async with h.app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await open_usage(pilot)
        first = table_rows(h.app)
        assert len(first) == 100 and first[0][2] == "129" and first[-1][2] == "30"
        assert "Page 1 of 2 · 130 transactions" in screen.query_one("#usage-pager").content.plain
        await pilot.press("right_square_bracket")
        for _ in range(10):
            await pilot.pause()
            if screen.page == 2 and len(table_rows(h.app)) == 30:
                break
        rows = table_rows(h.app)
        assert [r[2] for r in rows] == [str(n) for n in range(29, -1, -1)]
        assert "Page 2 of 2" in screen.query_one("#usage-pager").content.plain
        await pilot.press("right_square_bracket")  # past the last page: stays, says so
        await pilot.pause()
        assert screen.page == 2 and any("last page" in n.message for n in h.app._notifications)
        await pilot.press("left_square_bracket")
        for _ in range(10):
            await pilot.pause()
            if len(table_rows(h.app)) == 100:
                break
        assert table_rows(h.app)[0][2] == "129"

"""80x24: volume cards in their compact form (4+ in view), badges inside their columns, summaries wrapped, not cut."""

from __future__ import annotations

from rich.cells import cell_len

from barrack_tui.api.models import VMStatus
from barrack_tui.tui.areas.instances.table import _FIXED, status_cell
from barrack_tui.tui.areas.volumes.card import VolumeCard
from tests.harness import make_harness, wait_until


def cards_in_view(app) -> list[VolumeCard]:
    scroll = app.screen.query_one("#volumes-scroll")
    return [c for c in app.screen.query(VolumeCard) if c.display and scroll.region.contains_region(c.region)]


async def test_at_80x24_at_least_four_volume_cards_are_in_view_with_the_focused_cards_reason_under_the_grid():
    h = make_harness(initial_mode="volumes")
    async with h.app.run_test(size=(80, 24)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: len(cards_in_view(h.app)) >= 4, what="four cards in view")
        screen = h.app.screen
        assert screen.has_class("-compact")
        # The long reasons under a card's buttons go; the focused card's show on one line under the grid.
        refused = next(c for c in screen.query(VolumeCard) if c.display and c.reasons_line())
        refused.focus()
        await pilot.pause()
        reason = screen.query_one("#volumes-reason")
        assert reason.region.height == 1 and reason.render().plain.startswith("⊘ ")
        assert not any(r.region.height for r in refused.query(".card-reasons"))
        # Every badge stays inside its card.
        for card in cards_in_view(h.app):
            assert card.region.contains_region(card.query_one(".card-badge").region)


async def test_at_120x40_cards_keep_their_full_form():
    h = make_harness(initial_mode="volumes")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: len(cards_in_view(h.app)) >= 3, what="cards")
        assert not h.app.screen.has_class("-compact")
        assert h.app.screen.query_one("#volumes-reason").region.height == 0


def test_no_status_badge_is_wider_than_the_status_column():
    width = _FIXED["status"][0]
    for status in VMStatus:
        label, _style = status_cell(status)
        assert cell_len(label) <= width, (status, label)


async def test_the_instances_totals_wrap_instead_of_being_cut():
    for size, lines in (((120, 40), 2), ((80, 24), 3)):
        h = make_harness(initial_mode="instances")
        async with h.app.run_test(size=size) as pilot:
            await h.poll()
            await pilot.pause()
            totals = h.app.screen.query_one("#fleet-totals")
            text = totals.render().plain
            # All of it is there, the hibernation advice at the end included, over as many lines as it needs.
            assert "+ storage" in text and "hibernating saves" in text
            assert totals.region.height == lines
            assert h.app.screen.query_one("#fleet-totals").region.width == size[0]

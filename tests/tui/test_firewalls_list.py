"""Firewalls list: columns, statistics, pages of 6, the region filter (and the region context), in-place updates."""

from __future__ import annotations

from tests.harness import make_harness, wait_until
from tests.tui.firewalls_support import add_firewalls, firewall_named, row_texts, table_ids, text_of


async def test_list_shows_every_column_and_the_statistics():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        web = firewall_named(h.state, "web-ingress")
        assert row_texts(h.app, "#fw-table", web.id) == [
            "web-ingress", "HTTPS and SSH from anywhere, ping…", "CANADA-1", " SUCCESS ", "4", "1", "2026-09-19",
        ]
        # The selected firewall's description in full, under the table.
        assert "web-ingress: HTTPS and SSH from anywhere, ping allowed" in text_of(h.app, "#fw-selected")
        assert len(table_ids(h.app, "#fw-table")) == 4
        assert text_of(h.app, "#fw-stat-total") == "4 Total Firewalls"
        assert text_of(h.app, "#fw-stat-rules") == "9 Total Rules"
        assert text_of(h.app, "#fw-stat-attachments") == "3 Attachments"
        assert text_of(h.app, "#fw-stat-active") == "4 Active"


async def test_narrow_terminal_moves_the_description_under_the_table():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(80, 24)) as pilot:
        await h.poll()
        await pilot.pause()
        web = firewall_named(h.state, "web-ingress")
        assert row_texts(h.app, "#fw-table", web.id)[:2] == ["web-ingress", "CANADA-1"]
        assert "web-ingress: HTTPS and SSH from anywhere" in text_of(h.app, "#fw-selected")


async def test_pages_of_six_with_bracket_keys():
    h = make_harness(initial_mode="firewalls")
    extra = add_firewalls(h.state, 4)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        screen = h.app.screen
        first_page = table_ids(h.app, "#fw-table")
        assert len(first_page) == 6
        assert "page 1/2" in text_of(h.app, "#fw-filter")
        await pilot.press("right_square_bracket")
        assert table_ids(h.app, "#fw-table") == [f.id for f in extra[2:]]
        assert "page 2/2" in text_of(h.app, "#fw-filter")
        await pilot.press("right_square_bracket")  # no page 3
        assert screen.page == 2
        await pilot.press("left_square_bracket")
        assert table_ids(h.app, "#fw-table") == first_page


async def test_region_filter_cycles_and_statistics_follow_it():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press("f")  # all -> NORWAY-1
        assert [row_texts(h.app, "#fw-table", i)[0] for i in table_ids(h.app, "#fw-table")] == ["jupyter-lab"]
        assert text_of(h.app, "#fw-stat-total") == "1 Total Firewalls"
        await pilot.press("f", "f")  # -> US-1
        names = [row_texts(h.app, "#fw-table", i)[0] for i in table_ids(h.app, "#fw-table")]
        assert names == ["office-ssh", "staging-lockdown"]
        assert text_of(h.app, "#fw-filter").startswith("Region US-1")
        await pilot.press("f")  # -> all
        assert len(table_ids(h.app, "#fw-table")) == 4


async def test_filter_defaults_to_the_region_context_and_follows_it():
    h = make_harness(initial_mode="regions")
    async with h.app.run_test(size=(120, 40)) as pilot:
        h.app.region = "US-1"
        await pilot.press("4")
        await h.poll()
        await pilot.pause()
        screen = h.app.screen
        assert screen.region_filter == "US-1"
        assert len(table_ids(h.app, "#fw-table")) == 2
        h.app.region = "CANADA-1"
        await wait_until(pilot, lambda: screen.region_filter == "CANADA-1")
        assert [row_texts(h.app, "#fw-table", i)[0] for i in table_ids(h.app, "#fw-table")] == ["web-ingress"]


async def test_a_poll_updates_the_changed_row_in_place():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        table = h.app.screen.query_one("#fw-table")
        office = firewall_named(h.state, "office-ssh")
        table.select_id(office.id)
        office.description = "changed elsewhere"
        office.rules.clear()
        await h.poll("firewalls")
        await pilot.pause()
        assert h.app.screen.query_one("#fw-table") is table
        assert row_texts(h.app, "#fw-table", office.id)[1] == "changed elsewhere"
        assert row_texts(h.app, "#fw-table", office.id)[4] == "0"
        assert table.selected_id == office.id  # the cursor stayed on the same firewall


async def test_server_strings_are_shown_literally():
    h = make_harness(initial_mode="firewalls")
    firewall_named(h.state, "office-ssh").name = "ops [/bold] [red]x"
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        office = firewall_named(h.state, "ops [/bold] [red]x")
        assert row_texts(h.app, "#fw-table", office.id)[0] == "ops [/bold] [red]x"

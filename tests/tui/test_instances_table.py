"""The fleet table against the simulator: rows, filter and sort (remembered across restarts), cursor, totals, hostile names."""

from __future__ import annotations

from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from tests.harness import make_harness, settle


async def opened(h, pilot) -> InstancesScreen:
    await h.poll()
    await settle(pilot)
    screen = h.app.screen
    assert isinstance(screen, InstancesScreen)
    return screen


def table_lines(screen: InstancesScreen) -> list[str]:
    table = screen.query_one(FleetTable)
    return [table.render_line(y).text for y in range(table.size.height)]


def row_names(screen: InstancesScreen) -> list[str]:
    return [line.split("  ")[0].strip() for line in table_lines(screen)[1:] if line.strip()]


def text_of(screen, selector: str) -> str:
    return screen.query_one(selector).render().plain


async def test_rows_show_every_column_at_120() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot)
        header, *rows = table_lines(screen)
        for title in ("Name ▲", "Status", "Region", "GPU", "IP", "Price/h", "Accrued", "Age"):
            assert title in header
        train = next(line for line in rows if line.startswith(" gpu-train-1 "))
        for cell in ("ACTIVE", "NORWAY-1", "H100-SXM5 ×2", "203.0.113.10", "5.38", "~", "2d"):
            assert cell in train
        assert "⟳ STARTING" in next(line for line in rows if "dev-a6000" in line)
        assert "⚠ 1.19" in next(line for line in rows if "batch-l40" in line)  # SHUTOFF still bills (I3)


async def test_narrow_terminal_drops_ip_and_age_and_says_so() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(80, 24)) as pilot:
        screen = await opened(h, pilot)
        header = table_lines(screen)[0]
        assert "Price/h" in header and "Accrued" in header and "IP" not in header and "Age" not in header
        assert "IP, Age hidden" in text_of(screen, "#fleet-status")


async def test_totals_line_counts_states_and_prices_idle_machines() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(160, 40)) as pilot:
        screen = await opened(h, pilot)
        totals = text_of(screen, "#fleet-totals")
        assert "8 · 4 ACTIVE · 1 SHUTOFF · 2 HIBERNATED · 1 ⟳ moving" in totals
        assert f"fleet {h.app.store.burn_rate_per_hour():.2f} USD/h" in totals
        assert "1 SHUTOFF bill 28.56 USD/day; hibernating saves 28.32/day" in totals


async def test_filter_terms_and_substrings() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot)
        await pilot.press("slash", *"status:SHUTOFF")
        await settle(pilot)
        assert row_names(screen) == ["batch-l40"]
        await pilot.press("enter")
        assert "1 of 8" in text_of(screen, "#fleet-status") and "filter status:SHUTOFF" in text_of(screen, "#fleet-status")
        await pilot.press("slash", *(["backspace"] * 14), *"region:US-1")
        await settle(pilot)
        assert row_names(screen) == ["archive-h100", "dev-a6000", "eval-a100"]
        await pilot.press("space", *"a100")
        await settle(pilot)
        assert row_names(screen) == ["eval-a100"]
        # Escape while typing reverts to the filter from before `/`.
        await pilot.press("escape")
        await settle(pilot)
        assert row_names(screen) == ["batch-l40"]
        # Escape on the table clears it.
        await pilot.press("escape")
        await settle(pilot)
        assert len(row_names(screen)) == 8


async def test_sort_cycles_reverses_and_header_shows_it() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot)
        await pilot.press("o")  # status
        await settle(pilot)
        assert "Status ▲" in table_lines(screen)[0]
        assert row_names(screen)[0] == "eval-a100"  # ACTIVE first (VMStatus order), then by name
        for _ in range(4):  # region, gpu, ip, price
            await pilot.press("o")
        await pilot.press("O")
        await settle(pilot)
        assert "Price/h ▼" in table_lines(screen)[0]
        assert row_names(screen)[0] == "gpu-train-1"  # 5.38/h, the dearest


async def test_filter_and_sort_survive_a_restart() -> None:
    first = make_harness(initial_mode="instances")
    async with first.app.run_test(size=(120, 40)) as pilot:
        await opened(first, pilot)
        await pilot.press("slash", *"status:ACTIVE", "enter", "o", "o", "o", "o", "o", "O")
        await settle(pilot)
    second = make_harness(initial_mode="instances")
    async with second.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(second, pilot)
        assert screen.model.filter.text == "status:ACTIVE"
        assert (screen.model.sort_column, screen.model.sort_reverse) == ("price", True)
        assert row_names(screen) == ["gpu-train-1", "eval-a100", "finetune-h100", "inference-a100"]
        assert "Price/h ▼" in table_lines(screen)[0]


async def test_cursor_stays_on_its_instance_across_updates() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot)
        table = screen.query_one(FleetTable)
        await pilot.press("down", "down", "down")
        assert table.cursor_id == h.instance_named("eval-a100").id
        # A new instance sorting above it, and a change to another row, must not move the cursor off it.
        h.instance_named("archive-h100").name = "aaa-renamed"
        h.instance_named("gpu-train-1").name = "aardvark"
        await h.poll("instances")
        await settle(pilot)
        assert table.cursor_id == h.instance_named("eval-a100").id
        assert table.cursor_index == screen.model.position[table.cursor_id]
        assert "eval-a100" in text_of(screen, "#fleet-row-info")


async def test_deleted_row_leaves_the_cursor_at_the_same_height() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot)
        table = screen.query_one(FleetTable)
        await pilot.press("down", "down")
        gone = table.cursor_id
        del h.state.instances[gone]
        await h.poll("instances")
        await settle(pilot)
        assert gone not in screen.model.rows and table.cursor_index == 2
        assert table.cursor_id == screen.model.view[2]


async def test_hostile_names_render_literally_and_the_app_survives() -> None:
    h = make_harness(initial_mode="instances")
    h.instance_named("dev-a6000").name = "gpu [/bold] box"  # STARTING: it settles during the test (a toast)
    h.instance_named("batch-l40").name = "\x1b]52;c;Zm9v\x07 clip"
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot)
        lines = table_lines(screen)
        assert any(line.startswith(" gpu [/bold] box ") for line in lines)
        assert any(line.startswith(" \\x1b]52;c;Zm9v\\x07 clip ") for line in lines)
        assert not any("\x1b" in line or "\x07" in line for line in lines)
        h.advance(10)
        await h.poll("instances")
        await settle(pilot)
        await pilot.press("o", "slash", *"gpu [", "enter")
        await settle(pilot)
        assert row_names(screen) == ["gpu [/bold] box"]
        await pilot.press("enter")
        await settle(pilot, 8)
        assert "gpu [/bold] box" in h.app.screen.query_one("#details-title").render().plain
        assert h.app.is_running and h.app._exception is None


async def test_region_context_filters_the_table() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot)
        h.app.region = "CANADA-1"
        await settle(pilot)
        assert row_names(screen) == ["finetune-h100", "notebook-a6000"]
        assert "region CANADA-1" in text_of(screen, "#fleet-status")
        assert text_of(screen, "#fleet-totals").startswith(" 2 ")


async def test_changes_while_another_mode_is_shown_are_there_on_return() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot)
        await pilot.press("1")  # Regions
        await settle(pilot)
        h.instance_named("batch-l40").name = "batch-renamed"
        del h.state.instances[h.instance_named("eval-a100").id]
        await h.poll("instances")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert h.app.screen is screen
        assert "batch-renamed" in row_names(screen) and "eval-a100" not in row_names(screen)
        assert text_of(screen, "#fleet-totals").startswith(" 7 ")

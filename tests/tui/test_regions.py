"""Regions (home): panels with the account's resources and the stock-and-price matrix, the cursor, the region
context, deploy from a cell, and stock watches.
"""

from __future__ import annotations

from decimal import Decimal

from barrack_tui.api.models import Price
from barrack_tui.rules.pricing import gpu_hourly
from barrack_tui.tui.areas.instances.deploy.wizard import DeployWizard
from barrack_tui.tui.areas.regions.screen import RegionsScreen
from barrack_tui.tui.areas.regions.stock_matrix import HEADER_ROW, build_cells
from barrack_tui.tui.shell.header import AppHeader
from tests.harness import make_harness, wait_until
from tests.tui.firewalls_support import record_notifications, shown, text_of


async def start(h, pilot) -> RegionsScreen:
    await h.poll()
    await pilot.pause()
    screen = h.app.screen
    await wait_until(pilot, lambda: len(screen.panels) == 3 and h.app.focused is screen.panels[0])
    return screen


def lines(panel) -> list[str]:
    return panel.render().plain.splitlines()


async def test_one_panel_per_region_with_resources_and_matrix(harness, pilot):
    screen = await start(harness, pilot)
    assert [p.region_name for p in screen.panels] == ["NORWAY-1", "CANADA-1", "US-1"]
    norway = lines(screen.panel("NORWAY-1"))
    assert "NORWAY-1   Oslo, Norway · standard tier" in norway[0]
    assert norway[1].startswith(" Instances 3 (2 active)  batch-l40 SHUTOFF · gpu-train-1 ACTIVE · inference-a100 ACTIVE")
    assert norway[2].startswith(" Volumes 2 (2,500 GB, 2 attached)  data-1 · datasets")
    assert norway[3].split() == ["GPU", "model", "1", "GPU", "2", "GPUs", "4", "GPUs", "8", "GPUs"]
    assert norway[4].split() == ["H100-SXM5-80GB", "4", "2.69", "3", "5.38", "1", "10.76", "0", "21.52"]
    us = screen.panel("US-1")
    assert "US-1   Dallas, United States · standard tier" in lines(us)[0]
    assert " ⟳ STARTING" in lines(us)[1]


async def test_out_of_stock_cells_are_dimmed_and_in_stock_ones_are_not(harness, pilot):
    screen = await start(harness, pilot)
    canada = screen.panel("CANADA-1")
    sold_out = canada.cells[("A40", 1)]
    in_stock = canada.cells[("RTX-A6000", 1)]
    assert (sold_out.available, in_stock.available) == (0, 12)
    assert "dim" in str(canada._cell_text(sold_out, selected=False).style)
    assert "dim" not in str(canada._cell_text(in_stock, selected=False).style)


async def test_arrows_move_between_cells_and_across_regions(harness, app, pilot):
    screen = await start(harness, pilot)
    norway, canada = screen.panel("NORWAY-1"), screen.panel("CANADA-1")
    assert norway.row == HEADER_ROW
    await pilot.press("down", "right", "right")
    assert (norway.current_cell.gpu_model, norway.current_cell.gpu_count) == ("H100-SXM5-80GB", 4)
    assert text_of(app, "#regions-target").startswith("H100-SXM5-80GB ×4 in NORWAY-1: 10.76 USD/h · 1 in stock")
    await pilot.press(*["down"] * 5)  # past the last row: on to the next region's header
    assert app.focused is canada and canada.row == HEADER_ROW
    await pilot.press("up")  # and back onto the previous region's last row
    assert app.focused is norway and norway.current_cell.gpu_model == "A40"
    await pilot.press("right", "right", "right")
    assert norway.current_cell.gpu_count == 8  # stays on the last column


async def test_enter_on_a_region_sets_the_region_context_everywhere(harness, pilot):
    screen = await start(harness, pilot)
    await pilot.press("4")  # the Firewalls screen exists before the context changes
    await harness.poll()
    await pilot.pause()
    firewalls = harness.app.screen
    assert firewalls.region_filter is None
    await pilot.press("1")
    await pilot.pause()
    await pilot.press("down", "down", "down", "down", "down", "down")  # NORWAY-1's rows, then CANADA-1
    assert harness.app.focused is screen.panel("CANADA-1")
    await pilot.press("enter")
    await pilot.pause()
    assert harness.app.region == "CANADA-1"
    assert "region CANADA-1" in shown(screen.query_one(AppHeader))
    assert "● region context" in lines(screen.panel("CANADA-1"))[0]
    assert "region context" not in lines(screen.panel("NORWAY-1"))[0]
    await wait_until(pilot, lambda: firewalls.region_filter == "CANADA-1")
    # Volumes reads app.region when it is shown: its filter and cards follow the context.
    await pilot.press("3")
    await wait_until(pilot, lambda: harness.app.current_mode == "volumes" and harness.app.screen.region_filter == "CANADA-1")
    shown_regions = {str(card.volume.region) for card in harness.app.screen.cards if card.volume is not None}
    assert shown_regions == {"CANADA-1"}
    await pilot.press("1")
    await pilot.pause()
    await pilot.press("c")  # again on the context region: back to all regions
    await pilot.pause()
    assert harness.app.region is None
    await wait_until(pilot, lambda: firewalls.region_filter is None)


async def test_enter_on_an_in_stock_cell_opens_the_deploy_wizard_prefilled(harness, pilot):
    await start(harness, pilot)
    await pilot.press("down", "down", "right")  # A100-SXM4-80GB-NVLink x2 in NORWAY-1
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(harness.app.screen, DeployWizard))
    form = harness.app.screen.form
    assert (form.region, form.gpu_model, form.gpu_count) == ("NORWAY-1", "A100-SXM4-80GB-NVLink", 2)


async def test_enter_on_a_sold_out_cell_says_so_instead(monkeypatch, harness, pilot):
    screen = await start(harness, pilot)
    toasts = record_notifications(harness.app, monkeypatch)
    assert screen.panel("NORWAY-1").place_on_cell("H100-SXM5-80GB", 8)
    await pilot.press("enter")
    await pilot.pause()
    assert not isinstance(harness.app.screen, DeployWizard)
    assert toasts[-1] == "H100-SXM5-80GB ×8 is out of stock in NORWAY-1. Press w to be told when it is back."


async def test_watch_notifies_when_the_configuration_is_back_in_stock(monkeypatch, harness, pilot):
    screen = await start(harness, pilot)
    toasts = record_notifications(harness.app, monkeypatch)
    us = screen.panel("US-1")
    us.focus()
    assert us.place_on_cell("H100-PCIe-80GB", 2)
    await pilot.press("w")
    await pilot.pause()
    assert screen.watches == {("US-1", "H100-PCIe-80GB", 2)}
    assert toasts[-1] == "Watching H100-PCIe-80GB ×2 in US-1: you will be told when it is back in stock."
    assert "◉" in lines(us)[5]
    assert "out of stock, watched ◉ · w: stop watching" in text_of(harness.app, "#regions-target")
    await harness.poll("stocks")  # still out: nothing said
    assert toasts[-1].startswith("Watching")
    harness.state.stock[("US-1", "H100-PCIe-80GB", 2)] = 3
    await harness.poll("stocks")
    await pilot.pause()
    assert toasts[-1] == "H100-PCIe-80GB ×2 is back in stock in US-1: 3 available."
    assert screen.watches == set()
    assert "◉" not in lines(us)[5]


async def test_watch_refuses_an_in_stock_cell_and_toggles_off(monkeypatch, harness, pilot):
    screen = await start(harness, pilot)
    toasts = record_notifications(harness.app, monkeypatch)
    norway = screen.panel("NORWAY-1")
    norway.place_on_cell("L40", 1)
    await pilot.press("w")
    assert screen.watches == set()
    assert toasts[-1] == "L40 ×1 is in stock in NORWAY-1 now (9 available): press enter to deploy."
    norway.place_on_cell("H100-SXM5-80GB", 8)
    await pilot.press("w")
    assert screen.watches == {("NORWAY-1", "H100-SXM5-80GB", 8)}
    await pilot.press("w")
    assert screen.watches == set()
    assert toasts[-1] == "Stopped watching H100-SXM5-80GB ×8 in NORWAY-1."


async def test_a_watch_keeps_working_on_another_screen(monkeypatch, harness, pilot):
    screen = await start(harness, pilot)
    toasts = record_notifications(harness.app, monkeypatch)
    screen.panel("CANADA-1").place_on_cell("A40", 4)
    screen.panel("CANADA-1").focus()
    await pilot.press("w")
    await pilot.press("4")
    await pilot.pause()
    store = harness.app.store
    assert "stocks" not in store.visible
    assert "stocks" in store.active_kinds, "the watch keeps stock polled by the store, off its screen"
    harness.state.stock[("CANADA-1", "A40", 4)] = 1
    await harness.poll()  # the store's next cycle polls what is active
    await wait_until(pilot, lambda: toasts[-1] == "A40 ×4 is back in stock in CANADA-1: 1 available.")
    assert "stocks" not in store.active_kinds, "with no watch left, stock is polled only where it is shown"


async def test_server_strings_in_panels_are_literal():
    h = make_harness()
    h.instance_named("eval-a100").name = "gpu [/bold] [red]x"
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await start(h, pilot)
        assert "gpu [/bold] [red]x ACTIVE" in lines(screen.panel("US-1"))[1]


async def test_clicking_a_cell_moves_the_cursor_there(harness, pilot):
    screen = await start(harness, pilot)
    norway = screen.panel("NORWAY-1")
    x = 1 + norway.model_width + 12 * 2 + 6  # inside the 4-GPU column
    await pilot.click(norway, offset=(x + 2, 1 + 5))  # border + padding, then the A100-SXM4 row
    assert norway.current_cell is not None
    assert (norway.current_cell.gpu_model, norway.current_cell.gpu_count) == ("A100-SXM4-80GB-NVLink", 4)


def test_prices_come_from_the_api_with_the_price_table_as_fallback():
    from barrack_tui.api.models import Region

    region = Region(name="US-1", location="Dallas", tier="standard", available_gpus=["L40", "A40"])
    listed = {("L40", 1): Decimal("1.00")}
    models, counts, cells = build_cells(region, [], listed, "EUR", stock_loaded=False)
    assert models == ["L40", "A40"] and counts == [1, 2, 4, 8]
    assert cells[("L40", 1)].hourly == Decimal("1.00")
    assert cells[("L40", 2)].hourly == gpu_hourly("L40", 2, "EUR")
    assert cells[("A40", 8)].available is None  # stock not fetched yet: unknown, not "sold out"
    price = Price(resource_type="vm", gpu_model="L40", gpu_count=1, currency="USD", hourly="9", per_minute="0.15")
    from barrack_tui.tui.areas.regions.stock_matrix import price_table

    assert price_table([price], "EUR") == {}
    assert price_table([price], "USD") == {("L40", 1): Decimal("9")}


async def test_a_card_says_none_here_only_after_the_fleet_was_read(harness, pilot):
    screen = await start(harness, pilot)
    norway = screen.panel("NORWAY-1")
    # As before the first answer: the lists have not been read, so the card claims nothing.
    harness.app.store.loaded -= {"instances", "volumes"}
    screen.refresh_from_store()
    assert lines(norway)[1].split() == ["Instances", "…"] and lines(norway)[2].split() == ["Volumes", "…"]
    # An empty account read: that is when "none here" is true.
    harness.state.instances.clear()
    harness.state.volumes.clear()
    await harness.app.store.refresh("instances", "volumes")
    await wait_until(pilot, lambda: "none here" in lines(norway)[1])
    assert lines(norway)[1].split() == ["Instances", "0", "none", "here"]
    assert lines(norway)[2].split() == ["Volumes", "0", "none", "here"]


async def test_a_card_with_hundreds_of_instances_lists_the_first_names_in_order_and_counts_them_all(harness, pilot):
    from barrack_tui.sim.seed import seed_fleet

    seed_fleet(harness.state, 600)
    screen = await start(harness, pilot)
    await harness.app.store.refresh("instances")
    norway = screen.panel("NORWAY-1")
    await wait_until(pilot, lambda: "Instances 203" in lines(norway)[1])
    head, _, listed = lines(norway)[1].partition(")  ")
    assert head == " Instances 203 (122 active"
    names = [entry.split()[0] for entry in listed.split(" · ")]
    assert names[:4] == ["batch-l40", "fleet-00001", "fleet-00004", "fleet-00007"]
    assert names == sorted(names)
    # As many as the card's one row can hold, not all 203 (which took ~40 ms per card at 10,000).
    assert norway.size.width // 6 <= len(names) <= norway.size.width // 4 + 1


async def test_a_card_mounted_with_a_big_fleet_draws_only_the_names_that_fit_from_its_first_layout(
    harness, pilot, monkeypatch
):
    # A region that appears with the fleet already read (as at start-up, when the regions and the fleet
    # arrive together) is laid out before it knows its width; with 10,000 instances that first layout drew
    # every name (~0.4 s before the first data frame).
    from barrack_tui.sim.seed import seed_fleet
    from barrack_tui.tui.areas.regions import stock_matrix

    seed_fleet(harness.state, 600)
    screen = await start(harness, pilot)
    await harness.app.store.refresh("instances")
    drawn: list[int] = []
    counted, real_line = stock_matrix.status_text, stock_matrix.RegionPanel._instances_line

    def count(status):
        drawn[-1] += 1
        return counted(status)

    def line(self):
        drawn.append(0)
        return real_line(self)

    monkeypatch.setattr(stock_matrix, "status_text", count)
    monkeypatch.setattr(stock_matrix.RegionPanel, "_instances_line", line)
    norway = screen.panel("NORWAY-1")
    late = stock_matrix.RegionPanel(norway.region_info, id="region-late")
    late.instances, late.instances_read = list(norway.instances), True
    await screen.query_one("#regions-list").mount(late)
    await wait_until(pilot, lambda: "Instances 203" in lines(late)[1])
    assert len(late.instances) == 203
    assert drawn and max(drawn) <= harness.app.size.width // 4 + 1


async def test_the_hint_names_the_key_that_sets_the_region_context_and_that_key_does_it(harness, pilot):
    screen = await start(harness, pilot)
    hint = str(screen.query_one("#regions-target").render())
    key = hint.split("enter/")[1].split(":")[0]
    assert key == "c" and "make it the region context" in hint
    await pilot.press(key)
    await pilot.pause()
    assert harness.app.region == screen.panels[0].region_name
    assert "c: back to all regions" in str(screen.query_one("#regions-target").render())

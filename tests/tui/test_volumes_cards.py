"""Volume cards against the simulator's seeded volumes: one test per row of the button-state table, and the grid.

Seeded (sim/seed.py): data-1 attached to ACTIVE inference-a100 (NORWAY-1),
datasets attached to SHUTOFF batch-l40, finetune-h100-os bootable on ACTIVE
finetune-h100 and models-ca on it (CANADA-1, advanced), ckpt-archive
available (CANADA-1), volume1 available (US-1), logs-us creating (US-1).
"""

from __future__ import annotations

from barrack_tui.account.config import Settings
from barrack_tui.api.models import VolumeStatus
from barrack_tui.rules.volumes import MSG_TIER, MSG_VOLUME_ATTACHED, MSG_VOLUME_BOOTABLE
from barrack_tui.tui.areas.volumes.screen import CardGrid
from tests.tui.volumes_support import (
    WIDE,
    badge,
    button,
    enabled,
    focus_card,
    instance_line,
    open_volumes,
    reasons,
    shown,
    text_of,
    volumes_harness,
)

V3_ACTIVE = (
    "Cannot detach: Volume is attached to a ACTIVE instance. The instance must be in SHUTOFF state to perform "
    "volume operations. Please shut down the instance first before attempting to detach volumes."
)


async def test_row_attached_to_shutoff_instance_detach_enabled_delete_disabled_attach_hidden() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        card = await focus_card(pilot, "datasets")
        assert badge(card) == "Attached"
        assert "batch-l40" in instance_line(card) and "SHUTOFF" in instance_line(card)
        assert enabled(card, "detach")
        assert shown(card, "delete") and not enabled(card, "delete")
        assert not shown(card, "attach")
        assert f"Delete: {MSG_VOLUME_ATTACHED}" in reasons(card)
        assert "Detach:" not in reasons(card)


async def test_row_attached_to_active_instance_detach_disabled_with_v3_reason_visible() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        card = await focus_card(pilot, "data-1")
        assert shown(card, "detach") and not enabled(card, "detach")
        # Visible on the card, not only in the tooltip.
        assert f"Detach: {V3_ACTIVE}" in reasons(card)
        assert button(card, "detach").tooltip.plain == V3_ACTIVE
        assert "inference-a100" in instance_line(card) and "ACTIVE" in instance_line(card)


async def test_row_attached_bootable_detach_disabled_with_bootable_message() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        card = await focus_card(pilot, "finetune-h100-os")
        assert "Bootable: Yes" in text_of(card.query_one(".card-facts"))
        assert shown(card, "detach") and not enabled(card, "detach")
        assert f"Detach: {MSG_VOLUME_BOOTABLE}" in reasons(card)
        assert button(card, "detach").tooltip.plain == MSG_VOLUME_BOOTABLE


async def test_row_available_attach_shown_detach_hidden_delete_enabled() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        for name in ("ckpt-archive", "volume1"):
            card = await focus_card(pilot, name)
            assert badge(card) == "Available"
            assert enabled(card, "attach")
            assert not shown(card, "detach")
            assert enabled(card, "delete")
            assert instance_line(card) == ""
            assert reasons(card) == ""


async def test_row_creating_and_error_have_no_attach_detach_delete() -> None:
    h = volumes_harness()
    h.volume_named("ckpt-archive").status = VolumeStatus.ERROR
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        for name, label in (("logs-us", "Creating"), ("ckpt-archive", "Error")):
            card = await focus_card(pilot, name)
            assert badge(card) == label
            for action in ("attach", "detach", "delete"):
                assert not shown(card, action), (name, action)


async def test_row_clone_resize_on_every_non_creating_advanced_volume_whatever_the_attachment() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        for name in ("models-ca", "finetune-h100-os", "ckpt-archive"):  # CANADA-1: attached, bootable, available
            card = await focus_card(pilot, name)
            assert enabled(card, "clone") and enabled(card, "resize"), name
        for name in ("data-1", "volume1", "logs-us"):  # standard-tier regions
            card = await focus_card(pilot, name)
            assert not shown(card, "clone") and not shown(card, "resize"), name
        # A creating volume of the advanced tier has neither either.
        await h.app.client.create_volume({"name": "fresh-ca", "region": "CANADA-1", "size_gb": 20})
        await h.poll("volumes")
        card = await focus_card(pilot, "fresh-ca")
        assert badge(card) == "Creating"
        assert not shown(card, "clone") and not shown(card, "resize")
        # ... and the key says why instead of doing nothing silently.
        card = await focus_card(pilot, "volume1")
        await pilot.press("k")
        await pilot.pause()
        assert any(n.message == MSG_TIER for n in h.app._notifications)


async def test_statistics_pages_and_region_filter() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        screen = await open_volumes(h, pilot)
        stats = text_of(screen.query_one("#volumes-stats"))
        # 7 volumes, 100+50+250+500+2000+200+1000 GB, 4 attached, 1 bootable.
        for part in ("Total Volumes 7", "Total Storage (GB) 4,100", "Attached Volumes 4", "Bootable Volumes 1"):
            assert part in stats
        visible = [c for c in screen.query("VolumeCard") if c.display]
        assert len(visible) == 6
        assert screen.query_one("#volumes-pages").display
        assert "Page 1 of 2" in text_of(screen.query_one("#volumes-page-label"))
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert [c.volume.name for c in screen.query("VolumeCard") if c.display] == ["logs-us"]
        # Filter to CANADA-1: 3 volumes, one page, no page bar.
        screen.query_one("#volumes-region").value = "CANADA-1"
        await pilot.pause()
        names = {c.volume.name for c in screen.query("VolumeCard") if c.display}
        assert names == {"finetune-h100-os", "models-ca", "ckpt-archive"}
        assert not screen.query_one("#volumes-pages").display
        assert "Total Volumes 3" in text_of(screen.query_one("#volumes-stats"))


async def test_filter_defaults_to_the_app_region_context_and_follows_it() -> None:
    h = volumes_harness(settings=Settings(default_region="US-1"))
    async with h.app.run_test(size=WIDE) as pilot:
        screen = await open_volumes(h, pilot)
        assert {c.volume.name for c in screen.query("VolumeCard") if c.display} == {"volume1", "logs-us"}
        h.app.region = None
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#volumes-region").value == "all"
        assert len([c for c in screen.query("VolumeCard") if c.display]) == 6


async def test_arrow_keys_move_between_cards_and_across_pages() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        screen = await open_volumes(h, pilot)
        assert screen.query_one(CardGrid).styles.grid_size_columns == 3
        first = pilot.app.focused
        assert first.volume.name == "ckpt-archive"
        await pilot.press("right")
        assert pilot.app.focused.volume.name == "data-1"
        await pilot.press("down")
        assert pilot.app.focused.volume.name == "models-ca"
        await pilot.press("left")
        assert pilot.app.focused.volume.name == "finetune-h100-os"
        await pilot.press("up")
        assert pilot.app.focused.volume.name == "ckpt-archive"
        for _ in range(5):
            await pilot.press("right")
        await pilot.press("right")  # past the last card of page 1: first card of page 2
        await pilot.pause()
        assert screen.page == 2 and pilot.app.focused.volume.name == "logs-us"
        await pilot.press("left")
        await pilot.pause()
        assert screen.page == 1 and pilot.app.focused.volume.name == "volume1"


async def test_narrow_terminal_shows_two_columns() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=(80, 24)) as pilot:
        screen = await open_volumes(h, pilot)
        assert screen.query_one(CardGrid).styles.grid_size_columns == 2
        # The statistics break between label-and-value pairs, never inside one.
        stats = text_of(screen.query_one("#volumes-stats")).splitlines()
        assert stats == ["Total Volumes 7  Total Storage (GB) 4,100  Attached Volumes 4", "Bootable Volumes 1"]
        await pilot.press("down")
        assert pilot.app.focused.volume.name == "datasets"


async def test_cards_update_in_place_from_polls() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        screen = await open_volumes(h, pilot)
        await focus_card(pilot, "volume1")
        slots = list(screen.query("VolumeCard"))
        # The creating volume becomes available through the pollers alone.
        h.advance(10)
        await h.poll("volumes")
        await pilot.pause()
        assert list(screen.query("VolumeCard")) == slots  # same widgets, re-bound
        await pilot.press("right_square_bracket")
        await pilot.pause()
        logs = await focus_card(pilot, "logs-us")
        assert badge(logs) == "Available" and enabled(logs, "attach")
        assert logs in slots  # the page turn re-bound the same card widgets, it mounted none


async def test_server_strings_render_literally() -> None:
    h = volumes_harness()
    h.volume_named("volume1").name = "[bold]x[/bold] box"
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        card = await focus_card(pilot, "[bold]x[/bold] box")
        assert text_of(card.query_one(".card-name")) == "[bold]x[/bold] box"


async def test_clicking_a_card_button_opens_the_same_modal_as_its_key() -> None:
    from barrack_tui.tui.areas.volumes.attach import VolumeAttachModal

    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        card = await focus_card(pilot, "data-1")
        other = await focus_card(pilot, "ckpt-archive")
        await pilot.click(button(other, "attach"))
        await pilot.pause()
        assert isinstance(pilot.app.screen, VolumeAttachModal)
        assert pilot.app.screen.volume_id == other.volume.id
        await pilot.press("escape")
        await pilot.pause()
        # A disabled button does nothing.
        await pilot.click(button(card, "detach"))
        await pilot.pause()
        assert pilot.app.screen.__class__.__name__ == "VolumesScreen"

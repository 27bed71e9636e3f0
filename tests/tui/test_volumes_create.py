"""The New volume form (V10): prefilled next_name, live counter and messages, Make Bootable, server refusals."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Button, Input, Select, Switch

from barrack_tui.rules.validators import (
    MSG_NAME_CHARSET,
    MSG_NAME_EDGE_SPACE,
    MSG_NAME_REQUIRED,
    MSG_NAME_TOO_LONG,
    MSG_SIZE_TOO_LARGE,
    MSG_SIZE_TOO_SMALL,
    MSG_SIZE_TOO_SMALL_BOOTABLE,
)
from barrack_tui.rules.volumes import (
    MSG_BALANCE_TOO_LOW,
    MSG_BOOTABLE_TIER,
    MSG_OS_IMAGE_NONE_IN_REGION,
    MSG_PROFILE_INCOMPLETE,
)
from barrack_tui.tui.areas.volumes.create import VolumeCreateModal
from tests.tui.volumes_support import (
    WIDE,
    badge,
    card_for,
    open_volumes,
    settle,
    text_of,
    volumes_harness,
    wait_group,
)


async def open_form(h, pilot) -> VolumeCreateModal:
    await open_volumes(h, pilot)
    await pilot.press("n")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, VolumeCreateModal)
    return modal


def message(modal: VolumeCreateModal, line: str) -> str:
    widget = modal.query_one(f"#create-{line}-msg")
    return text_of(widget) if widget.display else ""


async def type_into(pilot, modal: VolumeCreateModal, field: str, text: str) -> None:
    """Clear the field and type `text` key by key, as a user would."""
    widget = modal.query_one(f"#create-{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    if text:
        await pilot.press(*text)
    await pilot.pause()


def create_disabled(modal: VolumeCreateModal) -> bool:
    return modal.query_one("#create-confirm", Button).disabled


async def test_name_prefilled_with_next_name_and_live_counter() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        # volume1 exists in the seed, so the server suggests volume2.
        assert h.app.store.next_volume_name == "volume2"
        assert modal.query_one("#create-name", Input).value == "volume2"
        assert text_of(modal.query_one("#create-name-counter")) == "7/50"
        assert message(modal, "name") == ""
        assert not create_disabled(modal)
        await type_into(pilot, modal, "name", "training-data")
        assert text_of(modal.query_one("#create-name-counter")) == "13/50"


async def test_each_name_message_as_the_user_types() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        cases = [
            ("", MSG_NAME_REQUIRED),
            (" lead", MSG_NAME_EDGE_SPACE),
            ("x" * 51, MSG_NAME_TOO_LONG),
            ("bad/name", MSG_NAME_CHARSET),
            ("data-1", "Name 'data-1' is already used by another volume"),
        ]
        for typed, expected in cases:
            await type_into(pilot, modal, "name", typed)
            assert message(modal, "name") == expected, typed
            assert create_disabled(modal), typed
            assert text_of(modal.query_one("#create-name-counter")) == f"{len(typed)}/50"
        await type_into(pilot, modal, "name", "ok name_1.2")
        assert message(modal, "name") == ""
        assert not create_disabled(modal)


async def test_each_size_message_and_the_cost() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        assert "0.0050 USD/h" in text_of(modal.query_one("#create-size-cost"))  # 50 GB at 0.1 USD per TB-hour
        for typed, expected in (
            ("", "Size is required"),
            ("ten", "Size must be a whole number"),
            ("9", MSG_SIZE_TOO_SMALL),
            ("1048577", MSG_SIZE_TOO_LARGE),
        ):
            await type_into(pilot, modal, "size", typed)
            assert message(modal, "size") == expected, typed
            assert create_disabled(modal)
            assert text_of(modal.query_one("#create-size-cost")) == "", typed  # no price for a refused size
        await type_into(pilot, modal, "size", "2000")
        assert message(modal, "size") == ""
        assert "0.2000 USD/h" in text_of(modal.query_one("#create-size-cost"))


async def test_make_bootable_raises_size_to_100_and_lists_the_regions_os_images() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        assert not modal.query_one("#create-os").display
        modal.query_one("#create-region", Select).value = "CANADA-1"
        await pilot.pause()
        modal.query_one("#create-bootable", Switch).focus()
        await pilot.press("space")
        await wait_group(modal, "volume-os-images")
        await settle(pilot)
        assert modal.query_one("#create-size", Input).value == "100"
        assert modal.query_one("#create-os").display
        choice = modal.query_one("#create-os-image", Select)
        assert choice.value == "os-ca1-ubuntu-2204-r550-cuda124-docker"
        assert "4 OS images in CANADA-1" in text_of(modal.query_one("#create-os-status"))
        assert not create_disabled(modal)
        # Below 100 GB a bootable volume is refused; a bigger size is left alone by the switch.
        await type_into(pilot, modal, "size", "60")
        assert message(modal, "size") == MSG_SIZE_TOO_SMALL_BOOTABLE
        await type_into(pilot, modal, "size", "300")
        modal.query_one("#create-bootable", Switch).value = False
        await pilot.pause()
        modal.query_one("#create-bootable", Switch).value = True
        await settle(pilot)
        assert modal.query_one("#create-size", Input).value == "300"


async def test_bootable_refused_in_standard_tier_and_clear_message_when_a_region_has_no_image() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        modal.query_one("#create-region", Select).value = "NORWAY-1"
        modal.query_one("#create-bootable", Switch).value = True
        await settle(pilot)
        assert message(modal, "os") == MSG_BOOTABLE_TIER
        assert create_disabled(modal)

        async def no_images(region=None):
            return []

        h.app.client.list_os_images = no_images
        modal.query_one("#create-region", Select).value = "CANADA-1"
        await wait_group(modal, "volume-os-images")
        await settle(pilot)
        assert message(modal, "os") == MSG_OS_IMAGE_NONE_IN_REGION.format(region="CANADA-1")
        assert create_disabled(modal)


async def test_balance_below_the_minimum_is_refused_in_the_form() -> None:
    h = volumes_harness()
    h.state.balances[h.state.currency] = Decimal("0.50")
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        expected = MSG_BALANCE_TOO_LOW.format(minimum="1.00", currency="USD")
        assert text_of(modal.query_one("#create-account-msg")) == expected
        assert create_disabled(modal)


async def test_create_shows_creating_card_then_available_via_the_poller() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        await type_into(pilot, modal, "size", "80")
        await pilot.click(modal.query_one("#create-confirm", Button))
        await wait_group(modal, "volume-create")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, VolumeCreateModal)
        card = card_for(pilot.app, "volume2")
        assert pilot.app.focused is card
        assert badge(card) == "Creating"
        assert "Size: 80 GB" in text_of(card.query_one(".card-facts"))
        h.advance(5)
        await h.poll("volumes")
        await settle(pilot)
        assert badge(card) == "Available"


async def test_duplicate_name_refused_by_the_server_keeps_the_input() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        await type_into(pilot, modal, "name", "race")
        await type_into(pilot, modal, "size", "30")
        # Another session takes the name; this app has not polled since.
        await h.app.client.create_volume({"name": "race", "region": "NORWAY-1", "size_gb": 10})
        await pilot.click(modal.query_one("#create-confirm", Button))
        await wait_group(modal, "volume-create")
        await settle(pilot)
        assert pilot.app.screen is modal
        assert message(modal, "name") == "Name 'race' is already used by another volume"
        assert modal.query_one("#create-name", Input).value == "race"
        assert modal.query_one("#create-size", Input).value == "30"
        assert create_disabled(modal)
        await type_into(pilot, modal, "name", "race-2")
        assert message(modal, "name") == "" and not create_disabled(modal)


async def test_server_422_lands_under_its_field() -> None:
    h = volumes_harness()
    h.state.profile_complete = False
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        await pilot.click(modal.query_one("#create-confirm", Button))
        await wait_group(modal, "volume-create")
        await settle(pilot)
        assert text_of(modal.query_one("#create-account-msg")) == MSG_PROFILE_INCOMPLETE
        assert modal.query_one("#create-name", Input).value == "volume2"

"""The "Button states on a card" table of dashboard-rules.md, row by row."""

from __future__ import annotations

import pytest

from barrack_tui.rules.volumes import ButtonState, card_actions
from tests.rules.factories import make_instance, make_volume

V3_DETACH_HIBERNATED = (
    "Cannot detach: Volume is attached to a HIBERNATED instance. The instance must be in SHUTOFF state to perform "
    "volume operations. Please shut down the instance first before attempting to detach volumes."
)
HIDDEN = ButtonState(visible=False, enabled=False, reason="")
SHOWN = ButtonState(visible=True, enabled=True, reason="")


def test_row_attached_non_bootable_instance_shutoff() -> None:
    actions = card_actions(make_volume(), make_instance(status="SHUTOFF"), "USD")
    assert actions.detach == SHOWN
    assert actions.delete == ButtonState(visible=True, enabled=False, reason="Volume must be detached before deletion")
    assert actions.attach == HIDDEN


def test_row_attached_non_bootable_instance_not_shutoff() -> None:
    actions = card_actions(make_volume(), make_instance(status="HIBERNATED"), "USD")
    assert actions.detach == ButtonState(visible=True, enabled=False, reason=V3_DETACH_HIBERNATED)
    assert actions.attach == HIDDEN
    assert actions.delete.visible and not actions.delete.enabled


@pytest.mark.parametrize(
    ("instance", "reason"),
    [
        (None, "Could not find a suitable instance"),
        (make_instance(status="SHUTOFF", currency="EUR"), "Instance not available in current currency context"),
    ],
)
def test_row_attached_other_detach_refusals_disable_detach_with_the_rule_text(instance, reason: str) -> None:
    actions = card_actions(make_volume(), instance, "USD")
    assert actions.detach == ButtonState(visible=True, enabled=False, reason=reason)


@pytest.mark.parametrize("status", ["SHUTOFF", "ACTIVE"])
def test_row_attached_bootable(status: str) -> None:
    actions = card_actions(make_volume(bootable=True), make_instance(status=status), "USD")
    assert actions.detach == ButtonState(visible=True, enabled=False, reason="OS/Bootable volumes cannot be detached")
    assert actions.attach == HIDDEN


def test_row_available() -> None:
    actions = card_actions(make_volume(status="available"), None, "USD")
    assert actions.attach == SHOWN
    assert actions.detach == HIDDEN
    assert actions.delete == SHOWN


@pytest.mark.parametrize("status", ["creating", "error"])
def test_row_creating_or_error_has_no_attach_detach_delete(status: str) -> None:
    actions = card_actions(make_volume(status=status), make_instance(), "USD")
    assert (actions.attach.visible, actions.detach.visible, actions.delete.visible) == (False, False, False)


@pytest.mark.parametrize("status", ["attached", "available", "error"])
def test_row_clone_resize_shown_on_advanced_non_creating_volumes(status: str) -> None:
    actions = card_actions(make_volume(status=status, tier="advanced"), make_instance(status="ACTIVE"), "USD")
    assert actions.clone == SHOWN
    assert actions.resize == SHOWN


def test_row_clone_resize_hidden_while_creating() -> None:
    actions = card_actions(make_volume(status="creating", tier="advanced"), None, "USD")
    assert not actions.clone.visible and not actions.resize.visible


@pytest.mark.parametrize("status", ["attached", "available"])
def test_row_clone_resize_hidden_on_standard_tier(status: str) -> None:
    actions = card_actions(make_volume(status=status, tier="standard", region="US-1"), make_instance(), "USD")
    assert not actions.clone.visible and not actions.resize.visible
    assert actions.clone.reason == "Clone and resize are available on the advanced tier only"


def test_after_detach_the_card_turns_available_buttons() -> None:
    """The seed's post-detach state: Detach becomes Attach, Delete becomes enabled, Clone/Resize remain."""
    before = card_actions(make_volume(), make_instance(status="SHUTOFF"), "USD")
    after = card_actions(make_volume(status="available"), None, "USD")
    assert (before.detach.visible, before.attach.visible) == (True, False)
    assert (after.detach.visible, after.attach.visible) == (False, True)
    assert (before.delete.enabled, after.delete.enabled) == (False, True)
    assert after.clone == before.clone == SHOWN

"""Escape on a form: an untouched form just closes; with changes it asks, Enter discards, Esc keeps the typed values.

Every form dialog is opened on the real app (against the simulator) and driven
with keys as a user would: type one character into its first field, Escape.
Multi-line editors give up focus on the first Escape, and the second one asks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static, TextArea

from barrack_tui.tui.areas.chat.export import ExportConversation
from barrack_tui.tui.areas.chat.rename import RenameConversation
from barrack_tui.tui.areas.firewalls.create import CreateFirewallModal
from barrack_tui.tui.areas.firewalls.rule import AddRuleModal
from barrack_tui.tui.areas.instances.deploy.wizard import DeployWizard
from barrack_tui.tui.areas.instances.security_rules import AddSecurityRuleModal
from barrack_tui.tui.areas.keys.key_form import KeyFormModal
from barrack_tui.tui.areas.keys.script_editor import ScriptEditorModal
from barrack_tui.tui.areas.snapshots.create import SnapshotCreateModal
from barrack_tui.tui.areas.snapshots.image_create import ImageCreateModal
from barrack_tui.tui.areas.snapshots.restore import SnapshotRestoreModal
from barrack_tui.tui.areas.volumes.clone_resize import VolumeCloneModal, VolumeResizeModal
from barrack_tui.tui.areas.volumes.create import VolumeCreateModal
from barrack_tui.tui.kit.discard import DiscardChangesModal
from barrack_tui.tui.kit.modal import BarrackModal
from tests.harness import make_harness, wait_until

NOT_DISMISSED = object()


def _first(values: dict[str, Any]) -> Any:
    return next(iter(values.values()))


# name -> (build the dialog from the app's store, the field typed into, its question)
FORMS: dict[str, tuple[Callable[[Any], BarrackModal[Any]], str, str]] = {
    "volume create": (lambda s: VolumeCreateModal(), "#create-name", "Discard the new volume form?"),
    "volume clone": (lambda s: VolumeCloneModal(_first(s.volumes).id), "#form-input", "Discard the clone form?"),
    "volume resize": (lambda s: VolumeResizeModal(_first(s.volumes).id), "#form-input", "Discard the resize form?"),
    "firewall create": (
        lambda s: CreateFirewallModal(taken_names=[], region=None),
        "#fw-name",
        "Discard the new firewall form?",
    ),
    "firewall rule": (lambda s: AddRuleModal(_first(s.firewalls)), "#rule-range", "Discard the new rule form?"),
    "instance rule": (
        lambda s: AddSecurityRuleModal(_first(s.instances)),
        "#rule-cidr",
        "Discard the new security rule form?",
    ),
    "key generate": (
        lambda s: KeyFormModal(importing=False, taken_names=[], keys_in_fullest_region=0),
        "#key-name",
        "Discard the new key form?",
    ),
    "key import": (
        lambda s: KeyFormModal(importing=True, taken_names=[], keys_in_fullest_region=0),
        "#public-key",
        "Discard the key import form?",
    ),
    "script new": (lambda s: ScriptEditorModal(None, taken_names=[]), "#script-content", "Discard the new script?"),
    "snapshot create": (
        lambda s: SnapshotCreateModal(
            candidates=list(s.instances.values()), region=None, not_offered=0, snapshot_names=[], image_names=[]
        ),
        "#snapshot-name",
        "Discard the new snapshot form?",
    ),
    "image create": (
        lambda s: ImageCreateModal(sources=list(s.snapshots.values()), image_names=[], region=None),
        "#image-name",
        "Discard the new image form?",
    ),
    "snapshot restore": (
        lambda s: SnapshotRestoreModal(_first(s.snapshots), instance_names=[], currency="EUR", balance=None),
        "#restore-name",
        "Discard the restore form?",
    ),
    "chat rename": (lambda s: RenameConversation("GPU sizing"), "#chat-rename-title", "Discard the new title?"),
    "chat export": (
        lambda s: ExportConversation("GPU sizing", Path("exports"), lambda typed: Path("x.md")),
        "#chat-export-path",
        "Discard the export path?",
    ),
    "deploy wizard": (lambda s: DeployWizard(), "#wiz-name", "Discard the deploy form?"),
}


class Opened:
    """A form pushed on the running app, and what it dismissed with (NOT_DISMISSED while open)."""

    def __init__(self, app: Any, modal: BarrackModal[Any]) -> None:
        self.modal = modal
        self.result: Any = NOT_DISMISSED
        app.push_screen(modal, self._dismissed)

    def _dismissed(self, result: Any) -> None:
        self.result = result


async def open_form(pilot: Any, h: Any, name: str) -> Opened:
    await h.poll("instances", "volumes", "firewalls", "snapshots")
    build, _, _ = FORMS[name]
    opened = Opened(h.app, build(h.app.store))
    await wait_until(pilot, lambda: opened.modal.is_current and opened.modal.focused is not None, what="the form")
    return opened


async def type_one(pilot: Any, opened: Opened, selector: str) -> Input | TextArea:
    field = opened.modal.query_one(selector)
    field.focus()
    await pilot.pause()
    await pilot.press("z")
    return field  # type: ignore[return-value]


def value_of(field: Input | TextArea) -> str:
    return field.text if isinstance(field, TextArea) else field.value


async def press_escape_until_asked(pilot: Any, h: Any, field: Input | TextArea) -> None:
    """Escape once; an editor gives up focus on the first Escape and asks on the second (and only then)."""
    await pilot.press("escape")
    await pilot.pause()
    if isinstance(field, TextArea):
        assert not isinstance(h.app.screen, DiscardChangesModal), "the first Escape in an editor only leaves it"
        assert h.app.screen.focused is not field
        await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(h.app.screen, DiscardChangesModal), what="the discard question")


@pytest.mark.parametrize("name", list(FORMS))
async def test_escape_on_an_untouched_form_just_closes(name: str) -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        opened = await open_form(pilot, h, name)
        await pilot.press("escape")
        await wait_until(pilot, lambda: opened.result is not NOT_DISMISSED, what="the form to close")
        assert opened.result is None
        assert not isinstance(h.app.screen, DiscardChangesModal)


@pytest.mark.parametrize("name", list(FORMS))
async def test_escape_with_changes_asks_and_escape_keeps_the_typed_values(name: str) -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        opened = await open_form(pilot, h, name)
        _, selector, question = FORMS[name]
        field = await type_one(pilot, opened, selector)
        typed = value_of(field)
        assert "z" in typed
        await press_escape_until_asked(pilot, h, field)
        asked = h.app.screen.query_one("#confirm-title", Static)
        assert str(asked.render()) == question
        assert "Enter discards" in str(h.app.screen.query_one(".confirm-line", Static).render())
        await pilot.press("escape")  # keep editing
        await wait_until(pilot, lambda: h.app.screen is opened.modal, what="back to the form")
        assert opened.result is NOT_DISMISSED
        assert value_of(opened.modal.query_one(selector)) == typed


@pytest.mark.parametrize("name", list(FORMS))
async def test_enter_on_the_question_discards_the_form(name: str) -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        opened = await open_form(pilot, h, name)
        _, selector, _ = FORMS[name]
        field = await type_one(pilot, opened, selector)
        await press_escape_until_asked(pilot, h, field)
        await pilot.press("enter")
        await wait_until(pilot, lambda: opened.result is not NOT_DISMISSED, what="the form to close")
        assert opened.result is None
        assert not isinstance(h.app.screen, (DiscardChangesModal, type(opened.modal)))


async def test_cancel_button_asks_too_and_new_volume_from_the_volumes_key() -> None:
    """Through the area's own key: `n` on Volumes, type, press Cancel with the mouse: the same question."""
    h = make_harness(initial_mode="volumes")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, VolumeCreateModal), what="the new volume form")
        await pilot.press("backspace", "q")
        typed = h.app.screen.query_one("#create-name", Input).value
        await pilot.click("#create-cancel")
        await wait_until(pilot, lambda: isinstance(h.app.screen, DiscardChangesModal), what="the discard question")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(h.app.screen, VolumeCreateModal), what="back to the form")
        assert h.app.screen.query_one("#create-name", Input).value == typed


async def test_wizard_asks_on_a_later_step_and_escape_returns_to_that_step() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        opened = await open_form(pilot, h, "deploy wizard")
        wizard = opened.modal
        assert isinstance(wizard, DeployWizard)
        await wait_until(pilot, lambda: wizard.query_one("#wiz-region").option_count > 0, what="the regions")
        await pilot.press(*"train-1", "enter")
        await wait_until(pilot, lambda: wizard.step_index == 1, what="the GPU step")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(h.app.screen, DiscardChangesModal), what="the discard question")
        await pilot.press("escape")
        await wait_until(pilot, lambda: h.app.screen is wizard, what="back to the wizard")
        assert wizard.step_index == 1 and wizard.form.name == "train-1"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(h.app.screen, DiscardChangesModal), what="the question again")
        await pilot.press("enter")
        await wait_until(pilot, lambda: opened.result is None, what="the wizard to close")


def test_every_modal_naming_a_form_asks_before_discarding() -> None:
    """A modal with a FORM that did not mix in the question would close on Escape and lose what was typed."""
    import importlib
    import pkgutil

    import barrack_tui.tui as tui
    from barrack_tui.tui.kit.discard import AsksBeforeDiscarding
    from barrack_tui.tui.kit.form import FormModal

    for module in pkgutil.walk_packages(tui.__path__, "barrack_tui.tui."):
        importlib.import_module(module.name)
    found, pending = [], list(BarrackModal.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if getattr(cls, "FORM", "") or issubclass(cls, FormModal):
            found.append(cls)
    assert DeployWizard in found and len(found) > 10
    assert [cls.__name__ for cls in found if not issubclass(cls, AsksBeforeDiscarding)] == []

"""Attaching (F4: only ACTIVE instances with a server in the firewall's region) and detaching (with its warning)."""

from __future__ import annotations

from textual.widgets import Button, Input, SelectionList

from barrack_tui.tui.areas.firewalls.attach import AttachFirewallModal
from barrack_tui.tui.areas.firewalls.details import FirewallDetailsScreen
from barrack_tui.tui.kit.confirm import ConfirmModal
from tests.harness import make_harness
from tests.tui.firewalls_support import (
    find,
    firewall_named,
    open_details,
    record_notifications,
    row_texts,
    table_ids,
    text_of,
    wait_until,
)

NOT_ACTIVE = "Firewalls can be attached only to ACTIVE instances"
NO_SERVER = "The instance is not fully provisioned yet (no server UUID); try again in a moment"


def choices(app) -> list[tuple[str, bool]]:
    """Each instance the picker offers, as (prompt, can be picked)."""
    listing = find(app, "#fw-attach-list", SelectionList)
    options = [listing.get_option_at_index(i) for i in range(listing.option_count)]
    return [(option.prompt.plain, not option.disabled) for option in options]


async def open_picker(h, pilot, name: str) -> None:
    await open_details(h, pilot, name)
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(h.app.screen, AttachFirewallModal) and bool(h.app.screen.instances))


async def test_picker_offers_only_what_f4_allows_and_says_why():
    h = make_harness(initial_mode="firewalls")
    h.instance_named("eval-a100").server_uuid = None
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_picker(h, pilot, "staging-lockdown")
        assert choices(h.app) == [
            ("archive-h100  HIBERNATED  ✗ not ACTIVE", False),
            ("dev-a6000  ⟳ STARTING  ✗ not ACTIVE", False),
            ("eval-a100  ACTIVE  ✗ no server yet", False),
        ]
        # The rule's own words, once per reason, under the list.
        assert text_of(h.app, "#fw-attach-reasons") == f"archive-h100, dev-a6000: {NOT_ACTIVE}\neval-a100: {NO_SERVER}"
        assert text_of(h.app, "#fw-attach-status") == "No instance can be attached right now."
        assert find(h.app, "#fw-attach-submit", Button).disabled


async def test_already_attached_instances_are_marked():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_picker(h, pilot, "office-ssh")
        assert ("eval-a100  ACTIVE  ✓ already attached", False) in choices(h.app)


async def test_attach_then_the_attachment_settles_to_success(monkeypatch):
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        toasts = record_notifications(h.app, monkeypatch)
        await h.poll()
        await pilot.pause()
        await open_picker(h, pilot, "staging-lockdown")
        eval_id = h.instance_named("eval-a100").id
        assert ("eval-a100  ACTIVE", True) in choices(h.app)
        listing = find(h.app, "#fw-attach-list", SelectionList)
        listing.focus()
        await pilot.press("space")  # the highlight starts on the first option that can be picked
        await pilot.pause()
        assert list(listing.selected) == [eval_id]
        assert text_of(h.app, "#fw-attach-status") == "1 selected."
        await pilot.click("#fw-attach-submit")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmModal))  # asks first, Enter confirms
        assert "eval-a100" in text_of(h.app, ".confirm-line")
        assert not firewall_named(h.state, "staging-lockdown").attachments
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, FirewallDetailsScreen))
        lockdown = firewall_named(h.state, "staging-lockdown")
        assert lockdown.attachments == {eval_id: "ATTACHING"}
        await wait_until(pilot, lambda: eval_id in table_ids(h.app, "#fwd-attachments"))
        assert row_texts(h.app, "#fwd-attachments", eval_id) == ["eval-a100", "ACTIVE", " ATTACHING "]
        assert "still ATTACHING" in text_of(h.app, "#fwd-actions")
        assert toasts[-1].startswith("staging-lockdown: attaching to 1 instance.")
        assert h.app.store.is_busy("firewall_details"), "the store polls the details fast while ATTACHING"
        h.advance(3)
        await h.poll("firewall_details")  # the store's next (fast) cycle
        await wait_until(pilot, lambda: row_texts(h.app, "#fwd-attachments", eval_id)[2] == " SUCCESS ")
        assert "Detach all instances before deleting this firewall" in text_of(h.app, "#fwd-actions")


async def test_detach_warns_that_the_instance_may_be_left_unprotected(monkeypatch):
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        toasts = record_notifications(h.app, monkeypatch)
        await h.poll()
        await pilot.pause()
        await open_details(h, pilot, "office-ssh")
        await pilot.press("x")  # only on the instances tab
        await pilot.pause()
        assert not isinstance(h.app.screen, ConfirmModal)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(h.app.screen, ConfirmModal)
        assert text_of(h.app, "#confirm-warning") == (
            "⚠ Warning: eval-a100 may be left unprotected: this firewall's rules stop applying to it "
            "(other firewalls attached to it still apply)."
        )
        assert h.app.focused is find(h.app, "#confirm-name", Input)  # the instance's name is typed to detach
        await pilot.press("enter")  # nothing typed: nothing detached
        await pilot.pause()
        assert text_of(h.app, "#confirm-hint") == "type eval-a100 to confirm"
        await pilot.press("escape")
        await pilot.pause()
        office = firewall_named(h.state, "office-ssh")
        assert office.attachments  # nothing detached
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"eval-a100", "enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, FirewallDetailsScreen))
        assert office.attachments == {}
        await wait_until(pilot, lambda: table_ids(h.app, "#fwd-attachments") == [])
        assert toasts[-1] == "Detached from eval-a100."
        assert text_of(h.app, "#fwd-actions") == "d: delete (type the name to confirm)"


async def test_attach_refused_by_the_server_is_shown_in_the_picker():
    """The instance stopped after the picker loaded: the simulator's F4 refusal shows in place."""
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_picker(h, pilot, "staging-lockdown")
        listing = find(h.app, "#fw-attach-list", SelectionList)
        listing.select(h.instance_named("eval-a100").id)
        h.instance_named("eval-a100").status = "SHUTOFF"
        await pilot.pause()
        await pilot.click("#fw-attach-submit")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmModal))
        await pilot.press("enter")
        await wait_until(pilot, lambda: text_of(h.app, "#fw-attach-error") != "")
        assert text_of(h.app, "#fw-attach-error") == NOT_ACTIVE
        assert firewall_named(h.state, "staging-lockdown").attachments == {}

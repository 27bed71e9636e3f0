"""Deleting a firewall: F5 (refused while attached, with the reason, before and after asking) and the typed-name confirmation."""

from __future__ import annotations

from textual.widgets import Button, Input

from barrack_tui.tui.areas.firewalls.confirm import DeleteFirewallModal
from barrack_tui.tui.areas.firewalls.screen import FirewallsScreen
from tests.harness import make_harness
from tests.tui.firewalls_support import (
    find,
    firewall_named,
    open_details,
    record_notifications,
    table_ids,
    text_of,
    wait_until,
)

F5 = "Detach all instances before deleting this firewall"


async def test_a_firewall_with_attachments_is_not_deleted_and_says_why(monkeypatch):
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        toasts = record_notifications(h.app, monkeypatch)
        await h.poll()
        await pilot.pause()
        web = firewall_named(h.state, "web-ingress")
        h.app.screen.query_one("#fw-table").select_id(web.id)
        await pilot.pause()
        assert text_of(h.app, "#fw-selected").splitlines()[1] == f"Delete: {F5}"  # before asking
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(h.app.screen, DeleteFirewallModal)
        assert toasts[-1] == F5
        assert web.id in h.state.firewalls


async def test_details_show_the_f5_reason_too():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_details(h, pilot, "web-ingress")
        assert text_of(h.app, "#fwd-actions").endswith(f"Delete: {F5}")
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(h.app.screen, DeleteFirewallModal)


async def test_delete_needs_the_exact_name_typed(monkeypatch):
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        toasts = record_notifications(h.app, monkeypatch)
        await h.poll()
        await pilot.pause()
        lockdown = firewall_named(h.state, "staging-lockdown")
        h.app.screen.query_one("#fw-table").select_id(lockdown.id)
        await pilot.press("d")
        assert isinstance(h.app.screen, DeleteFirewallModal)
        delete = find(h.app, "#confirm-ok", Button)
        assert delete.disabled
        await pilot.press(*"staging-lockdow")
        await pilot.pause()
        assert find(h.app, "#confirm-name", Input).value == "staging-lockdow"
        assert delete.disabled
        await pilot.press("enter")  # a near miss confirms nothing
        await pilot.pause()
        assert lockdown.id in h.state.firewalls
        assert text_of(h.app, "#confirm-hint") == "type staging-lockdown to confirm"
        await pilot.press("n", "space")
        await pilot.pause()
        assert delete.disabled  # trailing space: not the name
        await pilot.press("backspace")
        await pilot.pause()
        assert find(h.app, "#confirm-name", Input).value == "staging-lockdown"
        assert not delete.disabled
        await pilot.click("#confirm-ok")
        await wait_until(pilot, lambda: isinstance(h.app.screen, FirewallsScreen))
        assert lockdown.id not in h.state.firewalls
        assert lockdown.id not in table_ids(h.app, "#fw-table")
        assert toasts[-1] == "Firewall staging-lockdown deleted."


async def test_an_attachment_made_meanwhile_is_refused_by_the_server_in_place():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        lockdown = firewall_named(h.state, "staging-lockdown")
        h.app.screen.query_one("#fw-table").select_id(lockdown.id)
        await pilot.press("d")
        find(h.app, "#confirm-name", Input).value = "staging-lockdown"
        lockdown.attachments[h.instance_named("eval-a100").id] = "SUCCESS"  # another session attached it
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await wait_until(pilot, lambda: text_of(h.app, "#confirm-error") != "")
        assert text_of(h.app, "#confirm-error") == F5
        assert isinstance(h.app.screen, DeleteFirewallModal)
        assert lockdown.id in h.state.firewalls


async def test_deleting_from_the_details_returns_to_the_list():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_details(h, pilot, "staging-lockdown")
        assert text_of(h.app, "#fwd-actions") == "d: delete (type the name to confirm)"
        await pilot.press("d")
        find(h.app, "#confirm-name", Input).value = "staging-lockdown"
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await wait_until(pilot, lambda: isinstance(h.app.screen, FirewallsScreen))
        assert not any(f.name == "staging-lockdown" for f in h.state.firewalls.values())
        assert len(table_ids(h.app, "#fw-table")) == 3

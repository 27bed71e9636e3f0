"""Marks and the delete of many on Firewalls, Snapshots & Images and SSH keys & Scripts, through the real app.

The same kit as Instances and Volumes (`kit/marks.py`, `kit/bulk.py`): space
marks and moves on, ctrl+a marks what the filter shows, Escape clears the
marks before the filter, and delete on marks opens one confirmation naming
every target, the ones the rules refuse with the rule's own words. A failure
is injected into the simulator's answers for one target alone; the others
still go through and the summary and the activity log account for each.
"""

from __future__ import annotations

from typing import Any

import httpx

from barrack_tui.activity.entry import FAILED, REFUSED
from barrack_tui.api.routes import ROUTES
from barrack_tui.rules.firewalls import MSG_FIREWALL_ATTACHED
from barrack_tui.rules.resources import can_delete_key
from barrack_tui.tui.areas.firewalls.screen import FirewallsScreen
from barrack_tui.tui.areas.keys.screen import KEYS_TAB, SCRIPTS_TAB, KeysScreen
from barrack_tui.tui.areas.snapshots.screen import IMAGES_TAB, SNAPSHOTS_TAB, SnapshotsScreen
from barrack_tui.tui.kit.bulk import BulkConfirmModal, BulkSummaryModal
from barrack_tui.tui.kit.marks import MARK
from barrack_tui.tui.kit.synced_table import SyncedTable
from tests.harness import make_harness, settle, wait_until
from tests.tui.firewalls_support import add_firewalls, firewall_named, row_texts, text_of
from tests.tui.test_bulk_actions import FAULT_WORDS, FailOne, entries, feed_one_read, modal_text


async def opened(h: Any, pilot: Any, kind: type) -> Any:
    await h.poll()
    await settle(pilot)
    screen = h.app.screen
    assert isinstance(screen, kind)
    return screen


async def confirmation(h: Any, pilot: Any) -> BulkConfirmModal:
    await wait_until(pilot, lambda: isinstance(h.app.screen, BulkConfirmModal), what="the bulk confirmation")
    modal = h.app.screen
    assert isinstance(modal, BulkConfirmModal)
    return modal


async def summary(h: Any, pilot: Any) -> Any:
    await wait_until(pilot, lambda: isinstance(h.app.screen, BulkSummaryModal), what="the summary")
    return h.app.screen.report


# --- Firewalls ----------------------------------------------------------------------------------------------


async def test_firewall_marks_move_on_show_in_the_row_and_escape_clears_them_before_the_filter() -> None:
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot, FirewallsScreen)
        first, second = screen.table.row_ids[:2]
        screen.table.move_cursor(row=0)
        await pilot.press("space", "space")
        await settle(pilot, 2)
        assert set(screen.marks) == {first, second}
        assert screen.table.selected_id == screen.table.row_ids[2]  # marking moved on each time
        assert row_texts(h.app, "#fw-table", first)[0].startswith(MARK)
        assert not row_texts(h.app, "#fw-table", screen.table.row_ids[2])[0].startswith(MARK)
        assert "2 marked" in text_of(h.app, "#fw-selected")
        await pilot.press("slash", *"staging", "enter")
        await settle(pilot, 2)
        assert "2 marked, 2 hidden by the filter" in text_of(h.app, "#fw-selected")
        await pilot.press("escape")  # the marks first
        await settle(pilot, 2)
        assert not screen.marks and screen.query_state.text == "staging"
        await pilot.press("escape")  # then the filter
        await settle(pilot, 2)
        assert not screen.query_state.text
        await pilot.press("ctrl+a")
        await settle(pilot, 2)
        assert set(screen.marks) == {f.id for f in screen.listing.items}
        await pilot.press("ctrl+a")  # again: unmarks them
        await settle(pilot, 2)
        assert not screen.marks
        commands = {c.title: c for c in h.app.get_system_commands(screen)}
        commands["Firewalls: mark every firewall shown"].callback()
        await settle(pilot, 2)
        assert len(screen.marks) == len(screen.listing.items)
        commands["Firewalls: clear the marks"].callback()
        await settle(pilot, 2)
        assert not screen.marks


async def test_bulk_firewall_delete_refuses_an_attached_one_and_reports_a_failure_among_the_done() -> None:
    h = make_harness(initial_mode="firewalls")
    spare, failing = add_firewalls(h.state, 2, region="US-1", prefix="spare")
    path = "/api/v1" + ROUTES["delete_firewall"].path.format(id=failing.id)
    fault = FailOne(h.sim_app, "DELETE", path, status=409)  # a 500 to a DELETE is retried; a conflict is not
    asgi: Any = fault  # an ASGI app by duck typing
    h.app._transport = httpx.ASGITransport(app=asgi)
    attached = firewall_named(h.state, "office-ssh")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot, FirewallsScreen)
        assert screen.table.select_id(attached.id)
        await pilot.press("space")
        await settle(pilot, 2)
        # A filter kept with Enter, every row it shows marked and delete: one read, as typed over SSH.
        feed_one_read(h.app, "/spare\r\x01d")
        modal = await confirmation(h, pilot)
        assert set(screen.marks) == {attached.id, spare.id, failing.id}  # the hidden mark is still a target
        text = modal_text(h.app)
        assert "Delete 3 firewalls: 2 to delete, 1 refused" in text
        assert f"office-ssh  US-1, 1 rule, attached to 1 instance — {MSG_FIREWALL_ATTACHED}" in text
        assert "Type 2 firewalls to confirm:" in text
        assert [t.refusal for t in modal.plan.targets if t.id == attached.id] == [MSG_FIREWALL_ATTACHED]
        assert sum(h.state.mutation_counts.values()) == 0  # it asks first
        await pilot.press(*"2 firewalls", "enter")
        report = await summary(h, pilot)

        assert [o.target.name for o in report.done] == ["spare-00"]
        assert [(o.target.name, o.message) for o in report.refused] == [("office-ssh", MSG_FIREWALL_ATTACHED)]
        assert [o.target.name for o in report.failed] == ["spare-01"] and FAULT_WORDS in report.failed[0].message
        text = modal_text(h.app)
        assert "Delete 3 firewalls: 1 done, 1 refused, 1 failed" in text
        assert text.index("Done (1)") < text.index("Failed (1)")  # the success is not hidden by the failure
        assert fault.hits == 1
        assert spare.id not in h.state.firewalls and {failing.id, attached.id} <= set(h.state.firewalls)
        assert spare.id not in h.app.store.firewalls

        (line,) = entries(h, "bulk delete")
        assert (line.message, line.result, line.target_kind) == ("1 done, 1 refused, 1 failed", FAILED, "firewall")
        refused = {e.target_name: e.message for e in entries(h, "delete") if e.result == REFUSED}
        assert refused["office-ssh"] == MSG_FIREWALL_ATTACHED  # the rule's words: nothing was sent for it

        await pilot.press("enter")
        await settle(pilot, 2)
        assert isinstance(h.app.screen, FirewallsScreen)
        # The failed and the refused stay marked for another try.
        assert set(screen.marks) == {failing.id, attached.id}


async def test_no_firewall_marks_keep_the_single_delete_and_a_mark_goes_with_its_firewall() -> None:
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot, FirewallsScreen)
        gone = firewall_named(h.state, "staging-lockdown")
        assert screen.table.select_id(gone.id)
        await pilot.press("d")
        await settle(pilot)
        assert type(h.app.screen).__name__ == "DeleteFirewallModal"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot, 2)
        assert set(screen.marks) == {gone.id}
        del h.state.firewalls[gone.id]  # another session deleted it
        await h.poll("firewalls")
        await settle(pilot, 2)
        assert not screen.marks


# --- Snapshots & Images -------------------------------------------------------------------------------------


async def test_bulk_snapshot_delete_and_the_images_tab_keeps_its_own_marks() -> None:
    h = make_harness(initial_mode="snapshots")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot, SnapshotsScreen)
        table = screen.query_one("#snapshots-table", SyncedTable)
        table.focus()
        table.move_cursor(row=0)
        first, second = table.row_ids[:2]
        await pilot.press("space", "space")
        await settle(pilot, 2)
        assert set(screen.marks[SNAPSHOTS_TAB]) == {first, second} and not screen.marks[IMAGES_TAB]
        assert row_texts(h.app, "#snapshots-table", first)[0].startswith(MARK)
        assert "2 marked" in text_of(h.app, "#snapshots-page")
        await pilot.press("d")
        modal = await confirmation(h, pilot)
        assert {t.id for t in modal.plan.targets} == {first, second} and not modal.plan.refused
        assert "Type 2 snapshots to confirm:" in modal_text(h.app)
        await pilot.press(*"2 snapshots", "enter")
        report = await summary(h, pilot)
        assert report.counts() == "2 done"
        assert not {first, second} & set(h.state.snapshots)
        await pilot.press("enter")
        await settle(pilot, 2)
        assert not screen.marks[SNAPSHOTS_TAB]

        await pilot.press("t")  # the Images tab: ctrl+a marks its rows only, one target asks for its name
        await settle(pilot, 2)
        await pilot.press("ctrl+a")
        await settle(pilot, 2)
        image = h.app.store.images[next(iter(screen.marks[IMAGES_TAB]))]
        assert set(screen.marks[IMAGES_TAB]) == set(h.app.store.images) and not screen.marks[SNAPSHOTS_TAB]
        await pilot.press("d")
        await confirmation(h, pilot)
        assert f"Type {image.name} to confirm:" in modal_text(h.app)
        await pilot.press("escape")
        await settle(pilot, 2)
        assert image.id in h.state.images and screen.marks[IMAGES_TAB]
        await pilot.press("escape")  # on the list: clears the tab's marks
        await settle(pilot, 2)
        assert not screen.marks[IMAGES_TAB]


# --- SSH keys & Scripts -------------------------------------------------------------------------------------


async def test_bulk_key_delete_lists_a_key_in_use_with_the_rule_s_words() -> None:
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot, KeysScreen)
        in_use = next(k for k in h.app.store.ssh_keys.values() if k.name == "alice-laptop")
        words = can_delete_key(in_use.id, h.app.store.instances.values()).message
        assert words
        feed_one_read(h.app, "\x01d")  # every key shown, then delete
        modal = await confirmation(h, pilot)
        keys = set(h.app.store.ssh_keys)
        assert set(screen.marks[KEYS_TAB]) == keys and not screen.marks[SCRIPTS_TAB]
        assert [(t.name, t.refusal) for t in modal.plan.refused] == [("alice-laptop", words)]
        text = modal_text(h.app)
        assert "alice-laptop  used by " in text and words in text
        assert f"Type {len(keys) - 1} SSH keys to confirm:" in text
        await pilot.press(*f"{len(keys) - 1} SSH keys", "enter")
        report = await summary(h, pilot)
        assert report.counts() == f"{len(keys) - 1} done, 1 refused"
        assert set(h.state.ssh_keys) == {in_use.id}
        (line,) = entries(h, "bulk delete")
        assert line.target_kind == "SSH key" and line.message == report.counts()
        await pilot.press("enter")
        await settle(pilot, 2)
        assert set(screen.marks[KEYS_TAB]) == {in_use.id}
        assert "1 marked" in text_of(h.app, "#keys-summary")


async def test_scripts_take_ctrl_a_and_escape_clears_their_marks() -> None:
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await opened(h, pilot, KeysScreen)
        await pilot.press("t")
        await settle(pilot, 2)
        await pilot.press("ctrl+a")
        await settle(pilot, 2)
        assert set(screen.marks[SCRIPTS_TAB]) == set(h.app.store.scripts) and not screen.marks[KEYS_TAB]
        assert f"{len(h.app.store.scripts)} marked" in text_of(h.app, "#scripts-summary")
        await pilot.press("escape")
        await settle(pilot, 2)
        assert not screen.marks[SCRIPTS_TAB]
        assert "marked" not in text_of(h.app, "#scripts-summary")

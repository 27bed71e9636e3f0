"""Creating a firewall: F2 validation as the user types, the flow end to end, and F1 (25 per account) refusals."""

from __future__ import annotations

from textual.widgets import Button, Input, Select

from barrack_tui.tui.areas.firewalls.create import CreateFirewallModal
from tests.harness import make_harness, wait_until
from tests.tui.firewalls_support import add_firewalls, find, record_notifications, table_ids, text_of

LIMIT_MESSAGE = "You have 25 firewalls, the maximum per account; delete one to create another"


async def test_create_validates_as_the_user_types_and_lands_in_the_list():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        h.app.screen.set_region_filter("NORWAY-1")
        await pilot.press("n")
        modal = h.app.screen
        assert isinstance(modal, CreateFirewallModal)
        submit = find(h.app, "#fw-create-submit", Button)
        assert find(h.app, "#fw-region", Select).value == "NORWAY-1"  # the filter's region, preselected
        assert submit.disabled
        await pilot.press(*"db!")
        assert text_of(h.app, "#fw-name-message") == "Name may only contain letters, digits, spaces, -, _ and ."
        assert submit.disabled
        await pilot.press("backspace")
        assert text_of(h.app, "#fw-name-message") == ""
        assert not submit.disabled
        find(h.app, "#fw-name", Input).value = "web-ingress"
        await pilot.pause()
        assert text_of(h.app, "#fw-name-message") == "Name 'web-ingress' is already used by another firewall"
        find(h.app, "#fw-name", Input).value = "db"
        find(h.app, "#fw-description", Input).value = "x" * 256
        await pilot.pause()
        assert text_of(h.app, "#fw-description-message") == "Description must be at most 255 characters"
        assert submit.disabled
        find(h.app, "#fw-description", Input).value = "Postgres from the app subnet"
        await pilot.pause()
        assert not submit.disabled
        await pilot.click("#fw-create-submit")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, CreateFirewallModal))
        created = next(f for f in h.state.firewalls.values() if f.name == "db")
        assert (created.region, created.description) == ("NORWAY-1", "Postgres from the app subnet")
        assert created.id in h.app.store.firewalls
        assert created.id in table_ids(h.app, "#fw-table")
        assert h.app.screen.query_one("#fw-table").selected_id == created.id


async def test_region_is_required_when_there_is_no_context():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press("n")
        find(h.app, "#fw-name", Input).value = "edge"
        await pilot.pause()
        assert text_of(h.app, "#fw-region-message") == "Choose a region"
        assert find(h.app, "#fw-create-submit", Button).disabled
        find(h.app, "#fw-region", Select).value = "US-1"
        await pilot.pause()
        assert text_of(h.app, "#fw-region-message") == ""
        await pilot.press("enter")  # Enter in the name field submits a valid form
        await wait_until(pilot, lambda: any(f.name == "edge" for f in h.state.firewalls.values()))


async def test_at_the_limit_create_is_disabled_with_the_reason(monkeypatch):
    h = make_harness(initial_mode="firewalls")
    add_firewalls(h.state, 21)  # the demo has 4
    async with h.app.run_test(size=(120, 40)) as pilot:
        toasts = record_notifications(h.app, monkeypatch)
        await h.poll()
        await pilot.pause()
        assert text_of(h.app, "#fw-create-reason") == f"Create is disabled: {LIMIT_MESSAGE}"
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(h.app.screen, CreateFirewallModal)
        assert toasts[-1] == LIMIT_MESSAGE
        assert len(h.state.firewalls) == 25


async def test_the_server_refusal_at_the_limit_is_shown_in_the_form():
    """Another session filled the account after this list was fetched: the simulator refuses with F1's words."""
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press("n")
        find(h.app, "#fw-name", Input).value = "one-too-many"
        find(h.app, "#fw-region", Select).value = "US-1"
        add_firewalls(h.state, 21)
        await pilot.pause()
        await pilot.click("#fw-create-submit")
        await wait_until(pilot, lambda: text_of(h.app, "#fw-create-error") != "")
        assert text_of(h.app, "#fw-create-error") == LIMIT_MESSAGE
        assert isinstance(h.app.screen, CreateFirewallModal)
        assert not any(f.name == "one-too-many" for f in h.state.firewalls.values())


async def test_a_name_taken_meanwhile_is_shown_under_the_name():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press("n")
        find(h.app, "#fw-name", Input).value = "late"
        find(h.app, "#fw-region", Select).value = "US-1"
        add_firewalls(h.state, 1, prefix="late")
        h.state.firewalls[next(iter(reversed(h.state.firewalls)))].name = "late"
        await pilot.pause()
        await pilot.click("#fw-create-submit")
        await wait_until(pilot, lambda: text_of(h.app, "#fw-name-message") != "")
        assert text_of(h.app, "#fw-name-message") == "Name 'late' is already used by another firewall"


async def test_escape_cancels_without_creating():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press("n")
        find(h.app, "#fw-name", Input).value = "never"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(h.app.screen, CreateFirewallModal)
        assert len(h.state.firewalls) == 4


async def test_read_only_mode_refuses_create_at_the_key_and_sends_nothing():
    h = make_harness(initial_mode="firewalls", read_only=True)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not h.app.screen.query("#fw-name")  # no form opened
        said = [str(n.message) for n in h.app._notifications]
        assert "Read-only mode: “Create” was not sent; start the app without --read-only to make changes." in said
        assert len(h.state.firewalls) == 4


async def test_a_long_pasted_name_is_kept_whole_and_the_counter_and_rule_say_it_is_too_long():
    from barrack_tui.rules.validators import NAME_MAX

    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press("n")
        name = find(h.app, "#fw-name", Input)
        name.insert_text_at_cursor("a" * 300)  # what a paste does
        await pilot.pause()
        assert name.value == "a" * 300  # nothing the user pasted is cut off silently
        assert text_of(h.app, "#fw-name-counter") == f"300/{NAME_MAX}"
        assert text_of(h.app, "#fw-name-message") != "" and find(h.app, "#fw-create-submit", Button).disabled

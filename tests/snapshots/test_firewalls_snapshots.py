"""Snapshots of the Firewalls list, a firewall's two detail tabs and every firewall form, at 80x24 and 120x40."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.widgets import Input

from tests.harness import make_harness, still_cursor, wait_until
from tests.tui.firewalls_support import firewall_named, open_details

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Step = Callable[[Any, Any], Awaitable[None]]


def run(h: Any, *steps: Step) -> Callable[[Any], Awaitable[None]]:
    async def before(pilot: Any) -> None:
        await h.poll()
        await pilot.pause()
        for step in steps:
            await step(h, pilot)
        for _ in range(3):
            await pilot.pause()
        still_cursor(pilot.app)

    return before


def details(name: str) -> Step:
    async def step(h: Any, pilot: Any) -> None:
        await open_details(h, pilot, name)

    return step


def keys(*pressed: str, until: Callable[[Any], bool] | None = None) -> Step:
    async def step(h: Any, pilot: Any) -> None:
        await pilot.press(*pressed)
        if until is not None:
            await wait_until(pilot, lambda: until(h.app))

    return step


def modal_named(name: str) -> Callable[[Any], bool]:
    return lambda app: type(app.screen).__name__ == name


def typed(selector: str, value: str) -> Step:
    async def step(h: Any, pilot: Any) -> None:
        h.app.screen.query_one(selector, Input).value = value
        await pilot.pause()

    return step


def snapshot(snap_compare: Any, size: tuple[int, int], *steps: Step) -> bool:
    h = make_harness(initial_mode="firewalls")
    return snap_compare(h.app, terminal_size=size, run_before=run(h, *steps))


@pytest.mark.parametrize("size", SIZES)
def test_firewalls_list(snap_compare, size):
    assert snapshot(snap_compare, size)


@pytest.mark.parametrize("size", SIZES)
def test_firewall_details_rules(snap_compare, size):
    assert snapshot(snap_compare, size, details("web-ingress"))


@pytest.mark.parametrize("size", SIZES)
def test_firewall_details_attached_instances(snap_compare, size):
    assert snapshot(snap_compare, size, details("web-ingress"), keys("i"))


@pytest.mark.parametrize("size", SIZES)
def test_create_firewall_form(snap_compare, size):
    assert snapshot(
        snap_compare, size, keys("n", until=modal_named("CreateFirewallModal")), typed("#fw-name", "web-ingress")
    )


@pytest.mark.parametrize("size", SIZES)
def test_add_rule_form(snap_compare, size):
    assert snapshot(
        snap_compare, size, details("staging-lockdown"), keys("plus", until=modal_named("AddRuleModal")),
        typed("#rule-range", "10.0.0.0/33"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_attach_picker(snap_compare, size):
    def loaded(app: Any) -> bool:
        return type(app.screen).__name__ == "AttachFirewallModal" and bool(app.screen.instances)

    assert snapshot(snap_compare, size, details("staging-lockdown"), keys("a", until=loaded))


@pytest.mark.parametrize("size", SIZES)
def test_delete_confirmation(snap_compare, size):
    assert snapshot(
        snap_compare, size, details("staging-lockdown"), keys("d", until=modal_named("DeleteFirewallModal")),
        typed("#confirm-name", "staging"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_detach_confirmation(snap_compare, size):
    assert snapshot(snap_compare, size, details("office-ssh"), keys("i", "x", until=modal_named("ConfirmModal")))


@pytest.mark.parametrize("size", SIZES)
def test_remove_rule_confirmation(snap_compare, size):
    assert snapshot(snap_compare, size, details("jupyter-lab"), keys("minus", until=modal_named("ConfirmModal")))


@pytest.mark.parametrize("size", SIZES)
def test_details_after_a_rule_change_show_the_notice(snap_compare, size):
    async def removed(h: Any, pilot: Any) -> None:
        screen = h.app.screen
        firewall = firewall_named(h.state, "jupyter-lab")
        await h.app.client.remove_firewall_rule(firewall.id, firewall.rules[0].id)
        screen.rules_changed("Rule removed.")
        await wait_until(pilot, lambda: len(screen.details.rules) == 2)
        h.app.clear_notifications()

    assert snapshot(snap_compare, size, details("jupyter-lab"), removed)

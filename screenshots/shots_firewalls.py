"""Screenshots of the Firewalls screen, a firewall's details and every firewall form.

`shoot(pilot, save)` is called by screenshots/make_screenshots.py (120x40,
frozen clock) on a fresh seeded simulator. Mutations (a rule added, a
firewall deleted) come last so the earlier pictures show the demo account.
"""

from __future__ import annotations

from typing import Any

from shot_steps import close_screen, key
from textual.widgets import Input, Select

from tests.harness import wait_until

INITIAL_MODE = "firewalls"


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
    pilot.app.clear_notifications()


def _firewall_id(app: Any, name: str) -> str:
    return next(f.id for f in app.store.firewalls.values() if f.name == name)


async def _details(pilot: Any, name: str) -> Any:
    app = pilot.app
    if type(app.screen).__name__ != "FirewallsScreen":
        await pilot.press("escape")
        await _settle(pilot)
    app.screen.table.select_id(_firewall_id(app, name))
    app.screen.table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: getattr(app.screen, "details", None) is not None)
    await _settle(pilot)
    return app.screen


async def _modal(pilot: Any, save: Any, key: str, modal: str, name: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == modal)
    await _settle(pilot)
    save(name)


async def shoot(pilot: Any, save: Any) -> None:
    app = pilot.app
    await app.store.refresh()
    await _settle(pilot)
    save("firewalls")

    # F5 visible before asking: web-ingress is attached.
    app.screen.table.select_id(_firewall_id(app, "web-ingress"))
    await pilot.press(key("firewalls.delete"))
    for _ in range(3):
        await pilot.pause()
    save("firewalls_delete_refused")
    app.clear_notifications()

    await pilot.press(key("firewalls.create"))
    await wait_until(pilot, lambda: type(app.screen).__name__ == "CreateFirewallModal")
    app.screen.query_one("#fw-name", Input).value = "db-private"
    app.screen.query_one("#fw-description", Input).value = "Postgres from the app subnet"
    app.screen.query_one("#fw-region", Select).value = "NORWAY-1"
    await _settle(pilot)
    save("firewalls_create")
    await close_screen(pilot, "CreateFirewallModal")

    await _details(pilot, "web-ingress")
    save("firewall_rules")
    await pilot.press(key("firewall_details.tab_instances"))
    await _settle(pilot)
    save("firewall_attached")
    await _modal(pilot, save, key("firewall_details.detach"), "ConfirmModal", "firewall_detach")
    await pilot.press("escape")

    await _details(pilot, "staging-lockdown")
    await pilot.press(key("firewall_details.attach"))
    await wait_until(pilot, lambda: type(app.screen).__name__ == "AttachFirewallModal" and bool(app.screen.instances))
    await _settle(pilot)
    save("firewall_attach")
    await pilot.press("escape")
    await _settle(pilot)

    await _modal(pilot, save, key("firewall_details.remove_rule"), "ConfirmModal", "firewall_remove_rule")
    await pilot.press("escape")
    await _settle(pilot)

    await _modal(pilot, save, key("firewall_details.add_rule"), "AddRuleModal", "firewall_add_rule")
    app.screen.query_one("#rule-range", Input).value = "10.0.0.256/24"
    await _settle(pilot)
    save("firewall_add_rule_invalid")
    app.screen.query_one("#rule-range", Input).value = "203.0.113.0/24"
    await pilot.click("#preset-web")
    await _settle(pilot)
    save("firewall_add_rule_preset")
    await pilot.click("#rule-submit")
    # Every rule change is confirmed with its effect before it is sent.
    await wait_until(pilot, lambda: type(app.screen).__name__ in ("ConfirmModal", "FirewallDetailsScreen"))
    if type(app.screen).__name__ == "ConfirmModal":
        await pilot.press("enter")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "FirewallDetailsScreen" and app.screen.rule_changed_notice)
    await wait_until(pilot, lambda: len(app.screen.details.rules) == 3)
    await _settle(pilot)
    save("firewall_rule_notice")

    await pilot.press(key("firewall_details.delete"))
    await wait_until(pilot, lambda: type(app.screen).__name__ == "DeleteFirewallModal")
    app.screen.query_one("#confirm-name", Input).value = "staging-lockdown"
    await _settle(pilot)
    save("firewall_delete")

"""Screenshots of the SSH keys & Scripts screen and its modals, driven through the real app.

`shoot(pilot, save)` is called by screenshots/make_screenshots.py with a pilot
of the app from tests.harness.make_harness at 120x40. The generated key pair
is the fixed demo stand-in (the simulator's generator is swapped for the run,
then restored), so the pictures are stable and hold no key material.
"""

from __future__ import annotations

from typing import Any

from shot_steps import close_screen, key, open_screen, settle
from textual import events
from textual.widgets import Input, TextArea

import barrack_tui.sim.routes.keys as key_routes
from barrack_tui.sim.seed_resources import ed25519_public_key
from barrack_tui.tui.kit.synced_table import SyncedTable
from tests.harness import wait_until
from tests.tui.resources_support import demo_key_pair, find

INITIAL_MODE = "keys"


def _select(pilot: Any, table: str, name: str) -> None:
    items = pilot.app.store.ssh_keys if table == "#keys-table" else pilot.app.store.scripts
    find(pilot.app, table, SyncedTable).select_id(next(i.id for i in items.values() if i.name == name))


async def shoot(pilot: Any, save: Any) -> None:
    app = pilot.app
    await app.store.refresh()
    await wait_until(pilot, lambda: len(find(app, "#keys-table", SyncedTable).row_ids) > 0)
    await settle(pilot)
    save("keys")  # alice-laptop selected: the K1 "in use" reason under the list

    _select(pilot, "#keys-table", "ci-deploy")
    await open_screen(pilot, key("keys.delete"), "ConfirmDeleteModal")
    save("keys_delete")
    await close_screen(pilot, "ConfirmDeleteModal")

    await open_screen(pilot, key("keys.import"), "KeyFormModal")
    app.screen.query_one("#key-name", Input).value = "carol-desktop"
    app.screen.query_one("#public-key", TextArea).focus()
    await pilot.pause()
    app.post_message(events.Paste(ed25519_public_key("carol", "carol@desktop")))
    await settle(pilot)
    save("keys_import")
    await close_screen(pilot, "KeyFormModal")

    real_generator = key_routes.generate_rsa_keypair
    key_routes.generate_rsa_keypair = lambda comment="": demo_key_pair()
    try:
        await open_screen(pilot, key("keys.generate"), "KeyFormModal")
        await pilot.press(*"build-box")
        await settle(pilot)
        save("keys_generate")
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "PrivateKeyModal")
        app.screen.query_one("#key-path", Input).value = "~/.ssh/build-box"
        await settle(pilot)
        save("keys_private_key")
        await pilot.press("escape")  # unsaved: warns instead of closing
        await settle(pilot)
        save("keys_private_key_close_warning")
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ != "PrivateKeyModal")
        await settle(pilot)
    finally:
        key_routes.generate_rsa_keypair = real_generator

    await pilot.press(key("keys.switch_tab"))
    _select(pilot, "#scripts-table", "install-miniconda")
    await pilot.press(key("scripts.mark"))
    await settle(pilot)
    save("scripts")

    await open_screen(pilot, key("scripts.edit"), "ScriptEditorModal")
    save("scripts_edit")
    await close_screen(pilot, "ScriptEditorModal")

    await pilot.press("down", key("scripts.mark"))
    await open_screen(pilot, key("scripts.delete"), "ConfirmDeleteModal")
    save("scripts_bulk_delete")
    await close_screen(pilot, "ConfirmDeleteModal")

"""Importing a key the account already holds is refused as it is pasted, naming the key; a key saved meanwhile
(the form's list was older) comes back from the server's 409 under the key field, with the input kept."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from barrack_tui.rules.sshkeys import MSG_KEY_DUPLICATE
from barrack_tui.sim.seed_resources import ed25519_public_key
from barrack_tui.sim.state import SSHKeyRecord
from barrack_tui.tui.areas.keys.key_form import KeyFormModal
from tests.harness import make_harness, wait_until
from tests.tui.resources_support import button, table_rows, text_of


async def open_import(pilot, h) -> TextArea:
    await h.poll()
    await wait_until(pilot, lambda: len(table_rows(h.app, "#keys-table")) == len(h.state.ssh_keys))
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(h.app.screen, KeyFormModal))
    await pilot.press(*"copy-of-a-key")
    area = h.app.screen.query_one("#public-key", TextArea)
    area.focus()
    await pilot.pause()
    return area


async def test_pasting_a_saved_key_is_refused_as_typed_with_its_name():
    h = make_harness(initial_mode="keys")
    saved = next(k for k in h.state.ssh_keys.values() if k.name == "alice-laptop")
    key_type, blob = saved.public_key.split()[:2]
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_import(pilot, h)
        h.app.post_message(events.Paste(f"{key_type} {blob} a-different-comment\n"))
        expected = MSG_KEY_DUPLICATE.format(name="alice-laptop")
        await wait_until(pilot, lambda: text_of(h.app, "#key-error") == expected)
        assert expected == "This public key is already saved as alice-laptop"
        assert button(h.app, "#submit").disabled


async def test_a_key_saved_since_the_form_opened_comes_back_from_the_server_under_the_key():
    h = make_harness(initial_mode="keys")
    fresh = ed25519_public_key("saved-meanwhile", "me@elsewhere")
    async with h.app.run_test(size=(120, 40)) as pilot:
        area = await open_import(pilot, h)
        # Saved from another session after the form read the account's keys.
        h.state.ssh_keys["key-meanwhile"] = SSHKeyRecord(
            id="key-meanwhile", name="other-session", fingerprint="x", public_key=fresh,
            created_at=h.clock.now(), regions=["NORWAY-1"],
        )
        h.app.post_message(events.Paste(fresh))
        await wait_until(pilot, lambda: text_of(h.app, "#key-error") == "✓ valid public key")
        await pilot.click("#submit")
        expected = MSG_KEY_DUPLICATE.format(name="other-session")
        await wait_until(pilot, lambda: text_of(h.app, "#key-error") == expected)
        assert isinstance(h.app.screen, KeyFormModal)
        assert area.text == fresh
        assert not button(h.app, "#submit").disabled

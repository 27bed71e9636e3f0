"""SSH keys (key 6) against the simulator: list, generate (private key shown once, saved 0600, never logged),
import with live K1 validation, delete and its K1 refusal (key used by an ACTIVE instance) in the UI and the API."""

from __future__ import annotations

import logging
import os
import stat

import pytest
from textual.widgets import Input, TextArea

from barrack_tui.api.errors import RuleRefusedError
from barrack_tui.rules.sshkeys import MSG_KEY_BASE64
from barrack_tui.sim.seed_resources import ed25519_public_key
from barrack_tui.tui.areas.keys.key_form import KeyFormModal
from barrack_tui.tui.areas.keys.private_key import CLOSE_WARNING, PrivateKeyModal
from barrack_tui.tui.kit.resource_delete import ConfirmDeleteModal
from tests.harness import make_harness, wait_until
from tests.tui.resources_support import (
    button,
    record_notifications,
    select_row,
    table_column,
    table_rows,
    text_of,
)

IN_USE_BY_ONE = "This key is used by the ACTIVE instance 'eval-a100'; stop or delete that instance first"


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def key_id_named(h, name: str) -> str:
    return next(k.id for k in h.state.ssh_keys.values() if k.name == name)


async def open_keys(pilot, h) -> None:
    await h.poll()
    await wait_until(pilot, lambda: len(table_rows(h.app, "#keys-table")) == len(h.state.ssh_keys))


async def test_keys_list_shows_name_fingerprint_and_created():
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_keys(pilot, h)
        rows = table_rows(h.app, "#keys-table")
        by_name = {row[0]: row for row in rows}
        assert list(by_name) == ["alice-laptop", "ci-deploy", "bob-workstation", "ops-rsa"]
        alice = h.state.ssh_keys[key_id_named(h, "alice-laptop")]
        assert by_name["alice-laptop"][4] == alice.fingerprint
        assert by_name["alice-laptop"][2] == "2026-07-21"
        assert by_name["ops-rsa"][1] == "rsa"
        assert by_name["ci-deploy"][3] == "—"  # no instance uses it


async def test_generate_shows_the_private_key_once_and_saves_it_0600_without_logging_it(tmp_path, umask_022, caplog):
    caplog.set_level(logging.DEBUG)
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_keys(pilot, h)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, KeyFormModal))
        await pilot.press(*"build-box")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, PrivateKeyModal))

        private_key = h.app.screen.query_one("#private-key-text", TextArea).text
        assert private_key.startswith("-----BEGIN") and "PRIVATE KEY-----" in private_key
        assert "shown only this once" in text_of(h.app, "#shown-once")
        created = next(k for k in h.state.ssh_keys.values() if k.name == "build-box")
        assert "build-box" in table_column(h.app, "#keys-table", 0)

        target = tmp_path / "build-box"
        h.app.screen.query_one("#key-path", Input).value = str(target)
        await pilot.click("#save")
        await wait_until(pilot, lambda: target.exists() and "Saved to" in text_of(h.app, "#save-status"))
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        assert target.read_text() == private_key.rstrip("\n") + "\n"

        await pilot.click("#close")  # saved: closes at once
        await wait_until(pilot, lambda: not isinstance(h.app.screen, PrivateKeyModal))

    body_line = private_key.splitlines()[1]
    assert body_line not in caplog.text and "PRIVATE KEY" not in caplog.text
    assert any("build-box" in r.getMessage() for r in caplog.records)  # the save itself is logged, by path
    # The simulator keeps only the public half.
    assert not any(body_line in str(value) for value in vars(created).values())


async def test_saving_over_an_existing_file_asks_first(tmp_path):
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_keys(pilot, h)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, KeyFormModal))
        await pilot.press(*"laptop2", "enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, PrivateKeyModal))
        target = tmp_path / "existing"
        target.write_text("keep me")
        h.app.screen.query_one("#key-path", Input).value = str(target)
        await pilot.click("#save")
        await wait_until(pilot, lambda: "already exists" in text_of(h.app, "#save-status"))
        assert target.read_text() == "keep me"
        assert str(button(h.app, "#save").label) == "Overwrite"
        # Textual's Button ignores clicks during its 0.2 s press effect; a loaded machine runs that timer late.
        await wait_until(pilot, lambda: not button(h.app, "#save").has_class("-active"))
        await pilot.click("#save")
        await wait_until(pilot, lambda: "Saved to" in text_of(h.app, "#save-status"))
        assert target.read_text().startswith("-----BEGIN")
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


async def test_closing_without_saving_warns_that_the_key_will_not_be_shown_again(monkeypatch):
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(h.app, monkeypatch)
        await open_keys(pilot, h)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, KeyFormModal))
        await pilot.press(*"throwaway", "enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, PrivateKeyModal))

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(h.app.screen, PrivateKeyModal)  # not closed yet
        assert text_of(h.app, "#save-status") == CLOSE_WARNING
        assert str(button(h.app, "#close").label) == "Discard key"

        await pilot.click("#close")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, PrivateKeyModal))
        assert "The private key was not saved and cannot be shown again." in notes


async def test_generate_form_validates_the_name_as_typed():
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_keys(pilot, h)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, KeyFormModal))
        assert button(h.app, "#submit").disabled
        await pilot.press(*"my key")
        assert text_of(h.app, "#name-error") == "Key name cannot contain spaces"
        assert text_of(h.app, "#name-counter") == "6/50"
        assert button(h.app, "#submit").disabled
        h.app.screen.query_one("#key-name", Input).value = "ci-deploy"
        await pilot.pause()
        assert text_of(h.app, "#name-error") == "Name 'ci-deploy' is already used by another SSH key"
        h.app.screen.query_one("#key-name", Input).value = "fresh.key_1"
        await pilot.pause()
        assert text_of(h.app, "#name-error") == ""
        assert not button(h.app, "#submit").disabled


async def test_import_checks_the_pasted_key_live_and_uploads_it():
    from textual import events

    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_keys(pilot, h)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(h.app.screen, KeyFormModal))
        await pilot.press(*"carol-desktop")
        area = h.app.screen.query_one("#public-key", TextArea)
        area.focus()
        await pilot.pause()
        # A terminal paste reaches the app, which hands it to the focused widget.
        h.app.post_message(events.Paste("ssh-ed25519 not*base64"))
        await wait_until(pilot, lambda: text_of(h.app, "#key-error") == MSG_KEY_BASE64)
        assert button(h.app, "#submit").disabled

        good_key = ed25519_public_key("carol", "carol@desktop")
        area.load_text("")
        h.app.post_message(events.Paste(good_key + "\n"))
        await wait_until(pilot, lambda: text_of(h.app, "#key-error") == "✓ valid public key")
        assert text_of(h.app, "#key-kind") == "ed25519 key"
        assert not button(h.app, "#submit").disabled

        await pilot.click("#submit")
        await wait_until(pilot, lambda: "carol-desktop" in table_column(h.app, "#keys-table", 0))
        assert not isinstance(h.app.screen, PrivateKeyModal)  # an imported key has no private half to show
        stored = next(k for k in h.state.ssh_keys.values() if k.name == "carol-desktop")
        assert stored.public_key == good_key


async def test_deleting_a_key_used_by_an_active_instance_is_refused_with_the_reason(monkeypatch):
    h = make_harness(initial_mode="keys")
    key_id = key_id_named(h, "ci-deploy")
    h.instance_named("eval-a100").ssh_key_ids.append(key_id)  # eval-a100 is ACTIVE
    async with h.app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(h.app, monkeypatch)
        await open_keys(pilot, h)
        await select_row(pilot, "#keys-table", key_id)
        assert f"d Delete unavailable: {IN_USE_BY_ONE}" in text_of(h.app, "#keys-hint")

        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(h.app.screen, ConfirmDeleteModal)
        assert IN_USE_BY_ONE in notes
        assert key_id in h.state.ssh_keys

        # The simulator refuses the same request with the same words.
        with pytest.raises(RuleRefusedError) as refused:
            await h.app.client.delete_ssh_key(key_id)
        assert refused.value.message == IN_USE_BY_ONE


async def test_delete_an_unused_key_after_confirmation():
    h = make_harness(initial_mode="keys")
    key_id = key_id_named(h, "bob-workstation")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_keys(pilot, h)
        await select_row(pilot, "#keys-table", key_id)
        assert "d Delete: allowed" in text_of(h.app, "#keys-hint")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        assert h.app.focused.id == "confirm-name"  # destructive: the name is typed
        assert text_of(h.app, "#confirm-cost") == "deleting a key does not change billing"

        await pilot.press("enter")  # nothing typed: nothing deleted
        await pilot.pause()
        assert text_of(h.app, "#confirm-hint") == "type bob-workstation to confirm"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, ConfirmDeleteModal))
        assert key_id in h.state.ssh_keys

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        await pilot.press(*"bob-workstation", "enter")
        await wait_until(pilot, lambda: "bob-workstation" not in table_column(h.app, "#keys-table", 0))
        assert key_id not in h.state.ssh_keys


async def test_a_refusal_that_arrives_from_the_server_stays_in_the_confirmation():
    """The list said the key was free; by the time Delete is pressed an ACTIVE instance uses it."""
    h = make_harness(initial_mode="keys")
    key_id = key_id_named(h, "ci-deploy")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_keys(pilot, h)
        await select_row(pilot, "#keys-table", key_id)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        h.instance_named("eval-a100").ssh_key_ids.append(key_id)
        await pilot.press(*"ci-deploy", "enter")
        # The rule's exact words, then the server's request id for support.
        await wait_until(pilot, lambda: text_of(h.app, "#confirm-error").startswith(IN_USE_BY_ONE + " (request id "))
        assert isinstance(h.app.screen, ConfirmDeleteModal)
        assert key_id in h.state.ssh_keys


async def test_the_per_region_key_limit_disables_create_with_the_reason():
    from barrack_tui.sim.state import SSHKeyRecord

    h = make_harness(initial_mode="keys")
    template = next(iter(h.state.ssh_keys.values()))
    for index in range(25 - len(h.state.ssh_keys)):
        h.state.ssh_keys[f"key-extra-{index}"] = SSHKeyRecord(
            id=f"key-extra-{index}",
            name=f"extra-{index}",
            fingerprint=template.fingerprint,
            public_key=template.public_key,
            created_at=template.created_at,
            regions=list(template.regions),
        )
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_keys(pilot, h)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, KeyFormModal))
        await pilot.press(*"one-too-many")
        assert text_of(h.app, "#limit-error") == "A region holds at most 25 SSH keys; delete one to add another"
        assert button(h.app, "#submit").disabled

"""Local hygiene: a broken keyring is one line (CLI and app), private dirs are 0700, the demo keeps its own data."""

from __future__ import annotations

import io
import json
import os
import stat
import sys

import keyring
import pytest
from keyring.errors import InitError, KeyringError
from textual.widgets import Static

from barrack_tui.account import auth, paths
from barrack_tui.chat.history import ChatHistory, default_path
from barrack_tui.cli import main as cli
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.server import start_background
from barrack_tui.tui.kit import ui_state
from barrack_tui.tui.shell.login import LoginScreen
from tests.harness import make_harness, settle, wait_until
from tests.shell.fake_keyrings import EchoingKeyring, FailingKeyring, NoCryptoKeyring

URL = "https://api.example.test"
KEY = "canary-SECRET-hygiene-4321"
ONE_LINE = r"^keyring unavailable: [\w.]+: [^\n]+$"

FAILING = {
    "no-crypto-extra": lambda: NoCryptoKeyring(),
    "runtime-error": lambda: FailingKeyring(RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")),
    "import-error": lambda: FailingKeyring(ImportError("No module named 'secretstorage'")),
    "keyring-error": lambda: FailingKeyring(KeyringError("the collection is locked")),
}
EXPECTED = {
    "no-crypto-extra": ("NoCryptoKeyring", "RuntimeError: PyCryptodome is not installed"),
    "runtime-error": ("FailingKeyring", "RuntimeError: org.freedesktop.DBus.Error.ServiceUnknown"),
    "import-error": ("FailingKeyring", "ImportError: No module named 'secretstorage'"),
    "keyring-error": ("FailingKeyring", "KeyringError: the collection is locked"),
}


@pytest.fixture
def sim():
    running = start_background(state=seed_demo(FakeClock()))
    yield running
    running.stop()


def run_cli(monkeypatch, capsys, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def lines_about_the_keyring(text: str) -> list[str]:
    return [line for line in text.splitlines() if "keyring unavailable" in line]


# --- keyring failures: one line, never a traceback ----------------------------------------------------------


@pytest.mark.parametrize("kind", FAILING)
def test_every_kind_of_backend_failure_is_one_line_naming_backend_and_reason(kind):
    keyring.set_keyring(FAILING[kind]())
    backend, reason = EXPECTED[kind]
    status = auth.probe_keyring(timeout=2)
    assert not status.secure and status.failed
    assert status.describe().startswith(f"keyring unavailable: tests.shell.fake_keyrings.{backend}: ")
    assert status.describe().endswith(reason)
    with pytest.raises(auth.KeyringUnavailable, match=ONE_LINE):
        auth.store_key(URL, KEY, timeout=2)
    with pytest.raises(auth.KeyringUnavailable, match=ONE_LINE):
        auth.stored_key(URL, timeout=2)


def test_a_keyring_that_cannot_even_be_loaded_is_one_line(monkeypatch):
    def broken():
        raise InitError("No recommended backend was available")

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.EncryptedKeyring")
    monkeypatch.setattr(keyring, "get_keyring", broken)
    assert auth.probe_keyring(timeout=2).describe() == (
        "keyring unavailable: keyrings.alt.file.EncryptedKeyring: InitError: No recommended backend was available"
    )


def test_a_failure_after_a_good_probe_still_never_shows_the_key():
    keyring.set_keyring(EchoingKeyring())  # the probe's test entry works; storing the real key raises, quoting it
    with pytest.raises(auth.KeyringUnavailable) as failed:
        auth.store_key(URL, KEY, timeout=2)
    message = str(failed.value)
    assert message.startswith("keyring unavailable: tests.shell.fake_keyrings.EchoingKeyring: storing the key failed:")
    assert KEY not in message and "••••" in message


def test_the_file_key_is_still_found_when_the_keyring_fails_to_read():
    auth.store_key(URL, KEY, insecure_storage=True, timeout=2)  # null keyring: goes to the 0600 file
    keyring.set_keyring(FailingKeyring(RuntimeError("bus closed"), on=("get",)))
    assert auth.stored_key(URL, timeout=2) == auth.ResolvedKey(KEY, auth.KeySource.FILE)


@pytest.mark.parametrize("kind", ["no-crypto-extra", "keyring-error"])
def test_cli_login_status_logout_report_one_line(monkeypatch, capsys, sim, kind):
    keyring.set_keyring(FAILING[kind]())
    backend, reason = EXPECTED[kind]
    code, out, err = run_cli(monkeypatch, capsys, ["--base-url", sim.url, "auth", "login", "--with-key"], sim.api_key + "\n")
    assert code == 3 and "Traceback" not in out + err and sim.api_key not in out + err
    assert lines_about_the_keyring(err) == [f"keyring unavailable: tests.shell.fake_keyrings.{backend}: {reason}"]
    assert "--insecure-storage" in err  # and what to do instead

    code, out, err = run_cli(monkeypatch, capsys, ["--base-url", sim.url, "auth", "status"])
    assert code == 1 and "Traceback" not in out + err
    assert len(lines_about_the_keyring(out)) == 1 and "Key: none found" in out

    code, out, err = run_cli(monkeypatch, capsys, ["--base-url", sim.url, "auth", "login", "--with-key", "--insecure-storage"], sim.api_key + "\n")
    assert code == 0 and "stored unencrypted" in err
    code, out, err = run_cli(monkeypatch, capsys, ["--base-url", sim.url, "auth", "logout"])
    assert code == 0 and "Traceback" not in out + err
    assert len(lines_about_the_keyring(err)) == 1
    assert str(paths.insecure_key_file()) in out and not paths.insecure_key_file().exists()  # the file copy still went


async def test_the_app_says_keyring_unavailable_on_the_sign_in_screen():
    keyring.set_keyring(FailingKeyring(RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")))
    h = make_harness(key=None, look_up_stored_key=True)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(h.app.screen, LoginScreen) and bool(h.app.screen.query("#login-reason")),
            what="the sign-in screen with its reason",
        )
        expected = "keyring unavailable: tests.shell.fake_keyrings.FailingKeyring: RuntimeError: org.freedesktop.DBus.Error.ServiceUnknown"
        reason = str(h.app.screen.query_one("#login-reason", Static).render())
        assert reason == expected
        note = h.app.screen.query_one("#login-keyring", Static)
        await wait_until(pilot, lambda: "keyring unavailable" in str(note.render()), what="the keyring note")
        assert str(note.render()).startswith(expected + ". The key will be used for this run only.")
        assert h.app.is_running and not h.app._exception


async def test_the_app_signs_in_from_the_file_when_the_keyring_fails(tmp_path):
    h = make_harness(key=None, look_up_stored_key=True)
    auth.store_key(h.app.settings.base_url, h.state.api_key, insecure_storage=True, timeout=2)
    keyring.set_keyring(NoCryptoKeyring())
    async with h.app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: h.app.client is not None, what="a session from the key file")
        assert not isinstance(h.app.screen, LoginScreen)


# --- private directories ---------------------------------------------------------------------------------


def mode_of(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_dir_we_create_is_0700_whatever_the_umask(tmp_path):
    old = os.umask(0o002)
    try:
        ui_state.save("instances", {"sort": "name"})
        ChatHistory(default_path()).close()
        ChatHistory(default_path(demo=True)).close()
        auth.store_key(URL, KEY, insecure_storage=True, timeout=2)
    finally:
        os.umask(old)
    for path in (paths.base_data_dir(), paths.demo_data_dir(), paths.config_dir()):
        assert mode_of(path) == 0o700, path
    assert mode_of(paths.insecure_key_file()) == 0o600


def test_an_open_data_or_config_dir_is_tightened_and_one_we_cannot_tighten_is_reported(tmp_path, monkeypatch):
    for path in (paths.config_dir(), paths.base_data_dir()):
        path.mkdir(mode=0o755)
        os.chmod(path, 0o755)
    assert paths.tighten_private_dirs() == []
    assert mode_of(paths.config_dir()) == mode_of(paths.base_data_dir()) == 0o700
    os.chmod(paths.base_data_dir(), 0o750)
    ui_state.save("instances", {"sort": "name"})  # a write also tightens the dir it writes into
    assert mode_of(paths.base_data_dir()) == 0o700

    os.chmod(paths.config_dir(), 0o777)

    def refuse(path, mode):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    assert paths.tighten_private_dirs() == [
        f"{paths.config_dir()} can be read by other users (mode 0777) and could not be made private: Operation not permitted"
    ]


def test_a_dir_the_user_typed_for_an_export_is_not_chmod_ed(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    history = ChatHistory(default_path())
    conversation = history.create_conversation(title="t")
    history.add_user_message(conversation.id, "hello")
    written = history.export_to_file(conversation.id, shared / "new" / "out.md")
    history.close()
    assert mode_of(shared) == 0o755 and mode_of(written.parent) == 0o700


def test_the_app_shows_a_dir_it_could_not_make_private(monkeypatch, capsys):
    paths.base_data_dir().mkdir(mode=0o700)
    os.chmod(paths.base_data_dir(), 0o775)
    monkeypatch.setattr(os, "chmod", lambda path, mode: (_ for _ in ()).throw(PermissionError(1, "Operation not permitted")))
    shown = {}
    monkeypatch.setattr(cli, "_run_app", lambda args, settings, warnings: shown.setdefault("warnings", warnings) and 0)
    monkeypatch.setenv("BARRACK_API_KEY", KEY)
    cli.main(["--base-url", "https://api.example.test"])
    assert shown["warnings"] == [
        f"{paths.base_data_dir()} can be read by other users (mode 0775) and could not be made private: Operation not permitted"
    ]


# --- the demo's own data dir -------------------------------------------------------------------------------


async def test_the_demo_keeps_its_ui_state_and_chats_apart_from_the_real_accounts():
    real = make_harness(initial_mode="instances")
    async with real.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, polls=("instances",))
        await pilot.press("o")
        await settle(pilot)
    real_state = json.loads(paths.ui_state_file().read_text())
    assert paths.ui_state_file() == paths.base_data_dir() / "ui-state.json"

    demo = make_harness(initial_mode="instances", demo=True)
    async with demo.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, polls=("instances",))
        for _ in range(3):
            await pilot.press("o")
        await settle(pilot)
        assert paths.data_dir() == paths.demo_data_dir()
        assert ui_state.load("instances") != real_state["instances"]
    assert json.loads((paths.base_data_dir() / "ui-state.json").read_text()) == real_state  # untouched by the demo
    assert (paths.demo_data_dir() / "ui-state.json").exists()
    assert default_path(demo=True) == paths.demo_data_dir() / "chat.sqlite3"
    assert default_path() == paths.base_data_dir() / "chat.sqlite3"

    again = make_harness(initial_mode="instances")  # a real session after a demo is back in the real dir
    assert paths.data_dir() == paths.base_data_dir() and again.app.demo is False


def test_an_earlier_versions_demo_history_moves_into_the_demo_dir():
    legacy = paths.base_data_dir() / "demo-chat.sqlite3"
    old = ChatHistory(legacy)
    old.create_conversation(title="an old demo chat")
    old.close()
    moved = ChatHistory(default_path(demo=True))
    assert [c.title for c in moved.list_conversations()] == ["an old demo chat"]
    moved.close()
    assert not legacy.exists() and mode_of(paths.demo_data_dir()) == 0o700

"""The command line: `sim` prints how to reach it, `config path`, and `auth login|status|logout` (key never in argv)."""

from __future__ import annotations

import io
import os
import stat
import sys

import keyring
import pytest

from barrack_tui.account import auth, paths
from barrack_tui.cli import main as cli
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.server import start_background
from barrack_tui.sim.state import DEMO_API_KEY
from tests.shell.fake_keyrings import MemoryKeyring


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


def test_sim_prints_its_url_and_key_and_stays_on_loopback(monkeypatch, capsys):
    served = {}
    monkeypatch.setattr("barrack_tui.sim.server.serve", lambda **kw: served.update(kw))
    code, out, _ = run_cli(monkeypatch, capsys, ["sim", "--port", "0"])
    assert code == 0
    assert f"http://127.0.0.1:{served['port']}" in out and DEMO_API_KEY in out
    assert served["host"] == "127.0.0.1" and served["allow_remote"] is False


def test_a_host_named_explicitly_is_served_with_a_warning(monkeypatch, capsys):
    served = {}
    monkeypatch.setattr("barrack_tui.sim.server.serve", lambda **kw: served.update(kw))
    code, _, err = run_cli(monkeypatch, capsys, ["sim", "--host", "0.0.0.0", "--port", "8799"])
    assert code == 0 and served["allow_remote"] is True and "WARNING" in err


def test_config_path_and_help(monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, ["config", "path"])
    assert code == 0 and out.strip() == str(paths.default_config_file())
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    for command in ("sim", "auth", "config", "ssh-config", "--demo", "--read-only"):
        assert command in text


def test_login_validates_then_stores_in_a_secure_keyring_and_status_masks_it(monkeypatch, capsys, sim):
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    code, out, err = run_cli(monkeypatch, capsys, ["--base-url", sim.url, "auth", "login", "--with-key"], sim.api_key + "\n")
    assert code == 0, err
    assert backend.entries == {(auth.SERVICE, sim.url): sim.api_key}
    assert sim.api_key not in out + err
    code, out, _ = run_cli(monkeypatch, capsys, ["--base-url", sim.url, "auth", "status"])
    assert code == 0 and auth.mask_key(sim.api_key) in out and "OS keyring" in out and sim.api_key not in out
    code, out, _ = run_cli(monkeypatch, capsys, ["--base-url", sim.url, "auth", "logout"])
    assert code == 0 and backend.entries == {}


def test_a_wrong_key_is_not_stored(monkeypatch, capsys, sim):
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    code, _, err = run_cli(monkeypatch, capsys, ["--base-url", sim.url, "auth", "login", "--with-key"], "wrong-key-123\n")
    assert code == 1 and "401" in err and backend.entries == {}


def test_without_a_secure_keyring_login_stores_nothing_and_explains_the_choices(monkeypatch, capsys, sim):
    code, _, err = run_cli(monkeypatch, capsys, ["--base-url", sim.url, "auth", "login", "--with-key"], sim.api_key + "\n")
    assert code == 3
    for choice in ("BARRACK_API_KEY", "gnome-keyring-daemon --unlock", "--insecure-storage"):
        assert choice in err
    assert not paths.insecure_key_file().exists()


def test_insecure_storage_writes_a_0600_file_and_names_it(monkeypatch, capsys, sim):
    old = os.umask(0o022)
    try:
        code, _, err = run_cli(
            monkeypatch, capsys, ["--base-url", sim.url, "auth", "login", "--with-key", "--insecure-storage"], sim.api_key + "\n"
        )
    finally:
        os.umask(old)
    path = paths.insecure_key_file()
    assert code == 0 and str(path) in err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

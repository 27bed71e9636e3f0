"""The API key's storage: secure keyrings only, the opt-in 0600 file, timeouts, and logout."""

from __future__ import annotations

import os
import stat
import time

import keyring
import pytest
from keyring.backends import fail, null

from barrack_tui.account import auth, paths
from tests.shell.fake_keyrings import HangingKeyring, MemoryKeyring, PlaintextKeyring

URL = "https://api.example.test"
KEY = "canary-SECRET-key-1234"


def test_secure_keyring_round_trip_stores_resolves_and_logout_removes():
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    where, path = auth.store_key(URL, KEY, timeout=2)
    assert where is auth.KeySource.KEYRING and path is None
    assert backend.entries == {(auth.SERVICE, URL): KEY}  # the probe's canary is gone
    resolved = auth.resolve_key(URL, timeout=2)
    assert resolved == auth.ResolvedKey(KEY, auth.KeySource.KEYRING)
    assert auth.delete_stored_keys(URL, timeout=2) == ["OS keyring"]
    assert backend.entries == {}
    assert auth.resolve_key(URL, timeout=2) is None


@pytest.mark.parametrize("backend", [null.Keyring(), fail.Keyring(), PlaintextKeyring()], ids=["null", "fail", "plaintext"])
def test_insecure_backends_are_refused_and_nothing_is_stored(backend):
    keyring.set_keyring(backend)
    status = auth.probe_keyring(timeout=2)
    assert not status.secure and status.reason
    with pytest.raises(auth.KeyringUnavailable):
        auth.store_key(URL, KEY, timeout=2)
    assert not paths.insecure_key_file().exists()
    if isinstance(backend, PlaintextKeyring):
        assert backend.entries == {}


def test_environment_variable_wins(monkeypatch):
    keyring.set_keyring(MemoryKeyring())
    auth.store_key(URL, "stored-key-9999", timeout=2)
    monkeypatch.setenv("BARRACK_API_KEY", KEY)
    assert auth.resolve_key(URL, timeout=2) == auth.ResolvedKey(KEY, auth.KeySource.ENV)


def test_insecure_file_is_0600_under_umask_022_and_logout_deletes_it():
    old = os.umask(0o022)
    try:
        where, path = auth.store_key(URL, KEY, insecure_storage=True, timeout=2)
    finally:
        os.umask(old)
    assert where is auth.KeySource.FILE and path == paths.insecure_key_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert auth.resolve_key(URL, timeout=2) == auth.ResolvedKey(KEY, auth.KeySource.FILE)
    assert [p for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert auth.delete_stored_keys(URL, timeout=2) == [str(path)]
    assert not path.exists()


def test_hanging_keyring_errors_within_the_timeout():
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    started = time.monotonic()
    status = auth.probe_keyring(timeout=0.3)
    assert time.monotonic() - started < 2
    assert not status.secure and "did not answer within" in status.reason
    backend.release.set()


def test_masked_key_and_repr_never_show_the_key():
    resolved = auth.ResolvedKey(KEY, auth.KeySource.ENV)
    assert auth.mask_key(KEY) == "••••1234"
    assert KEY not in repr(resolved) and KEY not in str(resolved)

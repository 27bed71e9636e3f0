"""Fixtures shared by every suite: isolated config/data dirs, no ambient key, no real keyring."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Each test gets its own config and data dirs, no BARRACK_* from the developer's shell."""
    for name in ("BARRACK_API_KEY", "BARRACK_BASE_URL", "BARRACK_CONFIG", "BARRACK_REGION", "BARRACK_READ_ONLY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BARRACK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BARRACK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture(autouse=True)
def no_real_keyring():
    """Tests never touch the developer's keyring: the null backend unless a test installs a fake."""
    import keyring
    from keyring.backends import null

    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def heap_unfrozen():
    """An app that saw a big fleet froze the heap (tui/heap.py): the next test starts with it thawed."""
    import gc

    yield
    gc.unfreeze()

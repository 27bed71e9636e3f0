"""Fixtures shared by every suite: isolated config/data dirs, no ambient key, no real keyring."""

from __future__ import annotations

import pytest
import textual._wait

# Pilot's pause and key presses wait until the process looks idle: it sleeps in steps and stops after a
# step in which the process used under 1/20 of the step's time. Textual's step is 20 ms, so each pause
# costs at least 20 ms of doing nothing, and the suite's thousands of pauses and typed characters left
# the workers idle a third of the time. A 2 ms step keeps the same test (under 1/20 busy) and the same
# 1 s ceiling; work in flight still keeps the wait going, it just ends sooner once the work is done.
textual._wait.SLEEP_GRANULARITY = 0.002
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


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
    """An app that saw a big fleet froze the heap (tui/shell/heap.py): the next test starts with it thawed."""
    import gc

    yield
    gc.unfreeze()


@pytest.fixture
def sim():
    """The demo account in the in-process simulator, on a fake clock: time moves only when a test says so."""
    from barrack_tui.sim.clock import FakeClock
    from barrack_tui.sim.seed import seed_demo

    return seed_demo(FakeClock())


@pytest.fixture
def harness(sim):
    """The real app against `sim` (tests/harness.py: `.app`, `.state`, `.advance(s)`, `.poll(*kinds)`)."""
    from tests.harness import make_harness

    return make_harness(state=sim)


@pytest.fixture
def app(harness):
    """The app `harness` drives (not yet running: `pilot` runs it)."""
    return harness.app


@pytest.fixture
async def pilot(harness):
    """The app running at 120x40 with its first polls in; a test needing another size or mode runs its own."""
    from tests.harness import settle

    async with harness.app.run_test(size=(120, 40)) as running:
        await harness.poll()
        await settle(running)
        yield running


# What makes a test a UI test: it drives the app (Pilot, snapshots, the shared harness) or a real
# terminal. `pytest -m "not ui"` is the fast lane: models, rules, client, simulator, local stores.
UI_MARKERS = ("run_test(", "snap_compare", "make_harness", "chat_harness", "volumes_support", "firewalls_support",
              "resources_support", "pty.", "pilot")


def pytest_configure(config):
    config.addinivalue_line("markers", "ui: drives the app or a terminal (deselect with -m 'not ui' for the fast lane)")


def pytest_collection_modifyitems(config, items):
    verdicts: dict[str, bool] = {}
    for item in items:
        path = str(item.path)
        if path not in verdicts:
            text = item.path.read_text(errors="replace")
            verdicts[path] = any(marker in text for marker in UI_MARKERS)
        if verdicts[path]:
            item.add_marker(pytest.mark.ui)

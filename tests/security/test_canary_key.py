"""A canary API key, with every logger at DEBUG, ends up in the chosen store and nowhere else.

Two sessions against a loopback simulator that accepts only the canary (a
real socket, so httpx/httpcore/h11 and uvicorn log as they would in use):
the app, signed in through its login screen by typing the key, polling every
screen, then hitting a 500 and a 401; and the `auth` commands storing it in
the opt-in 0600 file. Afterwards the log file, every exception's text and
traceback, the notifications, screenshots and every file under the test's
config/data/home directories are searched for the key.
"""

from __future__ import annotations

import io
import logging
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from barrack_tui.account import auth
from barrack_tui.account.config import Settings
from barrack_tui.api.errors import ApiError, AuthError, ServerError
from barrack_tui.cli import main as cli
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.server import start_background
from barrack_tui.tui.shell.app import BarrackApp
from barrack_tui.tui.shell.login import LoginScreen
from tests.harness import wait_until
from tests.shell.fake_keyrings import MemoryKeyring, PlaintextKeyring

CANARY = "canary-7f3a-SECRET-do-not-log-91c2"
NOISY_LOGGERS = ("", "barrack_tui", "httpx", "httpcore", "h11", "uvicorn", "uvicorn.error", "asyncio", "keyring", "textual")


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every logger at DEBUG into one file, as a user chasing a bug would run it."""
    path = tmp_path / "logs" / "debug.log"
    path.parent.mkdir()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    root.addHandler(handler)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def canary_sim():
    running = start_background(state=seed_demo(FakeClock()), api_key=CANARY)
    try:
        yield running
    finally:
        running.stop()


def files_holding(root: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return sorted(p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes())


def error_texts(exc: BaseException) -> list[str]:
    """Everything an exception can put in front of a person or into a bug report."""
    return [str(exc), repr(exc), "".join(traceback.format_exception(exc)), repr(getattr(exc, "details", None))]


async def test_canary_in_an_app_session_reaches_only_the_keyring(tmp_path, debug_log, canary_sim, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    store = MemoryKeyring()
    keyring.set_keyring(store)
    settings = Settings()
    settings.base_url = canary_sim.url
    app = BarrackApp(settings, look_up_stored_key=True, keyring_timeout=2.0)
    texts: list[str] = []
    shots = tmp_path / "shots"
    shots.mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        # The screen is current before it has composed its widgets: wait for the key box itself.
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, LoginScreen) and bool(app.screen.query("#login-key")),
            what="the login screen's key box",
        )
        await pilot.click("#login-key")
        await pilot.press(*CANARY)  # typed, key by key, as a user pastes it
        (shots / "login-typed.svg").write_text(app.export_screenshot())
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, LoginScreen), timeout=10, what="sign-in")
        waits: list[float] = []

        async def no_wait(seconds: float) -> None:
            waits.append(seconds)  # the 500s below are retried with backoff: counted, not slept (~2.3 s)

        app.client._sleep = app.poll_client._sleep = no_wait
        await app.store.refresh()
        for key in "2345671":
            await pilot.press(key)
            await pilot.pause()
            (shots / f"mode-{key}.svg").write_text(app.export_screenshot())
        texts += [repr(app.client), repr(app.poll_client), repr(app._key), app.masked_key]

        # A 500 on a poll and on an action.
        canary_sim.faults.error_rate = 1.0
        await app.store.refresh()
        for call in (app.client.get_balance(), app.client.stop_instance("ins-0001")):
            with pytest.raises(ServerError) as failed:
                await call
            texts += error_texts(failed.value)
        canary_sim.faults.clear()

        # The key is revoked: a 401 on a poll sends the user back to sign in, with the reason.
        canary_sim.state.api_key = "rotated-key-0000"
        with pytest.raises(AuthError) as refused:
            await app.client.list_instances()
        texts += error_texts(refused.value)
        await app.store.refresh()
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), what="the login screen after a 401")
        (shots / "after-401.svg").write_text(app.export_screenshot())
        texts += [status.last_error or "" for status in app.store.schedule.kinds.values()]
        texts += [str(n.message) for n in app._notifications]
        texts += [f"{w.name} {w.error!r}" for w in app.workers if w.error is not None]
        for worker in app.workers:
            if isinstance(worker.error, ApiError):
                texts += error_texts(worker.error)

    assert store.entries[(auth.SERVICE, canary_sim.url)] == CANARY  # the chosen store holds it
    assert waits  # the failing calls really went through the retries
    assert any("401" in text for text in texts) and any("500" in text for text in texts)
    assert not [text for text in texts if CANARY in text]
    log = debug_log.read_text(encoding="utf-8")
    # The log really recorded the session, answers of both failures included.
    assert "HTTP Request: GET" in log and "401 Unauthorized" in log and "500 Internal Server Error" in log
    assert CANARY not in log
    assert len(list(shots.iterdir())) == 9
    assert files_holding(tmp_path, CANARY) == []


def test_canary_with_the_file_store_is_in_that_file_only(tmp_path, debug_log, canary_sim, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    keyring.set_keyring(PlaintextKeyring())  # no secure keyring: the user opts into the 0600 file
    base = ["--base-url", canary_sim.url, "auth"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(CANARY + "\n"))
    assert cli.main([*base, "login", "--with-key", "--insecure-storage"]) == 0
    assert cli.main([*base, "status"]) == 0
    canary_sim.faults.error_rate = 1.0
    assert cli.main([*base, "status"]) == 1
    canary_sim.faults.clear()
    canary_sim.state.api_key = "rotated-key-0000"
    assert cli.main([*base, "status"]) == 1
    out = capsys.readouterr()
    assert "500" in out.out and "401" in out.out
    assert CANARY not in out.out and CANARY not in out.err
    assert CANARY not in debug_log.read_text(encoding="utf-8")

    chosen = auth.paths.insecure_key_file()
    assert files_holding(tmp_path, CANARY) == [chosen]
    assert chosen.stat().st_mode & 0o777 == 0o600

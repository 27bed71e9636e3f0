"""The first frame: painted before any data arrives, with nothing heavy imported that it does not draw.

Each case starts the app as `barrack-tui` does, in a fresh interpreter, and
looks at the first frame it paints. On the real-account path the API answers
slowly (1.5 s per request), so a first frame that waited for data would show it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.server import start_background

REPO = Path(__file__).resolve().parents[2]

# Modules the first frame does not draw: the simulator's web stack, the chat and markdown stack, local
# stores, key generation, the keyring (the key comes from the environment here), the other areas' screens,
# the spend view's chart library, and the wire itself: the HTTP client, pydantic and the models (with msgspec,
# which reads their answers) load when the session starts, after the first frame, and the shell names only
# the plain enums, errors and routes; the budget alerts and watches (the spend logic) come with the first data,
# and so do the rules: the first frame prices nothing (the header says "…" until something is read).
DENIED = (
    "fastapi", "uvicorn", "starlette", "cryptography", "keyring", "sqlite3", "_sqlite3", "markdown_it",
    "rich.markdown", "textual.widgets._markdown", "barrack_tui.sim", "barrack_tui.chat.history",
    "barrack_tui.chat.export", "barrack_tui.chat.context", "barrack_tui.account.ssh_config",
    "barrack_tui.tui.areas.chat", "barrack_tui.tui.areas.instances", "barrack_tui.tui.areas.volumes",
    "barrack_tui.tui.areas.firewalls", "barrack_tui.tui.areas.keys", "barrack_tui.tui.areas.snapshots",
    "barrack_tui.tui.areas.activity", "barrack_tui.tui.areas.spend", "plotext", "textual_plotext",
    "pydantic", "pydantic_core", "httpx", "httpcore", "h11", "anyio", "msgspec", "certifi",
    "barrack_tui.api.client", "barrack_tui.api.client_base", "barrack_tui.api.models", "barrack_tui.api.tolerant",
    "barrack_tui.api.compact", "barrack_tui.api.keyed_read", "barrack_tui.api.retry", "barrack_tui.api.stream",
    "barrack_tui.spend", "barrack_tui.tui.shell.alerts", "barrack_tui.rules.firewalls", "barrack_tui.rules.volumes",
    "barrack_tui.rules.resources", "barrack_tui.rules.listing", "barrack_tui.rules",
    "barrack_tui.api.early_fetch", "barrack_tui.api.first_look", "barrack_tui.api.fleet_look",
)
# --demo: the simulator runs in a child process, so none of it is in the app's.
DENIED_IN_DEMO = ("fastapi", "uvicorn", "starlette", "barrack_tui.sim.server", "barrack_tui.sim.state", "barrack_tui.sim.app")


def denied(modules: list[str], deny: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == d or m.startswith(d + ".") for d in deny))


def first_frame(tmp_path: Path, *argv: str, key: str | None = None, then_data: bool = False) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BARRACK_", "TEXTUAL", "FIRST_FRAME_"))}
    env.update(HOME=str(tmp_path / "home"), BARRACK_CONFIG_DIR=str(tmp_path / "config"),
               BARRACK_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    if key:
        env["BARRACK_API_KEY"] = key
    if then_data:
        env["FIRST_FRAME_THEN_DATA"] = "1"
    out = subprocess.run([sys.executable, "-m", "tests.startup.first_frame_modules", *argv],
                         capture_output=True, text=True, env=env, cwd=REPO, timeout=90)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def slow_api():
    with start_background(faults=FaultConfig(latency=1.5)) as running:
        yield running


def test_the_first_frame_is_the_shell_drawn_before_the_first_answer(slow_api, tmp_path):
    frame = first_frame(tmp_path, "--base-url", slow_api.url, key=slow_api.api_key)
    assert frame["screen"] == "RegionsScreen"
    assert frame["loaded"] == [], "the first frame waited for data"
    for shown in ("barrack", "Regions", "Loading regions", "Keys"):
        assert shown in frame["text"], f"{shown!r} is not on the first frame: {frame['text'][:600]}"
    assert "burn …" in frame["text"], "the burn rate is claimed before the fleet was read"


def test_the_first_frame_imports_nothing_on_the_deny_list(slow_api, tmp_path):
    frame = first_frame(tmp_path, "--base-url", slow_api.url, key=slow_api.api_key)
    assert denied(frame["modules"], DENIED) == []


def test_the_data_follows_the_first_frame(tmp_path):
    # The session starts after the first frame, loading the client in a thread: it must still start.
    with start_background() as running:
        frame = first_frame(tmp_path, "--base-url", running.url, key=running.api_key, then_data=True)
    assert frame["loaded"] == [] and denied(frame["modules"], DENIED) == []
    assert "instances" in frame["loaded_later"]


def test_the_demo_app_process_holds_none_of_the_simulator(tmp_path):
    frame = first_frame(tmp_path, "--demo")
    assert frame["screen"] == "RegionsScreen" and "DEMO" in frame["text"]
    assert denied(frame["modules"], DENIED_IN_DEMO) == []

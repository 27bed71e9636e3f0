"""The real app in a real (pseudo-)terminal against hostile server strings: none reaches the byte stream.

Every resource of the demo account carries a terminal attack in its name
(clear screen, window title, hyperlink, OSC 52 clipboard write, cursor
report request, 8-bit CSI, bare CR) or Textual markup; the chat is asked a
question whose answer echoes those names. The test drives every screen with
keys written to the pty, reads everything the app writes, and checks that no
hostile sequence is in it, that the names were drawn as visible escapes or
literal text, and that the app runs until `q` and exits 0.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.security.hostile import FORBIDDEN_BYTES, VISIBLE_TEXT
from tests.security.pty_terminal import PtyProcess, visible_text

REPO = Path(__file__).resolve().parents[2]
ESC = b"\x1b"


@pytest.fixture
def app_in_pty(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BARRACK_", "TEXTUAL", "COLUMNS", "LINES"))
    }
    env.update(
        TERM="xterm-256color",
        HOME=str(tmp_path / "home"),
        BARRACK_CONFIG_DIR=str(tmp_path / "config"),
        BARRACK_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO),
        PYTHONDONTWRITEBYTECODE="1",
    )
    terminal = PtyProcess([sys.executable, "-m", "tests.security.pty_app"], env=env, cwd=str(REPO))
    try:
        yield terminal
    finally:
        terminal.close()


@pytest.mark.timeout(150)
def test_hostile_names_and_chat_answer_never_reach_the_terminal(app_in_pty: PtyProcess) -> None:
    term = app_in_pty
    assert term.wait_for_text("barrack", timeout=30), f"no first frame: {term.output[-2000:]!r}"
    term.settle()

    for key in b"234561":  # every mode screen, back to Regions
        term.write(bytes([key]))
        term.settle()
        assert term.alive(), f"the app died on key {chr(key)}: {visible_text(term.output[-3000:])}"

    # AI Chat opens on its conversation list; `i` moves to the question box. Its cursor blinks every
    # 0.5 s, so "settled" here means quiet for 0.4 s.
    opened_at = len(term.output)
    term.write(b"7")
    assert term.wait_for_text("Enter sends", since=opened_at), "AI Chat never opened"
    term.settle(quiet=0.4)
    term.write(b"c")  # attach the account summary, so the answer names the hostile instances
    term.settle(quiet=0.4)
    term.write(b"i")
    term.settle(quiet=0.4)
    asked_at = len(term.output)
    term.write(b"What runs where?")
    term.settle(quiet=0.3)
    term.write(b"\r")
    assert term.wait_for_text("From the account summary", since=asked_at, timeout=30), "the chat answer never arrived"
    term.settle(quiet=0.4)
    term.write(ESC)  # leave the question box so letter keys are commands again
    term.settle(quiet=0.4)

    assert term.alive(), "the app exited before it was asked to"
    stream = term.output
    leaked = {name: needle for name, needle in FORBIDDEN_BYTES.items() if needle in stream}
    assert not leaked, f"hostile sequences reached the terminal: {leaked}"
    assert "\u009b31m".encode() not in stream
    shown = visible_text(stream)
    missing = {name: text for name, text in VISIBLE_TEXT.items() if text not in shown}
    assert not missing, f"hostile names were not drawn as visible text: {missing}"
    answer = visible_text(stream[asked_at:])
    echoed = [text for text in VISIBLE_TEXT.values() if text in answer]
    assert len(echoed) >= 3, f"the chat answer did not echo the hostile names: {answer[-1500:]}"

    term.write(b"q")
    assert term.wait_exit(timeout=20) == 0

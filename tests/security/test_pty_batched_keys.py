"""Keys written to a real terminal in one chunk, as an SSH session delivers them: the text box gets them all.

The real app runs in a pty (Textual's Linux driver and its input parser, as
a user has it). Each string is ONE write, so the app reads the focusing key
and the letters after it together. After each, the window is resized, which
makes the app repaint every line, so the screen can be read whole: the typed
text is drawn in the box, and no dialog that
one of the letters would open (delete, export) is on screen.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import sys
import termios
from pathlib import Path

import pytest

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


def repainted(term: PtyProcess, columns: int, since: int) -> str:
    """Resize the window (the app repaints) and return the text drawn since byte `since`."""
    fcntl.ioctl(term.master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    term.settle(quiet=0.4)
    return visible_text(term.output[since:])


def one_read(term: PtyProcess, data: bytes) -> None:
    term.write(data)
    term.settle(quiet=0.4)
    assert term.alive(), f"the app died after {data!r}: {visible_text(term.output[-3000:])}"


@pytest.mark.timeout(150)
def test_a_focusing_key_and_the_letters_after_it_in_one_read(app_in_pty: PtyProcess) -> None:
    term = app_in_pty
    assert term.wait_for_text("barrack", timeout=30), f"no first frame: {term.output[-2000:]!r}"
    term.settle()
    one_read(term, b"2")
    assert term.wait_for_text("Instances", timeout=15)
    term.settle(quiet=0.4)
    width = 120

    # `/` then `eval`: e restores, v, a and l are commands of the fleet table.
    since = len(term.output)
    one_read(term, b"/eval")
    width = 121 if width == 120 else 120
    screen = repainted(term, width, since)
    assert re.search(r"▊\s*eval\s*▎", screen), screen[-3000:]  # the filter box, drawn holding "eval"
    assert "RESTORING" not in screen and "Add rule" not in screen

    # Escape reverts the filter; `/dev` (d deletes the selected instance).
    one_read(term, ESC)
    since = len(term.output)
    one_read(term, b"/dev")
    width = 121 if width == 120 else 120
    screen = repainted(term, width, since)
    assert re.search(r"▊\s*dev\s*▎", screen), screen[-3000:]
    assert "Delete instance" not in screen
    one_read(term, ESC)

    # `n` opens the deploy wizard with its name box focused: the name is typed into it.
    since = len(term.output)
    one_read(term, b"ntrain-dev")
    width = 121 if width == 120 else 120
    screen = repainted(term, width, since)
    assert "train-dev" in screen, screen[-3000:]
    asked_at = len(term.output)
    one_read(term, ESC)
    if term.wait_for_text("Discard", since=asked_at, timeout=2):  # a form with changes asks before it closes
        one_read(term, b"\r")

    # AI Chat opens on its conversation list; 7, i and the question in one read land in the question box.
    since = len(term.output)
    one_read(term, b"7iwhat runs")
    width = 121 if width == 120 else 120
    screen = repainted(term, width, since)
    assert "what runs" in screen and "iwhat runs" not in screen, screen[-3000:]
    assert "No AI usage yet" not in screen  # u (usage) stayed a letter

    # Escape leaves the box; `i` and the question in one read: i returns to the box, e (export) is text.
    one_read(term, b"\x15")  # ctrl+u empties the box
    one_read(term, ESC)
    since = len(term.output)
    one_read(term, b"ihello")
    width = 121 if width == 120 else 120
    screen = repainted(term, width, since)
    assert "hello" in screen and "ihello" not in screen, screen[-3000:]
    assert "Leave empty to save in" not in screen  # the export dialog

    assert term.alive()
    one_read(term, ESC)
    term.write(b"q")
    assert term.wait_exit(20) == 0

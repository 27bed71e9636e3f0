"""Desktop notifications through the terminal: OSC 9, OSC 777 or the bell, whichever the terminal understands.

The escape sequence travels with the app's output, so a notification raised on
a bastion reaches the desktop of whoever holds the terminal, through SSH and
tmux. Which sequence to send is guessed from what the environment says about
the terminal: variables the terminal sets itself (`TERM_PROGRAM`,
`KITTY_WINDOW_ID`, ...) do not cross SSH, but `TERM` does, and so does
`LC_TERMINAL` (iTerm2 sets it, and ssh sends `LC_*` by default on most
systems). A terminal that is not recognised gets the bell, which every
terminal turns into something (a sound, a flash, an urgency hint).

Sequences are written through the app's driver, in order with the frames it
draws, never printed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

OSC9 = "osc9"
OSC777 = "osc777"
OSC99 = "osc99"
BELL = "bell"
OFF = "off"
AUTO = "auto"
MODES = (AUTO, OSC9, OSC777, OSC99, BELL, OFF)

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"
# A notification is a line or two on a desktop; longer text is cut rather than flooding the terminal.
MAX_TEXT = 240
# Controls (C0, DEL, C1) would end the sequence early or start another one: each becomes a space.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def detect(env: Mapping[str, str]) -> str:
    """The protocol this terminal is known to show as a desktop notification, else the bell."""
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    if program == "iTerm.app" or env.get("LC_TERMINAL") == "iTerm2" or "ITERM_SESSION_ID" in env:
        return OSC9
    if term == "xterm-kitty" or "KITTY_WINDOW_ID" in env:
        return OSC99  # kitty's own protocol, which every kitty with notifications reads
    if program == "WezTerm" or term == "wezterm" or "WEZTERM_PANE" in env:
        return OSC777
    if program == "ghostty" or term == "xterm-ghostty" or "GHOSTTY_RESOURCES_DIR" in env:
        return OSC777
    if term.startswith("foot"):
        return OSC777
    return BELL


def wrapper(env: Mapping[str, str]) -> str:
    """"tmux" or "screen" when the sequence must be passed through a multiplexer to reach the terminal."""
    if "TMUX" in env:
        return "tmux"
    if "STY" in env and env.get("TERM", "").startswith("screen"):
        return "screen"
    return ""


def clean(text: str, limit: int = MAX_TEXT) -> str:
    text = _CONTROLS.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sequence(protocol: str, title: str, body: str) -> str:
    """The bytes that ask the terminal for a notification titled `title` saying `body`."""
    title, body = clean(title, 60), clean(body)
    if protocol == OSC9:
        # iTerm2's form has no title: it goes first. A body starting "4;" would read as ConEmu's progress bar.
        return f"{ESC}]9;{title}: {body}{BEL}"
    if protocol == OSC777:
        # The title is one field of a ;-separated list.
        return f"{ESC}]777;notify;{title.replace(';', ',')};{body}{BEL}"
    if protocol == OSC99:
        # kitty's: metadata first (none here), then the text, ended by ST as its specification writes it.
        return f"{ESC}]99;;{title}: {body}{ST}"
    if protocol == BELL:
        return BEL
    return ""


def passed_through(data: str, multiplexer: str) -> str:
    """`data` wrapped so tmux (with `allow-passthrough on`) or screen hands it to the outer terminal unchanged."""
    if not data or data == BEL or not multiplexer:
        return data  # a multiplexer forwards the bell by itself
    if multiplexer == "tmux":
        return f"{ESC}Ptmux;{data.replace(ESC, ESC + ESC)}{ST}"
    return f"{ESC}P{data}{ST}"


class TerminalNotifier:
    """Sends notifications to the terminal through `write` (the app's driver); `mode` comes from the config."""

    def __init__(self, write: Callable[[str], None], mode: str = AUTO, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        self._write = write
        self.protocol = OFF if mode == OFF else detect(env) if mode == AUTO else mode
        self.multiplexer = wrapper(env)

    def notify(self, title: str, body: str) -> str:
        """Ring the terminal; returns what was written ("" when switched off)."""
        data = passed_through(sequence(self.protocol, title, body), self.multiplexer)
        if data:
            self._write(data)
        return data

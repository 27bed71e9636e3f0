"""Hostile server strings, and a demo account whose every name and description carries one.

The simulator stores and sends raw strings (ARCHITECTURE.md invariant 5), so
these reach the client byte for byte; only the client's sanitizer and
plain-text rendering stand between them and the terminal.
"""

from __future__ import annotations

from barrack_tui.sim.state import SimState

# name -> payload, the cases a hostile server would try.
PAYLOADS: dict[str, str] = {
    "clear-screen": "\x1b[2J",
    "window-title": "\x1b]0;x\x07",
    "hyperlink": "\x1b]8;;http://e\x1b\\",
    "clipboard-write": "\x1b]52;c;Zm9v\x07",
    "cursor-report": "\x1b[6n",
    "c1-csi": "\x9b31m",
    "carriage-return": "abc\rXYZ",
    "click-markup": "[@click=app.quit]x[/]",
    "closing-tag": "gpu [/bold] box",
}

# What must never reach the terminal's byte stream. The app's own sequences are allowed, so the
# two payloads a terminal app might legitimately emit (clear screen, carriage return) are checked
# with the name text around them, which only a server string can put there.
FORBIDDEN_BYTES: dict[str, bytes] = {
    "clear-screen": b"clr\x1b[2J",
    "window-title": b"\x1b]0;x",
    "hyperlink": b"\x1b]8;;http://e",
    "clipboard-write": b"\x1b]52;c;Zm9v",
    "cursor-report": b"\x1b[6n",
    "c1-csi": b"\x9b31m",  # also matches its UTF-8 form b"\xc2\x9b31m"
    "carriage-return": b"abc\rXYZ",
}

# Shown as plain text, these prove the hostile names were really drawn (sanitized, not dropped).
VISIBLE_TEXT: dict[str, str] = {
    "clipboard-write": "\\x1b]52;c;Zm9v\\x07",
    "c1-csi": "\\x9b31m",
    "carriage-return": "abc\\x0dXYZ",
    "click-markup": "[@click=app.quit]x[/]",
    "closing-tag": "gpu [/bold] box",
}


def hostile_names() -> list[str]:
    """One name per payload, each with a short lead so it is recognisable (and `clr` marks the clear)."""
    leads = {"clear-screen": "clr"}
    return [f"{leads.get(name, 'h')}{payload}" for name, payload in PAYLOADS.items()]


def seed_hostile(state: SimState) -> SimState:
    """Give every instance, volume, firewall, key, script, snapshot and image a hostile name (in turn)."""
    names = hostile_names()
    kinds = [state.instances, state.volumes, state.firewalls, state.ssh_keys, state.scripts, state.snapshots,
             state.images]
    for offset, kind in enumerate(kinds):
        # Shifted per kind so the 8 demo instances and 7 volumes between them carry all nine
        # (the chat's "what runs where" answer echoes both).
        for index, record in enumerate(kind.values()):
            record.name = names[(index + offset * 8) % len(names)]
    for index, record in enumerate(state.instances.values()):
        record.image_name = names[(index + 3) % len(names)]
    for kind in (state.firewalls, state.snapshots, state.images):
        for index, record in enumerate(kind.values()):
            record.description = names[(index + 5) % len(names)]
    for record in state.scripts.values():
        record.content = "#!/bin/sh\n" + "\n".join(f"echo '{name}'" for name in names) + "\n"
    return state

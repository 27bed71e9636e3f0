"""Handing the terminal to `ssh`: what the user reads while it connects, and who gets Ctrl+C.

While the app is suspended the terminal is back in its normal mode, so
Ctrl+C raises SIGINT in every process of the foreground group: ssh and the
app alike. Python's default handler would turn it into KeyboardInterrupt in
the app, which ends the whole session. `ctrl_c_goes_to_ssh` installs a
handler that does nothing for the length of the ssh run: a caught signal is
reset to its default in a child at exec, so ssh still gets SIGINT as usual
(an ignored one, SIG_IGN, would be inherited and ssh would keep ignoring it).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from barrack_tui.api.sanitize import sanitize_line


def connecting_text(name: str, address: str, jump_host: str | None = None) -> str:
    """The line shown while ssh connects (before it prints anything itself)."""
    via = f" via {jump_host}" if jump_host else ""
    return f"connecting to {name} ({address}{via})…"


def announce(text: str) -> None:
    """Write one line to the real terminal, where ssh is about to run (no control bytes get through)."""
    stream = sys.__stdout__
    if stream is None:
        return
    stream.write(sanitize_line(text) + "\r\n")
    stream.flush()


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """Ctrl+C while ssh runs was ssh's; the app has nothing to do."""


@contextmanager
def ctrl_c_goes_to_ssh() -> Iterator[None]:
    # Signal handlers can only be set from the main thread; elsewhere the app's handler was never Python's.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _ignore)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)

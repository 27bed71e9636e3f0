"""A pseudo-terminal to run the real app in: keys in, every byte the app writes out.

The app gets a real tty (so Textual's Linux driver, not the headless one,
draws the screen) of a fixed size set with TIOCSWINSZ; a reader thread drains
the master side continuously so the app never blocks on a full pty buffer.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping, Sequence

# The app's own control sequences, removed to see the text a user reads.
_CSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]")
_OSC = re.compile(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_OTHER_ESC = re.compile(rb"\x1b[@-Z\\-_=>()][0-9A-Za-z]?")


def visible_text(stream: bytes) -> str:
    """What a terminal would print as text (escape sequences dropped), decoded leniently."""
    text = _OTHER_ESC.sub(b"", _OSC.sub(b"", _CSI.sub(b"", stream)))
    return text.decode("utf-8", errors="replace")


class PtyProcess:
    def __init__(self, argv: Sequence[str], *, env: Mapping[str, str], cwd: str, columns: int = 120, rows: int = 40) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.master = master
        self.proc = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=dict(env), cwd=cwd,
            start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._drain, name="pty-reader", daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed its side
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._output)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_for_text(self, text: str, *, since: int = 0, timeout: float = 20.0) -> bool:
        """Until `text` is on screen (in the text written after byte offset `since`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in visible_text(self.output[since:]):
                return True
            if not self.alive():
                return False
            time.sleep(0.05)
        return False

    def settle(self, *, quiet: float = 0.6, timeout: float = 10.0) -> None:
        """Until the app has written nothing for `quiet` seconds (the screen is drawn)."""
        deadline = time.monotonic() + timeout
        size, since = len(self.output), time.monotonic()
        while time.monotonic() < deadline and self.alive():
            time.sleep(0.05)
            now_size = len(self.output)
            if now_size != size:
                size, since = now_size, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def wait_exit(self, timeout: float) -> int | None:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        self._reader.join(timeout=2)
        try:
            os.close(self.master)
        except OSError:
            pass

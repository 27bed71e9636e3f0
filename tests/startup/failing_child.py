"""A `--demo` child whose simulator fails to start after the child has announced its port (test_demo_child)."""

from __future__ import annotations

import sys

from barrack_tui.sim import child, server


def broken_start_background(**kwargs: object) -> None:
    raise RuntimeError("the seed is broken")


server.start_background = broken_start_background  # type: ignore[assignment]
child._serve("--envelope" in sys.argv[1:])

"""A `--demo` child whose first answers cannot start after it has announced its port (test_demo_child)."""

from __future__ import annotations

import sys

from barrack_tui.sim import child


def broken_first_answers(*args: object) -> None:
    raise RuntimeError("no first answers")


child._first_answers = broken_first_answers  # type: ignore[assignment]
child._serve("--envelope" in sys.argv[1:])

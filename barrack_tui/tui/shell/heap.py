"""Keep CPython's cyclic garbage collector off a big, stable heap.

A 10,000-instance fleet is ~200,000 long-lived objects (models, table rows).
While they are being built, CPython starts collections as the heap grows, each
full one walking everything so far: ~130-170 ms of a 10,000-instance first
load was collector time. Afterwards a full collection still walks them all
(~80 ms at 10,000, ~240 ms at 50,000) every few dozen polls, stalling the UI
loop mid-keystroke.

So after a poll that added many instances (the client already paused the
collector while it validated them): `hold()` pauses it while the screens build
their rows, and `release()`, after the next refresh, moves everything alive
into the permanent generation (`gc.freeze()`, which collections skip) and
resumes it. A second `freeze_long_lived()` a second later catches screens that
took longer.

Why this is safe here: models and rows hold no reference cycles, so reference
counting still frees them the moment a poll replaces them. The cost is that
cyclic garbage among the frozen objects (say, a dialog open at that moment and
closed later) is never reclaimed; that is bounded by what is alive at a few
big loads, not by how long the app runs.
"""

from __future__ import annotations

import gc

# Instances added by one poll that make the heap "big": a first load of a fleet, not everyday churn.
BIG_LOAD = 1_000
# Long enough for every screen to handle the change and build its rows, so they are frozen too.
SETTLE_SECONDS = 1.0

_held = False


def hold() -> None:
    """Pause the collector until `release` (no-op if something else already paused it)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Freeze what is alive now and resume the collector if `hold` paused it."""
    global _held
    gc.freeze()
    if _held:
        _held = False
        gc.enable()


def resume() -> None:
    """Resume the collector if `hold` paused it, freezing nothing (the app is closing before its refresh)."""
    global _held
    if _held:
        _held = False
        gc.enable()


def freeze_long_lived() -> None:
    gc.freeze()

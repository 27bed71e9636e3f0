"""Keep CPython's full garbage collections off a big, stable heap.

A 10,000-instance fleet is ~200,000 long-lived objects (models, table rows). A
full collection walks every tracked object: ~80 ms at 10,000 instances, ~250 ms
at 50,000, and CPython starts one by itself every few dozen polls, stalling the
UI loop mid-keystroke. After a load that added many instances, `gc.freeze()`
moves everything alive into the permanent generation, which collections skip:
after the next refresh (the visible screen has built its rows by then), and
again a second later.

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
# Long enough for every visible screen to handle the change and build its rows, so they are frozen too.
SETTLE_SECONDS = 1.0


def freeze_long_lived() -> None:
    gc.freeze()

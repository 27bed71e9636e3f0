"""Startup: process start -> first frame of the Regions screen with data, vs a bare Textual app.

Target (issue 8): <= 1.3x the bare app. Both are measured in fresh
interpreters, alternately, so machine noise hits both alike.
"""

from __future__ import annotations

import subprocess
import sys
import time

from common import REPO, RUNS, median, print_table

PROBE = REPO / "bench" / "_startup_probe.py"


def measure(mode: str) -> float:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, str(PROBE), mode, repr(t0)], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    for line in out.stdout.splitlines():
        if line.startswith("FRAME "):
            return float(line.split()[1])
    raise RuntimeError(f"{mode} probe printed no frame time: {out.stderr[-2000:]}")


def main() -> None:
    bare, app = [], []
    for _ in range(RUNS):
        bare.append(measure("bare"))
        app.append(measure("app"))
    b, a = median(bare), median(app)
    print_table(
        "startup: process start -> first frame",
        ["case", "seconds", "ratio to bare", "target"],
        [["bare Textual app", b, 1.0, ""], ["Regions with data (--demo)", a, a / b, "<= 1.3x"]],
    )


if __name__ == "__main__":
    main()

"""Startup: process start -> first frame of the Regions screen with data, vs a bare Textual app.

Target: <= 1.3x the bare app, for `--demo` (the in-process
simulator). Also shown: a real account's path (key from BARRACK_API_KEY, the
API in another process: a simulator started once for the whole run), which
imports no simulator. All are measured in fresh interpreters, in turn, so
machine noise hits them alike.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from collections.abc import Iterator

from common import REPO, RUNS, median, print_table

PROBE = REPO / "bench" / "_startup_probe.py"


@contextmanager
def simulator() -> Iterator[tuple[str, str]]:
    """`barrack-tui sim` on a free loopback port: its URL and key, as it prints them."""
    server = subprocess.Popen(
        [sys.executable, "-m", "barrack_tui", "sim", "--port", "0"], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        url = server.stdout.readline().split()[2]
        key = server.stdout.readline().split()[-1]
        yield url, key
    finally:
        server.terminate()
        server.wait(10)


def measure(mode: str, *extra: str, env: dict[str, str] | None = None) -> float:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, str(PROBE), mode, repr(t0), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    for line in out.stdout.splitlines():
        if line.startswith("FRAME "):
            return float(line.split()[1])
    raise RuntimeError(f"{mode} probe printed no frame time: {out.stderr[-2000:]}")


def main() -> None:
    bare, app, account = [], [], []
    with simulator() as (url, key):
        env = {**os.environ, "BARRACK_API_KEY": key}
        for _ in range(RUNS):
            bare.append(measure("bare"))
            app.append(measure("app"))
            account.append(measure("account", url, env=env))
    b, a, r = median(bare), median(app), median(account)
    print_table(
        "startup: process start -> first frame",
        ["case", "seconds", "ratio to bare", "target"],
        [
            ["bare Textual app", b, 1.0, ""],
            ["Regions with data (--demo)", a, a / b, "<= 1.3x"],
            ["Regions with data (account: key in env, API in another process)", r, r / b, "(shown)"],
        ],
    )


if __name__ == "__main__":
    main()

"""Chat: opening a 200-message conversation, and event-loop lag while a long code block streams.

Targets: open a 200-message conversation <= 0.5 s to first frame;
event-loop lag while streaming a reply with a 150-line code block at 60
tokens/s <= 50 ms at p99. Each measurement runs in a fresh interpreter
(bench/_chat_probe.py), paired in the same run with its baseline:

- open: switching to the chat screen (key 7) until the first frame shows the
  conversation's last message, with 200 messages vs with 2 (the screen's own
  cost). Wall time and the probe's CPU time are both shown: on a busy shared
  machine wall time includes waiting for a core.
- lag: p99 of the event loop's lateness (a 5 ms sleep, sampled throughout)
  while the reply streams, vs the same chat screen idle for as long.

`--compare` adds the unprotected variants (every message mounted; every delta
straight into the Markdown widget) to show what the design avoids; they are
slow (the second takes over a minute per run). `--smoke` is one quick run.
"""

from __future__ import annotations

import subprocess
import sys

from common import REPO, RUNS, SMOKE, median, print_table

PROBE = REPO / "bench" / "_chat_probe.py"
COMPARE = "--compare" in sys.argv


def probe(*args: str) -> list[float]:
    out = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True, timeout=600, cwd=REPO)
    for line in out.stdout.splitlines():
        if line.startswith(("OPEN ", "LAG ")):
            return [float(v) for v in line.split()[1:]]
    raise RuntimeError(f"chat probe {args} printed no result: {out.stderr[-2000:]}")


def open_rows() -> list[list[object]]:
    messages = "20" if SMOKE else "200"
    small, large, naive = [], [], []
    for _ in range(RUNS):
        small.append(probe("open", "2"))
        large.append(probe("open", messages))
        if COMPARE:
            naive.append(probe("open", messages, "naive"))
    base_wall, base_cpu = median([r[0] for r in small]), median([r[1] for r in small])
    rows: list[list[object]] = [
        ["2 messages (baseline)", base_wall, base_cpu, 1.0, ""],
    ]
    wall, cpu = median([r[0] for r in large]), median([r[1] for r in large])
    rows.append([f"{messages} messages", wall, cpu, wall / base_wall, "<= 0.5 s"])
    if naive:
        n_wall, n_cpu = median([r[0] for r in naive]), median([r[1] for r in naive])
        rows.append([f"{messages} messages, all mounted", n_wall, n_cpu, n_wall / base_wall, "(for comparison)"])
    return rows


def lag_rows() -> list[list[object]]:
    lines = "20" if SMOKE else "150"
    idle, stream, unbuffered = [], [], []
    for _ in range(RUNS):
        idle.append(probe("lag", "idle", lines))
        stream.append(probe("lag", "stream", lines))
        if COMPARE:
            unbuffered.append(probe("lag", "unthrottled", lines))
    base = median([r[0] for r in idle])
    rows: list[list[object]] = [["idle chat screen (baseline)", base, median([r[1] for r in idle]), 1.0, ""]]
    p99 = median([r[0] for r in stream])
    rows.append([f"streaming the {lines}-line code block", p99, median([r[1] for r in stream]), p99 / base, "p99 <= 0.050 s"])
    if unbuffered:
        u99 = median([r[0] for r in unbuffered])
        rows.append(["same, every delta into Markdown", u99, median([r[1] for r in unbuffered]), u99 / base,
                     "(for comparison)"])
    return rows


def main() -> None:
    print_table(
        "chat: switch to the chat screen -> first frame showing the conversation's last message",
        ["case", "wall s", "cpu s", "ratio to baseline", "target"],
        open_rows(),
    )
    print_table(
        "chat: event-loop lag while a reply with a long code block streams at 60 tokens/s",
        ["case", "p99 lag s", "max lag s", "ratio to baseline", "target"],
        lag_rows(),
    )


if __name__ == "__main__":
    main()

"""Areas at scale: 50,000 volumes, SSH keys, firewalls, snapshots, images or scripts, one kind per run and all at once.

Per area (bench/_areas_probe.py runs the real app headless, the simulator in
a child process): the first visit with the data already read; the data
arriving while the area is shown (its answer in hand → read into the store →
painted frame, split into read and paint); a calm poll (the same answer
again) to the frame; the `]` key's page turn to the frame; then `q` to the
app's exit and the app process's peak RSS. Paired baseline: every kind at 100
items at once, measured in the same repetition.
Targets: each area paints within 1 s of its data arriving; `q` quits within
1 s; peak RSS under 600 MB with every list at 50,000 together.
"""

from __future__ import annotations

import json
import subprocess
import sys

from common import REPO, RUNS, SMOKE, median, print_table

PROBE = REPO / "bench" / "_areas_probe.py"
AREAS = ("volumes", "firewalls", "snapshots", "images", "ssh_keys", "scripts")
BIG = 1_000 if SMOKE else 50_000
BASE = 100


def run_probe(which: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, str(PROBE), which, str(n)], capture_output=True, text=True, timeout=1800, cwd=REPO
    )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise RuntimeError(f"areas probe {which} {n} printed no result: {out.stderr[-3000:]}")


def cell(runs: list[dict], area: str, key: str) -> float | str:
    values = [r[area][key] for r in runs if key in r.get(area, {})]
    return median(values) if values else "—"


def main() -> None:
    base: list[dict] = []
    single: dict[str, list[dict]] = {area: [] for area in AREAS}
    together: list[dict] = []
    for _ in range(RUNS):  # interleaved, so the machine's noise hits every case alike
        base.append(run_probe("all", BASE))
        for area in AREAS:
            single[area].append(run_probe(area, BIG))
        together.append(run_probe("all", BIG))

    rows = []
    for area in AREAS:
        runs = single[area]
        rows.append(
            [
                area,
                cell(base, area, "arrive_s"),
                cell(runs, area, "first_visit_s"),
                cell(runs, area, "arrive_s"),
                cell(runs, area, "read_s"),
                cell(runs, area, "paint_s"),
                cell(runs, area, "calm_poll_ms"),
                cell(runs, area, "next_page_ms"),
                median([r["quit_s"] for r in runs]),
                median([r["peak_rss_mb"] for r in runs]),
            ]
        )
    print_table(
        f"areas: one kind at {BIG:,} per run (baseline: every kind at {BASE} at once)",
        ["area", f"{BASE}: data → frame s", "first visit s", "data → frame s", "read s", "paint s",
         "calm poll ms", "next page ms", "q → exit s", "peak RSS MB"],
        rows,
    )

    rows = [
        [
            area,
            cell(together, area, "first_visit_s"),
            cell(together, area, "arrive_s"),
            cell(together, area, "read_s"),
            cell(together, area, "paint_s"),
            cell(together, area, "calm_poll_ms"),
            cell(together, area, "next_page_ms"),
        ]
        for area in AREAS
    ]
    print_table(
        f"areas: every kind at {BIG:,} at once",
        ["area", "first visit s", "data → frame s", "read s", "paint s", "calm poll ms", "next page ms"],
        rows,
    )
    print_table(
        f"app process, every kind at {BIG:,} at once (baseline: every kind at {BASE})",
        ["case", "all six lists read s", "q → exit s", "peak RSS after the first read MB", "RSS at the end MB",
         "peak RSS MB"],
        [
            [f"{n:,} of each", median([r["load_all_s"] for r in runs]), median([r["quit_s"] for r in runs]),
             median([r["peak_rss_first_load_mb"] for r in runs]), median([r["rss_settled_mb"] for r in runs]),
             median([r["peak_rss_mb"] for r in runs])]
            for n, runs in ((BASE, base), (BIG, together))
        ],
    )
    print("targets: data → frame <= 1 s in every area; q → exit <= 1 s; peak RSS < 600 MB with every kind at 50,000")


if __name__ == "__main__":
    main()

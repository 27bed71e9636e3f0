"""Fleet: the Instances screen with 100 to 50,000 instances from the simulator.

Per size: the first frame with rows after the data arrives (a big first load
shows a look at the table's fields before the fleet is validated), the frame
once the whole fleet is validated, a poll changing 1% of rows to the frame, a
filter keystroke to the frame, and peak RSS of the app process. Targets: first
data frame <= 0.25 s at 10,000 and <= 0.8 s at 50,000, with peak RSS <= 350 MB
there; poll update <= 50 ms and keystroke <= 50 ms at 10,000; peak RSS <= 150
MB at 10,000.
"""

from __future__ import annotations

import json
import subprocess
import sys

from common import REPO, RUNS, SMOKE, median, print_table

PROBE = REPO / "bench" / "_fleet_probe.py"


def run_probe(fleet: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(PROBE), str(fleet)], capture_output=True, text=True, timeout=600, cwd=REPO)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise RuntimeError(f"fleet probe {fleet} printed no result: {out.stderr[-3000:]}")


def main() -> None:
    sizes = (100, 1_000) if SMOKE else (100, 1_000, 10_000, 50_000)
    results: dict[int, list[dict[str, float]]] = {n: [] for n in sizes}
    for _ in range(RUNS):
        for n in sizes:  # interleaved, so noise hits every size alike
            results[n].append(run_probe(n))
    base = median([r["first_frame_s"] for r in results[sizes[0]]])
    rows = []
    for n in sizes:
        runs = results[n]
        first = median([r["first_frame_s"] for r in runs])
        rows.append(
            [
                n,
                first,
                first / base,
                median([r["validated_frame_s"] for r in runs]),
                median([r["poll_update_ms"] for r in runs]),
                int(median([r["rows_changed"] for r in runs])),
                median([r["filter_keystroke_ms"] for r in runs]),
                median([r["peak_rss_mb"] for r in runs]),
                median([r["idle_frame_ms"] for r in runs]),
            ]
        )
    print_table(
        "fleet: Instances screen",
        ["instances", "first frame s", "x 100-case", "validated s", "1% poll ms", "rows changed", "filter key ms", "peak RSS MB", "idle frame ms"],
        rows,
    )
    print("idle frame ms: the same measure with nothing changed (the floor under the three ms columns)")
    print("validated s: the frame once the whole fleet is validated (what actions act on)")
    print("targets: first frame <= 0.25 s at 10,000 and <= 0.8 s at 50,000 (RSS <= 350 MB); at 10,000 poll <= 50 ms,")
    print("key <= 50 ms, RSS <= 150 MB")


if __name__ == "__main__":
    main()

"""Run every bench script in turn; `--smoke` makes each a quick single small run (CI checks they still work)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["startup.py", "fleet.py", "fleet_floor.py", "areas_scale.py", "polling.py", "chat.py", "simulator.py"]


def main() -> int:
    extra = [arg for arg in sys.argv[1:] if arg == "--smoke"]
    failed = []
    for name in SCRIPTS:
        script = HERE / name
        if not script.exists():
            print(f"\n{name}: missing", flush=True)
            failed.append(name)
            continue
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent, timeout=900)
        print(f"[{name} took {time.monotonic() - started:.1f} s]", flush=True)
        if result.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nbench scripts that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

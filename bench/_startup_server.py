"""Run by bench/startup.py: an API for the real-account path, in its own process, until stdin closes.

argv: `empty` (an account with no resources) or a fleet size (the demo
account plus that many instances). Prints one line: `<url> <key>`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RESOURCES = ("instances", "volumes", "firewalls", "ssh_keys", "scripts", "snapshots", "images")


def main(kind: str) -> None:
    from barrack_tui.sim.clock import FakeClock
    from barrack_tui.sim.seed import seed_demo, seed_fleet
    from barrack_tui.sim.server import start_background

    state = seed_demo(FakeClock())
    if kind == "empty":
        for name in RESOURCES:
            getattr(state, name).clear()
    else:
        seed_fleet(state, int(kind))
    running = start_background(state=state)
    print(running.url, running.api_key, flush=True)
    sys.stdin.read()  # until the bench closes the pipe
    running.stop()


if __name__ == "__main__":
    main(sys.argv[1])

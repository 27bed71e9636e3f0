"""Run by bench/startup.py: a stub of the cloud API for the real-account path, in its own process, until stdin closes.

argv: `empty` (an account with credit and nothing in it: no instances,
volumes, firewalls, SSH keys, scripts, snapshots or images; the regions
still offer the demo's stock) or a fleet size N (the same account plus N
instances named fleet-00001..., `seed_fleet`, as bench/fleet.py uses).
The clock is a FakeClock, so the account does not change while it is
measured. Prints one line, `<url> <key>`, once the server accepts
connections (the key is random, made here).
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build_state(kind: str):  # noqa: ANN201 - SimState, imported late
    from barrack_tui.api.models.common import CurrencyEnum
    from barrack_tui.sim import engine
    from barrack_tui.sim.clock import FakeClock
    from barrack_tui.sim.seed import DEMO_BALANCE, demo_stock, seed_fleet
    from barrack_tui.sim.state import SimState

    state = SimState(clock=FakeClock())
    state.currency = CurrencyEnum.USD
    state.balances = {CurrencyEnum.USD: DEMO_BALANCE}
    state.stock = demo_stock()
    engine.invalidate(state)
    if kind != "empty":
        seed_fleet(state, int(kind))
    return state


def main(kind: str) -> None:
    from barrack_tui.sim.server import start_background

    running = start_background(state=build_state(kind), api_key=f"bench-{secrets.token_hex(16)}")
    print(running.url, running.api_key, flush=True)
    sys.stdin.read()  # until the bench closes the pipe (or dies)
    running.stop()


if __name__ == "__main__":
    main(sys.argv[1])

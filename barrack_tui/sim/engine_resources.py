"""Transitions of firewall attachments, snapshots and images."""

from barrack_tui.sim.state import SimState


def tick(state: SimState) -> None:
    pass

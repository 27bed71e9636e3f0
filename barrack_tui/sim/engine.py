"""Transitions and billing of instances and volumes."""

from barrack_tui.sim.state import SimState


def tick(state: SimState) -> None:
    pass

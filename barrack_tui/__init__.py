"""barrack-tui: a keyboard-first terminal UI for the Barrack GPU cloud."""

__version__ = "0.1.0"

"""Run by bench/startup.py: the baseline, a bare Textual app (one Static) in the terminal, until killed."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("hello")


if __name__ == "__main__":
    Bare().run()

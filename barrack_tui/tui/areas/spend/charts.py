"""The spend view's charts: the burn as a Textual Sparkline, accrued cost per resource as plotext bars.

plotext (through textual-plotext) is imported with this module, which only
the spend view imports, on its first visit: the first frame never loads it.
Resource names are server strings; they reach plotext already sanitised (no
control characters), and plotext's output is read back as ANSI text, never
as markup.
"""

from __future__ import annotations

from decimal import Decimal

from textual_plotext import PlotextPlot

from barrack_tui.tui.areas.spend.billing import Bar

# Wider names would leave the bars no room at 80 columns (two charts side by side).
NAME_WIDTH = 14


def short(name: str, width: int = NAME_WIDTH) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


class CostBars(PlotextPlot):
    """Horizontal bars: what each resource accrued in the period, costliest first (at the top)."""

    def __init__(self, title: str, *, id: str) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.title = title
        self.bars: list[Bar] = []
        self.empty_text = "Loading…"

    def show(self, bars: list[Bar], empty_text: str) -> None:
        self.bars, self.empty_text = bars, empty_text
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(self.title if bars else f"{self.title}: {empty_text}")
        # One row per bar: with fewer rows than bars plotext would label only some, and which ones varies by run.
        rows = max(1, self.size.height - 4) if self.size.height else len(bars)
        bars = bars[:rows]
        if bars:
            top_first = list(reversed(bars))  # plotext draws the first label at the bottom
            labels = [short(bar.name) for bar in top_first]
            values = [float(bar.amount) for bar in top_first]
            plt.bar(labels, values, orientation="horizontal", width=0.6, marker="hd")
            plt.xticks(*_ticks(max(values)))
        else:
            plt.xticks([], [])
            plt.yticks([], [])
        self.refresh()


def _ticks(top: float) -> tuple[list[float], list[str]]:
    """Three ticks, 0, half and the largest bar, in money's two decimals."""
    points = [0.0, top / 2, top]
    return points, [f"{Decimal(str(p)):,.2f}" if top < 100 else f"{p:,.0f}" for p in points]

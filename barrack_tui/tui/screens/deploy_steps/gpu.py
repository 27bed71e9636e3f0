"""Step 2: GPU model and count — only configurations in stock in the region now, each with its price."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from barrack_tui.api.errors import ApiError
from barrack_tui.rules.pricing import gpu_hourly, money
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.deploy_form import StockChoice, in_stock, out_of_stock_models
from barrack_tui.tui.screens.deploy_steps.base import WizardStep


class GpuStep(WizardStep):
    KEY = "gpu"
    TITLE = "GPU"

    def __init__(self, form) -> None:  # noqa: ANN001
        super().__init__(form)
        self.choices: list[StockChoice] = []

    def compose(self) -> ComposeResult:
        yield Label("GPU model and count (in stock now)")
        yield OptionList(id="wiz-gpu")
        yield Static(Text(""), id="wiz-gpu-error", classes="field-error")
        yield Static(Text("", style="dim"), id="wiz-gpu-note", classes="hint")

    def entered(self) -> None:
        self.query_one("#wiz-gpu", OptionList).focus()
        self.load_stock()

    @work(exclusive=True, group="wizard-gpu", exit_on_error=False)
    async def load_stock(self) -> None:
        region = self.form.region or ""
        self.set_note("wiz-gpu-note", f"Checking stock in {region}…")
        try:
            answer = await self.api.get_gpu_stocks(region)
        except ApiError as exc:
            self.set_note("wiz-gpu-note", str(exc), "red")
            return
        currency = self.store.currency
        self.choices = in_stock(answer.items, region)
        options = self.query_one("#wiz-gpu", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(
                    Text(f"{c.gpu_model:<22} ×{c.gpu_count}   {c.available:>2} left   "
                         f"{money(gpu_hourly(c.gpu_model, c.gpu_count, currency)):>7} {currency}/h"),
                    id=f"{c.gpu_model}|{c.gpu_count}",
                )
                for c in self.choices
            ]
        )
        wanted = next(
            (i for i, c in enumerate(self.choices) if (c.gpu_model, c.gpu_count) == (self.form.gpu_model, self.form.gpu_count)),
            None,
        )
        note = Text()
        if wanted is not None:
            options.highlighted = wanted
        elif self.choices:
            if self.form.gpu_model and self.form.gpu_count:
                note.append(f"{self.form.gpu_model} ×{self.form.gpu_count} is not in stock in {region} now. ", style="yellow")
            options.highlighted = 0
        else:
            note.append(f"Nothing is in stock in {region} now: go back and choose another region. ", style="yellow")
        sold_out = out_of_stock_models(answer.items, region)
        if sold_out:
            note.append(f"Out of stock in {region}: {', '.join(sold_out)}.", style="dim")
        self.set_note("wiz-gpu-note", note)
        self._sync_form()

    def _sync_form(self) -> None:
        options = self.query_one("#wiz-gpu", OptionList)
        if options.highlighted is None or not self.choices:
            self.form.stock_available = 0
            return
        choice = self.choices[options.highlighted]
        self.form.gpu_model, self.form.gpu_count = choice.gpu_model, choice.gpu_count
        # The rule counts GPUs; stock counts whole configurations of `gpu_count` GPUs.
        self.form.stock_available = choice.available * choice.gpu_count

    def collect(self) -> None:
        if self.choices:
            self._sync_form()
        else:
            self.form.stock_available = 0

    def show_verdicts(self, verdicts: dict[str, Verdict]) -> None:
        first = next((v for v in verdicts.values() if not v), None)
        self.set_error("wiz-gpu-error", first)

    @on(OptionList.OptionHighlighted, "#wiz-gpu")
    def _highlighted(self) -> None:
        self._sync_form()

    @on(OptionList.OptionSelected, "#wiz-gpu")
    def _next(self) -> None:
        self.screen.action_next()  # type: ignore[attr-defined]

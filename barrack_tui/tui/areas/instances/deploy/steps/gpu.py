"""Step 2: GPU model and count — only configurations in stock in the region now, each with its price.

Where the server's pricing quote states a model's `max_count` per instance,
larger configurations are not offered and a note says why; the deploy rule
gets the same maximum (`DeployForm.gpu_max_count`).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import GPUStocksResponse
from barrack_tui.rules.pricing import gpu_hourly, money
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.areas.instances.deploy.form import StockChoice, in_stock, out_of_stock_models
from barrack_tui.tui.areas.instances.deploy.steps.base import WizardStep
from barrack_tui.tui.kit.server_limits import NO_LIMITS, region_tier


class GpuStep(WizardStep):
    KEY = "gpu"
    TITLE = "GPU"

    def __init__(self, form) -> None:  # noqa: ANN001
        super().__init__(form)
        self.choices: list[StockChoice] = []
        self._stock: GPUStocksResponse | None = None
        self._wish: tuple[str | None, int | None] = (None, None)

    def compose(self) -> ComposeResult:
        yield Label("GPU model and count (in stock now)")
        yield OptionList(id="wiz-gpu")
        yield Static(Text(""), id="wiz-gpu-error", classes="field-error")
        yield Static(Text("", style="dim"), id="wiz-gpu-note", classes="hint")

    def entered(self) -> None:
        self.query_one("#wiz-gpu", OptionList).focus()
        self.load_stock()
        if self.barrack.store.limits().known() is None:
            self.load_limits()

    @work(exclusive=True, group="wizard-gpu-limits", exit_on_error=False)
    async def load_limits(self) -> None:
        # Apart from the stock: a slow quote must not hold the list back; the list narrows when it comes.
        await self.barrack.store.limits().get()
        if self._stock is not None:
            self._show_stock(self._stock)

    @work(exclusive=True, group="wizard-gpu", exit_on_error=False)
    async def load_stock(self) -> None:
        region = self.form.region or ""
        self._wish = (self.form.gpu_model, self.form.gpu_count)
        self._stock = None  # another region's stock must not be drawn if the limits arrive first
        self.set_note("wiz-gpu-note", f"Checking stock in {region}…")
        try:
            answer = await self.barrack.store.send(lambda api: api.get_gpu_stocks(region))
        except ApiError as exc:
            self.set_note("wiz-gpu-note", str(exc), "red")
            return
        self._stock = answer
        self._show_stock(answer)

    def _max_count(self, gpu_model: str) -> int | None:
        """The server's stated maximum of `gpu_model` per instance in the chosen region's tier (None: none stated)."""
        limits = self.barrack.store.limits().known() or NO_LIMITS
        return limits.gpu_max_count(gpu_model, region_tier(self.store, self.form.region))

    def _show_stock(self, answer: GPUStocksResponse) -> None:
        region = self.form.region or ""
        currency = self.store.currency
        offered = in_stock(answer.items, region)
        self.choices = [c for c in offered if (most := self._max_count(c.gpu_model)) is None or c.gpu_count <= most]
        capped = sorted({c.gpu_model for c in offered if c not in self.choices})
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
        # What the user came with (a prefill, an earlier visit) decides the note; what is highlighted now
        # stays highlighted when the list is drawn again because the server's limits arrived.
        keys = [(c.gpu_model, c.gpu_count) for c in self.choices]
        wish_model, wish_count = self._wish
        current = (self.form.gpu_model, self.form.gpu_count)
        note = Text()
        if self.choices:
            options.highlighted = keys.index(current) if current in keys else keys.index(self._wish) if self._wish in keys else 0
            # Offered but over the server's maximum: the note below says so instead of "not in stock".
            wish_capped = any((c.gpu_model, c.gpu_count) == self._wish for c in offered)
            if wish_model and wish_count and self._wish not in keys and not wish_capped:
                note.append(f"{wish_model} ×{wish_count} is not in stock in {region} now. ", style="yellow")
        else:
            note.append(f"Nothing is in stock in {region} now: go back and choose another region. ", style="yellow")
        sold_out = out_of_stock_models(answer.items, region)
        if sold_out:
            note.append(f"Out of stock in {region}: {', '.join(sold_out)}. ", style="dim")
        for model in capped:
            note.append(f"{model}: at most {self._max_count(model)} per instance on this server. ", style="dim")
        note.rstrip()
        self.set_note("wiz-gpu-note", note)
        self._sync_form()

    def _sync_form(self) -> None:
        options = self.query_one("#wiz-gpu", OptionList)
        if options.highlighted is None or not self.choices:
            self.form.stock_available = 0
            return
        choice = self.choices[options.highlighted]
        self.form.gpu_model, self.form.gpu_count = choice.gpu_model, choice.gpu_count
        self.form.gpu_max_count = self._max_count(choice.gpu_model)
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
        self.wizard.action_next()

"""Step 6: the exact request, its price per hour and per day, and how long the balance lasts with it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, Static

from barrack_tui.tui.deploy_form import cost_preview
from barrack_tui.tui.screens.deploy_steps.base import WizardStep


class ReviewStep(WizardStep):
    KEY = "review"
    TITLE = "Review"

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="wiz-review-costs")
        yield Label("The request that will be sent (POST /instances)")
        yield Static(Text(""), id="wiz-review-json", classes="review-json")

    def entered(self) -> None:
        self.render_review()
        self.screen.query_one("#wizard-next").focus()

    def render_review(self) -> None:
        form = self.form
        store = self.store
        currency = store.currency
        hourly = form.hourly(currency)
        costs = self.query_one("#wiz-review-costs", Static)
        if hourly is None:
            costs.update(Text("Choose a GPU first.", style="yellow"))
            return
        running = store.costs()  # the header's figures: instances now, storage its own part
        preview = cost_preview(hourly, balance=store.balance_amount, current_burn=running.total_per_hour)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row("Instance", Text.assemble((form.name, "bold"), f" in {form.region}: {form.gpu_model} ×{form.gpu_count}"))
        grid.add_row("Boot", Text(f"{form.boot_type}: {form.boot_label}"))
        grid.add_row("Price", Text(f"{preview.hourly} {currency}/h · {preview.daily} {currency}/day", style="bold"))
        balance = store.balance_amount
        if balance is not None:
            lasting = f"{preview.hours_lasting} h" if preview.hours_lasting is not None else "—"
            grid.add_row(
                "Balance",
                Text(
                    f"{balance:,.2f} {currency} lasts {lasting} at the new burn rate of {preview.burn_after:,.2f} {currency}/h"
                    f" (instances {running.instances_per_hour + hourly:,.2f} + storage {running.storage_per_hour:,.2f})"
                ),
            )
        if not preview.credits:
            grid.add_row("⚠ Credits", Text(f"{preview.credits.message}: the balance must cover one hour of this price", style="red"))
        if form.public_ip:
            grid.add_row("⚠ Public IP", Text("on: keep SSH key-only and open only the ports you need", style="yellow"))
        costs.update(grid)
        self.query_one("#wiz-review-json", Static).update(Text(form.request_json()))

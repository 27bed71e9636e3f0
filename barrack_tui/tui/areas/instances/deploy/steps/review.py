"""Step 6: the exact request, its price per hour and per day, and how long the balance lasts with it.

SSH keys are named as the user knows them: the summary lists their names,
and in the request (which sends ids) each id is followed by its key's name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, Static

from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.tui.areas.instances.deploy.form import cost_preview
from barrack_tui.tui.areas.instances.deploy.steps.base import WizardStep


def key_names(ids: Iterable[str], *sources: Iterable[Any]) -> dict[str, str]:
    """Each chosen key id's name, from the first source that knows it (the id itself when none does)."""
    known: dict[str, str] = {}
    for source in sources:
        for key in source:
            known.setdefault(key.id, key.name)
    return {key_id: known.get(key_id, key_id) for key_id in ids}


def request_text(request_json: str, names: Mapping[str, str]) -> Text:
    """The request as sent, each SSH key id followed by its name (dim, after the JSON, so the JSON stays exact)."""
    text = Text()
    quoted = {json.dumps(key_id, ensure_ascii=False): name for key_id, name in names.items()}
    in_keys = False
    for line in request_json.splitlines():
        stripped = line.strip()
        if stripped.startswith('"ssh_key_ids"'):
            in_keys = not stripped.endswith("[]")
        elif in_keys and stripped.startswith("]"):
            in_keys = False
        text.append(line)
        name = quoted.get(stripped.rstrip(",")) if in_keys else None
        if name is not None and name != json.loads(stripped.rstrip(",")):
            text.append(f"  ← {name}", style="dim")
        text.append("\n")
    text.rstrip()
    return text


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
        names = self.key_names()
        grid.add_row("SSH keys", Text(", ".join(names.values()) or "none"))
        grid.add_row("Price", Text(f"{preview.hourly} {currency}/h · {preview.daily} {currency}/day", style="bold"))
        # This step is the deploy's confirmation: it states the cost effect as every confirmation does.
        grid.add_row("Cost effect", Text(cost_effect("deploy", currency=currency, hourly_price=hourly), style="bold"))
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
        self.query_one("#wiz-review-json", Static).update(request_text(form.request_json(), names))

    def key_names(self) -> dict[str, str]:
        """Names from the account's keys, then from the keys step's own list (a key added in the wizard)."""
        keys_step: Any = self.screen.query_one("#step-keys")
        return key_names(self.form.ssh_key_ids, self.store.ssh_keys.values(), getattr(keys_step, "keys", ()))

"""Step 1: the instance's name and its region (I4: name 1-50 of the volume charset, unique; a region)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from barrack_tui.api.errors import ApiError
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.areas.instances.deploy.steps.base import WizardStep
from barrack_tui.tui.kit.unknown_mark import tier_text


class RegionStep(WizardStep):
    KEY = "region"
    TITLE = "Name & region"

    def compose(self) -> ComposeResult:
        yield Label("Instance name")
        yield Input(value=self.form.name, placeholder="e.g. train-h100-1", id="wiz-name")
        yield Static(Text(""), id="wiz-name-error", classes="field-error")
        yield Label("Region")
        yield OptionList(id="wiz-region")
        yield Static(Text(""), id="wiz-region-error", classes="field-error")
        yield Static(Text("Loading regions…", style="dim"), id="wiz-region-note", classes="hint")

    def on_mount(self) -> None:
        self.load_regions()

    def entered(self) -> None:
        self.query_one("#wiz-name", Input).focus()

    @work(exclusive=True, group="wizard-region", exit_on_error=False)
    async def load_regions(self) -> None:
        regions = self.store.regions
        if not regions:
            try:
                regions = await self.barrack.store.send(lambda api: api.list_regions())
            except ApiError as exc:
                self.set_note("wiz-region-note", str(exc), "red")
                return
        options = self.query_one("#wiz-region", OptionList)
        options.clear_options()
        options.add_options(
            [Option(Text.assemble(f"{r.name:<9} {r.location}  (", tier_text(r.tier), ")"), id=str(r.name)) for r in regions]
        )
        ids = [str(r.name) for r in regions]
        if self.form.region in ids:
            options.highlighted = ids.index(self.form.region)
        elif ids:
            options.highlighted = 0
        self.set_note("wiz-region-note", "The GPUs, images and volumes offered next depend on the region.")

    def collect(self) -> None:
        self.form.name = self.query_one("#wiz-name", Input).value
        options = self.query_one("#wiz-region", OptionList)
        region = None
        if options.highlighted is not None and options.option_count:
            region = options.get_option_at_index(options.highlighted).id
        if region != self.form.region:
            # A boot source belongs to a region: choose it again in the new one.
            self.form.boot_type = self.form.boot_id = None
            self.form.boot_source_ok = False
            self.form.boot_label = ""
        self.form.region = region

    def show_verdicts(self, verdicts: dict[str, Verdict]) -> None:
        self.set_error("wiz-name-error", verdicts.get("name"))
        self.set_error("wiz-region-error", verdicts.get("region"))

    @on(OptionList.OptionSelected, "#wiz-region")
    @on(Input.Submitted, "#wiz-name")
    def _next(self) -> None:
        self.wizard.action_next()

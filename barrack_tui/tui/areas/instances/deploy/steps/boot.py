"""Step 3: the boot source — an OS image of the region, a bootable volume of the region, or a custom image."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from barrack_tui.api.errors import ApiError
from barrack_tui.rules.instances import can_boot_from
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.areas.instances.deploy.steps.base import WizardStep

GROUPS = (("os_image", "OS images"), ("volume", "Bootable volumes (available)"), ("image", "Custom images"))


class BootStep(WizardStep):
    KEY = "boot"
    TITLE = "Boot"

    def __init__(self, form) -> None:  # noqa: ANN001
        super().__init__(form)
        # option index -> (type, id, label); headers are disabled options and have no entry.
        self.sources: dict[int, tuple[str, str, str]] = {}
        self.loaded_region: str | None = None

    def compose(self) -> ComposeResult:
        yield Label("Boot from")
        yield OptionList(id="wiz-boot")
        yield Static(Text(""), id="wiz-boot-error", classes="field-error")
        yield Static(Text("", style="dim"), id="wiz-boot-note", classes="hint")

    def entered(self) -> None:
        self.query_one("#wiz-boot", OptionList).focus()
        if self.loaded_region != self.form.region:
            self.load_sources()

    @work(exclusive=True, group="wizard-boot", exit_on_error=False)
    async def load_sources(self) -> None:
        region = self.form.region or ""
        self.set_note("wiz-boot-note", f"Loading the boot sources of {region}…")
        try:
            os_images, volumes, images = await asyncio.gather(
                self.barrack.store.send(lambda api: api.list_os_images(region)), self.barrack.store.send(lambda api: api.list_volumes(region)), self.barrack.store.send(lambda api: api.list_images(region))
            )
        except ApiError as exc:
            self.set_note("wiz-boot-note", str(exc), "red")
            return
        # Only what may boot here is offered, by the same rule the server applies to the deployment.
        found = {
            "os_image": [(i.id, i.name) for i in os_images if can_boot_from("os_image", region, source_region=i.region)],
            "volume": [
                (v.id, f"{v.name} ({v.size_gb} GB)")
                for v in volumes.volumes
                if can_boot_from("volume", region, source_region=v.region, bootable=v.bootable, status=v.status)
            ],
            "image": [
                (i.id, f"{i.name} ({i.size_gb} GB)")
                for i in images
                if can_boot_from("image", region, source_region=i.region, status=i.status)
            ],
        }
        options = self.query_one("#wiz-boot", OptionList)
        options.clear_options()
        self.sources = {}
        prompts: list[Option] = []
        for kind, title in GROUPS:
            prompts.append(Option(Text(title, style="bold"), disabled=True))
            if not found[kind]:
                prompts.append(Option(Text("  none in this region", style="dim"), disabled=True))
            for source_id, label in found[kind]:
                self.sources[len(prompts)] = (kind, source_id, label)
                prompts.append(Option(Text(f"  {label}"), id=f"{kind}|{source_id}"))
        options.add_options(prompts)
        self.loaded_region = region
        chosen = next((i for i, s in self.sources.items() if (s[0], s[1]) == (self.form.boot_type, self.form.boot_id)), None)
        if chosen is None and self.sources:
            chosen = min(self.sources)
        if chosen is not None:
            options.highlighted = chosen
        self.set_note("wiz-boot-note", "Ubuntu images log in as `ubuntu`. A bootable volume becomes the OS disk.")
        self._sync_form()

    def _sync_form(self) -> None:
        highlighted = self.query_one("#wiz-boot", OptionList).highlighted
        source = self.sources.get(highlighted) if highlighted is not None else None
        if source is None:
            self.form.boot_type = self.form.boot_id = None
            self.form.boot_source_ok = False
            self.form.boot_label = ""
            return
        self.form.boot_type, self.form.boot_id, self.form.boot_label = source
        self.form.boot_source_ok = True

    def collect(self) -> None:
        if self.loaded_region == self.form.region:
            self._sync_form()

    def show_verdicts(self, verdicts: dict[str, Verdict]) -> None:
        self.set_error("wiz-boot-error", verdicts.get("boot_source"))

    @on(OptionList.OptionHighlighted, "#wiz-boot")
    def _highlighted(self) -> None:
        self._sync_form()

    @on(OptionList.OptionSelected, "#wiz-boot")
    def _next(self) -> None:
        self.wizard.action_next()

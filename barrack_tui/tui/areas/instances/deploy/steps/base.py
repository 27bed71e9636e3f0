"""What every wizard step shares: the form it writes into, field error lines, data loading on entry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.areas.instances.deploy.form import DeployForm
from barrack_tui.tui.kit.access import UsesBarrack

if TYPE_CHECKING:  # the wizard imports every step: the type checker alone looks back at it
    from barrack_tui.tui.areas.instances.deploy.wizard import DeployWizard


class WizardStep(UsesBarrack, VerticalScroll):
    """One page of the wizard. Widgets stay mounted when the user moves on, so nothing typed is lost."""

    KEY = ""
    TITLE = ""

    def __init__(self, form: DeployForm) -> None:
        super().__init__(id=f"step-{self.KEY}", classes="wizard-step")
        self.form = form

    @property
    def wizard(self) -> DeployWizard:
        # A step is only ever mounted inside the wizard, so its screen is the wizard.
        return cast("DeployWizard", self.screen)

    @property
    def store(self) -> Any:
        return self.barrack.store

    def entered(self) -> None:
        """The step became visible: (re)load what it offers, focus its first field."""

    def collect(self) -> None:
        """Copy the widgets' values into the form."""

    def show_verdicts(self, verdicts: dict[str, Verdict]) -> None:
        """Show each field's message under it (an allowed verdict clears it)."""

    def set_error(self, widget_id: str, verdict: Verdict | None) -> None:
        text = verdict.message if verdict is not None and not verdict else ""
        self.query_one(f"#{widget_id}", Static).update(Text(text))

    def set_note(self, widget_id: str, text: str | Text, style: str = "dim") -> None:
        self.query_one(f"#{widget_id}", Static).update(text if isinstance(text, Text) else Text(text, style=style))

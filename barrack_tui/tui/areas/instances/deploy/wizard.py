"""The deploy wizard (`n` on Instances, or a Regions matrix cell): six steps, validated, never sent twice.

Steps live in `deploy_steps/`; their widgets stay mounted, so going back
and forth (or being sent back by a server refusal) keeps everything typed.
Leaving a step asks the I4 rule for that step's fields. Deploy sends the
form's exact `DeploymentRequest` once; refusals come back into the wizard on
the step they concern (stock gone -> GPU, name taken -> name, 402 -> review).
If the answer is lost (connection dropped, unreadable body, 5xx), the wizard
lists the instances and looks for the name before it offers to retry, so a
request that did reach the server is not sent again.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, ContentSwitcher, Input, SelectionList, Static, Switch, TextArea

from barrack_tui.api.errors import (
    ApiError,
    BadResponseError,
    ConflictError,
    InsufficientCreditsError,
    InvalidRequestError,
    NetworkError,
    ServerError,
)
from barrack_tui.api.models import VMInstance
from barrack_tui.rules.verdict import ALLOWED
from barrack_tui.tui.areas.instances.deploy.form import FIELD_STEP, STEP_KEYS, DeployForm
from barrack_tui.tui.areas.instances.deploy.steps import STEP_CLASSES, WizardStep
from barrack_tui.tui.kit.discard import AsksBeforeDiscarding
from barrack_tui.tui.kit.modal import BarrackModal

# Answers that may hide a deploy that did happen.
LOST_ANSWER = (NetworkError, BadResponseError, ServerError)


def open_deploy_wizard(app: Any, *, region: str | None = None, gpu_model: str | None = None, gpu_count: int | None = None) -> None:
    """Open the wizard (prefilled from a Regions matrix cell); after a deploy, show the new row on Instances."""

    def deployed(instance: VMInstance | None) -> None:
        if instance is None:
            return
        app.notify(f"Deploying {instance.name}: {instance.status}. You are told when it is ACTIVE.")
        app.show_instance(instance.id)

    app.push_screen(DeployWizard(region=region, gpu_model=gpu_model, gpu_count=gpu_count), deployed)


# The form field each of the steps' controls sets (the ones whose rules can refuse).
CONTROL_FIELDS = {
    "wiz-name": "name",
    "wiz-keys": "ssh_key_ids",
    "wiz-jupyter": "jupyter",
    "wiz-jupyter-password": "jupyter",
    "wiz-cloud-init": "cloud_init",
}


class DeployWizard(AsksBeforeDiscarding, BarrackModal[VMInstance]):
    CSS_PATH = "../instances.tcss"
    FORM = "the deploy form"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="wizard.cancel")]

    def __init__(self, *, region: str | None = None, gpu_model: str | None = None, gpu_count: int | None = None) -> None:
        super().__init__()
        self.form = DeployForm(region=region, gpu_model=gpu_model, gpu_count=gpu_count)
        self._initial_name = self.form.name
        self.step_index = 0
        self.sending = False
        self.lost_answer = False
        # A deploy whose answer was lost and whose outcome could not be checked yet: Next checks, never resends.
        self.unverified_name: str | None = None
        # Form fields the user has changed, and steps Next has checked: only those show refusals live.
        self.touched: set[str] = set()
        self.checked_steps: set[str] = set()

    # --- layout -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="wizard-box"):
            yield Static(id="wizard-title", classes="modal-title")
            with ContentSwitcher(initial=f"step-{STEP_KEYS[0]}", id="wizard-pages"):
                for step_class in STEP_CLASSES:
                    yield step_class(self.form)
            yield Static(Text(""), id="wizard-error")
            with Horizontal(classes="buttons"):
                # The wizard covers the key bar: say how the keyboard gets through a step's fields to Next.
                yield Static(Text("tab / shift+tab: move · enter: press · esc: cancel"), id="wizard-keys")
                yield Button("Cancel", id="wizard-cancel")
                yield Button("Back", id="wizard-back")
                yield Button("Next", variant="primary", id="wizard-next")

    def on_mount(self) -> None:
        self._show_step()

    @property
    def step(self) -> WizardStep:
        return self.query_one(f"#step-{STEP_KEYS[self.step_index]}", WizardStep)

    def _taken_names(self) -> set[str]:
        return {instance.name for instance in self.barrack.store.instances.values()}

    def _show_step(self) -> None:
        key = STEP_KEYS[self.step_index]
        self.query_one(ContentSwitcher).current = f"step-{key}"
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append("Deploy ", style="bold")
        for index, step_class in enumerate(STEP_CLASSES):
            style = "bold reverse" if index == self.step_index else ("" if index < self.step_index else "dim")
            title.append(f" {index + 1} {step_class.TITLE} ", style=style)
        self.query_one("#wizard-title", Static).update(title)
        self.query_one("#wizard-back", Button).disabled = self.step_index == 0
        next_button = self.query_one("#wizard-next", Button)
        if key != "review":
            next_button.label = "Next"
        elif self.unverified_name:
            next_button.label = "Check again"
        else:
            next_button.label = "Retry deploy" if self.lost_answer else "Deploy"
        next_button.variant = "success" if key == "review" else "primary"
        self.step.entered()

    def show_error(self, text: str | Text, style: str = "bold red") -> None:
        self.query_one("#wizard-error", Static).update(text if isinstance(text, Text) else Text(text, style=style))

    # --- navigation ---------------------------------------------------------------------------------

    def go_to(self, key: str) -> None:
        self.step.collect()
        self.step_index = STEP_KEYS.index(key)
        self._show_step()

    @on(Button.Pressed, "#wizard-back")
    def action_back(self) -> None:
        if self.step_index > 0 and not self.sending:
            self.step.collect()
            self.show_error("")
            self.step_index -= 1
            self._show_step()

    @on(Button.Pressed, "#wizard-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self.sending:
            super().action_cancel()  # asks before discarding a filled form

    def has_changes(self) -> bool:
        """The steps fill their lists as they load, so a field's value alone does not say the user chose it:
        a form the user has taken past its first step, or whose name they typed, has changes."""
        return bool(self.checked_steps) or self.step_index > 0 or self.query_one("#wiz-name", Input).value != self._initial_name

    @on(Button.Pressed, "#wizard-next")
    def action_next(self) -> None:
        if self.sending:
            return
        step = self.step
        step.collect()
        verdicts = self.form.step_verdicts(step.KEY, self._taken_names())
        self.checked_steps.add(step.KEY)
        step.show_verdicts(verdicts)
        if not all(verdicts.values()):
            self.show_error("Fix the fields marked above to continue.")
            return
        self.show_error("")
        if step.KEY != "review":
            self.step_index += 1
            self._show_step()
            return
        if self.unverified_name:
            self.check_lost(self.unverified_name)
            return
        self._deploy()

    # --- checks as the user types ----------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Switch.Changed)
    @on(SelectionList.SelectedChanged)
    def _field_changed(self, event: Message) -> None:
        control = getattr(event, "control", None)
        if control is None or self.step not in control.ancestors:
            return  # a step not shown (filled as it loads), or the wizard's own widgets
        field = CONTROL_FIELDS.get(control.id or "")
        self.revalidate(*([field] if field else []))

    def revalidate(self, *touched: str) -> None:
        """Check the shown step again after a change. A message clears as soon as its field passes; a
        refusal shows for a field the user changed, or for every field once Next has checked the step."""
        if self.sending:
            return
        self.touched.update(touched)
        step = self.step
        step.collect()
        verdicts = self.form.step_verdicts(step.KEY, self._taken_names())
        checked = step.KEY in self.checked_steps
        step.show_verdicts(
            {name: verdict if verdict or checked or name in self.touched else ALLOWED for name, verdict in verdicts.items()}
        )
        if all(verdicts.values()):
            self.show_error("")

    def _deploy(self) -> None:
        taken = self._taken_names()
        failing = self.form.first_failing_step(taken)
        if failing is not None:
            self.go_to(failing)
            self.step.show_verdicts(self.form.step_verdicts(failing, taken))
            self.show_error("This step needs attention before deploying.")
            return
        store: Any = self.barrack.store
        from barrack_tui.tui.areas.instances.deploy.form import cost_preview

        hourly = self.form.hourly(store.currency)
        preview = cost_preview(hourly, balance=store.balance_amount, current_burn=store.burn_rate_per_hour()) if hourly else None
        if preview is not None and not preview.credits:
            self.show_error(f"{preview.credits.message}: add credits to deploy this configuration.")
            return
        self.send()

    # --- sending ------------------------------------------------------------------------------------

    def _set_sending(self, sending: bool) -> None:
        self.sending = sending
        for button_id in ("#wizard-next", "#wizard-back", "#wizard-cancel"):
            self.query_one(button_id, Button).disabled = sending or (button_id == "#wizard-back" and self.step_index == 0)

    @work(exclusive=True, group="deploy", exit_on_error=False)
    async def send(self) -> None:
        request = self.form.request()
        self._set_sending(True)
        self.show_error(Text("Deploying…", style="bold"))
        try:
            answer = await self.barrack.store.send(lambda api: api.deploy_instance(request))
        except LOST_ANSWER as exc:
            await self._after_lost_answer(request.name, exc)
            return
        except ApiError as exc:
            self._set_sending(False)
            self._refused(exc)
            return
        self._set_sending(False)
        self._deployed(answer.instance)

    def _deployed(self, instance: VMInstance) -> None:
        self.barrack.store.upsert("instances", instance)
        self.dismiss(instance)

    def _refused(self, exc: ApiError) -> None:
        """Back to the step the refusal concerns, with the server's words; everything typed is kept."""
        if isinstance(exc, InvalidRequestError) and exc.fields:
            steps = [FIELD_STEP.get(name.split(".")[0], "advanced" if name.startswith("security_rules") else "review") for name in exc.fields]
            target = min(steps, key=STEP_KEYS.index)
            self.go_to(target)
            self.show_error("; ".join(exc.fields.values()))
            return
        if isinstance(exc, ConflictError):
            self.go_to("region")
            self.show_error(exc.message or str(exc))
            return
        if isinstance(exc, InsufficientCreditsError):
            self.show_error(str(exc))
            return
        self.show_error(str(exc))

    @work(exclusive=True, group="deploy", exit_on_error=False)
    async def check_lost(self, name: str) -> None:
        self._set_sending(True)
        await self._after_lost_answer(name, None)

    async def _after_lost_answer(self, name: str, exc: ApiError | None) -> None:
        why = f"The answer to the deploy was lost ({exc}). " if exc is not None else ""
        self.show_error(Text(f"{why}Checking whether {name} was created…", style="yellow"))
        try:
            instances = await self.barrack.store.send(lambda api: api.list_instances())
        except ApiError as check_exc:
            self._set_sending(False)
            self.unverified_name = name
            self._show_step()
            self.show_error(
                f"Could not check whether {name} was created ({check_exc}). Nothing is sent again until the "
                "instance list answers: press Check again."
            )
            return
        self._set_sending(False)
        self.unverified_name = None
        found = [instance for instance in instances if instance.name == name]
        if found:
            self.barrack.notify(f"The deploy of {name} went through although its answer was lost.")
            self._deployed(found[0])
            return
        self.lost_answer = True
        self._show_step()
        self.show_error(f"No instance named {name} exists: the request did not go through. Press Retry deploy to send it again.")

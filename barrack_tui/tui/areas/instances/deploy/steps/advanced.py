"""Step 5: public IP (I5 warning), security rules (F3), Jupyter (I4 password), cloud-init (<= 16 KB), startup script."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, OptionList, Select, Static, Switch, TextArea
from textual.widgets.option_list import Option

from barrack_tui.api.errors import ApiError
from barrack_tui.rules.instances import PUBLIC_IP_WARNING
from barrack_tui.rules.validators import CLOUD_INIT_MAX_BYTES, validate_jupyter_password
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.areas.instances.deploy.form import password_strength
from barrack_tui.tui.areas.instances.deploy.steps.base import WizardStep
from barrack_tui.tui.areas.instances.security_rules import SecurityRuleFields, describe_rule

_STRENGTH_STYLE = {"weak": "red", "fair": "yellow", "strong": "green"}


class AdvancedStep(WizardStep):
    KEY = "advanced"
    TITLE = "Advanced"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="wiz-switch-row"):
            yield Switch(value=self.form.public_ip, id="wiz-public-ip")
            yield Label("Public IP address")
        yield Static(Text("⚠ " + PUBLIC_IP_WARNING), id="wiz-public-ip-warning", classes="warning hint")
        yield Label("Security rules of the instance")
        yield SecurityRuleFields(id="wiz-rule-fields", existing=lambda: self.form.security_rules)
        with Horizontal(classes="wiz-row"):
            yield Button("Add rule", id="wiz-rule-add")
            yield Button("Remove selected", id="wiz-rule-remove")
        yield OptionList(id="wiz-rules")
        with Horizontal(classes="wiz-switch-row"):
            yield Switch(value=self.form.jupyter_enabled, id="wiz-jupyter")
            yield Label("Jupyter notebook")
        yield Input(value=self.form.jupyter_password, password=True, placeholder="Jupyter password (8+ characters)", id="wiz-jupyter-password")
        yield Static(Text(""), id="wiz-jupyter-hint", classes="hint")
        yield Static(Text(""), id="wiz-jupyter-error", classes="field-error")
        yield Label("cloud-init user data (optional)")
        yield TextArea(self.form.cloud_init, id="wiz-cloud-init", soft_wrap=False)
        yield Static(Text(""), id="wiz-cloud-init-counter", classes="hint")
        yield Static(Text(""), id="wiz-cloud-init-error", classes="field-error")
        yield Label("Startup script (optional)")
        yield Select[str]([], prompt="none", id="wiz-script")

    def on_mount(self) -> None:
        self._public_ip_changed()
        self._jupyter_changed()
        self._count_cloud_init()
        self._show_rules()

    def entered(self) -> None:
        self.query_one("#wiz-public-ip", Switch).focus()
        self.load_scripts()

    @work(exclusive=True, group="wizard-scripts", exit_on_error=False)
    async def load_scripts(self) -> None:
        try:
            scripts = await self.barrack.store.send(lambda api: api.list_scripts())
        except ApiError:
            return  # optional field: the wizard works without it
        select = self.query_one("#wiz-script", Select)
        current = self.form.startup_script_id
        select.set_options([(Text(s.name), s.id) for s in scripts])
        if current in {s.id for s in scripts}:
            select.value = current

    # --- live feedback ------------------------------------------------------------------------------

    @on(Switch.Changed, "#wiz-public-ip")
    def _public_ip_changed(self) -> None:
        self.query_one("#wiz-public-ip-warning").display = self.query_one("#wiz-public-ip", Switch).value

    @on(Switch.Changed, "#wiz-jupyter")
    @on(Input.Changed, "#wiz-jupyter-password")
    def _jupyter_changed(self) -> None:
        enabled = self.query_one("#wiz-jupyter", Switch).value
        password_input = self.query_one("#wiz-jupyter-password", Input)
        password_input.display = enabled
        password = password_input.value
        hint = Text("")
        if enabled and password:
            strength = password_strength(password)
            hint = Text(f"strength: {strength} (12+ characters mixing cases, digits and symbols is strong)", style=_STRENGTH_STYLE[strength])
        self.query_one("#wiz-jupyter-hint", Static).update(hint)
        if enabled and password:
            self.set_error("wiz-jupyter-error", validate_jupyter_password(True, password))
        elif not enabled:
            self.set_error("wiz-jupyter-error", None)

    @on(TextArea.Changed, "#wiz-cloud-init")
    def _count_cloud_init(self) -> None:
        size = len(self.query_one("#wiz-cloud-init", TextArea).text.encode("utf-8"))
        style = "red" if size > CLOUD_INIT_MAX_BYTES else "dim"
        self.set_note("wiz-cloud-init-counter", f"{size:,} / {CLOUD_INIT_MAX_BYTES:,} bytes", style)

    @on(Button.Pressed, "#wiz-rule-add")
    def _add_rule(self) -> None:
        fields = self.query_one(SecurityRuleFields)
        rule = fields.show(all_fields=True)
        if rule is not None:
            self.form.security_rules.append(rule)
            fields.clear()
            self._show_rules()

    @on(Button.Pressed, "#wiz-rule-remove")
    def _remove_rule(self) -> None:
        highlighted = self.query_one("#wiz-rules", OptionList).highlighted
        if highlighted is not None and 0 <= highlighted < len(self.form.security_rules):
            del self.form.security_rules[highlighted]
            self._show_rules()

    def _show_rules(self) -> None:
        rules = self.query_one("#wiz-rules", OptionList)
        rules.clear_options()
        if self.form.security_rules:
            rules.add_options([Option(describe_rule(rule)) for rule in self.form.security_rules])
        else:
            rules.add_option(Option(Text("no rules yet", style="dim"), disabled=True))

    # --- the form -----------------------------------------------------------------------------------

    def collect(self) -> None:
        form = self.form
        form.public_ip = self.query_one("#wiz-public-ip", Switch).value
        form.jupyter_enabled = self.query_one("#wiz-jupyter", Switch).value
        form.jupyter_password = self.query_one("#wiz-jupyter-password", Input).value if form.jupyter_enabled else ""
        form.cloud_init = self.query_one("#wiz-cloud-init", TextArea).text
        script = self.query_one("#wiz-script", Select).value
        form.startup_script_id = script if isinstance(script, str) else None

    def show_verdicts(self, verdicts: dict[str, Verdict]) -> None:
        self.set_error("wiz-jupyter-error", verdicts.get("jupyter"))
        self.set_error("wiz-cloud-init-error", verdicts.get("cloud_init"))

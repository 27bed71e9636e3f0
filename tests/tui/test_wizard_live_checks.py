"""The deploy wizard checks as the user types, like every other form: a message shows for the field being
changed, clears as soon as the field passes (with the "fix the fields" line), and nothing is checked before
the user has touched it."""

from __future__ import annotations

from textual.widgets import Input, SelectionList, TextArea

from barrack_tui.rules.instances import MSG_SSH_KEY_REQUIRED
from barrack_tui.rules.network import MSG_RULE_EXISTS
from barrack_tui.rules.validators import MSG_CLOUD_INIT_TOO_LARGE, MSG_NAME_CHARSET, MSG_NOT_A_WHOLE_NUMBER
from barrack_tui.tui.areas.instances.deploy.steps import KeysStep
from tests.harness import make_harness
from tests.tui.test_instances_wizard import (
    next_step,
    open_wizard,
    settle,
    step_gpu,
    step_region,
    text,
    to_advanced,
    until,
)


async def test_the_name_is_checked_as_it_is_typed_and_the_message_goes_once_it_is_fixed() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(h, pilot)
        assert text(wizard.query_one("#wiz-name-error")) == ""  # nothing checked before it is touched
        await pilot.click("#wiz-name")
        await pilot.press(*"a/b")
        await settle(pilot)
        assert text(wizard.query_one("#wiz-name-error")) == MSG_NAME_CHARSET  # no Next needed
        await next_step(pilot, wizard)
        assert wizard.step.KEY == "region" and "Fix the fields" in text(wizard.query_one("#wizard-error"))
        wizard.query_one("#wiz-name", Input).value = "good-name"  # what editing the field does
        await settle(pilot)
        assert text(wizard.query_one("#wiz-name-error")) == ""
        assert text(wizard.query_one("#wizard-error")) == ""  # the stale "fix the fields" line goes too


async def test_the_keys_message_goes_when_a_key_is_chosen() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(h, pilot)
        await step_region(pilot, wizard, "live-keys", "US-1")
        await step_gpu(pilot, wizard, "L40", 1)
        await settle(pilot)
        await next_step(pilot, wizard)  # boot: the default image
        keys = wizard.query_one(KeysStep)
        await until(pilot, lambda: bool(keys.keys))
        await next_step(pilot, wizard)  # nothing chosen
        assert text(wizard.query_one("#wiz-keys-error")) == MSG_SSH_KEY_REQUIRED
        wizard.query_one("#wiz-keys", SelectionList).select(keys.keys[0].id)
        await settle(pilot)
        assert text(wizard.query_one("#wiz-keys-error")) == ""
        assert text(wizard.query_one("#wizard-error")) == ""


async def test_cloud_init_size_is_checked_as_it_changes_and_an_added_rule_leaves_no_messages() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_advanced(h, pilot, name="live-advanced")
        cloud_init = wizard.query_one("#wiz-cloud-init", TextArea)
        cloud_init.text = "x" * 17_000
        await settle(pilot)
        assert text(wizard.query_one("#wiz-cloud-init-error")) == MSG_CLOUD_INIT_TOO_LARGE.format(size=17_000)
        cloud_init.text = "#cloud-config\n"
        await settle(pilot)
        assert text(wizard.query_one("#wiz-cloud-init-error")) == ""

        # A port that is not a number says so (not "needs both ports").
        wizard.query_one("#rule-cidr", Input).value = "0.0.0.0/0"
        wizard.query_one("#rule-port-min", Input).value = "abc"
        wizard.query_one("#rule-port-max", Input).value = "22"
        await settle(pilot)
        assert text(wizard.query_one("#rule-errors")) == MSG_NOT_A_WHOLE_NUMBER.format(label="Minimum port")
        wizard.query_one("#rule-port-min", Input).value = "22"
        await settle(pilot)
        await pilot.click("#wiz-rule-add")
        await settle(pilot)
        assert len(wizard.form.security_rules) == 1
        assert text(wizard.query_one("#rule-errors")) == ""  # the emptied fields are not "required" yet

        # The same rule again is refused before it joins the request (the API would answer 409).
        wizard.query_one("#rule-cidr", Input).value = "0.0.0.0/0"
        wizard.query_one("#rule-port-min", Input).value = "22"
        wizard.query_one("#rule-port-max", Input).value = "22"
        await settle(pilot)
        await pilot.click("#wiz-rule-add")
        await settle(pilot)
        assert len(wizard.form.security_rules) == 1
        assert text(wizard.query_one("#rule-errors")) == MSG_RULE_EXISTS

"""The deploy wizard against the simulator: stock, every validation, costs, refusals that keep the form, lost answers."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input, OptionList, SelectionList, Switch, TextArea

from barrack_tui.rules.instances import MSG_BOOT_SOURCE, MSG_SSH_KEY_REQUIRED
from barrack_tui.rules.pricing import gpu_hourly
from barrack_tui.rules.validators import (
    MSG_CLOUD_INIT_TOO_LARGE,
    MSG_JUPYTER_PASSWORD_SHORT,
    MSG_KEY_NAME_SPACES,
    MSG_NAME_CHARSET,
    MSG_NAME_REQUIRED,
    MSG_NAME_TAKEN,
    validate_ssh_public_key,
)
from barrack_tui.tui.areas.instances.deploy.steps import BootStep, GpuStep, KeysStep
from barrack_tui.tui.areas.instances.deploy.wizard import DeployWizard, open_deploy_wizard
from barrack_tui.tui.areas.instances.new_key import DeployPrivateKeyModal
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from tests.harness import make_harness, settle, wait_until

REGIONS = ["NORWAY-1", "CANADA-1", "US-1"]


async def until(pilot, predicate, rounds: int = 60) -> None:
    # Rounds first, then real time: generating a key runs in a thread, which a loaded machine slows.
    await wait_until(pilot, predicate, idle_rounds=rounds)


async def ready_to_click(pilot, wizard) -> None:
    # A button ignores clicks for a moment after one (its pressed look): a person clicks again after that.
    await until(pilot, lambda: not wizard.query_one("#wiz-key-create").has_class("-active"))


def text(widget) -> str:
    return widget.render().plain


async def open_wizard(h, pilot) -> DeployWizard:
    await h.poll()
    await settle(pilot)
    await pilot.press("n")
    await until(pilot, lambda: isinstance(h.app.screen, DeployWizard) and bool(h.app.screen.query("#wiz-region")))
    wizard = h.app.screen
    await until(pilot, lambda: wizard.query_one("#wiz-region", OptionList).option_count == 3)
    return wizard


async def next_step(pilot, wizard: DeployWizard) -> None:
    # Next ignores a click during the pressed look of the one before it, as any button does.
    await until(pilot, lambda: not wizard.query_one("#wizard-next").has_class("-active"))
    await pilot.click("#wizard-next")
    await settle(pilot)


async def step_region(pilot, wizard: DeployWizard, name: str, region: str) -> None:
    wizard.query_one("#wiz-name", Input).value = name
    wizard.query_one("#wiz-region", OptionList).highlighted = REGIONS.index(region)
    await next_step(pilot, wizard)


async def step_gpu(pilot, wizard: DeployWizard, model: str, count: int) -> None:
    gpu = wizard.query_one(GpuStep)
    await until(pilot, lambda: gpu.choices and all(c.available for c in gpu.choices))
    index = next(i for i, c in enumerate(gpu.choices) if (c.gpu_model, c.gpu_count) == (model, count))
    wizard.query_one("#wiz-gpu", OptionList).highlighted = index
    await next_step(pilot, wizard)


async def step_boot_and_keys(pilot, wizard: DeployWizard) -> None:
    boot = wizard.query_one(BootStep)
    await until(pilot, lambda: bool(boot.sources))
    await next_step(pilot, wizard)
    keys = wizard.query_one(KeysStep)
    await until(pilot, lambda: bool(keys.keys))
    wizard.query_one("#wiz-keys", SelectionList).select(keys.keys[0].id)
    await next_step(pilot, wizard)


async def to_advanced(h, pilot, *, name: str, region: str = "US-1", model: str = "L40", count: int = 1) -> DeployWizard:
    """Open the wizard and fill the first four steps (the default image, the first key)."""
    wizard = await open_wizard(h, pilot)
    await step_region(pilot, wizard, name, region)
    await step_gpu(pilot, wizard, model, count)
    await step_boot_and_keys(pilot, wizard)
    assert wizard.step.KEY == "advanced"
    return wizard


async def to_review(h, pilot, *, name: str = "new-box", region: str = "US-1", model: str = "L40", count: int = 2) -> DeployWizard:
    wizard = await to_advanced(h, pilot, name=name, region=region, model=model, count=count)
    await next_step(pilot, wizard)  # advanced: defaults
    assert wizard.form.name == name and text(wizard.query_one("#wizard-next")) == "Deploy"
    return wizard


def named(h, name: str) -> list:
    return [record for record in h.state.instances.values() if record.name == name]


async def test_out_of_stock_configurations_are_not_offered() -> None:
    h = make_harness(initial_mode="instances")
    h.state.stock[("US-1", "L40", 1)] = 0
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(h, pilot)
        await step_region(pilot, wizard, "box", "US-1")
        gpu = wizard.query_one(GpuStep)
        await until(pilot, lambda: bool(gpu.choices))
        offered = {(c.gpu_model, c.gpu_count) for c in gpu.choices}
        in_stock = {(m, c) for (r, m, c), n in h.state.stock.items() if r == "US-1" and n > 0}
        assert offered == in_stock
        assert ("L40", 1) not in offered and not any(m == "H100-PCIe-80GB" for m, _ in offered)
        assert "Out of stock in US-1: H100-PCIe-80GB." in text(wizard.query_one("#wiz-gpu-note"))
        # Each option carries its price from the price table.
        prompt = wizard.query_one("#wiz-gpu", OptionList).get_option("L40|2").prompt
        assert f"{gpu_hourly('L40', 2, 'USD'):.2f} USD/h" in prompt.plain


async def test_name_and_region_validation() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(h, pilot)
        for typed, message in (("", MSG_NAME_REQUIRED), ("a/b", MSG_NAME_CHARSET), ("gpu-train-1", MSG_NAME_TAKEN.format(name="gpu-train-1", kind="instance"))):
            wizard.query_one("#wiz-name", Input).value = typed
            await next_step(pilot, wizard)
            assert text(wizard.query_one("#wiz-name-error")) == message
            assert wizard.step.KEY == "region"
            assert "Fix the fields" in text(wizard.query_one("#wizard-error"))


async def test_boot_source_and_keys_validation() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(h, pilot)

        async def no_images(region=None):
            return []

        h.app.client.list_os_images = no_images
        await step_region(pilot, wizard, "box", "US-1")
        await step_gpu(pilot, wizard, "L40", 1)
        await until(pilot, lambda: "none in this region" in str([o.prompt for o in wizard.query_one("#wiz-boot", OptionList).options]))
        await next_step(pilot, wizard)
        assert text(wizard.query_one("#wiz-boot-error")) == MSG_BOOT_SOURCE.format(region="US-1")
        assert wizard.step.KEY == "boot"
        del h.app.client.list_os_images
        wizard.query_one(BootStep).loaded_region = None
        await pilot.click("#wizard-back")
        await next_step(pilot, wizard)
        await until(pilot, lambda: bool(wizard.query_one(BootStep).sources))
        await next_step(pilot, wizard)
        await until(pilot, lambda: bool(wizard.query_one(KeysStep).keys))
        await next_step(pilot, wizard)  # nothing selected
        assert text(wizard.query_one("#wiz-keys-error")) == MSG_SSH_KEY_REQUIRED
        assert wizard.step.KEY == "keys"


async def test_inline_key_create_checks_k1_and_shows_the_private_key_once() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await open_wizard(h, pilot)
        await step_region(pilot, wizard, "box", "US-1")
        await step_gpu(pilot, wizard, "L40", 1)
        await until(pilot, lambda: bool(wizard.query_one(BootStep).sources))
        await next_step(pilot, wizard)
        keys = wizard.query_one(KeysStep)
        await until(pilot, lambda: bool(keys.keys))
        wizard.query_one("#wiz-key-name", Input).value = "my key"
        await pilot.click("#wiz-key-create")
        await until(pilot, lambda: text(wizard.query_one("#wiz-key-create-error")) == MSG_KEY_NAME_SPACES)
        wizard.query_one("#wiz-key-name", Input).value = "laptop-2"
        wizard.query_one("#wiz-key-public", Input).value = "ssh-ed25519 not-base64!"
        await ready_to_click(pilot, wizard)
        await pilot.click("#wiz-key-create")
        bad_key = validate_ssh_public_key("ssh-ed25519 not-base64!").message
        await until(pilot, lambda: text(wizard.query_one("#wiz-key-create-error")) == bad_key)
        wizard.query_one("#wiz-key-public", Input).value = ""
        await ready_to_click(pilot, wizard)
        await pilot.click("#wiz-key-create")
        await until(pilot, lambda: isinstance(h.app.screen, DeployPrivateKeyModal))
        assert "PRIVATE KEY" in h.app.screen.query_one(TextArea).text
        await pilot.click("#private-key-close")
        await settle(pilot)
        created = next(k for k in h.state.ssh_keys.values() if k.name == "laptop-2")
        assert h.app.screen is wizard and created.id in wizard.query_one("#wiz-keys", SelectionList).selected
        await next_step(pilot, wizard)
        assert wizard.step.KEY == "advanced" and wizard.form.ssh_key_ids == [created.id]


async def test_advanced_step_validation_and_rules_reach_the_request() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_advanced(h, pilot, name="box")
        assert not wizard.query_one("#wiz-public-ip-warning").display
        wizard.query_one("#wiz-public-ip", Switch).value = True
        await settle(pilot)
        assert wizard.query_one("#wiz-public-ip-warning").display
        wizard.query_one("#wiz-jupyter", Switch).value = True
        wizard.query_one("#wiz-jupyter-password", Input).value = "short"
        await settle(pilot)
        assert "strength: weak" in text(wizard.query_one("#wiz-jupyter-hint"))
        assert text(wizard.query_one("#wiz-jupyter-error")) == MSG_JUPYTER_PASSWORD_SHORT
        wizard.query_one("#wiz-cloud-init", TextArea).text = "#" * 16_385
        await settle(pilot)
        assert "16,385 / 16,384 bytes" in text(wizard.query_one("#wiz-cloud-init-counter"))
        await next_step(pilot, wizard)
        assert wizard.step.KEY == "advanced"
        assert text(wizard.query_one("#wiz-cloud-init-error")) == MSG_CLOUD_INIT_TOO_LARGE.format(size=16_385)
        wizard.query_one("#wiz-jupyter-password", Input).value = "Correct-Horse-9"
        wizard.query_one("#wiz-cloud-init", TextArea).text = "#cloud-config\npackages: [htop]\n"
        wizard.query_one("#rule-cidr", Input).value = "203.0.113.0/24"
        wizard.query_one("#rule-port-min", Input).value = "8888"
        wizard.query_one("#rule-port-max", Input).value = "8888"
        await settle(pilot)
        assert "strength: strong" in text(wizard.query_one("#wiz-jupyter-hint"))
        await pilot.click("#wiz-rule-add")
        await next_step(pilot, wizard)
        assert wizard.step.KEY == "review"
        shown = text(wizard.query_one("#wiz-review-json"))
        assert '"remote_ip_prefix": "203.0.113.0/24"' in shown and '"port_range_min": 8888' in shown
        assert '"password": "********"' in shown and "Correct-Horse-9" not in shown
        assert '"public_ip": true' in shown and "packages: [htop]" in shown
        await next_step(pilot, wizard)  # deploy
        await until(pilot, lambda: bool(named(h, "box")))
        record = named(h, "box")[0]
        assert record.jupyter_enabled and record.cloud_init.startswith("#cloud-config")
        assert [r.port_range_min for r in record.security_rules] == [8888]


async def test_review_costs_equal_the_price_table() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_review(h, pilot, model="H100-SXM5-80GB", count=2)
        costs = wizard.query_one("#wiz-review-costs").content
        from rich.console import Console

        console = Console(width=200, color_system=None, record=True)
        console.print(costs)
        shown = console.export_text()
        hourly = gpu_hourly("H100-SXM5-80GB", 2, "USD")
        pricing = await h.app.client.get_pricing("USD")
        listed = next(p for p in pricing.prices if str(p.gpu_model) == "H100-SXM5-80GB" and p.gpu_count == 2)
        assert listed.hourly == hourly == Decimal("5.38")
        assert f"{hourly} USD/h · {hourly * 24:.2f} USD/day" in shown
        # How long the balance lasts counts storage too: the header's figures plus this instance.
        costs = h.app.store.costs()
        balance, burn = h.app.store.balance_amount, costs.total_per_hour
        assert costs.storage_per_hour > 0
        lasting = (balance / (burn + hourly)).quantize(Decimal("0.1"))
        assert f"lasts {lasting} h at the new burn rate of {burn + hourly:,.2f} USD/h" in shown
        assert f"(instances {costs.instances_per_hour + hourly:,.2f} + storage {costs.storage_per_hour:,.2f})" in shown


async def test_402_comes_back_into_the_wizard_with_the_form_kept() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_review(h, pilot, name="rich-box")
        h.state.balances["USD"] = Decimal("1.00")  # the store still shows 500: only the server knows
        await next_step(pilot, wizard)
        await until(pilot, lambda: "Insufficient Credits" in text(wizard.query_one("#wizard-error")))
        assert h.app.screen is wizard and wizard.step.KEY == "review" and not named(h, "rich-box")
        assert wizard.query_one("#wiz-name", Input).value == "rich-box"
        assert (wizard.form.gpu_model, wizard.form.gpu_count) == ("L40", 2) and wizard.form.ssh_key_ids
        h.state.balances["USD"] = Decimal("500.00")
        await next_step(pilot, wizard)
        await until(pilot, lambda: isinstance(h.app.screen, InstancesScreen))
        assert len(named(h, "rich-box")) == 1


async def test_stock_gone_returns_to_the_gpu_step() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_review(h, pilot, model="L40", count=2)
        h.state.stock[("US-1", "L40", 2)] = 0
        await next_step(pilot, wizard)
        await until(pilot, lambda: wizard.step.KEY == "gpu")
        assert "out of stock" in text(wizard.query_one("#wizard-error")).lower()
        gpu = wizard.query_one(GpuStep)
        await until(pilot, lambda: ("L40", 2) not in {(c.gpu_model, c.gpu_count) for c in gpu.choices})
        assert wizard.query_one("#wiz-name", Input).value == "new-box"


async def test_name_taken_meanwhile_returns_to_the_name() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_review(h, pilot, name="twin")
        h.instance_named("eval-a100").name = "twin"  # renamed elsewhere; the store has not polled
        await next_step(pilot, wizard)
        await until(pilot, lambda: wizard.step.KEY == "region")
        assert "twin" in text(wizard.query_one("#wizard-error"))


async def test_lost_answer_finds_the_instance_instead_of_sending_again() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_review(h, pilot, name="lost-box")
        h.faults.lose_answer = 1
        await next_step(pilot, wizard)
        await until(pilot, lambda: isinstance(h.app.screen, InstancesScreen))
        assert len(named(h, "lost-box")) == 1
        assert h.state.mutation_counts["POST /instances"] == 1
        assert any("went through although its answer was lost" in n.message for n in h.app._notifications)
        screen = h.app.screen
        await until(pilot, lambda: screen.query_one(FleetTable).cursor_id == named(h, "lost-box")[0].id)


async def test_unanswered_deploy_is_checked_before_it_may_be_retried() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_review(h, pilot, name="retry-box")

        async def no_wait(_seconds: float) -> None:
            return None

        h.app.client._sleep = no_wait  # the GET check retries 502s with backoff; do not wait real seconds
        h.faults.html_502_rate = 1.0  # the deploy and the check both get a proxy's HTML page
        await next_step(pilot, wizard)
        await until(pilot, lambda: text(wizard.query_one("#wizard-next")) == "Check again")
        assert "Nothing is sent again" in text(wizard.query_one("#wizard-error"))
        h.faults.clear()
        await next_step(pilot, wizard)  # checks: not there
        await until(pilot, lambda: text(wizard.query_one("#wizard-next")) == "Retry deploy")
        assert "did not go through" in text(wizard.query_one("#wizard-error"))
        assert h.state.mutation_counts["POST /instances"] == 0
        await next_step(pilot, wizard)
        await until(pilot, lambda: isinstance(h.app.screen, InstancesScreen))
        assert len(named(h, "retry-box")) == 1


async def test_deployed_instance_is_followed_from_creating_to_active() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await to_review(h, pilot, name="fresh")
        await next_step(pilot, wizard)
        await until(pilot, lambda: isinstance(h.app.screen, InstancesScreen))
        screen = h.app.screen
        instance_id = named(h, "fresh")[0].id
        await until(pilot, lambda: instance_id in screen.model.rows)
        assert screen.model.rows[instance_id].status == "CREATING"
        h.advance(h.state.durations.deploy + 1)
        await h.poll("instances")
        await settle(pilot)
        assert screen.model.rows[instance_id].status == "ACTIVE"
        assert any("fresh is ACTIVE" in n.message for n in h.app._notifications)


async def prefilled(h, pilot, **prefill) -> DeployWizard:
    await h.poll()
    await settle(pilot)
    open_deploy_wizard(h.app, **prefill)
    await until(pilot, lambda: isinstance(h.app.screen, DeployWizard) and bool(h.app.screen.query("#wiz-region")))
    wizard = h.app.screen
    options = wizard.query_one("#wiz-region", OptionList)
    await until(pilot, lambda: options.option_count == 3)
    assert options.get_option_at_index(options.highlighted).id == prefill["region"]
    wizard.query_one("#wiz-name", Input).value = "from-matrix"
    await next_step(pilot, wizard)
    await until(pilot, lambda: bool(wizard.query_one(GpuStep).choices))
    return wizard


async def test_prefill_from_a_regions_matrix_cell() -> None:
    h = make_harness(initial_mode="regions")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await prefilled(h, pilot, region="CANADA-1", gpu_model="H100-PCIe-NVLink-80GB", gpu_count=2)
        gpu = wizard.query_one(GpuStep)
        chosen = gpu.choices[wizard.query_one("#wiz-gpu", OptionList).highlighted]
        assert (chosen.gpu_model, chosen.gpu_count) == ("H100-PCIe-NVLink-80GB", 2)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(h.app.screen, DeployWizard) and not named(h, "from-matrix")


async def test_prefill_of_a_sold_out_configuration_says_so() -> None:
    h = make_harness(initial_mode="regions")
    async with h.app.run_test(size=(120, 40)) as pilot:
        wizard = await prefilled(h, pilot, region="CANADA-1", gpu_model="A40", gpu_count=1)
        note = text(wizard.query_one("#wiz-gpu-note"))
        assert "A40 ×1 is not in stock in CANADA-1 now." in note and "Out of stock in CANADA-1: A40." in note

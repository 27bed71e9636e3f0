"""The local assistant: answers computed from the live account with the same rules and prices as the TUI."""

from __future__ import annotations

import re
from decimal import Decimal

from barrack_tui.api.models.common import VMStatus
from barrack_tui.rules.pricing import hibernation_saving_per_hour, instance_billing_rate, money, storage_hourly
from barrack_tui.rules.volumes import MSG_DETACH_NOT_SHUTOFF, MSG_VOLUME_BOOTABLE
from barrack_tui.sim import engine
from barrack_tui.sim.assistant import CAPABILITIES, answer
from tests.sim.resource_world import by_name, clock, instance_named, state  # noqa: F401


def _expected_burn(state) -> Decimal:
    instances = sum(
        (instance_billing_rate(i.status, i.hourly_price, i.currency) for i in state.instances.values()),
        Decimal("0"),
    )
    storage = sum(
        (storage_hourly(v.size_gb, "USD") for v in state.volumes.values() if v.status != "creating"), Decimal("0")
    )
    storage += sum(
        (storage_hourly(s.size_gb, "USD") for s in state.snapshots.values() if s.status == "SUCCESS"), Decimal("0")
    )
    return instances + storage


def test_burn_rate_is_the_sum_by_rules_pricing(state):
    text = answer("What am I paying for?", state)
    total = _expected_burn(state)
    assert f"**Burn rate: {money(total)} USD/hour, {money(total * 24)} USD/day.**" in text
    for instance in state.instances.values():
        rate = instance_billing_rate(instance.status, instance.hourly_price, instance.currency)
        assert f"| {instance.name} | {instance.region} | {instance.status} |" in text
        assert f"{money(rate)} USD |" in text


def test_burn_rate_agrees_with_what_the_engine_bills(state):
    billed_by_engine = engine.book(state).ledger.burn["USD"]  # instances and volumes
    snapshots = sum(
        (storage_hourly(s.size_gb, "USD") for s in state.snapshots.values() if s.status == "SUCCESS"), Decimal("0")
    )
    assert f"Burn rate: {money(billed_by_engine + snapshots)} USD/hour" in answer("what is my burn rate", state)


def test_burn_rate_follows_live_state(state):
    before = answer("burn rate?", state)
    instance_named(state, "gpu-train-1").status = VMStatus.HIBERNATED
    after = answer("burn rate?", state)
    assert before != after
    assert f"Burn rate: {money(_expected_burn(state))} USD/hour" in after


def test_detach_answer_quotes_V3_with_the_real_status_and_says_what_to_do(state):
    volume = by_name(state.volumes, "data-1")
    host = state.instances[volume.instance_id]
    assert host.status == VMStatus.ACTIVE
    text = answer("Why can't I detach data-1?", state)
    assert f"> {MSG_DETACH_NOT_SHUTOFF.format(status='ACTIVE')}" in text
    assert f"stop **{host.name}**" in text
    assert f"```sh\nssh ubuntu@{host.public_ip}\n" in text


def test_detach_answer_when_the_instance_is_shutoff(state):
    volume = next(
        v
        for v in state.volumes.values()
        if v.instance_id and not v.bootable and state.instances[v.instance_id].status == VMStatus.SHUTOFF
    )
    text = answer(f"why can't I detach {volume.name}", state)
    assert text.startswith(f"**{volume.name}** can be detached now")
    assert "/etc/fstab" in text


def test_detach_answer_for_a_bootable_volume(state):
    volume = next(v for v in state.volumes.values() if v.bootable)
    assert f"> {MSG_VOLUME_BOOTABLE}" in answer(f"detach {volume.name}?", state)


def test_detach_without_a_known_volume_lists_the_attached_ones(state):
    text = answer("why can't I detach my disk?", state)
    assert text.startswith("Which volume do you mean?")
    for volume in state.volumes.values():
        assert (f"- {volume.name}" in text) == (volume.instance_id is not None)


def test_shutoff_answer_lists_costs_and_savings(state):
    text = answer("Which instances are SHUTOFF?", state)
    shutoff = [i for i in state.instances.values() if i.status == VMStatus.SHUTOFF]
    assert shutoff
    saving = sum((hibernation_saving_per_hour(i.hourly_price, "USD") for i in shutoff), Decimal("0"))
    for instance in shutoff:
        assert f"| {instance.name} |" in text
    assert f"save **{money(saving)} USD/hour**" in text
    others = [i for i in state.instances.values() if i.status != VMStatus.SHUTOFF]
    assert all(f"| {i.name} |" not in text for i in others)


def test_regions_answer_puts_each_instance_under_its_region(state):
    text = answer("What runs where?", state)
    sections = dict(re.findall(r"### (\S+):[^\n]*\n(.*?)(?=\n### |\Z)", text, flags=re.S))
    assert set(sections) == {"NORWAY-1", "CANADA-1", "US-1"}
    for instance in state.instances.values():
        assert f"**{instance.name}**" in sections[instance.region]


def test_stock_answer_filters_by_family_and_region(state):
    text = answer("Is H100 in stock in US-1?", state)
    rows = re.findall(r"^\| (\S+) \| (\S+) \| (\d) \| (\d+) \|$", text, flags=re.M)
    assert rows
    for region, model, count, free in rows:
        assert region == "US-1" and "H100" in model
        assert state.stock[(region, model, int(count))] == int(free) > 0


def test_stock_answer_when_nothing_is_free(state):
    for key in state.stock:
        state.stock[key] = 0
    assert answer("any L40 in stock?", state).startswith("No stock for L40")


def test_connect_answer_has_ssh_commands_in_a_code_block(state):
    text = answer("how do I connect?", state)
    block = re.search(r"```sh\n(.*?)```", text, flags=re.S)
    assert block
    for instance in state.instances.values():
        if instance.status == VMStatus.ACTIVE and instance.public_ip:
            assert f"ssh ubuntu@{instance.public_ip}" in block.group(1)


def test_fallback_lists_what_it_can_answer_and_mentions_attached_context(state):
    text = answer("tell me a joke", state)
    assert all(item in text for item in CAPABILITIES)
    assert "account context" not in text
    assert "account context you attached" in answer("tell me a joke", state, context="Account context: 3 instances")


def test_answers_are_deterministic_and_never_claim_an_action(state):
    questions = [
        "What am I paying for?",
        "Why can't I detach data-1?",
        "Which instances are SHUTOFF?",
        "What runs where?",
        "Is H100 in stock?",
        "How do I connect?",
        "hi",
    ]
    for question in questions:
        first = answer(question, state)
        assert first == answer(question, state)
        assert not re.search(r"\bI(?:'ve| have)? (?:stopped|started|detached|hibernated|deleted|done)\b", first)


def test_hostile_names_are_echoed_raw(state):
    volume = by_name(state.volumes, "data-1")
    volume.name = "data-1\x1b]52;c;ZXZpbA==\x07"
    text = answer("why can't I detach data-1\x1b]52;c;ZXZpbA==\x07", state)
    assert "**data-1\x1b]52;c;ZXZpbA==\x07**" in text


def test_a_big_fleet_is_summarised_not_listed(state):
    from barrack_tui.sim.assistant import MAX_ROWS
    from barrack_tui.sim.seed import seed_fleet

    seed_fleet(state, 400)
    for question in ("What am I paying for?", "Which instances are SHUTOFF?", "What runs where?", "How do I connect?"):
        text = answer(question, state)
        assert len(text) < 8_000, question
    burn = answer("What am I paying for?", state)
    assert burn.count("\n| ") == MAX_ROWS + 1  # the header row and MAX_ROWS instances
    assert f"(the {MAX_ROWS} above of {len(state.instances)} instances)" in burn
    assert f"**Burn rate: {money(_expected_burn(state))} USD/hour" in burn

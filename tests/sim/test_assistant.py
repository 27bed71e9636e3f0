"""The local assistant: account answers only from the summary the app attached, with the same rules and prices.

The context is built as the app builds it (`chat_context.account_summary` from
the models the client reads), so an answer's figures are the dashboard's.
Without a context, an account question gets how to attach one, never the data.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from barrack_tui.api.models.common import VMStatus
from barrack_tui.api.models.instances import VMInstance
from barrack_tui.api.models.volumes import VolumeResponse
from barrack_tui.chat.context import account_summary
from barrack_tui.rules.pricing import hibernation_saving_per_hour, instance_billing_rate, money
from barrack_tui.rules.volumes import MSG_DETACH_NOT_SHUTOFF, MSG_VOLUME_BOOTABLE
from barrack_tui.sim.assistant import CAPABILITIES, answer
from barrack_tui.sim.assistant_context import CONTEXT_OFF, FROM_SUMMARY
from tests.sim.resource_world import by_name, clock, instance_named, state  # noqa: F401

ACCOUNT_QUESTIONS = (
    "What am I paying for?",
    "Why can't I detach data-1?",
    "Which instances are SHUTOFF?",
    "What runs where?",
    "How do I connect?",
)


def context_of(state) -> str:
    """The summary the app would attach now (from the models its client reads)."""
    instances = [VMInstance.model_validate(i.wire()) for i in state.instances.values()]
    volumes = [VolumeResponse.model_validate(v.wire(state.instances)) for v in state.volumes.values()]
    return account_summary(instances, volumes, None, [])


def ask(question: str, state) -> str:
    return answer(question, state, context=context_of(state))


@pytest.mark.parametrize("question", ACCOUNT_QUESTIONS)
def test_without_the_context_an_account_question_gets_how_to_attach_it_and_no_data(state, question):
    text = answer(question, state)
    assert text == CONTEXT_OFF == "Account context is off: press c to attach a summary of your account."
    assert not any(i.name in text for i in state.instances.values())


@pytest.mark.parametrize("question", ACCOUNT_QUESTIONS)
def test_answers_say_they_come_from_the_attached_summary(state, question):
    assert ask(question, state).endswith(FROM_SUMMARY)


def test_the_answer_is_the_summary_not_the_live_state(state):
    attached = context_of(state)
    instance_named(state, "gpu-train-1").status = VMStatus.HIBERNATED  # after the summary was taken
    text = answer("Which instances are SHUTOFF?", state, context=attached)
    assert "| gpu-train-1 |" not in text
    burn = answer("What am I paying for?", state, context=attached)
    assert "| gpu-train-1 | NORWAY-1 | ACTIVE |" in burn  # as the summary said, not HIBERNATED


def test_the_latest_summary_of_several_is_the_one_read(state):
    older = context_of(state)
    instance_named(state, "batch-l40").status = VMStatus.HIBERNATED
    newer = context_of(state)
    text = answer("Which instances are SHUTOFF?", state, context=older + "\n" + newer)
    assert text.startswith("No instance in the summary is SHUTOFF")


def test_burn_rate_lists_each_instance_at_its_billed_rate_and_quotes_the_cost_line(state):
    context = context_of(state)
    text = answer("What am I paying for?", state, context=context)
    cost_line = next(line for line in context.splitlines() if line.startswith("Cost per hour"))
    assert f"- {cost_line}" in text
    for instance in state.instances.values():
        rate = instance_billing_rate(instance.status, instance.hourly_price, instance.currency)
        assert f"| {instance.name} | {instance.region} | {instance.status} |" in text
        assert f"{money(rate)} USD |" in text


def test_detach_answer_quotes_V3_with_the_status_and_says_what_to_do(state):
    volume = by_name(state.volumes, "data-1")
    host = state.instances[volume.instance_id]
    assert host.status == VMStatus.ACTIVE
    text = ask("Why can't I detach data-1?", state)
    assert f"> {MSG_DETACH_NOT_SHUTOFF.format(status='ACTIVE')}" in text
    assert f"stop **{host.name}**" in text
    assert f"```sh\nssh ubuntu@{host.public_ip}\n" in text


def test_detach_answer_when_the_instance_is_shutoff(state):
    volume = next(
        v
        for v in state.volumes.values()
        if v.instance_id and not v.bootable and state.instances[v.instance_id].status == VMStatus.SHUTOFF
    )
    text = ask(f"why can't I detach {volume.name}", state)
    assert text.startswith(f"**{volume.name}** can be detached now")
    assert "/etc/fstab" in text


def test_detach_answer_for_a_bootable_volume(state):
    volume = next(v for v in state.volumes.values() if v.bootable)
    assert f"> {MSG_VOLUME_BOOTABLE}" in ask(f"detach {volume.name}?", state)


def test_detach_without_a_known_volume_lists_the_attached_ones(state):
    text = ask("why can't I detach my disk?", state)
    assert text.startswith("Which volume do you mean?")
    for volume in state.volumes.values():
        assert (f"- {volume.name}\n" in text) == (volume.instance_id is not None)


def test_shutoff_answer_lists_costs_and_savings(state):
    text = ask("Which instances are SHUTOFF?", state)
    shutoff = [i for i in state.instances.values() if i.status == VMStatus.SHUTOFF]
    assert shutoff
    saving = sum((hibernation_saving_per_hour(i.hourly_price, "USD") for i in shutoff), Decimal("0"))
    for instance in shutoff:
        assert f"| {instance.name} |" in text
    assert f"hibernating them would save {money(saving)} USD/hour" in text
    others = [i for i in state.instances.values() if i.status != VMStatus.SHUTOFF]
    assert all(f"| {i.name} |" not in text for i in others)


def test_regions_answer_puts_each_instance_under_its_region(state):
    text = ask("What runs where?", state)
    sections = dict(re.findall(r"### (\S+)\n(.*?)(?=\n### |\Z)", text, flags=re.S))
    assert set(sections) == {"NORWAY-1", "CANADA-1", "US-1"}
    for instance in state.instances.values():
        assert f"**{instance.name}**" in sections[instance.region]


def test_stock_is_the_catalogue_and_is_answered_with_or_without_the_context(state):
    text = answer("Is H100 in stock in US-1?", state)
    rows = re.findall(r"^\| (\S+) \| (\S+) \| (\d) \| (\d+) \|$", text, flags=re.M)
    assert rows
    for region, model, count, free in rows:
        assert region == "US-1" and "H100" in model
        assert state.stock[(region, model, int(count))] == int(free) > 0
    assert ask("Is H100 in stock in US-1?", state) == text


def test_stock_answer_when_nothing_is_free(state):
    for key in state.stock:
        state.stock[key] = 0
    assert answer("any L40 in stock?", state).startswith("No stock for L40")


def test_connect_answer_has_ssh_commands_in_a_code_block(state):
    text = ask("how do I connect?", state)
    block = re.search(r"```sh\n(.*?)```", text, flags=re.S)
    assert block
    for instance in state.instances.values():
        if instance.status == VMStatus.ACTIVE and instance.public_ip:
            assert f"ssh ubuntu@{instance.public_ip}" in block.group(1)


def test_fallback_lists_what_it_can_answer_and_how_account_questions_work(state):
    text = answer("tell me a joke", state)
    assert all(item in text for item in CAPABILITIES)
    assert "press c to attach it" in text
    assert "from the account summary you attached" in ask("tell me a joke", state)


def test_answers_are_deterministic_and_never_claim_an_action(state):
    for question in (*ACCOUNT_QUESTIONS, "Is H100 in stock?", "hi"):
        first = ask(question, state)
        assert first == ask(question, state)
        assert not re.search(r"\bI(?:'ve| have)? (?:stopped|started|detached|hibernated|deleted|done)\b", first)


def test_hostile_names_in_the_summary_are_echoed_raw(state):
    hostile = "data-1\x1b]52;c;ZXZpbA==\x07"
    context = (
        "Account context:\nVolumes (1):\n"
        f"- {hostile} (500 GB data, attached, NORWAY-1): attached to box [ACTIVE]; "
        "detach refused (INSTANCE_NOT_SHUTOFF): Stop it first; storage 0.05 USD/h"
    )
    text = answer(f"why can't I detach {hostile}", state, context=context)
    assert f"**{hostile}**" in text
    assert "> Stop it first" in text


def test_a_big_fleet_is_answered_from_the_summary_it_was_cut_to(state):
    from barrack_tui.chat.context import MAX_LISTED
    from barrack_tui.sim.seed import seed_fleet

    seed_fleet(state, 400)
    context = context_of(state)
    for question in ACCOUNT_QUESTIONS:
        assert len(answer(question, state, context=context)) < 12_000, question
    burn = answer("What am I paying for?", state, context=context)
    assert burn.count("\n| ") == MAX_LISTED + 1  # the header row and the instances the summary lists
    assert f"… and {len(state.instances) - MAX_LISTED} more instances: the summary lists the first ones only." in burn

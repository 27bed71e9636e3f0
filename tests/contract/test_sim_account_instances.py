"""Account, catalogue and instance operations of the client against the simulator (in-process ASGI)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from barrack_tui.api.errors import InsufficientCreditsError, InvalidRequestError, NotFoundError, RuleRefusedError
from barrack_tui.api.models import (
    DeploymentRequest,
    PricingRequest,
    RegionEnum,
    TierEnum,
    VMSecurityRuleRequest,
    VMStatus,
)


async def test_balance_and_catalogue(client):
    balance = await client.get_balance()
    assert balance.currency == "USD"
    assert balance.balances[0].amount == Decimal("500.00")

    regions = await client.list_regions()
    assert {r.name for r in regions} == set(RegionEnum)
    assert next(r for r in regions if r.name == RegionEnum.CANADA_1).tier is TierEnum.ADVANCED

    stocks = await client.get_gpu_stocks(region="CANADA-1")
    assert stocks.items and {item.region for item in stocks.items} == {RegionEnum.CANADA_1}
    a40 = next(item for item in stocks.items if item.gpu_model == "A40")
    assert all(config.available == 0 for config in a40.configurations)

    specs = await client.get_gpu_specs()
    assert {spec.gpu_model for spec in specs.specs} >= {"H100-SXM5-80GB", "L40"}
    assert all(spec.vram_gb > 0 and spec.specs.vcpus > 0 for spec in specs.specs)

    images = await client.list_os_images(region="US-1")
    assert images and all(image.region == RegionEnum.US_1 for image in images)


async def test_pricing_list_and_quote(client):
    prices = await client.get_pricing(currency="USD")
    vm_prices = [p for p in prices.prices if p.resource_type == "vm"]
    assert vm_prices and all(p.currency == "USD" and p.hourly > 0 for p in vm_prices)
    listed = next(p for p in vm_prices if p.gpu_model == "H100-SXM5-80GB" and p.gpu_count == 2)

    quote = await client.quote_price(
        PricingRequest(resource_type="gpus", tier="legacy", gpu_model="H100-SXM5-80GB", gpu_count=2, currency="USD")
    )
    # The quote is per GPU; the price list's entry is for the 2-GPU flavor. Both come from one table.
    per_gpu = quote.gpus.pricing["legacy"]["H100-SXM5-80GB"]
    assert per_gpu.prices["USD"] * 2 == listed.hourly and per_gpu.unit == "per GPU per hour"
    assert quote.gpus.pricing["advanced"]["B300-262GB"].prices == {"USD": Decimal("5.79"), "EUR": Decimal("5.99"), "INR": 499}
    assert set(quote.volumes.pricing["advanced"]) == {"HDD", "NVMe"}
    assert quote.volume_minimum_gb == 10 and quote.supported_currencies == ("USD", "EUR", "INR")
    assert quote.unreadable == ()


async def test_a_quote_the_rules_refuse_names_the_field(client):
    with pytest.raises(InvalidRequestError) as caught:
        await client.quote_price({"resource_type": "volumes", "volume_size_gb": 5, "volume_type": "Tape"})
    assert caught.value.fields == {"volume_size_gb": "Size must be at least 10 GB",
                                   "volume_type": "Volume type must be one of SSD, HDD, NVMe"}
    assert caught.value.request_id


async def test_list_and_inspect_instances(client):
    instances = await client.list_instances()
    by_name = {i.name: i for i in instances}
    assert by_name["gpu-train-1"].status is VMStatus.ACTIVE
    assert by_name["batch-l40"].status is VMStatus.SHUTOFF
    assert {i.name for i in await client.list_instances(status="HIBERNATED")} == {"notebook-a6000", "archive-h100"}
    assert {i.region for i in await client.list_instances(region="US-1")} == {RegionEnum.US_1}

    details = await client.get_instance(by_name["inference-a100"].id)
    assert details.instance.name == "inference-a100"
    assert [v.name for v in details.volumes] == ["data-1"]

    firewalls = await client.get_instance_firewalls(by_name["gpu-train-1"].id)
    assert [f.name for f in firewalls] == ["jupyter-lab"]

    billing = await client.get_instance_billing(by_name["gpu-train-1"].id)
    assert billing.instance_id == by_name["gpu-train-1"].id and billing.summary.total >= 0

    hibernated = await client.get_hibernated_instances()
    assert hibernated.count == 2
    assert {h.name for h in hibernated.recent} <= {"notebook-a6000", "archive-h100"}


async def test_paginated_walk_against_the_simulator(client):
    everything = await client.list_instances()
    paged = await client.list_instances(per_page=3)
    assert [i.id for i in paged] == [i.id for i in everything]


async def test_lifecycle_actions_return_the_transitional_state(client, clock, state):
    stopped = await client.stop_instance("ins-0001")
    assert stopped.instance.status is VMStatus.STOPPING
    clock.advance(state.durations.stop + 1)
    assert (await client.get_instance("ins-0001")).instance.status is VMStatus.SHUTOFF

    started = await client.start_instance("ins-0001")
    assert started.instance.status is VMStatus.STARTING
    clock.advance(state.durations.start + 1)

    rebooted = await client.reboot_instance("ins-0001")
    assert rebooted.instance.status is VMStatus.REBOOTING
    clock.advance(state.durations.reboot + 1)

    hibernating = await client.hibernate_instance("ins-0001")
    assert hibernating.instance.status is VMStatus.HIBERNATING
    clock.advance(state.durations.hibernate + 1)

    restoring = await client.restore_instance("ins-0001")
    assert restoring.instance.status is VMStatus.RESTORING


async def test_a_refused_action_carries_the_rule_text(client):
    with pytest.raises(RuleRefusedError) as caught:
        await client.start_instance("ins-0001")  # already ACTIVE
    assert caught.value.code and caught.value.message
    # The rule's own words, then the id the server gave this request (X-Request-Id, and the body when wrapped).
    assert str(caught.value) == f"{caught.value.message} (request id {caught.value.request_id})"


async def test_public_ip_and_security_rules(client):
    toggled = await client.toggle_public_ip("ins-0001")
    assert toggled.instance.id == "ins-0001"
    assert toggled.public_ip is None  # it had one: toggling removes it

    added = await client.add_instance_security_rule(
        "ins-0001",
        VMSecurityRuleRequest(direction="ingress", protocol="tcp", ethertype="IPv4", remote_ip_prefix="10.0.0.0/8",
                              port_range_min=8080, port_range_max=8080),
    )
    assert added.rule.port_range_min == 8080
    rules = (await client.get_instance("ins-0001")).security_rules
    assert added.rule.id in {r.id for r in rules}

    await client.remove_instance_security_rule("ins-0001", added.rule.id)
    assert added.rule.id not in {r.id for r in (await client.get_instance("ins-0001")).security_rules}


async def test_a_bad_security_rule_lists_the_failing_field(client):
    with pytest.raises(InvalidRequestError) as caught:
        await client.add_instance_security_rule(
            "ins-0001",
            {"direction": "ingress", "protocol": "tcp", "ethertype": "IPv4", "remote_ip_prefix": "10.0.0.0/33",
             "port_range_min": 22, "port_range_max": 22},
        )
    assert "remote_ip_prefix" in caught.value.fields


def deployment(name: str = "contract-test-1", **overrides) -> DeploymentRequest:
    fields = dict(
        name=name,
        region="NORWAY-1",
        gpu_model="L40",
        gpu_count=1,
        boot_source={"type": "os_image", "id": "os-no1-ubuntu-2204-r550-cuda124"},
        ssh_key_ids=["key-0001"],
    )
    return DeploymentRequest(**(fields | overrides))


async def test_deploy_then_delete(client, clock, state):
    deployed = await client.deploy_instance(deployment())
    assert deployed.deployment_id.startswith("DEP") and len(deployed.deployment_id) == 10
    assert deployed.instance.status is VMStatus.CREATING
    clock.advance(state.durations.deploy + 1)
    assert (await client.get_instance(deployed.instance.id)).instance.status is VMStatus.ACTIVE

    deleted = await client.delete_instance(deployed.instance.id)
    assert deleted.message or deleted.instance is not None
    clock.advance(state.durations.delete + 1)
    assert deployed.instance.id not in {i.id for i in await client.list_instances()}


async def test_deploy_without_credits_is_402(client, state):
    state.balances[state.currency] = Decimal("0.01")
    with pytest.raises(InsufficientCreditsError) as caught:
        await client.deploy_instance(deployment("contract-test-2"))
    assert "Insufficient Credits" in str(caught.value)


async def test_unknown_instance_is_not_found(client):
    with pytest.raises(NotFoundError):
        await client.get_instance("ins-9999")

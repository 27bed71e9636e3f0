"""Account and catalogue through HTTP: balance, stock (down on deploy, back on delete), specs, regions, pricing, OS images.

The pricing quote answers in the live service's documented shape and states
the limits the simulator enforces.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from barrack_tui.api.models import (
    CreditBalanceResponse,
    GPUSpecsResponse,
    GPUStocksResponse,
    OSImagesResponse,
    PricingResponse,
    RegionsResponse,
)
from barrack_tui.api.routes import ROUTES
from barrack_tui.rules.pricing import GPU_HOURLY, GPU_MAX_COUNT, per_minute
from barrack_tui.sim.catalogue import GPUS, REGIONS
from tests.sim.core_world import client, clock, faults, field_messages, instance_named, state  # noqa: F401


async def test_balance_is_deducted_as_time_passes(client, state, clock):
    body = CreditBalanceResponse.model_validate((await client.get(ROUTES["get_balance"].url())).json())
    assert body.currency == "USD" and [(b.currency, b.amount) for b in body.balances] == [("USD", Decimal("500.00"))]
    clock.advance(3600)
    later = CreditBalanceResponse.model_validate((await client.get(ROUTES["get_balance"].url())).json())
    assert later.balances[0].amount < Decimal("490")  # the demo fleet burns about 15 USD an hour


async def test_stock_lists_every_offered_configuration(client, state):
    body = GPUStocksResponse.model_validate((await client.get(ROUTES["get_gpu_stocks"].url())).json())
    listed = {(i.region, i.gpu_model, c.gpu_count): c.available for i in body.items for c in i.configurations}
    assert listed == state.stock
    assert any(available == 0 for available in listed.values())
    us = GPUStocksResponse.model_validate((await client.get(ROUTES["get_gpu_stocks"].url(), params={"region": "US-1"})).json())
    assert {i.region for i in us.items} == {"US-1"}
    assert {i.gpu_model for i in us.items} == set(REGIONS["US-1"].available_gpus)


async def test_stock_goes_down_on_deploy_and_back_on_delete(client, state, clock):
    def available(body):
        item = next(i for i in body["items"] if i["gpu_model"] == "L40")
        return next(c["available"] for c in item["configurations"] if c["gpu_count"] == 2)

    before = available((await client.get(ROUTES["get_gpu_stocks"].url(), params={"region": "NORWAY-1"})).json())
    deploy = {
        "name": "stock-check", "region": "NORWAY-1", "gpu_model": "L40", "gpu_count": 2,
        "boot_source": {"type": "os_image", "id": "os-no1-ubuntu-2004-r535-cuda122"},
        "ssh_key_ids": [next(iter(state.ssh_keys))],
    }
    created = (await client.post(ROUTES["deploy_instance"].url(), json=deploy)).json()["instance"]
    assert available((await client.get(ROUTES["get_gpu_stocks"].url(), params={"region": "NORWAY-1"})).json()) == before - 1
    clock.advance(state.durations.deploy)
    assert (await client.delete(ROUTES["delete_instance"].url(id=created['id']))).status_code == 202
    clock.advance(state.durations.delete)
    assert available((await client.get(ROUTES["get_gpu_stocks"].url(), params={"region": "NORWAY-1"})).json()) == before


async def test_specs_cover_every_gpu_model(client):
    body = GPUSpecsResponse.model_validate((await client.get(ROUTES["get_gpu_specs"].url())).json())
    assert {s.gpu_model for s in body.specs} == set(GPUS) and set(GPUS) <= set(GPU_HOURLY)
    h100 = next(s for s in body.specs if s.gpu_model == "H100-SXM5-80GB")
    assert h100.vram_gb == 80 and h100.metadata.nvlink and h100.metadata.interface == "SXM5"


async def test_regions_with_tiers(client):
    body = RegionsResponse.model_validate((await client.get(ROUTES["list_regions"].url())).json())
    tiers = {r.name: r.tier for r in body.regions}
    assert tiers == {"NORWAY-1": "legacy", "CANADA-1": "advanced", "US-1": "legacy"}
    assert all(r.location and r.available_gpus for r in body.regions)


@pytest.mark.parametrize("currency", ["USD", "EUR", "INR"])
async def test_price_list_matches_the_documented_prices(client, currency):
    body = PricingResponse.model_validate((await client.get(ROUTES["get_pricing"].url(), params={"currency": currency})).json())
    vm = {(p.gpu_model, p.gpu_count): p for p in body.prices if p.resource_type == "vm"}
    assert len(vm) == 8 * 4
    for (model, count), price in vm.items():
        assert price.currency == currency and price.hourly == GPU_HOURLY[model][currency] * count
        assert price.per_minute == per_minute(price.hourly)
    volume = next(p for p in body.prices if p.resource_type == "volume")
    assert volume.size_gb == 1000 and volume.hourly == {"USD": Decimal("0.1"), "EUR": Decimal("0.1"), "INR": Decimal("10")}[currency]


async def test_quote_in_the_live_services_documented_shape(client, clock):
    response = await client.post(ROUTES["quote_price"].url(), json={"tier": "legacy", "currency": "USD", "resource_type": "gpus"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"success", "message", "pricing_data", "request_id"}
    assert body["success"] is True and body["message"] == "Pricing information retrieved successfully"
    assert body["request_id"] == response.headers["x-request-id"]
    data = body["pricing_data"]
    assert set(data) == {"volumes", "snapshots", "gpus", "metadata"}
    # Numbers, not strings, exactly as the live service sends them.
    assert data["gpus"]["pricing"]["advanced"]["B300-262GB"] == {
        "prices": {"USD": 5.79, "EUR": 5.99, "INR": 499}, "max_count": 8, "unit": "per GPU per hour"}
    assert data["volumes"]["pricing"]["legacy"] == {"SSD": {"prices": {"USD": 0.1, "EUR": 0.1, "INR": 10}, "unit": "per TB per hour"}}
    assert data["volumes"]["pricing"]["advanced"] == {
        "HDD": {"prices": {"USD": 0.08, "EUR": 0.1, "INR": 8}, "unit": "per TB per hour"},
        "NVMe": {"prices": {"USD": 0.3, "EUR": 0.35, "INR": 30}, "unit": "per TB per hour"},
    }
    assert data["snapshots"]["pricing"]["legacy"]["prices"] == {"USD": 0.1, "EUR": 0.1, "INR": 10}
    assert data["volumes"]["minimum_size_gb"] == data["metadata"]["volume_minimum_size_gb"] == 10
    assert data["metadata"]["supported_currencies"] == ["USD", "EUR", "INR"]
    assert data["metadata"]["supported_tiers"] == ["legacy", "advanced"]
    assert data["metadata"]["authentication_type"] == "api_key"
    assert data["metadata"]["timestamp"] == int(clock.now())


async def test_quote_figures_are_the_price_table_and_the_regions_offer(client):
    gpus = (await client.post(ROUTES["quote_price"].url(), json={"resource_type": "gpus"})).json()["pricing_data"]["gpus"]["pricing"]
    for tier, models in gpus.items():
        for model, entry in models.items():
            assert {c: Decimal(str(v)) for c, v in entry["prices"].items()} == GPU_HOURLY[model], (tier, model)
    # Every GPU a region offers is quoted on that region's tier (our `standard` is the quote's `legacy`).
    for region in REGIONS.values():
        tier = "legacy" if region.tier == "standard" else region.tier
        assert set(region.available_gpus) <= set(gpus[tier]), region.name


async def test_quote_path_with_or_without_the_slash(client):
    slash = (await client.post(ROUTES["quote_price"].url(), json={"resource_type": "volumes"})).json()
    bare = (await client.post(ROUTES["quote_price"].url().rstrip("/"), json={"resource_type": "volumes"})).json()
    assert slash["pricing_data"] == bare["pricing_data"] and slash["request_id"] != bare["request_id"]
    assert "prices" in (await client.get(ROUTES["get_pricing"].url())).json()  # the price list keeps its own shape


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"resource_type": "gpus", "tier": "gold"}, {"tier": "Tier must be one of legacy, advanced"}),
        ({"resource_type": "gpus", "currency": "JPY"}, {"currency": "Currency must be one of USD, EUR, INR"}),
        ({"resource_type": "volumes", "volume_size_gb": 9}, {"volume_size_gb": "Size must be at least 10 GB"}),
        ({"resource_type": "volumes", "tier": "advanced", "volume_type": "SSD"},
         {"volume_type": "Volume type must be one of HDD, NVMe"}),
        ({"resource_type": "gpus", "gpu_model": "Z9"}, {"gpu_model": "Choose a GPU model from the list"}),
        ({"resource_type": "gpus", "tier": "advanced", "gpu_model": "L40"},
         {"gpu_model": "L40 is not offered on the advanced tier"}),
        ({"resource_type": "gpus", "gpu_model": "L40", "gpu_count": 3}, {"gpu_count": "GPU count must be 1, 2, 4 or 8"}),
    ],
)
async def test_quote_refuses_what_the_rules_refuse(client, body, fields):
    assert field_messages(await client.post(ROUTES["quote_price"].url(), json=body)) == fields


async def test_quote_needs_a_resource_type_it_knows(client):
    assert (await client.post(ROUTES["quote_price"].url(), json={})).status_code == 422
    assert set(field_messages(await client.post(ROUTES["quote_price"].url(), json={"resource_type": "vm"}))) == {"resource_type"}


async def test_the_stated_limits_are_the_enforced_ones(client, state, monkeypatch):
    from barrack_tui.sim import catalogue

    monkeypatch.setattr(catalogue, "VOLUME_MINIMUM_GB", 100)
    monkeypatch.setitem(GPU_MAX_COUNT, "L40", 4)
    data = (await client.post(ROUTES["quote_price"].url(), json={"resource_type": "gpus"})).json()["pricing_data"]
    assert data["metadata"]["volume_minimum_size_gb"] == 100
    assert data["gpus"]["pricing"]["legacy"]["L40"]["max_count"] == 4
    assert field_messages(await client.post(ROUTES["quote_price"].url(), json={"resource_type": "gpus", "gpu_model": "L40", "gpu_count": 8})) == {
        "gpu_count": "At most 4 × L40 per instance"}

    small = {"name": "small", "region": "NORWAY-1", "size_gb": 50}
    assert field_messages(await client.post(ROUTES["create_volume"].url(), json=small)) == {"size_gb": "Size must be at least 100 GB"}
    deploy = {
        "name": "eight-l40", "region": "NORWAY-1", "gpu_model": "L40", "gpu_count": 8,
        "boot_source": {"type": "os_image", "id": "os-no1-ubuntu-2004-r535-cuda122"},
        "ssh_key_ids": [next(iter(state.ssh_keys))],
    }
    assert field_messages(await client.post(ROUTES["deploy_instance"].url(), json=deploy)) == {"gpu_count": "At most 4 × L40 per instance"}


async def test_os_images_by_region(client):
    all_images = OSImagesResponse.model_validate((await client.get(ROUTES["list_os_images"].url())).json()).images
    assert len(all_images) == 12
    canada = OSImagesResponse.model_validate((await client.get(ROUTES["list_os_images"].url(), params={"region": "CANADA-1"})).json())
    assert {i.region for i in canada.images} == {"CANADA-1"}
    assert {i.name for i in canada.images} == {
        "Ubuntu Server 22.04 LTS R550 CUDA 12.4 with Docker",
        "Ubuntu Server 22.04 LTS R550 CUDA 12.4",
        "Ubuntu Server 20.04 LTS R535 CUDA 12.2 with Docker",
        "Ubuntu Server 20.04 LTS R535 CUDA 12.2",
    }
    assert (await client.get(ROUTES["list_os_images"].url(), params={"region": "MARS-1"})).status_code == 422


async def test_catalogue_needs_the_key(client):
    assert (await client.get(ROUTES["list_regions"].url(), headers={"Authorization": "Bearer nope"})).status_code == 401


@pytest.mark.parametrize(
    ("operation", "status", "model"),
    [
        ("get_balance", "200", "CreditBalanceResponse"),
        ("get_gpu_stocks", "200", "GPUStocksResponse"),
        ("get_pricing", "200", "PricingResponse"),
        ("quote_price", "200", "PricingQuoteResponse"),
        ("deploy_instance", "201", "DeploymentResponse"),
        ("list_instances", "200", "ListVMsResponse"),
        ("stop_instance", "202", "StopVMResponse"),
        ("delete_instance", "202", "DeleteVMResponse"),
        ("get_instance_billing", "200", "AggregatedBillingResponse"),
        ("list_volumes", "200", "GetVolumesWithNextNameResponse"),
        ("create_volume", "201", "CreateVolumeResponse"),
        ("detach_volumes", "200", "DetachVolumesResponse"),
        ("get_volume_billing", "200", "VolumeHourlyBillingResponse"),
    ],
)
async def test_openapi_documents_the_routes_with_the_contract_models(state, operation, status, model):
    import httpx

    from barrack_tui.sim.app import create_app

    route = ROUTES[operation]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(state)), base_url="http://sim") as raw:
        spec = (await raw.get("/openapi.json")).json()
    documented = spec["paths"][route.template][route.method.lower()]
    schema = documented["responses"][status]["content"]["application/json"]["schema"]
    assert schema["$ref"].rsplit("/", 1)[-1] == model
    if route.method != "GET":
        assert documented["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")

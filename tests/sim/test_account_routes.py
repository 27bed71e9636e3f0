"""Account and catalogue through HTTP: balance, stock (down on deploy, back on delete), specs, regions, pricing, OS images."""

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
from barrack_tui.rules.pricing import GPU_HOURLY, per_minute
from barrack_tui.sim.catalogue import REGIONS
from tests.sim.core_world import client, clock, faults, field_messages, instance_named, state  # noqa: F401


async def test_balance_is_deducted_as_time_passes(client, state, clock):
    body = CreditBalanceResponse.model_validate((await client.get("/balance")).json())
    assert body.currency == "USD" and [(b.currency, b.amount) for b in body.balances] == [("USD", Decimal("500.00"))]
    clock.advance(3600)
    later = CreditBalanceResponse.model_validate((await client.get("/balance")).json())
    assert later.balances[0].amount < Decimal("490")  # the demo fleet burns about 15 USD an hour


async def test_stock_lists_every_offered_configuration(client, state):
    body = GPUStocksResponse.model_validate((await client.get("/gpu/stocks")).json())
    listed = {(i.region, i.gpu_model, c.gpu_count): c.available for i in body.items for c in i.configurations}
    assert listed == state.stock
    assert any(available == 0 for available in listed.values())
    us = GPUStocksResponse.model_validate((await client.get("/gpu/stocks", params={"region": "US-1"})).json())
    assert {i.region for i in us.items} == {"US-1"}
    assert {i.gpu_model for i in us.items} == set(REGIONS["US-1"].available_gpus)


async def test_stock_goes_down_on_deploy_and_back_on_delete(client, state, clock):
    def available(body):
        item = next(i for i in body["items"] if i["gpu_model"] == "L40")
        return next(c["available"] for c in item["configurations"] if c["gpu_count"] == 2)

    before = available((await client.get("/gpu/stocks", params={"region": "NORWAY-1"})).json())
    deploy = {
        "name": "stock-check", "region": "NORWAY-1", "gpu_model": "L40", "gpu_count": 2,
        "boot_source": {"type": "os_image", "id": "os-no1-ubuntu-2004-r535-cuda122"},
        "ssh_key_ids": [next(iter(state.ssh_keys))],
    }
    created = (await client.post("/instances", json=deploy)).json()["instance"]
    assert available((await client.get("/gpu/stocks", params={"region": "NORWAY-1"})).json()) == before - 1
    clock.advance(state.durations.deploy)
    assert (await client.delete(f"/instances/{created['id']}")).status_code == 202
    clock.advance(state.durations.delete)
    assert available((await client.get("/gpu/stocks", params={"region": "NORWAY-1"})).json()) == before


async def test_specs_cover_every_gpu_model(client):
    body = GPUSpecsResponse.model_validate((await client.get("/gpu/specs")).json())
    assert {s.gpu_model for s in body.specs} == set(GPU_HOURLY)
    h100 = next(s for s in body.specs if s.gpu_model == "H100-SXM5-80GB")
    assert h100.vram_gb == 80 and h100.metadata.nvlink and h100.metadata.interface == "SXM5"


async def test_regions_with_tiers(client):
    body = RegionsResponse.model_validate((await client.get("/regions")).json())
    tiers = {r.name: r.tier for r in body.regions}
    assert tiers == {"NORWAY-1": "standard", "CANADA-1": "advanced", "US-1": "standard"}
    assert all(r.location and r.available_gpus for r in body.regions)


@pytest.mark.parametrize("currency", ["USD", "EUR", "INR"])
async def test_price_list_matches_the_documented_prices(client, currency):
    body = PricingResponse.model_validate((await client.get("/pricing", params={"currency": currency})).json())
    vm = {(p.gpu_model, p.gpu_count): p for p in body.prices if p.resource_type == "vm"}
    assert len(vm) == 8 * 4
    for (model, count), price in vm.items():
        assert price.currency == currency and price.hourly == GPU_HOURLY[model][currency] * count
        assert price.per_minute == per_minute(price.hourly)
    volume = next(p for p in body.prices if p.resource_type == "volume")
    assert volume.size_gb == 1000 and volume.hourly == {"USD": Decimal("0.1"), "EUR": Decimal("0.1"), "INR": Decimal("10")}[currency]


async def test_quote_for_a_configuration(client):
    body = {"resource_type": "vm", "gpu_model": "H100-SXM5-80GB", "gpu_count": 8, "hours": 24}
    quote = PricingResponse.model_validate((await client.post("/pricing", json=body)).json()).prices[0]
    assert quote.hourly == Decimal("21.52") and quote.total == Decimal("516.48") and quote.currency == "USD"
    storage = {"resource_type": "volume", "size_gb": 2500, "currency": "INR", "hours": 10}
    quote = PricingResponse.model_validate((await client.post("/pricing", json=storage)).json()).prices[0]
    assert quote.hourly == Decimal("25") and quote.total == Decimal("250")


async def test_quote_without_what_it_needs_is_422(client):
    fields = field_messages(await client.post("/pricing", json={"resource_type": "vm"}))
    assert set(fields) == {"gpu_model", "gpu_count"}
    assert set(field_messages(await client.post("/pricing", json={"resource_type": "snapshot"}))) == {"size_gb"}


async def test_os_images_by_region(client):
    all_images = OSImagesResponse.model_validate((await client.get("/os-images")).json()).images
    assert len(all_images) == 12
    canada = OSImagesResponse.model_validate((await client.get("/os-images", params={"region": "CANADA-1"})).json())
    assert {i.region for i in canada.images} == {"CANADA-1"}
    assert {i.name for i in canada.images} == {
        "Ubuntu Server 22.04 LTS R550 CUDA 12.4 with Docker",
        "Ubuntu Server 22.04 LTS R550 CUDA 12.4",
        "Ubuntu Server 20.04 LTS R535 CUDA 12.2 with Docker",
        "Ubuntu Server 20.04 LTS R535 CUDA 12.2",
    }
    assert (await client.get("/os-images", params={"region": "MARS-1"})).status_code == 422


async def test_catalogue_needs_the_key(client):
    assert (await client.get("/regions", headers={"Authorization": "Bearer nope"})).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "status", "model"),
    [
        ("get", "/api/v1/balance", "200", "CreditBalanceResponse"),
        ("get", "/api/v1/gpu/stocks", "200", "GPUStocksResponse"),
        ("post", "/api/v1/pricing", "200", "PricingResponse"),
        ("post", "/api/v1/instances", "201", "DeploymentResponse"),
        ("get", "/api/v1/instances", "200", "ListVMsResponse"),
        ("post", "/api/v1/instances/{instance_id}/stop", "202", "StopVMResponse"),
        ("delete", "/api/v1/instances/{instance_id}", "202", "DeleteVMResponse"),
        ("get", "/api/v1/instances/{instance_id}/billing", "200", "AggregatedBillingResponse"),
        ("get", "/api/v1/volumes", "200", "GetVolumesWithNextNameResponse"),
        ("post", "/api/v1/volumes", "201", "CreateVolumeResponse"),
        ("post", "/api/v1/instances/{instance_id}/volumes/detach", "200", "DetachVolumesResponse"),
        ("get", "/api/v1/volumes/{volume_id}/billing", "200", "VolumeHourlyBillingResponse"),
    ],
)
async def test_openapi_documents_the_routes_with_the_contract_models(state, method, path, status, model):
    import httpx

    from barrack_tui.sim.app import create_app

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(state)), base_url="http://sim") as raw:
        spec = (await raw.get("/openapi.json")).json()
    operation = spec["paths"][path][method]
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    assert schema["$ref"].rsplit("/", 1)[-1] == model
    if method != "get":
        assert operation["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")

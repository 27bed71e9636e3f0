"""The pricing quote as the live service documents it, read by the client; and the same quote, made hostile.

Every case goes through `BarrackClient.quote_price` against a scripted
answer, so the envelope, the JSON decoding (numbers from their own text) and
the tolerant models are all on the path.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from barrack_tui.api.client import BarrackClient
from barrack_tui.api.errors import UnsuccessfulError
from barrack_tui.api.tolerant import is_unknown
from tests.api.scripted import BASE_URL, CANARY_KEY

# The live service's documented example, as its docs show it (numbers are JSON numbers).
DOCUMENTED = """{"success": true,
 "message": "Pricing information retrieved successfully",
 "pricing_data": {
   "volumes":   {"pricing": {"legacy":   {"SSD":  {"prices": {"USD": 0.1,  "EUR": 0.1,  "INR": 10}, "unit": "per TB per hour"}},
                             "advanced": {"HDD":  {"prices": {"USD": 0.08, "EUR": 0.1,  "INR": 8},  "unit": "per TB per hour"},
                                          "NVMe": {"prices": {"USD": 0.3,  "EUR": 0.35, "INR": 30}, "unit": "per TB per hour"}}},
                 "minimum_size_gb": 100, "description": "..."},
   "snapshots": {"pricing": {"legacy": {"prices": {"USD": 0.1, "EUR": 0.1, "INR": 10}, "fixed_size_gb": 100, "unit": "per hour (fixed 100GB)"}},
                 "description": "..."},
   "gpus":      {"pricing": {"legacy":   {"H100-PCIe-NVLink-80GB": {"prices": {"USD": 2.29, "EUR": 2.39, "INR": 199}, "max_count": 8, "unit": "per GPU per hour"},
                                          "RTX-A6000":             {"prices": {"USD": 0.69, "EUR": 0.75, "INR": 49},  "max_count": 4, "unit": "per GPU per hour"}},
                             "advanced": {"B300-262GB":            {"prices": {"USD": 5.79, "EUR": 5.99, "INR": 499}, "max_count": 8, "unit": "per GPU per hour"},
                                          "H100-SXM5-80GB":        {"prices": {"USD": 2.49, "EUR": 2.69, "INR": 209}, "max_count": 8, "unit": "per GPU per hour"}}},
                 "description": "..."},
   "metadata":  {"supported_currencies": ["USD", "EUR", "INR"], "supported_tiers": ["legacy", "advanced"],
                 "volume_minimum_size_gb": 100, "authenticated_user": "...", "authentication_type": "api_key", "timestamp": 1702234567}},
 "request_id": "a1b2c3d4"}"""


async def quote(body: str | bytes, status: int = 200) -> Any:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        content = body.encode() if isinstance(body, str) else body
        return httpx.Response(status, content=content, headers={"content-type": "application/json"})

    async with BarrackClient(BASE_URL, CANARY_KEY, transport=httpx.MockTransport(answer)) as client:
        result = await client.quote_price({"resource_type": "gpus", "tier": "legacy", "currency": "USD"})
    assert seen[0].method == "POST" and seen[0].url.path == "/api/v1/pricing/"
    assert json.loads(seen[0].content) == {"resource_type": "gpus", "tier": "legacy", "currency": "USD"}
    return result


def documented() -> dict[str, Any]:
    return json.loads(DOCUMENTED)


async def test_the_documented_example_is_read_whole() -> None:
    q = await quote(DOCUMENTED)
    assert q.unreadable == ()
    assert q.volume_minimum_gb == 100 and q.supported_currencies == ("USD", "EUR", "INR")
    nvme = q.volumes.pricing["advanced"]["NVMe"]
    # Decimals from the JSON text: 0.35 is exactly 0.35, never 0.34999999999999997779...
    assert nvme.prices == {"USD": Decimal("0.3"), "EUR": Decimal("0.35"), "INR": Decimal("30")}
    assert nvme.unit == "per TB per hour"
    assert q.snapshots.pricing["legacy"].fixed_size_gb == 100
    b300 = q.gpus.pricing["advanced"]["B300-262GB"]
    assert b300.price("USD") == Decimal("5.79") and b300.max_count == 8 and not is_unknown("B300-262GB")
    assert q.gpu_max_count("RTX-A6000") == 4
    assert q.gpu_max_count("RTX-A6000", "standard") == 4  # our regions' name for the legacy tier
    assert q.gpu_max_count("L40") is None  # not listed: no stated limit
    assert q.metadata.authentication_type == "api_key" and q.metadata.timestamp == 1702234567


async def test_values_this_version_does_not_know_are_kept_as_they_came() -> None:
    data = documented()
    gpus = data["pricing_data"]["gpus"]["pricing"]
    gpus["gold"] = {"B400-384GB": {"prices": {"USD": 9.99, "JPY": 1500}, "max_count": 16, "unit": "per GPU per hour"}}
    data["pricing_data"]["metadata"]["supported_currencies"].append("JPY")
    data["pricing_data"]["metadata"]["brand_new_field"] = {"anything": [1, 2]}
    q = await quote(json.dumps(data))
    assert [str(tier) for tier in q.gpus.pricing] == ["legacy", "advanced", "gold"]
    tier = next(t for t in q.gpus.pricing if str(t) == "gold")
    model = next(m for m in q.gpus.pricing[tier] if str(m) == "B400-384GB")
    assert is_unknown(tier) and is_unknown(model)
    assert q.gpus.pricing["gold"]["B400-384GB"].prices["JPY"] == 1500
    assert q.supported_currencies == ("USD", "EUR", "INR", "JPY")
    assert q.gpu_max_count("B400-384GB") == 16


@pytest.mark.parametrize("bad", ["-2.29", "9E+999999", '"NaN"', '"Infinity"', "true", '"2.29 USD"'])
async def test_one_unreadable_price_costs_only_that_price(bad: str) -> None:
    text = DOCUMENTED.replace('"EUR": 2.39', f'"EUR": {bad}')
    assert text != DOCUMENTED
    q = await quote(text)
    nvlink = q.gpus.pricing["legacy"]["H100-PCIe-NVLink-80GB"]
    assert nvlink.prices == {"USD": Decimal("2.29"), "INR": 199}
    assert [problem.label() for problem in nvlink.prices.refused] == ["EUR"]
    assert q.gpu_max_count("H100-PCIe-NVLink-80GB") == 8 and q.volume_minimum_gb == 100


async def test_an_unreadable_entry_is_left_out_and_listed() -> None:
    data = documented()
    data["pricing_data"]["gpus"]["pricing"]["legacy"]["RTX-A6000"]["max_count"] = -4
    data["pricing_data"]["gpus"]["pricing"]["legacy"]["\x1b[31mX" * 40] = {"prices": {}}
    q = await quote(json.dumps(data))
    legacy = q.gpus.pricing["legacy"]
    assert list(legacy) == ["H100-PCIe-NVLink-80GB"]
    assert len(legacy.refused) == 2
    assert "RTX-A6000" in legacy.refused[0].describe() and "max_count" in legacy.refused[0].describe()
    assert all("\x1b" not in problem.describe() for problem in legacy.refused)
    assert q.gpu_max_count("RTX-A6000") is None  # what could not be read states nothing


async def test_a_section_that_cannot_be_read_leaves_the_others() -> None:
    data = documented()
    data["pricing_data"]["gpus"] = "temporarily unavailable"
    data["pricing_data"]["metadata"]["timestamp"] = "yesterday"
    q = await quote(json.dumps(data))
    assert q.gpus is None and q.unreadable and q.unreadable[0].startswith("gpus")
    assert q.volume_minimum_gb == 100 and q.metadata.timestamp is None
    assert q.gpu_max_count("RTX-A6000") is None


async def test_a_bare_answer_is_read_too() -> None:
    data = documented()["pricing_data"]
    assert (await quote(json.dumps(data))).volume_minimum_gb == 100
    assert (await quote(json.dumps({"pricing_data": data}))).volume_minimum_gb == 100


async def test_success_false_is_the_servers_message() -> None:
    body = {"success": False, "message": "Pricing is unavailable in your region", "request_id": "e5f6a7b8"}
    with pytest.raises(UnsuccessfulError) as caught:
        await quote(json.dumps(body))
    assert caught.value.message == "Pricing is unavailable in your region"
    assert str(caught.value).endswith("(request id e5f6a7b8)")

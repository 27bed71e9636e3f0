"""The deploy wizard's form without widgets: stock choices, I4 per step, the exact request, the cost preview."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from barrack_tui.api.models import GPUStockItem
from barrack_tui.rules.instances import MSG_INSUFFICIENT_CREDITS
from barrack_tui.tui.areas.instances.deploy.form import (
    DeployForm,
    cost_preview,
    in_stock,
    out_of_stock_models,
    password_strength,
)

STOCK = [
    GPUStockItem.model_validate({"gpu_model": "L40", "region": "US-1", "configurations": [
        {"gpu_count": 1, "available": 3}, {"gpu_count": 2, "available": 0}, {"gpu_count": 8, "available": 1}]}),
    GPUStockItem.model_validate({"gpu_model": "A40", "region": "US-1", "configurations": [{"gpu_count": 1, "available": 0}]}),
    GPUStockItem.model_validate({"gpu_model": "A40", "region": "NORWAY-1", "configurations": [{"gpu_count": 1, "available": 5}]}),
]


def complete_form(**overrides) -> DeployForm:
    form = DeployForm(
        name="box", region="US-1", gpu_model="L40", gpu_count=1, boot_type="os_image", boot_id="os-1",
        ssh_key_ids=["key-1"], stock_available=3, boot_source_ok=True,
    )
    for key, value in overrides.items():
        setattr(form, key, value)
    return form


def test_only_available_configurations_of_the_region_are_choices() -> None:
    assert [(c.gpu_model, c.gpu_count, c.available) for c in in_stock(STOCK, "US-1")] == [("L40", 1, 3), ("L40", 8, 1)]
    assert out_of_stock_models(STOCK, "US-1") == ["A40"]


@pytest.mark.parametrize(
    ("overrides", "step"),
    [
        ({"name": ""}, "region"),
        ({"region": None}, "region"),
        ({"stock_available": 0}, "gpu"),
        ({"boot_source_ok": False}, "boot"),
        ({"ssh_key_ids": []}, "keys"),
        ({"jupyter_enabled": True, "jupyter_password": "short"}, "advanced"),
        ({"cloud_init": "x" * 16_385}, "advanced"),
        ({}, None),
    ],
)
def test_first_failing_step(overrides, step) -> None:
    assert complete_form(**overrides).first_failing_step(set()) == step


def test_taken_name_fails_the_first_step() -> None:
    verdicts = complete_form().step_verdicts("region", {"box"})
    assert not verdicts["name"] and verdicts["region"]


def test_request_is_exact_and_the_review_masks_only_the_password() -> None:
    form = complete_form(jupyter_enabled=True, jupyter_password="s3cret-pass", cloud_init="#cloud-config\n", public_ip=True)
    request = form.request()
    assert request.jupyter.password == "s3cret-pass"
    shown = json.loads(form.request_json())
    assert shown["jupyter"] == {"enabled": True, "password": "********"}
    assert shown == {**request.model_dump(mode="json"), "jupyter": shown["jupyter"]}


def test_password_off_is_not_sent() -> None:
    assert complete_form(jupyter_enabled=False, jupyter_password="left-over").request().jupyter.password is None


@pytest.mark.parametrize(("password", "strength"), [("abc", "weak"), ("abcdefgh", "weak"), ("abcdefg1", "fair"), ("Abcdefgh12!x", "strong")])
def test_password_strength_hint(password: str, strength: str) -> None:
    assert password_strength(password) == strength


def test_cost_preview_from_the_price_table() -> None:
    hourly = complete_form(gpu_count=8).hourly("USD")
    assert hourly == Decimal("9.52")
    preview = cost_preview(hourly, balance=Decimal("100"), current_burn=Decimal("0.48"))
    assert (preview.hourly, preview.daily, preview.burn_after, preview.hours_lasting) == (
        Decimal("9.52"), Decimal("228.48"), Decimal("10.00"), Decimal("10.0"))
    assert preview.credits


def test_cost_preview_refuses_less_than_an_hour_of_credit() -> None:
    preview = cost_preview(Decimal("9.52"), balance=Decimal("9.51"), current_burn=Decimal("0"))
    assert not preview.credits and preview.credits.message == MSG_INSUFFICIENT_CREDITS

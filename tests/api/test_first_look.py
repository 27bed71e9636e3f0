"""Reading the first answers without pydantic: the models' rules for every field it shows, or no first look."""

from __future__ import annotations

import json
from decimal import Decimal

from barrack_tui.api.enums import VMStatus
from barrack_tui.api.first_look import read_first_look
from barrack_tui.api.unknown import is_unknown
from barrack_tui.tui.shell.first_look import ShownFirstLook


def instance(name: str = "train-1", **fields) -> dict:
    return {"id": "ins-1", "name": name, "status": "ACTIVE", "region": "NORWAY-1", "currency": "USD",
            "hourly_price": 2.5, "flavor": {}, "created_at": "2026-12-01T00:00:00Z", **fields}


def answers(*, instances=None, wrap: bool = False, pages: int = 1, **bodies) -> dict[str, bytes]:
    payloads = {
        "balance": {"balances": [{"currency": "USD", "amount": "120.50"}], "currency": "USD"},
        "instances": {"instances": [instance()] if instances is None else instances,
                      "pagination": {"page": 1, "per_page": 10000, "total": 1, "total_pages": pages}},
        "volumes": {"volumes": [{"id": "vol-1", "name": "data", "status": "available", "size_gb": 100,
                                 "region": "NORWAY-1"}], "next_name": "volume2"},
        "snapshots": {"snapshots": [{"id": "snap-1", "name": "s", "status": "SUCCESS", "size_gb": 20}]},
        "regions": {"regions": [{"name": "NORWAY-1", "location": "Oslo, Norway", "tier": "standard",
                                 "available_gpus": ["L40"]}]},
        "stocks": {"items": [{"gpu_model": "L40", "region": "NORWAY-1",
                              "configurations": [{"gpu_count": 1, "available": 3}]}]},
        "prices": {"prices": [{"resource_type": "vm", "gpu_model": "L40", "gpu_count": 1, "currency": "USD",
                               "hourly": 1.19, "per_minute": 0.0198}]},
        **bodies,
    }
    if wrap:  # as the live service answers: {success, <payload>, request_id}
        payloads = {kind: {"success": True, **payload, "request_id": "req-1"} for kind, payload in payloads.items()}
    return {kind: json.dumps(payload).encode() for kind, payload in payloads.items()}


def test_the_first_look_reads_what_the_first_screen_shows_with_exact_amounts():
    look = read_first_look(answers())
    assert look is not None
    (only,) = look.instances.values()
    assert only.status == VMStatus.ACTIVE and only.hourly_price == Decimal("2.5")
    assert look.balance_amount == Decimal("120.50") and look.currency == "USD"
    assert ShownFirstLook.of(look).costs().instances_per_hour == Decimal("2.5")
    assert look.regions[0].location == "Oslo, Norway" and look.stocks[0].configurations[0].available == 3


def test_names_are_sanitised_and_markup_is_kept_as_text():
    look = read_first_look(answers(instances=[instance("gpu [/bold] box\x1b[31m\x07")]))
    assert look is not None
    name = next(iter(look.instances.values())).name
    assert "\x1b" not in name and "\x07" not in name
    assert name.startswith("gpu [/bold] box")


def test_a_value_this_version_does_not_know_is_kept_as_it_came():
    look = read_first_look(answers(instances=[instance(status="MIGRATING")]))
    assert look is not None
    status = next(iter(look.instances.values())).status
    assert is_unknown(status) and status == "MIGRATING"


def test_wrapped_answers_read_as_bare_ones():
    assert read_first_look(answers(wrap=True)) == read_first_look(answers())


def test_any_field_the_models_refuse_gives_no_first_look():
    assert read_first_look(answers(instances=[instance(hourly_price=-1)])) is None
    assert read_first_look(answers(instances=[instance(hourly_price="1e400")])) is None
    assert read_first_look(answers(instances=[instance(name=None)])) is None
    assert read_first_look(answers(instances=[instance(status="x" * 65)])) is None
    assert read_first_look(answers(volumes={"volumes": [{"id": "v", "name": "v", "status": "available",
                                                         "size_gb": 10**12, "region": "NORWAY-1"}]})) is None
    assert read_first_look(answers(regions={"regions": "none"})) is None
    assert read_first_look({**answers(), "balance": b"<html>502</html>"}) is None


def test_a_fleet_on_more_than_one_page_gives_no_first_look():
    # The first page alone would count the fleet wrong until the walk is done.
    assert read_first_look(answers(pages=2)) is None


def test_a_missing_answer_gives_no_first_look():
    partial = answers()
    del partial["stocks"]
    assert read_first_look(partial) is None

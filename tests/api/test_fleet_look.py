"""The fleet look: the Instances table's fields, read by the models' rules before the fleet is validated."""

from __future__ import annotations

import orjson
import pytest

from barrack_tui.api.fleet_look import read_fleet_look
from barrack_tui.api.models import VMInstance
from barrack_tui.api.tolerant import is_unknown
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo, seed_fleet


def fleet_items(n: int = 50) -> list[dict]:
    state = seed_demo(FakeClock())
    seed_fleet(state, n)
    return [orjson.loads(orjson.dumps(record.wire())) for record in state.instances.values()]


def page(items: list[dict]) -> bytes:
    return orjson.dumps({"instances": items, "pagination": {"page": 1, "total_pages": 1}})


def test_the_look_reads_what_the_validated_models_say_for_every_field_the_table_shows() -> None:
    items = fleet_items()
    looks = read_fleet_look([page(items[:20]), page(items[20:])])
    assert looks is not None and len(looks) == len(items)
    for item in items:
        model, look = VMInstance.model_validate(item), looks[item["id"]]
        for name in ("id", "name", "status", "region", "currency", "hourly_price", "public_ip", "private_ip",
                     "created_at", "updated_at"):
            assert getattr(look, name) == getattr(model, name), name
        assert (look.flavor.gpu_model, look.flavor.gpu_count) == (model.flavor.gpu_model, model.flavor.gpu_count)


def test_server_strings_are_sanitised_and_unknown_values_kept_as_they_came() -> None:
    items = fleet_items(3)
    items[0]["name"] = "gpu [/bold] \x1b]52;c;Zm9v\x07 box\u202e"
    items[1]["status"] = "PAUSED"
    items[2]["flavor"]["gpu_model"] = "B300"
    looks = read_fleet_look([page(items)])
    assert looks is not None
    assert looks[items[0]["id"]].name == VMInstance.model_validate(items[0]).name == "gpu [/bold] \\x1b]52;c;Zm9v\\x07 box\\u202e"
    assert is_unknown(looks[items[1]["id"]].status) and looks[items[1]["id"]].status == "PAUSED"
    assert is_unknown(looks[items[2]["id"]].flavor.gpu_model)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hourly_price", "-1"),
        ("hourly_price", "9E+999999"),
        ("created_at", "yesterday"),
        ("created_at", 1764000000),
        ("name", None),
        ("flavor", None),
        ("flavor", {"gpu_model": "L40", "gpu_count": 10**12}),
        ("status", ""),
    ],
)
def test_one_field_the_rules_refuse_gives_no_look_at_all(field: str, value: object) -> None:
    items = fleet_items(5)
    items[3][field] = value
    assert read_fleet_look([page(items)]) is None


def test_an_item_that_is_not_an_object_or_a_page_that_is_not_json_gives_no_look() -> None:
    items: list = fleet_items(2)
    assert read_fleet_look([page([*items, "ins-9"])]) is None
    assert read_fleet_look([b'{"instances": [{"id": "ins-1"']) is None


def test_the_first_sighting_of_an_id_wins_as_the_clients_does() -> None:
    items = fleet_items(2)
    again = {**items[0], "name": "moved"}
    looks = read_fleet_look([page(items), page([again])])
    assert looks is not None and looks[items[0]["id"]].name == items[0]["name"]

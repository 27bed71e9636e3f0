"""Models whose field-name sets are shared stay the same models: equal, dumped alike, still assignable, and smaller."""

from __future__ import annotations

import tracemalloc

from barrack_tui.api.compact import share_fields_sets
from barrack_tui.api.models import Script, Snapshot

SNAPSHOT = {
    "id": "snap-1",
    "name": "weekly",
    "description": "Weekly",
    "instance_id": "ins-1",
    "instance_name": "gpu-1",
    "region": "US-1",
    "size_gb": 100,
    "status": "SUCCESS",
    "is_image": False,
    "created_at": "2026-11-11T11:06:40Z",
    "vm_config": {"gpu_model": "L40", "gpu_count": 1, "image_id": "os-1", "image_name": "Ubuntu", "ssh_key_ids": ["k"]},
}


def script(i: int, **extra: object) -> Script:
    fields = {"id": f"scr-{i}", "name": f"s{i}", "content": "echo", "created_at": "2026-11-11T11:06:40Z",
              "updated_at": "2026-11-11T11:06:40Z", **extra}
    return Script.model_validate(fields)


def test_models_of_one_shape_share_one_set_nested_models_too_and_stay_equal() -> None:
    items = [Snapshot.model_validate({**SNAPSHOT, "id": f"snap-{i}"}) for i in range(3)]
    before = [item.model_dump() for item in items]
    share_fields_sets(items)
    assert items[0].__pydantic_fields_set__ is items[2].__pydantic_fields_set__
    assert items[0].vm_config.__pydantic_fields_set__ is items[1].vm_config.__pydantic_fields_set__
    assert [item.model_dump() for item in items] == before
    assert items[0] == Snapshot.model_validate({**SNAPSHOT, "id": "snap-0"})


def test_a_different_shape_keeps_its_own_set_and_assignment_still_works() -> None:
    plain, other = script(1), Snapshot.model_validate(SNAPSHOT)
    share_fields_sets([plain, other, script(2)])
    assert plain.model_fields_set == {"id", "name", "content", "created_at", "updated_at"}
    assert other.__pydantic_fields_set__ is not plain.__pydantic_fields_set__
    plain.name = "renamed"
    assert plain.name == "renamed"
    assert plain.model_copy(update={"name": "copied"}).name == "copied"


def test_sharing_halves_what_a_list_of_scripts_holds() -> None:
    tracemalloc.start()
    try:
        items = [script(i) for i in range(2_000)]
        built = tracemalloc.get_traced_memory()[0]
        share_fields_sets(items)
        shared = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert shared < built * 0.6

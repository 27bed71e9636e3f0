"""A long list becomes models with the cyclic collector paused, and the collector runs again afterwards.

Unpaused, 5,000 items set off dozens of collections while they are read; paused, at most the one young
collection that runs as soon as the collector is back.
"""

from __future__ import annotations

import gc

from barrack_tui.api.models import ScriptListResponse


def scripts(n: int, *, bad_at: int | None = None) -> dict:
    items = [
        {"id": f"scr-{i}", "name": f"s{i}", "content": "echo", "created_at": "2026-11-11T11:06:40Z",
         "updated_at": "2026-11-11T11:06:40Z"}
        for i in range(n)
    ]
    if bad_at is not None:
        items[bad_at]["created_at"] = "not a date"
    return {"scripts": items}


def collections_during(body: dict) -> tuple[int, ScriptListResponse]:
    seen: list[str] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(phase)

    ScriptListResponse.model_validate(scripts(1))  # the schema is built on first use: not part of the read
    gc.collect()
    gc.callbacks.append(count)
    try:
        read = ScriptListResponse.model_validate(body)
    finally:
        gc.callbacks.remove(count)
    return len(seen), read


def test_a_long_list_is_read_without_a_collection_and_the_collector_comes_back() -> None:
    collections, read = collections_during(scripts(5_000))
    assert len(read.scripts) == 5_000
    assert collections <= 1
    assert gc.isenabled()


def test_a_long_list_with_an_unreadable_item_also_leaves_the_collector_running() -> None:
    collections, read = collections_during(scripts(5_000, bad_at=17))
    assert len(read.scripts) == 4_999 and len(read.scripts.refused) == 1
    assert collections <= 1
    assert gc.isenabled()


def test_a_short_list_leaves_the_collector_alone() -> None:
    gc.collect()
    collections, read = collections_during(scripts(10))
    assert len(read.scripts) == 10 and gc.isenabled()

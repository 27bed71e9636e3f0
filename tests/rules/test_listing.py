"""Pages of 6 and the volumes page statistics."""

from __future__ import annotations

from barrack_tui.rules.listing import page_count, page_items, volume_stats
from tests.rules.factories import make_volume


def test_page_count_rounds_up_and_never_drops_below_one() -> None:
    assert [page_count(n) for n in (0, 1, 6, 7, 12, 13)] == [1, 1, 1, 2, 2, 3]


def test_page_items_clamps_out_of_range_pages() -> None:
    items = list(range(8))
    assert list(page_items(items, 1)) == [0, 1, 2, 3, 4, 5]
    assert list(page_items(items, 2)) == [6, 7]
    assert list(page_items(items, 9)) == [6, 7]  # the list shrank under the user: show the last page
    assert list(page_items(items, 0)) == [0, 1, 2, 3, 4, 5]
    assert list(page_items([], 1)) == []


def test_volume_statistics() -> None:
    volumes = [
        make_volume(id="a", size_gb=100, bootable=True),
        make_volume(id="b", size_gb=500),
        make_volume(id="c", size_gb=50, status="available"),
        make_volume(id="d", size_gb=10, status="creating"),
    ]
    stats = volume_stats(volumes)
    assert (stats.total_volumes, stats.total_storage_gb, stats.attached_volumes, stats.bootable_volumes) == (4, 660, 2, 1)

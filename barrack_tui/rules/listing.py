"""How the resource pages list cards: pages of 6 (volumes, firewalls F7, snapshots, images) and the volume statistics.

The dashboard pages its card grids six at a time; the TUI mirrors that so a
user moving between the web dashboard and the terminal finds things on the
same page number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from barrack_tui.api.enums import VolumeStatus

if TYPE_CHECKING:  # annotations only: the rules run on models without loading them
    from barrack_tui.api.models.volumes import VolumeResponse

PAGE_SIZE = 6

T = TypeVar("T")


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    """Number of pages for `total` cards; an empty list still has one (empty) page."""
    return max(1, -(-max(total, 0) // page_size))


def page_items(items: Sequence[T], page: int, page_size: int = PAGE_SIZE) -> Sequence[T]:
    """The cards of 1-based `page`, clamped to the existing pages (a shrinking list never shows a blank page)."""
    page = min(max(page, 1), page_count(len(items), page_size))
    start = (page - 1) * page_size
    return items[start : start + page_size]


@dataclass(frozen=True, slots=True)
class VolumeStats:
    """The volumes page's statistics: Total Volumes, Total Storage (GB), Attached Volumes, Bootable Volumes."""

    total_volumes: int
    total_storage_gb: int
    attached_volumes: int
    bootable_volumes: int


def volume_stats(volumes: Iterable[VolumeResponse]) -> VolumeStats:
    items = list(volumes)
    return VolumeStats(
        total_volumes=len(items),
        total_storage_gb=sum(v.size_gb for v in items),
        attached_volumes=sum(1 for v in items if v.status == VolumeStatus.ATTACHED),
        bootable_volumes=sum(1 for v in items if v.bootable),
    )

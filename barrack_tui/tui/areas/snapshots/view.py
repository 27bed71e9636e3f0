"""What the Snapshots & Images screen shows, computed from the store: filtered lists, statistics, row cells, labels.

No widgets here, so tests and the details screen reuse the same words. Every
allowed/refused decision comes from `barrack_tui.rules` (can_snapshot,
can_restore_snapshot, can_create_image); this module only counts and formats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from rich.text import Text

from barrack_tui.api.models import Image, Snapshot, VMInstance
from barrack_tui.rules.resources import can_create_image, can_restore_snapshot, can_snapshot
from barrack_tui.tui.kit.badge import status_text

ALL_REGIONS = "all"
REGION_CHOICES = ("NORWAY-1", "CANADA-1", "US-1")


def in_region(region: object, wanted: str | None) -> bool:
    return wanted is None or str(region) == wanted


_Dated = TypeVar("_Dated", Snapshot, Image)


def newest_first(items: Iterable[_Dated]) -> list[_Dated]:
    return sorted(items, key=lambda item: (item.created_at, item.id), reverse=True)


def snapshots_in(snapshots: Mapping[str, Snapshot], region: str | None) -> list[Snapshot]:
    return newest_first(s for s in snapshots.values() if in_region(s.region, region))


def images_in(images: Mapping[str, Image], region: str | None) -> list[Image]:
    return newest_first(i for i in images.values() if in_region(i.region, region))


def snapshot_candidates(instances: Mapping[str, VMInstance], region: str | None) -> list[VMInstance]:
    """S1: the instances a snapshot may be taken of (ACTIVE), in the region, by name."""
    return sorted(
        (i for i in instances.values() if in_region(i.region, region) and can_snapshot(i.status).allowed),
        key=lambda i: (i.name, i.id),
    )


def image_sources(snapshots: Mapping[str, Snapshot], region: str | None) -> list[Snapshot]:
    """M1: the snapshots an image may be made from (SUCCESS), in the region, newest first."""
    return [s for s in snapshots_in(snapshots, region) if can_create_image(s.status).allowed]


def instance_label(instance: VMInstance) -> str:
    """How the create-snapshot form offers an instance: `name - GPU (REGION)`."""
    return f"{instance.name} - {instance.flavor.gpu_model} ({instance.region})"


@dataclass(frozen=True, slots=True)
class SnapshotStats:
    """Total Snapshots, Total Storage (GB), Available VMs (may be snapshotted now), Restorable (SUCCESS)."""

    total_snapshots: int
    total_storage_gb: int
    available_vms: int
    restorable: int


def snapshot_stats(snapshots: list[Snapshot], instances: Mapping[str, VMInstance], region: str | None) -> SnapshotStats:
    return SnapshotStats(
        total_snapshots=len(snapshots),
        total_storage_gb=sum(s.size_gb for s in snapshots),
        available_vms=len(snapshot_candidates(instances, region)),
        restorable=sum(1 for s in snapshots if can_restore_snapshot(s.status).allowed),
    )


def stats_text(stats: SnapshotStats) -> Text:
    text = Text()
    for index, (label, value) in enumerate(
        (
            ("Total Snapshots", f"{stats.total_snapshots:,}"),
            ("Total Storage", f"{stats.total_storage_gb:,} GB"),
            ("Available VMs", f"{stats.available_vms:,}"),
            ("Restorable", f"{stats.restorable:,}"),
        )
    ):
        if index:
            text.append(" · ", style="dim")
        text.append(f"{label} ", style="dim")
        text.append(value, style="bold")
    return text


def short_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


# Most telling first: at 80 columns the last ones scroll off (details show everything).
SNAPSHOT_COLUMNS = (
    ("name", "Name"),
    ("status", "Status"),
    ("created", "Created"),
    ("size", "Size"),
    ("region", "Region"),
    ("instance", "Instance"),
    ("image", "Image"),
)
IMAGE_COLUMNS = (
    ("name", "Name"),
    ("status", "Status"),
    ("created", "Created"),
    ("size", "Size"),
    ("region", "Region"),
    ("snapshot", "From snapshot"),
)


def snapshot_cells(snapshot: Snapshot) -> list[Text]:
    return [
        Text(snapshot.name, style="bold"),
        status_text(snapshot.status),
        Text(short_date(snapshot.created_at)),
        Text(f"{snapshot.size_gb:,} GB"),
        Text(str(snapshot.region)),
        Text(snapshot.instance_name or "—"),
        Text("Yes" if snapshot.is_image else "No", style="" if snapshot.is_image else "dim"),
    ]


def image_cells(image: Image, snapshots: Mapping[str, Snapshot]) -> list[Text]:
    source = snapshots.get(image.snapshot_id) if image.snapshot_id else None
    return [
        Text(image.name, style="bold"),
        status_text(image.status),
        Text(short_date(image.created_at)),
        Text(f"{image.size_gb:,} GB"),
        Text(str(image.region)),
        Text(source.name if source else (image.snapshot_id or "—"), style="" if source else "dim"),
    ]


# What the hints call each action -> its binding id on the list (the details screen passes its own key function).
HINT_BINDINGS = {"create": "snapshots.create", "restore": "snapshots.restore", "make_image": "snapshots.make_image",
                 "delete": "snapshots.delete", "details": "snapshots.details"}
_DEFAULT_HINT_KEYS = {"create": "n", "restore": "U", "make_image": "m", "delete": "d", "details": "⏎"}


def snapshot_action_hint(
    snapshot: Snapshot | None, *, in_list: bool = True, key: Callable[[str], str] | None = None
) -> Text:
    """The selected snapshot's actions, with the reason under any that is unavailable.

    `key(action)` names the key of "create", "restore", "make_image", "delete", "details" as the user has it bound.
    """
    key = key or _DEFAULT_HINT_KEYS.__getitem__
    hint = Text()
    if snapshot is None:
        hint.append(f"{key('create')} Take a snapshot of an ACTIVE instance", style="dim")
        return hint
    restore = can_restore_snapshot(snapshot.status)
    image = can_create_image(snapshot.status)
    if in_list:
        hint.append(f"{key('details')} Details  ", style="dim")
    hint.append(f"{key('restore')} Restore  ", style="dim" if restore.allowed else "dim strike")
    hint.append(f"{key('make_image')} Make image  ", style="dim" if image.allowed else "dim strike")
    hint.append(f"{key('delete')} Delete", style="dim")
    for action, verdict in (("restore", restore), ("make_image", image)):
        if not verdict.allowed:
            hint.append(f"\n{key(action)}: ", style="bold")
            hint.append(verdict.message, style="yellow")
    return hint

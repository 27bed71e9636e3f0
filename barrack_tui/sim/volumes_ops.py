"""What happens to the account when a volume is created, attached, detached, resized, cloned or deleted.

Route handlers check the rules (rules/volumes.py, rules/validators.py) first;
these functions only carry the change out. A volume's `contents_marker`
stands for its data: attach and detach never touch it, nor its billing
(storage is billed by size whatever the attachment, as the seed page says).
"""

from __future__ import annotations

import re

from barrack_tui.api.enums import VolumeStatus, VolumeTypeEnum
from barrack_tui.sim import engine_book
from barrack_tui.sim.state import InstanceRecord, SimState, VolumeRecord

_SUGGESTED = re.compile(r"volume([1-9][0-9]*)")


def next_volume_name(state: SimState) -> str:
    """The lowest free `volumeN` (N >= 1) among the account's volume names."""
    used = {int(m.group(1)) for name in state.names_in_use("volumes") if (m := _SUGGESTED.fullmatch(name))}
    n = 1
    while n in used:
        n += 1
    return f"volume{n}"


def create_volume(
    state: SimState,
    *,
    name: str,
    region: str,
    size_gb: int,
    bootable: bool = False,
    os_image_id: str | None = None,
    contents_marker: str | None = None,
) -> VolumeRecord:
    """A new volume in `creating`; the engine makes it available (and billed) after Durations.volume_create."""
    now = state.now()
    volume_id = state.new_id("vol")
    volume = VolumeRecord(
        id=volume_id,
        name=name,
        status=VolumeStatus.CREATING,
        size_gb=int(size_gb),
        region=str(region),
        created_at=now,
        bootable=bootable,
        os_image_id=os_image_id if bootable else None,
        volume_type=VolumeTypeEnum.CLOUD_SSD,
        contents_marker=contents_marker or (f"os:{os_image_id}:{volume_id}" if bootable else f"blank:{volume_id}"),
    )
    state.volumes[volume.id] = volume
    engine_book.schedule(state, engine_book.VOLUME, volume, VolumeStatus.AVAILABLE, now + state.durations.volume_create)
    return volume


def clone_volume(state: SimState, source: VolumeRecord, name: str) -> VolumeRecord:
    """A new volume with the source's size, region, kind and data (V8 checked by the caller)."""
    return create_volume(
        state,
        name=name,
        region=source.region,
        size_gb=source.size_gb,
        bootable=source.bootable,
        os_image_id=source.os_image_id,
        contents_marker=source.contents_marker,
    )


def resize_volume(state: SimState, volume: VolumeRecord, size_gb: int) -> None:
    """Grow the volume; billing follows the new size from now (V8, V9 checked by the caller)."""
    volume.size_gb = int(size_gb)
    engine_book.rebill_volume(state, volume, state.now())


def attach(volume: VolumeRecord, instance: InstanceRecord) -> None:
    volume.instance_id = instance.id
    volume.status = VolumeStatus.ATTACHED


def detach(volume: VolumeRecord) -> None:
    # Data and billing stay exactly as they are: only the link to the instance goes.
    volume.instance_id = None
    volume.status = VolumeStatus.AVAILABLE


def delete_volume(state: SimState, volume: VolumeRecord, at: float | None = None) -> None:
    """Remove the volume for good and close its billing (V7 checked by the caller)."""
    engine_book.close_volume_billing(state, volume, state.now() if at is None else at)
    volume.pending = None
    state.volumes.pop(volume.id, None)


def volumes_of(state: SimState, instance_id: str) -> list[VolumeRecord]:
    return [volume for volume in state.volumes.values() if volume.instance_id == instance_id]

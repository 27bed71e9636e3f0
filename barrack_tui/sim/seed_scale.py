"""Big synthetic lists of volumes, SSH keys, firewalls, scripts, snapshots and images, for scale benchmarks and tests.

`seed_many(state, kind, n)` adds `n` records of one kind in well under a
second per 10,000, deterministically (names `<kind>-00001`..., times spread
over the last days, regions in turn). Records are plausible enough for every
screen to draw them: keys are well-formed OpenSSH ed25519 lines with their
real fingerprints, volumes and snapshots carry sizes and statuses in the mixes
the screens count. Nothing here bills or takes stock, so a 50,000-volume
account does not run out of credit in the middle of a benchmark.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable

from barrack_tui.api.enums import ResourceStatus, VolumeStatus
from barrack_tui.sim import engine
from barrack_tui.sim.catalogue import REGIONS, os_image
from barrack_tui.sim.keygen import fingerprint
from barrack_tui.sim.state import (
    FirewallRecord,
    ImageRecord,
    RuleRecord,
    ScriptRecord,
    SimState,
    SnapshotRecord,
    SSHKeyRecord,
    VolumeRecord,
)

SCALE_KINDS = ("volumes", "ssh_keys", "firewalls", "scripts", "snapshots", "images")
_MINUTE = 60.0
_SCRIPT = "#!/bin/bash\nset -euo pipefail\napt-get update\napt-get install -y htop nvtop\n"


def _ssh_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def synthetic_ed25519(label: str) -> str:
    """A well-formed `ssh-ed25519` line whose 32 key bytes are a hash of `label` (cheap, distinct, deterministic)."""
    blob = _ssh_string(b"ssh-ed25519") + _ssh_string(hashlib.sha256(label.encode()).digest())
    return f"ssh-ed25519 {base64.b64encode(blob).decode('ascii')} {label}@bench"


def seed_many(state: SimState, kind: str, n: int) -> None:
    """Add `n` records of `kind` (one of SCALE_KINDS) to `state`."""
    adders: dict[str, Callable[[SimState, int], None]] = {
        "volumes": _volumes,
        "ssh_keys": _keys,
        "firewalls": _firewalls,
        "scripts": _scripts,
        "snapshots": _snapshots,
        "images": _images,
    }
    adders[kind](state, n)
    engine.reindex(state)


def _regions() -> list[str]:
    return [str(region) for region in REGIONS]


def _volumes(state: SimState, n: int) -> None:
    now, regions = state.now(), _regions()
    for i in range(n):
        region = regions[i % len(regions)]
        bootable = i % 10 == 0
        volume = VolumeRecord(
            id=state.new_id("vol"),
            name=f"volume-{i + 1:05d}",
            status=VolumeStatus.AVAILABLE,
            size_gb=100 + (i % 20) * 50 if bootable else 10 + (i % 50) * 10,
            region=region,
            created_at=now - (i % 5000) * _MINUTE,
            bootable=bootable,
            os_image_id=os_image(region).id if bootable else None,
        )
        volume.contents_marker = f"data:{volume.name}:{volume.id}"
        state.volumes[volume.id] = volume


def _keys(state: SimState, n: int) -> None:
    now, regions = state.now(), _regions()
    for i in range(n):
        name = f"key-{i + 1:05d}"
        public_key = synthetic_ed25519(name)
        key = SSHKeyRecord(
            id=state.new_id("key"),
            name=name,
            fingerprint=fingerprint(public_key),
            public_key=public_key,
            created_at=now - (i % 5000) * _MINUTE,
            regions=[regions[i % len(regions)]],
        )
        state.ssh_keys[key.id] = key


def _firewalls(state: SimState, n: int) -> None:
    now, regions = state.now(), _regions()
    for i in range(n):
        rules = [
            RuleRecord(
                id=state.new_id("fwr"),
                direction="ingress",
                protocol="tcp",
                ethertype="IPv4",
                remote_ip_prefix="0.0.0.0/0",
                port_range_min=22,
                port_range_max=22,
            )
            for _ in range(i % 3)
        ]
        firewall = FirewallRecord(
            id=state.new_id("fw"),
            name=f"firewall-{i + 1:05d}",
            description=f"Bench firewall number {i + 1}",
            region=regions[i % len(regions)],
            status=ResourceStatus.SUCCESS,
            created_at=now - (i % 5000) * _MINUTE,
            rules=rules,
        )
        state.firewalls[firewall.id] = firewall


def _scripts(state: SimState, n: int) -> None:
    now = state.now()
    for i in range(n):
        created = now - (i % 5000) * _MINUTE
        script = ScriptRecord(
            id=state.new_id("scr"), name=f"script-{i + 1:05d}", content=_SCRIPT, created_at=created, updated_at=created
        )
        state.scripts[script.id] = script


def _snapshots(state: SimState, n: int) -> None:
    now, regions = state.now(), _regions()
    for i in range(n):
        snapshot = SnapshotRecord(
            id=state.new_id("snap"),
            name=f"snapshot-{i + 1:05d}",
            description=f"Bench snapshot number {i + 1}",
            instance_id=None,
            instance_name=None,
            region=regions[i % len(regions)],
            size_gb=100 + (i % 8) * 50,
            status=ResourceStatus.SUCCESS,
            created_at=now - (i % 5000) * _MINUTE,
        )
        state.snapshots[snapshot.id] = snapshot


def _images(state: SimState, n: int) -> None:
    now, regions = state.now(), _regions()
    for i in range(n):
        image = ImageRecord(
            id=state.new_id("img"),
            name=f"image-{i + 1:05d}",
            description=f"Bench image number {i + 1}",
            region=regions[i % len(regions)],
            size_gb=100 + (i % 8) * 50,
            status=ResourceStatus.SUCCESS,
            snapshot_id=None,
            created_at=now - (i % 5000) * _MINUTE,
        )
        state.images[image.id] = image

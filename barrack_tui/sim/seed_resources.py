"""The demo account's firewalls, SSH keys, startup scripts, snapshots and images.

`seed_resources(state)` runs after `seed.seed_demo` has created the instances
and volumes, and picks its targets from them (ACTIVE instances with a
server_uuid for firewall attachments and snapshots). Everything is
deterministic: keys come from fixed seeds, ids from the state's counters,
times from the state's clock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from barrack_tui.api.enums import ResourceStatus, VMStatus
from barrack_tui.sim import engine_resources
from barrack_tui.sim.keygen import fingerprint
from barrack_tui.sim.state import (
    FirewallRecord,
    ImageRecord,
    InstanceRecord,
    RuleRecord,
    ScriptRecord,
    SimState,
    SnapshotRecord,
    SSHKeyRecord,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

DAY = 86_400.0
ALL_REGIONS = ["NORWAY-1", "CANADA-1", "US-1"]

# RSA keys cannot be derived from a seed with `cryptography`, so the demo's one
# RSA key is a fixed public key generated once (its private half was discarded).
_OPS_RSA_PUBLIC = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDGpa3Wn4Y4VHNlnCdxUK3oaIv9weo9Cryo5+fTlBJauG5xwRVZ2Jh8Zm25QugX"
    "6j66b7O4PYjk1VG7RUGqo+LMe4Ml3H5NLmuqzxCEkWd0ai+OyOptLWoZsZf6fUijfXLVDgA+lM/WoMRe9nV8QldZUQfTZFpZsspS"
    "TNTiPUiNbJt4pS3akoFqwRiokqyhjYXuiGcuaphG/2Wr3C2PT2y3EyTCb9DPgP/auOBm1mALA2m5nWnjvABRQB13gY1rp2B0AVx6"
    "qYIV1JRCuwpkOzMBkjaPsaf5Iu3G79dy5KL/OnwkVNeqlzWdRoY/3Q+99W9CpKCNAaGBUQJgcr33EmVr ops@bastion"
)


def _seed_bytes(label: str) -> bytes:
    return hashlib.sha256(f"barrack-sim/{label}".encode()).digest()


# The demo's other keys, as `ed25519_public_key`/`ecdsa_p256_public_key` derive them from their labels (a
# test holds them equal). Written out, the demo is seeded without importing `cryptography` (~12 ms of the
# `--demo` simulator's start, before it serves); the functions remain for tests that need a key of their own.
_ALICE_ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA4eoS8qV3T0/YejIl86vD6ZC4SKczIcTMGl9/ICbygE alice@laptop"
_CI_ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICIJowrXlUx4eSUyQgazuvWjziwwqhUO9PfTYaEWFuaX ci@build-runner"
_BOB_ECDSA = (
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOy2dESGzfzbsN7TuQWL97LGJFSOmLwLaPDF"
    "IzLYw4x6K/exJKFF+q+qdrLA60xUs9EL684rTXWdJJfuo2kFil8= bob@workstation"
)


def _openssh(public_key: ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey, comment: str) -> str:
    from cryptography.hazmat.primitives import serialization

    line = public_key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode("ascii")
    return f"{line} {comment}"


def ed25519_public_key(label: str, comment: str) -> str:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    private = ed25519.Ed25519PrivateKey.from_private_bytes(_seed_bytes(label))
    return _openssh(private.public_key(), comment)


def ecdsa_p256_public_key(label: str, comment: str) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec

    scalar = int.from_bytes(_seed_bytes(label), "big") % (2**255) + 1  # below the P-256 group order
    private = ec.derive_private_key(scalar, ec.SECP256R1())
    return _openssh(private.public_key(), comment)


@dataclass(frozen=True)
class _KeySpec:
    name: str
    public_key: str
    age_days: float


def _key_specs() -> list[_KeySpec]:
    return [
        _KeySpec("alice-laptop", _ALICE_ED25519, 120),
        _KeySpec("ci-deploy", _CI_ED25519, 90),
        _KeySpec("bob-workstation", _BOB_ECDSA, 45),
        _KeySpec("ops-rsa", _OPS_RSA_PUBLIC, 30),
    ]


def seed_resources(state: SimState) -> None:
    """Add the demo's keys, firewalls, scripts, snapshots and images to `state`."""
    _seed_keys(state)
    _seed_firewalls(state)
    _seed_scripts(state)
    _seed_snapshots_and_image(state)


def _active_instances(state: SimState) -> list[InstanceRecord]:
    return sorted(
        (i for i in state.instances.values() if i.status == VMStatus.ACTIVE and i.server_uuid),
        key=lambda i: (i.region, i.name, i.id),
    )


def _fresh_id(state: SimState, prefix: str, reserved: set[str]) -> str:
    while (candidate := state.new_id(prefix)) in reserved:
        pass
    return candidate


def _seed_keys(state: SimState) -> None:
    now = state.now()
    # Instances seeded before us may already name key ids: those ids become real keys,
    # so "key in use" (K1) has something to refuse on.
    referenced = sorted({key_id for i in state.instances.values() for key_id in i.ssh_key_ids} - set(state.ssh_keys))
    reserved = set(referenced) | set(state.ssh_keys)
    for index, spec in enumerate(_key_specs()):
        key_id = referenced[index] if index < len(referenced) else _fresh_id(state, "key", reserved)
        state.ssh_keys[key_id] = SSHKeyRecord(
            id=key_id,
            name=spec.name,
            fingerprint=fingerprint(spec.public_key),
            public_key=spec.public_key,
            created_at=now - spec.age_days * DAY,
            regions=list(ALL_REGIONS),
        )
    first_key = next(iter(state.ssh_keys))
    for instance in state.instances.values():
        if not instance.ssh_key_ids:
            instance.ssh_key_ids.append(first_key)


def _rule(
    state: SimState, direction: str, protocol: str, prefix: str, ports: tuple[int, int] | None = None
) -> RuleRecord:
    return RuleRecord(
        id=state.new_id("fwr"),
        direction=direction,
        protocol=protocol,
        ethertype="IPv6" if ":" in prefix else "IPv4",
        remote_ip_prefix=prefix,
        port_range_min=ports[0] if ports else None,
        port_range_max=ports[1] if ports else None,
    )


_RulePlan = tuple[str, str, str, tuple[int, int] | None]
"""A firewall rule to seed: direction, protocol, remote prefix, port range (None for ICMP)."""


def _seed_firewalls(state: SimState) -> None:
    now = state.now()
    active = _active_instances(state)
    regions_in_use = sorted({i.region for i in active}) or ["NORWAY-1"]
    # (name, description, region, rules as _rule's arguments, how many of the region's instances it guards)
    plans: list[tuple[str, str, str, list[_RulePlan], int]] = [
        (
            "web-ingress",
            "HTTPS and SSH from anywhere, ping allowed",
            regions_in_use[0],
            [
                ("ingress", "tcp", "0.0.0.0/0", (22, 22)),
                ("ingress", "tcp", "0.0.0.0/0", (443, 443)),
                ("ingress", "tcp", "::/0", (443, 443)),
                ("ingress", "icmp", "0.0.0.0/0", None),
            ],
            2,
        ),
        (
            "office-ssh",
            "SSH from the office range only",
            regions_in_use[-1],
            [("ingress", "tcp", "198.51.100.0/24", (22, 22))],
            1,
        ),
        (
            "jupyter-lab",
            "Jupyter for the research VPN",
            regions_in_use[len(regions_in_use) // 2],
            [
                ("ingress", "tcp", "203.0.113.0/24", (8888, 8888)),
                ("egress", "tcp", "0.0.0.0/0", (1, 65535)),
                ("egress", "udp", "0.0.0.0/0", (53, 53)),
            ],
            1,
        ),
        (
            "staging-lockdown",
            "Unused: ready for the staging cluster",
            "US-1",
            [("ingress", "icmp", "10.0.0.0/8", None)],
            0,
        ),
    ]
    for age, (name, description, region, rules, attach_count) in enumerate(plans):
        firewall = FirewallRecord(
            id=state.new_id("fw"),
            name=name,
            description=description,
            region=region,
            status=ResourceStatus.SUCCESS,
            created_at=now - (60 - age * 10) * DAY,
            rules=[_rule(state, *rule) for rule in rules],
        )
        for instance in [i for i in active if i.region == region][:attach_count]:
            firewall.attachments[instance.id] = ResourceStatus.SUCCESS
        state.firewalls[firewall.id] = firewall


_SCRIPTS = (
    (
        "install-miniconda",
        "#!/bin/bash\nset -euo pipefail\n"
        "curl -fsSL https://repo.anaconda.com/miniconda/Miniconda3-latest-Linux-x86_64.sh -o /tmp/miniconda.sh\n"
        "bash /tmp/miniconda.sh -b -p /opt/conda\n"
        "/opt/conda/bin/conda init bash\n",
    ),
    (
        "mount-data-volume",
        "#!/bin/bash\nset -euo pipefail\n"
        "DEVICE=/dev/vdb\nMOUNT=/mnt/data\n"
        'mkdir -p "$MOUNT"\n'
        'blkid "$DEVICE" || mkfs.ext4 "$DEVICE"\n'
        'grep -q "$MOUNT" /etc/fstab || echo "$DEVICE $MOUNT ext4 defaults,nofail 0 2" >> /etc/fstab\n'
        "mount -a\n",
    ),
)


def _seed_scripts(state: SimState) -> None:
    now = state.now()
    for age, (name, content) in enumerate(_SCRIPTS):
        created = now - (20 - age * 5) * DAY
        script = ScriptRecord(
            id=state.new_id("scr"), name=name, content=content, created_at=created, updated_at=created + DAY
        )
        state.scripts[script.id] = script


def _snapshot_of(
    state: SimState, instance: InstanceRecord, name: str, description: str, created_at: float
) -> SnapshotRecord:
    return SnapshotRecord(
        id=state.new_id("snap"),
        name=name,
        description=description,
        instance_id=instance.id,
        instance_name=instance.name,
        region=instance.region,
        size_gb=instance.storage_gb,
        status=ResourceStatus.SUCCESS,
        created_at=created_at,
        vm_config={
            "gpu_model": instance.gpu_model,
            "gpu_count": instance.gpu_count,
            "image_id": instance.image_id,
            "image_name": instance.image_name,
            "ssh_key_ids": list(instance.ssh_key_ids),
        },
    )


def _seed_snapshots_and_image(state: SimState) -> None:
    active = _active_instances(state)
    if not active:
        return
    now = state.now()
    done: list[SnapshotRecord] = []
    for index, instance in enumerate(active[:2]):
        snapshot = _snapshot_of(
            state,
            instance,
            f"{instance.name}-weekly",
            f"Weekly snapshot of {instance.name}",
            now - (7 - index * 2) * DAY,
        )
        # Storage before the seed moment is history; billing runs from now on.
        engine_resources.open_storage_billing(state, snapshot, start=now)
        state.snapshots[snapshot.id] = snapshot
        done.append(snapshot)

    in_progress = _snapshot_of(state, active[-1], f"{active[-1].name}-pre-upgrade", "Before the driver upgrade", now)
    engine_resources.start_snapshot(state, in_progress)
    state.snapshots[in_progress.id] = in_progress

    source = done[0]
    image = ImageRecord(
        id=state.new_id("img"),
        name=f"{(source.instance_name or 'base')[:43]}-golden",
        description=f"Golden image built from {source.name}",
        region=source.region,
        size_gb=source.size_gb,
        status=ResourceStatus.SUCCESS,
        snapshot_id=source.id,
        created_at=source.created_at + DAY,
    )
    source.is_image = True
    state.images[image.id] = image

"""What happens to the account when an instance is created, acted on, or removed.

Route handlers decide whether an operation is allowed (with the rules); these
functions carry it out: stock, transitions, addresses, billing, and the
knock-on effects on volumes and firewall attachments. Snapshot restore
(routes/snapshots.py) creates its instance through `create_instance` too.
"""

from __future__ import annotations

import ipaddress
import uuid

from barrack_tui.api.enums import VMStatus, VolumeStatus
from barrack_tui.rules.pricing import gpu_hourly
from barrack_tui.sim import engine_book, volumes_ops
from barrack_tui.sim.catalogue import flavor
from barrack_tui.sim.state import InstanceRecord, RuleRecord, SimState

# action -> (transitional status shown at once, status reached, name of its Durations field)
ACTION_TRANSITIONS: dict[str, tuple[str, str, str]] = {
    "start": (VMStatus.STARTING, VMStatus.ACTIVE, "start"),
    "stop": (VMStatus.STOPPING, VMStatus.SHUTOFF, "stop"),
    "reboot": (VMStatus.REBOOTING, VMStatus.ACTIVE, "reboot"),
    "hibernate": (VMStatus.HIBERNATING, VMStatus.HIBERNATED, "hibernate"),
    "restore": (VMStatus.RESTORING, VMStatus.ACTIVE, "restore"),
    "delete": (VMStatus.DELETING, VMStatus.DELETED, "delete"),
}

# Private networks per region; public addresses from documentation/benchmark ranges, never real hosts.
_PRIVATE_NETWORKS = {"NORWAY-1": "10.20.0.0", "CANADA-1": "10.30.0.0", "US-1": "10.40.0.0"}
_PUBLIC_FIRST = ipaddress.IPv4Address("203.0.113.10")  # TEST-NET-3, 240 addresses
_PUBLIC_OVERFLOW = ipaddress.IPv4Address("198.18.0.10")  # 198.18.0.0/15, for big fleets
_UUID_NAMESPACE = uuid.UUID("6f1b1c1e-5b7a-4f0e-9a43-0d1f6b2b9a11")
DEPLOYMENT_ID_BASE = 4_810_000


def _next(state: SimState, counter: str) -> int:
    # The same counters as state.new_id, so ids and addresses survive save/load together.
    state._id_counters[counter] += 1
    return state._id_counters[counter]


def new_deployment_id(state: SimState) -> str:
    """ "DEP" + 7 digits, unique and increasing."""
    return f"DEP{DEPLOYMENT_ID_BASE + _next(state, 'DEP'):07d}"


def _private_ip(state: SimState, region: str) -> str:
    base = ipaddress.IPv4Address(_PRIVATE_NETWORKS.get(region, "10.90.0.0"))
    return str(base + 10 + _next(state, f"ip:{region}"))


def _public_ip(state: SimState) -> str:
    n = _next(state, "ip:public") - 1
    if n < 240:
        return str(_PUBLIC_FIRST + n)
    return str(_PUBLIC_OVERFLOW + (n - 240))


def assign_addresses(state: SimState, instance: InstanceRecord) -> None:
    """At ACTIVE: the server exists, so it has a UUID, a private IP and (if asked) a public one."""
    if not instance.server_uuid:
        instance.server_uuid = str(uuid.uuid5(_UUID_NAMESPACE, f"{instance.id}/{instance.deployment_id}"))
    if not instance.private_ip:
        instance.private_ip = _private_ip(state, instance.region)
    if instance.wants_public_ip and not instance.public_ip:
        instance.public_ip = _public_ip(state)


def toggle_public_ip(state: SimState, instance: InstanceRecord) -> str | None:
    """I5: switch the public IP; returns the new address (None when switched off)."""
    if instance.public_ip:
        instance.public_ip = None
        instance.wants_public_ip = False
    else:
        instance.wants_public_ip = True
        instance.public_ip = _public_ip(state)
    instance.updated_at = state.now()
    return instance.public_ip


def stock_key(region: str, gpu_model: str, gpu_count: int) -> tuple[str, str, int]:
    return (str(region), str(gpu_model), int(gpu_count))


def create_instance(
    state: SimState,
    *,
    name: str,
    region: str,
    gpu_model: str,
    gpu_count: int,
    image_id: str,
    image_name: str,
    ssh_key_ids: list[str],
    public_ip: bool = False,
    boot_volume_id: str | None = None,
    security_rules: list[RuleRecord] | None = None,
    jupyter_enabled: bool = False,
    cloud_init: str | None = None,
    startup_script_id: str | None = None,
) -> InstanceRecord:
    """A new instance in CREATING: takes one unit of stock and starts the deploy transition.

    The caller has checked the rules (stock, credits, name); this never
    refuses. Billing opens when the instance turns ACTIVE (CREATING and
    BUILD bill nothing, I3).
    """
    now = state.now()
    size = flavor(str(gpu_model), int(gpu_count))
    instance = InstanceRecord(
        id=state.new_id("ins"),
        name=name,
        status=VMStatus.CREATING,
        region=str(region),
        gpu_model=str(gpu_model),
        gpu_count=int(gpu_count),
        vcpus=size.vcpus,
        ram_gb=size.ram_gb,
        storage_gb=size.storage_gb,
        image_id=image_id,
        image_name=image_name,
        private_ip="",
        currency=state.currency,
        hourly_price=gpu_hourly(gpu_model, int(gpu_count), state.currency),
        created_at=now,
        updated_at=now,
        deployment_id=new_deployment_id(state),
        ssh_key_ids=list(ssh_key_ids),
        security_rules=list(security_rules or []),
        boot_volume_id=boot_volume_id,
        startup_script_id=startup_script_id,
        cloud_init=cloud_init,
        jupyter_enabled=jupyter_enabled,
        wants_public_ip=public_ip,
    )
    state.instances[instance.id] = instance
    key = stock_key(region, gpu_model, gpu_count)
    state.stock[key] = max(0, state.stock.get(key, 0) - 1)
    if boot_volume_id is not None and (volume := state.volumes.get(boot_volume_id)) is not None:
        volume.instance_id = instance.id
        volume.status = VolumeStatus.ATTACHED
    engine_book.schedule(state, engine_book.INSTANCE, instance, VMStatus.BUILD, now + state.durations.deploy / 2)
    return instance


def begin_action(state: SimState, instance: InstanceRecord, action: str, *, at: float | None = None) -> None:
    """Put the instance in the action's transitional state now; the engine finishes it when due.

    The caller has checked rules.instances.can_instance_action (I1, I2).
    """
    when = state.now() if at is None else at
    transitional, target, duration_field = ACTION_TRANSITIONS[action]
    engine_book.set_instance_status(state, instance, transitional, when)
    engine_book.schedule(state, engine_book.INSTANCE, instance, target, when + getattr(state.durations, duration_field))


def remove_instance(state: SimState, instance: InstanceRecord, at: float) -> None:
    """The end of DELETING: the instance leaves every list and gives back what it held.

    Its GPUs return to stock; non-bootable volumes are detached (available,
    data intact); its OS/boot volume, permanently attached, goes with it;
    firewall attachments to it disappear; billing is closed.
    """
    engine_book.close_instance_billing(state, instance, at)
    key = stock_key(instance.region, instance.gpu_model, instance.gpu_count)
    state.stock[key] = state.stock.get(key, 0) + 1
    for volume in [v for v in state.volumes.values() if v.instance_id == instance.id]:
        if volume.bootable or volume.id == instance.boot_volume_id:
            volume.instance_id = None
            volume.status = VolumeStatus.AVAILABLE
            volumes_ops.delete_volume(state, volume, at)
        else:
            volumes_ops.detach(volume)
    for firewall in state.firewalls.values():
        firewall.attachments.pop(instance.id, None)
        firewall.attach_due.pop(instance.id, None)
    instance.status = VMStatus.DELETED
    instance.pending = None
    instance.updated_at = at
    del state.instances[instance.id]

"""The demo account (`seed_demo`) and big synthetic fleets for benchmarks (`seed_fleet`).

Everything is deterministic: same clock start, same account, byte for byte.
The demo exercises every card and badge the TUI draws: instances in ACTIVE,
SHUTOFF, HIBERNATED and one STARTING in all three regions; volumes attached
to an ACTIVE instance (detach refused with V3's text), to a SHUTOFF one
(detach allowed), a bootable OS volume (V2), available, creating, and
advanced-tier ones (clone/resize); stock with some configurations at zero.
Firewalls, keys, scripts, snapshots and images come from seed_resources.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from barrack_tui.api.enums import CurrencyEnum, GpuModelEnum, VMStatus, VolumeStatus
from barrack_tui.rules.pricing import gpu_hourly, instance_billing_rate, storage_hourly
from barrack_tui.sim import engine
from barrack_tui.sim.catalogue import DEFAULT_OS_IMAGE_SLUG, GPU_COUNTS, REGIONS, flavor, os_image
from barrack_tui.sim.clock import Clock, SystemClock
from barrack_tui.sim.instances_ops import assign_addresses, new_deployment_id
from barrack_tui.sim.state import BillingPeriod, InstanceRecord, Pending, SimState, VolumeRecord

HOUR = 3600.0
DAY = 24 * HOUR
DEMO_BALANCE = Decimal("500.00")

# Units free per GPU model for one GPU; bigger configurations have fewer.
_STOCK_PER_MODEL: dict[str, int] = {
    GpuModelEnum.H100_SXM5_80GB: 4,
    GpuModelEnum.H100_PCIE_NVLINK_80GB: 3,
    GpuModelEnum.H100_PCIE_80GB: 5,
    GpuModelEnum.A100_SXM4_80GB_NVLINK: 6,
    GpuModelEnum.A100_PCIE_80GB: 7,
    GpuModelEnum.L40: 9,
    GpuModelEnum.RTX_A6000: 12,
    GpuModelEnum.A40: 10,
}
_FEWER_BY_COUNT = {1: 0, 2: 1, 4: 3, 8: 5}
# Sold out entirely, so the deploy form has something to grey out.
_SOLD_OUT = {("US-1", GpuModelEnum.H100_PCIE_80GB), ("CANADA-1", GpuModelEnum.A40)}


def demo_stock() -> dict[tuple[str, str, int], int]:
    stock: dict[tuple[str, str, int], int] = {}
    for region, info in REGIONS.items():
        for model in info.available_gpus:
            for count in GPU_COUNTS:
                free = 0 if (region, model) in _SOLD_OUT else max(0, _STOCK_PER_MODEL[model] - _FEWER_BY_COUNT[count])
                stock[(str(region), str(model), count)] = free
    return stock


@dataclass(frozen=True)
class _DemoInstance:
    name: str
    region: str
    gpu_model: str
    gpu_count: int
    status: str
    age_hours: float
    # Hours since the last state change (stop, hibernate), for a believable billing history.
    in_state_hours: float = 0.0
    public_ip: bool = False
    image: str = DEFAULT_OS_IMAGE_SLUG


_DEMO_INSTANCES = (
    _DemoInstance("gpu-train-1", "NORWAY-1", GpuModelEnum.H100_SXM5_80GB, 2, VMStatus.ACTIVE, 52, public_ip=True),
    _DemoInstance("inference-a100", "NORWAY-1", GpuModelEnum.A100_PCIE_80GB, 1, VMStatus.ACTIVE, 140, public_ip=True),
    _DemoInstance("batch-l40", "NORWAY-1", GpuModelEnum.L40, 1, VMStatus.SHUTOFF, 75, in_state_hours=20),
    _DemoInstance("finetune-h100", "CANADA-1", GpuModelEnum.H100_PCIE_NVLINK_80GB, 1, VMStatus.ACTIVE, 30, public_ip=True),
    _DemoInstance("notebook-a6000", "CANADA-1", GpuModelEnum.RTX_A6000, 1, VMStatus.HIBERNATED, 300, in_state_hours=96),
    _DemoInstance("eval-a100", "US-1", GpuModelEnum.A100_SXM4_80GB_NVLINK, 2, VMStatus.ACTIVE, 18),
    _DemoInstance("dev-a6000", "US-1", GpuModelEnum.RTX_A6000, 1, VMStatus.STARTING, 200, in_state_hours=30),
    _DemoInstance("archive-h100", "US-1", GpuModelEnum.H100_SXM5_80GB, 1, VMStatus.HIBERNATED, 600, in_state_hours=240),
)


def _billing_history(
    status: str, hourly: Decimal, currency: str, created: float, changed: float, now: float
) -> list[BillingPeriod]:
    """ACTIVE from creation; then the state entered at `changed` (STARTING: SHUTOFF until now, billing nothing since)."""

    def closed(start: float, end: float, billed_status: str) -> BillingPeriod:
        rate = instance_billing_rate(billed_status, hourly, currency)
        return BillingPeriod(start, billed_status, rate, end=end, amount=rate * Decimal(str(end - start)) / 3600)

    if status == VMStatus.ACTIVE:
        return [BillingPeriod(created, VMStatus.ACTIVE, hourly)]
    if status == VMStatus.STARTING:
        return [closed(created, changed, VMStatus.ACTIVE), closed(changed, now, VMStatus.SHUTOFF)]
    return [closed(created, changed, VMStatus.ACTIVE), BillingPeriod(changed, status, instance_billing_rate(status, hourly, currency))]


def _add_demo_instance(state: SimState, spec: _DemoInstance) -> InstanceRecord:
    now = state.now()
    created = now - spec.age_hours * HOUR
    changed = now - spec.in_state_hours * HOUR if spec.in_state_hours else created
    image = os_image(spec.region, spec.image)
    hourly = gpu_hourly(spec.gpu_model, spec.gpu_count, state.currency)
    size = flavor(spec.gpu_model, spec.gpu_count)
    instance = InstanceRecord(
        id=state.new_id("ins"),
        name=spec.name,
        status=spec.status,
        region=spec.region,
        gpu_model=spec.gpu_model,
        gpu_count=spec.gpu_count,
        vcpus=size.vcpus,
        ram_gb=size.ram_gb,
        storage_gb=size.storage_gb,
        image_id=image.id,
        image_name=image.name,
        private_ip="",
        currency=state.currency,
        hourly_price=hourly,
        created_at=created,
        updated_at=changed if spec.status != VMStatus.STARTING else now,
        deployment_id=new_deployment_id(state),
        wants_public_ip=spec.public_ip,
    )
    assign_addresses(state, instance)
    instance.billing = _billing_history(spec.status, hourly, state.currency, created, changed, now)
    if spec.status == VMStatus.STARTING:
        instance.pending = Pending(VMStatus.ACTIVE, now + state.durations.start)
    state.instances[instance.id] = instance
    return instance


def _add_demo_volume(
    state: SimState,
    name: str,
    region: str,
    size_gb: int,
    *,
    age_hours: float,
    attached_to: InstanceRecord | None = None,
    os_image: str | None = None,
    creating: bool = False,
) -> VolumeRecord:
    now = state.now()
    created = now - age_hours * HOUR
    volume = VolumeRecord(
        id=state.new_id("vol"),
        name=name,
        status=VolumeStatus.CREATING if creating else (VolumeStatus.ATTACHED if attached_to else VolumeStatus.AVAILABLE),
        size_gb=size_gb,
        region=region,
        created_at=created,
        bootable=os_image is not None,
        os_image_id=os_image,
        instance_id=attached_to.id if attached_to else None,
    )
    volume.contents_marker = f"os:{os_image}:{volume.id}" if os_image else f"data:{name}:{volume.id}"
    if creating:
        volume.pending = Pending(VolumeStatus.AVAILABLE, now + state.durations.volume_create)
    else:
        rate = storage_hourly(size_gb, state.currency)
        volume.billing = [BillingPeriod(created, "storage", rate, size_gb=size_gb)]
    state.volumes[volume.id] = volume
    return volume


def seed_demo(clock: Clock | None = None) -> SimState:
    """The demo account: ~500 USD, a small fleet in three regions, volumes in every card state, resources."""
    from barrack_tui.sim.seed_resources import seed_resources

    state = SimState(clock=clock or SystemClock())
    state.currency = CurrencyEnum.USD
    state.balances = {CurrencyEnum.USD: DEMO_BALANCE}
    state.stock = demo_stock()
    by_name = {spec.name: _add_demo_instance(state, spec) for spec in _DEMO_INSTANCES}

    _add_demo_volume(state, "data-1", "NORWAY-1", 500, age_hours=130, attached_to=by_name["inference-a100"])
    _add_demo_volume(state, "datasets", "NORWAY-1", 2000, age_hours=70, attached_to=by_name["batch-l40"])
    finetune = by_name["finetune-h100"]
    boot = _add_demo_volume(
        state, "finetune-h100-os", "CANADA-1", 200, age_hours=30, attached_to=finetune, os_image=os_image("CANADA-1").id
    )
    finetune.boot_volume_id = boot.id
    _add_demo_volume(state, "models-ca", "CANADA-1", 1000, age_hours=29, attached_to=finetune)
    _add_demo_volume(state, "ckpt-archive", "CANADA-1", 250, age_hours=400)
    _add_demo_volume(state, "volume1", "US-1", 100, age_hours=12)
    _add_demo_volume(state, "logs-us", "US-1", 50, age_hours=0, creating=True)

    seed_resources(state)
    _give_keys_to_keyless_instances(state)
    engine.invalidate(state)
    return state


def _give_keys_to_keyless_instances(state: SimState) -> None:
    """Every instance was deployed with a key: the first seeded key usable in its region."""
    keys = list(state.ssh_keys.values())
    if not keys:
        return
    for instance in state.instances.values():
        if not instance.ssh_key_ids:
            usable = [key for key in keys if not key.regions or instance.region in key.regions] or keys
            instance.ssh_key_ids = [usable[0].id]


# Status mix of a synthetic fleet, by index modulo 20: 12 ACTIVE, 5 SHUTOFF, 3 HIBERNATED.
_FLEET_PATTERN = [VMStatus.ACTIVE] * 12 + [VMStatus.SHUTOFF] * 5 + [VMStatus.HIBERNATED] * 3
_FLEET_TRANSITIONS = (
    (VMStatus.STARTING, VMStatus.ACTIVE, "start"),
    (VMStatus.STOPPING, VMStatus.SHUTOFF, "stop"),
    (VMStatus.REBOOTING, VMStatus.ACTIVE, "reboot"),
)


def seed_fleet(state: SimState, n: int, *, transitional_share: float = 0.0, top_up: bool = True) -> list[InstanceRecord]:
    """Add `n` instances named fleet-00001... quickly (50,000 in a second or two), for benchmarks.

    They do not take stock (a bench fleet is bigger than any stock). The
    first `transitional_share` of them are mid-transition with due times
    spread over the next few seconds. With `top_up`, the balance grows by
    thirty days of the fleet's burn so the fleet is not hibernated (I6) in
    the middle of a benchmark.
    """
    now = state.now()
    engine.tick(state)
    regions = list(REGIONS.values())
    transitional = int(n * max(0.0, min(1.0, transitional_share)))
    added: list[InstanceRecord] = []
    burn = Decimal("0")
    hourly_cache: dict[tuple[str, int], Decimal] = {}
    start_index = state._id_counters["fleet"]
    for i in range(n):
        number = start_index + i + 1
        region = regions[i % len(regions)]
        model = region.available_gpus[(i // len(regions)) % len(region.available_gpus)]
        count = GPU_COUNTS[(i // 7) % 3]  # 1, 2 or 4 GPUs
        hourly = hourly_cache.get((model, count))
        if hourly is None:
            hourly = hourly_cache[(model, count)] = gpu_hourly(model, count, state.currency)
        size = flavor(model, count)
        image = os_image(region.name)
        status = _FLEET_PATTERN[i % len(_FLEET_PATTERN)]
        pending = None
        if i < transitional:
            status, target, field_name = _FLEET_TRANSITIONS[i % len(_FLEET_TRANSITIONS)]
            pending = Pending(target, now + 1.0 + (i % 20) * getattr(state.durations, field_name) / 20)
        instance = InstanceRecord(
            id=state.new_id("ins"),
            name=f"fleet-{number:05d}",
            status=status,
            region=region.name,
            gpu_model=model,
            gpu_count=count,
            vcpus=size.vcpus,
            ram_gb=size.ram_gb,
            storage_gb=size.storage_gb,
            image_id=image.id,
            image_name=image.name,
            private_ip="",
            currency=state.currency,
            hourly_price=hourly,
            created_at=now - (i % 500) * 60.0,
            updated_at=now,
            deployment_id=new_deployment_id(state),
            pending=pending,
        )
        assign_addresses(state, instance)
        rate = instance_billing_rate(status, hourly, state.currency)
        if rate:
            instance.billing.append(BillingPeriod(now, status, rate))
            burn += rate
        state.instances[instance.id] = instance
        added.append(instance)
    state._id_counters["fleet"] += n
    if top_up and burn:
        state.balances[state.currency] = state.balances.get(state.currency, Decimal("0")) + burn * 24 * 30
    engine.reindex(state)
    return added

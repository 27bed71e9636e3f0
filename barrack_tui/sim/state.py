"""The simulator's in-memory account: one record class per resource kind.

Records hold raw strings exactly as stored (hostile names included): the
wire dictionaries they produce are sent as they are, so the client's
sanitizer is what a test of hostile input really exercises.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from barrack_tui.api.enums import CurrencyEnum, RegionEnum, TierEnum
from barrack_tui.sim.clock import Clock, SystemClock, iso
from barrack_tui.sim.demo_key import DEMO_API_KEY as DEMO_API_KEY  # where the CLI and tests have always found it

REGION_TIERS: dict[str, str] = {
    RegionEnum.NORWAY_1: TierEnum.LEGACY,
    RegionEnum.CANADA_1: TierEnum.ADVANCED,
    RegionEnum.US_1: TierEnum.LEGACY,
}


@dataclass
class Durations:
    """Seconds each transitional state lasts; defaults feel real in a demo."""

    deploy: float = 10.0
    start: float = 4.0
    stop: float = 4.0
    reboot: float = 5.0
    hibernate: float = 5.0
    restore: float = 6.0
    delete: float = 3.0
    volume_create: float = 3.0
    snapshot_create: float = 5.0
    image_create: float = 5.0
    firewall_attach: float = 2.0


@dataclass
class Pending:
    """A transition in progress: at `due` the resource becomes `target`."""

    target: str
    due: float


@dataclass
class BillingPeriod:
    """A stretch of time billed at one hourly `rate` (closed when `end` is set)."""

    start: float
    status: str
    rate: Decimal
    end: float | None = None
    amount: Decimal = Decimal("0")
    # Volumes and snapshots: the size this period bills (their rate follows it).
    size_gb: int | None = None


@dataclass
class RuleRecord:
    id: str
    direction: str
    protocol: str
    ethertype: str
    remote_ip_prefix: str
    port_range_min: int | None = None
    port_range_max: int | None = None

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "direction": self.direction,
            "protocol": self.protocol,
            "ethertype": self.ethertype,
            "remote_ip_prefix": self.remote_ip_prefix,
            "port_range_min": self.port_range_min,
            "port_range_max": self.port_range_max,
        }


@dataclass
class InstanceRecord:
    id: str
    name: str
    status: str
    region: str
    gpu_model: str
    gpu_count: int
    vcpus: int
    ram_gb: int
    storage_gb: int
    image_id: str
    image_name: str
    private_ip: str
    currency: str
    hourly_price: Decimal
    created_at: float
    updated_at: float
    deployment_id: str
    public_ip: str | None = None
    server_uuid: str | None = None
    ssh_key_ids: list[str] = field(default_factory=list)
    security_rules: list[RuleRecord] = field(default_factory=list)
    pending: Pending | None = None
    billing: list[BillingPeriod] = field(default_factory=list)
    boot_volume_id: str | None = None
    startup_script_id: str | None = None
    cloud_init: str | None = None
    jupyter_enabled: bool = False
    # Asked for at deploy time; the address is assigned when the instance turns ACTIVE.
    wants_public_ip: bool = False

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "region": self.region,
            "flavor": {
                "gpu_model": self.gpu_model,
                "gpu_count": self.gpu_count,
                "vcpus": self.vcpus,
                "ram_gb": self.ram_gb,
                "storage_gb": self.storage_gb,
            },
            "image": {"id": self.image_id, "name": self.image_name},
            # "" until the engine assigns one at the first ACTIVE.
            "private_ip": self.private_ip or None,
            "public_ip": self.public_ip,
            "ssh_key_ids": list(self.ssh_key_ids),
            "currency": self.currency,
            "hourly_price": str(self.hourly_price),
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "server_uuid": self.server_uuid,
            "deployment_id": self.deployment_id,
        }


@dataclass
class VolumeRecord:
    id: str
    name: str
    status: str
    size_gb: int
    region: str
    created_at: float
    bootable: bool = False
    os_image_id: str | None = None
    volume_type: str = "Cloud-SSD"
    instance_id: str | None = None
    # Stands for the volume's data: it must survive detach/attach unchanged.
    contents_marker: str = ""
    pending: Pending | None = None
    billing: list[BillingPeriod] = field(default_factory=list)

    @property
    def tier(self) -> str:
        return REGION_TIERS[self.region]

    def wire(self, instances: dict[str, InstanceRecord]) -> dict[str, Any]:
        instance = instances.get(self.instance_id) if self.instance_id else None
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "size_gb": self.size_gb,
            "region": self.region,
            "volume_type": self.volume_type,
            "bootable": self.bootable,
            "os_image_id": self.os_image_id,
            "tier": self.tier,
            "instance_id": self.instance_id,
            "instance_name": instance.name if instance else None,
            "instance_status": instance.status if instance else None,
            "created_at": iso(self.created_at),
        }


@dataclass
class FirewallRecord:
    id: str
    name: str
    description: str
    region: str
    status: str
    created_at: float
    rules: list[RuleRecord] = field(default_factory=list)
    # instance id -> attachment status (SUCCESS / ATTACHING / ERROR)
    attachments: dict[str, str] = field(default_factory=dict)
    attach_due: dict[str, float] = field(default_factory=dict)


@dataclass
class SSHKeyRecord:
    id: str
    name: str
    fingerprint: str
    public_key: str
    created_at: float
    regions: list[str] = field(default_factory=list)


@dataclass
class ScriptRecord:
    id: str
    name: str
    content: str
    created_at: float
    updated_at: float


@dataclass
class SnapshotRecord:
    id: str
    name: str
    description: str
    instance_id: str | None
    instance_name: str | None
    region: str
    size_gb: int
    status: str
    created_at: float
    is_image: bool = False
    vm_config: dict[str, Any] = field(default_factory=dict)
    pending: Pending | None = None
    billing: list[BillingPeriod] = field(default_factory=list)


@dataclass
class ImageRecord:
    id: str
    name: str
    description: str
    region: str
    size_gb: int
    status: str
    snapshot_id: str | None
    created_at: float
    pending: Pending | None = None


@dataclass
class AITransactionRecord:
    id: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost: Decimal
    created_at: float


@dataclass
class SimState:
    """Everything the simulated account holds. Mutated only by the engine and route handlers."""

    clock: Clock = field(default_factory=SystemClock)
    api_key: str = field(default=DEMO_API_KEY, repr=False)
    currency: str = CurrencyEnum.USD
    balances: dict[str, Decimal] = field(default_factory=lambda: {CurrencyEnum.USD: Decimal("0")})
    profile_complete: bool = True
    durations: Durations = field(default_factory=Durations)
    # (region, gpu_model, gpu_count) -> units free to deploy
    stock: dict[tuple[str, str, int], int] = field(default_factory=dict)
    instances: dict[str, InstanceRecord] = field(default_factory=dict)
    volumes: dict[str, VolumeRecord] = field(default_factory=dict)
    firewalls: dict[str, FirewallRecord] = field(default_factory=dict)
    ssh_keys: dict[str, SSHKeyRecord] = field(default_factory=dict)
    scripts: dict[str, ScriptRecord] = field(default_factory=dict)
    snapshots: dict[str, SnapshotRecord] = field(default_factory=dict)
    images: dict[str, ImageRecord] = field(default_factory=dict)
    ai_transactions: list[AITransactionRecord] = field(default_factory=list)
    # Observability for tests and benches: requests by "METHOD /route/template".
    request_counts: Counter[str] = field(default_factory=Counter)
    # Mutations that reached a handler, by "METHOD /route/template".
    mutation_counts: Counter[str] = field(default_factory=Counter)
    _id_counters: Counter[str] = field(default_factory=Counter)
    # The engine's index (an `engine_book.EngineBook`: due-transition heap, billing ledger); rebuilt from the
    # records when None. Typed loosely because the book imports this module, and persistence evaluates these
    # annotations at run time, where a name imported only for the checker would not exist.
    engine: Any = field(default=None, repr=False, compare=False)

    def now(self) -> float:
        return self.clock.now()

    def new_id(self, prefix: str) -> str:
        """Stable, readable ids: `ins-0001`, `vol-0007`, ..."""
        self._id_counters[prefix] += 1
        return f"{prefix}-{self._id_counters[prefix]:04d}"

    @property
    def balance(self) -> Decimal:
        return self.balances.get(self.currency, Decimal("0"))

    def names_in_use(self, kind: str) -> set[str]:
        table: dict[str, Any] = getattr(self, kind)
        return {record.name for record in table.values()}

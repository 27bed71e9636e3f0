"""The deploy wizard's data, independent of its widgets: what was chosen, I4 checks, the request, the costs.

The wizard's steps write into one `DeployForm`; leaving a step asks
`step_verdicts` for that step's fields (the messages are rule I4's), and the
review shows `request()` — the exact body `deploy_instance` sends — and the
costs from the price table (`rules.pricing`), which is what the simulator and
the bill use. No Textual here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from barrack_tui.api.models import (
    BootSource,
    DeploymentRequest,
    GPUStockItem,
    JupyterConfig,
    VMSecurityRuleRequest,
)
from barrack_tui.rules.instances import has_credits_for, validate_deployment
from barrack_tui.rules.pricing import gpu_hourly, money
from barrack_tui.rules.verdict import ALLOWED, Verdict

STEPS: tuple[tuple[str, str], ...] = (
    ("region", "Name & region"),
    ("gpu", "GPU"),
    ("boot", "Boot source"),
    ("keys", "SSH keys"),
    ("advanced", "Advanced"),
    ("review", "Review"),
)
STEP_KEYS = tuple(key for key, _ in STEPS)
# validate_deployment's keys, by the step that sets them.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "region": ("name", "region"),
    "gpu": ("gpu_model", "gpu_count"),
    "boot": ("boot_source",),
    "keys": ("ssh_key_ids",),
    "advanced": ("jupyter", "cloud_init"),
    "review": (),
}
FIELD_STEP = {name: step for step, names in STEP_FIELDS.items() for name in names}
MASKED = "********"


@dataclass
class StockChoice:
    gpu_model: str
    gpu_count: int
    available: int


def in_stock(items: list[GPUStockItem], region: str) -> list[StockChoice]:
    """The configurations that can be deployed in `region` now (available > 0), by model then count."""
    choices = [
        StockChoice(str(item.gpu_model), config.gpu_count, config.available)
        for item in items
        if str(item.region) == region
        for config in item.configurations
        if config.available > 0
    ]
    return sorted(choices, key=lambda c: (c.gpu_model, c.gpu_count))


def out_of_stock_models(items: list[GPUStockItem], region: str) -> list[str]:
    """Models of the region with no configuration available at all (shown as a note, never offered)."""
    return sorted(
        str(item.gpu_model)
        for item in items
        if str(item.region) == region and not any(c.available > 0 for c in item.configurations)
    )


def password_strength(password: str) -> str:
    """A hint, not a rule (the rule is I4's >= 8 characters): weak / fair / strong."""
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if len(password) >= 12 and classes >= 3:
        return "strong"
    if len(password) >= 8 and classes >= 2:
        return "fair"
    return "weak"


@dataclass
class DeployForm:
    name: str = ""
    region: str | None = None
    gpu_model: str | None = None
    gpu_count: int | None = None
    boot_type: str | None = None
    boot_id: str | None = None
    boot_label: str = ""
    ssh_key_ids: list[str] = field(default_factory=list)
    public_ip: bool = False
    security_rules: list[VMSecurityRuleRequest] = field(default_factory=list)
    jupyter_enabled: bool = False
    jupyter_password: str = ""
    cloud_init: str = ""
    startup_script_id: str | None = None
    # What the wizard knows of the world, for the checks.
    stock_available: int = 0
    boot_source_ok: bool = False
    # The server's stated maximum of the chosen model per instance (None: it states none, 1/2/4/8 apply).
    gpu_max_count: int | None = None

    def verdicts(self, taken_names: set[str]) -> dict[str, Verdict]:
        return validate_deployment(
            name=self.name,
            taken_names=taken_names,
            region=self.region,
            gpu_model=self.gpu_model,
            gpu_count=self.gpu_count,
            stock_available=self.stock_available,
            boot_source_ok=self.boot_source_ok,
            ssh_key_ids=self.ssh_key_ids,
            jupyter_enabled=self.jupyter_enabled,
            jupyter_password=self.jupyter_password or None,
            cloud_init=self.cloud_init or None,
            gpu_max_count=self.gpu_max_count,
        )

    def step_verdicts(self, step: str, taken_names: set[str]) -> dict[str, Verdict]:
        all_verdicts = self.verdicts(taken_names)
        return {name: all_verdicts[name] for name in STEP_FIELDS[step]}

    def first_failing_step(self, taken_names: set[str]) -> str | None:
        for name, verdict in self.verdicts(taken_names).items():
            if not verdict:
                return FIELD_STEP[name]
        return None

    def request(self) -> DeploymentRequest:
        """The exact body sent. Call only when `verdicts` all pass."""
        return DeploymentRequest(
            name=self.name,
            region=self.region,
            gpu_model=self.gpu_model,
            gpu_count=self.gpu_count or 0,
            boot_source=BootSource(type=self.boot_type, id=self.boot_id or ""),
            ssh_key_ids=list(self.ssh_key_ids),
            public_ip=self.public_ip,
            security_rules=list(self.security_rules),
            jupyter=JupyterConfig(enabled=self.jupyter_enabled, password=self.jupyter_password if self.jupyter_enabled else None),
            cloud_init=self.cloud_init or None,
            startup_script_id=self.startup_script_id,
        )

    def request_json(self) -> str:
        """The request as the review shows it: exact, except the Jupyter password is masked."""
        body = self.request().model_dump(mode="json")
        if body["jupyter"].get("password"):
            body["jupyter"]["password"] = MASKED
        return json.dumps(body, indent=2, ensure_ascii=False)

    def hourly(self, currency: str) -> Decimal | None:
        if not self.gpu_model or not self.gpu_count:
            return None
        return gpu_hourly(self.gpu_model, self.gpu_count, currency)


@dataclass(frozen=True)
class CostPreview:
    hourly: Decimal
    daily: Decimal
    burn_after: Decimal
    hours_lasting: Decimal | None
    credits: Verdict


def cost_preview(hourly: Decimal, *, balance: Decimal | None, current_burn: Decimal) -> CostPreview:
    """Price per hour and per day, and how long the balance lasts at the burn rate with this instance added."""
    burn_after = current_burn + hourly
    lasting = None
    if balance is not None and burn_after > 0:
        lasting = (balance / burn_after).quantize(Decimal("0.1"))
    credits = has_credits_for(balance, hourly) if balance is not None else ALLOWED
    return CostPreview(money(hourly), money(hourly * 24), burn_after, lasting, credits)

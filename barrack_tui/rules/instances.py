"""Instance rules I1-I7: which lifecycle action is allowed from which state, deploy checks, credits.

I2 is checked before I1: while an instance is in a transitional state the
honest answer to every action is "wait", not "wrong state".

Project decision: hibernate is allowed from ACTIVE *and* SHUTOFF — a SHUTOFF
instance still bills its full rate (I3), so hibernating it is the way to stop
paying for a machine you want to keep.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from barrack_tui.api.enums import (
    TRANSITIONAL_VM_STATUSES,
    GpuCountEnum,
    GpuModelEnum,
    RegionEnum,
    ResourceStatus,
    VMStatus,
    VolumeStatus,
)
from barrack_tui.rules.unknown import refuse_unknown
from barrack_tui.rules.validators import validate_cloud_init, validate_jupyter_password, validate_name
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse

INSTANCE_ACTIONS = ("start", "stop", "reboot", "hibernate", "restore", "delete")

_S = VMStatus
# I1: the states each action may start from (delete: any non-transitional state, ERROR included).
ALLOWED_FROM: dict[str, frozenset[VMStatus]] = {
    "start": frozenset({_S.SHUTOFF}),
    "stop": frozenset({_S.ACTIVE}),
    "reboot": frozenset({_S.ACTIVE}),
    "hibernate": frozenset({_S.ACTIVE, _S.SHUTOFF}),
    "restore": frozenset({_S.HIBERNATED}),
    "delete": frozenset({_S.ACTIVE, _S.SHUTOFF, _S.HIBERNATED, _S.ERROR}),
}
# Public IP can be switched on a machine that exists and is not asleep or broken.
PUBLIC_IP_TOGGLE_FROM = frozenset({_S.ACTIVE, _S.SHUTOFF})
# I6: the states that still cost the full rate and are hibernated when credits run out.
HIBERNATE_ON_EMPTY_BALANCE = frozenset({_S.ACTIVE, _S.SHUTOFF})

# ---- messages ----
MSG_IN_PROGRESS = "An operation is already in progress"  # I2, exact
MSG_WRONG_STATE = {  # I1
    "start": "Instance must be SHUTOFF to start",
    "stop": "Instance must be ACTIVE to stop",
    "reboot": "Instance must be ACTIVE to reboot",
    "hibernate": "Instance must be ACTIVE or SHUTOFF to hibernate",
    "restore": "Instance must be HIBERNATED to restore",
    "delete": "Instance cannot be deleted in its current state",
}
MSG_DELETED = "Instance has been deleted"
MSG_UNKNOWN_ACTION = "Unknown instance action"
MSG_PUBLIC_IP_STATE = "Instance must be ACTIVE or SHUTOFF to change its public IP"
PUBLIC_IP_WARNING = (  # I5
    "A public IP exposes this instance to the whole internet. Anything listening on an open port can be "
    "reached by anyone: keep SSH key-only and allow only the ports you need in its security rules and firewalls."
)
MSG_REGION_REQUIRED = "Choose a region"
MSG_REGION_INVALID = "Choose a region from the list"
MSG_GPU_MODEL_REQUIRED = "Choose a GPU model"
MSG_GPU_MODEL_INVALID = "Choose a GPU model from the list"
MSG_GPU_COUNT_INVALID = "GPU count must be 1, 2, 4 or 8"
MSG_GPU_COUNT_OVER_MAX = "At most {max_count} × {gpu_model} per instance"
MSG_OUT_OF_STOCK = "{gpu_model} is out of stock in {region}"
MSG_LOW_STOCK = "Only {stock} × {gpu_model} available in {region}"
MSG_BOOT_SOURCE = "Choose a boot source in {region}: an OS image, a bootable volume or a custom image"
MSG_SSH_KEY_REQUIRED = "Add at least one SSH key"
MSG_INSUFFICIENT_CREDITS = "Insufficient Credits"  # I4 / HTTP 402, exact


def _status(status: object) -> VMStatus | None:
    if not isinstance(status, str):
        return None  # None, a number, anything a caller got wrong: as unknown as a new status
    try:
        return VMStatus(status)
    except ValueError:
        return None


def can_instance_action(action: str, status: VMStatus | str) -> Verdict:
    """I2 then I1: may `action` be started on an instance in `status`?"""
    if action not in INSTANCE_ACTIONS:
        return refuse("UNKNOWN_ACTION", MSG_UNKNOWN_ACTION)
    current = _status(status)
    if current is None:
        return refuse_unknown("Instance", status)
    if current in TRANSITIONAL_VM_STATUSES:
        return refuse("OPERATION_IN_PROGRESS", MSG_IN_PROGRESS)
    if current is VMStatus.DELETED:
        return refuse("INSTANCE_DELETED", MSG_DELETED)
    if current not in ALLOWED_FROM[action]:
        return refuse("INSTANCE_STATE", MSG_WRONG_STATE[action])
    return ALLOWED


def instance_actions(status: VMStatus | str) -> dict[str, Verdict]:
    """Every action's verdict for one status, in INSTANCE_ACTIONS order (the instance card's buttons)."""
    return {action: can_instance_action(action, status) for action in INSTANCE_ACTIONS}


def can_toggle_public_ip(status: VMStatus | str) -> Verdict:
    """I5: public IP on/off, on an ACTIVE or SHUTOFF instance (I2 first)."""
    current = _status(status)
    if current is None:
        return refuse_unknown("Instance", status)
    if current in TRANSITIONAL_VM_STATUSES:
        return refuse("OPERATION_IN_PROGRESS", MSG_IN_PROGRESS)
    if current not in PUBLIC_IP_TOGGLE_FROM:
        return refuse("INSTANCE_STATE", MSG_PUBLIC_IP_STATE)
    return ALLOWED


def hibernates_when_out_of_credits(balance: Decimal, status: VMStatus | str) -> bool:
    """I6: at a balance of zero or less, every ACTIVE and SHUTOFF instance is hibernated."""
    try:
        exhausted = Decimal(balance) <= 0
    except (InvalidOperation, TypeError, ValueError):
        return False
    return exhausted and _status(status) in HIBERNATE_ON_EMPTY_BALANCE


def _check_region(region: object) -> Verdict:
    if region is None or region == "":
        return refuse("REGION_REQUIRED", MSG_REGION_REQUIRED)
    if not isinstance(region, str) or region not in {r.value for r in RegionEnum}:
        return refuse("REGION_INVALID", MSG_REGION_INVALID)
    return ALLOWED


def _check_gpu_model(gpu_model: object) -> Verdict:
    if gpu_model is None or gpu_model == "":
        return refuse("GPU_MODEL_REQUIRED", MSG_GPU_MODEL_REQUIRED)
    if not isinstance(gpu_model, str) or gpu_model not in {m.value for m in GpuModelEnum}:
        return refuse("GPU_MODEL_INVALID", MSG_GPU_MODEL_INVALID)
    return ALLOWED


def validate_gpu_count(gpu_model: object, gpu_count: object, max_count: int | None = None) -> Verdict:
    """The count alone: 1, 2, 4 or 8, and no more than the server's stated `max_count` for the model."""
    valid_counts = {c.value for c in GpuCountEnum}
    if not isinstance(gpu_count, int) or isinstance(gpu_count, bool) or gpu_count not in valid_counts:
        return refuse("GPU_COUNT_INVALID", MSG_GPU_COUNT_INVALID)
    if max_count is not None and gpu_count > max_count:
        return refuse("GPU_COUNT_OVER_MAX", MSG_GPU_COUNT_OVER_MAX.format(max_count=max_count, gpu_model=gpu_model))
    return ALLOWED


def _check_gpu_count(
    gpu_model: object, gpu_count: object, region: object, stock_available: int, max_count: int | None = None
) -> Verdict:
    if not (counted := validate_gpu_count(gpu_model, gpu_count, max_count)):
        return counted
    if not (_check_gpu_model(gpu_model) and _check_region(region)):
        return ALLOWED  # stock is meaningless until model and region are valid; those fields say why
    assert isinstance(gpu_count, int)  # validate_gpu_count refused every other type above
    names = {"gpu_model": str(gpu_model), "region": str(region)}
    if stock_available <= 0:
        return refuse("OUT_OF_STOCK", MSG_OUT_OF_STOCK.format(**names))
    if gpu_count > stock_available:
        return refuse("OUT_OF_STOCK", MSG_LOW_STOCK.format(stock=stock_available, **names))
    return ALLOWED


def _boot_source_refused(region: object) -> Verdict:
    shown_region = str(region) if _check_region(region) else "the chosen region"
    return refuse("BOOT_SOURCE_REQUIRED", MSG_BOOT_SOURCE.format(region=shown_region))


def can_boot_from(
    source_type: object,
    region: RegionEnum | str | None,
    *,
    source_region: object = None,
    bootable: object = None,
    status: object = None,
) -> Verdict:
    """May this boot source boot a new instance in `region`? (The deploy form lists only those that may.)

    Every source must be in the instance's region. An OS image needs nothing
    more; a volume must be bootable and `available` (finished creating and
    attached to nothing, since it becomes the new instance's OS disk); a custom
    image must have finished (`SUCCESS`). A source that was not found has no
    region: call with only its type and the region, and it is refused.
    """
    in_region = (
        region is not None and source_region is not None and str(region) != "" and str(source_region) == str(region)
    )
    usable = in_region and (
        source_type == "os_image"
        or (source_type == "volume" and bootable is True and status == VolumeStatus.AVAILABLE)
        or (source_type == "image" and status == ResourceStatus.SUCCESS)
    )
    return ALLOWED if usable else _boot_source_refused(region)


def validate_deployment(
    *,
    name: str | None,
    taken_names: Iterable[str],
    region: RegionEnum | str | None,
    gpu_model: GpuModelEnum | str | None,
    gpu_count: int | None,
    stock_available: int,
    boot_source_ok: bool,
    ssh_key_ids: Iterable[str] | None,
    jupyter_enabled: bool,
    jupyter_password: str | None,
    cloud_init: str | None,
    gpu_max_count: int | None = None,
) -> dict[str, Verdict]:
    """I4 per field, keyed as DeploymentRequest: name, region, gpu_model, gpu_count, boot_source,
    ssh_key_ids, jupyter, cloud_init. Credits are separate (`has_credits_for`, HTTP 402).
    `gpu_max_count` is the server's stated maximum for the model, when it states one; `boot_source_ok`
    is `can_boot_from`'s answer for the chosen source (False when none is chosen)."""
    region_ok = _check_region(region)
    boot_source = ALLOWED if boot_source_ok else _boot_source_refused(region)
    has_key = ssh_key_ids is not None and any(True for _ in ssh_key_ids)
    return {
        "name": validate_name(name, taken=taken_names, kind="instance"),
        "region": region_ok,
        "gpu_model": _check_gpu_model(gpu_model),
        "gpu_count": _check_gpu_count(gpu_model, gpu_count, region, stock_available, gpu_max_count),
        "boot_source": boot_source,
        "ssh_key_ids": ALLOWED if has_key else refuse("SSH_KEY_REQUIRED", MSG_SSH_KEY_REQUIRED),
        "jupyter": validate_jupyter_password(jupyter_enabled, jupyter_password),
        "cloud_init": validate_cloud_init(cloud_init),
    }


def has_credits_for(balance: Decimal, hourly_price: Decimal) -> Verdict:
    """I4: deploying needs a balance covering at least one hour of the new instance's price."""
    try:
        enough = Decimal(balance) >= Decimal(hourly_price)
    except (InvalidOperation, TypeError, ValueError):
        enough = False
    return ALLOWED if enough else refuse("INSUFFICIENT_CREDITS", MSG_INSUFFICIENT_CREDITS)


def delete_confirmed(typed: str | None, name: str) -> bool:
    """I7: the user typed the instance's name exactly (no trimming: a near miss is not a confirmation)."""
    return isinstance(typed, str) and isinstance(name, str) and name != "" and typed == name

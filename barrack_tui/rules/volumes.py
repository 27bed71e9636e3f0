"""Volume rules V1-V10 and the button states of a volume card.

The order of checks is part of the contract: detach runs V1, V2, V4, V3, V5
and attach runs V6 (available), V4, V6 (region), V3, V5, so the first reason
a user sees is always the most fundamental one. `card_actions` derives every
button from these same functions, which is how the card's tooltip, the
modal's warning and the simulator's 400 always carry identical text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from barrack_tui.api.enums import CurrencyEnum, RegionEnum, TierEnum, VMStatus, VolumeStatus
from barrack_tui.api.unknown import is_unknown
from barrack_tui.rules.pricing import MIN_BALANCE
from barrack_tui.rules.unknown import unknown_state
from barrack_tui.rules.validators import BOOTABLE_MIN_GB, validate_name, validate_volume_size
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse

if TYPE_CHECKING:  # annotations only: the rules run on models without loading them
    from barrack_tui.api.models.instances import VMInstance
    from barrack_tui.api.models.volumes import VolumeResponse

# ---- messages (V-rule texts are exact, from dashboard-rules.md and the seed) ----
MSG_VOLUME_NOT_ATTACHED = "Volume is not attached"  # V1
MSG_VOLUME_BOOTABLE = "OS/Bootable volumes cannot be detached"  # V2
MSG_DETACH_NOT_SHUTOFF = (  # V3 detach, {status} is the instance's real status
    "Cannot detach: Volume is attached to a {status} instance. The instance must be in SHUTOFF state to perform "
    "volume operations. Please shut down the instance first before attempting to detach volumes."
)
MSG_ATTACH_NOT_SHUTOFF = (  # V3 attach
    "Cannot attach: Instance is in {status} state. The instance must be in SHUTOFF state to perform "
    "volume operations. Please shut down the instance first before attempting to attach volumes."
)
MSG_INSTANCE_NOT_FOUND = "Could not find a suitable instance"  # V4
MSG_CURRENCY_CONTEXT = "Instance not available in current currency context"  # V5
MSG_VOLUME_NOT_AVAILABLE = "Volume is not available"  # V6
MSG_REGION_MISMATCH = "Volume and instance must be in the same region"  # V6
MSG_VOLUME_ATTACHED = "Volume must be detached before deletion"  # V7
MSG_TIER = "Clone and resize are available on the advanced tier only"  # V8
MSG_VOLUME_CREATING = "Volume is still being created"
MSG_VOLUME_ERROR = "Volume is in an error state"
MSG_REGION_REQUIRED = "Choose a region"
MSG_REGION_INVALID = "Choose a region from the list"
MSG_BOOTABLE_TIER = "Bootable volumes from OS images exist only in advanced-tier regions (CANADA-1)"
MSG_OS_IMAGE_REQUIRED = "Choose an OS image for a bootable volume"
MSG_OS_IMAGE_NONE_IN_REGION = "No OS image for bootable volumes in {region}"
MSG_OS_IMAGE_OTHER_REGION = "This OS image is not available in {region}"
MSG_PROFILE_INCOMPLETE = "Complete your account profile before creating a volume"
MSG_BALANCE_TOO_LOW = "A balance of at least {minimum} {currency} is needed to create a volume"
MSG_CURRENCY_INVALID = "Unknown account currency"


@dataclass(frozen=True, slots=True)
class ButtonState:
    """One card button: shown or not, pressable or not, and why not (the rule's text)."""

    visible: bool
    enabled: bool = False
    reason: str = ""


HIDDEN = ButtonState(visible=False)


@dataclass(frozen=True, slots=True)
class CardActions:
    attach: ButtonState
    detach: ButtonState
    delete: ButtonState
    clone: ButtonState
    resize: ButtonState


def _instance_checks(instance: VMInstance, account_currency: str, not_shutoff_text: str) -> Verdict:
    """V3 then V5, shared by detach and attach (which differ only in the V3 wording)."""
    if instance.status != VMStatus.SHUTOFF:
        return refuse("INSTANCE_NOT_SHUTOFF", not_shutoff_text.format(status=str(instance.status)))
    if instance.currency != account_currency:
        return refuse("CURRENCY_CONTEXT", MSG_CURRENCY_CONTEXT)
    return ALLOWED


def can_detach(volume: VolumeResponse, instance: VMInstance | None, account_currency: str) -> Verdict:
    """V1, V2, V4, V3, V5 in that order. `instance` is the looked-up attached instance (None if not found)."""
    unknown = unknown_state("Volume", volume.status)
    if not unknown.allowed:
        return unknown
    if volume.status != VolumeStatus.ATTACHED:
        return refuse("VOLUME_NOT_ATTACHED", MSG_VOLUME_NOT_ATTACHED)
    if volume.bootable:
        return refuse("VOLUME_BOOTABLE", MSG_VOLUME_BOOTABLE)
    # An instance other than the one the volume is attached to is as good as none.
    if instance is None or (volume.instance_id is not None and instance.id != volume.instance_id):
        return refuse("INSTANCE_NOT_FOUND", MSG_INSTANCE_NOT_FOUND)
    return _instance_checks(instance, account_currency, MSG_DETACH_NOT_SHUTOFF)


def can_attach_volume(volume: VolumeResponse) -> Verdict:
    """V6, the volume's half: only an available volume can be attached (the card's Attach button)."""
    unknown = unknown_state("Volume", volume.status)
    if not unknown.allowed:
        return unknown
    if volume.status != VolumeStatus.AVAILABLE:
        return refuse("VOLUME_NOT_AVAILABLE", MSG_VOLUME_NOT_AVAILABLE)
    return ALLOWED


def can_attach(volume: VolumeResponse, instance: VMInstance | None, account_currency: str) -> Verdict:
    """V6 (available), V4, V6 (same region), V3 (attach text), V5."""
    volume_ok = can_attach_volume(volume)
    if not volume_ok:
        return volume_ok
    if instance is None:
        return refuse("INSTANCE_NOT_FOUND", MSG_INSTANCE_NOT_FOUND)
    if instance.region != volume.region:
        return refuse("REGION_MISMATCH", MSG_REGION_MISMATCH)
    return _instance_checks(instance, account_currency, MSG_ATTACH_NOT_SHUTOFF)


def can_delete_volume(volume: VolumeResponse) -> Verdict:
    """V7: only an available (detached) volume can be deleted."""
    unknown = unknown_state("Volume", volume.status)
    if not unknown.allowed:
        return unknown
    if volume.status == VolumeStatus.ATTACHED:
        return refuse("VOLUME_ATTACHED", MSG_VOLUME_ATTACHED)
    if volume.status == VolumeStatus.CREATING:
        return refuse("VOLUME_CREATING", MSG_VOLUME_CREATING)
    if volume.status == VolumeStatus.ERROR:
        return refuse("VOLUME_ERROR", MSG_VOLUME_ERROR)
    return ALLOWED


def _advanced_and_ready(volume: VolumeResponse) -> Verdict:
    unknown = unknown_state("Volume", volume.status)
    if not unknown.allowed:
        return unknown
    if volume.tier != TierEnum.ADVANCED:
        return refuse("TIER", MSG_TIER)
    if volume.status == VolumeStatus.CREATING:
        return refuse("VOLUME_CREATING", MSG_VOLUME_CREATING)
    return ALLOWED


def can_clone(volume: VolumeResponse) -> Verdict:
    """V8: advanced tier only, and not while the volume is being created."""
    return _advanced_and_ready(volume)


def can_resize(volume: VolumeResponse) -> Verdict:
    """V8 (the size itself is V9: validators.validate_resize)."""
    return _advanced_and_ready(volume)


def can_make_bootable(region_tier: TierEnum | str | None) -> Verdict:
    """OS/bootable volumes from OS images exist only in advanced-tier regions."""
    if region_tier != TierEnum.ADVANCED:
        return refuse("TIER", MSG_BOOTABLE_TIER)
    return ALLOWED


def size_for_bootable(size_gb: int | None, bootable: bool) -> int | None:
    """V10: switching Make Bootable on raises the size to the 100 GB minimum; off leaves it alone."""
    if bootable and (size_gb is None or size_gb < BOOTABLE_MIN_GB):
        return BOOTABLE_MIN_GB
    return size_gb


def _check_region(region: RegionEnum | str | None) -> Verdict:
    if region is None or region == "":
        return refuse("REGION_REQUIRED", MSG_REGION_REQUIRED)
    if not isinstance(region, str) or region not in {r.value for r in RegionEnum}:
        return refuse("REGION_INVALID", MSG_REGION_INVALID)
    return ALLOWED


def _check_os_image(
    region: RegionEnum | str | None,
    bootable: bool,
    os_image_id: str | None,
    os_image_ids_in_region: Iterable[str],
    region_tier: TierEnum | str | None,
) -> Verdict:
    # A non-bootable volume ignores a leftover image choice rather than failing a field the form hides.
    if not bootable:
        return ALLOWED
    if region_tier is not None and not (tier_ok := can_make_bootable(region_tier)):
        return tier_ok
    image_ids = set(os_image_ids_in_region)
    region_ok = _check_region(region)
    if not image_ids and region_ok:
        return refuse("OS_IMAGE_UNAVAILABLE", MSG_OS_IMAGE_NONE_IN_REGION.format(region=region))
    if not os_image_id:
        return refuse("OS_IMAGE_REQUIRED", MSG_OS_IMAGE_REQUIRED)
    if os_image_id not in image_ids:
        if not region_ok:
            return refuse("OS_IMAGE_REQUIRED", MSG_OS_IMAGE_REQUIRED)
        return refuse("OS_IMAGE_REGION", MSG_OS_IMAGE_OTHER_REGION.format(region=region))
    return ALLOWED


def _check_balance(balance: Decimal, currency: CurrencyEnum | str, supported: Iterable[str] | None = None) -> Verdict:
    known = {c.value for c in CurrencyEnum} if supported is None else {str(c) for c in supported}
    if currency not in known:
        return refuse("CURRENCY_INVALID", MSG_CURRENCY_INVALID)
    minimum = MIN_BALANCE.get(currency)
    if minimum is None:
        return ALLOWED  # a currency the server supports but our price table has no minimum for: the server checks
    try:
        enough = Decimal(balance) >= minimum
    except (InvalidOperation, TypeError, ValueError):
        enough = False
    if not enough:
        return refuse(
            "INSUFFICIENT_CREDITS", MSG_BALANCE_TOO_LOW.format(minimum=minimum, currency=CurrencyEnum(currency).value)
        )
    return ALLOWED


def validate_create_volume(
    *,
    name: str | None,
    region: RegionEnum | str | None,
    size_gb: int | None,
    bootable: bool,
    os_image_id: str | None,
    taken_names: Iterable[str],
    os_image_ids_in_region: Iterable[str],
    profile_complete: bool,
    balance: Decimal,
    currency: CurrencyEnum | str,
    region_tier: TierEnum | str | None = None,
    minimum_size_gb: int | None = None,
    supported_currencies: Iterable[str] | None = None,
) -> dict[str, Verdict]:
    """V10, one verdict per form field: name, region, size_gb, os_image_id, profile, balance.

    `region_tier`, when given, refuses a bootable volume outside the advanced
    tier under `os_image_id` (where the form shows the image picker).
    `minimum_size_gb` and `supported_currencies` are what the server states, when it does.
    """
    return {
        "name": validate_name(name, taken=taken_names, kind="volume"),
        "region": _check_region(region),
        "size_gb": validate_volume_size(size_gb, bootable=bootable, minimum_gb=minimum_size_gb),
        "os_image_id": _check_os_image(region, bootable, os_image_id, os_image_ids_in_region, region_tier),
        "profile": ALLOWED if profile_complete else refuse("PROFILE_INCOMPLETE", MSG_PROFILE_INCOMPLETE),
        "balance": _check_balance(balance, currency, supported_currencies),
    }


def _button(verdict: Verdict) -> ButtonState:
    """A visible button, enabled exactly when its rule allows, with the rule's text when not."""
    return ButtonState(visible=True, enabled=verdict.allowed, reason=verdict.message)


def _shown_if_allowed(verdict: Verdict) -> ButtonState:
    """Clone/resize: hidden where the rule refuses (the reason stays available for a help line)."""
    return ButtonState(visible=True, enabled=True) if verdict else ButtonState(visible=False, reason=verdict.message)


def card_actions(volume: VolumeResponse, instance: VMInstance | None, account_currency: str) -> CardActions:
    """The button states of a volume card ("Button states on a card", dashboard-rules.md)."""
    clone = _shown_if_allowed(can_clone(volume))
    resize = _shown_if_allowed(can_resize(volume))
    if volume.status == VolumeStatus.ATTACHED:
        return CardActions(
            attach=HIDDEN,
            detach=_button(can_detach(volume, instance, account_currency)),
            delete=_button(can_delete_volume(volume)),
            clone=clone,
            resize=resize,
        )
    if volume.status == VolumeStatus.AVAILABLE:
        return CardActions(
            attach=_button(can_attach_volume(volume)),
            detach=HIDDEN,
            delete=_button(can_delete_volume(volume)),
            clone=clone,
            resize=resize,
        )
    if is_unknown(volume.status):
        # Attach or detach depends on a state we cannot read; Delete stays in view to say why nothing is offered.
        return CardActions(attach=HIDDEN, detach=HIDDEN, delete=_button(can_delete_volume(volume)), clone=clone, resize=resize)
    return CardActions(attach=HIDDEN, detach=HIDDEN, delete=HIDDEN, clone=clone, resize=resize)

"""Rules for SSH keys (K1), snapshots (S1) and custom images (M1).

Key-text validation is in `sshkeys.py` and key-name validation in
`validators.py`; this module holds the account-level rules around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from barrack_tui.api.enums import ResourceStatus, VMStatus
from barrack_tui.rules.unknown import unknown_state
from barrack_tui.rules.validators import NAME_MAX, validate_description, validate_name
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse

if TYPE_CHECKING:  # annotations only: the rules run on models without loading them
    from barrack_tui.api.models.instances import VMInstance

MAX_KEYS_PER_REGION = 25
RESTORED_SUFFIX = "-restored"
# S1 says "restore only from SUCCESS/available": the dashboard shows both words for a finished snapshot.
RESTORABLE_SNAPSHOT_STATUSES = frozenset({ResourceStatus.SUCCESS.value, "available"})

# ---- messages ----
MSG_KEY_LIMIT = f"A region holds at most {MAX_KEYS_PER_REGION} SSH keys; delete one to add another"
MSG_KEY_IN_USE = "This key is used by the ACTIVE instance '{name}'; stop or delete that instance first"
MSG_KEY_IN_USE_MANY = "This key is used by the ACTIVE instance '{name}' and {more} more; stop or delete them first"
MSG_SNAPSHOT_NOT_ACTIVE = "Instance must be ACTIVE to take a snapshot"
MSG_SNAPSHOT_NOT_READY = "Snapshot must be SUCCESS (finished) to restore"
MSG_IMAGE_SNAPSHOT_NOT_READY = "Snapshot must be SUCCESS (finished) to create an image"

_NOT_NAME_CHAR = re.compile(r"[^A-Za-z0-9 _.\-]")


def can_create_key(count_in_region: int) -> Verdict:
    """K1: at most 25 keys per region."""
    if count_in_region >= MAX_KEYS_PER_REGION:
        return refuse("KEY_LIMIT", MSG_KEY_LIMIT)
    return ALLOWED


def can_delete_key(key_id: str, instances: Iterable[VMInstance]) -> Verdict:
    """K1: a key used by an ACTIVE instance cannot be deleted; the refusal names the instance."""
    users = [i.name for i in instances if i.status == VMStatus.ACTIVE and key_id in i.ssh_key_ids]
    if not users:
        return ALLOWED
    if len(users) == 1:
        return refuse("KEY_IN_USE", MSG_KEY_IN_USE.format(name=users[0]))
    return refuse("KEY_IN_USE", MSG_KEY_IN_USE_MANY.format(name=users[0], more=len(users) - 1))


def can_snapshot(instance_status: VMStatus | str) -> Verdict:
    """S1: snapshots are taken only of ACTIVE instances."""
    unknown = unknown_state("Instance", instance_status)
    if not unknown.allowed:
        return unknown
    if instance_status != VMStatus.ACTIVE:
        return refuse("INSTANCE_NOT_ACTIVE", MSG_SNAPSHOT_NOT_ACTIVE)
    return ALLOWED


def can_restore_snapshot(snapshot_status: ResourceStatus | str) -> Verdict:
    """S1: only a finished (SUCCESS/available) snapshot can be restored."""
    unknown = unknown_state("Snapshot", snapshot_status)
    if not unknown.allowed:
        return unknown
    if snapshot_status not in RESTORABLE_SNAPSHOT_STATUSES:
        return refuse("SNAPSHOT_NOT_READY", MSG_SNAPSHOT_NOT_READY)
    return ALLOWED


def can_create_image(snapshot_status: ResourceStatus | str) -> Verdict:
    """M1: images are made only from SUCCESS snapshots."""
    unknown = unknown_state("Snapshot", snapshot_status)
    if not unknown.allowed:
        return unknown
    if snapshot_status != ResourceStatus.SUCCESS:
        return refuse("SNAPSHOT_NOT_READY", MSG_IMAGE_SNAPSHOT_NOT_READY)
    return ALLOWED


def restored_name(snapshot_name: str) -> str:
    """S1: the default name of an instance restored from a snapshot, "{snapshot}-restored".

    Always a valid instance name: characters outside the name charset become
    "-" and the snapshot part is cut so the whole fits in 50 characters.
    """
    base = _NOT_NAME_CHAR.sub("-", snapshot_name if isinstance(snapshot_name, str) else "")
    base = base[: NAME_MAX - len(RESTORED_SUFFIX)].strip(" ")
    return f"{base or 'snapshot'}{RESTORED_SUFFIX}"


def validate_create_snapshot(
    *, name: str | None, description: str | None, instance_status: VMStatus | str, taken_names: Iterable[str]
) -> dict[str, Verdict]:
    """S1 per field: name, description, instance (must be ACTIVE)."""
    return {
        "name": validate_name(name, taken=taken_names, kind="snapshot"),
        "description": validate_description(description),
        "instance": can_snapshot(instance_status),
    }


def validate_create_image(
    *, name: str | None, description: str | None, snapshot_status: ResourceStatus | str, taken_names: Iterable[str]
) -> dict[str, Verdict]:
    """M1 per field: name, description, snapshot (must be SUCCESS)."""
    return {
        "name": validate_name(name, taken=taken_names, kind="image"),
        "description": validate_description(description),
        "snapshot": can_create_image(snapshot_status),
    }

"""K1 key limits and deletion, S1 snapshots, M1 images."""

from __future__ import annotations

import pytest

from barrack_tui.rules.resources import (
    MAX_KEYS_PER_REGION,
    can_create_image,
    can_create_key,
    can_delete_key,
    can_restore_snapshot,
    can_snapshot,
    restored_name,
    validate_create_image,
    validate_create_snapshot,
)
from barrack_tui.rules.validators import validate_name
from tests.rules.factories import make_instance


def test_K1_at_most_25_keys_per_region() -> None:
    assert MAX_KEYS_PER_REGION == 25
    assert can_create_key(24).allowed
    verdict = can_create_key(25)
    assert (verdict.code, verdict.message) == ("KEY_LIMIT", "A region holds at most 25 SSH keys; delete one to add another")


def test_K1_key_used_by_an_active_instance_cannot_be_deleted_and_the_instance_is_named() -> None:
    fleet = [
        make_instance(id="a", name="trainer-1", status="ACTIVE", ssh_key_ids=["key-1"]),
        make_instance(id="b", name="idle", status="SHUTOFF", ssh_key_ids=["key-2"]),
    ]
    verdict = can_delete_key("key-1", fleet)
    assert (verdict.code, verdict.message) == (
        "KEY_IN_USE",
        "This key is used by the ACTIVE instance 'trainer-1'; stop or delete that instance first",
    )
    assert can_delete_key("key-2", fleet).allowed  # only ACTIVE users block deletion
    assert can_delete_key("key-9", fleet).allowed


def test_K1_several_active_users_are_counted() -> None:
    fleet = [make_instance(id=str(n), name=f"n{n}", status="ACTIVE", ssh_key_ids=["k"]) for n in range(3)]
    assert can_delete_key("k", fleet).message == (
        "This key is used by the ACTIVE instance 'n0' and 2 more; stop or delete them first"
    )


@pytest.mark.parametrize("status", ["SHUTOFF", "HIBERNATED", "STARTING", "ERROR"])
def test_S1_snapshot_only_of_active_instances(status: str) -> None:
    assert can_snapshot("ACTIVE").allowed
    verdict = can_snapshot(status)
    assert (verdict.code, verdict.message) == ("INSTANCE_NOT_ACTIVE", "Instance must be ACTIVE to take a snapshot")


def test_S1_restore_only_from_finished_snapshots() -> None:
    assert can_restore_snapshot("SUCCESS").allowed
    assert can_restore_snapshot("available").allowed
    for status in ("CREATING", "ERROR", "ATTACHING"):
        verdict = can_restore_snapshot(status)
        assert (verdict.code, verdict.message) == ("SNAPSHOT_NOT_READY", "Snapshot must be SUCCESS (finished) to restore")


@pytest.mark.parametrize(
    ("snapshot", "expected"),
    [
        ("nightly", "nightly-restored"),
        ("s" * 50, "s" * 41 + "-restored"),
        ("weird/name\x1b", "weird-name--restored"),
        ("", "snapshot-restored"),
        ("a" * 40 + " tail", "a" * 40 + "-restored"),
    ],
)
def test_S1_restored_name_is_a_valid_name_within_50_chars(snapshot: str, expected: str) -> None:
    name = restored_name(snapshot)
    assert name == expected
    assert validate_name(name, kind="instance").allowed


def test_S1_create_snapshot_form() -> None:
    ok = validate_create_snapshot(name="before-upgrade", description=None, instance_status="ACTIVE", taken_names=[])
    assert set(ok) == {"name", "description", "instance"} and all(ok.values())
    bad = validate_create_snapshot(name="x", description=None, instance_status="SHUTOFF", taken_names=["x"])
    assert {k for k, v in bad.items() if not v} == {"name", "instance"}


def test_M1_image_only_from_success_snapshots() -> None:
    assert can_create_image("SUCCESS").allowed
    verdict = can_create_image("CREATING")
    assert (verdict.code, verdict.message) == (
        "SNAPSHOT_NOT_READY",
        "Snapshot must be SUCCESS (finished) to create an image",
    )
    form = validate_create_image(name="img", description="base", snapshot_status="SUCCESS", taken_names=["img"])
    assert form["name"].message == "Name 'img' is already used by another image"
    assert form["snapshot"].allowed

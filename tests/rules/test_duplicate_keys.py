"""A public key is saved once: the same key material (type and base64, the comment aside) is refused, naming its key."""

from __future__ import annotations

from barrack_tui.rules.sshkeys import (
    KEY_DUPLICATE,
    MSG_KEY_DUPLICATE,
    is_new_public_key,
    key_material,
    saved_keys_index,
)
from barrack_tui.sim.seed_resources import ed25519_public_key

LAPTOP = ed25519_public_key("laptop", "alice@laptop")
DESKTOP = ed25519_public_key("desktop", "alice@desktop")


def test_the_comment_and_surrounding_space_are_not_part_of_the_material() -> None:
    key_type, blob, _ = LAPTOP.split(" ", 2)
    assert key_material(LAPTOP) == (key_type, blob)
    assert key_material(f"  {key_type} {blob} another comment\n") == (key_type, blob)
    assert key_material(f"{key_type} {blob}") == (key_type, blob)
    assert key_material("ssh-ed25519") is None
    assert key_material(None) is None


def test_a_key_already_saved_is_refused_with_the_name_it_is_saved_as() -> None:
    saved = saved_keys_index([("alice-laptop", LAPTOP), ("alice-desktop", DESKTOP)])
    key_type, blob, _ = LAPTOP.split(" ", 2)
    verdict = is_new_public_key(f"{key_type} {blob} copied-from-elsewhere", saved)
    assert not verdict
    assert verdict.code == KEY_DUPLICATE
    assert verdict.message == MSG_KEY_DUPLICATE.format(name="alice-laptop") == "This public key is already saved as alice-laptop"


def test_a_new_key_or_an_unreadable_line_is_not_a_duplicate() -> None:
    saved = saved_keys_index([("alice-laptop", LAPTOP)])
    assert is_new_public_key(DESKTOP, saved)
    assert is_new_public_key("", saved)  # the format rule speaks about that one
    assert is_new_public_key(None, saved)
    # Same blob under another declared type is other material (and the format rule refuses it anyway).
    _, blob, _ = LAPTOP.split(" ", 2)
    assert is_new_public_key(f"ssh-rsa {blob}", saved)


def test_the_first_saved_name_wins_and_unreadable_saved_keys_are_skipped() -> None:
    saved = saved_keys_index([("garbage", "not a key at all"), ("first", LAPTOP), ("second", LAPTOP)])
    assert is_new_public_key(LAPTOP, saved).message == MSG_KEY_DUPLICATE.format(name="first")

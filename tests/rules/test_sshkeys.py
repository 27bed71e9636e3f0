"""K1: imported public keys — every supported type accepted from real keys, every malformation named."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa

from barrack_tui.rules.sshkeys import validate_ssh_public_key


def _openssh(private_key) -> str:
    return private_key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()


def _ssh_string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _mpint(value: int) -> bytes:
    # RFC 4251 mpint: big-endian two's complement, with a leading zero byte when the top bit is set.
    return _ssh_string(value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _dss_line(private_key) -> str:
    """cryptography deprecates OpenSSH DSA serialization, so the ssh-dss wire form is built by hand."""
    numbers = private_key.public_key().public_numbers()
    params = numbers.parameter_numbers
    blob = _ssh_string(b"ssh-dss") + b"".join(_mpint(n) for n in (params.p, params.q, params.g, numbers.y))
    return "ssh-dss " + base64.b64encode(blob).decode()


@pytest.fixture(scope="module")
def real_keys() -> dict[str, str]:
    keys = {
        "ssh-ed25519": _openssh(ed25519.Ed25519PrivateKey.generate()),
        "ssh-rsa": _openssh(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "ssh-dss": _dss_line(dsa.generate_private_key(key_size=1024)),
        "ecdsa-sha2-nistp256": _openssh(ec.generate_private_key(ec.SECP256R1())),
        "ecdsa-sha2-nistp384": _openssh(ec.generate_private_key(ec.SECP384R1())),
        "ecdsa-sha2-nistp521": _openssh(ec.generate_private_key(ec.SECP521R1())),
    }
    for key_type, line in keys.items():
        assert line.startswith(key_type + " ")
    return keys


KEY_TYPES = ["ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_K1_real_keys_of_every_type_are_accepted(real_keys, key_type: str) -> None:
    line = real_keys[key_type]
    assert validate_ssh_public_key(line).allowed
    assert validate_ssh_public_key(line + " alice@laptop with spaces\n").allowed


def _blob(line: str) -> bytes:
    return base64.b64decode(line.split()[1])


def _line(key_type: str, blob: bytes) -> str:
    return f"{key_type} {base64.b64encode(blob).decode()}"


def test_K1_declared_type_must_match_the_embedded_one(real_keys) -> None:
    ed_blob = _blob(real_keys["ssh-ed25519"])
    verdict = validate_ssh_public_key(_line("ssh-rsa", ed_blob))
    assert (verdict.code, verdict.message) == ("KEY_TYPE_MISMATCH", "The key data does not match the key type ssh-rsa")
    ec_blob = _blob(real_keys["ecdsa-sha2-nistp256"])
    assert validate_ssh_public_key(_line("ecdsa-sha2-nistp384", ec_blob)).code == "KEY_TYPE_MISMATCH"


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_K1_truncated_key_data_is_refused(real_keys, key_type: str) -> None:
    blob = _blob(real_keys[key_type])
    verdict = validate_ssh_public_key(_line(key_type, blob[:-4]))
    assert (verdict.code, verdict.message) == ("KEY_CORRUPT", "The key data is truncated or corrupt")
    assert validate_ssh_public_key(_line(key_type, blob + b"\x00")).code == "KEY_CORRUPT"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "KEY_REQUIRED", "Paste a public key (the contents of a .pub file)"),
        (None, "KEY_REQUIRED", "Paste a public key (the contents of a .pub file)"),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
            "KEY_PRIVATE",
            "This looks like a private key — paste the .pub file",
        ),
        ("-----BEGIN RSA PRIVATE KEY-----", "KEY_PRIVATE", "This looks like a private key — paste the .pub file"),
        ("PuTTY-User-Key-File-3: ssh-ed25519", "KEY_PRIVATE", "This looks like a private key — paste the .pub file"),
        (
            "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----",
            "KEY_FORMAT",
            "This key is in SSH2 (RFC 4716) format — convert it with: ssh-keygen -i -f key.pub",
        ),
        ("ssh-ed25519 AAAA\nssh-ed25519 AAAA", "KEY_MULTILINE", "The public key must be a single line"),
        ("ssh-ed25519 AAAA \x1b]52;c;evil\x07", "KEY_CONTROL_CHARS", "The public key contains control characters"),
        (
            "ssh-foo AAAA",
            "KEY_TYPE",
            "Key type must be one of ssh-rsa, ssh-ed25519, ssh-dss, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, "
            "ecdsa-sha2-nistp521",
        ),
        ("ssh-ed25519", "KEY_DATA_MISSING", "The key data is missing after the key type"),
        ("ssh-ed25519 not*base64!", "KEY_BASE64", "The key data is not valid base64"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", "KEY_CORRUPT", "The key data is truncated or corrupt"),
        ("ssh-rsa " + "A" * 20000, "KEY_TOO_LONG", "The public key must be at most 16,384 characters"),
    ],
)
def test_K1_malformed_keys_are_named(text, code: str, message: str) -> None:
    verdict = validate_ssh_public_key(text)
    assert (verdict.allowed, verdict.code, verdict.message) == (False, code, message)


def test_K1_random_base64_is_not_a_key() -> None:
    assert validate_ssh_public_key("ssh-ed25519 " + base64.b64encode(b"hello world, not a key").decode()).code in {
        "KEY_CORRUPT",
        "KEY_TYPE_MISMATCH",
    }

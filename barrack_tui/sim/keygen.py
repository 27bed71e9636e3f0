"""SSH key material for the simulator: generated RSA-2048 pairs and OpenSSH fingerprints.

The fingerprint is computed exactly as `ssh-keygen -l -E sha256` prints it
("SHA256:" + unpadded base64 of the SHA-256 of the key blob), so a user can
compare the simulator's listing with their own `~/.ssh/*.pub`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

RSA_BITS = 2048
RSA_PUBLIC_EXPONENT = 65537


@dataclass(frozen=True)
class GeneratedKeyPair:
    """A freshly generated pair. The private half is shown to the user once and never stored."""

    public_key: str
    fingerprint: str
    # repr=False: a stray log of the pair must not print the private key.
    private_key: str = field(repr=False)


def fingerprint(public_key: str) -> str:
    """`SHA256:...` of an OpenSSH public key line (`type base64 [comment]`).

    Raises ValueError when the line has no decodable key blob; callers validate
    the key with the rules first, so this only fails on a programming error.
    """
    parts = public_key.strip().split()
    if len(parts) < 2:
        raise ValueError("not an OpenSSH public key line")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the key data is not base64") from exc
    digest = hashlib.sha256(blob).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def generate_rsa_keypair(comment: str = "") -> GeneratedKeyPair:
    """A new RSA-2048 pair: OpenSSH public line, OpenSSH-format private key, fingerprint."""
    # Here, not at the top: the routes import this module, and the simulator should not pay for
    # `cryptography` (~12 ms) before it serves, only when a user first asks for a key.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=RSA_PUBLIC_EXPONENT, key_size=RSA_BITS)
    public_line = (
        private.public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode("ascii")
    )
    if comment:
        public_line = f"{public_line} {comment}"
    private_text = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    ).decode("ascii")
    return GeneratedKeyPair(public_key=public_line, fingerprint=fingerprint(public_line), private_key=private_text)

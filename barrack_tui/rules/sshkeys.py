"""K1: validation of an imported SSH public key (one OpenSSH authorized_keys line).

The line is `<type> <base64 blob> [comment]`. The blob is the SSH wire
encoding of the key (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709), which starts
with the key type again: we decode it and walk its fields so a key pasted with
the wrong type word, a truncated copy, or random base64 is refused before the
server ever sees it.

A key is one account's once: `is_new_public_key` refuses a key whose material
(type and blob; the comment is only a label) is already saved, naming the key
that holds it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping

from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse

KEY_TYPES = (
    "ssh-rsa",
    "ssh-ed25519",
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
)
# Large enough for any real key (an RSA-16384 blob is ~2 KB), small enough that
# a pasted file does not make the form do megabytes of base64 work.
MAX_KEY_LENGTH = 16_384

# ---- messages ----
MSG_KEY_REQUIRED = "Paste a public key (the contents of a .pub file)"
MSG_KEY_PRIVATE = "This looks like a private key — paste the .pub file"
MSG_KEY_SSH2_FORMAT = "This key is in SSH2 (RFC 4716) format — convert it with: ssh-keygen -i -f key.pub"
MSG_KEY_MULTILINE = "The public key must be a single line"
MSG_KEY_TOO_LONG = f"The public key must be at most {MAX_KEY_LENGTH:,} characters"
MSG_KEY_CONTROL = "The public key contains control characters"
MSG_KEY_TYPE = "Key type must be one of " + ", ".join(KEY_TYPES)
MSG_KEY_DATA_MISSING = "The key data is missing after the key type"
MSG_KEY_BASE64 = "The key data is not valid base64"
MSG_KEY_TYPE_MISMATCH = "The key data does not match the key type {key_type}"
MSG_KEY_CORRUPT = "The key data is truncated or corrupt"
MSG_KEY_DUPLICATE = "This public key is already saved as {name}"
KEY_DUPLICATE = "KEY_DUPLICATE"  # the refusal's code, which the simulator's 409 carries

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_PRIVATE_MARKERS = ("PRIVATE KEY", "PuTTY-User-Key-File")
_ED25519_KEY_BYTES = 32


class _Corrupt(Exception):
    """The blob ended early or a field has the wrong shape."""


class _WireReader:
    """Reads RFC 4251 `string` / `mpint` fields from a key blob."""

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._pos = 0

    def string(self) -> bytes:
        if self._pos + 4 > len(self._blob):
            raise _Corrupt
        length = int.from_bytes(self._blob[self._pos : self._pos + 4], "big")
        start = self._pos + 4
        if start + length > len(self._blob):
            raise _Corrupt
        self._pos = start + length
        return self._blob[start : self._pos]

    def mpint(self) -> bytes:
        value = self.string()
        if not value:
            raise _Corrupt
        return value

    def at_end(self) -> bool:
        return self._pos == len(self._blob)


def _check_key_fields(key_type: str, reader: _WireReader) -> None:
    """Walk the fields that follow the type string; raise _Corrupt on any mismatch."""
    if key_type == "ssh-rsa":
        reader.mpint()  # public exponent
        reader.mpint()  # modulus
    elif key_type == "ssh-dss":
        for _ in range(4):  # p, q, g, y
            reader.mpint()
    elif key_type == "ssh-ed25519":
        if len(reader.string()) != _ED25519_KEY_BYTES:
            raise _Corrupt
    else:
        curve = key_type.removeprefix("ecdsa-sha2-")
        if reader.string() != curve.encode() or not reader.string():
            raise _Corrupt
    if not reader.at_end():
        raise _Corrupt


def validate_ssh_public_key(text: str | None) -> Verdict:
    """K1: one line `<type> <base64>[ comment]` whose blob really is a key of that type."""
    if not isinstance(text, str) or not text.strip():
        return refuse("KEY_REQUIRED", MSG_KEY_REQUIRED)
    if any(marker in text for marker in _PRIVATE_MARKERS):
        return refuse("KEY_PRIVATE", MSG_KEY_PRIVATE)
    if "BEGIN SSH2 PUBLIC KEY" in text:
        return refuse("KEY_FORMAT", MSG_KEY_SSH2_FORMAT)
    # A .pub file ends with a newline; surrounding whitespace is not part of the key.
    line = text.strip()
    if "\n" in line or "\r" in line:
        return refuse("KEY_MULTILINE", MSG_KEY_MULTILINE)
    if len(line) > MAX_KEY_LENGTH:
        return refuse("KEY_TOO_LONG", MSG_KEY_TOO_LONG)
    if _CONTROL.search(line):
        return refuse("KEY_CONTROL_CHARS", MSG_KEY_CONTROL)
    parts = line.split(maxsplit=2)
    key_type = parts[0]
    if key_type not in KEY_TYPES:
        return refuse("KEY_TYPE", MSG_KEY_TYPE)
    if len(parts) < 2:
        return refuse("KEY_DATA_MISSING", MSG_KEY_DATA_MISSING)
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return refuse("KEY_BASE64", MSG_KEY_BASE64)
    reader = _WireReader(blob)
    try:
        embedded_type = reader.string()
    except _Corrupt:
        return refuse("KEY_CORRUPT", MSG_KEY_CORRUPT)
    if embedded_type != key_type.encode():
        return refuse("KEY_TYPE_MISMATCH", MSG_KEY_TYPE_MISMATCH.format(key_type=key_type))
    try:
        _check_key_fields(key_type, reader)
    except _Corrupt:
        return refuse("KEY_CORRUPT", MSG_KEY_CORRUPT)
    return ALLOWED


def key_material(text: str | None) -> tuple[str, str] | None:
    """`(type, base64 blob)` of a public key line, without its comment; None when the line has no such two parts."""
    if not isinstance(text, str):
        return None
    parts = text.strip().split(maxsplit=2)
    return (parts[0], parts[1]) if len(parts) >= 2 else None


def saved_keys_index(saved: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The account's keys by their material, from (name, public key) pairs; built once, looked up per keystroke."""
    index: dict[tuple[str, str], str] = {}
    for name, public_key in saved:
        material = key_material(public_key)
        if material is not None:
            index.setdefault(material, name)
    return index


def is_new_public_key(text: str | None, saved: Mapping[tuple[str, str], str]) -> Verdict:
    """Refuse a public key the account already holds (`saved` from `saved_keys_index`), naming the key."""
    material = key_material(text)
    name = saved.get(material) if material is not None else None
    if name is None:
        return ALLOWED  # a new key, or nothing comparable (the format rule speaks about that)
    return refuse(KEY_DUPLICATE, MSG_KEY_DUPLICATE.format(name=name))

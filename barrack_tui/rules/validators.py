"""Form-input validators: names, descriptions, sizes, numbers, Jupyter, cloud-init, scripts.

Each returns a `Verdict` whose message is what the form shows under the field
and what the simulator's 422 says for that field. The network validators
(CIDR, ports, security rules) live in `network.py` and the SSH public-key
parser in `sshkeys.py`; both are re-exported here so callers have one place
to import form validation from.

Every validator is total: any text, int or None gives a Verdict, never an
exception, because the simulator feeds them raw request bodies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from barrack_tui.rules.network import validate_cidr, validate_ports, validate_security_rule
from barrack_tui.rules.sshkeys import validate_ssh_public_key
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse

__all__ = [
    "validate_name",
    "validate_key_name",
    "validate_description",
    "validate_volume_size",
    "validate_resize",
    "parse_int",
    "validate_cidr",
    "validate_ports",
    "validate_security_rule",
    "validate_ssh_public_key",
    "validate_jupyter_password",
    "validate_cloud_init",
    "validate_script",
]

NAME_MAX = 50
DESCRIPTION_MAX = 255
VOLUME_MIN_GB = 10
BOOTABLE_MIN_GB = 100
VOLUME_MAX_GB = 1_048_576
JUPYTER_PASSWORD_MIN = 8
CLOUD_INIT_MAX_BYTES = 16_384
SCRIPT_MAX_BYTES = 16_384
# Beyond this many digits a number is certainly out of every range we have, and
# int() of a huge digit string is slow (and raises past 4300 digits).
_MAX_INT_DIGITS = 18

# ---- messages (the UI and the tests cite these) ----
MSG_NAME_REQUIRED = "Name is required"
MSG_NAME_EDGE_SPACE = "Name cannot start or end with a space"
MSG_NAME_TOO_LONG = f"Name must be at most {NAME_MAX} characters"
MSG_NAME_CHARSET = "Name may only contain letters, digits, spaces, -, _ and ."
MSG_KEY_NAME_SPACES = "Key name cannot contain spaces"
MSG_KEY_NAME_CHARSET = "Key name may only contain letters, digits, -, _ and ."
MSG_NAME_TAKEN = "Name '{name}' is already used by another {kind}"
MSG_DESCRIPTION_INVALID = "Description must be text"
MSG_DESCRIPTION_TOO_LONG = "Description must be at most {max_len} characters"
MSG_DESCRIPTION_CONTROL = "Description must be one line without control characters"
MSG_SIZE_REQUIRED = "Size is required"
MSG_SIZE_NOT_INTEGER = "Size must be a whole number"
MSG_SIZE_TOO_SMALL_AT = "Size must be at least {minimum:,} GB"
MSG_SIZE_TOO_SMALL = MSG_SIZE_TOO_SMALL_AT.format(minimum=VOLUME_MIN_GB)
MSG_SIZE_TOO_SMALL_BOOTABLE = f"Size must be at least {BOOTABLE_MIN_GB} GB for a bootable volume"
MSG_SIZE_TOO_LARGE = f"Size must be at most {VOLUME_MAX_GB:,} GB"
MSG_NEW_SIZE_REQUIRED = "New size is required"
MSG_NEW_SIZE_NOT_INTEGER = "New size must be a whole number"
MSG_RESIZE_NOT_LARGER = "New size must be larger than the current size"  # V9, exact
MSG_VALUE_REQUIRED = "{label} is required"
MSG_NOT_A_WHOLE_NUMBER = "{label} must be a whole number"
MSG_NUMBER_TOO_LARGE = "{label} is too large"
MSG_JUPYTER_PASSWORD_REQUIRED = f"Set a Jupyter password of at least {JUPYTER_PASSWORD_MIN} characters, or turn Jupyter off"
MSG_JUPYTER_PASSWORD_SHORT = f"Jupyter password must be at least {JUPYTER_PASSWORD_MIN} characters"
MSG_CLOUD_INIT_INVALID = "Cloud-init script must be text"
MSG_CLOUD_INIT_TOO_LARGE = "Cloud-init script must be at most 16 KB (16,384 bytes); this one is {size:,} bytes"
MSG_SCRIPT_EMPTY = "Script content is required"
MSG_SCRIPT_TOO_LARGE = "Script must be at most 16 KB (16,384 bytes); this one is {size:,} bytes"

# ASCII only: names end up in terminals, hostnames and file names, where
# look-alike Unicode letters would be a spoofing vector.
_NAME_CHARS = re.compile(r"[A-Za-z0-9 _.\-]+")
_KEY_NAME_CHARS = re.compile(r"[A-Za-z0-9_.\-]+")
_INT_TEXT = re.compile(r"([+-]?)([0-9]+)")
# C0 (tab included), DEL, C1, line/paragraph separators and bidi overrides.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _utf8_size(text: str) -> int:
    # surrogatepass: a lone surrogate must count, not crash the validator.
    return len(text.encode("utf-8", "surrogatepass"))


def _taken(name: str, taken: Iterable[str]) -> bool:
    return any(name == other for other in taken)


def validate_name(name: str | None, *, taken: Iterable[str] = (), kind: str = "volume") -> Verdict:
    """V10/I4/F2/S1/M1: 1-50 chars of letters, digits, space, - _ . ; unique among `taken`."""
    if not isinstance(name, str) or not name.strip():
        return refuse("NAME_REQUIRED", MSG_NAME_REQUIRED)
    if name != name.strip(" "):
        return refuse("NAME_EDGE_SPACE", MSG_NAME_EDGE_SPACE)
    if len(name) > NAME_MAX:
        return refuse("NAME_TOO_LONG", MSG_NAME_TOO_LONG)
    if not _NAME_CHARS.fullmatch(name):
        return refuse("NAME_CHARSET", MSG_NAME_CHARSET)
    if _taken(name, taken):
        return refuse("NAME_TAKEN", MSG_NAME_TAKEN.format(name=name, kind=kind))
    return ALLOWED


def validate_key_name(name: str | None, *, taken: Iterable[str] = ()) -> Verdict:
    """K1: 1-50 letters, digits, _ - . (no spaces), unique."""
    if not isinstance(name, str) or not name.strip():
        return refuse("NAME_REQUIRED", MSG_NAME_REQUIRED)
    if " " in name:
        return refuse("NAME_CHARSET", MSG_KEY_NAME_SPACES)
    if len(name) > NAME_MAX:
        return refuse("NAME_TOO_LONG", MSG_NAME_TOO_LONG)
    if not _KEY_NAME_CHARS.fullmatch(name):
        return refuse("NAME_CHARSET", MSG_KEY_NAME_CHARSET)
    if _taken(name, taken):
        return refuse("NAME_TAKEN", MSG_NAME_TAKEN.format(name=name, kind="SSH key"))
    return ALLOWED


def validate_description(text: str | None, *, max_len: int = DESCRIPTION_MAX) -> Verdict:
    """Optional one-line description of at most `max_len` characters."""
    if text is None:
        return ALLOWED
    if not isinstance(text, str):
        return refuse("DESCRIPTION_INVALID", MSG_DESCRIPTION_INVALID)
    if len(text) > max_len:
        return refuse("DESCRIPTION_TOO_LONG", MSG_DESCRIPTION_TOO_LONG.format(max_len=max_len))
    if _CONTROL.search(text):
        return refuse("DESCRIPTION_CONTROL", MSG_DESCRIPTION_CONTROL)
    return ALLOWED


def volume_minimum_gb(stated: int | None = None) -> int:
    """The smallest volume: the server's stated minimum when it states one, else ours (at least 1 GB)."""
    return VOLUME_MIN_GB if stated is None else max(1, stated)


def validate_volume_size(size_gb: int | None, *, bootable: bool, minimum_gb: int | None = None) -> Verdict:
    """V10: >= 10 GB or the server's stated `minimum_gb` (>= 100 GB when bootable), <= 1,048,576 GB."""
    minimum = volume_minimum_gb(minimum_gb)
    if size_gb is None:
        return refuse("SIZE_REQUIRED", MSG_SIZE_REQUIRED)
    if not _is_int(size_gb):
        return refuse("SIZE_NOT_INTEGER", MSG_SIZE_NOT_INTEGER)
    if bootable and size_gb < BOOTABLE_MIN_GB and minimum <= BOOTABLE_MIN_GB:
        return refuse("SIZE_TOO_SMALL", MSG_SIZE_TOO_SMALL_BOOTABLE)
    if size_gb < minimum:
        return refuse("SIZE_TOO_SMALL", MSG_SIZE_TOO_SMALL_AT.format(minimum=minimum))
    if size_gb > VOLUME_MAX_GB:
        return refuse("SIZE_TOO_LARGE", MSG_SIZE_TOO_LARGE)
    return ALLOWED


def validate_resize(current_gb: int, new_gb: int | None) -> Verdict:
    """V9: the new size is larger than the current one and <= 1,048,576 GB."""
    if new_gb is None:
        return refuse("SIZE_REQUIRED", MSG_NEW_SIZE_REQUIRED)
    if not _is_int(new_gb):
        return refuse("SIZE_NOT_INTEGER", MSG_NEW_SIZE_NOT_INTEGER)
    if _is_int(current_gb) and new_gb <= current_gb:
        return refuse("RESIZE_NOT_LARGER", MSG_RESIZE_NOT_LARGER)
    if new_gb > VOLUME_MAX_GB:
        return refuse("SIZE_TOO_LARGE", MSG_SIZE_TOO_LARGE)
    return ALLOWED


def parse_int(text: str | None, *, label: str) -> tuple[int | None, Verdict]:
    """Parse a form field as a whole number: ("Size must be a whole number", ...).

    Only ASCII digits with an optional sign are accepted: int() would also take
    "1_000" and Arabic-Indic digits, which a user never means in a size field.
    """
    if not isinstance(text, str) or not text.strip():
        return None, refuse("VALUE_REQUIRED", MSG_VALUE_REQUIRED.format(label=label))
    match = _INT_TEXT.fullmatch(text.strip())
    if match is None:
        return None, refuse("NOT_A_WHOLE_NUMBER", MSG_NOT_A_WHOLE_NUMBER.format(label=label))
    digits = match.group(2).lstrip("0") or "0"
    if len(digits) > _MAX_INT_DIGITS:
        return None, refuse("NUMBER_TOO_LARGE", MSG_NUMBER_TOO_LARGE.format(label=label))
    value = int(digits)
    return (-value if match.group(1) == "-" else value), ALLOWED


def validate_jupyter_password(enabled: bool, password: str | None) -> Verdict:
    """I4: Jupyter needs a password of at least 8 characters when it is on."""
    if not enabled:
        return ALLOWED
    if not isinstance(password, str) or password == "":
        return refuse("JUPYTER_PASSWORD_REQUIRED", MSG_JUPYTER_PASSWORD_REQUIRED)
    if len(password) < JUPYTER_PASSWORD_MIN:
        return refuse("JUPYTER_PASSWORD_SHORT", MSG_JUPYTER_PASSWORD_SHORT)
    return ALLOWED


def validate_cloud_init(text: str | None) -> Verdict:
    """I4: an optional cloud-init script of at most 16 KB of UTF-8."""
    if text is None:
        return ALLOWED
    if not isinstance(text, str):
        return refuse("CLOUD_INIT_INVALID", MSG_CLOUD_INIT_INVALID)
    size = _utf8_size(text)
    if size > CLOUD_INIT_MAX_BYTES:
        return refuse("CLOUD_INIT_TOO_LARGE", MSG_CLOUD_INIT_TOO_LARGE.format(size=size))
    return ALLOWED


def validate_script(name: str | None, content: str | None, *, taken: Iterable[str] = ()) -> dict[str, Verdict]:
    """A startup script: a name like any other resource, non-empty content of at most 16 KB.

    Startup scripts run through the same user-data channel as cloud-init, so
    they share its 16 KB limit.
    """
    if not isinstance(content, str) or not content.strip():
        content_verdict = refuse("SCRIPT_EMPTY", MSG_SCRIPT_EMPTY)
    elif (size := _utf8_size(content)) > SCRIPT_MAX_BYTES:
        content_verdict = refuse("SCRIPT_TOO_LARGE", MSG_SCRIPT_TOO_LARGE.format(size=size))
    else:
        content_verdict = ALLOWED
    return {"name": validate_name(name, taken=taken, kind="script"), "content": content_verdict}

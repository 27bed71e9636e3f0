"""The one sanitizer every server-sourced string passes through.

Terminal control bytes in server strings are an attack surface (clear screen,
OSC 52 clipboard writes, title changes, cursor reports), so every C0/C1
control character and DEL becomes a visible escape like ``\\x1b`` before any
widget sees it. Markup is a separate concern: widgets render these strings as
plain ``Text``, never as Rich/Textual markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

# C0 (except tab and newline, handled per field kind), DEL, C1, line/paragraph separators, and every bidi
# control (embeddings, overrides, isolates, and the LRM/RLM/ALM marks), which can make a name read as
# another ("Trojan Source"). Zero-width joiners stay: emoji and several scripts need them.
_LINE_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_TEXT_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def sanitize_line(value: str) -> str:
    """A single-line field: names, ids, statuses. Tab kept, newline escaped."""
    return _LINE_UNSAFE.sub(_escape, value)


def sanitize_text(value: str) -> str:
    """A multi-line field: script content, chat text, private keys.

    CRLF is normalised to LF first so ordinary Windows line endings stay
    readable; a lone CR (which would overwrite the line on a terminal) is
    escaped like any other control byte.
    """
    return _TEXT_UNSAFE.sub(_escape, value.replace("\r\n", "\n"))


if TYPE_CHECKING:
    from pydantic import AfterValidator

    SafeStr = Annotated[str, AfterValidator(sanitize_line)]
    """A server string shown on one line."""

    SafeText = Annotated[str, AfterValidator(sanitize_text)]
    """A server string that may span lines."""


def __getattr__(name: str) -> Any:
    # The field types need pydantic, which only the models need: the sanitizer functions alone are on the
    # path to the app's first frame (errors, the poll status), and must not load it.
    if name not in ("SafeStr", "SafeText"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from pydantic import AfterValidator

    globals().update(
        SafeStr=Annotated[str, AfterValidator(sanitize_line)],
        SafeText=Annotated[str, AfterValidator(sanitize_text)],
    )
    return globals()[name]

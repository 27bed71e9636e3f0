"""The one sanitizer every server-sourced string passes through.

Terminal control bytes in server strings are an attack surface (clear screen,
OSC 52 clipboard writes, title changes, cursor reports), so every C0/C1
control character and DEL becomes a visible escape like ``\\x1b`` before any
widget sees it. Markup is a separate concern: widgets render these strings as
plain ``Text``, never as Rich/Textual markup.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

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


SafeStr = Annotated[str, AfterValidator(sanitize_line)]
"""A server string shown on one line."""

SafeText = Annotated[str, AfterValidator(sanitize_text)]
"""A server string that may span lines."""

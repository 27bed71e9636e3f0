"""The answer every rule gives: may the user do this, and if not, why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Verdict:
    """`code` names the rule that refused (as the API's error code); `message` is the exact text shown."""

    allowed: bool
    code: str = ""
    message: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(True)


def refuse(code: str, message: str) -> Verdict:
    return Verdict(False, code, message)

"""Numbers and JSON as the client reads them, without pydantic: the models' bounds, and the decoder.

The models (`api/tolerant.py`) build their number types from these; the first look (`api/first_look.py`),
which reads the first answers before pydantic has loaded, holds them to the same bounds.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

# An enum value longer than this is not a plausible new status or region: it fails its item instead.
MAX_UNKNOWN_LENGTH = 64
# Amounts beyond this are not money any account holds; a larger exponent is an attack on Decimal arithmetic.
MAX_MONEY = Decimal("1e12")
MAX_MONEY_TEXT = 40
# Sizes in GB (a volume tops out at 1,048,576 GB; room for what a server may report in aggregate).
MAX_SIZE_GB = 1_000_000_000
MAX_COUNT = 1_000_000_000
MAX_HOURS = 24 * 366 * 100.0


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("must be an amount, not true/false")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        if abs(value) > MAX_MONEY:
            raise ValueError("is out of range")
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # a Python caller's float; JSON numbers never arrive as floats
    elif isinstance(value, str):
        text = value.strip()
        if not text or len(text) > MAX_MONEY_TEXT:
            raise ValueError("must be a decimal amount")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("must be a decimal amount") from None
    else:
        raise ValueError("must be a decimal amount")
    if not number.is_finite():
        raise ValueError("must be a finite amount")
    if number != 0 and not (-20 <= number.adjusted() <= 12) or abs(number) >= MAX_MONEY:
        raise ValueError("is out of range")
    return number


def non_negative(number: Decimal) -> Decimal:
    if number < 0:
        raise ValueError("must not be negative")
    return number


_DECODER = msgspec.json.Decoder(float_hook=Decimal)


def decode_json(content: bytes) -> Any:
    """Parse a response body; numbers with a fraction or exponent become `Decimal` from their own text.

    Raises `ValueError` for a body that is not JSON.
    """
    try:
        return _DECODER.decode(content)
    except msgspec.DecodeError as exc:
        raise ValueError(str(exc)) from None

"""Tracking IDs: short enough to read over the phone, impossible to guess, typo-evident.

`K7M4-Q2XR-9TBDH`: twelve random Crockford base32 symbols (about 60 bits from `secrets`) and
one check symbol (Luhn mod 32). Luhn recognises every single mistyped symbol and every swap
of two neighbours except "0Z" for "Z0"; IDs are drawn so that 0 and Z are never neighbours,
which makes every neighbour swap of a real ID recognisable too (it costs 0.03 bits).
Parsing forgives case, spaces, missing dashes and the letters Crockford reads as digits
(O as 0, I and L as 1).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 12
LENGTH = RANDOM_SYMBOLS + 1
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.")


class InvalidTrackingId(ValueError):
    """Not a tracking ID; `mistyped` when only the check symbol disagrees."""

    def __init__(self, message: str, mistyped: bool = False) -> None:
        super().__init__(message)
        self.mistyped = mistyped


def check_symbol(symbols: str) -> str:
    """Luhn mod N over the Crockford alphabet (N = 32)."""
    total = 0
    factor = 2
    for symbol in reversed(symbols):
        addend = factor * _VALUE[symbol]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


#: The one neighbour swap Luhn mod 32 cannot see (values 0 and 31 weigh alike).
_BLIND_PAIRS = ("0Z", "Z0")


def new_tracking_id() -> str:
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
        symbols = body + check_symbol(body)
        if not any(pair in symbols for pair in _BLIND_PAIRS):
            return format_id(symbols)


def format_id(symbols: str) -> str:
    return f"{symbols[:4]}-{symbols[4:8]}-{symbols[8:]}"


def parse_tracking_id(text: str) -> str:
    """The canonical form of what a customer typed, or InvalidTrackingId."""
    symbols = (text or "").strip().upper().translate(_SEPARATORS).translate(_CONFUSABLE)
    if len(symbols) != LENGTH:
        raise InvalidTrackingId(f"a tracking ID has {LENGTH} letters and digits")
    if any(symbol not in _VALUE for symbol in symbols):
        raise InvalidTrackingId("a tracking ID contains only letters and digits (no U)")
    if check_symbol(symbols[:-1]) != symbols[-1]:
        raise InvalidTrackingId("this tracking ID contains a typo", mistyped=True)
    return format_id(symbols)


def is_tracking_id(text: str) -> bool:
    try:
        parse_tracking_id(text)
    except InvalidTrackingId:
        return False
    return True

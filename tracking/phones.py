"""Phone numbers: stored as E.164, shown grouped the international way (`+49 171 2345678`)."""

from __future__ import annotations

import phonenumbers

#: Numbers without a country code are read as German.
DEFAULT_REGION = "DE"
#: The longest phone number a form takes, spaces and punctuation included; a longer one is
#: refused as too long (never cut, which could make another valid number).
PHONE_LENGTH = 30


def to_e164(raw: str) -> str:
    """E.164 for a valid number; ValueError otherwise (also for one over PHONE_LENGTH)."""
    if len(raw.strip()) > PHONE_LENGTH:
        raise ValueError("too long for a phone number")
    try:
        number = phonenumbers.parse(raw.strip(), DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(number: str) -> str:
    """The number as people read it, in pages, mails and calendar files alike; text that is
    not a phone number comes back unchanged."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

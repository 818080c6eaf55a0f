"""Removes personal data from free text before it is stored for knowledge-gap reports."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b")
# A run of 6+ digits with optional +, spaces, slashes, dots, brackets or hyphens: phone numbers.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s/().-]{4,}\d(?![\w])")


def redact(text: str) -> str:
    """Replace email addresses, IBANs and phone numbers with placeholders."""
    text = _EMAIL.sub("[email]", text)
    text = _IBAN.sub("[iban]", text)

    def phone(match: re.Match[str]) -> str:
        digits = sum(ch.isdigit() for ch in match[0])
        return "[phone]" if digits >= 6 else match[0]

    return _PHONE.sub(phone, text)

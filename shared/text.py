"""Text from outside (forms, API bodies, imported files) without the characters that are
never content: control characters (PostgreSQL refuses a NUL in text) and, in what a person
typed, the bidirectional controls that reorder what a reader sees.

Two strengths, one home: `clean_text` for what a person typed (a form field, a comment,
a query), `printable` for content whose layout matters as it is (an imported article).
"""

from __future__ import annotations

import unicodedata

#: Embeddings, overrides and isolates (U+202A-202E, U+2066-2069): `Rechnung\u202egpj.exe`
#: shows as `Rechnungexe.jpg`.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
#: The control characters that are layout where text may span lines.
_LAYOUT = "\n\t"


def clean_text(value: object, multiline: bool = False) -> str:
    """Unicode NFC without control characters; newlines and tabs only where text may span
    lines (then only stripped), otherwise every run of white space one space."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = []
    for ch in text:
        if ch in _LAYOUT:
            kept.append(ch if multiline else " ")
        elif unicodedata.category(ch) != "Cc" and ord(ch) not in _BIDI_CONTROLS:
            kept.append(ch)
    text = "".join(kept)
    return text.strip() if multiline else " ".join(text.split())


def printable(text: str, multiline: bool = False) -> str:
    """Each control character a space, so nothing else moves; newlines and tabs kept where
    text may span lines."""
    keep = _LAYOUT if multiline else ""
    return "".join(ch if ch in keep or unicodedata.category(ch) != "Cc" else " " for ch in text)

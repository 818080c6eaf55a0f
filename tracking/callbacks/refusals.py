"""Why a callback request is refused: one `Refused` subclass per reason, caught by type.

The code of each names the reason for the customer's page (`portal/refusals.py`) and the API;
a raise may name a finer code of the same kind (`SlotRefused("no_slot")`).
"""

from __future__ import annotations

from shared.refused import Refused


class CallbackError(Refused):
    """A refused request; `code` names the reason for the customer's page and the API."""

    topic = "callback"


def _reason(code: str, meaning: str) -> type[CallbackError]:
    """The kind of refusal whose code is `code` (unless a raise names a finer one)."""
    return type(f"CallbackError[{code}]", (CallbackError,), {"code": code, "__doc__": meaning})


InvalidInput = _reason("invalid_phone", "The phone number, language or note is not valid.")
SlotRefused = _reason("closed", "The slot is past, closed, too soon or too far ahead.")
SlotFull = _reason("slot_full", "Every place of this slot is taken, please choose another slot.")
TooManyOpen = _reason("too_many", "This case already has three open callbacks.")
TooLate = _reason("too_late", "The callback is too close to be changed now.")
CallbackNotFound = _reason("not_found", "No such callback for this case.")
NotOpen = _reason("not_open", "The callback is no longer open (cancelled, done or missed).")

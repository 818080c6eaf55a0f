"""Why a callback request is refused: one `Refused` subclass per reason, caught by type.

The code of each names the reason for the customer's page (`portal/refusals.py`) and the API.
"""

from __future__ import annotations

from shared.refused import Refused


class CallbackError(Refused):
    """A refused request; `code` names the reason for the customer's page and the API."""

    topic = "callback"


class InvalidInput(CallbackError):
    """The phone number, language or note is not valid."""

    code = "invalid_phone"


class SlotRefused(CallbackError):
    """The slot is past, outside opening hours, too soon or too far ahead."""

    code = "closed"


class SlotFull(CallbackError):
    """Every place of this slot is taken, please choose another slot."""

    code = "slot_full"


class TooManyOpen(CallbackError):
    """This case already has three open callbacks."""

    code = "too_many"


class TooLate(CallbackError):
    """The callback is too close to be changed now."""

    code = "too_late"


class CallbackNotFound(CallbackError):
    """No such callback for this case."""

    code = "not_found"


class NotOpen(CallbackError):
    """The callback is no longer open (cancelled, done or missed)."""

    code = "not_open"

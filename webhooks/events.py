"""Every event type the portal sends, in one place: subscriptions and the outbox check here."""

from __future__ import annotations

#: Event type -> what happened. `data` of a case.* or callback.* event is the full case
#: (as in the back-office API detail) plus one key with the event's specifics.
EVENT_TYPES: dict[str, str] = {
    "case.created": "a customer opened a case (form or API)",
    "case.updated": "the customer added information or files to an open case",
    "case.reopened": "the customer reopened a resolved or closed case",
    "case.rated": "the customer rated a resolved case or changed the rating",
    "case.sla_warning": "a case's traffic light turned amber (first response or resolution)",
    "callback.requested": "the customer booked a callback slot",
    "callback.moved": "a callback moved to another slot (by the customer or the back office)",
    "callback.cancelled": (
        "the customer cancelled a callback, or the case was resolved or closed before it"
        " (`callback.because`: resolved or closed)"
    ),
    "callback.done": "the back office reported a callback as held",
    "callback.missed": "the back office reported a callback as missed",
    "faq.feedback": "someone voted an FAQ article helpful or not, perhaps with a comment",
}


class UnknownEventType(ValueError):
    """An event type that is not in EVENT_TYPES; the message lists the valid ones."""

    def __init__(self, names: list[str]) -> None:
        valid = ", ".join(EVENT_TYPES)
        super().__init__(f"unknown event type(s) {', '.join(names)}; valid: {valid}")


def check(names: list[str] | tuple[str, ...]) -> None:
    """Raise UnknownEventType unless every name is a known event type."""
    unknown = [name for name in names if name not in EVENT_TYPES]
    if unknown:
        raise UnknownEventType(unknown)

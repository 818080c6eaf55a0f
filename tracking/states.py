"""The case status machine: which status may follow which, as data."""

from __future__ import annotations

RECEIVED = "received"
IN_PROGRESS = "in_progress"
WAITING_FOR_CUSTOMER = "waiting_for_customer"
RESOLVED = "resolved"
CLOSED = "closed"
REOPENED = "reopened"

STATUSES = (RECEIVED, IN_PROGRESS, WAITING_FOR_CUSTOMER, RESOLVED, CLOSED, REOPENED)

#: Legal next statuses of each status; staying in the same status is not a transition.
TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({IN_PROGRESS, WAITING_FOR_CUSTOMER, RESOLVED, CLOSED}),
    IN_PROGRESS: frozenset({WAITING_FOR_CUSTOMER, RESOLVED, CLOSED}),
    WAITING_FOR_CUSTOMER: frozenset({IN_PROGRESS, RESOLVED, CLOSED}),
    RESOLVED: frozenset({CLOSED, REOPENED}),
    CLOSED: frozenset({REOPENED}),
    REOPENED: frozenset({IN_PROGRESS, WAITING_FOR_CUSTOMER, RESOLVED, CLOSED}),
}

#: Statuses in which the case is still being worked on.
OPEN = frozenset({RECEIVED, IN_PROGRESS, WAITING_FOR_CUSTOMER, REOPENED})


def can_transition(current: str, new: str) -> bool:
    """Whether a case in `current` may move to `new` (unknown statuses never may)."""
    return new in TRANSITIONS.get(current, frozenset())


def after_team_answer(current: str) -> str:
    """The status after the team's first answer (a public reply or a marked first response).

    A new or reopened case is now being worked on, so the customer never sees "received"
    next to an answer; every other status stays as the team set it.
    """
    return IN_PROGRESS if current in (RECEIVED, REOPENED) else current

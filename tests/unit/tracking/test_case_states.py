"""The case status machine: legal moves are data, everything else is refused."""

import pytest

from tracking import states
from tracking.states import can_transition

LEGAL = [
    ("received", "in_progress"),
    ("in_progress", "waiting_for_customer"),
    ("waiting_for_customer", "in_progress"),
    ("in_progress", "resolved"),
    ("resolved", "closed"),
    ("resolved", "reopened"),
    ("closed", "reopened"),
    ("reopened", "in_progress"),
]
ILLEGAL = [
    ("resolved", "in_progress"),
    ("closed", "resolved"),
    ("in_progress", "received"),
    ("reopened", "received"),
    ("received", "received"),
    ("received", "vanished"),
    ("vanished", "received"),
]


@pytest.mark.parametrize(("current", "new"), LEGAL)
def test_legal_moves(current, new):
    assert can_transition(current, new)


@pytest.mark.parametrize(("current", "new"), ILLEGAL)
def test_illegal_moves(current, new):
    assert not can_transition(current, new)


def test_every_status_has_its_moves_and_every_move_ends_in_a_status():
    assert set(states.TRANSITIONS) == set(states.STATUSES)
    for targets in states.TRANSITIONS.values():
        assert targets <= set(states.STATUSES)


def test_nothing_moves_back_to_received():
    assert all(states.RECEIVED not in targets for targets in states.TRANSITIONS.values())

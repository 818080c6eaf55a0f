"""Callback records: the booking and the seat it holds in its slot."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

REQUESTED, CANCELLED, DONE, MISSED = "requested", "cancelled", "done", "missed"


class Callback(Model):
    """A call the customer asked for at a chosen slot, in a chosen language."""

    id = fields.IntField(primary_key=True)
    case = fields.ForeignKeyField(
        "tracking.Case", related_name="callbacks", on_delete=fields.CASCADE
    )
    slot_start = fields.DatetimeField(db_index=True, description="UTC")
    slot_end = fields.DatetimeField(description="UTC")
    phone = fields.CharField(max_length=20, description="E.164")
    language = fields.CharField(max_length=2)
    note = fields.CharField(max_length=500, default="")
    status = fields.CharField(
        max_length=10, default=REQUESTED, description="requested, cancelled, done or missed"
    )
    reminded_at = fields.DatetimeField(null=True, description="set once the reminder is queued")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "callbacks_callback"


class CallbackSeat(Model):
    """One of the `capacity` places of a slot: the unique pair makes overbooking impossible.

    A booking inserts the lowest free seat number, a cancellation or move deletes its row.
    """

    id = fields.IntField(primary_key=True)
    slot_start = fields.DatetimeField(description="UTC")
    seat = fields.SmallIntField(description="0 to capacity - 1")
    callback = fields.OneToOneField(
        "callbacks.Callback", related_name="seat", on_delete=fields.CASCADE
    )

    class Meta:
        table = "callbacks_seat"
        unique_together = (("slot_start", "seat"),)

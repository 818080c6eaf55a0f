"""Booking, moving and cancelling through the service, with a test-controlled clock."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

import pytest

from support.callbacks import berlin, make_case, service
from tracking.callbacks import refusals
from tracking.callbacks import service as cb
from tracking.callbacks.models import CANCELLED, Callback, CallbackSeat
from tracking.models import CaseEvent

NOW = berlin("2026-12-01T10:05")  # a Tuesday
SLOT = berlin("2026-12-01T14:00")


async def test_a_booking_stores_e164_holds_a_seat_and_shows_on_the_timeline(db, settings):
    callbacks, case = service(settings), await make_case()
    booked = await callbacks.request(
        case, slot=cb.slot_value(SLOT), phone="030 1234567", language="en", note="Router", now=NOW
    )
    assert (booked.phone, booked.language, booked.status) == ("+49301234567", "en", "requested")
    assert booked.slot_end - booked.slot_start == timedelta(minutes=30)
    assert await CallbackSeat.filter(callback_id=booked.id).count() == 1
    [event] = await CaseEvent.filter(case_id=case.id, kind="callback_scheduled")
    assert event.data["slot"] == "2026-12-01T13:00:00Z"


@pytest.mark.parametrize(
    ("slot", "code"),
    [
        ("2026-12-01T09:00:00+01:00", "past"),
        ("2026-12-01T10:30:00+01:00", "too_soon"),  # inside the hour of lead time
        ("2026-12-01T14:10:00+01:00", "closed"),  # not the start of a slot
        ("2026-12-09T14:00:00+01:00", "too_far"),
        ("tomorrow at two", "closed"),
        ("2026-12-01T14:00:00", "closed"),  # no offset: not a moment
    ],
)
async def test_slots_that_are_not_offered_are_refused(db, settings, slot, code):
    callbacks = service(settings)
    with pytest.raises(refusals.SlotRefused) as refused:
        await callbacks.request(
            await make_case(), slot=slot, phone="+4930123456", language="de", now=NOW
        )
    assert refused.value.code == code
    assert await Callback.all().count() == 0


async def test_an_invalid_phone_number_is_refused(db, settings):
    with pytest.raises(refusals.InvalidInput) as refused:
        await service(settings).request(
            await make_case(), slot=SLOT, phone="0123", language="de", now=NOW
        )
    assert refused.value.code == "invalid_phone"


async def test_a_fourth_open_callback_is_refused_and_a_cancelled_one_frees_the_place(db, settings):
    callbacks, case = service(settings), await make_case()
    booked = [
        await callbacks.request(
            case, slot=SLOT + timedelta(minutes=30 * i), phone="+4930123456", language="de", now=NOW
        )
        for i in range(3)
    ]
    with pytest.raises(refusals.TooManyOpen):
        await callbacks.request(case, slot=SLOT, phone="+4930123456", language="de", now=NOW)
    await callbacks.cancel(case, booked[0].id, now=NOW)
    await callbacks.request(case, slot=SLOT, phone="+4930123456", language="de", now=NOW)


async def test_a_full_slot_is_refused_and_no_longer_offered(db, settings):
    callbacks = service(settings)
    for _ in range(3):
        await callbacks.request(
            await make_case(), slot=SLOT, phone="+4930123456", language="de", now=NOW
        )
    with pytest.raises(refusals.SlotFull):
        await callbacks.request(
            await make_case(), slot=SLOT, phone="+4930123456", language="de", now=NOW
        )
    offered = [start for day in await callbacks.free_slots(NOW) for start, _ in day.slots]
    assert SLOT not in offered and SLOT + timedelta(minutes=30) in offered


async def test_move_and_cancel_free_the_seat_until_the_cut_off(db, settings):
    callbacks, case = service(settings), await make_case()
    booked = await callbacks.request(case, slot=SLOT, phone="+4930123456", language="de", now=NOW)
    later = SLOT + timedelta(hours=1)
    await callbacks.move(case, booked.id, cb.slot_value(later), now=NOW)
    seat = await CallbackSeat.get(callback_id=booked.id)
    assert seat.slot_start == later
    assert await CaseEvent.filter(case_id=case.id, kind="callback_moved").count() == 1
    with pytest.raises(refusals.TooLate):  # 20 minutes before: past the 30-minute cut-off
        await callbacks.cancel(case, booked.id, now=later - timedelta(minutes=20))
    await callbacks.cancel(case, booked.id, now=later - timedelta(minutes=31))
    assert (await Callback.get(id=booked.id)).status == CANCELLED
    assert await CallbackSeat.filter(slot_start=later).count() == 0
    with pytest.raises(refusals.NotOpen):
        await callbacks.cancel(case, booked.id, now=NOW)


async def test_someone_elses_callback_is_not_found(db, settings):
    callbacks, mine, theirs = service(settings), await make_case(), await make_case()
    booked = await callbacks.request(theirs, slot=SLOT, phone="+4930123456", language="de", now=NOW)
    with pytest.raises(refusals.CallbackNotFound):
        await callbacks.cancel(mine, booked.id, now=NOW)
    with pytest.raises(refusals.CallbackNotFound):
        await callbacks.move(mine, booked.id, SLOT + timedelta(hours=1), now=NOW)


async def test_fifty_concurrent_bookings_for_a_slot_of_three_give_three_places(db, settings):
    """No overbooking, whatever the interleaving: the database refuses a fourth seat."""
    callbacks = service(settings)
    cases = [await make_case() for _ in range(50)]
    results = await asyncio.gather(
        *(
            callbacks.request(c, slot=SLOT, phone="+4930123456", language="de", now=NOW)
            for c in cases
        ),
        return_exceptions=True,
    )
    booked = [r for r in results if isinstance(r, Callback)]
    refused = [r for r in results if not isinstance(r, Callback)]
    assert len(booked) == 3, refused[:3]
    assert all(isinstance(r, refusals.SlotFull) for r in refused), {type(r) for r in refused}
    assert await CallbackSeat.filter(slot_start=SLOT).count() == 3
    assert await Callback.filter(slot_start=SLOT).count() == 3
    assert sorted(await CallbackSeat.filter(slot_start=SLOT).values_list("seat", flat=True)) == [
        0,
        1,
        2,
    ]
    if os.environ.get("PORTAL_TEST_DATABASE_URL"):
        assert "postgres" in settings.database_url  # the run above used a real connection pool

"""Booking, moving, cancelling and reporting callbacks; each change is one transaction.

Capacity is kept by the database alone: a booking inserts a `CallbackSeat` row with the
lowest free seat number of its slot, and the unique (slot_start, seat) pair refuses a second
row, so two processes racing for the last place cannot both win. The loser reads the seats
again and takes the next free one, or hears that the slot is full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from shared.regional import LANGUAGES
from tracking.callbacks.calendar_file import calendar_file
from tracking.callbacks.models import CANCELLED, DONE, MISSED, REQUESTED, Callback, CallbackSeat
from tracking.callbacks.refusals import (
    CallbackNotFound,
    InvalidInput,
    NotOpen,
    SlotFull,
    SlotRefused,
    TooLate,
    TooManyOpen,
)
from tracking.callbacks.slots import SlotCalendar, SlotConfig
from tracking.mail import MailAttachment
from tracking.models import Case, CaseEvent
from tracking.phones import PHONE_LENGTH, to_e164
from tracking.service import TrackingService

MAX_OPEN = 3
NOTE_LENGTH = 500
REBOOK_PATH = "/track/{tracking_id}/callbacks/rebook"
REBOOK_PURPOSE = "callback-rebook"
REBOOK_TTL = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DaySlots:
    day: date
    slots: list[tuple[datetime, int]]  # start (UTC), free places


def normalise_phone(raw: str) -> str:
    """E.164 for a valid number (German when no country code is given); InvalidInput otherwise."""
    if (length := len(raw.strip())) > PHONE_LENGTH:
        raise InvalidInput("phone_too_long", length=length, max=PHONE_LENGTH)
    try:
        return to_e164(raw)
    except ValueError:
        raise InvalidInput(detail="the phone number is not valid") from None


def slot_value(moment: datetime) -> str:
    """A slot start as the form and the API spell it: UTC, minute precision."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_slot(raw: str | datetime) -> datetime:
    if isinstance(raw, datetime):
        moment = raw
    else:
        try:
            moment = datetime.fromisoformat(str(raw).strip()[:40])
        except ValueError:
            raise SlotRefused("closed", detail="this is not a slot") from None
    if moment.tzinfo is None:
        raise SlotRefused("closed", detail="the slot needs a time zone offset")
    return moment.astimezone(UTC)


def callback_dict(callback: Callback) -> dict[str, Any]:
    return {
        "id": callback.id,
        "status": callback.status,
        "slot_start": slot_value(callback.slot_start),
        "slot_end": slot_value(callback.slot_end),
        "phone": callback.phone,
        "language": callback.language,
        "note": callback.note,
    }


class CallbackService:
    def __init__(self, tracking: TrackingService, config: SlotConfig) -> None:
        self.tracking = tracking
        self.config = config
        self.calendar = SlotCalendar(config)

    # -- reading -------------------------------------------------------------------------
    async def free_slots(self, now: datetime | None = None) -> list[DaySlots]:
        """Bookable slots with free places, grouped by local day; full slots are left out."""
        now = now or datetime.now(UTC)
        offered = self.calendar.offered(now)
        if not offered:
            return []
        taken: dict[datetime, int] = {}
        for start in await CallbackSeat.filter(
            slot_start__gte=offered[0], slot_start__lte=offered[-1]
        ).values_list("slot_start", flat=True):
            taken[start.astimezone(UTC)] = taken.get(start.astimezone(UTC), 0) + 1
        days: dict[date, list[tuple[datetime, int]]] = {}
        for start in offered:
            free = self.config.capacity - taken.get(start, 0)
            if free > 0:
                days.setdefault(self.calendar.local(start).date(), []).append((start, free))
        return [DaySlots(day, slots) for day, slots in days.items()]

    async def for_case(self, case: Case) -> list[Callback]:
        """The case's callbacks the customer sees: all but cancelled ones, soonest first."""
        return (
            await Callback.filter(case_id=case.id)
            .exclude(status=CANCELLED)
            .order_by("slot_start", "id")
        )

    async def get(self, case: Case, callback_id: int) -> Callback:
        callback = await Callback.get_or_none(id=callback_id, case_id=case.id)
        if callback is None:
            raise CallbackNotFound()
        return callback

    def changeable(self, callback: Callback, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return callback.status == REQUESTED and now < callback.slot_start - self.config.cutoff

    async def for_day(self, day: date) -> list[Callback]:
        """All callbacks of one local day (back office), with their cases."""
        tz = self.config.timezone
        start = datetime.combine(day, time.min, tz).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time.min, tz).astimezone(UTC)
        return (
            await Callback.filter(slot_start__gte=start, slot_start__lt=end)
            .prefetch_related("case")
            .order_by("slot_start", "id")
        )

    # -- the customer --------------------------------------------------------------------
    async def request(
        self,
        case: Case,
        *,
        slot: str | datetime,
        phone: str,
        language: str,
        note: str = "",
        now: datetime | None = None,
    ) -> Callback:
        """Book a place in `slot`; raises a CallbackError subclass naming the reason."""
        now = now or datetime.now(UTC)
        e164 = normalise_phone(phone)
        if language not in LANGUAGES:
            raise InvalidInput("invalid_language", detail="language must be de or en")
        if (length := len(note.strip())) > NOTE_LENGTH:
            raise InvalidInput("note_too_long", length=length, max=NOTE_LENGTH)
        start = self._bookable(slot, now)
        if await Callback.filter(case_id=case.id, status=REQUESTED).count() >= MAX_OPEN:
            raise TooManyOpen()

        async def write() -> Callback:
            # one writer per case at a time (PostgreSQL), so the limit of three holds
            await Case.filter(id=case.id).select_for_update().first()
            if await Callback.filter(case_id=case.id, status=REQUESTED).count() >= MAX_OPEN:
                raise TooManyOpen()
            callback = await Callback.create(
                case_id=case.id,
                slot_start=start,
                slot_end=start + self.config.slot_length,
                phone=e164,
                language=language,
                note=note.strip(),
            )
            await self._take_seat(callback, start)
            await self._record(case, callback, "callback_scheduled", "callback.requested")
            await self._mail(case, callback, "booked", calendar=True)
            return callback

        booked = await self._with_seat(start, write)
        self.tracking.send_mail_soon()
        return booked

    async def move(
        self,
        case: Case,
        callback_id: int,
        slot: str | datetime,
        *,
        now: datetime | None = None,
        by_customer: bool = True,
    ) -> Callback:
        """Give the callback another slot; the customer only until the cut-off."""
        now = now or datetime.now(UTC)
        callback = await self.get(case, callback_id)
        if callback.status != REQUESTED:
            raise NotOpen()
        if by_customer and not self.changeable(callback, now):
            raise TooLate()
        start = self._bookable(slot, now, lead=by_customer)
        if start == callback.slot_start:
            return callback
        previous = callback.slot_start

        async def write() -> Callback:
            if not await Callback.filter(id=callback.id, status=REQUESTED).update(
                slot_start=start,
                slot_end=start + self.config.slot_length,
                reminded_at=None,
                updated_at=now,
            ):
                raise NotOpen()
            await CallbackSeat.filter(callback_id=callback.id).delete()
            callback.slot_start, callback.slot_end = start, start + self.config.slot_length
            callback.updated_at = now
            await self._take_seat(callback, start)
            await self._record(
                case,
                callback,
                "callback_moved",
                "callback.moved",
                {"previous_slot_start": slot_value(previous)},
            )
            await self._mail(case, callback, "moved", calendar=True, previous=previous)
            return callback

        moved = await self._with_seat(start, write)
        self.tracking.send_mail_soon()
        return moved

    async def cancel(
        self, case: Case, callback_id: int, *, now: datetime | None = None
    ) -> Callback:
        """Cancel until the cut-off; the place is free again at once."""
        now = now or datetime.now(UTC)
        callback = await self.get(case, callback_id)
        if callback.status != REQUESTED:
            raise NotOpen()
        if not self.changeable(callback, now):
            raise TooLate()
        async with in_transaction():
            if not await self._cancel(case, callback, now):
                raise NotOpen()
        self.tracking.send_mail_soon()
        return callback

    async def cancel_for_closing(
        self, case: Case, because: str, *, now: datetime | None = None
    ) -> int:
        """The case is resolved or closed (`because`): its callbacks still to come are
        cancelled, whatever the cut-off, as a booked call about a finished request would
        surprise the customer. Each frees its place, gets a timeline entry, a
        `callback.cancelled` webhook and a mail with the calendar file that drops it, all in
        the caller's transaction; returns how many (so the caller sends the mail after commit).
        """
        now = now or datetime.now(UTC)
        cancelled = 0
        for callback in await Callback.filter(
            case_id=case.id, status=REQUESTED, slot_start__gt=now
        ):
            cancelled += await self._cancel(case, callback, now, because=because)
        return cancelled

    async def _cancel(self, case: Case, callback: Callback, now: datetime, **extra: str) -> bool:
        """Cancel one booked callback in the caller's transaction: its place freed, the
        timeline entry and webhook (with `extra`), the mail with the calendar file that drops
        it. False if it was no longer booked (moved or cancelled meanwhile)."""
        if not await Callback.filter(id=callback.id, status=REQUESTED).update(
            status=CANCELLED, updated_at=now
        ):
            return False
        await CallbackSeat.filter(callback_id=callback.id).delete()
        callback.status, callback.updated_at = CANCELLED, now
        await self._record(case, callback, "callback_cancelled", "callback.cancelled", extra)
        await self._mail(case, callback, "cancelled", calendar=True, **extra)
        return True

    # -- the back office -----------------------------------------------------------------
    async def report(
        self,
        callback_id: int,
        kind: str,
        *,
        offer_new_slots: bool = False,
        slot: str | datetime | None = None,
        now: datetime | None = None,
    ) -> Callback:
        """done, missed (optionally mailing a link to book anew) or moved."""
        callback = await Callback.get_or_none(id=callback_id).prefetch_related("case")
        if callback is None:
            raise CallbackNotFound()
        case = callback.case
        if kind == "moved":
            return await self.move(case, callback.id, slot or "", now=now, by_customer=False)
        if callback.status != REQUESTED:
            raise NotOpen()
        status = DONE if kind == "done" else MISSED
        async with in_transaction():
            if not await Callback.filter(id=callback.id, status=REQUESTED).update(status=status):
                raise NotOpen()
            callback.status = status
            extra = {"offer_new_slots": offer_new_slots} if status == MISSED else {}
            await self._record(case, callback, f"callback_{status}", f"callback.{status}", extra)
            if status == MISSED and offer_new_slots:
                await self._mail(case, callback, "missed", link=self.rebook_url(case.tracking_id))
        if status == MISSED and offer_new_slots:
            self.tracking.send_mail_soon()
        return callback

    def rebook_url(self, tracking_id: str) -> str:
        path = REBOOK_PATH.format(tracking_id=tracking_id)
        return self.tracking.links.url(REBOOK_PURPOSE, path, REBOOK_TTL)

    def rebook_link_valid(self, tracking_id: str, expires: str, sig: str) -> bool:
        path = REBOOK_PATH.format(tracking_id=tracking_id)
        return self.tracking.links.verify(REBOOK_PURPOSE, path, expires, sig)

    # -- reminders -----------------------------------------------------------------------
    async def send_reminders(self, now: datetime | None = None) -> int:
        """Queue a reminder for each callback starting soon; the conditional update makes
        sure only one process sends it."""
        now = now or datetime.now(UTC)
        due = await Callback.filter(
            status=REQUESTED,
            reminded_at=None,
            slot_start__gt=now,
            slot_start__lte=now + self.config.reminder,
        ).prefetch_related("case")
        queued = 0
        for callback in due:
            async with in_transaction():
                if await Callback.filter(id=callback.id, status=REQUESTED, reminded_at=None).update(
                    reminded_at=now
                ):
                    await self._mail(callback.case, callback, "reminder")
                    queued += 1
        if queued:
            self.tracking.send_mail_soon()
        return queued

    # -- calendar file -------------------------------------------------------------------
    def ics(self, case: Case, callback: Callback) -> bytes:
        """The callback as an iCalendar file, for the page's download and the mails alike."""
        status_url = self.tracking.status_url(case.tracking_id)
        return calendar_file(case, callback, self.tracking.company, status_url)

    # -- inside -------------------------------------------------------------------------
    def _bookable(self, slot: str | datetime, now: datetime, lead: bool = True) -> datetime:
        start = parse_slot(slot)
        reason = self.calendar.refusal(start, now, lead=lead)
        if reason:
            raise SlotRefused(reason, detail=f"this slot cannot be booked ({reason})")
        return start

    async def _with_seat(self, start: datetime, write) -> Callback:
        """Run `write` in a transaction until its seat insert does not collide."""
        for _ in range(self.config.capacity + 50):
            try:
                async with in_transaction():
                    return await write()
            except IntegrityError:
                continue  # another booking took that seat first: look again
        raise SlotFull()

    async def _take_seat(self, callback: Callback, start: datetime) -> None:
        taken = set(await CallbackSeat.filter(slot_start=start).values_list("seat", flat=True))
        free = [seat for seat in range(self.config.capacity) if seat not in taken]
        if not free:
            raise SlotFull()
        await CallbackSeat.create(slot_start=start, seat=free[0], callback_id=callback.id)

    async def _record(
        self, case: Case, callback: Callback, kind: str, event_type: str, extra: dict | None = None
    ) -> None:
        """The public timeline entry and the webhook, in the caller's transaction."""
        await CaseEvent.create(
            case_id=case.id,
            kind=kind,
            data={
                "callback_id": callback.id,
                "slot": slot_value(callback.slot_start),
                **(extra or {}),
            },
        )
        payload = {**callback_dict(callback), **(extra or {})}
        await self.tracking.publish(case, event_type, callback=payload)

    async def _mail(
        self, case: Case, callback: Callback, kind: str, *, calendar: bool = False, **values
    ) -> None:
        """The customer's mail about this callback, in the callback's language, in the
        caller's transaction; with the calendar file when the customer's calendar should change."""
        files = (
            [
                MailAttachment(
                    f"callback-{case.tracking_id}.ics", "text/calendar", self.ics(case, callback)
                )
            ]
            if calendar
            else []
        )
        await self.tracking.queue_mail(
            case,
            f"callback_{kind}",
            language=callback.language,
            attachments=files,
            when=callback.slot_start,
            phone=callback.phone,
            **values,
        )

"""The callback as an iCalendar file, for the status page's download and the mails alike.

One UID per callback and a rising SEQUENCE, so a calendar that has the call moves it when the
time changes and drops it when it is cancelled.
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from tracking.callbacks.models import CANCELLED, Callback
from tracking.models import Case
from tracking.phones import display_phone


def calendar_file(case: Case, callback: Callback, company: str, status_url: str) -> bytes:
    """The `.ics` file of `callback`, in its language, linking the case's status page."""
    de = callback.language == "de"
    phone = display_phone(callback.phone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{company}//support portal//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"callback-{callback.id}-{case.tracking_id}@portal")
    event.add("dtstamp", datetime.now(UTC))
    event.add("sequence", int((callback.updated_at or datetime.now(UTC)).timestamp()))
    event.add("dtstart", callback.slot_start.astimezone(UTC))
    event.add("dtend", callback.slot_end.astimezone(UTC))
    cancelled = callback.status == CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # a cancelled entry says so: a calendar that keeps it must not still promise the call
    if cancelled:
        summary, text = (
            (f"Abgesagt: Rückruf von {company}", "Abgesagt: Wir rufen dich nicht an.")
            if de
            else (f"Cancelled: callback from {company}", "Cancelled: we will not call you.")
        )
    else:
        summary, text = (
            (f"Rückruf von {company}", f"Wir rufen dich unter {phone} an.")
            if de
            else (f"Callback from {company}", f"We will call you on {phone}.")
        )
    request = f"Anfrage {case.tracking_id}." if de else f"Request {case.tracking_id}."
    event.add("summary", summary)
    event.add("description", f"{text} {request}\n{status_url}")
    event.add("url", status_url)
    calendar.add_component(event)
    return calendar.to_ical()

"""Callbacks in tests: the every-day calendar, a case factory, the service, and booking on
the status page as a browser without JavaScript does."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from portal.services import build_tracking
from portal.settings import Settings
from support.cases import API_CASE, file_case, personal_link, stored_case
from support.client import csrf_token
from tracking.callbacks.service import CallbackService
from tracking.callbacks.slots import load_slot_config
from tracking.models import Case

EVERY_DAY = Path(__file__).with_name("callbacks.yaml")


def service(settings: Settings, path: Path = EVERY_DAY) -> CallbackService:
    return CallbackService(build_tracking(settings), load_slot_config(path))


async def make_case(language: str = "de", phone: str = "+4930123456") -> Case:
    """A stored case that asks for a callback (only what callbacks read matters)."""
    return await stored_case(
        language=language, channel="phone", phone=phone, description="Bitte ruft mich an."
    )


def berlin(text: str) -> datetime:
    """A Berlin wall-clock time as an aware datetime in UTC."""
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)


PHONE_CASE = {**API_CASE, "channel": "phone", "phone": "030 1234567"}


async def open_case(client, body: dict = PHONE_CASE) -> tuple[str, str]:
    """File through the API and open the personal link; returns the tracking id and the page."""
    tracking_id = await file_case(client, body)
    link = await personal_link(client, tracking_id)
    page = await client.get(link)
    assert page.status_code == 200
    return tracking_id, page.text


def slots(html: str) -> list[str]:
    return re.findall(r'name="slot" value="([^"]+)"', html)


def booked(html: str) -> list[tuple[str, str]]:
    """(callback id, status) of each listed callback."""
    return re.findall(r'data-callback-id="(\d+)" data-status="(\w+)"', html)


async def book(client, tracking_id: str, html: str, **fields):
    form = {"phone": "030 1234567", "language": "de", "note": "", "slot": slots(html)[0], **fields}
    return await client.post(
        f"/track/{tracking_id}/callbacks",
        data={**form, "_csrf_token": csrf_token(html)},
        follow_redirects=False,
    )

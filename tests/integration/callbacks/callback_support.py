"""Shared pieces of the callback tests: the every-day calendar, a case factory, the service."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from portal.services import build_tracking
from portal.settings import Settings
from tracking.callbacks.service import CallbackService
from tracking.callbacks.slots import load_slot_config
from tracking.ids import new_tracking_id
from tracking.models import Case

EVERY_DAY = Path(__file__).with_name("callbacks.yaml")


def service(settings: Settings, path: Path = EVERY_DAY) -> CallbackService:
    return CallbackService(build_tracking(settings), load_slot_config(path))


async def make_case(language: str = "de", phone: str = "+4930123456") -> Case:
    """A stored case as intake would leave it (only what callbacks read matters)."""
    now = datetime.now(UTC)
    return await Case.create(
        tracking_id=new_tracking_id(), submission_key=secrets.token_hex(16),
        access_token_hash=secrets.token_hex(32), source="api", language=language,
        request_type="question", product="coffee_machines", urgency="normal",
        customer_type="b2c", channel="phone", level=1, department="service", priority="normal",
        name="Erika Mustermann", email="erika@example.com", phone=phone,
        description="Bitte ruft mich an.", first_response_due=now + timedelta(hours=8),
        resolution_due=now + timedelta(days=3),
    )  # fmt: skip


def berlin(text: str) -> datetime:
    """A Berlin wall-clock time as an aware datetime in UTC."""
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)

"""Field error codes of `tracking.intake` and attachments, worded in the customer's language."""

from __future__ import annotations

from portal.i18n import gettext_ as _


def message(code: str, params: dict | None = None) -> str:
    params = params or {}
    if code == "required":
        return _("Please fill in this field.")
    if code == "too_long":
        return _("Please use at most %(max)s characters.", max=params.get("max", ""))
    if code == "too_short":
        return _("Please write at least %(min)s characters.", min=params.get("min", ""))
    if code == "invalid_choice":
        return _("Please choose one of the options.")
    if code == "invalid_format":
        return _("This does not look right. Please check the format.")
    if code == "invalid_email":
        return _("Please enter a valid email address, for example name@example.com.")
    if code == "invalid_phone":
        return _("Please enter a valid phone number, for example 030 1234567 or +49 30 1234567.")
    if code == "invalid_date":
        return _("Please enter a date.")
    if code == "date_in_future":
        return _("This date is in the future.")
    if code == "date_too_old":
        return _("This date is too long ago.")
    if code == "not_allowed":
        return _("This field does not belong to this type of request.")
    if code == "wrong_type":
        return _(
            "%(name)s: only images (PNG, JPEG, GIF, WebP) and PDF files can be attached.",
            name=params.get("name", ""),
        )
    if code == "too_large":
        return _("%(name)s is larger than 10 MB.", name=params.get("name", ""))
    if code == "empty":
        return _("%(name)s is empty.", name=params.get("name", ""))
    if code == "storage_unavailable":
        return _(
            "%(name)s could not be stored right now. Please try again in a few minutes, or "
            "send your request without it and add the file later on the status page.",
            name=params.get("name", ""),
        )
    if code == "too_many":
        return _("You can attach at most %(max)s files.", max=params.get("max", 5))
    return _("Please check this field.")

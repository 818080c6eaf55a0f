"""The one catalogue of error codes in the customer's language: the field errors of
`tracking.intake` and every `shared.refused.Refused` a service raises.

The case form names a field once here: the error summary ("<name>: <message>") and the
message beside the field both come from this module, so the two never disagree. Services
only name a code; a code reads the same on every page that shows it.
"""

from __future__ import annotations

from collections.abc import Mapping

from portal.i18n import current_language
from portal.i18n import gettext_ as _
from shared.refused import Refused
from tracking.classification import Classification, label

#: Fields answered by choosing an option: "required" there means "choose one".
CHOICE_FIELDS = ("type", "product", "customer_type", "urgency", "channel")


def field_names(classification: Classification) -> dict[str, str]:
    """Short names of the form's fields, as the error summary lists them."""
    lang = current_language()
    names = {
        "type": _("Topic"),
        "product": _("Product"),
        "customer_type": _("Customer type"),
        "urgency": _("Urgency"),
        "description": _("Description"),
        "files": _("Attachments"),
        "name": _("Your name"),
        "email": _("Email address"),
        "channel": _("Answer by"),
        "phone": _("Phone number"),
        "street": _("Street and number"),
        "postcode": _("Postcode"),
        "city": _("City"),
        "company": _("Company"),
        "customer_number": _("Customer number"),
    }
    for key, spec in classification.fields.items():
        names[f"details.{key}"] = label(spec.label, lang)
    return names


def message(code: str, params: Mapping | None = None, field: str = "") -> str:
    """The text for one error; `field` makes it specific where the code alone is vague."""
    params = params or {}
    if code == "required":
        if field == "phone":
            return _("Please enter a phone number so that we can call you back.")
        if field in ("street", "postcode", "city"):
            return _("Please fill in this field so that we can send you a letter.")
        if field in ("company", "customer_number"):
            return _("Please fill in this field: we need it from businesses.")
        if field in CHOICE_FIELDS or params.get("choice"):
            return _("Please choose one of the options.")
        return _("Please fill in this field.")
    if code == "too_long" and "length" in params:
        return _(
            "This text has %(length)s characters, %(max)s fit. Please shorten it: nothing "
            "was sent, and your whole text is kept here.",
            length=params["length"],
            max=params.get("max", ""),
        )
    if code == "too_long":
        return _("Please use at most %(max)s characters.", max=params.get("max", ""))
    if code == "too_short":
        return _("Please write at least %(min)s characters.", min=params.get("min", ""))
    if code == "invalid_format":
        expected = params.get("format")
        if isinstance(expected, Mapping) and expected:
            expected = label(expected, current_language())
        if field == "customer_number":
            expected = _("K followed by 6 to 8 digits, e.g. K1234567")
        elif field == "postcode":
            expected = _("3 to 10 letters or digits, e.g. 10115")
        if expected:
            return _("This does not look right. Expected: %(format)s.", format=expected)
        return _("This does not look right. Please check the format.")
    if code == "too_many":
        return _("You can attach at most %(max)s files.", max=params.get("max", 5))
    return (
        _file_texts(params.get("name", "")).get(code)
        or _plain_texts().get(code)
        or _("Please check this field.")
    )


def _file_texts(name: str) -> dict[str, str]:
    """A refused file, named in the words."""
    return {
        "wrong_type": _(
            "%(name)s: only images (PNG, JPEG, GIF, WebP) and PDF files can be attached.",
            name=name,
        ),
        "too_large": _("%(name)s is larger than 10 MB.", name=name),
        "empty": _("%(name)s is empty.", name=name),
        "storage_unavailable": _(
            "%(name)s could not be stored right now. Please try again in a few minutes, or "
            "send your request without it and add the file later on the status page.",
            name=name,
        ),
    }


def _plain_texts() -> dict[str, str]:
    """Field errors whose words need neither the field nor parameters."""
    return {
        "invalid_choice": _("Please choose one of the options."),
        "invalid_email": _("Please enter a valid email address, for example name@example.com."),
        "invalid_phone": _(
            "Please enter a valid phone number, for example 030 1234567 or +49 30 1234567."
        ),
        "invalid_date": _("Please enter a date."),
        "date_in_future": _("This date is in the future."),
        "date_too_old": _("This date is too long ago."),
        "not_allowed": _("This field does not belong to this type of request."),
        "choose_again": _("Nothing was sent. Your text is kept; please choose the files again."),
        "no_file": _("No file was chosen. Choose a file first, then press Upload."),
    }


def refusal(refused: Refused) -> str:
    """The customer's words for a refused request, by its use case (`topic`) and code."""
    if refused.topic == "attachment" or refused.code == "too_long":
        return message(refused.code, refused.params)
    if refused.code.endswith("too_long") and "length" in refused.params:  # a field's text
        return message("too_long", refused.params)
    texts = {"callback": _callback_texts, "action": _action_texts}[refused.topic]()
    return texts.get(refused.code) or _("Please check your entry.")


#: Which callback form field a refusal belongs to; the rest go to the top of the form.
CALLBACK_FIELD = {
    "invalid_phone": "phone",
    "phone_too_long": "phone",
    "invalid_language": "language",
    "note_too_long": "note",
    "no_slot": "slot",
    "past": "slot",
    "closed": "slot",
    "too_soon": "slot",
    "too_far": "slot",
    "slot_full": "slot",
}


def _callback_texts() -> dict[str, str]:
    return {
        "invalid_phone": _(
            "Please enter a phone number we can call, e.g. 030 1234567 or +49 30 1234567."
        ),
        "invalid_language": _("Please choose German or English."),
        "note_too_long": _("Please keep the note to 500 characters."),
        "no_slot": _("Please choose a time."),
        "past": _("This time has already passed. Please choose another one."),
        "closed": _("We do not call at this time. Please choose one of the times offered."),
        "too_soon": _("This time is too soon for us to prepare. Please choose a later one."),
        "too_far": _("This time is too far ahead. Please choose one of the times offered."),
        "slot_full": _("This time has just been fully booked. Please choose another one."),
        "too_many": _("You already have three open callbacks. Cancel one to book another."),
        "too_late": _("The callback is too close to change now. Please call us if needed."),
        "not_open": _("This callback is no longer open."),
    }


def _action_texts() -> dict[str, str]:
    return {
        "empty": _("Please write something or attach a file."),
        "empty_reason": _("Please tell us briefly why you are reopening the request."),
        "closed": _("This request is finished. If something is still open, reopen it below."),
        "not_resolved": _("Only a resolved request can be reopened."),
        "too_late": _("This request can no longer be reopened. Please open a new request."),
        "changed": _("The request changed meanwhile. Please check the page and try again."),
        "already_sent": _("You had already sent this message; it was not sent a second time."),
    }

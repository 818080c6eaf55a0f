"""Validation of a new case, shared by the case form and the JSON API.

Input arrives as plain strings; the result is either normalised values or a list of
field errors with a machine code (the portal words them in the customer's language).
Control characters are removed, never stored; over-long values are rejected, never cut.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from email_validator import EmailNotValidError, validate_email
from msgspec import Struct

from shared.regional import LANGUAGES
from shared.text import clean_text
from tracking.classification import Classification
from tracking.phones import PHONE_LENGTH, to_e164

#: Field groups, in the order of the form's steps.
CLASSIFICATION = ("type", "product", "customer_type")
DETAILS = ("urgency", "description")  # plus `details.<key>` per request type
CONTACT = (
    "name",
    "email",
    "channel",
    "phone",
    "street",
    "postcode",
    "city",
    "company",
    "customer_number",
)
PARTS = ("classification", "details", "contact")

MAX_LENGTH = {
    "type": 40,
    "product": 40,
    "customer_type": 10,
    "urgency": 20,
    "channel": 20,
    "description": 5000,
    "name": 100,
    "email": 254,
    "phone": PHONE_LENGTH,
    "street": 120,
    "postcode": 10,
    "city": 80,
    "company": 120,
    "customer_number": 12,
    "faq_query": 500,
}
MIN_DESCRIPTION = 10
_POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{2,9}$")


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


class CaseFields(Struct, frozen=True, kw_only=True):
    """What a new case consists of, with the defaults a client may leave out.

    One declaration for both sides of intake: the JSON API's request body (as sent, any
    strings) and `CaseInput` (as validated).
    """

    type: str
    product: str
    description: str
    name: str
    email: str
    customer_type: str = "b2c"
    urgency: str = "normal"
    details: dict[str, str] = {}
    channel: str = "email"
    phone: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    company: str = ""
    customer_number: str = ""
    language: str = "de"
    faq_query: str = ""


class CaseInput(CaseFields, frozen=True, kw_only=True):
    """A validated case, ready for `TrackingService.create_case`; only `validate` makes one."""

    def conditions(self) -> dict[str, str]:
        """What routing and SLA rules match on."""
        return {
            "type": self.type,
            "product": self.product,
            "urgency": self.urgency,
            "channel": self.channel,
            "customer_type": self.customer_type,
        }


class _Checker:
    def __init__(self, classification: Classification, raw: Mapping[str, object]) -> None:
        self.c = classification
        self.raw = raw
        self.values: dict[str, str] = {}
        self.details: dict[str, str] = {}
        self.errors: list[FieldError] = []

    def error(self, name: str, code: str, **params: object) -> None:
        self.errors.append(FieldError(name, code, params))

    def text(self, name: str, required: bool = False, multiline: bool = False) -> str:
        value = clean_text(self.raw.get(name), multiline=multiline)
        self.values[name] = value
        if not value:
            if required:
                self.error(name, "required")
            return ""
        if len(value) > MAX_LENGTH[name]:
            self.error(name, "too_long", max=MAX_LENGTH[name], length=len(value))
            return ""
        return value

    def choice(self, name: str, options: Mapping, default: str | None = None) -> str:
        value = self.text(name) or (default or "")
        self.values[name] = value
        if not value:
            self.error(name, "required")
        elif value not in options:
            self.error(name, "invalid_choice")
        return value

    # -- parts -------------------------------------------------------------------------
    def classification(self) -> None:
        self.choice("type", self.c.request_types)
        self.choice("product", self.c.products)
        self.choice("customer_type", self.c.customer_types, default="b2c")

    def details_part(self, today: date) -> None:
        self.choice("urgency", self.c.urgencies, default=self.c.default_urgency)
        description = self.text("description", required=True, multiline=True)
        if description and len(description) < MIN_DESCRIPTION:
            self.error("description", "too_short", min=MIN_DESCRIPTION)
        request_type = self.c.request_types.get(
            self.values.get("type") or clean_text(self.raw.get("type"))
        )
        raw_details = self.raw.get("details") or {}
        if not isinstance(raw_details, Mapping):
            self.error("details", "invalid_format")
            return
        wanted = dict(request_type.fields) if request_type else {}
        for key in raw_details:
            if key not in wanted and clean_text(raw_details.get(key)):
                self.error(f"details.{key}", "not_allowed")
        for key, required in wanted.items():
            self.detail(key, raw_details.get(key), required, today)

    def detail(self, key: str, raw: object, required: bool, today: date) -> None:
        spec = self.c.fields[key]
        name = f"details.{key}"
        value = clean_text(raw)
        self.details[key] = value
        if not value:
            if required:
                self.error(name, "required", **({"choice": True} if spec.kind == "choice" else {}))
            return
        if spec.kind == "date":
            try:
                day = date.fromisoformat(value)
            except ValueError:
                self.error(name, "invalid_date")
                return
            if spec.not_in_future and day > today:
                self.error(name, "date_in_future")
            elif spec.max_age_days and day < today - timedelta(days=spec.max_age_days):
                self.error(name, "date_too_old")
            return
        if spec.kind == "choice":
            if value not in spec.choices:
                self.error(name, "invalid_choice")
            return
        if len(value) > spec.max_length:
            self.error(name, "too_long", max=spec.max_length, length=len(value))
            return
        if spec.normalize == "upper":
            value = value.upper()
            self.details[key] = value
        if spec.pattern and not spec.pattern.fullmatch(value):
            self.error(
                name,
                "invalid_format",
                format=(
                    spec.format if any(spec.format.as_dict().values()) else spec.hint
                ).as_dict(),
            )

    def contact(self) -> None:
        self.text("name", required=True)
        email = self.text("email", required=True)
        if email:
            try:
                self.values["email"] = validate_email(email, check_deliverability=False).normalized
            except EmailNotValidError:
                self.error("email", "invalid_email")
        channel = self.choice("channel", self.c.channels, default="email")
        customer_type = (
            self.values.get("customer_type") or clean_text(self.raw.get("customer_type")) or "b2c"
        )
        required: set[str] = set()
        if channel in self.c.channels:
            required |= set(self.c.channels[channel].requires)
        if customer_type in self.c.customer_types:
            required |= set(self.c.customer_types[customer_type].requires)
        phone = self.text("phone", required="phone" in required)
        if phone:
            try:
                self.values["phone"] = to_e164(phone)
            except ValueError:
                self.error("phone", "invalid_phone")
        for name in ("street", "postcode", "city", "company"):
            self.text(name, required=name in required)
        if self.values.get("postcode") and not _POSTCODE.fullmatch(self.values["postcode"]):
            self.error("postcode", "invalid_format")
        number = self.text("customer_number", required="customer_number" in required).upper()
        if number:
            self.values["customer_number"] = number
            if not self.c.customer_number_pattern.fullmatch(number):
                self.error("customer_number", "invalid_format")
        # only what the chosen channel and customer type need is kept
        if customer_type != "b2b":
            self.values["company"] = self.values["customer_number"] = ""
        if channel != "letter":
            self.values["street"] = self.values["postcode"] = self.values["city"] = ""


def validate(
    classification: Classification,
    raw: Mapping[str, object],
    parts: tuple[str, ...] = PARTS,
    today: date | None = None,
) -> tuple[CaseInput | None, list[FieldError]]:
    """Check the given parts of `raw`; a CaseInput only when all parts were checked and passed."""
    checker = _Checker(classification, raw)
    today = today or date.today()
    if "classification" in parts:
        checker.classification()
    if "details" in parts:
        checker.details_part(today)
    if "contact" in parts:
        checker.contact()
    if checker.errors or tuple(parts) != PARTS:
        return None, checker.errors
    language = clean_text(raw.get("language")) or "de"
    v = checker.values
    return CaseInput(
        type=v["type"],
        product=v["product"],
        customer_type=v["customer_type"],
        urgency=v["urgency"],
        description=v["description"],
        details={key: value for key, value in checker.details.items() if value},
        name=v["name"],
        email=v["email"],
        channel=v["channel"],
        phone=v.get("phone", ""),
        street=v.get("street", ""),
        postcode=v.get("postcode", ""),
        city=v.get("city", ""),
        company=v.get("company", ""),
        customer_number=v.get("customer_number", ""),
        language=language if language in LANGUAGES else LANGUAGES[0],
        faq_query=clean_text(raw.get("faq_query"))[: MAX_LENGTH["faq_query"]],
    ), []

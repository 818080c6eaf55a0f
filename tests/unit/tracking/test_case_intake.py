"""Validation shared by form and API: per-field codes, normalisation, hostile text."""

from datetime import date

import pytest

from support.cases import TYPED_CASE, details
from tracking.classification import load_classification
from tracking.intake import validate


@pytest.fixture(scope="module")
def c():
    return load_classification()


GOOD = TYPED_CASE
TODAY = date(2026, 11, 24)


def codes(errors):
    return {e.field: e.code for e in errors}


def test_valid_case_is_normalised(c):
    case, errors = validate(c, GOOD, today=TODAY)
    assert errors == []
    assert case.phone == "+49301234567"
    assert case.email == "Erika@example.com"
    assert case.details == {"device_serial": "KV2000-88341", "purchase_date": "2026-03-14"}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"type": "warp"}, "type", "invalid_choice"),
        ({"product": ""}, "product", "required"),
        ({"description": "kurz"}, "description", "too_short"),
        ({"description": "x" * 5001}, "description", "too_long"),
        ({"email": "erika@"}, "email", "invalid_email"),
        ({"phone": "12"}, "phone", "invalid_phone"),
        ({"phone": ""}, "phone", "required"),
        ({"channel": "letter"}, "street", "required"),
        ({"customer_type": "b2b"}, "customer_number", "required"),
        (
            {"customer_type": "b2b", "company": "X GmbH", "customer_number": "123"},
            "customer_number",
            "invalid_format",
        ),
        ({"details": {"purchase_date": "2026-03-14"}}, "details.device_serial", "required"),
        (details(GOOD, device_serial="AB"), "details.device_serial", "invalid_format"),
        (details(GOOD, purchase_date="2027-01-01"), "details.purchase_date", "date_in_future"),
        (details(GOOD, purchase_date="14.03.2026"), "details.purchase_date", "invalid_date"),
        (details(GOOD, voucher_code="X"), "details.voucher_code", "not_allowed"),
    ],
)
def test_each_problem_is_named_by_field_and_code(c, change, field, code):
    _, errors = validate(c, {**GOOD, **change}, today=TODAY)
    assert codes(errors).get(field) == code


def test_control_characters_are_removed_not_stored(c):
    case, errors = validate(
        c,
        {
            **GOOD,
            "name": "Eri\x00ka\u202e Muster\x1bmann",
            "description": "Zeile 1\r\nZeile\x07 2\x00 ist kaputt",
        },
        today=TODAY,
    )
    assert errors == []
    assert case.name == "Erika Mustermann"
    assert case.description == "Zeile 1\nZeile 2 ist kaputt"


def test_only_what_the_channel_needs_is_kept(c):
    case, _ = validate(
        c, {**GOOD, "channel": "email", "street": "Hauptstr. 1", "company": "X"}, today=TODAY
    )
    assert case.street == "" and case.company == ""

"""Tracking IDs: format, randomness, check symbol and forgiving input."""

import re

import pytest

from tracking.ids import ALPHABET, InvalidTrackingId, new_tracking_id, parse_tracking_id

FORMAT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}$")


def test_new_ids_are_grouped_crockford_base32_and_parse_to_themselves():
    for _ in range(200):
        tracking_id = new_tracking_id()
        assert FORMAT.match(tracking_id), tracking_id
        assert parse_tracking_id(tracking_id) == tracking_id


def test_ids_carry_at_least_60_random_bits():
    ids = {new_tracking_id() for _ in range(5000)}
    assert len(ids) == 5000
    assert len(ALPHABET) ** 12 >= 2**60


def test_input_is_forgiving_about_case_dashes_spaces_and_look_alikes():
    tracking_id = new_tracking_id()
    plain = tracking_id.replace("-", "")
    assert parse_tracking_id(plain.lower()) == tracking_id
    assert parse_tracking_id(" " + " ".join(tracking_id.split("-")) + " ") == tracking_id
    fuzzy = plain.replace("0", "O").replace("1", "l")
    assert parse_tracking_id(fuzzy) == tracking_id
    assert parse_tracking_id(plain.replace("1", "I")) == tracking_id


def test_every_single_mistyped_symbol_is_detected():
    tracking_id = new_tracking_id().replace("-", "")
    for position in range(len(tracking_id)):
        for symbol in ALPHABET:
            if symbol == tracking_id[position]:
                continue
            typo = tracking_id[:position] + symbol + tracking_id[position + 1 :]
            with pytest.raises(InvalidTrackingId) as info:
                parse_tracking_id(typo)
            assert info.value.mistyped


def test_ids_never_hold_the_one_swap_luhn_cannot_see():
    for _ in range(5000):
        plain = new_tracking_id().replace("-", "")
        assert "0Z" not in plain and "Z0" not in plain


@pytest.mark.parametrize("text", ["", "K7M4-Q2XR", "K7M4-Q2XR-9TBD-XXXX", "K7M4-Q2XR-9TBU!", "ÄÖÜ"])
def test_malformed_input_is_rejected_without_claiming_a_typo(text):
    with pytest.raises(InvalidTrackingId) as info:
        parse_tracking_id(text)
    assert not info.value.mistyped

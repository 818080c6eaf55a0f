"""The shipped classification loads; broken files stop start-up with one clear line."""

from pathlib import Path

import pytest
import yaml

from support.cli import run_portal
from tracking.classification import SHIPPED_FILE, ClassificationError, load_classification

REQUIRED_TYPES = {
    "question",
    "technical_problem",
    "complaint",
    "return_exchange",
    "repair_warranty",
    "billing_payment",
    "data_protection",
    "other",
    # the most common shop problems, as the demo FAQ's categories cover them
    "delivery",
    "order_change",
    "refund",
    "voucher_loyalty",
    "account",
}
REQUIRED_PRODUCTS = {"tv_video", "phones", "computers"}


def test_shipped_file_has_the_required_request_types_and_channels():
    c = load_classification()
    assert set(c.request_types) >= REQUIRED_TYPES
    assert set(c.products) >= REQUIRED_PRODUCTS
    assert set(c.channels) == {"email", "phone", "letter"}
    assert c.channels["phone"].requires == ("phone",)
    assert set(c.customer_types["b2b"].requires) == {"company", "customer_number"}
    assert all(spec.label["de"] and spec.label["en"] for spec in c.fields.values())


def _broken(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load(SHIPPED_FILE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "classification.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda raw: raw["fields"]["order_number"].update(pattern="(["),
            "fields.order_number.pattern: is not a valid regular expression",
        ),
        (
            lambda raw: raw["request_types"]["complaint"]["fields"].update(colour="required"),
            "request_types.complaint.fields: unknown field 'colour'",
        ),
        (
            lambda raw: raw["routing"][0].update(level=4),
            "routing #1.level: invalid enum value 4 (use 1, 2, 3)",
        ),
        (
            lambda raw: raw["routing"][1]["when"].update(type="warp_drive"),
            "routing #2.when.type: unknown type warp_drive",
        ),
        (lambda raw: raw["routing"].pop(), "the last routing rule must have an empty `when`"),
        (
            lambda raw: raw["products"]["gift_cards"]["label"].pop("en"),
            "products.gift_cards.label: object missing required field `en`",
        ),
        (
            lambda raw: raw["channels"]["phone"].update(requires=["fax"]),
            "channels.phone.requires #1: invalid enum value 'fax' (use city, company,",
        ),
        (
            lambda raw: raw["business_hours"].update(timezone="Mars/Olympus"),
            "business_hours.timezone",
        ),
        (
            lambda raw: raw["business_hours"]["hours"].update(mon=["18:00", "08:00"]),
            "business_hours.hours.mon: closes before it opens",
        ),
        (
            lambda raw: raw["sla"][0].update(first_response_hours=-1),
            "sla #1.first_response_hours: expected `float` > 0.0",
        ),
        (
            lambda raw: raw["fields"]["return_reason"]["choices"]["damaged"].pop("de"),
            "fields.return_reason.choices.damaged: object missing required field `de`",
        ),
        (
            lambda raw: raw["request_types"]["complaint"]["fields"].update(order_number="must"),
            "request_types.complaint.fields.order_number: invalid enum value 'must' "
            "(use optional, required)",
        ),
        (
            lambda raw: raw["business_hours"]["hours"].update(monday=["08:00", "18:00"]),
            "business_hours.hours: object contains unknown field `monday`",
        ),
        (
            lambda raw: raw.update(departmens={}),
            "object contains unknown field `departmens`",
        ),
    ],
)
def test_invalid_file_names_file_and_problem(tmp_path, change, expected):
    path = _broken(tmp_path, change)
    with pytest.raises(ClassificationError) as info:
        load_classification(path)
    message = str(info.value)
    assert message.startswith(f"{path}:")
    assert expected in message
    assert "\n" not in message


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "classification.yaml"
    path.write_text("fields:\n  a: [1, 2\n", encoding="utf-8")
    with pytest.raises(
        ClassificationError, match=r"classification.yaml: line \d+ is not valid YAML"
    ):
        load_classification(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ClassificationError, match="cannot read"):
        load_classification(tmp_path / "nope.yaml")


def test_portal_refuses_to_start_with_a_broken_file(tmp_path):
    path = _broken(tmp_path, lambda raw: raw["routing"][0].update(department="nowhere"))
    env = {
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "PORTAL_CLASSIFICATION_FILE": str(path),
        "PATH": "",
    }
    result = run_portal(env, "migrate")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"portal: configuration error: {path}: routing #1.department: must be one of "
    )


@pytest.mark.parametrize(
    ("key", "value", "lang", "shown"),
    [
        ("purchase_date", "2026-03-14", "de", ("Kaufdatum", "14. März 2026")),
        ("purchase_date", "2026-03-14", "en", ("Purchase date", "March 14, 2026")),
        ("purchase_date", "not a date", "de", ("Kaufdatum", "not a date")),
        ("device_serial", "KV2000-88341", "en", ("Device serial number", "KV2000-88341")),
    ],
)
def test_field_text_writes_dates_as_the_language_does(key, value, lang, shown):
    assert load_classification().field_text(key, value, lang) == shown

"""Routing rules: first match wins, priority from the rule or from the urgency."""

import pytest

from tracking.classification import Routing, load_classification


@pytest.fixture(scope="module")
def c():
    return load_classification()


def case(**values):
    return {
        "type": "question",
        "product": "no_product",
        "urgency": "normal",
        "channel": "email",
        "customer_type": "b2c",
        **values,
    }


def test_default_goes_to_first_level_customer_service(c):
    assert c.route(case()) == Routing(1, "customer_service", "normal")


def test_data_protection_goes_to_privacy_office_with_high_priority(c):
    assert c.route(case(type="data_protection", urgency="low")) == Routing(2, "privacy", "high")


def test_critical_technical_problem_goes_to_third_level(c):
    assert c.route(
        case(type="technical_problem", urgency="critical", product="kettles_kitchen")
    ) == Routing(3, "technical_support", "urgent")


def test_technical_problem_with_smart_device_goes_to_second_level(c):
    assert c.route(case(type="technical_problem", product="vacuum_robots")) == Routing(
        2, "technical_support", "normal"
    )
    assert c.route(case(type="technical_problem", product="furniture_accessories")) == Routing(
        1, "technical_support", "normal"
    )


def test_business_customers_have_their_own_desk_and_priority_follows_urgency(c):
    assert c.route(case(type="return_exchange", customer_type="b2b", urgency="high")) == Routing(
        2, "business", "high"
    )


def test_sla_rules(c):
    assert c.sla_hours(case(urgency="critical")) == (2, 16)
    assert c.sla_hours(case(channel="letter")) == (24, 80)
    assert c.sla_hours(case()) == (8, 40)

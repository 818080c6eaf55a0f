"""The opening hours pages show come from the configuration files, in the page's language."""

from __future__ import annotations

from datetime import time

from portal.dates import hours_text
from tracking.callbacks.slots import load_slot_config
from tracking.classification import load_classification


def test_days_with_equal_hours_are_joined():
    nine_five = (time(9), time(17))
    hours = {0: nine_five, 1: nine_five, 2: nine_five, 4: (time(9), time(15)), 5: nine_five}
    assert hours_text(hours, "de") == (
        "Mo.–Mi. 09:00–17:00 Uhr, Fr. 09:00–15:00 Uhr, Sa. 09:00–17:00 Uhr"
    )
    assert hours_text(hours, "en") == "Mon–Wed 09:00–17:00, Fri 09:00–15:00, Sat 09:00–17:00"


def test_the_shipped_files_give_the_footer_its_hours():
    service = load_classification().business_hours.hours
    callbacks = load_slot_config().hours
    assert hours_text(service, "de") == "Mo.–Fr. 08:00–18:00 Uhr, Sa. 09:00–14:00 Uhr"
    assert hours_text(service, "en") == "Mon–Fri 08:00–18:00, Sat 09:00–14:00"
    assert hours_text(callbacks, "de") == "Mo.–Do. 09:00–17:00 Uhr, Fr. 09:00–15:00 Uhr"

"""Every text box a customer writes in is one the refused-form page shows back
(portal.errors.WRITTEN), so a new form cannot quietly lose its text on an expired page."""

from __future__ import annotations

import re
from pathlib import Path

from portal.errors import WRITTEN

TEMPLATES = Path(__file__).parents[3] / "portal" / "templates"


def test_every_customer_text_box_is_shown_back_after_a_refusal():
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        if path.parts[-2] == "demo":  # the demo back office, not the customer's portal
            continue
        text = path.read_text()
        names |= set(re.findall(r'f\.textarea\("([\w.]+)"', text))
        names |= set(re.findall(r'<textarea[^>]*\bname="([\w.]+)"', text))
    assert names and names <= set(WRITTEN)

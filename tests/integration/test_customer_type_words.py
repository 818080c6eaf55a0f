"""The customer types read as a pair of the same kind in each language: neutral nouns, not a
gendered pair beside a masculine one (German), and the same words in the form, its review and
the business-only field's error."""

from __future__ import annotations

import re
from html import unescape

from support.case_form import STEP1, STEP2, STEP3, fill, post_step, start


def radio_labels(html: str, name: str) -> list[str]:
    ids = re.findall(
        rf'<input[^>]*name="{name}"[^>]*id="([^"]+)"|<input[^>]*id="([^"]+)"[^>]*name="{name}"',
        html,
    )
    found = [a or b for a, b in ids]
    return [
        unescape(re.search(rf'<label for="{i}"[^>]*>([^<]*)</label>', html).group(1)).strip()
        for i in found
    ]


async def test_german_and_english_name_both_customer_types_alike(client):
    german = (await client.get("/case/new")).text
    assert radio_labels(german, "customer_type") == ["Privatperson", "Unternehmen"]
    english = (await client.get("/case/new", headers={"accept-language": "en"})).text
    assert radio_labels(english, "customer_type") == ["Private individual", "Business"]


async def test_a_business_without_company_hears_the_same_word(client):
    _, token = await start(client)
    await post_step(client, 1, token, {**STEP1, "customer_type": "b2b"})
    await post_step(client, 2, token, STEP2)
    response = await post_step(client, 3, token, STEP3)
    assert "Von Unternehmen brauchen wir diese Angabe." in unescape(response.text)
    review, _ = await fill(client)
    assert "Privatperson" in unescape(review.text)

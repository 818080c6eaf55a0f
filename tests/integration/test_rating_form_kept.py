"""A refused rating goes back to its form by redirect (post/redirect/get): a reload does not
ask to send it again, and what was typed stays. The mailed link may be opened on a phone
without a session: the redirect keeps the link's signature, and the kept form its session."""

from __future__ import annotations

from support.ratings import post_rating, resolved_case, shown_again

TYPED = {"solved": "no", "effort": "4", "comment": "Kam zu spät, aber freundlich."}


async def test_the_mailed_link_on_a_device_without_a_session(client):
    tid, link = await resolved_case(client)
    client.cookies.clear()  # another device: only the link grants the page
    page = shown_again(await post_rating(client, link, TYPED))
    assert f"/rate/{tid}?" in str(page.url) and "sig=" in str(page.url)
    assert "Bitte wähle, wie zufrieden du bist." in page.text
    assert 'value="no" checked' in page.text and 'value="4" checked' in page.text
    assert "Kam zu spät, aber freundlich.</textarea>" in page.text

    again = await client.get(str(page.url))  # a reload: what was typed, the errors once
    assert again.status_code == 200
    assert "Kam zu spät, aber freundlich.</textarea>" in again.text
    assert "Bitte wähle, wie zufrieden du bist." not in again.text


async def test_sent_at_last_the_form_is_not_kept(client):
    tid, link = await resolved_case(client)
    shown_again(await post_rating(client, link, TYPED))
    thanks = await post_rating(client, link, {**TYPED, "satisfaction": "2"})
    assert thanks.status_code == 200 and not thanks.history
    form = await client.get(f"/rate/{tid}")
    assert 'value="2" checked' in form.text, "the stored rating, not the refused form"
    assert "Bitte wähle" not in form.text

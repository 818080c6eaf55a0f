"""The status page's forms never lose what was typed: an over-long text is refused and shown
back whole (not cut), a refused form comes back at GET /track/<ID> (post/redirect/get, so a
reload sends nothing), and the same reply sent twice is stored once."""

from __future__ import annotations

import re
from html import unescape

from support.backoffice import back_office
from support.cases import file_case
from support.client import csrf_token, on_app
from tracking.customer import MAX_REASON, MAX_TEXT
from tracking.models import CaseEvent

LONG = ("Das Gerät zeigt nach dem Entkalken den Fehler E4, der Tank ist voll. " * 80)[
    : MAX_TEXT + 321
]


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, f"no {name} box"
    return unescape(found.group(1))


async def send(client, tid: str, action: str, fields: dict, files=()) -> object:
    page = await client.get(f"/track/{tid}")
    parts = [(k, (None, v)) for k, v in {**fields, "_csrf_token": csrf_token(page.text)}.items()]
    parts += [("files", (name, content, "application/octet-stream")) for name, content in files]
    return await client.post(f"/track/{tid}/{action}", files=parts, follow_redirects=False)


async def replies(client, tid: str) -> list[str]:
    return await on_app(
        client,
        lambda: CaseEvent.filter(case__tracking_id=tid, kind="customer_reply").values_list(
            "data", flat=True
        ),
    )


async def test_an_over_long_reply_is_refused_and_shown_back_whole(client):
    tid = await file_case(client, form=True)
    refused = await send(client, tid, "reply", {"text": LONG})
    assert refused.status_code == 303
    assert refused.headers["location"] == f"/track/{tid}#reply"
    page = await client.get(f"/track/{tid}")
    assert textarea(page.text, "text") == LONG
    assert f"Dieser Text hat {len(LONG)} Zeichen, {MAX_TEXT} passen hinein." in page.text
    assert await replies(client, tid) == []


async def test_the_reply_box_has_a_counter_not_a_cut(client):
    tid = await file_case(client, form=True)
    page = await client.get(f"/track/{tid}")
    box = re.search(r'<textarea[^>]*name="text"[^>]*>', page.text).group(0)
    assert " maxlength=" not in box and f'data-maxlength="{MAX_TEXT}"' in box
    assert 'id="f-text-count"' in page.text


async def test_a_refused_reply_is_shown_at_the_status_page_and_survives_a_reload(client):
    tid = await file_case(client, form=True)
    refused = await send(client, tid, "reply", {"text": "   "})
    assert refused.status_code == 303
    first = await client.get(f"/track/{tid}")
    assert "Bitte schreib etwas oder hänge eine Datei an." in first.text
    long_refused = await send(client, tid, "reply", {"text": LONG})
    assert long_refused.status_code == 303
    await client.get(f"/track/{tid}")
    reload = await client.get(f"/track/{tid}")  # the message once, the text until it is sent
    assert textarea(reload.text, "text") == LONG
    assert "passen hinein" not in reload.text


async def test_a_sent_reply_clears_the_kept_text(client):
    tid = await file_case(client, form=True)
    await send(client, tid, "reply", {"text": LONG})
    sent = await send(client, tid, "reply", {"text": "Fehler E4 nach dem Entkalken."})
    assert sent.status_code == 303 and sent.headers["location"] == f"/track/{tid}#timeline"
    page = await client.get(f"/track/{tid}")
    assert textarea(page.text, "text") == ""


async def test_the_same_reply_sent_twice_is_stored_once_and_the_page_says_so(client):
    tid = await file_case(client, form=True)
    text = "Die Seriennummer ist KV2000-88341."
    assert (await send(client, tid, "reply", {"text": text})).status_code == 303
    again = await send(client, tid, "reply", {"text": text})  # Back, then send once more
    assert again.status_code == 303 and again.headers["location"] == f"/track/{tid}#reply"
    page = await client.get(f"/track/{tid}")
    assert "Du hattest diese Nachricht schon gesendet" in page.text
    assert textarea(page.text, "text") == ""
    assert [r["text"] for r in await replies(client, tid)] == [text]


async def test_the_same_words_after_an_answer_of_the_team_are_a_new_reply(client):
    tid = await file_case(client, form=True)
    await send(client, tid, "reply", {"text": "Gibt es Neuigkeiten?"})
    await back_office(client, tid, {"kind": "reply", "text": "Wir prüfen das noch."})
    assert (await send(client, tid, "reply", {"text": "Gibt es Neuigkeiten?"})).status_code == 303
    assert len(await replies(client, tid)) == 2


async def test_an_over_long_reopen_reason_is_refused_and_shown_back_whole(client):
    tid = await file_case(client, form=True)
    await back_office(client, tid, {"kind": "resolve", "text": "Erledigt."})
    reason = "Fehler E4 bleibt. " * (MAX_REASON // 18) + "Bitte noch einmal ansehen."
    refused = await send(client, tid, "reopen", {"reason": reason})
    assert refused.status_code == 303 and refused.headers["location"].endswith("#reopen")
    page = await client.get(f"/track/{tid}")
    assert textarea(page.text, "reason") == reason
    assert "passen hinein" in page.text


async def test_a_refused_file_keeps_the_text_and_says_what_to_do(client):
    tid = await file_case(client, form=True)
    refused = await send(client, tid, "reply", {"text": "Foto anbei."}, [("leer.png", b"")])
    page = await client.get(refused.headers["location"])
    assert "leer.png ist leer." in page.text
    assert "Es wurde nichts gesendet. Dein Text bleibt erhalten; bitte wähle die Dateien" in (
        page.text
    )
    assert textarea(page.text, "text") == "Foto anbei."
    assert await replies(client, tid) == []

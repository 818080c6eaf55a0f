"""`portal demo-backoffice`: a tiny back office that shows the whole loop on one machine.

It receives the portal's signed webhooks, lists cases through the back-office API and lets a
person reply to and resolve them. It talks to the portal only over HTTP, as a CRM would.
"""

from __future__ import annotations

import hmac
import json
import time
from collections import deque
from dataclasses import dataclass, field
from html import escape

import httpx
from litestar import Litestar, MediaType, Request, Response, get, post
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.response import Redirect

from webhooks.signing import signature

TOLERANCE_SECONDS = 300


@dataclass
class DemoBackoffice:
    """What the demo knows: where the portal is, its API client and its webhook secrets."""

    portal_url: str
    client_id: str
    client_secret: str
    webhook_secrets: list[str]
    inbox: deque = field(default_factory=lambda: deque(maxlen=50))
    _token: str = ""
    _expires: float = 0.0

    def verify(self, headers, body: bytes) -> bool:
        """Standard Webhooks: any `v1,` signature by any of our secrets, timestamp recent."""
        webhook_id = headers.get("webhook-id", "")
        try:
            timestamp = int(headers.get("webhook-timestamp", ""))
        except ValueError:
            return False
        if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
            return False
        offered = headers.get("webhook-signature", "").split()
        return any(
            hmac.compare_digest(signature(secret, webhook_id, timestamp, body), candidate)
            for secret in self.webhook_secrets
            for candidate in offered
        )

    async def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.portal_url, timeout=10) as http:
            if time.monotonic() > self._expires:
                grant = await http.post(
                    "/oauth/token",
                    data={"grant_type": "client_credentials"},
                    auth=(self.client_id, self.client_secret),
                )
                grant.raise_for_status()
                self._token = grant.json()["access_token"]
                self._expires = time.monotonic() + grant.json()["expires_in"] - 30
            headers = {"authorization": f"Bearer {self._token}", **kwargs.pop("headers", {})}
            return await http.request(
                method, f"/api/v1/backoffice/cases{path}", headers=headers, **kwargs
            )


def _demo(request: Request) -> DemoBackoffice:
    return request.app.state["demo"]


@post("/webhook", status_code=204)
async def webhook(request: Request) -> None:
    body = await request.body()
    if not _demo(request).verify(request.headers, body):
        raise HTTPException(status_code=401, detail="bad signature")
    event = json.loads(body)
    _demo(request).inbox.appendleft(
        (request.headers["webhook-id"], event.get("type", ""), event.get("data", {}))
    )


@get("/", media_type=MediaType.HTML)
async def index(request: Request) -> str:
    demo = _demo(request)
    listing = await demo.api("GET", "", params={"limit": 200})
    listing.raise_for_status()
    rows = "".join(
        f'<tr><td><a href="/cases/{escape(c["tracking_id"])}">{escape(c["tracking_id"])}</a></td>'
        f"<td>{escape(c['status'])}</td><td>{escape(c['type'])}</td>"
        f"<td>{c['level']} / {escape(c['department'])}</td><td>{escape(c['updated_at'])}</td></tr>"
        for c in reversed(listing.json()["items"])
    )
    events = "".join(
        f"<li><code>{escape(wid)}</code> {escape(kind)} {escape(str(data.get('tracking_id', '')))}</li>"
        for wid, kind, data in demo.inbox
    )
    return _page(
        "Demo back office",
        "<h2>Cases</h2><table><tr><th>Tracking ID</th><th>Status</th><th>Type</th>"
        f"<th>Level / department</th><th>Updated</th></tr>{rows}</table>"
        f"<h2>Webhooks received</h2><ul>{events or '<li>none yet</li>'}</ul>",
    )


@get("/cases/{tracking_id:str}", media_type=MediaType.HTML)
async def case_page(request: Request, tracking_id: str) -> str:
    response = await _demo(request).api("GET", f"/{tracking_id}")
    if response.status_code == 404:
        raise HTTPException(status_code=404, detail="no such case")
    case = response.json()
    timeline = "".join(
        f"<li>{escape(e['created_at'])} <b>{escape(e['kind'])}</b> {escape(str(e['data']))}</li>"
        for e in case["timeline"]
    )
    tid = escape(case["tracking_id"])
    return _page(
        f"Case {tid}",
        f"<p>{escape(case['status'])} · {escape(case['contact']['name'])} "
        f"&lt;{escape(case['contact']['email'])}&gt;</p><blockquote>{escape(case['description'])}"
        f"</blockquote><ol>{timeline}</ol>"
        f'<form method="post" action="/cases/{tid}/reply"><label>Reply<br>'
        '<textarea name="text" rows="4" cols="60" required></textarea></label><br>'
        "<button>Send reply</button></form>"
        f'<form method="post" action="/cases/{tid}/resolve"><label>Closing note '
        '<input name="text"></label> <button>Resolve</button></form>'
        '<p><a href="/">All cases</a></p>',
    )


@post("/cases/{tracking_id:str}/{action:str}")
async def act(request: Request, tracking_id: str, action: str) -> Response:
    kind = {"reply": "reply", "resolve": "resolve"}.get(action)
    if kind is None:
        raise HTTPException(status_code=404, detail="unknown action")
    text = (await request.form()).get("text", "")
    result = await _demo(request).api(
        "POST", f"/{tracking_id}/events", json={"kind": kind, "text": text}
    )
    if result.status_code >= 400:
        return Response(
            _page(
                "Not done",
                f"<p>{escape(result.json().get('detail', result.text))}</p>"
                f'<p><a href="/cases/{escape(tracking_id)}">Back</a></p>',
            ),
            status_code=result.status_code,
            media_type=MediaType.HTML,
        )
    return Redirect(f"/cases/{tracking_id}", status_code=303)


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}"
        "td,th{padding:.2rem .6rem;text-align:left}</style>"
        f"<h1>{title}</h1>{body}</html>"
    )


def create_demo_app(demo: DemoBackoffice) -> Litestar:
    return Litestar(
        route_handlers=[webhook, index, case_page, act],
        state=State({"demo": demo}),
        openapi_config=None,
    )

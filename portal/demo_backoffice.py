"""`portal demo-backoffice`: a tiny back office that shows the whole loop on one machine.

It receives the portal's signed webhooks, lists cases through the back-office API and lets a
person reply to and resolve them. It talks to the portal only over HTTP, as a CRM would.
People copy demo code, so it is protected like the portal (CSRF, security headers) and
speaks German and English.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from litestar import Litestar, Request, Response, get, post
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.template.config import TemplateConfig

from portal import i18n
from portal.controllers.pages import switch_language
from portal.i18n import gettext_ as _
from portal.middleware import add_security_headers, language
from portal.settings import Settings
from portal.templating import configure_environment
from webhooks.signing import signature

TOLERANCE_SECONDS = 300
TEMPLATES = Path(__file__).parent / "templates"


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


@get("/")
async def index(request: Request) -> Template:
    demo = _demo(request)
    listing = await demo.api("GET", "", params={"limit": 200})
    listing.raise_for_status()
    context = {
        "title": _("Cases and webhooks"),
        "cases": list(reversed(listing.json()["items"])),
        "inbox": list(demo.inbox),
    }
    return Template("index.html", context=context)


@get("/cases/{tracking_id:str}")
async def case_page(request: Request, tracking_id: str) -> Template:
    response = await _demo(request).api("GET", f"/{tracking_id}")
    if response.status_code == 404:
        raise HTTPException(status_code=404, detail="no such case")
    case = response.json()
    context = {"title": _("Case %(id)s", id=case["tracking_id"]), "case": case}
    return Template("case.html", context=context)


@post("/cases/{tracking_id:str}/{action:str}")
async def act(request: Request, tracking_id: str, action: str) -> Response | Template:
    kind = {"reply": "reply", "resolve": "resolve"}.get(action)
    if kind is None:
        raise HTTPException(status_code=404, detail="unknown action")
    text = (await request.form()).get("text", "")
    result = await _demo(request).api(
        "POST", f"/{tracking_id}/events", json={"kind": kind, "text": text}
    )
    if result.status_code >= 400:
        context = {
            "title": _("Not done"),
            "detail": result.json().get("detail", result.text),
            "tracking_id": tracking_id,
            "text": text,
        }
        return Template("not_done.html", context=context, status_code=result.status_code)
    return Redirect(f"/cases/{tracking_id}", status_code=303)


STYLE = (
    "body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}"
    "header{display:flex;justify-content:space-between;align-items:center}"
    "td,th{padding:.2rem .6rem;text-align:left}table{border-collapse:collapse}"
    ".text{white-space:pre-wrap}label{display:block;margin-top:1rem}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1rem;margin:.3rem 0 .8rem}"
    "dt{font-weight:bold}dd{margin:0}"
    "textarea,input{width:100%;max-width:40rem;box-sizing:border-box}"
)


@get("/demo.css", media_type="text/css")
async def stylesheet() -> str:
    """Styles as a file: the security headers' CSP allows no inline styles."""
    return STYLE


def create_demo_app(demo: DemoBackoffice, settings: Settings) -> Litestar:
    """Protected like the portal: CSRF tokens on forms, the same security headers."""
    i18n.load_catalogs()
    return Litestar(
        route_handlers=[webhook, index, case_page, act, stylesheet, switch_language],
        state=State({"demo": demo}),
        template_config=TemplateConfig(
            # its own pages first, then the portal's partials (the language switch)
            directory=[TEMPLATES / "demo", TEMPLATES],
            engine=JinjaTemplateEngine,
            engine_callback=lambda engine: configure_environment(engine.engine, settings),
        ),
        csrf_config=CSRFConfig(
            secret=secrets.token_urlsafe(32),
            cookie_name="demo_csrf",
            cookie_samesite="strict",
            exclude=["/webhook"],
        ),
        middleware=[language(settings.default_language)],
        before_send=[add_security_headers],
        openapi_config=None,
    )

"""The portal's two server-side sessions, each declared once, with its lifetime from the
settings: `portal_case` (the case form's draft and the cases a browser may see) and
`portal_reports` (who signed in to the report pages).

Both run on Litestar's public session API: its `SessionMiddleware` with a backend of ours,
a `ServerSideSessionBackend` whose public methods are overridden. The backend differs from
Litestar's in three ways:

- A session is created only when there is something to store: Litestar would store an
  empty one, and set its cookie, for every visitor of the case form or the sign-in form.
  An empty session ends one the browser still names.
- An unchanged session is neither stored nor sent again while it was renewed within the
  last thirtieth of its lifetime (a day for 30 days): a customer reloading the status page
  costs no store write and no cookie header.
- `new_id(request)` stores the session under a fresh id at the end of this request and
  drops the old one (sign-in: an id planted before it, session fixation, is worthless).

`tests/integration/test_session_middleware.py` checks each of these through the real app, so
a Litestar upgrade that changes what they rely on fails there.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware import DefineMiddleware
from litestar.middleware.session import SessionMiddleware
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Empty, Message, ScopeSession

from portal.settings import Settings

RENEW_SHARE = 1 / 30
RENEWED = "_renewed"  # in the session: [when it was last stored, for how long]
_LOADED = "portal_session_loaded"  # in the request's state: the session as read
_NEW_ID = "portal_session_new_id"  # in the request's state: store under this id


class PortalSessionBackend(ServerSideSessionBackend):
    """Server-side sessions stored only when needed, under a fresh id on request."""

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        if session_id := connection.cookies.get(self.config.key):
            store = self.config.get_store_from_app(connection.app)
            data = await self.get(session_id, store=store)
            if data is not None:
                connection.state[_LOADED] = data
                return self.deserialize_data(data)
        return {}

    def get_session_id(self, connection: ASGIConnection) -> str:
        return connection.state.get(_NEW_ID) or super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        loaded = connection.state.get(_LOADED)
        if scope_session is Empty or not scope_session:
            if connection.cookies.get(self.config.key, "null") == "null":
                return  # nothing to store and no session named: no session, no cookie
            scope_session = Empty  # ends the stored session and the browser's cookie
        else:
            max_age = self.config.max_age
            if (
                loaded is not None
                and _NEW_ID not in connection.state
                and _renewed_for(scope_session.get(RENEWED), max_age * RENEW_SHARE, max_age)
                and self.serialize_data(scope_session, connection.scope) == loaded
            ):
                return
            scope_session[RENEWED] = [int(time.time()), max_age]
        if _NEW_ID in connection.state and (old := connection.cookies.get(self.config.key)):
            await self.delete(old, store=self.config.get_store_from_app(connection.app))
        await super().store_in_message(scope_session, message, connection)


def new_id(connection: ASGIConnection) -> None:
    """Store this request's session under a fresh id and drop the old one (at sign-in)."""
    connection.state[_NEW_ID] = secrets.token_hex(32)  # as many bytes as Litestar's ids


def _renewed_for(stamp: Any, within: float, max_age: int) -> bool:
    return (
        isinstance(stamp, list)
        and len(stamp) == 2
        and stamp[1] == max_age
        and isinstance(stamp[0], int)
        and time.time() - stamp[0] < within
    )


def _middleware(config: ServerSideSessionConfig) -> DefineMiddleware:
    return DefineMiddleware(SessionMiddleware, backend=PortalSessionBackend(config=config))


def case_session(settings: Settings) -> DefineMiddleware:
    """`portal_case`: the case form's draft and the cases this browser filed or opened, on
    every page under /case and /track (store `case_drafts`)."""
    return _middleware(
        ServerSideSessionConfig(
            key="portal_case",
            max_age=settings.case_session_days * 24 * 3600,
            secure=bool(settings.secure_cookies),
            httponly=True,
            samesite="lax",
            store="case_drafts",
        )
    )


def report_session(settings: Settings) -> DefineMiddleware:
    """`portal_reports`: who signed in to the report pages, seen only by /reports."""
    return _middleware(
        ServerSideSessionConfig(
            key="portal_reports",
            max_age=settings.report_session_hours * 3600,
            path="/reports",
            secure=bool(settings.secure_cookies),
            httponly=True,
            samesite="strict",
            store="report_sessions",
        )
    )

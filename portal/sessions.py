"""Server-side sessions that are created only when there is something to store, and written
only when they change or are due for renewal.

Litestar stores a server-side session and sends its cookie again on every response. For a
customer reloading the status page nothing changed: storing costs a read, a comparison and a
cookie header per view, a fifth of serving the page. This backend skips both while the session
is unchanged and was renewed, for this same `max_age`, within the last thirtieth of it (a day
for a 30-day session); the cookie and the stored session still last `max_age` from that
renewal. (The case form and the status pages share one cookie with different lifetimes.)
"""

from __future__ import annotations

import time
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Empty, Message, ScopeSession

RENEW_SHARE = 1 / 30
RENEWED = "_renewed"  # in the session: [when it was last stored, for how long]
_LOADED = "portal.session_loaded"  # in the ASGI scope: the session as read


class QuietSessionBackend(ServerSideSessionBackend):
    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        if session_id := connection.cookies.get(self.config.key):
            store = self.config.get_store_from_app(connection.scope["app"])
            data = await self.get(session_id, store=store)
            if data is not None:
                connection.scope[_LOADED] = data  # type: ignore[typeddict-unknown-key]
                return self.deserialize_data(data)
        return {}

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        loaded = connection.scope.get(_LOADED)
        if scope_session is not Empty and not scope_session and loaded is None:
            return  # nothing to store and nothing stored: no session, no cookie
        if scope_session is not Empty and scope_session:
            max_age = self.config.max_age
            if (
                loaded is not None
                and _renewed_for(scope_session.get(RENEWED), max_age * RENEW_SHARE, max_age)
                and self.serialize_data(scope_session, connection.scope) == loaded
            ):
                return
            scope_session[RENEWED] = [int(time.time()), max_age]
        await super().store_in_message(scope_session, message, connection)


def _renewed_for(stamp: Any, within: float, max_age: int) -> bool:
    return (
        isinstance(stamp, list)
        and len(stamp) == 2
        and stamp[1] == max_age
        and isinstance(stamp[0], int)
        and time.time() - stamp[0] < within
    )


class QuietSessionConfig(ServerSideSessionConfig):
    _backend_class = QuietSessionBackend

"""When the database connection is lost mid-transaction (restart, failover, a terminated
backend), and what to do about it: the transaction did not commit (or, rarely, committed
without our hearing of it), so an idempotent use case may simply run once more."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
from asyncpg.exceptions import AdminShutdownError, CannotConnectNowError
from tortoise.exceptions import DBConnectionError

log = logging.getLogger("tracking.db")
T = TypeVar("T")

#: What asyncpg and Tortoise raise when a connection dies under a request: the connection
#: errors themselves, and the misuse errors a half-closed pooled connection raises next
#: (a rollback on a closed connection, "another operation is in progress").
CONNECTION_LOST: tuple[type[BaseException], ...] = (
    ConnectionError,
    DBConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    AdminShutdownError,
    CannotConnectNowError,
)


async def once_more_if_disconnected(work: Callable[[], Awaitable[T]], what: str) -> T:
    """Run `work`; if the connection was lost, once more on a fresh one. `work` must be
    idempotent (a submission key, a unique constraint) in case the first commit landed."""
    try:
        return await work()
    except CONNECTION_LOST as exc:
        log.warning("database connection lost while %s (%s), trying once more", what, exc)
        return await work()

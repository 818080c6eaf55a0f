"""Per-key limits by name (guessing a case's email, link mails, sign-ins), on the `limits` library.

Each hit increments its counter atomically before anything is checked, so concurrent
requests cannot all slip under a limit: in Redis (INCR with expiry) when PORTAL_REDIS_URL is
set, otherwise in the database (one INSERT ... ON CONFLICT statement), which every portal
process shares. Request rates per client that two routers share (searches, new cases) are
Litestar rate-limit middleware configs, declared at the end of this module.
"""

from __future__ import annotations

import hashlib
import time

from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter
from litestar.middleware.rate_limit import RateLimitConfig
from tortoise import connections

from portal.models import RateCounter
from portal.settings import Settings

#: Every per-key limit, by name. A lookup is counted per tracking ID and client, and per
#: tracking ID alone with a much higher ceiling, so a stranger cannot lock the owner out.
LIMITS: dict[str, RateLimitItem] = {
    "track.lookup": parse("5/15 minutes"),
    "track.lookup.id": parse("100/15 minutes"),
    "track.resend": parse("3/hour"),
    "reports.sign_in": parse("10/15 minutes"),
    "oauth.token": parse("20/minute"),  # failed client authentications per address
    "faq.gap": parse("1/day"),  # a search without answer counts once per client and day
}

PURGE_SECONDS = 600.0
#: Keys `firsts_in_window` remembers per process.
REMEMBERED = 10_000
#: Counters per statement of `DatabaseStorage.incr_many` (3 parameters each; SQLite allows
#: 32,766 per statement).
COUNTERS_PER_STATEMENT = 500

_UPSERT = """
INSERT INTO portal_rate_counter (key, hits, expires_at) VALUES {rows}
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN portal_rate_counter.expires_at <= {now} THEN excluded.hits
              ELSE portal_rate_counter.hits + excluded.hits END,
  expires_at = CASE WHEN portal_rate_counter.expires_at <= {now} THEN excluded.expires_at
                    ELSE portal_rate_counter.expires_at END
RETURNING key, hits, expires_at
"""


def _upsert(rows: int, postgres: bool) -> str:
    """The counting statement for `rows` counters; the time comes last (used twice)."""
    sign = "$" if postgres else "?"  # numbered: the time is used twice
    marks = [f"{sign}{n}" for n in range(1, 3 * rows + 2)]
    values = ", ".join(
        f"({marks[3 * i]}, {marks[3 * i + 1]}, {marks[3 * i + 2]})" for i in range(rows)
    )
    return _UPSERT.format(rows=values, now=marks[-1])


class DatabaseStorage(Storage):
    """A `limits` storage in the portal's database, for deployments without Redis."""

    STORAGE_SCHEME = ["portal+database"]

    def __init__(self, uri: str | None = None, **options) -> None:
        super().__init__(uri, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return (OSError,)

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return (await self.incr_many([key], expiry, amount))[key][0]

    async def incr_many(
        self, keys: list[str], expiry: int, amount: int = 1
    ) -> dict[str, tuple[int, float]]:
        """`incr` for several distinct keys in one statement (per 500): each key's count and
        the end of its window."""
        connection = connections.get("default")
        postgres = _is_postgres(connection)
        counted: dict[str, tuple[int, float]] = {}
        for start in range(0, len(keys), COUNTERS_PER_STATEMENT):
            chunk = keys[start : start + COUNTERS_PER_STATEMENT]
            now = time.time()
            values = [v for key in chunk for v in (key, amount, now + expiry)]
            rows = await connection.execute_query_dict(
                _upsert(len(chunk), postgres), [*values, now]
            )
            counted.update({r["key"]: (int(r["hits"]), float(r["expires_at"])) for r in rows})
        return counted

    async def get(self, key: str) -> int:
        row = await RateCounter.filter(key=key, expires_at__gt=time.time()).first()
        return row.hits if row else 0

    async def get_expiry(self, key: str) -> float:
        row = await RateCounter.filter(key=key).first()
        return row.expires_at if row else time.time()

    async def check(self) -> bool:
        return True

    async def reset(self) -> int | None:
        return await RateCounter.all().delete()

    async def clear(self, key: str) -> None:
        await RateCounter.filter(key=key).delete()

    async def purge(self) -> None:
        await RateCounter.filter(expires_at__lte=time.time()).delete()


def _key(keys: tuple[str, ...]) -> str:
    """Fixed length, and no email address or query stored in clear."""
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()[:40]


def _is_postgres(connection) -> bool:
    return connection.capabilities.dialect == "postgres"


class RateLimits:
    """The named limits of this process; `hit` counts and says whether the request may go on."""

    def __init__(self, settings: Settings) -> None:
        self.storage: Storage
        if settings.redis_url:
            self.storage = RedisStorage(
                settings.redis_url,
                implementation="redispy",
                key_prefix=f"{settings.redis_namespace}:limits",
            )
        else:
            self.storage = DatabaseStorage()
        self._limiter = FixedWindowRateLimiter(self.storage)
        self._counted: dict[tuple[str, str], float] = {}  # see firsts_in_window

    async def hit(self, name: str, *keys: str) -> bool:
        """Count one attempt for these keys; False once the limit is used up."""
        return await self._limiter.hit(LIMITS[name], name, _key(keys))

    async def firsts_in_window(
        self, name: str, keys: list[tuple[str, ...]]
    ) -> set[tuple[str, ...]]:
        """Of these distinct keys of a limit of one per window, those counted now for the first
        time in their window (by any process). Counted together, in one round trip to the
        database (per 500); a key this process has counted before in its window costs none."""
        item, now = LIMITS[name], time.time()
        named = {_key(keys_): keys_ for keys_ in keys}
        fresh = {h: k for h, k in named.items() if self._counted.get((name, h), 0.0) <= now}
        if not fresh:
            return set()
        storage_keys = {item.key_for(name, hashed): hashed for hashed in fresh}
        if isinstance(self.storage, DatabaseStorage):
            counted = await self.storage.incr_many(list(storage_keys), item.get_expiry())
        else:
            counted = {}
            for storage_key, hashed in storage_keys.items():
                hits = await self.storage.incr(storage_key, item.get_expiry())
                ends = now + item.get_expiry()
                if hits > item.amount:  # counted by another process: its window may end sooner
                    ends = (await self._limiter.get_window_stats(item, name, hashed)).reset_time
                counted[storage_key] = (hits, ends)
        firsts = set()
        for storage_key, (hits, ends) in counted.items():
            hashed = storage_keys[storage_key]
            if hits <= item.amount:
                firsts.add(fresh[hashed])
            self._counted.pop((name, hashed), None)
            self._counted[(name, hashed)] = ends
        while len(self._counted) > REMEMBERED:
            del self._counted[next(iter(self._counted))]
        return firsts

    async def used_up(self, name: str, *keys: str) -> bool:
        """Whether the limit is used up, without counting (for limits that count failures)."""
        return not await self._limiter.test(LIMITS[name], name, _key(keys))

    async def check(self) -> bool:
        """Whether the counters' storage answers (a ping for Redis)."""
        return await self.storage.check()

    async def purge_expired(self) -> None:
        """Database counters of ended windows are deleted (Redis keys expire by themselves)."""
        if isinstance(self.storage, DatabaseStorage):
            await self.storage.purge()


def submit_rate_limit(settings: Settings) -> RateLimitConfig:
    """New cases per client and hour, shared by the form and the API."""
    return RateLimitConfig(
        rate_limit=("hour", settings.case_rate_limit),
        check_throttle_handler=lambda request: (
            request.route_handler.name in ("case_submit", "api_case_create")
        ),
        store="case_submissions",
        set_rate_limit_headers=False,
    )


def search_rate_limit(settings: Settings) -> RateLimitConfig:
    """Searches per client and minute, the search page and the search API together."""
    return RateLimitConfig(
        rate_limit=("minute", settings.search_rate_limit), set_rate_limit_headers=True
    )

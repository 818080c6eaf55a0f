"""Where sessions, rate-limit counters and other short-lived web state live.

Every portal process must see the same state, or a second process would forget a session
or let a rate limit be sidestepped. With PORTAL_REDIS_URL it is Redis (several machines);
otherwise files in the data directory, shared by every process on the machine (and by
machines that mount the same data directory).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
import zlib
from datetime import timedelta
from pathlib import Path

from litestar.stores.base import StorageObject, Store
from litestar.stores.file import FileStore
from litestar.stores.registry import StoreRegistry

from portal.settings import Settings

log = logging.getLogger("portal.stores")

PURGE_SECONDS = 600.0


class LocalFileStore(FileStore):
    """Litestar's FileStore without a worker thread per operation.

    Rate limits and sessions read and write one small file per request; on a local disk
    that takes microseconds, far less than the three thread hand-offs FileStore makes.
    """

    #: Entries read lately: an unchanged file is not read again (a stat is cheaper than
    #: open, read and close).
    RECENT = 1024

    def __init__(self, path, **kwargs) -> None:
        super().__init__(path, **kwargs)
        self._recent: dict[str, tuple[tuple[int, int, int], StorageObject]] = {}

    async def _load_from_path(self, path) -> StorageObject | None:
        """Every write replaces the file (a new inode), so an unchanged stat means unchanged data."""
        name = os.fspath(path)
        try:
            info = os.stat(name)
            stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
            known = self._recent.get(name)
            if known is not None and known[0] == stamp:
                return known[1]
            with open(name, "rb", buffering=0) as file:  # noqa: ASYNC230 - microseconds
                found = StorageObject.from_bytes(file.readall())
        except FileNotFoundError:
            return None
        self._remember(name, found, stamp)
        return found

    async def _write(self, target_file, storage_obj: StorageObject) -> None:
        self._write_sync(Path(target_file), storage_obj)

    async def set(self, key: str, value: str | bytes, expires_in=None) -> None:
        """Unchanged data whose expiry would move only a little is not written again.

        Litestar stores a server-side session again on every response to renew it; without
        this every status page view would rewrite its session file.
        """
        data = value.encode() if isinstance(value, str) else value
        path = Path(self._path_from_key(key))
        fresh = StorageObject.new(data, expires_in)
        if fresh.expires_at is not None:
            current = await self._load_from_path(path)  # a stat when this process knows it
            if (
                current is not None
                and current.data == data
                and current.expires_at is not None
                and timedelta() <= fresh.expires_at - current.expires_at < _slack(expires_in)
            ):
                return
        self._write_sync(path, fresh)

    def _remember(self, name: str, stored: StorageObject, stamp: tuple[int, int, int]) -> None:
        self._recent.pop(name, None)
        self._recent[name] = (stamp, stored)
        if len(self._recent) > self.RECENT:
            del self._recent[next(iter(self._recent))]

    async def delete(self, key: str) -> None:
        Path(self._path_from_key(key)).unlink(missing_ok=True)


class CounterFileStore(LocalFileStore):
    """For rate-limit counters, which are written on every counted request.

    Replacing a file (new file, rename) makes ext4 flush it: about 0.25 ms, more than a
    whole FAQ search. A counter is instead overwritten in place behind a length and a
    checksum; a read that meets a half-written file sees no counter, which at worst
    forgives one request. Sessions keep the atomic replace.
    """

    _HEADER = struct.Struct("<II")  # payload length, CRC-32

    async def _load_from_path(self, path) -> StorageObject | None:
        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            return None
        if len(raw) < self._HEADER.size:
            return None
        length, crc = self._HEADER.unpack_from(raw)
        payload = raw[self._HEADER.size : self._HEADER.size + length]
        if len(payload) != length or zlib.crc32(payload) != crc:
            return None
        return StorageObject.from_bytes(payload)

    def _write_sync(self, target_file: Path, storage_obj: StorageObject) -> None:
        payload = storage_obj.to_bytes()
        blob = self._HEADER.pack(len(payload), zlib.crc32(payload)) + payload
        try:
            fd = os.open(target_file, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.pwrite(fd, blob, 0)
            finally:
                os.close(fd)
        except OSError:  # like Litestar's FileStore: a counter that cannot be kept is dropped
            log.warning("could not write a rate-limit counter in %s", self.path)


#: Stores of counters that may be forgiven (rate limits); the rest (sessions) must not tear.
COUNTER_STORES = frozenset({"rate_limit", "track_rate_limit", "case_submissions"})


def _slack(expires_in: int | timedelta) -> timedelta:
    """How far a renewal may lag: 1 % of the lifetime, at most an hour."""
    ttl = expires_in if isinstance(expires_in, timedelta) else timedelta(seconds=expires_in)
    return min(ttl / 100, timedelta(hours=1))


class SharedStores:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.made: list[Store] = []
        self._redis = None
        if settings.redis_url:
            from litestar.stores.redis import RedisStore

            self._redis = RedisStore.with_client(
                url=settings.redis_url, namespace=settings.redis_namespace
            )

    def make(self, name: str) -> Store:
        store: Store
        if self._redis is not None:
            store = self._redis.with_namespace(name)
        else:
            path = self.settings.data_dir / "stores" / name
            path.mkdir(parents=True, exist_ok=True)
            kind = CounterFileStore if name in COUNTER_STORES else LocalFileStore
            store = kind(path)
        self.made.append(store)
        return store

    def registry(self) -> StoreRegistry:
        return StoreRegistry(default_factory=self.make)

    async def purge_forever(self) -> None:
        """Files do not expire by themselves (Redis keys do)."""
        while True:
            await asyncio.sleep(PURGE_SECONDS)
            for store in list(self.made):
                if isinstance(store, FileStore):
                    try:
                        await store.delete_expired()
                    except OSError:
                        log.warning("purging %s failed", store.path, exc_info=True)

    async def close(self) -> None:
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis._redis.aclose()

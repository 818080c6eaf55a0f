"""Where sessions, rate-limit counters and other short-lived web state live.

Every portal process must see the same state, or a second process would forget a session
or let a rate limit be sidestepped. With PORTAL_REDIS_URL it is Redis (several machines);
otherwise files in the data directory, shared by every process on the machine (and by
machines that mount the same data directory).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import struct
import zlib
from datetime import timedelta
from pathlib import Path
from tempfile import mkstemp

from litestar.stores.base import NamespacedStore, StorageObject, Store
from litestar.stores.registry import StoreRegistry

from portal.settings import Settings

log = logging.getLogger("portal.stores")

PURGE_SECONDS = 600.0


class LocalFileStore(NamespacedStore):
    """One file per key, shared by every process that sees the directory; no worker threads.

    Our own store on Litestar's public `Store` interface. Files are named and filled as
    Litestar's FileStore does it (BLAKE2s of the key, `StorageObject` bytes), so sessions
    written before stay valid. Sessions and rate limits read and write one small file per
    request: on a local disk microseconds, far less than a hand-off to a thread.
    """

    #: Entries read lately: an unchanged file is not read again (a stat is cheaper than
    #: open, read and close).
    RECENT = 1024

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._recent: dict[str, tuple[tuple[int, int, int], StorageObject]] = {}

    def with_namespace(self, namespace: str) -> LocalFileStore:
        if not namespace.isalnum():
            raise ValueError(f"Invalid namespace: {namespace!r}")
        return type(self)(self.path / namespace)

    def path_for(self, key: str) -> Path:
        return self.path / hashlib.blake2s(key.encode()).hexdigest()

    async def set(self, key: str, value: str | bytes, expires_in=None) -> None:
        """Unchanged data whose expiry would move only a little is not written again.

        Litestar stores a server-side session again on every response to renew it; without
        this every status page view would rewrite its session file.
        """
        data = value.encode() if isinstance(value, str) else value
        path = self.path_for(key)
        fresh = StorageObject.new(data, expires_in)
        if fresh.expires_at is not None:
            current = self._read(path)  # a stat when this process knows it
            if (
                current is not None
                and current.data == data
                and current.expires_at is not None
                and timedelta() <= fresh.expires_at - current.expires_at < _slack(expires_in)
            ):
                return
        self._write(path, fresh)

    async def get(self, key: str, renew_for=None) -> bytes | None:
        path = self.path_for(key)
        stored = self._read(path)
        if stored is None:
            return None
        if stored.expired:
            path.unlink(missing_ok=True)
            return None
        if renew_for and stored.expires_at:
            await self.set(key, stored.data, expires_in=renew_for)
        return stored.data

    async def delete(self, key: str) -> None:
        self.path_for(key).unlink(missing_ok=True)

    async def delete_all(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)

    async def delete_expired(self) -> None:
        """Files do not expire by themselves: the purge job calls this."""
        for file in self.path.iterdir():
            if ".tmp" in file.name:  # being written
                continue
            stored = self._read(file)
            if stored is not None and stored.expired:
                file.unlink(missing_ok=True)

    async def exists(self, key: str) -> bool:
        return self.path_for(key).exists()

    async def expires_in(self, key: str) -> int | None:
        stored = self._read(self.path_for(key))
        return stored.expires_in if stored is not None else None

    # -- the files -----------------------------------------------------------------------

    def _read(self, path: Path) -> StorageObject | None:
        """Every write replaces the file (a new inode): an unchanged stat is unchanged data."""
        name = os.fspath(path)
        try:
            info = os.stat(name)
            stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
            known = self._recent.get(name)
            if known is not None and known[0] == stamp:
                return known[1]
            with open(name, "rb", buffering=0) as file:
                found = StorageObject.from_bytes(file.readall())
        except FileNotFoundError:
            return None
        self._remember(name, found, stamp)
        return found

    def _write(self, path: Path, stored: StorageObject) -> None:
        """Write aside, then rename: a reader sees the old or the new file, never half."""
        try:
            fd, temporary = mkstemp(dir=self.path, prefix=f"{path.name}.tmp")
            try:
                try:
                    os.write(fd, stored.to_bytes())
                finally:
                    os.close(fd)
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:  # as Litestar's FileStore: an entry that cannot be kept is dropped
            log.debug("could not write an entry in %s", self.path, exc_info=True)

    def _remember(self, name: str, stored: StorageObject, stamp: tuple[int, int, int]) -> None:
        self._recent.pop(name, None)
        self._recent[name] = (stamp, stored)
        if len(self._recent) > self.RECENT:
            del self._recent[next(iter(self._recent))]


class CounterFileStore(LocalFileStore):
    """For rate-limit counters, which are written on every counted request.

    Replacing a file (new file, rename) makes ext4 flush it: about 0.25 ms, more than a
    whole FAQ search. A counter is instead overwritten in place behind a length and a
    checksum; a read that meets a half-written file sees no counter, which at worst
    forgives one request. Sessions keep the atomic replace.
    """

    _HEADER = struct.Struct("<II")  # payload length, CRC-32

    def _read(self, path: Path) -> StorageObject | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        if len(raw) < self._HEADER.size:
            return None
        length, crc = self._HEADER.unpack_from(raw)
        payload = raw[self._HEADER.size : self._HEADER.size + length]
        if len(payload) != length or zlib.crc32(payload) != crc:
            return None
        return StorageObject.from_bytes(payload)

    def _write(self, path: Path, stored: StorageObject) -> None:
        payload = stored.to_bytes()
        blob = self._HEADER.pack(len(payload), zlib.crc32(payload)) + payload
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.pwrite(fd, blob, 0)
            finally:
                os.close(fd)
        except OSError:  # a counter that cannot be kept is dropped
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
        self._client = self._redis_root = None
        if settings.redis_url:
            from litestar.stores.redis import RedisStore
            from redis.asyncio import Redis

            # our own client, so that we can close it without reaching into the store
            self._client = Redis.from_url(settings.redis_url, decode_responses=False)
            self._redis_root = RedisStore(self._client, namespace=settings.redis_namespace)

    def make(self, name: str) -> Store:
        store: Store
        if self._redis_root is not None:
            store = self._redis_root.with_namespace(name)
        else:
            path = self.settings.data_dir / "stores" / name
            path.mkdir(parents=True, exist_ok=True)
            kind = CounterFileStore if name in COUNTER_STORES else LocalFileStore
            store = kind(path)
        self.made.append(store)
        return store

    def registry(self) -> StoreRegistry:
        return StoreRegistry(default_factory=self.make)

    async def purge_expired(self) -> None:
        """Files do not expire by themselves (Redis keys do)."""
        for store in list(self.made):
            if isinstance(store, LocalFileStore):
                try:
                    await store.delete_expired()
                except OSError:
                    log.warning("purging %s failed", store.path, exc_info=True)

    async def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()

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
import resource
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
        self._names: dict[str, str] = {}  # key -> file name, see _name

    def with_namespace(self, namespace: str) -> LocalFileStore:
        if not namespace.isalnum():
            raise ValueError(f"Invalid namespace: {namespace!r}")
        return type(self)(self.path / namespace)

    def path_for(self, key: str) -> Path:
        return Path(self._name(key))

    def _name(self, key: str) -> str:
        """The file of a key, remembered: hashing and joining paths cost more than a read."""
        name = self._names.get(key)
        if name is None:
            if len(self._names) >= self.RECENT:
                self._names.clear()
            name = self._names[key] = os.path.join(
                self.path, hashlib.blake2s(key.encode()).hexdigest()
            )
        return name

    async def set(self, key: str, value: str | bytes, expires_in=None) -> None:
        """Unchanged data whose expiry would move only a little is not written again.

        Litestar stores a server-side session again on every response to renew it; without
        this every status page view would rewrite its session file.
        """
        data = value.encode() if isinstance(value, str) else value
        path = self._name(key)
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
        path = self._name(key)
        stored = self._read(path)
        if stored is None:
            return None
        if stored.expired:
            self._unlink(path)
            return None
        if renew_for and stored.expires_at:
            await self.set(key, stored.data, expires_in=renew_for)
        return stored.data

    async def delete(self, key: str) -> None:
        self._unlink(self._name(key))

    async def delete_all(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)

    async def delete_expired(self) -> None:
        """Files do not expire by themselves: the purge job calls this."""
        for file in self.path.iterdir():
            if ".tmp" in file.name:  # being written
                continue
            stored = self._read(os.fspath(file))
            if stored is not None and stored.expired:
                self._unlink(os.fspath(file))

    async def exists(self, key: str) -> bool:
        return os.path.exists(self._name(key))

    async def expires_in(self, key: str) -> int | None:
        stored = self._read(self._name(key))
        return stored.expires_in if stored is not None else None

    # -- the files -----------------------------------------------------------------------

    def _read(self, name: str) -> StorageObject | None:
        """Every write replaces the file (a new inode): an unchanged stat is unchanged data."""
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

    def _write(self, path: str, stored: StorageObject) -> None:
        """Write aside, then rename: a reader sees the old or the new file, never half."""
        try:
            fd, temporary = mkstemp(dir=self.path, prefix=f"{os.path.basename(path)}.tmp")
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

    def _unlink(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)

    def _remember(self, name: str, stored: StorageObject, stamp: tuple[int, int, int]) -> None:
        self._recent.pop(name, None)
        self._recent[name] = (stamp, stored)
        if len(self._recent) > self.RECENT:
            del self._recent[next(iter(self._recent))]


def _open_files_allowed(most: int, share: int) -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return most if soft == resource.RLIM_INFINITY else max(1, min(most, soft // share))


class CounterFileStore(LocalFileStore):
    """For rate-limit counters, which are written on every counted request.

    Replacing a file (new file, rename) makes ext4 flush it: about 0.25 ms, more than a
    whole FAQ search. A counter is instead overwritten in place behind a length and a
    checksum; a read that meets a half-written file sees no counter, which at worst
    forgives one request. Sessions keep the atomic replace.
    """

    _HEADER = struct.Struct("<II")  # payload length, CRC-32
    #: Counter files kept open: a counted request reads and writes its client's counter,
    #: and opening and closing the file each time cost more than the reading and writing.
    #: At most an eighth of the process's descriptors, so that sockets never run short.
    OPEN_FILES = _open_files_allowed(4096, 8)

    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        self._open: dict[str, int] = {}  # file name -> descriptor, oldest first

    async def set(self, key: str, value: str | bytes, expires_in=None) -> None:
        """Written every time: a counter changes on every counted request, so comparing
        with what the file holds would only read it once more."""
        data = value.encode() if isinstance(value, str) else value
        self._write(self._name(key), StorageObject.new(data, expires_in))

    def _read(self, path: str) -> StorageObject | None:
        opened = self._file(path, create=False)
        if opened is None:
            return None
        raw = os.pread(opened[0], opened[1], 0)
        if len(raw) < self._HEADER.size:
            return None
        length, crc = self._HEADER.unpack_from(raw)
        payload = raw[self._HEADER.size : self._HEADER.size + length]
        if len(payload) != length or zlib.crc32(payload) != crc:
            return None
        return StorageObject.from_bytes(payload)

    def _write(self, path: str, stored: StorageObject) -> None:
        payload = stored.to_bytes()
        blob = self._HEADER.pack(len(payload), zlib.crc32(payload)) + payload
        try:
            opened = self._file(path, create=True)
            if opened is not None:
                os.pwrite(opened[0], blob, 0)
        except OSError:  # a counter that cannot be kept is dropped
            log.warning("could not write a rate-limit counter in %s", self.path)

    def _file(self, name: str, create: bool) -> tuple[int, int] | None:
        """An open descriptor of the counter's file and the file's size; None if there is
        no such file (and ``create`` is false).

        A descriptor kept open still points to the file after another process deleted it
        (an expired counter purged, `delete`) and maybe made a new one under the name: a
        file without links is opened again, so every process counts in the same file.
        """
        fd = self._open.get(name)
        if fd is not None:
            info = os.fstat(fd)
            if info.st_nlink:
                return fd, info.st_size
            self._close(name)
        try:
            fd = os.open(name, os.O_RDWR | (os.O_CREAT if create else 0), 0o600)
        except FileNotFoundError:
            return None
        self._open[name] = fd
        if len(self._open) > self.OPEN_FILES:
            self._close(next(iter(self._open)))
        return fd, os.fstat(fd).st_size

    def _close(self, name: str) -> None:
        fd = self._open.pop(name, None)
        if fd is not None:
            os.close(fd)

    def _unlink(self, name: str) -> None:
        self._close(name)
        super()._unlink(name)

    def close(self) -> None:
        """Close the counter files this process keeps open."""
        for name in list(self._open):
            self._close(name)


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
        for store in self.made:
            if isinstance(store, CounterFileStore):
                store.close()
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()

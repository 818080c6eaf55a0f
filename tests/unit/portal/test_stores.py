"""The file store renews a session without rewriting its file on every page view."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from portal.stores import LocalFileStore


def _stamp(store: LocalFileStore, key: str) -> int:
    return os.stat(store.path_for(key)).st_mtime_ns


def _backdate(store: LocalFileStore, key: str) -> None:
    path = store.path_for(key)
    os.utime(path, ns=(1, 1))


async def test_unchanged_data_is_not_written_again(tmp_path):
    store = LocalFileStore(tmp_path)
    await store.set("s", b"cases", expires_in=30 * 86400)
    _backdate(store, "s")
    await store.set("s", b"cases", expires_in=30 * 86400)
    assert _stamp(store, "s") == 1  # skipped
    assert await store.get("s") == b"cases"


async def test_changed_data_or_a_much_later_expiry_is_written(tmp_path):
    store = LocalFileStore(tmp_path)
    await store.set("s", b"cases", expires_in=30 * 86400)
    _backdate(store, "s")
    await store.set("s", b"more cases", expires_in=30 * 86400)
    assert _stamp(store, "s") != 1 and await store.get("s") == b"more cases"
    _backdate(store, "s")
    await store.set("s", b"more cases", expires_in=timedelta(days=31))  # a day later: renew
    assert _stamp(store, "s") != 1
    assert 30 * 86400 < await store.expires_in("s") <= 31 * 86400


async def test_a_shorter_expiry_is_always_written(tmp_path):
    store = LocalFileStore(tmp_path)
    await store.set("limit", b"1", expires_in=3600)
    await store.set("limit", b"1", expires_in=60)
    assert await store.expires_in("limit") <= 60


async def test_a_counter_is_overwritten_in_place_and_read_back(tmp_path):
    from portal.stores import CounterFileStore

    store = CounterFileStore(tmp_path)
    await store.set("ip", b"x" * 500, expires_in=60)
    await store.set("ip", b"2", expires_in=60)  # shorter than what the file held
    assert await store.get("ip") == b"2"
    assert await store.expires_in("ip") <= 60


async def test_a_half_written_counter_reads_as_none(tmp_path):
    from portal.stores import CounterFileStore

    store = CounterFileStore(tmp_path)
    await store.set("ip", b"17", expires_in=60)
    path = Path(store.path_for("ip"))
    raw = path.read_bytes()
    path.write_bytes(raw[:-3])  # what a reader could meet mid-write
    assert await store.get("ip") is None
    path.write_bytes(raw[:8] + b"garbage" + raw[15:])  # same length, wrong checksum
    assert await store.get("ip") is None


async def test_a_session_another_process_replaced_or_deleted_is_read_again(tmp_path):
    mine, other = LocalFileStore(tmp_path), LocalFileStore(tmp_path)  # two processes
    await mine.set("s", b"one", expires_in=3600)
    assert await mine.get("s") == b"one"
    await other.set("s", b"two", expires_in=3600)  # same size: only the new inode tells
    assert await mine.get("s") == b"two"
    await other.delete("s")
    assert await mine.get("s") is None
    await mine.set("s", b"two", expires_in=3600)  # what it remembered is no reason to skip
    assert await other.get("s") == b"two"


async def test_a_counter_another_process_deleted_and_made_again_is_shared(tmp_path):
    from portal.stores import CounterFileStore

    mine, other = CounterFileStore(tmp_path), CounterFileStore(tmp_path)  # two processes
    await mine.set("ip", b"1", expires_in=60)
    assert await other.get("ip") == b"1"  # both now keep the file open
    await other.delete("ip")
    assert await mine.get("ip") is None
    await other.set("ip", b"2", expires_in=60)  # a new file under the same name
    assert await mine.get("ip") == b"2"
    await mine.set("ip", b"3", expires_in=60)
    assert await other.get("ip") == b"3"


async def test_only_so_many_counter_files_stay_open(tmp_path):
    from portal.stores import CounterFileStore

    store = CounterFileStore(tmp_path)
    store.OPEN_FILES = 3
    for n in range(5):
        await store.set(f"ip{n}", str(n).encode(), expires_in=60)
    opened = len(os.listdir(f"/proc/{os.getpid()}/fd"))
    assert [await store.get(f"ip{n}") for n in range(5)] == [b"0", b"1", b"2", b"3", b"4"]
    assert len(os.listdir(f"/proc/{os.getpid()}/fd")) == opened
    store.close()
    assert len(os.listdir(f"/proc/{os.getpid()}/fd")) == opened - 3

"""What the portal's own stores take from Litestar: the `Store` interface, the file names and
`StorageObject` bytes of its FileStore, and how its session and rate-limit middleware call a
store. A Litestar upgrade that changes any of it fails here rather than in production."""

from __future__ import annotations

import inspect
from pathlib import Path

from litestar import Request, get
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.middleware.session.server_side import ServerSideSessionConfig
from litestar.stores.base import NamespacedStore
from litestar.stores.file import FileStore
from litestar.testing import create_test_client

from portal.stores import CounterFileStore, LocalFileStore


def test_our_stores_implement_litestars_store_interface_with_its_signatures() -> None:
    for kind in (LocalFileStore, CounterFileStore):
        assert not kind.__abstractmethods__, (
            f"Litestar's Store wants more: {kind.__abstractmethods__}"
        )
    for name in NamespacedStore.__abstractmethods__:
        theirs = inspect.signature(getattr(NamespacedStore, name)).parameters
        ours = inspect.signature(getattr(LocalFileStore, name)).parameters
        assert list(ours) == list(theirs), name


async def test_files_are_named_and_filled_as_litestars_file_store_does(tmp_path: Path) -> None:
    """Sessions written by earlier versions (Litestar's FileStore underneath) stay valid."""
    theirs, ours = FileStore(tmp_path), LocalFileStore(tmp_path)
    await theirs.set("session-a", b"written by Litestar", expires_in=3600)
    assert await ours.get("session-a") == b"written by Litestar"
    await ours.set("session-b", b"written by the portal", expires_in=3600)
    assert await theirs.get("session-b") == b"written by the portal"
    assert 3500 < await theirs.expires_in("session-b") <= 3600


@get("/put", sync_to_thread=False)
def put(request: Request) -> None:
    request.set_session({"case": "K-1"})


@get("/read", sync_to_thread=False)
def read(request: Request) -> dict:
    return dict(request.session)


def test_litestars_session_middleware_keeps_sessions_in_our_store(tmp_path: Path) -> None:
    with create_test_client(
        [put, read],
        middleware=[ServerSideSessionConfig().middleware],
        stores={"sessions": LocalFileStore(tmp_path)},
    ) as client:
        client.get("/put")
        assert client.get("/read").json() == {"case": "K-1"}
    assert len(list(tmp_path.iterdir())) == 1


@get("/ping", sync_to_thread=False)
def ping() -> str:
    return "pong"


def test_litestars_rate_limit_middleware_counts_in_our_counter_store(tmp_path: Path) -> None:
    with create_test_client(
        [ping],
        middleware=[RateLimitConfig(rate_limit=("minute", 2)).middleware],
        stores={"rate_limit": CounterFileStore(tmp_path)},
    ) as client:
        assert [client.get("/ping").status_code for _ in range(3)] == [200, 200, 429]
    assert len(list(tmp_path.iterdir())) == 1

"""CPU ms per request of the whole portal app, called in-process over ASGI: no server, no
wrk, no sockets, so on a shared machine steadier than `http_load.py`; optionally where the
time goes (cProfile).

Usage (from the repo root):
    .venv/bin/python bench/asgi_cpu.py [--kind api|distinct|page] [--n 3000] [--profile 40]

`api`: the search API with one query (answered from the result cache), `distinct`: the search
API with distinct queries (bench/distinct_queries.py), `page`: a cached FAQ article page.
Requests come from 4,000 client addresses, as in `http_load.py`, each within the rate limit.
The demo FAQ on SQLite in a temporary data directory; 500 requests of other queries first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import pathlib
import pstats
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlencode

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from distinct_queries import distinct_queries  # noqa: E402

WARM_UP = 500


async def call(app, path: str, query: str, client: str) -> int:
    """One GET through the app; the response's status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"accept", b"*/*")],
        "client": (client, 1234),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"]


@contextlib.asynccontextmanager
async def running(app):
    """The app's lifespan (database, index, background jobs) around the measurement."""
    inbox: asyncio.Queue = asyncio.Queue()
    outbox: asyncio.Queue = asyncio.Queue()
    task = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, outbox.put)
    )
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    if started["type"] != "lifespan.startup.complete":
        raise RuntimeError(started)
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task


async def measure(args: argparse.Namespace) -> None:
    from portal.app import create_app
    from portal.settings import Settings

    queries = distinct_queries(args.n + WARM_UP)
    app = create_app(Settings.from_env())

    def request(i: int):
        client = f"10.0.{(i // 250) % 16}.{i % 250 + 1}"
        if args.kind == "page":
            return call(app, "/faq/de/ruecksendung-kostenlos", "", client)
        if args.kind == "api":
            return call(app, "/api/v1/faq/search", "lang=de&q=rechnung+kopie", client)
        q, lang, _ = queries[i % len(queries)]
        return call(
            app, "/api/v1/faq/search", urlencode({"lang": lang, "q": q}) + "&limit=10", client
        )

    async with running(app):
        for i in range(args.n, args.n + WARM_UP):
            status = await request(i)
        if status != 200:
            raise RuntimeError(f"status {status}")
        profile = cProfile.Profile() if args.profile else None
        start = time.process_time()
        if profile:
            profile.enable()
        for i in range(args.n):
            await request(i)
        if profile:
            profile.disable()
        used = time.process_time() - start
    print(f"{args.kind}: {used * 1000 / args.n:.3f} CPU ms per request ({args.n} requests)")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("api", "distinct", "page"), default="api")
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="portal-asgi-cpu-")
    os.environ.update(PORTAL_DATA_DIR=data, PORTAL_LOG_LEVEL="WARNING")
    subprocess.run([sys.executable, "-m", "portal", "migrate"], check=True, cwd=ROOT)
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()

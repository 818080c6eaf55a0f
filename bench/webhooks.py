"""Webhook delivery: throughput of one worker and commit-to-receipt latency on an idle queue.

Usage (from the repo root):
    .venv/bin/python bench/webhooks.py [--events 3000] [--cases 300] [--samples 200]
    PORTAL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/webhooks.py

The receiver is a minimal asyncio HTTP/1.1 server in its own process that answers 204 and
records each webhook id with its arrival time. Targets: >= 300 events/s, p99 < 250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise.transactions import in_transaction  # noqa: E402

from portal.db import close_database, open_database  # noqa: E402
from portal.settings import Settings  # noqa: E402
from webhooks import outbox, subscriptions  # noqa: E402
from webhooks.models import DELIVERED, OutboxEvent  # noqa: E402
from webhooks.worker import DeliveryWorker  # noqa: E402

RECEIVER = r"""
import asyncio, sys, time
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length, wid = 0, b""
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"webhook-id":
                    wid = value.strip()
            await reader.readexactly(length)
            sys.stdout.write(f"{wid.decode()} {time.time()}\n"); sys.stdout.flush()
            writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]))
    print("ready", flush=True)
    await server.serve_forever()
asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receipts:
    def __init__(self, proc: subprocess.Popen) -> None:
        self.times: dict[str, float] = {}
        self.count = 0
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            wid, _, at = line.strip().partition(" ")
            self.times.setdefault(wid, float(at))
            self.count += 1


async def main(args: argparse.Namespace) -> None:
    tmp = tempfile.mkdtemp(prefix="bench-webhooks-")
    env = {
        "PORTAL_DATA_DIR": tmp,
        "PORTAL_SECRET_KEY": "b" * 40,
        "PORTAL_WORKER_IN_PROCESS": "false",
    }
    if os.environ.get("PORTAL_DATABASE_URL"):
        env["PORTAL_DATABASE_URL"] = os.environ["PORTAL_DATABASE_URL"]
    settings = Settings.from_env(env)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", RECEIVER, str(port)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    receipts = Receipts(proc)
    await open_database(settings)
    try:
        await subscriptions.add_subscription(f"http://127.0.0.1:{port}/hook")
        db = settings.database_url.split(":", 1)[0]

        # Throughput: a backlog of events spread over cases, drained by one worker.
        for start in range(0, args.events, 500):
            async with in_transaction():
                for n in range(start, min(start + 500, args.events)):
                    await outbox.enqueue("case.updated", {"n": n}, case_key=f"K-{n % args.cases}")
        worker = DeliveryWorker(poll_seconds=0.05)
        began = time.perf_counter()
        await worker.drain()
        elapsed = time.perf_counter() - began
        delivered = await OutboxEvent.filter(status=DELIVERED).count()
        print(f"database: {db}")
        print(
            f"throughput: {delivered} events over {args.cases} cases in {elapsed:.2f} s "
            f"= {delivered / elapsed:.0f} events/s (one worker)"
        )

        # Latency: one event at a time on an idle queue, worker polling as in the portal.
        stop = asyncio.Event()
        task = asyncio.create_task(DeliveryWorker.from_settings(settings).run(stop))
        await asyncio.sleep(0.5)
        latencies = []
        for n in range(args.samples):
            async with in_transaction():
                await outbox.enqueue("case.created", {"n": n}, case_key=f"L-{n}")
            committed = time.time()
            row = await OutboxEvent.filter(case_key=f"L-{n}").first()
            while row.webhook_id not in receipts.times:
                await asyncio.sleep(0.001)
            latencies.append((receipts.times[row.webhook_id] - committed) * 1000)
            await asyncio.sleep(random.uniform(0.02, 0.1))
        stop.set()
        await task
        latencies.sort()
        p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
        print(
            f"commit->receipt latency over {len(latencies)} events: "
            f"p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms"
        )
    finally:
        await close_database()
        proc.kill()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--samples", type=int, default=200)
    asyncio.run(main(parser.parse_args()))

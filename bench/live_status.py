"""Live status: back-office API call -> SSE event latency, and many open status pages.

Usage (from the repo root):
    .venv/bin/python bench/live_status.py [--samples 100] [--subscribers 1000]
    PORTAL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/live_status.py

Starts one `portal serve` process, files a case through the form (which gives this client
access to the status page), then
1. latency: one open page; a reply through the back-office API, timed from sending the
   request to the event arriving at the page (target p99 < 100 ms);
2. many pages: N open SSE connections to the case (one client), the server's resident
   memory before and after (target growth < 200 MB), and the time until every page has
   received one reply.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.case_form import fill, submit, tracking_id  # noqa: E402
from support.served import api_token, portal_process  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_pid(port: int) -> int:
    out = subprocess.run(
        ["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True
    ).stdout
    return int(out.split("pid=")[1].split(",")[0])


async def next_event(lines) -> int:
    async for line in lines:
        if line.startswith("id:"):
            return int(line[3:])
    raise RuntimeError("stream ended")


async def run(args, env: dict[str, str]) -> None:
    with portal_process(env) as base:
        pid = server_pid(int(base.rsplit(":", 1)[1]))
        auth = {"authorization": f"Bearer {await asyncio.to_thread(api_token, env, base)}"}
        limits = httpx.Limits(max_connections=args.subscribers + 10, max_keepalive_connections=20)
        async with httpx.AsyncClient(
            base_url=base, follow_redirects=True, timeout=60, limits=limits
        ) as web:
            review, csrf = await fill(web)
            tid = tracking_id((await submit(web, review.text, csrf)).text)
            url = f"/api/v1/backoffice/cases/{tid}/events"

            async def reply(n: int) -> None:
                response = await web.post(
                    url, json={"kind": "reply", "text": f"Antwort {n}"}, headers=auth
                )
                assert response.status_code == 200, response.text

            latencies = []
            async with web.stream("GET", f"/track/{tid}/events") as live:
                lines = live.aiter_lines()
                await asyncio.sleep(0.3)
                for n in range(args.samples):
                    started = time.perf_counter()
                    waiter = asyncio.create_task(next_event(lines))
                    await reply(n)
                    await waiter
                    latencies.append((time.perf_counter() - started) * 1000)
                    await asyncio.sleep(0.02)
            latencies.sort()
            p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
            print(
                f"API call -> SSE event, {args.samples} samples: p50 {statistics.median(latencies):.1f} ms, "
                f"p99 {p(0.99):.1f} ms, max {latencies[-1]:.1f} ms"
            )

            before = rss_mb(pid)
            streams = []
            for _ in range(args.subscribers):
                cm = web.stream("GET", f"/track/{tid}/events")
                response = await cm.__aenter__()
                streams.append((cm, response.aiter_lines()))
            await asyncio.sleep(1.0)
            during = rss_mb(pid)
            started = time.perf_counter()
            waiters = [asyncio.create_task(next_event(lines)) for _, lines in streams]
            await reply(-1)
            await asyncio.gather(*waiters)
            fan_out = (time.perf_counter() - started) * 1000
            print(
                f"{args.subscribers} open status pages: server RSS {before:.0f} MB -> {during:.0f} MB "
                f"(+{during - before:.0f} MB); one reply reached all of them in {fan_out:.0f} ms"
            )
            for cm, _ in streams:
                await cm.__aexit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--subscribers", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PORTAL_DATA_DIR": tmp,
            "PORTAL_SECRET_KEY": "bench-secret-key-" + "x" * 32,
            "PORTAL_LOG_LEVEL": "WARNING",
            "PORTAL_CASE_RATE_LIMIT": "1000",
        }
        if os.environ.get("PORTAL_DATABASE_URL"):
            env["PORTAL_DATABASE_URL"] = os.environ["PORTAL_DATABASE_URL"]
        engine = "PostgreSQL" if "postgres" in env.get("PORTAL_DATABASE_URL", "") else "SQLite"
        print(f"live status bench on {engine}, one portal process")
        asyncio.run(run(args, env))


if __name__ == "__main__":
    main()

"""A `portal worker` process killed with SIGKILL mid-delivery loses nothing on restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import defaultdict

from tortoise.transactions import in_transaction

from support.webhooks import subscribe, until
from webhooks import outbox
from webhooks.models import DELIVERED, OutboxEvent

CASES, PER_CASE = 10, 4


def _start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "portal", "worker"],
        env={
            **os.environ,
            **env,
            "PORTAL_WEBHOOK_LEASE_SECONDS": "2",
            "PORTAL_WEBHOOK_TIMEOUT": "1",
            "PORTAL_WEBHOOK_RETRY_SCHEDULE": "0.1,0.1,0.1,0.1,0.1",
            "PORTAL_WEBHOOK_POLL_SECONDS": "0.05",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_sigkilled_worker_loses_nothing(db, env, receiver) -> None:
    await subscribe(receiver)
    receiver.delay = 0.2  # every delivery is in flight for a while
    for n in range(CASES * PER_CASE):
        case = f"K-{n % CASES}"
        async with in_transaction():
            await outbox.enqueue("case.updated", {"case": case, "seq": n // CASES}, case_key=case)

    first = _start_worker(env)
    try:
        await until(lambda: len(receiver.requests) >= 5, timeout=30)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    leased = await OutboxEvent.filter(lease__isnull=False, status="pending").count()
    assert leased > 0, "the worker was not killed mid-delivery"

    second = _start_worker(env)
    try:
        await until(
            lambda: len({r.webhook_id for r in receiver.accepted}) == CASES * PER_CASE, timeout=30
        )
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=15) == 0, second.stderr.read()

    assert receiver.rejected == []
    assert await OutboxEvent.filter(status=DELIVERED).count() == CASES * PER_CASE
    first_seen: dict[str, list[int]] = defaultdict(list)
    seen: set[str] = set()
    for request in receiver.accepted:  # a redelivery after the kill repeats a webhook id
        if request.webhook_id not in seen:
            seen.add(request.webhook_id)
            data = request.payload["data"]
            first_seen[data["case"]].append(data["seq"])
    assert all(seqs == list(range(PER_CASE)) for seqs in first_seen.values())

"""Several `portal worker` processes drain one outbox: every event once, each case in order.

On PostgreSQL 4 workers drain 10,000 events (rows claimed with FOR UPDATE SKIP LOCKED); on
SQLite, where writes are serialised, 2 workers drain 2,000 (a conditional claim).
PORTAL_TEST_SCALE_EVENTS overrides the number of events.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter, defaultdict

import pytest
from tortoise.transactions import in_transaction

from support.environment import PG_URL
from support.webhooks import subscribe, until
from webhooks import outbox
from webhooks.models import DELIVERED, OutboxEvent

WORKERS = 4 if PG_URL else 2
EVENTS = int(os.environ.get("PORTAL_TEST_SCALE_EVENTS", "10000" if PG_URL else "2000"))
PER_CASE = 20


# a load test (10,000 events / 1,000 cases): 23–44 s alone, several times that beside
# the other xdist worker on 2 cores; the timeout only guards against a hang
@pytest.mark.timeout(400)
async def test_workers_deliver_each_event_once_and_in_case_order(
    db, env, receiver, tmp_path
) -> None:
    await subscribe(receiver)
    cases = EVENTS // PER_CASE
    for start in range(0, EVENTS, 500):
        async with in_transaction():
            for n in range(start, min(start + 500, EVENTS)):
                case = f"K-{n % cases:05d}"
                await outbox.enqueue(
                    "case.updated", {"case": case, "seq": n // cases}, case_key=case
                )

    logs = [(tmp_path / f"worker-{i}.log").open("w+") for i in range(WORKERS)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "portal", "worker"],
            env={
                **os.environ,
                **env,
                "PORTAL_WEBHOOK_POLL_SECONDS": "0.05",
                "PORTAL_WEBHOOK_TIMEOUT": "5",
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    try:
        await until(lambda: len(receiver.accepted) >= EVENTS, timeout=240)
        await until(lambda: all(w.poll() is None for w in workers), timeout=1)
    finally:
        for w in workers:
            w.terminate()
        codes = [w.wait(timeout=20) for w in workers]
    for log in logs:
        log.seek(0)
    assert codes == [0] * WORKERS, [log.read()[-2000:] for log in logs]

    assert receiver.rejected == []
    per_id = Counter(request.webhook_id for request in receiver.accepted)
    assert len(per_id) == EVENTS and set(per_id.values()) == {1}, "an event was delivered twice"
    by_case: dict[str, list[int]] = defaultdict(list)
    for request in receiver.accepted:
        data = request.payload["data"]
        by_case[data["case"]].append(data["seq"])
    assert len(by_case) == cases
    assert all(seqs == list(range(PER_CASE)) for seqs in by_case.values()), "a case was reordered"
    assert await OutboxEvent.filter(status=DELIVERED).count() == EVENTS

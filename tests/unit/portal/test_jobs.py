"""Background jobs: a failing round does not end a job, and stopping never hangs."""

from __future__ import annotations

import asyncio
import time

from portal.jobs import BackgroundJobs


async def test_a_failing_round_is_retried_in_the_next_round() -> None:
    rounds: list[int] = []
    third = asyncio.Event()

    async def job() -> None:
        rounds.append(len(rounds) + 1)
        if len(rounds) == 1:
            raise RuntimeError("the database went away")
        if len(rounds) == 3:
            third.set()

    jobs = BackgroundJobs()
    jobs.every(0.01, job)
    await asyncio.wait_for(third.wait(), 5)
    await jobs.stop(1.0)
    assert rounds[:3] == [1, 2, 3]


async def test_at_start_runs_the_first_round_at_once_otherwise_after_the_interval() -> None:
    ran: list[str] = []
    started = asyncio.Event()

    async def early() -> None:
        ran.append("early")
        started.set()

    async def late() -> None:
        ran.append("late")

    jobs = BackgroundJobs()
    jobs.every(3600, late)
    jobs.every(3600, early, at_start=True)
    await asyncio.wait_for(started.wait(), 5)
    await jobs.stop(1.0)
    assert ran == ["early"]


async def test_stop_waits_only_so_long_for_a_job_that_does_not_end() -> None:
    release = asyncio.Event()
    ended = asyncio.Event()

    async def stubborn() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            await release.wait()  # e.g. a call on a database that does not answer
        ended.set()

    jobs = BackgroundJobs()
    jobs.run(stubborn())
    await asyncio.sleep(0)  # let it start
    began = time.monotonic()
    await jobs.stop(0.2)
    assert time.monotonic() - began < 2
    assert not ended.is_set()
    release.set()
    await asyncio.wait_for(ended.wait(), 5)

"""`/healthz` answers 503 problem+json naming each dependency the process cannot serve without,
and a disk that fills while the portal runs gives a clear 503, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from litestar.testing import AsyncTestClient

from portal.app import create_app
from portal.settings import Settings
from support.case_form import fill, submit
from support.cases import API_CASE
from support.environment import PG_URL, fill_disk


@asynccontextmanager
async def portal(env: dict[str, str], **more: str) -> AsyncIterator[AsyncTestClient]:
    app = create_app(Settings.from_env({**env, **more}))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        yield client


async def unhealthy(client: AsyncTestClient) -> dict:
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


async def test_a_dead_redis(env) -> None:
    async with portal(env, PORTAL_REDIS_URL="redis://127.0.0.1:9/0") as client:
        problem = await unhealthy(client)
    assert problem["detail"] == "redis unavailable"
    assert problem["checks"]["database"] == "ok"


async def test_too_little_free_space(env) -> None:
    async with portal(env, PORTAL_MIN_FREE_MB=str(10**9)) as client:
        problem = await unhealthy(client)
    assert problem["detail"] == "data_dir, attachment_dir unavailable"
    assert problem["checks"]["data_dir"].endswith("MB free, PORTAL_MIN_FREE_MB is 1000000000")


async def test_an_unwritable_attachment_directory(env, tmp_path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the attachment directory should be")
    async with portal(env, PORTAL_ATTACHMENT_DIR=str(blocker)) as client:
        problem = await unhealthy(client)
    assert problem["detail"] == "attachment_dir unavailable"
    assert problem["checks"]["attachment_dir"].startswith("not writable")


@pytest.mark.skipif(bool(PG_URL), reason="the SQLite database lives on the disk that fills")
async def test_a_disk_that_fills_while_running(env, tiny_disk) -> None:
    data = tiny_disk / "data"
    more = {"PORTAL_DATA_DIR": str(data), "PORTAL_DATABASE_URL": f"sqlite://{data / 'db.sqlite3'}"}
    async with portal(env, PORTAL_MIN_FREE_MB="0", **more) as client:
        review, token = await fill(client)
        fill_disk(tiny_disk)
        api = await client.post("/api/v1/cases", json={**API_CASE, "description": "x" * 4000})
        assert api.status_code == 503, api.text
        assert api.headers["content-type"].startswith("application/problem+json")
        page = await submit(client, review.text, token)
        assert page.status_code == 503 and "Es wurde nichts gespeichert" in page.text
        problem = await unhealthy(client)
    assert "data_dir" in problem["detail"]

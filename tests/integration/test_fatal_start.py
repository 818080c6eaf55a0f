"""Whatever stops the portal from serving stops `portal serve` within seconds, with one line
and a non-zero exit, so a supervisor (systemd `Restart=always`) sees it and tries again."""

from __future__ import annotations

import os
import subprocess
import time

from support.cli import run_portal
from support.environment import fill_disk
from support.served import free_port

FATAL_WITHIN = 5.0


def portal(env: dict[str, str], *args: str) -> tuple[subprocess.CompletedProcess, float]:
    begun = time.monotonic()
    result = run_portal({**os.environ, **env}, *args, timeout=20)
    return result, time.monotonic() - begun


def serve(env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    return portal(env, "serve", "--port", str(free_port()))


def assert_refused_in_one_line(result: subprocess.CompletedProcess, seconds: float) -> None:
    assert result.returncode != 0, result.stderr
    assert seconds < FATAL_WITHIN
    assert result.stderr.startswith("portal: ") and result.stderr.strip().count("\n") == 0


def test_a_full_disk_under_an_empty_data_directory(env, tiny_disk) -> None:
    fill_disk(tiny_disk)
    result, seconds = serve({**env, "PORTAL_DATA_DIR": str(tiny_disk / "data")})
    assert_refused_in_one_line(result, seconds)
    assert "No space left on device" in result.stderr


def test_a_full_disk_under_an_existing_database(env, tiny_disk) -> None:
    data = {"PORTAL_DATA_DIR": str(tiny_disk / "data")}
    if "sqlite" in env["PORTAL_DATABASE_URL"]:
        data["PORTAL_DATABASE_URL"] = f"sqlite://{tiny_disk / 'data' / 'portal.sqlite3'}"
    assert portal({**env, **data}, "migrate")[0].returncode == 0
    fill_disk(tiny_disk)
    result, seconds = serve({**env, **data})
    assert_refused_in_one_line(result, seconds)
    assert "data_dir" in result.stderr


def test_too_little_free_space(env) -> None:
    result, seconds = serve({**env, "PORTAL_MIN_FREE_MB": str(10**9)})  # a petabyte
    assert_refused_in_one_line(result, seconds)
    assert "MB free, PORTAL_MIN_FREE_MB is 1000000000" in result.stderr


def test_an_unreachable_redis(env) -> None:
    result, seconds = serve({**env, "PORTAL_REDIS_URL": "redis://:secret@127.0.0.1:9/0"})
    assert_refused_in_one_line(result, seconds)
    assert result.stderr.startswith("portal: Redis unreachable (redis://127.0.0.1:9/0)")
    assert "secret" not in result.stderr

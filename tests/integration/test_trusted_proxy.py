"""Behind a trusted reverse proxy the rate limit counts real clients; otherwise
X-Forwarded-For is ignored, so nobody escapes a limit by inventing addresses."""

from __future__ import annotations

import httpx

from support.served import portal_process


def statuses(base: str, forwarded_for: list[str]) -> list[int]:
    return [
        httpx.get(f"{base}/track/", headers={"x-forwarded-for": ip}, timeout=10).status_code
        for ip in forwarded_for
    ]


def test_forwarded_for_counts_only_from_a_trusted_proxy(env) -> None:
    many = [f"203.0.113.{n}" for n in range(35)]
    with portal_process({**env, "PORTAL_TRUSTED_PROXIES": "127.0.0.1/32"}) as base:
        assert statuses(base, many) == [200] * 35  # 35 customers behind the proxy
        assert statuses(base, ["198.51.100.7"] * 31)[-1] == 429  # one of them, too often
    with portal_process(env) as base:
        assert statuses(base, many)[-5:] == [429] * 5  # invented addresses change nothing

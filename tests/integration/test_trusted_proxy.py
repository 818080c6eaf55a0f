"""Behind a trusted reverse proxy the rate limit counts real clients; otherwise
X-Forwarded-For is ignored, so nobody escapes a limit by inventing addresses."""

from __future__ import annotations

from support.served import lookup_statuses, portal_process


def statuses(base: str, forwarded_for: list[str]) -> list[int]:
    """One tracking lookup per address (400: a mistyped ID; 429: over the limit)."""
    return lookup_statuses([base], forwarded_for)


def test_forwarded_for_counts_only_from_a_trusted_proxy(env) -> None:
    many = [f"203.0.113.{n}" for n in range(35)]
    with portal_process({**env, "PORTAL_TRUSTED_PROXIES": "127.0.0.1/32"}) as base:
        assert statuses(base, many) == [400] * 35  # 35 customers behind the proxy
        assert statuses(base, ["198.51.100.7"] * 31)[-1] == 429  # one of them, too often
    with portal_process(env) as base:
        assert statuses(base, many)[-5:] == [429] * 5  # invented addresses change nothing

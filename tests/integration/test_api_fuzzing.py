"""Schemathesis against the OpenAPI document of every JSON endpoint of a real portal process:
no 500, every response (status, content type, body, headers) as documented.

Short in CI; `PORTAL_TEST_FUZZ_EXAMPLES=500 PORTAL_TEST_FUZZ_SEED=` for a long, random run.
Two checks are left out, for reasons outside the schema's reach:
- positive_data_acceptance: the request types, products and departments are configuration
  (tracking/classification.yaml), so a schema-valid value can still be unknown (422), and a
  reused Idempotency-Key with another body is refused (422) by design;
- allow_header_conformance: Litestar 2 builds the `Allow` header of OPTIONS from the first
  handler registered on a path, so PUT and DELETE on one path list only one of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support.served import api_token, portal_process

EXAMPLES = os.environ.get("PORTAL_TEST_FUZZ_EXAMPLES", "30")
SEED = os.environ.get("PORTAL_TEST_FUZZ_SEED", "20261123")
SCOPES = ["cases:read", "cases:write", "faq:write", "reports:read"]


def test_every_json_endpoint_behaves_as_documented(env) -> None:
    env = {**env, "PORTAL_CASE_RATE_LIMIT": "1000000", "PORTAL_SEARCH_RATE_LIMIT": "1000000"}
    with portal_process(env) as base:
        token = api_token(env, base, SCOPES)
        command = [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{base}/schema/openapi.json",
            "-H",
            f"Authorization: Bearer {token}",
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance,allow_header_conformance",
            "--max-examples",
            EXAMPLES,
            "--workers",
            "1",  # two threads parsing lambdas at once trip CPython 3.11's AST depth check (gh-106905)
            "--no-color",
            "--request-timeout",
            "30",  # a loaded CI machine is slow, not wrong
            *(["--seed", SEED] if SEED else []),
        ]
        run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    # the report's FAILURES or ERRORS section (an error is an exception, e.g. a timeout)
    start = min(
        (i for i in (run.stdout.find("FAILURES"), run.stdout.find("ERRORS")) if i >= 0),
        default=max(len(run.stdout) - 8000, 0),
    )
    assert run.returncode == 0, run.stdout[start:][:8000] + run.stderr[-2000:]


#: Bodies no generator thinks of: nesting past the decoder's recursion limit, broken and
#: truncated JSON, bytes that are not UTF-8, JSON of the wrong shape.
BAD_BODIES = [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"details": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"type":' * 50_000 + b"1" + b"}" * 50_000,
    b"{",
    b'{"type": "repair_warranty",',
    b"\xff\xfe{}",
    b"",
    b"null",
    b"[]",
    b'"text"',
    b'{"type": 1, "details": {"a": {"b": []}}}',
    b"1e999999",
]


async def test_bad_json_of_any_shape_is_a_client_error(client) -> None:
    for body in BAD_BODIES:
        response = await client.post(
            "/api/v1/cases", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code in (400, 422), (body[:40], response.text)
        assert response.headers["content-type"].startswith("application/problem+json")

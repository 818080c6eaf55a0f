"""`portal demo-backoffice`: a case filed on the portal shows up, is answered and resolved."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from tests.conftest import free_port, portal_process
from tests.integration.case_support import API_CASE as CASE


def _wait_for(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = check()
            if result:
                return result
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def test_the_whole_loop_on_one_machine(env) -> None:
    with portal_process(env) as portal:
        port = free_port()
        demo = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "portal",
                "demo-backoffice",
                "--port",
                str(port),
                "--portal-url",
                portal,
            ],
            env={**os.environ, **env, "PORTAL_BASE_URL": portal},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            _wait_for(lambda: httpx.get(demo + "/", timeout=2).status_code == 200)
            tracking_id = httpx.post(f"{portal}/api/v1/cases", json=CASE).json()["tracking_id"]
            page = _wait_for(
                lambda: (
                    (r := httpx.get(demo + "/", timeout=5)) and "case.created" in r.text and r.text
                )
            )
            assert tracking_id in page
            unsigned = httpx.post(demo + "/webhook", json={"type": "case.created", "data": {}})
            assert unsigned.status_code == 401

            reply = httpx.post(
                f"{demo}/cases/{tracking_id}/reply", data={"text": "Bitte schick ihn zurück."}
            )
            assert reply.status_code == 303
            resolve = httpx.post(f"{demo}/cases/{tracking_id}/resolve", data={"text": ""})
            assert resolve.status_code == 303
            detail = httpx.get(f"{demo}/cases/{tracking_id}").text
            assert "Bitte schick ihn zurück." in detail and "resolved" in detail
            again = httpx.post(f"{demo}/cases/{tracking_id}/resolve", data={"text": ""})
            assert again.status_code == 409
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

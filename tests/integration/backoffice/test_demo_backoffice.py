"""`portal demo-backoffice`: a case filed on the portal shows up, is answered and resolved."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from portal.middleware import SECURITY_HEADERS
from support.cases import API_CASE as CASE
from support.client import csrf_token
from support.served import free_port, portal_process, stop


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


@pytest.fixture
def loop(env) -> Iterator[tuple[str, str, str]]:
    """A portal, the demo back office subscribed to it, and a case filed: their URLs and its ID."""
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
            yield portal, demo, tracking_id
        finally:
            stop(proc)


def _act(browser: httpx.Client, tracking_id: str, action: str, text: str) -> httpx.Response:
    """Submit a form of the case page as a browser does, with the page's CSRF token."""
    token = csrf_token(browser.get(f"/cases/{tracking_id}").text)
    return browser.post(f"/cases/{tracking_id}/{action}", data={"text": text, "_csrf_token": token})


def test_the_whole_loop_on_one_machine(loop) -> None:
    _, demo, tracking_id = loop
    page = _wait_for(
        lambda: (r := httpx.get(demo + "/", timeout=5)) and "case.created" in r.text and r.text
    )
    assert tracking_id in page
    unsigned = httpx.post(demo + "/webhook", json={"type": "case.created", "data": {}})
    assert unsigned.status_code == 401

    with httpx.Client(base_url=demo, timeout=10, headers={"accept-language": "en"}) as browser:
        assert _act(browser, tracking_id, "reply", "Bitte schick ihn zurück.").status_code == 303
        assert _act(browser, tracking_id, "resolve", "").status_code == 303
        detail = browser.get(f"/cases/{tracking_id}").text
        again = _act(browser, tracking_id, "resolve", "Noch einmal")
    assert '<dd class="text">Bitte schick ihn zurück.</dd>' in detail
    assert "<strong>Public reply</strong>" in detail and "<strong>Resolved</strong>" in detail
    assert "{&#39;" not in detail and "{'" not in detail  # no Python dicts on the page
    assert again.status_code == 409 and "Noch einmal" in again.text  # nothing typed is lost


def test_a_cross_site_post_is_refused(loop) -> None:
    _, demo, tracking_id = loop
    forged = httpx.post(f"{demo}/cases/{tracking_id}/reply", data={"text": "Klick hier"})
    assert forged.status_code == 403
    assert "Klick hier" not in httpx.get(f"{demo}/cases/{tracking_id}", timeout=10).text


def test_pages_carry_the_security_headers_in_both_languages(loop) -> None:
    _, demo, tracking_id = loop
    german = httpx.get(f"{demo}/cases/{tracking_id}", headers={"accept-language": "de"})
    english = httpx.get(f"{demo}/cases/{tracking_id}", headers={"accept-language": "en"})
    assert '<html lang="de">' in german.text and f"Anfrage {tracking_id}" in german.text
    assert '<html lang="en">' in english.text and f"Case {tracking_id}" in english.text
    for name, value in SECURITY_HEADERS.items():
        assert german.headers[name] == value

"""What one customer typing a question into the FAQ search box costs the server: the live
suggestion requests the page's script sends, and the server's CPU time for them.

Usage (from the repo root): .venv/bin/python bench/typing_cost.py [--rounds 2]

Starts the portal (uvicorn, one process, SQLite, demo FAQ; the search rate limit lifted so
that a slow typist's requests are all answered and counted) and types ~40-character
questions of the demo evaluation set into the search box of /faq in Chromium, key by key,
as a fast typist (~120 ms between keys) and a slow one (~350 ms, and a pause of a second
after some words). Counts the search requests the page sent (and how many of them it
cancelled), and reads the server process's CPU time (/proc/<pid>/stat) before and after
each question; the server's CPU over the same time without typing is measured too and
subtracted (its background jobs), which leaves a noisy figure (the kernel counts in 10 ms
ticks). So the searches the page asked for are also run again in this process afterwards,
on the demo FAQ warmed up with other distinct queries, and their CPU time is summed
("search CPU ms": the search engine alone, without the web layer). Needs Chromium
(/usr/bin/chromium or Playwright's).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from faq_quality import load_eval  # noqa: E402
from http_load import wait_ready  # noqa: E402

from support.chromium import launch_args  # noqa: E402
from support.served import free_port  # noqa: E402

TYPISTS = {"fast": (120, 0.0), "slow": (350, 0.3)}  # ms between keys, share of words then paused


def questions() -> list[tuple[str, str]]:
    """Questions of 35-45 characters from the demo set, up to three per language."""
    items = load_eval(ROOT / "bench" / "faq_eval.yaml")
    out = []
    for lang in ("de", "en"):
        fitting = [it["q"] for it in items if it["lang"] == lang and 35 <= len(it["q"]) <= 45]
        out += [(q, lang) for q in fitting[:3]]
    return out


def cpu_ms(pid: int) -> float:
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def type_question(
    page, question: str, mean_ms: float, pause_share: float, rng: random.Random
) -> None:
    box = page.locator("input[type=search]").first
    box.fill("")
    box.click()
    for char in question:
        page.keyboard.type(char)
        delay = max(40.0, rng.gauss(mean_ms, mean_ms * 0.3))
        if char == " " and rng.random() < pause_share:
            delay += 1000  # thinking of the next word
        page.wait_for_timeout(delay)
    page.wait_for_timeout(1000)  # the last suggestions arrive


def search_cpu_ms(asked: list[list[str]]) -> list[float]:
    """CPU ms of each question's searches (URLs as the page sent them), run in-process."""
    import inspect
    from urllib.parse import parse_qs, urlsplit

    from distinct_queries import distinct_queries
    from faq_quality import load_docs

    from faq.search import FaqSearch

    with tempfile.TemporaryDirectory() as tmp:
        engine = FaqSearch(pathlib.Path(tmp))
        engine.rebuild(load_docs(ROOT / "faq" / "content"))
        for q, lang, _ in distinct_queries(2000):
            engine.search(q, lang, limit=6)
        light = "snippets" in inspect.signature(engine.search).parameters  # not before it existed
        out = []
        for urls in asked:
            t0 = time.process_time()
            for url in urls:
                params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
                options = {"snippets": False} if light and params.get("typeahead") == "true" else {}
                engine.search(
                    params["q"], params["lang"], limit=int(params.get("limit", 10)), **options
                )
            out.append((time.process_time() - t0) * 1000)
        engine.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--rounds", type=int, default=2, help="each question typed this often per typist"
    )
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    data = tempfile.mkdtemp(prefix="portal-typing-")
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": data,
        "PORTAL_LOG_LEVEL": "WARNING",
        "PORTAL_SEARCH_RATE_LIMIT": "100000",
        "PORTAL_WORKER_IN_PROCESS": "false",
    }
    port = free_port()
    subprocess.run([sys.executable, "-m", "portal", "migrate"], env=env, cwd=ROOT, check=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--log-level",
            "warning",
            "--no-access-log",
            "--port",
            str(port),
            "--factory",
            "portal.asgi:create",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base + "/healthz")
        rng = random.Random(40)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_args())
            page = browser.new_page(locale="de-DE")
            sent, cancelled = [], []
            page.on(
                "request", lambda r: sent.append(r.url) if "/api/v1/faq/search" in r.url else None
            )
            page.on(
                "requestfailed",
                lambda r: cancelled.append(r.url) if "/api/v1/faq/search" in r.url else None,
            )
            page.goto(base + "/faq")
            page.wait_for_timeout(500)
            rows = []
            for typist, (mean_ms, pause_share) in TYPISTS.items():
                chars = requests = aborted = 0
                busy = idle = 0.0
                asked: list[list[str]] = []
                for _ in range(args.rounds):
                    for question, _lang in questions():
                        sent.clear()
                        cancelled.clear()
                        t0, c0 = time.monotonic(), cpu_ms(server.pid)
                        type_question(page, question, mean_ms, pause_share, rng)
                        spent, took = cpu_ms(server.pid) - c0, time.monotonic() - t0
                        c0 = cpu_ms(server.pid)
                        time.sleep(took)  # the server's own background work over as long
                        idle += cpu_ms(server.pid) - c0
                        busy += spent
                        chars += len(question)
                        requests += len(sent)
                        aborted += len(cancelled)
                        asked.append(list(sent))
                rows.append((typist, chars, requests, aborted, busy, idle, asked))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(data, ignore_errors=True)
    n = args.rounds * len(questions())
    print(
        f"{len(questions())} questions of 35-45 characters typed {args.rounds}x per typist; per question:"
    )
    print(
        f"{'typist':6} {'chars':>5} {'requests':>9} {'cancelled':>9} {'server CPU ms':>14} "
        f"{'idle CPU ms':>12} {'net CPU ms':>11} {'search CPU ms':>14}"
    )
    for typist, chars, requests, aborted, busy, idle, asked in rows:
        search = sum(search_cpu_ms(asked))
        print(
            f"{typist:6} {chars / n:5.0f} {requests / n:9.1f} {aborted / n:9.1f} {busy / n:14.1f} "
            f"{idle / n:12.1f} {(busy - idle) / n:11.1f} {search / n:14.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

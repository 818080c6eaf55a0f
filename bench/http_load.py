"""HTTP load on the portal against a ceiling app, both under uvicorn[standard], with wrk.

Prints requests/s, p50/p99 latency, errors, server memory and the server's CPU ms per
request per endpoint, and each figure as a share of the ceiling measured in the same run. Usage: .venv/bin/python bench/http_load.py
[--seconds 10] [--workers 2] [--connections 50]. Needs `wrk` (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.served import free_port  # noqa: E402

WARM_UP = 3  # seconds of load before each measured run
PY = sys.executable

#: Requests come from CLIENTS addresses (X-Forwarded-For, trusted from 127.0.0.1), so each
#: client stays within the portal's default rate limits, as a real crowd of customers does.
CLIENTS_LUA = """
math.randomseed(os.time())
local function client()
  local n = math.random(0, 3999)
  return "10.0." .. tostring(math.floor(n / 250)) .. "." .. tostring(n % 250 + 1)
end
"""

SEARCH_LUA = (
    CLIENTS_LUA
    + """
local queries = {"ruecksendung", "paket kaputt angekommen", "rechnung kopie", "passwort vergessen",
  "lieferzeit", "gutschein guthaben", "retoure etikett", "kaffeevollautomat entkalken",
  "free returns", "where is my parcel"}
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  return wrk.format("GET", "/api/v1/faq/search?lang=de&q=" .. q:gsub(" ", "+"),
    {["X-Forwarded-For"] = client()})
end
"""
)


#: Distinct queries (bench/distinct_queries.py), each wrk thread its own half of the list
#: from START on, so no query is sent twice within a run and the result cache never answers.
DISTINCT_LUA = (
    CLIENTS_LUA
    + """
local queries = {QUERIES}
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local i = nil
request = function()
  i = (i or (START + id)) + 2
  local q = queries[(i % #queries) + 1]
  return wrk.format("GET", "/api/v1/faq/search?" .. q .. "EXTRA", {["X-Forwarded-For"] = client()})
end
"""
)


def distinct_lua(start: int, extra: str, n: int) -> str:
    """The wrk script of the distinct-query rows; `extra` is appended to each query string."""
    from urllib.parse import urlencode

    sys.path.insert(0, str(ROOT / "bench"))
    from distinct_queries import distinct_queries

    items = ", ".join(
        '"' + urlencode({"lang": lang, "q": q}) + '"' for q, lang, _ in distinct_queries(n)
    )
    return (
        DISTINCT_LUA.replace("{QUERIES}", "{" + items + "}")
        .replace("START", str(start))
        .replace("EXTRA", extra)
    )


def large_content(directory: Path, articles: int) -> None:
    """`articles` generated articles (as bench/faq_search.py makes them) as Markdown files."""
    import yaml

    sys.path.insert(0, str(ROOT / "bench"))
    from faq_search import make_corpus

    directory.mkdir()
    for doc in make_corpus(articles, 0.7):
        front = {
            "id": doc.id,
            "lang": doc.lang,
            "title": doc.title,
            "category": doc.category,
            "tags": list(doc.tags),
        }
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + doc.body + "\n"
        (directory / f"{doc.id}.{doc.lang}.md").write_text(text, encoding="utf-8")


CASE_LUA = (
    CLIENTS_LUA
    + """
local n = 0
local body = '{"type":"return_exchange","product":"headphones_audio","description":"Der Kopfhoerer passt nicht, ich moechte ihn zurueckgeben.","details":{"order_number":"lh-20261234","return_reason":"changed_mind"},"name":"Max Muster","email":"max@example.com"}'
request = function()
  n = n + 1
  local headers = {["content-type"] = "application/json", ["X-Forwarded-For"] = client(),
                   ["idempotency-key"] = "bench-" .. tostring(math.random(1, 2^30)) .. "-" .. n}
  return wrk.format("POST", "/api/v1/cases", headers, body)
end
"""
)

UPDATE_LUA = """
local n = 0
request = function()
  n = n + 1
  local body = '{"kind":"set_routing","level":' .. tostring(1 + n % 2) .. '}'
  return wrk.format("POST", "/api/v1/backoffice/cases/TRACKING_ID/events",
    {["content-type"] = "application/json", ["authorization"] = "Bearer TOKEN"}, body)
end
"""

COOKIE_LUA = """
wrk.headers["Cookie"] = "COOKIE"
"""


def prepare(base: str, env: dict) -> tuple[str, str, str]:
    """A case filed through the form (its session cookie opens the status page) and a token."""
    import asyncio

    import httpx

    from support.case_form import fill, submit, tracking_id
    from support.served import api_token

    async def file() -> tuple[str, str]:
        async with httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=30) as web:
            review, token = await fill(web)
            tid = tracking_id((await submit(web, review.text, token)).text)
            cookie = "; ".join(f"{k}={v}" for k, v in web.cookies.items())
            return tid, cookie

    tid, cookie = asyncio.run(file())
    return tid, cookie, api_token(env, base)


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the uvicorn workers)."""
    out = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True
    ).stdout
    return sum(int(x) for x in out.split()) / 1024


def pinned() -> list[str]:
    """wrk on the last core: unpinned, the server's threads could starve a wrk thread for a
    second, which wrk then counted as request latency (p99 above 1 s, timeouts)."""
    cores = os.cpu_count() or 1
    return ["taskset", "-c", str(cores - 1)] if cores > 1 and shutil.which("taskset") else []


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children (the uvicorn
    workers), all threads: on a shared machine steadier than requests/s, which depend on
    how much of the CPU the other processes leave."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wrk(url: str, seconds: int, connections: int, script: str | None = None, pid: int = 0) -> dict:
    """One wrk run; with the server's `pid`, also its CPU ms per answered request."""
    used = cpu_seconds(pid) if pid else 0.0
    cmd = [*pinned(), "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", script]
    result = subprocess.run([*cmd, url], capture_output=True, text=True)
    out = result.stdout
    if "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed on {url}: {result.stderr or out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def lat(p: str) -> float:
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    cpu_ms = (cpu_seconds(pid) - used) * 1000 / max(requests, 1) if pid else float("nan")
    return {"rps": rps, "p50": lat("50"), "p99": lat("99"), "errors": errors, "cpu_ms": cpu_ms}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--workers", default="2", help="processes per server; a list such as 1,2 compares them"
    )
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--distinct", type=int, default=20_000, help="distinct queries for the search rows"
    )
    parser.add_argument(
        "--search-connections", type=int, default=16, help="connections of the distinct rows"
    )
    parser.add_argument(
        "--large", type=int, default=10_000, help="articles of the large FAQ (0: no such rows)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    runs = {int(n): measure(int(n), args) for n in args.workers.split(",")}
    if len(runs) > 1:
        print_scaling(runs)


def measure(workers: int, args: argparse.Namespace) -> list[tuple[str, dict, float]]:
    """One server pair with `workers` processes each; prints and returns its table."""
    data = tempfile.mkdtemp(prefix="portal-bench-")
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": data,
        "PORTAL_TRUSTED_PROXIES": "127.0.0.1",
        "PORTAL_LOG_LEVEL": "WARNING",
    }
    cport, pport = free_port(), free_port()
    server = [PY, "-m", "uvicorn", "--workers", str(workers), "--log-level", "warning"]
    server += ["--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"]  # both behind a proxy
    ceiling = subprocess.Popen(
        [*server, "--no-access-log", "--port", str(cport), "bench.ceiling:app"], cwd=ROOT
    )
    subprocess.run([PY, "-m", "portal", "migrate"], env=env, cwd=ROOT, check=True)
    portal = subprocess.Popen(
        [*server, "--no-access-log", "--port", str(pport), "--factory", "portal.asgi:create"],
        cwd=ROOT,
        env=env,
    )
    large, lport = None, free_port()
    if args.large:  # a second portal on its own database, serving a large generated FAQ
        large_env = {
            **env,
            "PORTAL_DATA_DIR": data + "/large",
            "PORTAL_FAQ_CONTENT_DIR": data + "/large-content",
        }
        large_content(Path(data) / "large-content", args.large)
        subprocess.run([PY, "-m", "portal", "migrate"], env=large_env, cwd=ROOT, check=True)
        large = subprocess.Popen(
            [*server, "--no-access-log", "--port", str(lport), "--factory", "portal.asgi:create"],
            cwd=ROOT,
            env=large_env,
        )
    try:
        wait_ready(f"http://127.0.0.1:{cport}/")
        wait_ready(f"http://127.0.0.1:{pport}/healthz")
        if large:
            wait_ready(f"http://127.0.0.1:{lport}/healthz", timeout=900)
        time.sleep(2)  # let every worker finish building its index
        base = f"http://127.0.0.1:{pport}"
        tid, cookie, token = prepare(base, env)
        scripts = {}
        for name, text in (
            ("search", SEARCH_LUA),
            ("case", CASE_LUA),
            ("update", UPDATE_LUA.replace("TRACKING_ID", tid).replace("TOKEN", token)),
            ("cookie", COOKIE_LUA.replace("COOKIE", cookie)),
        ):
            scripts[name] = Path(data) / f"{name}.lua"
            scripts[name].write_text(text)
        for name, extra in (("distinct", "&limit=10"), ("typeahead", "&limit=6&typeahead=true")):
            for start in (0, args.distinct // 2):  # warm-up and measured run: other queries
                scripts[f"{name}{start}"] = Path(data) / f"{name}{start}.lua"
                scripts[f"{name}{start}"].write_text(distinct_lua(start, extra, args.distinct))
        wrk(f"http://127.0.0.1:{cport}/", WARM_UP, args.connections)
        ceiling_run = wrk(
            f"http://127.0.0.1:{cport}/", args.seconds, args.connections, pid=ceiling.pid
        )
        rows = [("ceiling (minimal Litestar page)", ceiling_run, rss_mb(ceiling.pid))]
        for name, url, lua in [
            ("FAQ search API (10 queries)", base + "/", str(scripts["search"])),
            ("FAQ article page", base + "/faq/de/ruecksendung-kostenlos", None),
            ("FAQ start page", base + "/faq", None),
            ("home page", base + "/", None),
            ("case status page", f"{base}/track/{tid}", str(scripts["cookie"])),
            (
                "status page, rendered each time",
                f"{base}/track/{tid}?after=0",
                str(scripts["cookie"]),
            ),
            ("case submission (JSON API)", base + "/", str(scripts["case"])),
            ("back-office update (API)", base + "/", str(scripts["update"])),
        ]:
            wrk(url, WARM_UP, args.connections, lua)  # not counted: caches, first connections
            measured = wrk(url, args.seconds, args.connections, lua, pid=portal.pid)
            rows.append((name, measured, rss_mb(portal.pid)))
        half = args.distinct // 2
        c = args.search_connections
        targets = [("demo FAQ", base, portal)]
        if large:
            targets.append((f"{args.large:,} articles", f"http://127.0.0.1:{lport}", large))
        for label, url, proc in targets:
            for kind in ("distinct", "typeahead"):
                wrk(url + "/", WARM_UP, c, str(scripts[f"{kind}0"]))
                script = str(scripts[f"{kind}{half}"])
                measured = wrk(url + "/", args.seconds, c, script, pid=proc.pid)
                name = (
                    f"search, {'distinct' if kind == 'distinct' else 'typeahead'}, {label} (-c{c})"
                )
                rows.append((name, measured, rss_mb(proc.pid)))
        print_table(workers, args, rows, env)
        return rows
    finally:
        procs = [proc for proc in (ceiling, portal, large) if proc]
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)
        shutil.rmtree(data, ignore_errors=True)


def print_table(workers: int, args, rows, env) -> None:
    engine = "PostgreSQL" if env.get("PORTAL_DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(
        f"\nwrk -t2 -c{args.connections} -d{args.seconds}s{' on the last core' if pinned() else ''}, "
        f"uvicorn[standard] --workers {workers}, {os.cpu_count()} cores, {engine}"
    )
    print(
        f"{'endpoint':48} {'req/s':>9} {'of ceiling':>10} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'RSS MB':>7} {'CPU ms/req':>10}"
    )
    ceiling_rps = rows[0][1]["rps"]
    for name, r, rss in rows:
        print(
            f"{name:48} {r['rps']:9.0f} {r['rps'] / ceiling_rps:10.1%} {r['p50']:8.2f} "
            f"{r['p99']:8.2f} {r['errors']:7d} {rss:7.0f} {r['cpu_ms']:10.2f}"
        )


def print_scaling(runs: dict[int, list]) -> None:
    counts = sorted(runs)
    print(f"\nthroughput by server processes ({', '.join(map(str, counts))})")
    print(f"{'endpoint':48} " + " ".join(f"{f'{n} proc req/s':>14}" for n in counts) + "   growth")
    for index, (name, _, _) in enumerate(runs[counts[0]]):
        values = [runs[n][index][1]["rps"] for n in counts]
        growth = values[-1] / values[0] if values[0] else 0
        print(f"{name:48} " + " ".join(f"{v:14.0f}" for v in values) + f"   {growth:5.2f}x")


if __name__ == "__main__":
    main()

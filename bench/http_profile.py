"""Where a served portal's time goes under distinct FAQ searches: py-spy samples the one
portal process (uvicorn[standard], SQLite) while wrk sends distinct queries, as the
distinct rows of `http_load.py` do.

Usage (from the repo root; needs `wrk` and `py-spy` (pip install py-spy), and the right to
trace a child process):
    .venv/bin/python bench/http_profile.py [--seconds 15] [--top 40] [--typeahead]
        [--articles 0] [--connections 16]

Prints the functions with the largest share of samples, inclusive (a function and what it
calls) and by itself, over the samples of the event loop's thread. Idle samples (the loop
waiting for the network) are counted apart, so the shares are of the busy time.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from http_load import (  # noqa: E402
    PY,
    WARM_UP,
    distinct_lua,
    free_port,
    large_content,
    wait_ready,
    wrk,
)

#: Frames of a loop waiting for work: not the portal's time.
IDLE = ("select (selectors.py", "_run_once (asyncio/base_events.py", "run (uvloop")


def frame_name(frame: str) -> str:
    """`function (path/to/module.py:line)` -> `module.py function`, short and line-free."""
    function, _, rest = frame.partition(" (")
    path = rest.split(":")[0].rstrip(")")
    parts = Path(path).parts
    short = "/".join(parts[-2:]) if parts and parts[-1] == "__init__.py" else Path(path).name
    package = next(
        (p for p in ("litestar", "whoosh", "tortoise", "uvicorn", "msgspec") if p in parts), ""
    )
    return f"{package + ' ' if package else ''}{short} {function}"


def top(raw: str, n: int) -> str:
    """The table of the `n` functions with most samples, from py-spy's collapsed stacks."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    busy = idle = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        if any(f.startswith(IDLE[0]) for f in frames[-2:]) or not frames:
            idle += int(count)
            continue
        busy += int(count)
        names = [frame_name(f) for f in frames[1:]]  # frames[0] is the thread
        for name in set(names):
            inclusive[name] += int(count)
        own[names[-1] if names else frames[0]] += int(count)
    lines = [
        f"samples: {busy} busy, {idle} idle ({busy / max(busy + idle, 1):.0%} busy)",
        f"{'inclusive':>9} {'own':>6}  function",
    ]
    for name, count in inclusive.most_common(n):
        lines.append(f"{count / busy:9.1%} {own[name] / busy:6.1%}  {name}")
    lines.append("")
    lines.append("by own samples:")
    for name, count in own.most_common(n // 2):
        lines.append(f"{count / busy:9.1%}  {name}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--typeahead", action="store_true", help="the suggestion requests")
    parser.add_argument("--articles", type=int, default=0, help="a generated FAQ of N articles")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--distinct", type=int, default=20_000)
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(PY).parent / "py-spy")
    if not shutil.which("wrk") or not Path(spy).exists():
        sys.exit("needs wrk (apt-get install wrk) and py-spy (pip install py-spy)")
    data = tempfile.mkdtemp(prefix="portal-profile-")
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": data,
        "PORTAL_TRUSTED_PROXIES": "127.0.0.1",
        "PORTAL_LOG_LEVEL": "WARNING",
    }
    if args.articles:
        env["PORTAL_FAQ_CONTENT_DIR"] = data + "/content"
        large_content(Path(data) / "content", args.articles)
    subprocess.run([PY, "-m", "portal", "migrate"], env=env, cwd=ROOT, check=True)
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "uvicorn", "--log-level", "warning", "--no-access-log", "--proxy-headers"]
        + ["--forwarded-allow-ips", "127.0.0.1", "--port", str(port)]
        + ["--factory", "portal.asgi:create"],
        cwd=ROOT,
        env=env,
    )
    extra = "&limit=6&typeahead=true" if args.typeahead else "&limit=10"
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", timeout=900)
        time.sleep(2)
        scripts = []
        for start in (0, args.distinct // 2):  # warm-up, then other queries while sampled
            path = Path(data) / f"distinct{start}.lua"
            path.write_text(distinct_lua(start, extra, args.distinct))
            scripts.append(str(path))
        url = f"http://127.0.0.1:{port}/"
        wrk(url, WARM_UP, args.connections, scripts[0])
        out = Path(data) / "profile.txt"
        record = subprocess.Popen(
            [spy, "record", "--pid", str(server.pid), "--format", "raw", "--rate", "250"]
            + ["--duration", str(args.seconds), "--output", str(out), "--nonblocking"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        load = wrk(url, args.seconds, args.connections, scripts[1])
        _, err = record.communicate(timeout=args.seconds + 60)
        if not out.exists():
            sys.exit(f"py-spy wrote no profile: {err}")
        kind = "typeahead" if args.typeahead else "full search"
        corpus = f"{args.articles:,} articles" if args.articles else "demo FAQ"
        print(f"distinct {kind}, {corpus}: {load['rps']:.0f} req/s while sampled (py-spy, 250/s)")
        print(top(out.read_text(), args.top))
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Running the `portal` command in a process of its own, as a user or a service manager does."""

from __future__ import annotations

import subprocess
import sys


def run_portal(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`portal ARGS` with exactly this environment (nothing inherited: pass `os.environ` in
    where wanted); its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "portal", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )

"""Chromium as the tests and the bench launch it: Debian's where installed (with the flags it
needs in a container), Playwright's own browser on a laptop."""

from __future__ import annotations

import os
import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def launch_args(base: dict | None = None) -> dict:
    """Playwright's `launch()` arguments: `base` with the flags, and Debian's Chromium if any."""
    args = {**(base or {}), "args": CHROMIUM_ARGS}
    if os.path.exists(CHROMIUM):
        args["executable_path"] = CHROMIUM
    return args

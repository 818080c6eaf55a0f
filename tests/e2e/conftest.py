"""A real portal process on a free port (with a real SMTP server when asked), and Chromium
(Debian's when installed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser

from support.chromium import launch_args
from support.mail import Inbox
from support.served import free_port, portal_process


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium where it exists, Playwright's own browser on a laptop."""
    return launch_args(browser_type_launch_args)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "de-DE"}


def close_pages(browser: Browser) -> None:
    """Close the test's browser contexts before its portal stops: a live page keeps a
    connection open, which `portal serve` waits for on SIGTERM (PORTAL_SHUTDOWN_GRACE_SECONDS)."""
    for context in list(browser.contexts):
        context.close()


@pytest.fixture
def live_server(env: dict[str, str], browser: Browser) -> Iterator[str]:
    """`portal serve` as a user starts it, on its own data directory and database."""
    with portal_process(env) as base:
        yield base
        close_pages(browser)


@pytest.fixture
def mail_server(env: dict[str, str], browser: Browser) -> Iterator[tuple[str, Inbox]]:
    """A real SMTP server and `portal serve` sending to it: base URL and inbox."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with portal_process(
            {**env, "PORTAL_SMTP_HOST": "127.0.0.1", "PORTAL_SMTP_PORT": str(port)}
        ) as base:
            yield base, inbox
            close_pages(browser)
    finally:
        controller.stop()

"""A real SMTP server's inbox (aiosmtpd), parsed as a mail client does."""

from __future__ import annotations

import time
from email import message_from_bytes, policy


class Inbox:
    """What a real SMTP server (aiosmtpd) received, parsed as a mail client does."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook name)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait(self, count: int = 1, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

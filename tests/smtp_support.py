"""A real SMTP server for the test run (aiosmtpd on a free local port) and the app pointed at it.

    def test_it_mails(smtp_server):
        ... queue + deliver ...
        assert smtp_server.messages[0]["Subject"] == "…"

`smtp_server.messages` are parsed `email.message.EmailMessage`s (in arrival order), `.envelopes` the
(MAIL FROM, RCPT TO) pairs; `.stop()` / `.start()` take the server down and up again on the same port;
`.delay` (seconds before answering DATA), `.reply` (e.g. "550 5.7.1 Geweigerd": refuse every message) and
`.data_started` (messages whose DATA arrived, answered or not) drive the failure tests. `.url` is the SMTP_URL of
the server (for a `manage.py berichten` subprocess); in this process the fixture sets the app's SMTP_URL to it
for the duration of the test.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        owner = self.server
        with owner.lock:
            owner.data_started += 1
        if owner.delay:
            await asyncio.sleep(owner.delay)
        if smtp.transport is None or smtp.transport.is_closing():  # the client is gone: nothing was accepted
            return "421 verbinding verbroken"
        if owner.reply:
            return owner.reply
        raw = (envelope.original_content or envelope.content).replace(b"\r\n", b"\n")  # the wire's CRLF, as lines
        message = BytesParser(policy=policy.default).parsebytes(raw)
        with owner.lock:
            owner.messages.append(message)  # type: ignore[arg-type]
            owner.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.delay = 0.0
        self.reply: str | None = None
        self.data_started = 0
        self.lock = threading.Lock()
        self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        if self._controller is None:
            self._controller = Controller(_Handler(self), hostname=self.host, port=self.port,
                                          ready_timeout=10, data_size_limit=50 * 1024 * 1024)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def _set_smtp_url(url: str) -> str:
    """The settings are read once and frozen; the test run points the one object at the test server."""
    from settings import get_settings

    settings = get_settings()
    old = settings.smtp_url
    object.__setattr__(settings, "smtp_url", url)  # noqa: PLC2801 - frozen on purpose, changed here only
    return old


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    old = _set_smtp_url(server.url)
    try:
        yield server
    finally:
        _set_smtp_url(old)
        server.stop()

"""SMTP with the standard library (smtplib in a worker thread): composing the MIME message and sending it.

Why smtplib and not a new dependency: it speaks STARTTLS and SMTPS, is part of Python, and the delivery loop
sends a handful of messages per tick outside any request — a thread per batch costs nothing there.

SMTP_URL: `smtp://user:pass@host:587` (STARTTLS when the server offers it — and required before a password is
sent to any host but this machine), `smtps://user:pass@host:465` (TLS from the first byte), `smtp://host:25`.
`?starttls=0` turns STARTTLS off (a local relay), `?starttls=1` demands it.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from urllib.parse import parse_qs, unquote, urlsplit

from common import dates

TIMEOUT = 30  # seconds for connecting and for every SMTP command
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: bool  # smtps: TLS from the start
    starttls: bool | None  # None: when offered; True: required; False: never
    username: str = ""
    password: str = ""

    def __repr__(self) -> str:  # never a password in a log or a traceback
        return f"SmtpConfig({self.host}:{self.port}, tls={self.tls}, starttls={self.starttls})"


def parse_url(url: str) -> SmtpConfig | None:
    """The SMTP_URL (already validated by settings.py) as a config; None for "" (embedded mode)."""
    if not url:
        return None
    parts = urlsplit(url)
    tls = parts.scheme == "smtps"
    option = parse_qs(parts.query).get("starttls", [""])[0]
    return SmtpConfig(
        host=parts.hostname or "localhost", port=parts.port or (465 if tls else 587), tls=tls,
        starttls=None if option == "" else option == "1",
        username=unquote(parts.username or ""), password=unquote(parts.password or ""),
    )


@dataclass(frozen=True)
class Outgoing:
    """What the delivery passes to the transport: one composed message for one recipient."""

    message: EmailMessage
    sender: str
    recipient: str


def compose(*, mail_from: str, to_email: str, to_name: str, subject: str, text: str, html: str | None,
            message_id: str, headers: dict[str, str], attachments: Sequence[tuple[str, str, bytes]],
            date=None) -> EmailMessage:
    """text/plain (+ text/html as alternative) and the attachments; every header value is a single line already
    (outbox.queue neutralised CR/LF), and EmailMessage refuses a header with a line break besides."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = formataddr((to_name, to_email)) if to_name else to_email
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(date or dates.now())
    message["Auto-Submitted"] = "auto-generated"
    for name, value in headers.items():
        message[name] = value
    message.set_content(text, subtype="plain", charset="utf-8")
    if html:
        message.add_alternative(html, subtype="html", charset="utf-8")
    for filename, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


class TemporaryFailure(Exception):
    """Try again later: the server is down, slow, or answered 4xx (or a problem of ours, such as bad credentials)."""


class PermanentFailure(Exception):
    """The server refused this message for good (5xx): the row becomes mislukt with this reason."""


def _reason(code: int, text: bytes | str) -> str:
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(raw.split())}"[:500]


class Connection:
    """One SMTP session for a batch (blocking: used from a worker thread)."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        config = self.config
        try:
            context = ssl.create_default_context()
            if config.tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=TIMEOUT, context=context)
            else:
                smtp = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT)
            smtp.ehlo()
            secure = config.tls
            if not config.tls and config.starttls is not False and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
                secure = True
            if config.starttls and not secure:
                raise TemporaryFailure("de SMTP-server biedt geen STARTTLS aan (SMTP_URL vraagt starttls=1)")
            if config.username:
                if not secure and config.host not in LOOPBACK:
                    raise TemporaryFailure("geen wachtwoord in klare tekst: de SMTP-server biedt geen STARTTLS aan")
                smtp.login(config.username, config.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise TemporaryFailure(f"aanmelden bij de SMTP-server mislukt: {_reason(exc.smtp_code, exc.smtp_error)}"
                                   ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"SMTP-server niet bereikbaar: {type(exc).__name__}: {exc}"[:500]) from None
        self.smtp = smtp

    def send(self, outgoing: Outgoing) -> None:
        if self.smtp is None:
            self.open()
        assert self.smtp is not None
        try:
            refused = self.smtp.send_message(outgoing.message, from_addr=outgoing.sender,
                                             to_addrs=[outgoing.recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise (PermanentFailure if code >= 500 else TemporaryFailure)(_reason(code, text)) from None
        except smtplib.SMTPResponseException as exc:  # SMTPDataError, SMTPSenderRefused, …
            self.close()
            raise (PermanentFailure if exc.smtp_code >= 500 else TemporaryFailure)(
                _reason(exc.smtp_code, exc.smtp_error)) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise TemporaryFailure(f"verbinding met de SMTP-server verbroken: {type(exc).__name__}: {exc}"[:500]
                                   ) from None
        if refused:
            code, text = next(iter(refused.values()))
            raise (PermanentFailure if code >= 500 else TemporaryFailure)(_reason(code, text))

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

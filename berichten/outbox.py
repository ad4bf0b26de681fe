"""queue(): put messages in the outbox, inside the caller's open transaction.

The rows are written with plain Piccolo inserts, so they join a transaction the caller has open
(`async with Table._meta.db.transaction():` — Piccolo binds it to the task): a crash leaves either the change and
its messages, or neither. Nothing is sent here; berichten/delivery.py sends what is queued.

Privacy: berichten sits below signalen and knows nothing of signals or young people. Redacting personal data
is the caller's job: run every free text through `signalen.mailtekst.redacted()` (the privacy guard) before it reaches
a subject, a body or a name here. Quotes never go into a mail.

Header injection: CR, LF and other control characters in a subject, a name or a header value are replaced by a
space; an address or header name with them is refused (ValueError), never "repaired" into another address.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from berichten.tables import Bericht, BerichtBijlage, BerichtStatus
from common import dates
from settings import get_settings

MAX_SUBJECT = 300
MAX_NAME = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,60}$")
# Headers the delivery writes itself: a caller cannot override them.
RESERVED_HEADERS = {"from", "to", "cc", "bcc", "subject", "message-id", "date", "mime-version", "content-type",
                    "content-transfer-encoding", "sender", "reply-to-all", "return-path"}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class Attachment:
    """A file with the mail: its bytes now, or — `Attachment.later(...)` — a render request the delivery fulfils
    (a renderer registered under `renderer`, called with `object_id`), so an expensive file (a PDF) is not made
    inside the request that queues the mail. A deferred attachment is rendered once for all the rows queued with
    it (its `token`), even across several queue() calls."""

    filename: str
    content_type: str
    data: bytes = b""
    renderer: str = ""
    object_id: int | None = None
    token: str = ""

    @classmethod
    def later(cls, filename: str, content_type: str, *, renderer: str, object_id: int) -> Attachment:
        return cls(filename, content_type, b"", renderer, object_id, secrets.token_hex(12))

    @property
    def deferred(self) -> bool:
        return bool(self.renderer)


def one_line(value: str, limit: int) -> str:
    """A header-safe single line: control characters (CR/LF included) become one space, then trimmed."""
    return _CONTROL.sub(" ", value).strip()[:limit]


def clean_address(value: str) -> str:
    """The address in lower case, or ValueError: no control characters, no spaces, no display name, one @."""
    address = value.strip()
    if _CONTROL.search(address) or any(ch.isspace() for ch in address) or address.count("@") != 1:
        raise ValueError(f"Geen geldig e-mailadres: {value!r}")
    local, _, domain = address.partition("@")
    if not local or not domain or "." not in domain or parseaddr(address)[1] != address or "<" in address:
        raise ValueError(f"Geen geldig e-mailadres: {value!r}")
    if len(address) > 254:
        raise ValueError("Een e-mailadres mag hoogstens 254 tekens lang zijn.")
    return address.lower()


def _clean_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    cleaned = {}
    for name, value in (headers or {}).items():
        if not _HEADER_NAME.match(name) or name.lower() in RESERVED_HEADERS:
            raise ValueError(f"Deze header kan niet meegegeven worden: {name!r}")
        cleaned[name] = one_line(str(value), 900)
    return cleaned


def _clean_attachment(attachment: Attachment) -> Attachment:
    filename = one_line(attachment.filename, 200).replace("/", "_").replace("\\", "_").replace('"', "'")
    content_type = one_line(attachment.content_type, 100).lower()
    if not filename or not re.fullmatch(r"[a-z0-9.+-]+/[a-z0-9.+-]+", content_type):
        raise ValueError(f"Ongeldige bijlage: {attachment.filename!r} ({attachment.content_type!r})")
    if attachment.deferred:
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", attachment.renderer) or not isinstance(
                attachment.object_id, int) or isinstance(attachment.object_id, bool) or not re.fullmatch(
                r"[0-9a-f]{8,64}", attachment.token):
            raise ValueError(f"Ongeldige uitgestelde bijlage: {attachment.filename!r} ({attachment.renderer!r})")
        return Attachment(filename, content_type, b"", attachment.renderer, attachment.object_id, attachment.token)
    return Attachment(filename, content_type, bytes(attachment.data))


def message_domain() -> str:
    """The domain of SIGNAALWERK_MAIL_FROM: the right-hand side of every Message-ID."""
    address = parseaddr(get_settings().mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


def new_message_id() -> str:
    return f"<{secrets.token_hex(16)}@{message_domain()}>"


async def queue(*, kind: str, to: Sequence[Recipient], subject: str, text: str, html: str | None = None,
                attachments: Sequence[Attachment] = (), object_type: str = "", object_id: int | None = None,
                gemeente_id: int | None = None, actor_id: int | None = None,
                headers: Mapping[str, str] | None = None) -> list[int]:
    """One outbox row per recipient (each its own Message-ID); the ids of the rows, in the order of `to`.

    Joins the caller's transaction. Refuses (ValueError) a bad address, header name or attachment before
    writing anything; neutralises CR/LF in subject and names. The caller has redacted personal data already."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", kind):
        raise ValueError(f"Ongeldige soort bericht: {kind!r}")
    clean_subject = one_line(subject, MAX_SUBJECT)
    if not clean_subject:
        raise ValueError("Een bericht heeft een onderwerp nodig.")
    recipients = [(clean_address(r.email), one_line(r.name, MAX_NAME), r.user_id) for r in to]
    extra = _clean_headers(headers)
    files = [_clean_attachment(a) for a in attachments]
    if not recipients:
        return []
    meta: list[dict[str, Any]] = []
    for item in files:
        if item.deferred:  # made by the delivery (berichten/delivery.py), once for every row with this token
            meta.append({"bijlage": None, "filename": item.filename, "content_type": item.content_type,
                         "size": None, "sha256": "", "later": {"renderer": item.renderer,
                                                               "object_id": item.object_id, "token": item.token}})
            continue
        digest = hashlib.sha256(item.data).hexdigest()
        stored = await BerichtBijlage.insert(BerichtBijlage(sha256=digest, size=len(item.data), data=item.data)
                                             ).returning(BerichtBijlage.id)
        meta.append({"bijlage": stored[0]["id"], "filename": item.filename, "content_type": item.content_type,
                     "size": len(item.data), "sha256": digest})
    now = dates.now()
    rows = [
        Bericht(kind=kind, to_email=email, to_name=name, user_id=user_id, actor_id=actor_id, subject=clean_subject,
                text=text, html=html, headers=extra, attachments=meta, message_id=new_message_id(),
                status=BerichtStatus.wachtrij.value, attempts=0, next_attempt_at=now, claimed_until=None,
                last_error="", object_type=one_line(object_type, 32), object_id=object_id, gemeente=gemeente_id,
                created_at=now)
        for email, name, user_id in recipients
    ]
    # One statement for all rows; RETURNING of a multi-row insert promises no order, the Message-IDs do.
    inserted = await Bericht.insert(*rows).returning(Bericht.id, Bericht.message_id)
    by_message = {row["message_id"]: row["id"] for row in inserted}
    return [by_message[row.message_id] for row in rows]


async def attachment_bytes(bijlage_id: int) -> bytes:
    row = await BerichtBijlage.select(BerichtBijlage.data).where(BerichtBijlage.id == bijlage_id).first()
    if row is None:
        raise LookupError(f"no attachment {bijlage_id}")
    data = row["data"]
    return bytes(data) if not isinstance(data, bytes) else data


async def forget_recipient(user_id: int, pseudonym_email: str, pseudonym: str) -> None:
    """Erasure of a user (GDPR art. 17): mails not yet sent to them are dropped; sent and failed ones keep their
    kind, object, dates and Message-ID (the audit trail's counterpart) but lose address, name, subject and body."""
    from berichten.tables import BerichtStatus

    await Bericht.delete().where((Bericht.user_id == user_id) & Bericht.status.is_in(
        [BerichtStatus.wachtrij.value, BerichtStatus.bezig.value]))
    await Bericht.update({Bericht.to_email: pseudonym_email, Bericht.to_name: pseudonym, Bericht.subject: "[gewist]",
                          Bericht.text: "[gewist]", Bericht.html: None, Bericht.headers: {}}).where(
        Bericht.user_id == user_id)

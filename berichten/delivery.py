"""Delivery: the outbox over SMTP, by exactly one deliverer at a time, never a message twice.

- **One deliverer.** `Bezorger` holds a lease (LEASE long, renewed every tick and before every message): whoever
  holds it delivers and runs the periodic jobs; other workers, machines or `manage.py berichten` processes on the
  same database wait. A process that died (SIGKILL, crash) loses the lease when it expires — at once when the new
  one runs on the same host and sees the old pid is gone.
- **Claim before send.** Rows are claimed (`wachtrij` → `bezig`, `claimed_by`, `claimed_until`) in one statement
  (`FOR UPDATE SKIP LOCKED` on PostgreSQL; an IMMEDIATE write transaction on SQLite) before the SMTP session
  starts; the result is written right after the server's answer. A row left `bezig` by a dead deliverer goes back
  to the queue with the same Message-ID: the server only accepted a message once it answered 250, and a message
  the dead process could not confirm is sent again under the Message-ID the first try carried.
- **Retries.** Connection errors, time-outs and 4xx: again after a back-off (30 s, 1, 2, 4 … min, at most 1 h),
  MAX_ATTEMPTS times; 5xx: `mislukt` with the server's reason. Every sent or failed mail is in the audit trail
  (kind, object, recipient user id — never the body).
- **Deferred attachments.** A row whose attachment was queued as `Attachment.later(...)` gets it made just before
  it is composed: the renderer registered under its name (passed in by app.py / manage.py: berichten knows no
  domain table) is called once per token, the bytes are stored once in BerichtBijlage and every row of that token
  points at them. A renderer that raises is retried like a 4xx (the reason in `last_error`); one that raises
  LookupError (the object is gone) fails the row at once.
- **Embedded mode.** Without SMTP_URL nothing is sent: rows stay `wachtrij`, readable at /beheer/berichten.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from email.utils import parseaddr
from typing import Any

import anyio

from audit import recorder as audit
from berichten.outbox import attachment_bytes
from berichten.tables import Bericht, BerichtBijlage, BerichtStatus, Bezorger
from berichten.transport import Connection, Outgoing, PermanentFailure, TemporaryFailure, compose, parse_url
from common import dates, db
from settings import get_settings

logger = logging.getLogger("signaalwerk.berichten")

LEASE_NAME = "bezorger"
LEASE = dt.timedelta(seconds=60)
RENEW_AFTER = 10.0  # seconds of delivering before the lease is renewed (the SMTP time-out is 30 s: well inside 60)
CLAIM = dt.timedelta(minutes=5)  # longer than the SMTP time-outs of one message
TICK = 2.0  # seconds between deliveries
JOB_INTERVAL = dt.timedelta(seconds=60)
BATCH = 50
MAX_ATTEMPTS = 10
FIRST_RETRY = dt.timedelta(seconds=30)
MAX_RETRY = dt.timedelta(hours=1)

Job = Callable[[], Awaitable[object]]
# A renderer of deferred attachments: the object id in, the file's bytes out (raises LookupError: object gone).
Renderer = Callable[[int], Awaitable[bytes]]
Renderers = Mapping[str, Renderer]


def _pid_namespace() -> str:
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return "?"


def new_holder() -> str:
    """"host:pid-namespace:pid:random": who holds the lease or a claim."""
    return f"{socket.gethostname()[:100]}:{_pid_namespace()}:{os.getpid()}:{secrets.token_hex(4)}"


HOLDER = new_holder()


def _dead_here(holder: str) -> bool:
    """A holder on this host and in this pid namespace whose process is gone (never guessed for other hosts)."""
    host, _, rest = holder.partition(":")
    namespace, _, rest = rest.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname()[:100] or namespace != _pid_namespace() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the n-th failed attempt: 30 s, 1 min, 2 min … at most MAX_RETRY."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)


def _aware(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# ----------------------------------------------------------------------------------------------- the lease

async def acquire_lease(holder: str | None = None) -> bool:
    """Take or renew the single-deliverer lease; False while another live deliverer holds it."""
    holder = holder or HOLDER
    now = dates.now()
    await Bezorger.insert(Bezorger(naam=LEASE_NAME, holder="", until=None)).on_conflict(action="DO NOTHING")
    row = await Bezorger.select(Bezorger.holder, Bezorger.until).where(Bezorger.naam == LEASE_NAME).first()
    if row is None:
        return False
    current, until = row["holder"], _aware(row["until"])
    free = current in ("", holder) or until is None or until <= now or _dead_here(current)
    if not free:
        return False
    # Atomic: only the row as we read it is taken over (a second taker finds it changed and gets nothing).
    condition = (Bezorger.naam == LEASE_NAME) & (Bezorger.holder == current)
    taken = await Bezorger.update({Bezorger.holder: holder, Bezorger.until: now + LEASE}).where(
        condition).returning(Bezorger.id)
    return bool(taken)


async def release_lease(holder: str | None = None) -> None:
    holder = holder or HOLDER
    await Bezorger.update({Bezorger.holder: "", Bezorger.until: None}).where(
        (Bezorger.naam == LEASE_NAME) & (Bezorger.holder == holder))


async def _jobs_due(holder: str) -> bool:
    """True at most once per JOB_INTERVAL, and only for the lease holder."""
    now = dates.now()
    row = await Bezorger.select(Bezorger.jobs_at).where(
        (Bezorger.naam == LEASE_NAME) & (Bezorger.holder == holder)).first()
    if row is None:
        return False
    last = _aware(row["jobs_at"])
    if last is not None and now - last < JOB_INTERVAL:
        return False
    condition = (Bezorger.naam == LEASE_NAME) & (Bezorger.holder == holder)
    condition &= Bezorger.jobs_at.is_null() if last is None else Bezorger.jobs_at == row["jobs_at"]
    return bool(await Bezorger.update({Bezorger.jobs_at: now}).where(condition).returning(Bezorger.id))


# ----------------------------------------------------------------------------------------------- claiming

async def requeue_orphans() -> int:
    """Rows left `bezig` by a deliverer that died (its claim expired, or its process is gone): back in the queue."""
    now = dates.now()
    holders = {row["claimed_by"] for row in await Bericht.select(Bericht.claimed_by).where(
        Bericht.status == BerichtStatus.bezig.value)}
    dead = [holder for holder in holders if _dead_here(holder)]
    condition: Any = Bericht.claimed_until < now
    if dead:
        condition |= Bericht.claimed_by.is_in(dead)
    rows = await Bericht.update({Bericht.status: BerichtStatus.wachtrij.value, Bericht.claimed_until: None,
                                 Bericht.claimed_by: ""}).where(
        (Bericht.status == BerichtStatus.bezig.value) & condition).returning(Bericht.id)
    if rows:
        logger.warning("berichten: %d bericht(en) van een gestopte bezorger opnieuw in de wachtrij", len(rows))
    return len(rows)


async def claim_due(limit: int, holder: str) -> list[int]:
    """Claim up to `limit` due rows for this holder, oldest first; their ids."""
    now = dates.now()
    due = (Bericht.status == BerichtStatus.wachtrij.value) & (Bericht.next_attempt_at <= now)
    async with db.write_transaction():
        query = Bericht.select(Bericht.id).where(due).order_by(Bericht.id).limit(limit)
        if db.engine_name() == "postgres":
            query = query.lock_rows("UPDATE", skip_locked=True)
        ids = [row["id"] for row in await query]
        if not ids:
            return []
        claimed = await Bericht.update({
            Bericht.status: BerichtStatus.bezig.value, Bericht.claimed_by: holder,
            Bericht.claimed_until: now + CLAIM,
        }).where(Bericht.id.is_in(ids) & (Bericht.status == BerichtStatus.wachtrij.value)).returning(Bericht.id)
    return sorted(row["id"] for row in claimed)


async def _outgoing(row: dict, cache: dict[int, bytes] | None = None) -> Outgoing:
    """The composed message of an outbox row; `cache` keeps attachment bytes shared by a batch's rows."""
    cache = {} if cache is None else cache
    files = []
    for item in _json(row["attachments"], []):
        if item["bijlage"] not in cache:
            cache[item["bijlage"]] = await attachment_bytes(item["bijlage"])
        files.append((item["filename"], item["content_type"], cache[item["bijlage"]]))
    mail_from = get_settings().mail_from
    message = compose(mail_from=mail_from, to_email=row["to_email"], to_name=row["to_name"],
                      subject=row["subject"], text=row["text"], html=row["html"], message_id=row["message_id"],
                      headers=_json(row["headers"], {}), attachments=files)
    return Outgoing(message=message, sender=parseaddr(mail_from)[1], recipient=row["to_email"])


def _json(value: Any, default: Any) -> Any:
    import json

    if value is None or value == "":
        return default
    return json.loads(value) if isinstance(value, str) else value


# ----------------------------------------------------------------------------------------------- deferred files

class RenderFailure(TemporaryFailure):
    """A deferred attachment could not be made now: the row is retried with back-off."""


def _pending(items: list[dict]) -> list[dict]:
    return [item for item in items if item.get("later") and item.get("bijlage") is None]


async def _render(later: dict, filename: str, renderers: Renderers) -> bytes:
    """Make one deferred attachment (outside any write transaction: a PDF takes a while)."""
    renderer = renderers.get(later["renderer"])
    if renderer is None:
        raise RenderFailure(f"bijlage {filename}: geen maker voor '{later['renderer']}' in deze bezorger")
    try:
        data = await renderer(int(later["object_id"]))
    except LookupError as exc:
        raise LookupError(f"bijlage {filename} kan niet meer gemaakt worden: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - any renderer failure: retried later, the reason on the row
        logger.exception("berichten: bijlage %s niet gemaakt", filename)
        raise RenderFailure(f"bijlage {filename} kon niet gemaakt worden: {type(exc).__name__}: {exc}") from exc
    if not isinstance(data, bytes | bytearray) or not data:
        raise RenderFailure(f"bijlage {filename} kon niet gemaakt worden: lege inhoud")
    return bytes(data)


async def _store(data: bytes) -> dict:
    """The bytes stored once; the metadata every row of the token then carries."""
    digest = hashlib.sha256(data).hexdigest()
    stored = await BerichtBijlage.insert(BerichtBijlage(sha256=digest, size=len(data), data=data)
                                         ).returning(BerichtBijlage.id)
    return {"bijlage": stored[0]["id"], "size": len(data), "sha256": digest}


async def _share(row: dict, token: str, made: dict) -> None:
    """Every row queued with this token (the same kind and object) points at the stored bytes."""
    same_object = (Bericht.object_id == row["object_id"]) if row["object_id"] is not None else \
        Bericht.object_id.is_null()
    siblings = await Bericht.select(Bericht.id, Bericht.attachments).where(
        (Bericht.kind == row["kind"]) & (Bericht.object_type == row["object_type"]) & same_object)
    for sibling in siblings:
        items = _json(sibling["attachments"], [])
        hit = False
        for item in _pending(items):
            if item["later"].get("token") == token:
                item.update(made)
                hit = True
        if hit:
            await Bericht.update({Bericht.attachments: items}).where(Bericht.id == sibling["id"])


async def materialise(row: dict, renderers: Renderers, made: dict[str, dict | Exception]) -> dict:
    """The row with its deferred attachments made (rendered once per token; `made` remembers a batch's results,
    failures included, so 20 rows of one token cost one render, or one failed try)."""
    items = _json(row["attachments"], [])
    if not _pending(items):
        return row
    for item in _pending(items):
        token = str(item["later"].get("token", ""))
        if token not in made:
            try:
                data = await _render(item["later"], item["filename"], renderers)
                async with db.write_transaction():
                    result = await _store(data)
                    await _share(row, token, result)
                made[token] = result
            except (RenderFailure, LookupError) as exc:
                made[token] = exc
        outcome = made[token]
        if isinstance(outcome, Exception):
            raise outcome
        item.update(outcome)
    return {**row, "attachments": items}


# ----------------------------------------------------------------------------------------------- results

async def _sent(row: dict, holder: str) -> None:
    await Bericht.update({Bericht.status: BerichtStatus.verstuurd.value, Bericht.sent_at: dates.now(),
                          Bericht.attempts: Bericht.attempts + 1, Bericht.claimed_until: None,
                          Bericht.last_error: ""}).where((Bericht.id == row["id"]) & (Bericht.claimed_by == holder))
    await _audit("mail_verstuurd", row)


async def _failed(row: dict, holder: str, reason: str, permanent: bool) -> None:
    attempts = row["attempts"] + 1
    if not permanent and attempts >= MAX_ATTEMPTS:
        permanent, reason = True, f"opgegeven na {attempts} pogingen: {reason}"
    values: dict = {Bericht.attempts: attempts, Bericht.last_error: reason[:1000], Bericht.claimed_until: None,
                    Bericht.claimed_by: ""}
    if permanent:
        values[Bericht.status] = BerichtStatus.mislukt.value
    else:
        values[Bericht.status] = BerichtStatus.wachtrij.value
        values[Bericht.next_attempt_at] = dates.now() + backoff(attempts)
    await Bericht.update(values).where((Bericht.id == row["id"]) & (Bericht.claimed_by == holder))
    if permanent:
        await _audit("mail_mislukt", row)
    logger.warning("berichten: bericht %s %s: %s", row["id"], "mislukt" if permanent else "later opnieuw", reason)


async def _unclaim(ids: Sequence[int], holder: str) -> None:
    """Claimed but not tried (the lease was lost): back in the queue as they were."""
    if ids:
        await Bericht.update({Bericht.status: BerichtStatus.wachtrij.value, Bericht.claimed_until: None,
                              Bericht.claimed_by: ""}).where(
            Bericht.id.is_in(list(ids)) & (Bericht.claimed_by == holder) & (
                Bericht.status == BerichtStatus.bezig.value))


async def _audit(actie: str, row: dict) -> None:
    await audit.record(actie, user_id=row["user_id"], object_type=row["object_type"] or "bericht",
                       object_id=str(row["object_id"] if row["object_id"] is not None else row["id"]),
                       uitkomst=row["kind"], route=f"bericht {row['id']}")


# ----------------------------------------------------------------------------------------------- delivering

async def deliver_due(limit: int = BATCH, *, holder: str | None = None, renderers: Renderers | None = None) -> int:
    """Send up to `limit` due messages if this process holds (or gets) the lease; how many were sent.
    Nothing happens without SMTP_URL. `renderers` make the deferred attachments (by name)."""
    holder = holder or HOLDER
    config = parse_url(get_settings().smtp_url)
    if config is None or not await acquire_lease(holder):
        return 0
    await requeue_orphans()
    ids = await claim_due(limit, holder)
    if not ids:
        return 0
    connection = Connection(config)
    sent = 0
    rows = {row["id"]: row for row in await Bericht.select().where(
        Bericht.id.is_in(ids) & (Bericht.claimed_by == holder) & (Bericht.status == BerichtStatus.bezig.value))}
    files: dict[int, bytes] = {}
    made: dict[str, dict | Exception] = {}
    renewed = time.monotonic()
    try:
        for position, row_id in enumerate(ids):
            # The lease is renewed while delivering (well before it could expire); lost: stop, give the rest back.
            if time.monotonic() - renewed > RENEW_AFTER:
                if not await acquire_lease(holder):
                    await _unclaim(ids[position:], holder)
                    break
                renewed = time.monotonic()
            row = rows.get(row_id)
            if row is None:
                continue
            try:
                row = await materialise(row, renderers or {}, made)
                outgoing = await _outgoing(row, files)
                await anyio.to_thread.run_sync(connection.send, outgoing)
            except PermanentFailure as exc:
                await _failed(row, holder, str(exc), permanent=True)
            except RenderFailure as exc:  # the file could not be made: this row later, the others go on
                await _failed(row, holder, str(exc), permanent=False)
            except TemporaryFailure as exc:
                await _failed(row, holder, str(exc), permanent=False)
                if connection.smtp is None:  # the server is gone: the rest waits for the next tick
                    await _unclaim(ids[position + 1:], holder)
                    break
            except (ValueError, LookupError) as exc:  # a message we cannot compose: never retried
                await _failed(row, holder, f"bericht kon niet opgesteld worden: {exc}", permanent=True)
            else:
                await _sent(row, holder)
                sent += 1
    finally:
        await anyio.to_thread.run_sync(connection.close)
    return sent


async def deliver_all(*, holder: str | None = None, renderers: Renderers | None = None) -> int:
    """Deliver until nothing due is left (or the server stops answering)."""
    total = 0
    while True:
        sent = await deliver_due(holder=holder, renderers=renderers)
        total += sent
        if sent < BATCH:
            return total


async def _run_jobs(jobs: Sequence[Job]) -> None:
    for job in jobs:
        try:
            await job()
        except Exception:  # noqa: BLE001 - one failing job must not stop delivery or the other jobs
            logger.exception("berichten: taak %s mislukt", getattr(job, "__name__", job))


async def run_once(jobs: Sequence[Job] = (), *, holder: str | None = None,
                   renderers: Renderers | None = None) -> int | None:
    """`manage.py berichten --once`: deliver what is due and run the jobs when due; None if another deliverer
    holds the lease."""
    holder = holder or HOLDER
    if not await acquire_lease(holder):
        return None
    try:
        if await _jobs_due(holder):
            await _run_jobs(jobs)
        return await deliver_all(holder=holder, renderers=renderers)
    finally:
        await release_lease(holder)


async def run_loop(jobs: Sequence[Job] = (), stop: asyncio.Event | None = None, *, tick: float = TICK,
                   holder: str | None = None, renderers: Renderers | None = None) -> None:
    """The delivery loop (app lifespan, `manage.py berichten`): every tick deliver, at most every JOB_INTERVAL
    run each job, all under the single-deliverer lease; returns when `stop` is set (releasing the lease)."""
    holder = holder or HOLDER
    stop = stop or asyncio.Event()
    try:
        while not stop.is_set():
            try:
                if await acquire_lease(holder):
                    if await _jobs_due(holder):
                        await _run_jobs(jobs)
                    await deliver_all(holder=holder, renderers=renderers)
            except Exception:  # noqa: BLE001 - a database hiccup must not end the loop
                logger.exception("berichten: bezorgronde mislukt")
            try:
                await asyncio.wait_for(stop.wait(), timeout=tick)
            except TimeoutError:
                pass
    finally:
        try:
            await release_lease(holder)
        except Exception:  # noqa: BLE001 - at shutdown the database may be gone already; the lease expires
            logger.warning("berichten: lease niet vrijgegeven (verloopt vanzelf)")

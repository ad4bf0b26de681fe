"""What the beheerder reads at /beheer/berichten: the outbox, newest first, and "opnieuw versturen"."""

from __future__ import annotations

from typing import Any

from berichten.tables import Bericht, BerichtStatus
from common import dates

PER_PAGE = 50
LIST_COLUMNS = (Bericht.id, Bericht.kind, Bericht.to_email, Bericht.to_name, Bericht.subject, Bericht.status,
                Bericht.attempts, Bericht.last_error, Bericht.sent_at, Bericht.created_at, Bericht.next_attempt_at)


async def page(status: str = "", pagina: int = 1) -> tuple[list[dict[str, Any]], int]:
    """(rows, total) of one page of the outbox, optionally of one status."""
    query = Bericht.select(*LIST_COLUMNS).order_by(Bericht.id, ascending=False)
    count = Bericht.count()
    if status in BerichtStatus.values():
        query = query.where(Bericht.status == status)
        count = count.where(Bericht.status == status)
    rows = await query.limit(PER_PAGE).offset((max(pagina, 1) - 1) * PER_PAGE)
    return rows, await count


async def one(bericht_id: int) -> dict[str, Any] | None:
    return await Bericht.select().where(Bericht.id == bericht_id).first()


async def retry(bericht_id: int) -> bool:
    """A failed message back in the queue, due now, with the same Message-ID (it was never accepted)."""
    rows = await Bericht.update({Bericht.status: BerichtStatus.wachtrij.value, Bericht.next_attempt_at: dates.now(),
                                 Bericht.attempts: 0}).where(
        (Bericht.id == bericht_id) & (Bericht.status == BerichtStatus.mislukt.value)).returning(Bericht.id)
    return bool(rows)

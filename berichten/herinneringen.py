"""Reminders go once: a reminder job claims its key ("actie:12:te_laat:2026-12-01") before queueing the mail, in
the same transaction, so a second run — or a second instance — finds the key taken and sends nothing."""

from __future__ import annotations

from berichten.voorkeur_tables import Herinnering
from common import dates


async def claim(sleutel: str) -> bool:
    """True the first time for this key (the caller then queues its mail in the same transaction), else False."""
    inserted = await Herinnering.insert(Herinnering(sleutel=sleutel[:200], verstuurd_op=dates.now())).on_conflict(
        action="DO NOTHING").returning(Herinnering.id)
    return bool(inserted)

"""Old mail is forgotten: a sent or failed outbox row holds a person's address, name and the text of what was
sent, so it is kept only as long as someone may still ask about its delivery (KEEP), then deleted with the attachment
bytes no other row needs; the daily-digest holdings go the same way once bundled. A job of the delivery loop,
done at most once a day (a Herinnering key per day), so a second instance finds the day taken."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from berichten import herinneringen
from berichten.tables import Bericht, BerichtBijlage, BerichtStatus
from berichten.voorkeur_tables import Uitgesteld
from common import dates, db

KEEP = dt.timedelta(days=90)
CHUNK = 500  # ids per IN (…): far below SQLite's parameter limit


def _bijlagen(value: Any) -> set[int]:
    items = json.loads(value) if isinstance(value, str) else (value or [])
    return {item["bijlage"] for item in items if isinstance(item, dict) and isinstance(item.get("bijlage"), int)}


async def forget_old_mail(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete sent/failed mails and bundled digest holdings older than KEEP; {"berichten", "bijlagen", "uitgesteld"}."""
    limit = (now or dates.now()) - KEEP
    finished = Bericht.status.is_in([BerichtStatus.verstuurd.value, BerichtStatus.mislukt.value])
    async with db.write_transaction():
        old = await Bericht.select(Bericht.id, Bericht.attachments).where(finished & (Bericht.created_at < limit))
        ids = [row["id"] for row in old]
        for start in range(0, len(ids), CHUNK):
            await Bericht.delete().where(Bericht.id.is_in(ids[start:start + CHUNK]))
        candidates = set().union(*(_bijlagen(row["attachments"]) for row in old)) if old else set()
        if candidates:
            # Rows queued together share their attachment; one of them may still be waiting or be younger.
            kept = await Bericht.select(Bericht.attachments)
            candidates -= set().union(*(_bijlagen(row["attachments"]) for row in kept)) if kept else set()
        unused = sorted(candidates)
        for start in range(0, len(unused), CHUNK):
            await BerichtBijlage.delete().where(BerichtBijlage.id.is_in(unused[start:start + CHUNK]))
        held = await Uitgesteld.delete().where(Uitgesteld.gebundeld_op < limit).returning(Uitgesteld.id)
    return {"berichten": len(ids), "bijlagen": len(unused), "uitgesteld": len(held)}


async def dagelijks_opruimen() -> dict[str, int] | None:
    """The delivery loop's job: forget old mail once a local day; None when this day was done already."""
    if not await herinneringen.claim(f"opruimen:berichten:{dates.today().isoformat()}"):
        return None
    return await forget_old_mail()

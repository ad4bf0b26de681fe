"""The daily digest: the mails a person chose to get "dagelijks" are held (berichten.voorkeur_tables.Uitgesteld)
and bundled once a day, after DIGEST_HOUR local time, into one mail per person. A job of the delivery loop:
idempotent (held rows are marked in the transaction that queues their digest)."""

from __future__ import annotations

import datetime as dt

from berichten import outbox, render
from berichten.outbox import Recipient
from berichten.voorkeur_tables import Uitgesteld
from common import dates, db

DIGEST_HOUR = 7


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Mails held before this moment go into the digest: today DIGEST_HOUR:00 local, or yesterday's before it."""
    local = dates.local(now or dates.now())
    moment = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if local < moment:
        moment -= dt.timedelta(days=1)
    return moment


async def dagelijks_overzicht() -> int:
    """Queue one digest per person with everything held before the cut-off; how many digests were queued."""
    limit = cutoff()
    users = {row["user_id"] for row in await Uitgesteld.select(Uitgesteld.user_id).where(
        Uitgesteld.gebundeld_op.is_null() & (Uitgesteld.aangemaakt_op < limit))}
    queued = 0
    for user_id in sorted(users):
        async with db.write_transaction():
            rows = await Uitgesteld.select().where(
                (Uitgesteld.user_id == user_id) & Uitgesteld.gebundeld_op.is_null()
                & (Uitgesteld.aangemaakt_op < limit)).order_by(Uitgesteld.id)
            if not rows:
                continue
            marked = await Uitgesteld.update({Uitgesteld.gebundeld_op: dates.now()}).where(
                Uitgesteld.id.is_in([row["id"] for row in rows]) & Uitgesteld.gebundeld_op.is_null()
            ).returning(Uitgesteld.id)
            if len(marked) != len(rows):  # another run took them
                continue
            last = rows[-1]
            subject, text, html = render.render("dagelijks_overzicht", items=rows, aantal=len(rows))
            await outbox.queue(kind="dagelijks_overzicht", to=[Recipient(last["email"], last["naam"], user_id)],
                               subject=subject, text=text, html=html, object_type="overzicht",
                               gemeente_id=last["gemeente"])
            queued += 1
    return queued

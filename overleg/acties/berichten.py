"""The mails of an action: assigned → the people of its partner organisation; its deadline within REMIND_DAYS,
and passed → its partner; passed → the chairs too. The reminders are a job of the delivery loop and go once per
action and deadline (berichten.herinneringen). The action's text goes through the privacy guard's redaction."""

from __future__ import annotations

import datetime as dt

from berichten.herinneringen import claim
from berichten.render import absolute_url
from berichten.voorkeuren import queue_for_user
from common import db
from common.dates import today
from overleg.overleggen import berichten as ontvangers
from overleg.tables import Actie, ActieStatus
from signalen.mailtekst import redacted

REMIND_DAYS = 3
OPEN = (ActieStatus.open.value, ActieStatus.bezig.value)


def _columns() -> list:
    return [Actie.id, Actie.wat, Actie.deadline, Actie.partner, Actie.partner.naam.as_alias("partner_naam"),
            Actie.overleg.naam.as_alias("overleg_naam"), Actie.overleg.gemeente.as_alias("gemeente")]


def _context(row: dict, **extra) -> dict:
    return {"afzender": row["overleg_naam"], "wat": redacted(row["wat"]), "deadline": row["deadline"],
            "partner": row["partner_naam"] or "", "link": absolute_url("/acties/"), **extra}


async def toegewezen(actie_id: int, *, actor_id: int | None) -> list[int]:
    """Inside the transaction that creates the action: tell its partner's people (nothing without a partner)."""
    row = await Actie.select(*_columns()).where(Actie.id == actie_id).first()
    if row is None or row["partner"] is None:
        return []
    return await queue_for_user(kind="actie_toegewezen", to=await ontvangers.for_partner(row["partner"]),
                                context=_context(row), object_type="actie", object_id=actie_id,
                                gemeente_id=row["gemeente"], actor_id=actor_id)


async def herinneringen() -> int:
    """The job: reminders for open actions whose deadline is near or passed, each once; how many mails."""
    now = today()
    rows = await Actie.select(*_columns()).where(
        Actie.status.is_in(list(OPEN)) & Actie.deadline.is_not_null()
        & (Actie.deadline <= now + dt.timedelta(days=REMIND_DAYS))).order_by(Actie.id)
    queued = 0
    for row in rows:
        late = row["deadline"] < now
        key = f"actie:{row['id']}:{'te_laat' if late else 'binnenkort'}:{row['deadline']}"
        async with db.write_transaction():
            if not await claim(key):
                continue
            to = await ontvangers.for_partner(row["partner"])
            common = {"object_type": "actie", "object_id": row["id"], "gemeente_id": row["gemeente"]}
            queued += len(await queue_for_user(kind="actie_herinnering", to=to, context=_context(
                row, te_laat=late, dagen=abs((row["deadline"] - now).days), voor_voorzitter=False), **common))
            if late:
                queued += len(await queue_for_user(kind="actie_herinnering", to=await ontvangers.chairs(
                    row["gemeente"]), context=_context(row, te_laat=True, dagen=(now - row["deadline"]).days,
                                                       voor_voorzitter=True), **common))
    return queued

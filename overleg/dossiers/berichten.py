"""The loop back to the worker: when signals they recorded are put on an agenda, signalled to the council, answered
or fed back to the young people, their author gets one mail (kind "signaal_opgevolgd") with a link to each signal
page. Titles through the privacy guard's redaction; never a quote."""

from __future__ import annotations

from berichten.render import absolute_url
from berichten.voorkeuren import queue_for_user
from overleg.overleggen import berichten as ontvangers
from signalen.mailtekst import redacted
from signalen.tables import Signaal, Status

STAPPEN = {
    Status.geagendeerd: "staat op de agenda van het overleg",
    Status.gesignaleerd: "is in een signaalnota aan het beleid gesignaleerd",
    Status.beantwoord: "kreeg een antwoord van het beleid",
    Status.teruggekoppeld: "is teruggekoppeld naar de jongeren",
}


async def signaal_opgevolgd(signaal_ids: list[int], status: Status, *, actor_id: int | None, why: str) -> int:
    """Queue one mail per author of these signals, which just moved to `status` (a signal that was there already is
    not announced twice); how many were queued. Runs inside the caller's transaction, right after the move."""
    if not signaal_ids:
        return 0
    rows = await Signaal.select(Signaal.id, Signaal.titel, Signaal.auteur, Signaal.gemeente).where(
        Signaal.id.is_in(list(signaal_ids)) & (Signaal.status == status.value)).order_by(Signaal.id)
    per_author: dict[int, list[dict]] = {}
    for row in rows:
        per_author.setdefault(row["auteur"], []).append(row)
    queued = 0
    for auteur, signalen in per_author.items():
        recipient = await ontvangers.user(auteur)
        if recipient is None:
            continue
        gemeente = signalen[0]["gemeente"]
        context = {
            "afzender": await ontvangers.afzender(gemeente), "stap": STAPPEN[status], "waarom": redacted(why),
            "signalen": [{"titel": redacted(s["titel"]), "link": absolute_url(f"/signalen/{s['id']}")}
                         for s in signalen],
        }
        queued += len(await queue_for_user(kind="signaal_opgevolgd", to=[recipient], context=context,
                                           object_type="signaal", object_id=signalen[0]["id"],
                                           gemeente_id=gemeente, actor_id=actor_id))
    return queued

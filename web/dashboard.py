"""What each role sees first at /: a worker their signals, a chair the meeting and what waits, a partner their
agendas and actions, a coördinator every gemeente side by side. Aggregates in SQL, tenancy from the guards."""

from __future__ import annotations

import datetime as dt

from piccolo.query.functions.aggregate import Count

from admin.guards import aggregate_gemeente_ids, gemeente_ids_with, register_gemeente_ids
from admin.sessions import CurrentUser
from admin.tables import LoginPoging, Rol
from common.dates import today
from overleg.access import PUBLISHED, partner_ids_of
from overleg.notas import lifecycle as nota_lifecycle
from overleg.tables import Actie, Dossier, Signaalnota, Vergadering
from signalen.tables import Signaal, SignaalHistoriek

OPEN_ACTIONS = ["open", "bezig"]


async def previous_visit(user: CurrentUser) -> dt.datetime | None:
    """When this user logged in before the current visit (the changes since then are news)."""
    rows = await (LoginPoging.select(LoginPoging.tijdstip)
                  .where((LoginPoging.username == user.username.lower()) & (LoginPoging.geslaagd == True))  # noqa: E712
                  .order_by(LoginPoging.tijdstip, ascending=False).limit(2))
    return rows[1]["tijdstip"] if len(rows) == 2 else None


async def worker(user: CurrentUser) -> dict:
    mine = Signaal.auteur == user.id
    recent = await (Signaal.select(Signaal.id, Signaal.titel, Signaal.datum, Signaal.status)
                    .where(mine).order_by(Signaal.aangemaakt_op, ascending=False).limit(5))
    since = await previous_visit(user)
    changes_where = (SignaalHistoriek.signaal.auteur == user.id) & (SignaalHistoriek.soort != "bewerking") & (
        SignaalHistoriek.gebruiker != user.id)
    if since:
        changes_where &= SignaalHistoriek.tijdstip > since
    changes = await (SignaalHistoriek.select(
        SignaalHistoriek.signaal.id.as_alias("signaal"), SignaalHistoriek.signaal.titel.as_alias("titel"),
        SignaalHistoriek.van, SignaalHistoriek.naar, SignaalHistoriek.tijdstip)
        .where(changes_where).order_by(SignaalHistoriek.tijdstip, ascending=False).limit(10))
    return {"recent": recent, "wijzigingen": changes, "sinds": since}


async def chair(user: CurrentUser) -> dict:
    ids = sorted(gemeente_ids_with(user, {Rol.voorzitter}))
    day = today()
    next_meeting = await (Vergadering.select(Vergadering.id, Vergadering.datum, Vergadering.begin,
                                             Vergadering.plaats, Vergadering.status,
                                             Vergadering.overleg.naam.as_alias("overleg"))
                          .where(Vergadering.overleg.gemeente.is_in(ids) & (Vergadering.datum >= day))
                          .order_by(Vergadering.datum).first())
    ripe = await (Signaal.select(Signaal.dossier, Count(alias="signalen"))
                  .where(Signaal.gemeente.is_in(ids) & Signaal.dossier.is_not_null())
                  .group_by(Signaal.dossier))
    counts = {r["dossier"]: r["signalen"] for r in ripe}
    dossiers = await (Dossier.select(Dossier.id, Dossier.titel, Dossier.status)
                      .where(Dossier.gemeente.is_in(ids) & (Dossier.status == "open")
                             & Dossier.samengevoegd_in.is_null()))
    ripe_dossiers = sorted(({**d, "signalen": counts.get(d["id"], 0)} for d in dossiers
                            if counts.get(d["id"], 0) >= 3), key=lambda d: -d["signalen"])
    unbundled = await Signaal.count().where(
        Signaal.gemeente.is_in(ids) & (Signaal.status == "nieuw") & Signaal.dossier.is_null())
    overdue_actions = await (Actie.select(Actie.id, Actie.wat, Actie.deadline, Actie.partner.naam.as_alias("partner"))
                             .where(Actie.overleg.gemeente.is_in(ids) & (Actie.deadline < day)
                                    & Actie.status.is_in(OPEN_ACTIONS))
                             .order_by(Actie.deadline))
    overdue_answers = await nota_lifecycle.overdue_answers(user)  # one definition of "overdue", shared
    return {"volgende_vergadering": next_meeting, "rijpe_dossiers": ripe_dossiers[:8],
            "ongebundeld": unbundled, "acties_te_laat": overdue_actions, "antwoorden_te_laat": overdue_answers}


async def partner(user: CurrentUser) -> dict:
    ids = sorted(gemeente_ids_with(user, {Rol.partner}))
    agendas = await (Vergadering.select(Vergadering.id, Vergadering.datum, Vergadering.begin, Vergadering.plaats,
                                        Vergadering.overleg.naam.as_alias("overleg"))
                     .where(Vergadering.overleg.gemeente.is_in(ids) & Vergadering.status.is_in(list(PUBLISHED))
                            & (Vergadering.datum >= today()))
                     .order_by(Vergadering.datum).limit(5))
    partners = sorted(await partner_ids_of(user))
    actions = []
    if partners:
        actions = await (Actie.select(Actie.id, Actie.wat, Actie.deadline, Actie.status)
                         .where(Actie.partner.is_in(partners) & Actie.status.is_in(OPEN_ACTIONS))
                         .order_by(Actie.deadline))
    return {"agendas": agendas, "acties": actions, "vandaag": today()}


async def coordinator(user: CurrentUser) -> list[dict]:
    ids = sorted(aggregate_gemeente_ids(user))
    by_status = await (Signaal.select(Signaal.gemeente, Signaal.status, Count(alias="n"))
                       .where(Signaal.gemeente.is_in(ids)).group_by(Signaal.gemeente, Signaal.status))
    dossiers = await (Dossier.select(Dossier.gemeente, Count(alias="n"))
                      .where(Dossier.gemeente.is_in(ids) & (Dossier.status != "afgerond")
                             & Dossier.samengevoegd_in.is_null())
                      .group_by(Dossier.gemeente))
    notas = await (Signaalnota.select(Signaalnota.gemeente, Count(alias="n"))
                   .where(Signaalnota.gemeente.is_in(ids) & Signaalnota.verstuurd_op.is_not_null())
                   .group_by(Signaalnota.gemeente))
    rows = []
    for gemeente in sorted((user.gemeenten[i] for i in ids), key=lambda g: g.naam):
        counts = {r["status"]: r["n"] for r in by_status if r["gemeente"] == gemeente.id}
        rows.append({
            "gemeente": gemeente, "signalen": sum(counts.values()), "nieuw": counts.get("nieuw", 0),
            "dossiers": next((r["n"] for r in dossiers if r["gemeente"] == gemeente.id), 0),
            "notas": next((r["n"] for r in notas if r["gemeente"] == gemeente.id), 0),
            "lid": gemeente.id in register_gemeente_ids(user),
        })
    return rows

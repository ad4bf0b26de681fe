"""What a chair and a partner see first at /: the next meeting, ripe dossiers, what waits and what is late; a
partner's coming agendas and open actions."""

from __future__ import annotations

from piccolo.query.functions.aggregate import Count

from admin.sessions import CurrentUser
from admin.tables import Rol
from admin.tenancy import gemeente_ids_with, in_gemeenten
from common.dates import today
from overleg.access import PUBLISHED, partner_ids_of
from overleg.notas import lifecycle as nota_lifecycle
from overleg.tables import Actie, ActieStatus, Dossier, DossierStatus, Vergadering, VergaderingStatus
from overleg.vergaderingen import stappen
from signalen.tables import Signaal, Status

OPEN_ACTIONS = [ActieStatus.open.value, ActieStatus.bezig.value]


async def chair(user: CurrentUser) -> dict:
    ids = sorted(gemeente_ids_with(user, {Rol.voorzitter}))
    day = today()
    columns = (Vergadering.id, Vergadering.datum, Vergadering.begin, Vergadering.plaats, Vergadering.status,
               Vergadering.overleg.id.as_alias("overleg_id"), Vergadering.overleg.naam.as_alias("overleg"))
    mine = in_gemeenten(Vergadering.overleg.gemeente, ids)
    gehouden = VergaderingStatus.gehouden.value
    # A held meeting is never "the next one", even on its own day.
    next_meeting = await (Vergadering.select(*columns)
                          .where(mine & (Vergadering.datum >= day) & (Vergadering.status != gehouden))
                          .order_by(Vergadering.datum, Vergadering.begin).first())
    last_meeting = await (Vergadering.select(*columns)
                          .where(mine & ((Vergadering.status == gehouden) | (Vergadering.datum < day)))
                          .order_by(Vergadering.datum, ascending=False).first())
    for meeting in (next_meeting, last_meeting):
        if meeting:
            stand = (await stappen.verslag_standen([{**meeting, "overleg": meeting["overleg_id"]}]))[meeting["id"]]
            meeting["stap"] = stappen.current_stage(meeting)
            meeting["verslag"] = stappen.VERSLAG[stand]
            meeting["toon_verslag"] = stappen.verslag_zichtbaar(meeting, stand)
    ripe = await (Signaal.select(Signaal.dossier, Count(alias="signalen"))
                  .where(in_gemeenten(Signaal.gemeente, ids) & Signaal.dossier.is_not_null())
                  .group_by(Signaal.dossier))
    counts = {r["dossier"]: r["signalen"] for r in ripe}
    dossiers = await (Dossier.select(Dossier.id, Dossier.titel, Dossier.status)
                      .where(in_gemeenten(Dossier.gemeente, ids) & (Dossier.status == DossierStatus.open.value)
                             & Dossier.samengevoegd_in.is_null()))
    ripe_dossiers = sorted(({**d, "signalen": counts.get(d["id"], 0)} for d in dossiers
                            if counts.get(d["id"], 0) >= 3), key=lambda d: -d["signalen"])
    unbundled = await Signaal.count().where(
        in_gemeenten(Signaal.gemeente, ids) & (Signaal.status == Status.nieuw.value) & Signaal.dossier.is_null())
    overdue_actions = await (Actie.select(Actie.id, Actie.wat, Actie.deadline, Actie.partner.naam.as_alias("partner"))
                             .where(in_gemeenten(Actie.overleg.gemeente, ids) & (Actie.deadline < day)
                                    & Actie.status.is_in(OPEN_ACTIONS))
                             .order_by(Actie.deadline))
    overdue_answers = await nota_lifecycle.overdue_answers(user)  # one definition of "overdue", shared
    return {"volgende_vergadering": next_meeting, "vorige_vergadering": last_meeting,
            "rijpe_dossiers": ripe_dossiers[:8], "ongebundeld": unbundled, "acties_te_laat": overdue_actions,
            "antwoorden_te_laat": overdue_answers}


async def partner(user: CurrentUser) -> dict:
    ids = sorted(gemeente_ids_with(user, {Rol.partner}))
    agendas = await (Vergadering.select(Vergadering.id, Vergadering.datum, Vergadering.begin, Vergadering.plaats,
                                        Vergadering.overleg.naam.as_alias("overleg"))
                     .where(in_gemeenten(Vergadering.overleg.gemeente, ids) & Vergadering.status.is_in(list(PUBLISHED))
                            & (Vergadering.datum >= today()))
                     .order_by(Vergadering.datum).limit(5))
    partners = sorted(await partner_ids_of(user))
    actions = []
    if partners:
        actions = await (Actie.select(Actie.id, Actie.wat, Actie.deadline, Actie.status)
                         .where(Actie.partner.is_in(partners) & Actie.status.is_in(OPEN_ACTIONS))
                         .order_by(Actie.deadline))
    return {"agendas": agendas, "acties": actions, "vandaag": today()}

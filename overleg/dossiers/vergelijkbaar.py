"""Unbundled signals that fit a dossier: GET /api/v1/dossiers/{id}/vergelijkbaar and the dossier page's section.

The dossier is read as the user may read it (services.get_dossier: 404 otherwise); the candidates are raw signals of
the register, so only who reads the register of the dossier's gemeente gets them (a partner reads the dossier, never
the unbundled register: 404 here). Candidates: status nieuw, in no dossier, of the dossier's gemeente, minus the
signals someone already rejected for this dossier (Afwijzing rows with `dossier`). The fit of a candidate is its
best fit with any member signal (the maximum over the members' vectors).
"""

from __future__ import annotations

from admin import tenancy
from admin.sessions import CurrentUser
from admin.tenancy import in_gemeenten
from common.ids import not_found
from overleg.dossiers import services as dossiers
from overleg.tables import Afwijzing
from signalen import embeddings, similar, vergelijkbaar
from signalen.tables import Signaal, Status

MAX_MEMBERS = 200  # the newest members of a big dossier speak for it


async def for_dossier(user: CurrentUser, dossier_id: object, limit: int = 3) -> list[dict]:
    dossier = await dossiers.get_dossier(user, dossier_id)
    if dossier["gemeente_id"] not in tenancy.register_gemeente_ids(user):
        raise not_found()
    return await fitting(dossier, limit)


async def fitting(dossier: dict, limit: int = 3) -> list[dict]:
    """For a dossier the caller already read under tenancy: the unbundled signals that fit it, best first."""
    gemeente = dossier["gemeente_id"]
    members = await (
        Signaal.select(*embeddings.COLUMNS, Signaal.plek, Signaal.signaaltype, Signaal.levensdomein)
        .where((Signaal.dossier == dossier["id"]) & in_gemeenten(Signaal.gemeente, gemeente))
        .order_by(Signaal.id, ascending=False).limit(MAX_MEMBERS)
    )
    vectors = await embeddings.vectors_for(members)
    if not vectors:
        return []
    target = similar.profile(members, [vectors[row["id"]] for row in members if row["id"] in vectors])
    rejected = await Afwijzing.select(Afwijzing.signaal).where(
        (Afwijzing.dossier == dossier["id"]) & in_gemeenten(Afwijzing.gemeente, gemeente))
    rows, candidate_vectors = await vergelijkbaar.candidates(
        gemeente, exclude=[row["signaal"] for row in rejected],
        extra=(Signaal.status == Status.nieuw.value) & Signaal.dossier.is_null())
    return await vergelijkbaar.rank(target, rows, candidate_vectors, limit)

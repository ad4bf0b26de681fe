"""Bundling suggestions for the chair: the unbundled signals of one gemeente, matched to its open dossiers and
grouped among themselves by overleg.clustering, minus what someone rejected before (Afwijzing).

- unbundled: status `nieuw` and in no dossier (the most recent MAX_SIGNALS of them);
- existing: dossiers that are open or geagendeerd and not merged into another;
- a rejected new group stores every pair in it; a rejected match stores (signal, dossier) per signal;
- a signal taken out of a dossier (DossierHistoriek `signaal_verwijderd`) is never proposed for it again, and
  resembling it counts against that dossier;
- sentence meaning comes only through signalen.embeddings.vectors_for (stored vectors; missing ones embedded and
  stored once); without vectors the engine falls back to words alone.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import numpy as np
from litestar.exceptions import PermissionDeniedException

from admin import tenancy
from admin.sessions import CurrentUser
from admin.tenancy import in_gemeenten
from common import dates
from common.errors import FieldErrors
from common.ids import not_found
from overleg.dossiers import clustering
from overleg.dossiers import services as dossiers
from overleg.tables import Afwijzing, Dossier, DossierActie, DossierHistoriek, DossierStatus
from signalen import embeddings
from signalen.tables import Signaal, Status

MAX_SIGNALS = 2000
MAX_GROUP = 100
OPEN = (DossierStatus.open.value, DossierStatus.geagendeerd.value)


def chair_gemeente(user: CurrentUser, gemeente: Any) -> Any:
    """The GemeenteRef the user chairs for this slug. No slug: their only chair gemeente, if there is one.
    A gemeente they do not sit in → 404; one where they are not the chair → 403."""
    if gemeente in (None, ""):
        chaired = tenancy.chair_gemeente_ids(user)
        if len(chaired) == 1:
            return user.gemeenten[next(iter(chaired))]
        if chaired:
            raise FieldErrors({"gemeente": "Kies de gemeente."}, status_code=400)
        if tenancy.member_gemeente_ids(user):
            raise PermissionDeniedException("Dit kan alleen de voorzitter van het overleg.")
        raise not_found()
    members = tenancy.member_gemeente_ids(user)
    ref = next((g for g in user.gemeenten.values() if g.slug == gemeente and g.id in members), None)
    if ref is None:
        raise not_found()
    tenancy.require_chair(user, ref.id)
    return ref


def _text(row: dict, vectors: dict[int, np.ndarray] | None = None) -> clustering.SignalText:
    datum = row["datum"]
    if isinstance(datum, str):
        datum = dt.date.fromisoformat(datum[:10])
    return clustering.SignalText(
        id=row["id"], titel=row["titel"] or "", omschrijving=row["omschrijving"] or "", plek=row["plek"] or "",
        signaaltype=row["signaaltype"] or "", levensdomein=row["levensdomein"] or "", datum=datum,
        vector=(vectors or {}).get(row["id"]),
    )


def _signal_columns() -> list:
    return [Signaal.id, Signaal.titel, Signaal.omschrijving, Signaal.plek, Signaal.datum, Signaal.dossier,
            Signaal.signaaltype.slug.as_alias("signaaltype"), Signaal.levensdomein.slug.as_alias("levensdomein"),
            Signaal.betekenis]


_TAKEN_OUT = re.compile(r"^(\d+):")  # bundling.unbundle logs "<signal id>: <titel>[ — reason]"


async def _unbundled(gemeente_id: int) -> list[dict]:
    return await (
        Signaal.select(*_signal_columns())
        .where(in_gemeenten(Signaal.gemeente, gemeente_id) & Signaal.dossier.is_null()
               & (Signaal.status == Status.nieuw.value))
        .order_by(Signaal.datum, ascending=False)
        .order_by(Signaal.id, ascending=False)
        .limit(MAX_SIGNALS)
    )


async def _profiles(gemeente_id: int) -> tuple[list[dict], list[dict], list[dict], set[tuple[int, int]]]:
    """The open dossiers, their member signals, the signals taken out of them and the (signal, dossier) pairs
    of those take-outs (a signal back in the same dossier since then is a member again, not taken out)."""
    rows = await Dossier.select(Dossier.id, Dossier.titel, Dossier.omschrijving).where(
        in_gemeenten(Dossier.gemeente, gemeente_id) & Dossier.status.is_in(list(OPEN))
        & Dossier.samengevoegd_in.is_null())
    if not rows:
        return [], [], [], set()
    ids = [r["id"] for r in rows]
    members = await Signaal.select(*_signal_columns()).where(Signaal.dossier.is_in(ids))
    logged = await DossierHistoriek.select(DossierHistoriek.dossier, DossierHistoriek.toelichting).where(
        DossierHistoriek.dossier.is_in(ids) & (DossierHistoriek.actie == DossierActie.signaal_verwijderd.value))
    inside = {(r["id"], r["dossier"]) for r in members}
    taken: set[tuple[int, int]] = set()
    for row in logged:
        found = _TAKEN_OUT.match(row["toelichting"] or "")
        if found and (int(found.group(1)), row["dossier"]) not in inside:
            taken.add((int(found.group(1)), row["dossier"]))
    out_rows: list[dict] = []
    if taken:
        out_rows = await Signaal.select(*_signal_columns()).where(
            Signaal.id.is_in(sorted({s for s, _ in taken})) & in_gemeenten(Signaal.gemeente, gemeente_id))
    return rows, members, out_rows, taken


def _build_profiles(rows: list[dict], members: list[dict], out_rows: list[dict], taken: set[tuple[int, int]],
                    vectors: dict[int, np.ndarray]) -> list[clustering.DossierProfile]:
    per: dict[int, list[clustering.SignalText]] = {r["id"]: [] for r in rows}
    for row in members:
        per[row["dossier"]].append(_text(row, vectors))
    by_id = {r["id"]: _text(r, vectors) for r in out_rows}
    out: dict[int, list[clustering.SignalText]] = {r["id"]: [] for r in rows}
    for signaal, dossier in sorted(taken):
        if signaal in by_id:
            out[dossier].append(by_id[signaal])
    return [clustering.DossierProfile(id=r["id"], titel=r["titel"], omschrijving=r["omschrijving"] or "",
                                      signalen=tuple(per[r["id"]]), uitgehaald=tuple(out[r["id"]])) for r in rows]


async def _rejections(gemeente_id: int) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    rows = await Afwijzing.select(Afwijzing.signaal, Afwijzing.ander_signaal, Afwijzing.dossier).where(
        in_gemeenten(Afwijzing.gemeente, gemeente_id))
    pairs = {(r["signaal"], r["ander_signaal"]) for r in rows if r["ander_signaal"] is not None}
    pairs |= {(b, a) for a, b in pairs}
    matches = {(r["signaal"], r["dossier"]) for r in rows if r["dossier"] is not None}
    return pairs, matches


async def suggestions(user: CurrentUser, gemeente: Any) -> dict:
    """{"gemeente", "bestaande": [{"dossier", "dossier_titel", "signalen", "reden", "score"}],
    "nieuw": [{"signalen", "titel_voorstel", "reden", "score"}], "signalen": {id: {titel, datum, plek}}}."""
    ref = chair_gemeente(user, gemeente)
    rows = await _unbundled(ref.id)
    dossier_rows, members, out_rows, taken = await _profiles(ref.id)
    vectors = await embeddings.vectors_for(list({r["id"]: r for r in [*rows, *members, *out_rows]}.values()))
    profiles = _build_profiles(dossier_rows, members, out_rows, taken, vectors)
    titles = {r["id"]: r["titel"] for r in dossier_rows}
    pairs, matches = await _rejections(ref.id)
    existing, new = clustering.suggest([_text(r, vectors) for r in rows], profiles, rejected_pairs=pairs,
                                       rejected_matches=matches | taken)
    info = {r["id"]: {"id": r["id"], "titel": r["titel"], "datum": _text(r).datum, "plek": r["plek"] or ""}
            for r in rows}
    return {
        "gemeente": ref.slug,
        "gemeente_naam": ref.naam,
        "bestaande": [{"dossier": m.dossier, "dossier_titel": titles.get(m.dossier, ""), "signalen": list(m.signalen),
                       "reden": m.reden, "score": m.score} for m in existing],
        "nieuw": [{"signalen": list(g.signalen), "titel_voorstel": g.titel_voorstel, "reden": g.reden,
                   "score": g.score} for g in new],
        "signalen": info,
    }


async def _checked(user: CurrentUser, gemeente: Any, signaal_ids: Any, dossier_id: Any) -> tuple[Any, list[int]]:
    ref = chair_gemeente(user, gemeente)
    ids = dossiers.signal_ids(signaal_ids)
    if not ids or len(ids) > MAX_GROUP:
        raise FieldErrors({"signalen": f"Kies 1 tot {MAX_GROUP} signalen."})
    found = await Signaal.select(Signaal.id).where(Signaal.id.is_in(ids) & in_gemeenten(Signaal.gemeente, ref.id))
    if len(found) != len(ids):
        raise FieldErrors({"signalen": f"Alleen signalen van {ref.naam} kunnen in dit voorstel."})
    if dossier_id is not None:
        dossier = await dossiers.get_dossier(user, dossier_id)
        if dossier["gemeente_id"] != ref.id:
            raise FieldErrors({"dossier": f"Kies een dossier van {ref.naam}."})
    return ref, ids


async def accept(user: CurrentUser, gemeente: Any, signaal_ids: Any, *, dossier_id: Any = None,
                 titel: Any = None, omschrijving: Any = "", bevestig: Any = False) -> dict:
    """A match → the signals join that dossier; a new group → a new dossier with the proposed title (which
    passes the privacy guard like any dossier title: it is made of the signals' words)."""
    ref, ids = await _checked(user, gemeente, signaal_ids, dossier_id)
    if dossier_id is not None:
        return await dossiers.add_signalen(user, dossier_id, ids)
    return await dossiers.create_dossier(user, ref.slug, titel or "Nieuwe bundel", omschrijving or "", ids,
                                         bevestig=bevestig)


async def reject(user: CurrentUser, gemeente: Any, signaal_ids: Any, *, dossier_id: Any = None) -> int:
    """Remember a rejected suggestion so it is never proposed again; returns the number of rows stored."""
    ref, ids = await _checked(user, gemeente, signaal_ids, dossier_id)
    if dossier_id is None and len(ids) < 2:
        raise FieldErrors({"signalen": "Een groep heeft minstens twee signalen."})
    pairs, matches = await _rejections(ref.id)
    now = dates.now()
    if dossier_id is not None:
        rows = [Afwijzing(gemeente=ref.id, signaal=i, dossier=dossier_id, door=user.id, tijdstip=now)
                for i in ids if (i, dossier_id) not in matches]
    else:
        rows = [Afwijzing(gemeente=ref.id, signaal=a, ander_signaal=b, door=user.id, tijdstip=now)
                for a, b in itertools.combinations(sorted(ids), 2) if (a, b) not in pairs]
    if rows:
        await Afwijzing.insert(*rows)
    return len(rows)

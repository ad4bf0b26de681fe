"""Dossiers: signals of one gemeente bundled around one need. Plain async services over the tables; no HTTP.

Reading goes through access.dossier_scope (foreign and unknown ids alike: 404); every change needs the chair of
the dossier's gemeente (tenancy.require_chair: 403 for other members). Signals change status only through
signalen.services.set_status (history, 409 on an illegal move). A signal sits in at most one dossier: it is
bundled with a conditional UPDATE, so two chairs bundling the same signal at once cannot both win.
The moves themselves live in overleg.dossier_bundling, the evidence summary in overleg.dossier_evidence
(re-exported here as `evidence`): other modules call this one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.exceptions import NotFoundException
from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Count, Max

from admin import tenancy
from admin.sessions import CurrentUser
from admin.tenancy import in_gemeenten
from common import dates
from common.db import write_transaction
from common.errors import Conflict, FieldErrors
from common.ids import as_id, not_found
from overleg import access, guard
from overleg.dossiers import bundling
from overleg.dossiers.evidence import evidence  # noqa: F401  (part of this module's API)
from overleg.tables import Commentaar, Dossier, DossierActie, DossierHistoriek, DossierStatus
from signalen.tables import Signaal, Status
from signalen.validation import clean_text

ACTIVE = (DossierStatus.open.value, DossierStatus.geagendeerd.value, DossierStatus.in_behandeling.value)
LIMITS = {"titel": 200, "omschrijving": 10_000, "tekst": 5000, "toelichting": 2000}
MAX_SIGNALEN = 500  # per call
MAX_NAMED_FINDINGS = guard.MAX_NAMED_FINDINGS


def valid_id(value: Any) -> bool:
    return not isinstance(value, str) and as_id(value) is not None


def _text(values: dict, name: str, errors: dict, *, required: bool = False) -> str:
    text = clean_text(values.get(name)).strip()
    if required and not text:
        errors[name] = {"titel": "Geef het dossier een korte titel.", "tekst": "Schrijf eerst je commentaar."}[name]
    elif len(text) > LIMITS[name]:
        errors[name] = f"Gebruik hoogstens {LIMITS[name]} tekens."
    return text


def signal_ids(raw: Any, field: str = "signalen") -> list[int]:
    """A list of signal ids from JSON or a form (duplicates dropped, order kept); 422 for anything else."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else None
    if items is None or len(items) > MAX_SIGNALEN:
        raise FieldErrors({field: f"Geef een lijst van hoogstens {MAX_SIGNALEN} signaal-ids."})
    ids: list[int] = []
    for item in items:
        value = as_id(item) or item
        if not valid_id(value):
            raise FieldErrors({field: "Elk signaal is een positief getal (id)."})
        if value not in ids:
            ids.append(value)
    return ids


def _label(row: dict) -> dict:
    row["status_label"] = DossierStatus.label_for(row["status"])
    return row


def _columns() -> list:
    return [
        *Dossier.all_columns(exclude=[Dossier.gemeente, Dossier.aangemaakt_door]),
        Dossier.gemeente.as_alias("gemeente_id"),
        Dossier.gemeente.slug.as_alias("gemeente"),
        Dossier.gemeente.naam.as_alias("gemeente_naam"),
        Dossier.aangemaakt_door.as_alias("aangemaakt_door"),
    ]


# ----------------------------------------------------------------------------- reading

async def get_dossier(user: CurrentUser, dossier_id: Any) -> dict:
    """A dossier the user may read, with `status_label` and `mag_beheren`; 404 otherwise."""
    scope = await access.dossier_scope(user)
    if scope is None or not valid_id(dossier_id):
        raise not_found()
    row = await Dossier.select(*_columns()).where((Dossier.id == dossier_id) & scope).first()
    if row is None:
        raise not_found()
    row["mag_beheren"] = tenancy.is_chair(user, row["gemeente_id"])
    return _label(row)


async def chair_dossier(user: CurrentUser, dossier_id: Any) -> dict:
    """A dossier the user may change: 404 when they cannot read it, 403 when they are not its chair."""
    dossier = await get_dossier(user, dossier_id)
    tenancy.require_chair(user, dossier["gemeente_id"])
    return dossier


async def list_dossiers(user: CurrentUser, *, gemeente_id: int | None = None, status: str | None = None,
                        ids: list[int] | None = None) -> list[dict]:
    """Readable dossiers, newest first, each with `aantal_signalen` and `laatste_datum` (one GROUP BY)."""
    scope = await access.dossier_scope(user)
    if scope is None:
        return []
    where: Combinable = scope
    if gemeente_id is not None:
        where &= in_gemeenten(Dossier.gemeente, gemeente_id)
    if status:
        where &= Dossier.status == status
    if ids is not None:
        where &= Dossier.id.is_in(ids or [0])
    rows = await Dossier.select(*_columns()).where(where).order_by(Dossier.aangemaakt_op, ascending=False)
    counts = {}
    if rows:
        counts = {r["dossier"]: r for r in await Signaal.select(
            Signaal.dossier, Count(alias="n"), Max(Signaal.datum, alias="laatste"),
        ).where(Signaal.dossier.is_in([r["id"] for r in rows])).group_by(Signaal.dossier)}
    for row in rows:
        found = counts.get(row["id"], {})
        row["aantal_signalen"], row["laatste_datum"] = found.get("n", 0), _date(found.get("laatste"))
        _label(row)
    return rows


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


async def status_counts(user: CurrentUser, gemeente_id: int | None = None) -> dict[str, int]:
    scope = await access.dossier_scope(user)
    if scope is None:
        return {}
    where = scope if gemeente_id is None else scope & in_gemeenten(Dossier.gemeente, gemeente_id)
    rows = await Dossier.select(Dossier.status, Count(alias="n")).where(where).group_by(Dossier.status)
    return {row["status"]: row["n"] for row in rows}


async def signalen(dossier_id: int) -> list[dict]:
    """The signals in a dossier, oldest first: what a reader of the dossier may see of them."""
    return await (
        Signaal.select(Signaal.id, Signaal.titel, Signaal.datum, Signaal.plek, Signaal.status,
                       Signaal.aantal_jongeren)
        .where(Signaal.dossier == dossier_id)
        .order_by(Signaal.datum)
        .order_by(Signaal.id)
    )


async def unbundled(gemeente_id: int, limit: int = 100) -> list[dict]:
    """Signals of a gemeente that sit in no dossier and are still `nieuw` (newest first)."""
    return await (
        Signaal.select(Signaal.id, Signaal.titel, Signaal.datum, Signaal.plek)
        .where(in_gemeenten(Signaal.gemeente, gemeente_id) & Signaal.dossier.is_null()
               & (Signaal.status == Status.nieuw.value))
        .order_by(Signaal.datum, ascending=False)
        .order_by(Signaal.id, ascending=False)
        .limit(limit)
    )


async def history(dossier_id: int) -> list[dict]:
    return await (
        DossierHistoriek.select(
            DossierHistoriek.tijdstip, DossierHistoriek.actie, DossierHistoriek.toelichting,
            DossierHistoriek.gebruiker.first_name.as_alias("voornaam"),
            DossierHistoriek.gebruiker.last_name.as_alias("achternaam"),
        )
        .where(DossierHistoriek.dossier == dossier_id)
        .order_by(DossierHistoriek.tijdstip)
        .order_by(DossierHistoriek.id)
    )


async def comments(dossier_id: int) -> list[dict]:
    return await (
        Commentaar.select(
            Commentaar.id, Commentaar.tekst, Commentaar.tijdstip,
            Commentaar.user.first_name.as_alias("voornaam"), Commentaar.user.last_name.as_alias("achternaam"),
        )
        .where(Commentaar.dossier == dossier_id)
        .order_by(Commentaar.tijdstip)
        .order_by(Commentaar.id)
    )


# ----------------------------------------------------------------------------- writing

def _refuse_if_closed(dossier: dict) -> None:
    if dossier["samengevoegd_in"]:
        raise Conflict(f"Dit dossier is samengevoegd in dossier {dossier['samengevoegd_in']}.")
    if dossier["status"] == DossierStatus.afgerond.value:
        raise Conflict("Dit dossier is afgerond. Zet het eerst terug open.")


def _gemeente_for(user: CurrentUser, gemeente: Any) -> int:
    """The gemeente (slug or id) the user sits in; 422 when none is given, 404 when it is not theirs (the same for
    one that does not exist), 403 when they see it but do not chair it."""
    message = "Kies een gemeente waarvan je het overleg voorzit."
    if isinstance(gemeente, bool) or not isinstance(gemeente, int | str) or not str(gemeente).strip():
        raise FieldErrors({"gemeente": message})
    visible = next((g.id for g in user.gemeenten.values() if gemeente in (g.slug, g.id)), None)
    if visible is None or visible not in tenancy.member_gemeente_ids(user):
        raise FieldErrors({"gemeente": message}, detail=message, status_code=404 if visible is None else 403)
    tenancy.require_chair(user, visible)
    return visible


async def create_dossier(user: CurrentUser, gemeente: Any, titel: Any, omschrijving: Any = "",
                         signaal_ids: Any = None, bevestig: Any = False) -> dict:
    """A new open dossier (chair only), optionally with signals bundled into it right away. Partners read the
    title and description: the privacy guard refuses them (422) unless `bevestig` is True."""
    errors: dict[str, str] = {}
    values = {"titel": titel, "omschrijving": omschrijving}
    clean: dict[str, Any]  # spread into Dossier(...) below
    clean = {"titel": _text(values, "titel", errors, required=True), "omschrijving": _text(values, "omschrijving",
                                                                                             errors)}
    refused: FieldErrors | None = None
    try:
        gemeente_id = _gemeente_for(user, gemeente)
    except FieldErrors as exc:
        refused, gemeente_id = exc, None
        errors.update(exc.fields)
    ids = signal_ids(signaal_ids)
    if errors:  # a foreign gemeente keeps its 403, with the other fields' messages beside it
        raise FieldErrors(errors, detail=refused.detail if refused else None,
                          status_code=refused.status_code if refused else 422)
    found = guard.check(clean, user.id, bevestig, what="Dit dossier")
    async with write_transaction():
        dossier = Dossier(gemeente=gemeente_id, aangemaakt_door=user.id, aangemaakt_op=dates.now(), versie=1,
                          status=DossierStatus.open.value, persoonsgegevens=guard.dumps(found), **clean)
        await dossier.save()
        await bundling.log(dossier.id, user.id, DossierActie.aangemaakt, clean["titel"])
        row = await get_dossier(user, dossier.id)
        await bundling.bundle(user.id, row, ids, move=False)
    return await get_dossier(user, dossier.id)


async def add_signalen(user: CurrentUser, dossier_id: Any, signaal_ids: Any, *, move: bool = False) -> dict:
    """Bundle signals of the dossier's gemeente into it: `nieuw` ones become `gebundeld`. A signal of another
    gemeente (or unknown) → 422; one already in another dossier → 409 unless `move`."""
    dossier = await chair_dossier(user, dossier_id)
    _refuse_if_closed(dossier)
    ids = signal_ids(signaal_ids)
    if not ids:
        raise FieldErrors({"signalen": "Kies minstens één signaal."})
    async with write_transaction():
        await bundling.bundle(user.id, dossier, ids, move=move)
    return await get_dossier(user, dossier["id"])


async def remove_signaal(user: CurrentUser, dossier_id: Any, signaal_id: Any, toelichting: Any = "") -> dict:
    """Take a signal out of the dossier: it goes back to `nieuw` (409 once it went further than gebundeld)."""
    dossier = await chair_dossier(user, dossier_id)
    reason = clean_text(toelichting).strip()[: LIMITS["toelichting"]]
    if not valid_id(signaal_id):
        raise not_found()
    async with write_transaction():
        if not await bundling.unbundle(user.id, dossier, signaal_id, reason):
            raise not_found()
    return await get_dossier(user, dossier["id"])


async def merge_dossiers(user: CurrentUser, source_id: Any, target_id: Any) -> dict:
    """Move every signal of `source` into `target` (same gemeente); the source is closed with samengevoegd_in."""
    source = await chair_dossier(user, source_id)
    if not valid_id(target_id):
        raise FieldErrors({"doel": "Kies het dossier waarin je dit dossier wil samenvoegen."})
    if target_id == source["id"]:
        raise FieldErrors({"doel": "Een dossier kan niet in zichzelf opgaan."})
    try:
        target = await get_dossier(user, target_id)
    except NotFoundException:  # an unreadable target is just an unknown one
        target = None
    if target is None or target["gemeente_id"] != source["gemeente_id"]:
        raise FieldErrors({"doel": "Kies een dossier van dezelfde gemeente."})
    _refuse_if_closed(source)
    _refuse_if_closed(target)
    async with write_transaction():
        await bundling.merge(user.id, source, target)
    return await get_dossier(user, target["id"])


async def update_dossier(user: CurrentUser, dossier_id: Any, data: dict[str, Any], versie: Any,
                         bevestig: Any = False) -> dict:
    """Change titel, omschrijving and/or status (only keys present in `data`); a stale `versie` → 409. The new
    title and description pass the privacy guard (findings confirmed before stay confirmed)."""
    current = await chair_dossier(user, dossier_id)
    if isinstance(versie, bool) or not isinstance(versie, int):
        raise FieldErrors({"versie": "Geef de versie waarop je wijziging steunt."})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if "titel" in data:
        values["titel"] = _text(data, "titel", errors, required=True)
    if "omschrijving" in data:
        values["omschrijving"] = _text(data, "omschrijving", errors)
    if "status" in data:
        if data["status"] not in DossierStatus.values():
            errors["status"] = "Kies een geldige status."
        values["status"] = data["status"]
    if errors:
        raise FieldErrors(errors)
    if versie != current["versie"]:
        raise Conflict("Iemand anders heeft dit dossier intussen gewijzigd.", _public(current))
    if current["samengevoegd_in"]:
        raise Conflict(f"Dit dossier is samengevoegd in dossier {current['samengevoegd_in']}; wijzig dat dossier.")
    texts = {name: values.get(name, current[name]) for name in ("titel", "omschrijving")}
    found = guard.check(texts, user.id, bevestig, what="Dit dossier", previous=current["persoonsgegevens"])
    changed = [k for k, v in values.items() if current[k] != v]
    async with write_transaction():
        # Piccolo takes column names too; its annotation (dict[Column | str, Any]) is invariant in the key.
        done = await Dossier.update({**values, "versie": versie + 1,  # type: ignore[dict-item]
                                     "persoonsgegevens": guard.dumps(found)}).where(
            (Dossier.id == current["id"]) & (Dossier.versie == versie)).returning(Dossier.id)
        if not done:
            raise Conflict("Iemand anders heeft dit dossier intussen gewijzigd.",
                           _public(await get_dossier(user, current["id"])))
        if changed:
            parts = [f"status: {DossierStatus(current['status']).label} → {DossierStatus(values['status']).label}"
                     if k == "status" else k for k in changed]
            await bundling.log(current["id"], user.id, DossierActie.bewerkt, "Gewijzigd: " + ", ".join(parts))
    return await get_dossier(user, current["id"])


def _public(row: dict) -> dict:
    keys = ("id", "gemeente", "titel", "omschrijving", "status", "samengevoegd_in", "versie")
    return {k: row[k] for k in keys}


async def add_comment(user: CurrentUser, dossier_id: Any, tekst: Any, bevestig: Any = False) -> dict:
    """Everyone who may read the dossier (partners included) may comment on it. The privacy guard refuses
    (422, with `persoonsgegevens`) a text that may identify a young person, unless `bevestig` is True."""
    dossier = await get_dossier(user, dossier_id)
    errors: dict[str, str] = {}
    text = _text({"tekst": tekst}, "tekst", errors, required=True)
    if errors:
        raise FieldErrors(errors)
    found = guard.check({"tekst": text}, user.id, bevestig, what="Dit commentaar")
    comment = Commentaar(dossier=dossier["id"], user=user.id, tekst=text, tijdstip=dates.now(),
                         persoonsgegevens=guard.dumps(found))
    await comment.save()
    return {"id": comment.id, "tekst": text, "tijdstip": comment.tijdstip, "door": user.naam}

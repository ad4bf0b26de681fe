"""Signal services: plain async functions over the tables. Tenancy comes from admin.guards; no HTTP here."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from litestar.exceptions import HTTPException
from piccolo.custom_types import Combinable
from piccolo.query import OrderByRaw
from piccolo.query.functions.aggregate import Count

from admin.sessions import CurrentUser
from admin.tables import Rol
from admin.tenancy import REGISTER_ROLES, gemeente_by_slug, in_gemeenten, register_gemeente_ids, roles_in
from common import dates
from common.db import is_unique_violation, write_transaction
from common.errors import Conflict, FieldErrors
from common.ids import as_id, not_found
from signalen import privacy, search, workflow
from signalen.rows import SignaalRow
from signalen.tables import HistoriekSoort, Levensdomein, Signaal, SignaalHistoriek, Signaaltype, Status
from signalen.validation import Taxonomy, check

FREE_TEXT = ("titel", "omschrijving", "plek", "citaten")


class PersonalDataFound(FieldErrors):
    """422: the privacy guard found personal data that nobody confirmed."""

    def __init__(self, findings: list[privacy.Finding]) -> None:
        fields: dict[str, str] = {}
        for finding in findings:
            field = finding.field.split(".")[0]
            fields.setdefault(field, f"Mogelijk persoonsgegevens: {privacy.KINDS[finding.kind]} ‘{finding.text}’.")
        super().__init__(fields, detail="Dit signaal bevat mogelijk persoonsgegevens. Vervang ze, of bevestig dat "
                                        "ze nodig zijn.", extra={"persoonsgegevens": [f.as_dict() for f in findings]})
        self.findings = findings



# ----------------------------------------------------------------------------- taxonomy

async def load_taxonomy() -> Taxonomy:
    rows = await Levensdomein.raw(
        "SELECT 'l' AS soort, id, slug, actief FROM levensdomein UNION ALL "
        "SELECT 't' AS soort, id, slug, actief FROM signaaltype"
    )
    tax = Taxonomy({}, {})
    for row in rows:
        known, active = (
            (tax.levensdomeinen, tax.actief_levensdomein) if row["soort"] == "l"
            else (tax.signaaltypes, tax.actief_signaaltype)
        )
        known[row["slug"]] = row["id"]
        if row["actief"]:
            active.add(row["slug"])
    return tax


async def taxonomy_lists(include_inactive: bool = False) -> dict[str, list[dict]]:
    def query(table):
        q = table.select(table.slug, table.naam, table.omschrijving, table.actief).order_by(table.volgorde)
        return q if include_inactive else q.where(table.actief == True)  # noqa: E712

    return {
        "levensdomeinen": await query(Levensdomein).order_by(Levensdomein.naam),
        "signaaltypes": await query(Signaaltype).order_by(Signaaltype.naam),
    }


# ----------------------------------------------------------------------------- reading

def _columns():
    return [
        *Signaal.all_columns(exclude=[Signaal.zoektekst, Signaal.betekenis, Signaal.gemeente, Signaal.auteur]),
        Signaal.gemeente.id.as_alias("gemeente_id"),
        Signaal.gemeente.slug.as_alias("gemeente"),
        Signaal.gemeente.naam.as_alias("gemeente_naam"),
        Signaal.levensdomein.slug.as_alias("levensdomein_slug"),
        Signaal.levensdomein.naam.as_alias("levensdomein_naam"),
        Signaal.signaaltype.slug.as_alias("signaaltype_slug"),
        Signaal.signaaltype.naam.as_alias("signaaltype_naam"),
        Signaal.auteur.id.as_alias("auteur"),
        Signaal.auteur.first_name.as_alias("auteur_voornaam"),
        Signaal.auteur.last_name.as_alias("auteur_achternaam"),
    ]


def _shape(row: dict) -> SignaalRow:
    row["levensdomein_id"], row["signaaltype_id"] = row["levensdomein"], row["signaaltype"]
    row["levensdomein"] = row.pop("levensdomein_slug")
    row["signaaltype"] = row.pop("signaaltype_slug")
    row["auteur_naam"] = " ".join(p for p in (row.pop("auteur_voornaam"), row.pop("auteur_achternaam")) if p)
    for key in ("citaten", "persoonsgegevens"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key] or "[]")
    if isinstance(row.get("datum"), str):
        row["datum"] = dt.date.fromisoformat(row["datum"])
    return row  # type: ignore[return-value]  # the keys of _columns(), reshaped above


async def get_signaal(user: CurrentUser, signaal_id: int) -> SignaalRow:
    """A signal of a gemeente whose register the user may read; 404 otherwise (foreign and unknown alike)."""
    allowed = register_gemeente_ids(user)
    if not allowed or not isinstance(signaal_id, int) or not 0 < signaal_id < 2**63:
        raise not_found()
    row = await (
        Signaal.select(*_columns())
        .where((Signaal.id == signaal_id) & in_gemeenten(Signaal.gemeente, list(allowed)))
        .first()
    )
    if row is None:
        raise not_found()
    return _shape(row)


async def history(signaal_id: int) -> list[dict]:
    return await (
        SignaalHistoriek.select(
            SignaalHistoriek.tijdstip, SignaalHistoriek.soort, SignaalHistoriek.van, SignaalHistoriek.naar,
            SignaalHistoriek.toelichting,
            SignaalHistoriek.gebruiker.first_name.as_alias("voornaam"),
            SignaalHistoriek.gebruiker.last_name.as_alias("achternaam"),
        )
        .where(SignaalHistoriek.signaal == signaal_id)
        .order_by(SignaalHistoriek.tijdstip)
        .order_by(SignaalHistoriek.id)
    )


async def plekken(gemeente_ids: list[int], limit: int = 60) -> list[str]:
    """Places used before in these gemeenten, most used first (suggestions for the intake)."""
    if not gemeente_ids:
        return []
    rows = await (
        Signaal.select(Signaal.plek, Count(alias="n"))
        .where(in_gemeenten(Signaal.gemeente, gemeente_ids) & (Signaal.plek != ""))
        .group_by(Signaal.plek)
        .order_by(OrderByRaw("n"), ascending=False)
        .order_by(Signaal.plek)
        .limit(limit)
    )
    return [row["plek"] for row in rows]


# ----------------------------------------------------------------------------- permissions

def can_create_in(user: CurrentUser, gemeente_id: int) -> bool:
    return bool(roles_in(user, gemeente_id) & REGISTER_ROLES)


def can_edit(user: CurrentUser, signaal: Mapping[str, Any]) -> bool:
    roles = roles_in(user, signaal["gemeente_id"])
    return Rol.voorzitter in roles or (signaal["auteur"] == user.id and bool(roles & REGISTER_ROLES))


def allowed_statuses(user: CurrentUser, signaal: Mapping[str, Any]) -> list[Status]:
    """The statuses this user may move the signal to by hand."""
    roles = roles_in(user, signaal["gemeente_id"])
    following = workflow.next_statuses(signaal["status"])
    if Rol.voorzitter in roles:
        return following
    if signaal["auteur"] == user.id and roles & REGISTER_ROLES:
        return [s for s in following if s in (Status.niet_weerhouden, Status.nieuw)]
    return []


# ----------------------------------------------------------------------------- writing

def _privacy_fields(values: dict) -> dict:
    return {name: values.get(name) for name in FREE_TEXT if name in values}


def guard_privacy(values: dict, user: CurrentUser, *, confirm: bool, previous: list[dict]) -> list[dict]:
    """The confirmed findings to store; raises PersonalDataFound while anything is unconfirmed."""
    findings = privacy.scan_fields(_privacy_fields(values))
    if privacy.unconfirmed(findings, previous) and not confirm:
        raise PersonalDataFound(privacy.unconfirmed(findings, previous))
    return privacy.confirmations(findings, user.id, previous)


FOREIGN_GEMEENTE = "Je kan geen signalen registreren voor deze gemeente."


CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
CLIENT_ID_MESSAGE = "Ongeldige client_id: 8 tot 64 letters, cijfers, - of _ (bv. een UUID)."
FOREIGN_CLIENT_ID = "Deze client_id hoort bij een signaal van iemand anders. Maak een nieuwe aan."


def parse_client_id(raw: Any) -> tuple[str | None, str | None]:
    """(the client_id, None) or (None, a Dutch message); empty or absent is no client_id at all."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if not isinstance(raw, str) or not CLIENT_ID.fullmatch(raw.strip()):
        return None, CLIENT_ID_MESSAGE
    return raw.strip(), None


async def _stored_for(user: CurrentUser, client_id: str) -> SignaalRow | None:
    """The signal this user stored before with this client_id; 409 when it is someone else's."""
    rows = await Signaal.select(Signaal.id, Signaal.auteur).where(Signaal.client_id == client_id)
    own = [row["id"] for row in rows if row["auteur"] == user.id]
    if own:
        return await get_signaal(user, own[0])
    if rows:
        raise Conflict(FOREIGN_CLIENT_ID)
    return None


async def create_signaal(user: CurrentUser, data: dict[str, Any], *, confirm: bool = False,
                         client_id: Any = None) -> SignaalRow:
    return (await register_signaal(user, data, confirm=confirm, client_id=client_id))[0]


async def register_signaal(user: CurrentUser, data: dict[str, Any], *, confirm: bool = False,
                           client_id: Any = None) -> tuple[SignaalRow, bool]:
    """Store a new signal: (the signal, True). With a client_id this user sent before: (that signal, False), so a
    retried send never stores a second one — also when two sends race (the unique index decides)."""
    errors: dict[str, str] = {}
    cid, cid_error = parse_client_id(client_id)
    if cid_error:
        errors["client_id"] = cid_error
    elif cid is not None:
        stored = await _stored_for(user, cid)
        if stored is not None:
            return stored, False
    gemeente = None
    slug = data.get("gemeente")
    if not isinstance(slug, str) or not slug.strip():
        errors["gemeente"] = "Kies de gemeente."
    else:
        try:
            gemeente = gemeente_by_slug(user, slug.strip(), REGISTER_ROLES)
        except HTTPException:
            errors["gemeente"] = FOREIGN_GEMEENTE
    checked = check(data, await load_taxonomy())
    errors.update(checked.errors)
    if errors:
        # A gemeente the user may not register for is a matter of rights, not of a badly filled-in field: 404 when
        # it is not theirs (the same for one that does not exist), 403 when their role there may not register. The
        # form shows every message on its field all the same.
        status = 422
        if errors.get("gemeente") == FOREIGN_GEMEENTE:
            status = 403 if any(g.slug == str(slug).strip() for g in user.gemeenten.values()) else 404
        raise FieldErrors(errors, detail=FOREIGN_GEMEENTE if status != 422 else None, status_code=status)
    assert gemeente is not None  # no gemeente is an error above
    values = checked.values
    found = guard_privacy(values, user, confirm=confirm, previous=[])
    now = dates.now()
    try:
        async with write_transaction():
            signaal = Signaal(
                gemeente=gemeente.id, auteur=user.id, status=Status.nieuw.value, versie=1,
                aangemaakt_op=now, gewijzigd_op=now, client_id=cid,
                persoonsgegevens=json.dumps(found),
                zoektekst=search.document(values["titel"], values["omschrijving"], values["plek"],
                                          values["citaten"]),
                **{**values, "citaten": json.dumps(values["citaten"], ensure_ascii=False)},
            )
            await signaal.save()
            await SignaalHistoriek(signaal=signaal.id, tijdstip=now, gebruiker=user.id,
                                   soort=HistoriekSoort.status.value, van="", naar=Status.nieuw.value,
                                   toelichting="Geregistreerd").save()
    except Exception as exc:
        # Two sends of one queued signal at once: the other one stored it first.
        if cid is None or not is_unique_violation(exc):
            raise
        stored = await _stored_for(user, cid)
        if stored is None:
            raise
        return stored, False
    return await get_signaal(user, signaal.id), True


EDITABLE = ("titel", "omschrijving", "datum", "plek", "bron", "levensdomein", "signaaltype",
            "aantal_jongeren", "leeftijd", "citaten")


async def update_signaal(user: CurrentUser, signaal_id: int, data: dict[str, Any], versie: Any,
                         *, confirm: bool = False) -> SignaalRow:
    current = await get_signaal(user, signaal_id)
    if not can_edit(user, current):
        raise not_found() if not roles_in(user, current["gemeente_id"]) else HTTPException(
            status_code=403, detail="Alleen de auteur of de voorzitter kan dit signaal bewerken.")
    if isinstance(versie, bool) or not isinstance(versie, int):
        raise FieldErrors({"versie": "Geef de versie waarop je wijziging steunt."})
    if versie != current["versie"]:
        raise Conflict("Iemand anders heeft dit signaal intussen gewijzigd.", current)
    changes = {k: v for k, v in data.items() if k in EDITABLE}
    checked = check(changes, await load_taxonomy(), partial=True,
                    keep={"levensdomein": current["levensdomein"], "signaaltype": current["signaaltype"]})
    if checked.errors:
        raise FieldErrors(checked.errors)
    values = checked.values
    merged: dict[str, Any] = {name: values.get(name, current[name]) for name in FREE_TEXT}  # type: ignore[literal-required]
    found = guard_privacy(merged, user, confirm=confirm, previous=current["persoonsgegevens"])
    changed = sorted(k for k, v in values.items() if _comparable(current, k) != v)
    now = dates.now()
    update = {**values, "versie": versie + 1, "gewijzigd_op": now, "persoonsgegevens": json.dumps(found),
              "zoektekst": search.document(merged["titel"], merged["omschrijving"], merged["plek"],
                                           merged["citaten"])}
    if text_changed(current, values):
        update["betekenis"] = None  # the meaning of the old text; embedded again right after the response
    if "citaten" in update:
        update["citaten"] = json.dumps(update["citaten"], ensure_ascii=False)
    async with write_transaction():
        # Piccolo takes column names too; its annotation (dict[Column | str, Any]) is invariant in the key.
        done = await Signaal.update(update).where((Signaal.id == signaal_id) & (Signaal.versie == versie)).returning(  # type: ignore[arg-type]
            Signaal.id)
        if not done:
            raise Conflict("Iemand anders heeft dit signaal intussen gewijzigd.", await get_signaal(user, signaal_id))
        if changed:
            await SignaalHistoriek(signaal=signaal_id, tijdstip=now, gebruiker=user.id,
                                   soort=HistoriekSoort.bewerking.value,
                                   toelichting="Gewijzigd: " + ", ".join(changed)).save()
    return await get_signaal(user, signaal_id)


def text_changed(current: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Whether an edit changes what a signal's meaning vector is made of (signalen.meaning.signal_text)."""
    return any(name in values and values[name] != current.get(name) for name in ("titel", "omschrijving"))


def _comparable(current: Mapping[str, Any], key: str):
    """The stored value in the shape `check` produces (taxonomy as ids)."""
    return current.get(f"{key}_id") if key in ("levensdomein", "signaaltype") else current.get(key)


async def change_status(user: CurrentUser, signaal_id: int, target: Any, reason: Any) -> SignaalRow:
    current = await get_signaal(user, signaal_id)
    reason = reason if isinstance(reason, str) else ""
    if not isinstance(target, str) or target not in {s.value for s in Status}:
        raise FieldErrors({"status": "Kies een geldige status."})
    problem = workflow.refusal(current["status"], target, reason)
    if problem:
        raise Conflict(problem, current)
    if Status(target) not in allowed_statuses(user, current):
        raise HTTPException(status_code=403, detail="Je mag de status van dit signaal niet zo wijzigen.")
    await set_status([signaal_id], target, user.id, reason.strip()[:2000], expected={signaal_id: current["status"]})
    return await get_signaal(user, signaal_id)


async def set_status(signaal_ids: list[int], target: str, user_id: int | None, reason: str,
                     expected: dict[int, str] | None = None, soort: HistoriekSoort = HistoriekSoort.status) -> int:
    """Move signals to `target` with history; used by the overleg as well. Illegal moves are refused (409)."""
    if not signaal_ids:
        return 0
    now = dates.now()
    async with write_transaction():
        rows = await Signaal.select(Signaal.id, Signaal.status, Signaal.versie).where(Signaal.id.is_in(signaal_ids))
        for row in rows:
            if expected and expected.get(row["id"], row["status"]) != row["status"]:
                raise Conflict("De status van dit signaal is intussen gewijzigd.")
            if row["status"] == target:
                continue
            problem = workflow.refusal(row["status"], target, reason or "automatisch")
            if problem:
                raise Conflict(problem)
            await Signaal.update({Signaal.status: target, Signaal.versie: row["versie"] + 1,
                                  Signaal.gewijzigd_op: now}).where(Signaal.id == row["id"])
            await SignaalHistoriek(signaal=row["id"], tijdstip=now, gebruiker=user_id, soort=soort.value,
                                   van=row["status"], naar=target, toelichting=reason).save()
    return len(rows)


# ----------------------------------------------------------------------------- the register

async def list_signalen(user: CurrentUser, filters, *, limit: int | None = None) -> tuple[list[SignaalRow], int]:
    """The filtered register within the user's gemeenten: (page of signals, total). `limit` overrides paging
    (exports). A gemeente filter for a gemeente the user may not read answers 404."""
    from common.db import engine_name

    gemeente_ids = register_gemeente_ids(user)
    if filters.gemeente:
        gemeente_ids = {gemeente_by_slug(user, filters.gemeente, REGISTER_ROLES).id}
    if not gemeente_ids:
        return [], 0
    where: Combinable = in_gemeenten(Signaal.gemeente, sorted(gemeente_ids))
    if filters.levensdomein or filters.signaaltype:
        tax = await load_taxonomy()
        for name, known in (("levensdomein", tax.levensdomeinen), ("signaaltype", tax.signaaltypes)):
            slug = getattr(filters, name)
            if slug:
                if slug not in known:
                    return [], 0
                where &= getattr(Signaal, name) == known[slug]
    if filters.status:
        where &= Signaal.status == filters.status
    if filters.bron:
        where &= Signaal.bron == filters.bron
    if filters.plek:
        where &= Signaal.plek.ilike("%" + filters.plek.replace("%", "").replace("_", "") + "%")
    if filters.auteur:
        # parse() refused anything but "ik" or an int4 id; a hand-built filter with another value matches nobody
        where &= Signaal.auteur == (user.id if filters.auteur == "ik" else as_id(filters.auteur) or 0)
    if filters.van:
        where &= Signaal.datum >= filters.van
    if filters.tot:
        where &= Signaal.datum <= filters.tot
    if filters.q:
        text = search.where(engine_name(), filters.q)
        if text is not None:
            where &= text
    total = await Signaal.count().where(where)
    query = Signaal.select(*_columns()).where(where)
    if filters.sorteer == "oudste":
        query = query.order_by(Signaal.datum, Signaal.id)
    elif filters.sorteer == "titel":
        query = query.order_by(Signaal.titel, Signaal.id)
    else:
        query = query.order_by(Signaal.datum, Signaal.id, ascending=False)
    if limit is not None:
        query = query.limit(limit)
    else:
        query = query.limit(filters.per_pagina).offset((filters.pagina - 1) * filters.per_pagina)
    return [_shape(row) for row in await query], total

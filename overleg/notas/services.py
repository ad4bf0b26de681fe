"""Signaalnota services: reading, composing and editing. Plain async functions over the tables; no HTTP.

Who sees what (tenancy through overleg.access): the chair of the gemeente manages its notas; a coördinator manages
bovenlokale notas of the gemeenten they work for; every member of the overleg reads a nota from `ter_goedkeuring`
on. A concept is seen only by those who manage it. Foreign, unknown and hidden ids answer 404.
The lifecycle (versturen, antwoord, terugkoppeling) lives in overleg.nota_lifecycle.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from litestar.exceptions import PermissionDeniedException
from piccolo.custom_types import Combinable

from admin import tenancy
from admin.sessions import CurrentUser
from admin.tables import Rol
from admin.tenancy import gemeente_ids_with, in_gemeenten, roles_in
from common import dates
from common.dates import today
from common.db import write_transaction
from common.errors import Conflict, FieldErrors
from common.ids import as_id, not_found
from overleg import access
from overleg.notas import evidence
from overleg.notas import pdf as nota_pdf
from overleg.tables import Adressaat, Dossier, DossierStatus, Huisstijl, NotaDossier, NotaStatus, Overleg, Signaalnota
from signalen.validation import clean_text

SECTIES = nota_pdf.SECTIES
EDITABLE = (NotaStatus.concept.value, NotaStatus.ter_goedkeuring.value)
LIMITS = {"onderwerp": 300, "adressaat_tekst": 300, "trekker": 200, "sectie": 20_000, "citaat": 1000}
MAX_CITATEN, MAX_DOSSIERS = 30, 50
SENT = "Deze nota is verstuurd en kan niet meer wijzigen. Maak een nieuwe versie om iets te corrigeren."


def valid_id(value: Any) -> bool:
    return not isinstance(value, str) and as_id(value) is not None



# ----------------------------------------------------------------------------- reading

def _columns() -> list:
    return [*Signaalnota.all_columns(exclude=[Signaalnota.pdf, Signaalnota.gemeente, Signaalnota.overleg,
                                              Signaalnota.aangemaakt_door]),
            Signaalnota.gemeente.as_alias("gemeente_id"), Signaalnota.gemeente.slug.as_alias("gemeente"),
            Signaalnota.gemeente.naam.as_alias("gemeente_naam"), Signaalnota.overleg.as_alias("overleg_id"),
            Signaalnota.overleg.naam.as_alias("overleg_naam"),
            Signaalnota.overleg.werkernamen_in_nota.as_alias("werkernamen_in_nota")]


def can_manage(user: CurrentUser, gemeente_id: int, bovenlokaal: bool) -> bool:
    roles = roles_in(user, gemeente_id)
    return Rol.voorzitter in roles or (bovenlokaal and Rol.coordinator in roles)


def scope(user: CurrentUser) -> Combinable | None:
    """The notas this user may read: non-concepts of their overleg, and the concepts they manage."""
    members = sorted(tenancy.member_gemeente_ids(user))
    if not members:
        return None
    condition: Combinable = (in_gemeenten(Signaalnota.gemeente, members)
                             & (Signaalnota.status != NotaStatus.concept.value))
    chairs = sorted(tenancy.chair_gemeente_ids(user))
    if chairs:
        condition = condition | in_gemeenten(Signaalnota.gemeente, chairs)
    coordinators = sorted(gemeente_ids_with(user, {Rol.coordinator}))
    if coordinators:
        condition = condition | (in_gemeenten(Signaalnota.gemeente, coordinators) & (Signaalnota.bovenlokaal == True))  # noqa: E712
    return condition


def _json(value: Any, default: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value or "null") or default
        except ValueError:
            return default
    return value if value is not None else default


def _shape(row: dict, user: CurrentUser) -> dict:
    row["secties"] = {key: str(_json(row["secties"], {}).get(key) or "") for key in SECTIES}
    row["citaten"] = [q for q in _json(row["citaten"], []) if isinstance(q, str)]
    confirmed = _json(row["bevestigde_persoonsgegevens"], [])
    row["bevestigde_persoonsgegevens"] = [c for c in confirmed if isinstance(c, dict)]
    row["werkernamen_in_nota"] = bool(row["werkernamen_in_nota"])
    row["overleg_naam"] = row["overleg_naam"] or f"Jeugdwelzijnsoverleg {row['gemeente_naam']}"
    row["status_label"] = NotaStatus.label_for(row["status"])
    row["adressaat_label"] = nota_pdf.adressaat_label(row)
    row["mag_beheren"] = can_manage(user, row["gemeente_id"], row["bovenlokaal"])
    row["bewerkbaar"] = row["status"] in EDITABLE
    # Lists and headings show the subject through the guard (worker names are checked where the signals are read).
    row["onderwerp_veilig"] = nota_pdf.Redactor(row["bevestigde_persoonsgegevens"], [], True)(row["onderwerp"])
    return row


async def get_nota(user: CurrentUser, nota_id: Any) -> dict:
    """A nota the user may read, with its dossiers; 404 otherwise."""
    condition = scope(user)
    if condition is None or not valid_id(nota_id):
        raise not_found()
    row = await Signaalnota.select(*_columns()).where((Signaalnota.id == nota_id) & condition).first()
    if row is None:
        raise not_found()
    row = _shape(row, user)
    row["dossiers"] = await NotaDossier.select(
        NotaDossier.dossier.id.as_alias("id"), NotaDossier.dossier.titel.as_alias("titel"),
        NotaDossier.dossier.status.as_alias("status"),
    ).where(NotaDossier.nota == nota_id).order_by(NotaDossier.id)
    if row["vorige"]:
        previous = await Signaalnota.select(Signaalnota.referentie).where(Signaalnota.id == row["vorige"]).first()
        row["vorige_referentie"] = previous["referentie"] if previous else ""
    nxt = await Signaalnota.select(Signaalnota.id, Signaalnota.referentie).where(Signaalnota.vorige == nota_id).first()
    row["volgende"] = nxt
    return row


async def managed_nota(user: CurrentUser, nota_id: Any) -> dict:
    """A nota the user may change: 404 when they cannot read it, 403 when they do not manage it."""
    nota = await get_nota(user, nota_id)
    if not nota["mag_beheren"]:
        raise PermissionDeniedException("Dit kan alleen de voorzitter van het overleg.")
    return nota


async def list_notas(user: CurrentUser, *, status: str | None = None) -> list[dict]:
    condition = scope(user)
    if condition is None:
        return []
    if status:
        condition &= Signaalnota.status == status
    rows = await Signaalnota.select(*_columns()).where(condition).order_by(Signaalnota.aangemaakt_op, ascending=False)
    return [_shape(row, user) for row in rows]


async def stored_pdf(nota_id: int) -> bytes | None:
    row = await Signaalnota.select(Signaalnota.pdf).where(Signaalnota.id == nota_id).first()
    return bytes(row["pdf"]) if row and row["pdf"] is not None else None


async def pdf_input(nota: dict) -> dict:
    """What nota_pdf.render needs: the nota, live evidence, the signals, dossiers and the letterhead."""
    ids = [d["id"] for d in nota["dossiers"]]
    rows = await evidence.signal_rows(ids)
    huisstijl = await Huisstijl.select(Huisstijl.logo, Huisstijl.afzender).where(
        in_gemeenten(Huisstijl.gemeente, nota["gemeente_id"])).first()
    sent = nota.get("verstuurd_op")
    return {"nota": nota, "evidence": await evidence.evidence(ids), "rows": rows,
            "dossiers": await evidence.dossiers(ids), "huisstijl": huisstijl,
            "datum": dates.local(sent).date() if isinstance(sent, dt.datetime) else today(),
            "concept": nota["status"] in EDITABLE, "vorige": nota.get("vorige_referentie", "")}


# ----------------------------------------------------------------------------- composing

def _text(values: dict, name: str, errors: dict, limit: int, required: str = "") -> str:
    text = clean_text(values.get(name)).strip()
    if required and not text:
        errors[name] = required
    elif len(text) > limit:
        errors[name] = f"Gebruik hoogstens {limit} tekens."
    return text


def clean(values: dict, errors: dict, *, partial: bool = False) -> dict:
    """The editable fields present in `values`, checked; Dutch messages per field in `errors`."""
    out: dict[str, Any] = {}
    if not partial or "onderwerp" in values:
        out["onderwerp"] = _text(values, "onderwerp", errors, LIMITS["onderwerp"], "Geef de nota een onderwerp.")
    if not partial or "adressaat" in values:
        out["adressaat"] = values.get("adressaat")
        if out["adressaat"] not in Adressaat.values():
            errors["adressaat"] = "Kies het college, de OCMW-raad of een bovenlokale adressaat."
    for name in ("adressaat_tekst", "trekker"):
        if name in values:
            out[name] = _text(values, name, errors, LIMITS[name])
    if values.get("secties") is not None:
        secties = values["secties"]
        if not isinstance(secties, dict) or set(secties) - set(SECTIES):
            errors["secties"] = "Gebruik alleen de secties " + ", ".join(SECTIES) + "."
        else:
            out["secties"] = {k: _text(secties, k, errors, LIMITS["sectie"]) for k in secties}
    if values.get("citaten") is not None:
        quotes = values["citaten"]
        if not isinstance(quotes, list) or len(quotes) > MAX_CITATEN or not all(isinstance(q, str) for q in quotes):
            errors["citaten"] = f"Kies hoogstens {MAX_CITATEN} citaten."
        else:
            out["citaten"] = list(dict.fromkeys(clean_text(q).strip()[:LIMITS["citaat"]] for q in quotes if q.strip()))
    if "antwoord_gevraagd_tegen" in values:
        raw = values["antwoord_gevraagd_tegen"]
        try:
            out["antwoord_gevraagd_tegen"] = dt.date.fromisoformat(raw) if isinstance(raw, str) and raw else None
        except ValueError:
            errors["antwoord_gevraagd_tegen"] = "Geef een geldige datum (jjjj-mm-dd)."
    return out


async def _dossiers(user: CurrentUser, raw: Any, errors: dict, any_dossier: bool,
                    allow_empty: bool = False) -> tuple[int | None, list[dict]]:
    ids = raw if isinstance(raw, list) else []
    ids = list(dict.fromkeys(as_id(i) or i for i in ids))
    if not ids and allow_empty:
        return None, []
    if not ids or len(ids) > MAX_DOSSIERS or not all(valid_id(i) for i in ids):
        errors["dossiers"] = "Kies één of meer dossiers."
        return None, []
    condition = await access.dossier_scope(user)
    rows = [] if condition is None else await Dossier.select(
        Dossier.id, Dossier.gemeente, Dossier.titel, Dossier.status, Dossier.samengevoegd_in,
    ).where(Dossier.id.is_in(ids) & condition)
    if len(rows) != len(ids):
        raise not_found()
    if len({row["gemeente"] for row in rows}) != 1:
        errors["dossiers"] = "Alle dossiers van één nota horen bij dezelfde gemeente."
    elif not any_dossier and any(row["samengevoegd_in"] or row["status"] == DossierStatus.afgerond.value
                                 for row in rows):
        errors["dossiers"] = "Een afgerond of samengevoegd dossier kan niet in een nieuwe nota."
    return rows[0]["gemeente"], sorted(rows, key=lambda row: ids.index(row["id"]))


async def next_referentie(gemeente_id: int, slug: str, year: int) -> str:
    """SN-2026-004-<GEMEENTE>: numbered per gemeente and year (admin Teller). Call inside write_transaction()."""
    rows = await Signaalnota.raw(
        "INSERT INTO teller (sleutel, waarde) VALUES ({}, 1) ON CONFLICT (sleutel) "
        "DO UPDATE SET waarde = teller.waarde + 1 RETURNING waarde", f"signaalnota:{gemeente_id}:{year}")
    return f"SN-{year}-{int(rows[0]['waarde']):03d}-{slug.upper()[:20]}"


async def default_secties(dossier_ids: list[int], show_workers: bool) -> dict[str, str]:
    ev = await evidence.evidence(dossier_ids)
    names = evidence.worker_names(await evidence.signal_rows(dossier_ids)) if show_workers else None
    return {"aanleiding": evidence.aanleiding_text(await evidence.dossiers(dossier_ids), ev),
            "onderbouwing": evidence.onderbouwing_text(ev, names),
            "analyse": "", "acties": evidence.acties_text(await evidence.actions(dossier_ids)),
            "advies": "", "opvolging": evidence.OPVOLGING}


def _own_bovenlokaal_gemeente(user: CurrentUser, data: dict) -> int | None:
    """For a bovenlokale nota without dossiers: `data["gemeente"]` when the user is coördinator there."""
    if data.get("adressaat") != Adressaat.bovenlokaal.value:
        return None
    gemeente_id = as_id(data.get("gemeente"))
    return gemeente_id if gemeente_id is not None and Rol.coordinator in roles_in(user, gemeente_id) else None


async def create_nota(user: CurrentUser, data: dict, *, vorige: dict | None = None, any_dossier: bool = False,
                      inleiding: dict[str, str] | None = None) -> dict:
    """A concept nota from one or more dossiers of one gemeente; sections not given are filled in from them.
    A coördinator may start a bovenlokale nota without dossiers in a gemeente where they are coördinator
    (`data["gemeente"]`). `inleiding`: text placed before a section's default text (bovenlokale aggregates)."""
    errors: dict[str, str] = {}
    own = _own_bovenlokaal_gemeente(user, data)
    gemeente_id, dossier_rows = await _dossiers(user, data.get("dossiers"), errors, any_dossier,
                                                allow_empty=own is not None)
    if gemeente_id is None and not dossier_rows and own is not None:
        gemeente_id = own
    values = clean(data, errors)
    if gemeente_id is not None and "adressaat" not in errors:
        if not can_manage(user, gemeente_id, values["adressaat"] == Adressaat.bovenlokaal.value):
            if gemeente_id not in tenancy.member_gemeente_ids(user):
                raise not_found()
            raise PermissionDeniedException("Alleen de voorzitter (of voor een bovenlokale nota de coördinator) "
                                            "maakt een signaalnota.")
    if errors:
        raise FieldErrors(errors)
    assert gemeente_id is not None  # no dossiers and no own gemeente is an error above
    ids = [row["id"] for row in dossier_rows]
    overleg = await Overleg.select(Overleg.id, Overleg.werkernamen_in_nota).where(
        in_gemeenten(Overleg.gemeente, gemeente_id)).order_by(Overleg.id).first()
    secties = await default_secties(ids, bool(overleg and overleg["werkernamen_in_nota"]))
    if not ids:  # a bovenlokale nota on aggregates only: no dossier texts to fill in
        secties.update({"aanleiding": "", "onderbouwing": "", "acties": ""})
    for key, text in (inleiding or {}).items():
        if key in secties and text:
            secties[key] = f"{text}\n\n{secties[key]}".strip()
    secties.update({k: v for k, v in values.pop("secties", {}).items() if v})
    now = dates.now()
    slug = user.gemeenten[gemeente_id].slug if gemeente_id in user.gemeenten else str(gemeente_id)
    async with write_transaction():
        nota = Signaalnota(
            gemeente=gemeente_id, overleg=overleg["id"] if overleg else None, status=NotaStatus.concept.value,
            referentie=vorige["referentie_nieuw"] if vorige else await next_referentie(gemeente_id, slug, today().year),
            adressaat_tekst=values.get("adressaat_tekst", ""), trekker=values.get("trekker", ""),
            onderwerp=values["onderwerp"], adressaat=values["adressaat"],
            bovenlokaal=values["adressaat"] == Adressaat.bovenlokaal.value,
            secties=json.dumps(secties, ensure_ascii=False),
            citaten=json.dumps(values.get("citaten", []), ensure_ascii=False),
            bevestigde_persoonsgegevens=json.dumps((vorige or {}).get("bevestigde_persoonsgegevens", [])),
            antwoord_gevraagd_tegen=values.get("antwoord_gevraagd_tegen") or today() + dt.timedelta(days=60),
            vorige=vorige["id"] if vorige else None, versie=1, aangemaakt_door=user.id, aangemaakt_op=now,
        )
        await nota.save()
        for dossier_id in ids:
            await NotaDossier(nota=nota.id, dossier=dossier_id).save()
    return await get_nota(user, nota.id)


def _confirmations(user: CurrentUser, found: list[dict], keys: set[str] | bool, previous: list[dict]) -> list[dict]:
    """Findings confirmed for this nota: the chosen keys (or all with True), keeping who confirmed them first."""
    now = dates.now().isoformat(timespec="seconds")
    known = {(c.get("soort"), c.get("tekst")): c for c in previous}
    out = []
    for finding in found:
        key = (finding["soort"], finding["tekst"])
        if keys is True or (isinstance(keys, set) and finding["sleutel"] in keys):
            out.append(known.get(key) or {"soort": key[0], "label": finding["label"], "tekst": key[1],
                                          "bevestigd_door": user.id, "bevestigd_op": now})
    return out


async def update_nota(user: CurrentUser, nota_id: Any, data: dict, versie: Any,
                      confirm: set[str] | bool | None = None) -> dict:
    """Change a concept (or a nota ter goedkeuring). 409 when it was sent or changed meanwhile. `confirm`: the
    privacy findings confirmed for this nota (keys from nota_pdf.findings, or True for all); None keeps them."""
    nota = await managed_nota(user, nota_id)
    if not nota["bewerkbaar"]:
        raise Conflict(SENT)
    if isinstance(versie, bool) or not isinstance(versie, int):
        raise FieldErrors({"versie": "Geef de versie waarop je wijziging steunt."})
    if versie != nota["versie"]:
        raise Conflict("Iemand anders heeft deze nota intussen gewijzigd.", {"versie": nota["versie"]})
    errors: dict[str, str] = {}
    values = clean(data, errors, partial=True)
    if errors:
        raise FieldErrors(errors)
    if "secties" in values:
        values["secties"] = {**nota["secties"], **values["secties"]}
    if "adressaat" in values:
        values["bovenlokaal"] = values["adressaat"] == Adressaat.bovenlokaal.value
        if not can_manage(user, nota["gemeente_id"], values["bovenlokaal"]):
            raise PermissionDeniedException("Alleen de voorzitter kan de adressaat zo wijzigen.")
    merged = {**nota, **values}
    if confirm is not None:
        found = nota_pdf.findings(await pdf_input(merged))
        values["bevestigde_persoonsgegevens"] = _confirmations(user, found, confirm,
                                                               nota["bevestigde_persoonsgegevens"])
    stored = {k: json.dumps(v, ensure_ascii=False) if k in ("secties", "citaten", "bevestigde_persoonsgegevens")
              else v for k, v in values.items()}
    async with write_transaction():
        done = await Signaalnota.update({**stored, "versie": versie + 1}).where(
            (Signaalnota.id == nota["id"]) & (Signaalnota.versie == versie)
            & Signaalnota.status.is_in(list(EDITABLE))).returning(Signaalnota.id)
    if not done:
        raise Conflict("Deze nota is intussen gewijzigd of verstuurd.")
    return await get_nota(user, nota["id"])

"""Minutes (Verslag) of a meeting: generated from the meeting, edited by the chair, approved at a later meeting.

- Until the chair saves it, the verslag is a proposal generated afresh from the meeting (versie 0, nothing
  stored: a GET never writes). Saving stores it (versie 1, 2, …); a stale versie answers 409 with both texts.
- Approval names the later meeting of the same overleg in which it was approved; from then on it is frozen (409).
- The text is Markdown; pages and PDFs always show it through common.markdown.render_markdown.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from litestar.exceptions import HTTPException

from admin import tenancy
from admin.sessions import CurrentUser
from berichten.voorkeuren import queue_for_user
from common import dates
from common.dates import short_date, today
from common.db import write_transaction
from common.errors import Conflict, FieldErrors
from common.ids import as_id, as_version, not_found
from overleg import access, guard
from overleg.tables import (
    Aanwezigheid,
    Actie,
    ActieStatus,
    Agendapunt,
    Deelnemer,
    Functie,
    Lens,
    NotaDossier,
    Vergadering,
    Verslag,
    VerslagStatus,
)
from overleg.vergaderingen.aanwezigheid import deelnemer_naam
from overleg.vergaderingen.berichten import verslag_mail
from signalen.validation import clean_text

CONCEPT, GOEDGEKEURD = VerslagStatus.concept, VerslagStatus.goedgekeurd
MAX_TEXT = 100_000
# The minutes' order and wording of attendance: "uitgenodigd" there means nobody noted it.
VERSLAG_AANWEZIGHEID = {
    a.value: a.label if a != Aanwezigheid.uitgenodigd else f"{a.label} (aanwezigheid niet genoteerd)"
    for a in (Aanwezigheid.aanwezig, Aanwezigheid.verontschuldigd, Aanwezigheid.afwezig, Aanwezigheid.uitgenodigd)
}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|])")
_SPACE = re.compile(r"\s+")
FROZEN = "Dit verslag is goedgekeurd en kan niet meer gewijzigd worden."


def plain(text: Any) -> str:
    """One line of user text, made inert for Markdown (the result is still rendered through nh3)."""
    return _MD_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", clean_text(text or "")).strip())


def _person(row: dict) -> str:
    return plain(deelnemer_naam(row))


def _actie_line(row: dict) -> str:
    parts = [f"**{plain(row['partner_naam'])}**: " if row["partner_naam"] else "", plain(row["wat"])]
    extra = [f"deadline {short_date(row['deadline'])}"] if row["deadline"] else []
    extra += [Lens.label_for(row["lens"]).lower(), ActieStatus.label_for(row["status"]).lower()]
    return f"- {''.join(parts)} ({', '.join(extra)})"


async def generate_text(vergadering_id: int) -> str:
    """The minutes as Markdown: attendance, then per point (in order) the notes, the decision and the actions."""
    deelnemers = await Deelnemer.select(
        Deelnemer.naam, Deelnemer.aanwezigheid, Deelnemer.partner.naam.as_alias("partner_naam"),
        Deelnemer.user.first_name.as_alias("voornaam"), Deelnemer.user.last_name.as_alias("achternaam"),
        Deelnemer.user.username.as_alias("username"),
    ).where(Deelnemer.vergadering == vergadering_id).order_by(Deelnemer.id)
    punten = await Agendapunt.select().where(Agendapunt.vergadering == vergadering_id).order_by(
        Agendapunt.volgorde).order_by(Agendapunt.id)
    acties = await Actie.select(*Actie.all_columns(), Actie.partner.naam.as_alias("partner_naam")).where(
        Actie.agendapunt.is_in([p["id"] for p in punten] or [0])).order_by(Actie.id)

    lines = ["# Aanwezigheid", ""]
    for soort, label in VERSLAG_AANWEZIGHEID.items():
        names = [_person(d) for d in deelnemers if d["aanwezigheid"] == soort]
        if names:
            lines += [f"**{label}:** {'; '.join(names)}", ""]
    if not deelnemers:
        lines += ["Geen aanwezigheid genoteerd.", ""]
    lines += ["# Agenda en besprekingen", ""]
    if not punten:
        lines += ["Er stonden geen punten op de agenda.", ""]
    for number, punt in enumerate(punten, start=1):
        lines += [f"## {number}. {plain(punt['titel'])}", ""]
        functies = [Functie(f).label for f in _json_list(punt["functies"]) if f in Functie.values()]
        if functies:
            lines += [f"*Functie: {', '.join(functies)}*", ""]
        lines += ["### Bespreking", "", clean_text(punt["notities"]).strip() or "Geen notities.", ""]
        lines += ["### Besluit", "", clean_text(punt["besluit"]).strip() or "Geen besluit.", ""]
        own = [_actie_line(a) for a in acties if a["agendapunt"] == punt["id"]]
        lines += ["### Acties", "", *(own or ["Geen acties."]), ""]
    return "\n".join(lines).strip() + "\n"


def _json_list(value: Any) -> list:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


async def get_vergadering(user: CurrentUser, vergadering_id: int | None) -> dict:
    """A meeting the user may read (access.vergadering_scope), else 404."""
    scope = await access.vergadering_scope(user)
    row = None
    if scope is not None and vergadering_id is not None:
        row = await Vergadering.select(
            *Vergadering.all_columns(), Vergadering.overleg.naam.as_alias("overleg_naam"),
            Vergadering.overleg.gemeente.as_alias("gemeente_id"),
            Vergadering.overleg._.gemeente.naam.as_alias("gemeente_naam"),
        ).where(scope & (Vergadering.id == vergadering_id)).first()
    if row is None:
        raise not_found()
    return row


async def later_meetings(vergadering: dict) -> list[dict]:
    """Meetings of the same overleg after this one and not in the future: where the verslag can be approved."""
    return await Vergadering.select(Vergadering.id, Vergadering.datum, Vergadering.begin).where(
        (Vergadering.overleg == vergadering["overleg"]) & (Vergadering.datum > vergadering["datum"])
        & (Vergadering.datum <= today())).order_by(Vergadering.datum)


async def advice_dossiers(vergadering_id: int) -> list[dict]:
    """The dossiers this meeting gave the function "signaal & advies", for the chair's next step: each with the
    nota already made from it (its id and referentie), if any. The caller checked the chair may read the meeting."""
    punten = await Agendapunt.select(Agendapunt.dossier, Agendapunt.dossier.titel.as_alias("titel"),
                                     Agendapunt.functies).where(
        (Agendapunt.vergadering == vergadering_id) & Agendapunt.dossier.is_not_null()).order_by(Agendapunt.volgorde)
    out: list[dict] = []
    for punt in punten:
        functies = punt["functies"] if isinstance(punt["functies"], list) else json.loads(punt["functies"] or "[]")
        if Functie.signaal_advies.value not in functies or any(d["dossier"] == punt["dossier"] for d in out):
            continue
        nota = await NotaDossier.select(NotaDossier.nota.id.as_alias("id"),
                                        NotaDossier.nota.referentie.as_alias("referentie")).where(
            NotaDossier.dossier == punt["dossier"]).order_by(NotaDossier.nota.id, ascending=False).first()
        out.append({"dossier": punt["dossier"], "titel": punt["titel"], "nota": nota})
    return out


async def get_verslag(user: CurrentUser, vergadering_id: int | None) -> dict:
    vergadering = await get_vergadering(user, vergadering_id)
    row = await Verslag.select().where(Verslag.vergadering == vergadering["id"]).first()
    chair = tenancy.is_chair(user, vergadering["gemeente_id"])
    verslag = {
        "vergadering": vergadering,
        "inhoud": row["inhoud"] if row else await generate_text(vergadering["id"]),
        "status": row["status"] if row else CONCEPT.value,
        "versie": row["versie"] if row else 0,
        "opgeslagen": row is not None,
        "goedgekeurd_op": row["goedgekeurd_op"] if row else None,
        "goedgekeurd_in": row["goedgekeurd_in"] if row else None,
        "goedgekeurd_in_datum": None,
        "is_chair": chair,
    }
    verslag["mag_bewerken"] = chair and verslag["status"] == CONCEPT
    if verslag["goedgekeurd_in"]:
        later = await Vergadering.select(Vergadering.datum).where(Vergadering.id == verslag["goedgekeurd_in"]).first()
        verslag["goedgekeurd_in_datum"] = later["datum"] if later else None
    return verslag


def _text(inhoud: Any) -> str:
    text = clean_text(inhoud) if isinstance(inhoud, str) else ""
    if not text.strip():
        raise FieldErrors({"inhoud": "Het verslag mag niet leeg zijn."})
    if len(text) > MAX_TEXT:
        raise FieldErrors({"inhoud": f"Het verslag mag hoogstens {MAX_TEXT} tekens lang zijn."})
    return text


def _versie(versie: Any, *, required: bool = True) -> int | None:
    if versie in (None, "") and not required:
        return None
    if (value := as_version(versie)) is not None:
        return value
    raise FieldErrors({"versie": "Ongeldige of ontbrekende versie."})


async def _chair_meeting(user: CurrentUser, vergadering_id: int | None) -> dict:
    vergadering = await get_vergadering(user, vergadering_id)
    tenancy.require_chair(user, vergadering["gemeente_id"])
    return vergadering


async def _sources(vergadering_id: int) -> list[dict]:
    """What was confirmed in the texts a generated verslag is made of (agenda notes, decisions, actions, and the
    titles of the dossiers on the agenda), as confirmations of the verslag's `inhoud`: a finding confirmed there
    needs no second confirmation here."""
    punten = await Agendapunt.select(Agendapunt.id, Agendapunt.persoonsgegevens,
                                     Agendapunt.dossier.persoonsgegevens.as_alias("dossier_persoonsgegevens")).where(
        Agendapunt.vergadering == vergadering_id)
    acties = await Actie.select(Actie.persoonsgegevens).where(
        Actie.agendapunt.is_in([p["id"] for p in punten] or [0]))
    found = [c for row in [*punten, *acties] for c in guard.stored(row["persoonsgegevens"])]
    found += [c for row in punten for c in guard.stored(row["dossier_persoonsgegevens"]) if c.get("veld") == "titel"]
    return [{**c, "veld": "inhoud"} for c in found]


async def _store(vergadering_id: int, text: str, expected: int | None, user_id: int | None, bevestig: Any, *,
                 approve: tuple[int, dt.datetime] | None = None, mail: dict | None = None) -> None:
    """Store the text once the privacy guard lets it pass (partners read the minutes and their PDF); `mail`
    (queue_for_user's kwargs) is queued in the same transaction — for a first save (the minutes are then ready for
    approval) or an approval."""
    async with write_transaction():
        row = await Verslag.select().where(Verslag.vergadering == vergadering_id).first()
        if row and row["status"] == GOEDGEKEURD:
            raise HTTPException(status_code=409, detail=FROZEN)
        current = row["versie"] if row else 0
        if expected is not None and expected != current:
            stored = row["inhoud"] if row else await generate_text(vergadering_id)
            raise Conflict("Het verslag is intussen door iemand anders gewijzigd. Je tekst is niet opgeslagen.",
                           {"inhoud": stored, "versie": current}, {"inhoud": text})
        previous = [*guard.stored(row["persoonsgegevens"] if row else []), *await _sources(vergadering_id)]
        found = guard.check({"inhoud": text}, user_id, bevestig, what="Dit verslag", previous=previous)
        values: dict = {Verslag.inhoud: text, Verslag.versie: current + 1,
                        Verslag.persoonsgegevens: guard.dumps(found)}
        if approve:
            values.update({Verslag.status: GOEDGEKEURD.value, Verslag.goedgekeurd_in: approve[0],
                           Verslag.goedgekeurd_op: approve[1]})
        if row:
            await Verslag.update(values).where(Verslag.id == row["id"])
        else:
            fields = {"status": CONCEPT.value, **{column._meta.name: value for column, value in values.items()}}
            await Verslag.insert(Verslag(vergadering=vergadering_id, **fields))
        if mail is not None and (approve or row is None):
            await queue_for_user(**mail)


async def save_verslag(user: CurrentUser, vergadering_id: int | None, inhoud: Any, versie: Any,
                       bevestig: Any = False) -> dict:
    """Store the chair's text. Approved → 409; an old versie → Conflict (409 with both texts); personal data
    nobody confirmed → 422 (`persoonsgegevens`) unless `bevestig` is True."""
    vergadering = await _chair_meeting(user, vergadering_id)
    text, expected = _text(inhoud), _versie(versie)
    mail = await verslag_mail(vergadering, goedgekeurd=False, actor_id=user.id)
    await _store(vergadering["id"], text, expected, user.id, bevestig, mail=mail)
    return await get_verslag(user, vergadering["id"])


async def regenerate(user: CurrentUser, vergadering_id: int | None, versie: Any) -> dict:
    """Replace the concept by a fresh text generated from the meeting (notes, decisions, actions as they are)."""
    vergadering = await _chair_meeting(user, vergadering_id)
    expected = _versie(versie)
    generated = await generate_text(vergadering["id"])
    await _store(vergadering["id"], generated, expected, user.id, False)
    return await get_verslag(user, vergadering["id"])


async def approve(user: CurrentUser, vergadering_id: int | None, goedgekeurd_in: Any, versie: Any = None,
                  pdf: Callable[[dict], Awaitable[bytes]] | None = None) -> dict:
    """Approve in a later meeting of the same overleg (not in the future); from then on the verslag is frozen.
    The members get a mail, with the approved minutes as PDF when the caller passes its renderer (`pdf`)."""
    vergadering = await _chair_meeting(user, vergadering_id)
    expected = _versie(versie, required=False)
    later_id = as_id(goedgekeurd_in)
    choices = {row["id"]: row for row in await later_meetings(vergadering)}
    if later_id is None or later_id not in choices:
        raise FieldErrors({"goedgekeurd_in": "Kies een latere vergadering van dit overleg die al plaatsvond."})
    row = await Verslag.select(Verslag.inhoud, Verslag.status).where(
        Verslag.vergadering == vergadering["id"]).first()
    if row and row["status"] == GOEDGEKEURD:
        raise HTTPException(status_code=409, detail="Dit verslag is al goedgekeurd.")
    text = row["inhoud"] if row else await generate_text(vergadering["id"])
    moment = dates.now()
    body = None
    if pdf is not None:
        current = await get_verslag(user, vergadering["id"])
        body = await pdf({**current, "inhoud": text, "status": GOEDGEKEURD.value, "goedgekeurd_op": moment,
                          "goedgekeurd_in": later_id, "goedgekeurd_in_datum": choices[later_id]["datum"],
                          "mag_bewerken": False})
    mail = await verslag_mail(vergadering, goedgekeurd=True, actor_id=user.id, pdf=body)
    await _store(vergadering["id"], text, expected, user.id, False, approve=(later_id, moment), mail=mail)
    return await get_verslag(user, vergadering["id"])

"""The agenda of a meeting: the need ranking of ripe dossiers, the points (add, remove, reorder, duration, planned
times), and publishing it — which moves the signals of its dossiers to geagendeerd (signalen.services.set_status).

One SQL query aggregates every candidate dossier's signals (COUNT, SUM of young people, MIN date of the untreated
signals, counts in the last 3 months and in the 3 before); Python only sorts the aggregated rows. The number of
queries does not grow with the number of dossiers.
"""

from __future__ import annotations

import datetime as dt

from litestar.exceptions import HTTPException

from admin.sessions import CurrentUser
from admin.tenancy import in_gemeenten
from berichten.voorkeuren import queue_for_user
from common import dates
from common.dates import today
from common.db import write_transaction
from common.errors import FieldErrors
from common.ids import not_found
from common.pdf import PdfMeta, render_template_pdf
from overleg import guard
from overleg.access import PUBLISHED
from overleg.dossiers.berichten import signaal_opgevolgd
from overleg.tables import Agendapunt, AgendapuntSoort, Dossier, DossierStatus, Vergadering, VergaderingStatus
from overleg.vergaderingen import aanwezigheid
from overleg.vergaderingen import berichten as vergadering_berichten
from overleg.vergaderingen import services as V
from signalen.tables import Status
from signalen.validation import clean_text

CANDIDATE_STATUSES = (DossierStatus.open.value, DossierStatus.geagendeerd.value)
UNTREATED = (Status.nieuw.value, Status.gebundeld.value, Status.geagendeerd.value)
DROPPED = (Status.niet_weerhouden.value, Status.afgesloten.value)


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _in(values: tuple[str, ...]) -> str:
    # Fixed enum values of our own, never user input.
    return ", ".join(f"'{value}'" for value in values)


_SQL = f"""
SELECT d.id AS dossier, d.titel AS titel, d.status AS status,
       COUNT(s.id) AS aantal,
       SUM(CASE WHEN s.datum >= {{}} THEN 1 ELSE 0 END) AS recent,
       SUM(CASE WHEN s.datum >= {{}} AND s.datum < {{}} THEN 1 ELSE 0 END) AS vorige,
       COALESCE(SUM(s.aantal_jongeren), 0) AS jongeren,
       MIN(CASE WHEN s.status IN ({_in(UNTREATED)}) THEN s.datum END) AS oudste
FROM dossier d
JOIN signaal s ON s.dossier = d.id AND s.gemeente = d.gemeente
WHERE d.gemeente = {{}}
  AND d.status IN ({_in(CANDIDATE_STATUSES)})
  AND d.samengevoegd_in IS NULL
  AND s.status NOT IN ({_in(DROPPED)})
  AND d.id NOT IN (SELECT a.dossier FROM agendapunt a WHERE a.vergadering = {{}} AND a.dossier IS NOT NULL)
  {{extra}}
GROUP BY d.id, d.titel, d.status
"""  # noqa: S608 (only our own enum values are interpolated)


def score(row: dict) -> float:
    """Every signal counts; new ones count double and growth against the 3 months before counts again; ten young
    people weigh as one signal, and so does every quarter the oldest untreated signal waits (at most a year)."""
    groei = max(row["recent"] - row["vorige"], 0)
    wachten = min(row["oudste_dagen"] or 0, 365)
    return round(row["aantal"] + row["recent"] + groei + row["jongeren"] / 10 + wachten / 90, 1)


def reden(row: dict) -> str:
    """Why it is proposed, in words: "12 signalen, +5 in de laatste 3 maanden, 40 jongeren, …"."""
    aantal = row["aantal"]
    parts = [f"{aantal} signa{'al' if aantal == 1 else 'len'}"]
    if row["recent"]:
        parts.append(f"+{row['recent']} in de laatste 3 maanden")
    if row["jongeren"]:
        parts.append(f"{row['jongeren']} jongere{'' if row['jongeren'] == 1 else 'n'}")
    if row["oudste_dagen"] is not None:
        dagen = row["oudste_dagen"]
        parts.append(f"oudste onbehandeld signaal {dagen} dag{'' if dagen == 1 else 'en'}")
    return ", ".join(parts)


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


async def ranking(gemeente_id: int, vergadering_id: int, *, dossier_id: int | None = None,
                  on: dt.date | None = None) -> list[dict]:
    """Candidate dossiers of the gemeente not yet on this meeting's agenda, most needed first.

    Each: dossier, titel, status, aantal, recent, vorige, jongeren, oudste (date), oudste_dagen, score, reden.
    With `dossier_id`, only that dossier (empty when it is no candidate)."""
    day = on or today()
    three, six = months_back(day, 3), months_back(day, 6)
    sql = _SQL.replace("{extra}", "AND d.id = {}" if dossier_id is not None else "")
    args = [three, six, three, gemeente_id, vergadering_id]
    if dossier_id is not None:
        args.append(dossier_id)
    rows = await Dossier.raw(sql, *args)
    result = []
    for row in rows:
        oudste = _as_date(row["oudste"])
        item = {
            "dossier": row["dossier"], "titel": row["titel"], "status": row["status"],
            "aantal": int(row["aantal"] or 0), "recent": int(row["recent"] or 0), "vorige": int(row["vorige"] or 0),
            "jongeren": int(row["jongeren"] or 0), "oudste": oudste,
            "oudste_dagen": max((day - oudste).days, 0) if oudste else None,
        }
        item["score"] = score(item)
        item["reden"] = reden(item)
        result.append(item)
    result.sort(key=lambda r: (-r["score"], -(r["oudste_dagen"] or 0), r["dossier"]))
    return result


# ----------------------------------------------------------------------------- points

S = AgendapuntSoort
DEFAULT_DUUR = {S.dossier: 20, S.mededelingen: 10, S.rondvraag: 10, S.vrij: 15}
MAX_DUUR = 480


async def voorstellen(vergadering: dict) -> list[dict]:
    """The ranked proposals for this meeting (dossiers already on it left out)."""
    return await ranking(vergadering["gemeente"], vergadering["id"])


async def list_punten(vergadering: dict) -> list[dict]:
    """The points in order, each with its planned `start` and `einde` (datetimes) and `functies` as a list."""
    return (await punten_per_vergadering([vergadering]))[vergadering["id"]]


async def punten_per_vergadering(vergaderingen: list[dict]) -> dict[int, list[dict]]:
    """list_punten for many meetings in one query (the calendar feed): meeting id → its points in order."""
    ids = [v["id"] for v in vergaderingen]
    rows = await Agendapunt.select(
        *Agendapunt.all_columns(), Agendapunt.dossier.titel.as_alias("dossier_titel"),
        Agendapunt.dossier.status.as_alias("dossier_status"),
    ).where(Agendapunt.vergadering.is_in(ids or [0])).order_by(Agendapunt.volgorde, Agendapunt.id)
    per: dict[int, list[dict]] = {i: [] for i in ids}
    for row in rows:
        per[row["vergadering"]].append(row)
    for vergadering in vergaderingen:
        moment = dt.datetime.combine(vergadering["datum"], vergadering["begin"])
        for row in per[vergadering["id"]]:
            row["functies"] = V.functies_of(row)
            row["soort_label"] = AgendapuntSoort.label_for(row["soort"])
            row["start"] = moment
            moment += dt.timedelta(minutes=row["duur_minuten"] or 0)
            row["einde"] = moment
    return per


def planned_end(vergadering: dict, punten: list[dict]) -> dt.datetime:
    """Begin plus the durations of every point."""
    minutes = sum(p["duur_minuten"] or 0 for p in punten)
    return dt.datetime.combine(vergadering["datum"], vergadering["begin"]) + dt.timedelta(minutes=minutes)


async def _next_volgorde(vergadering_id: int) -> int:
    rows = await Agendapunt.select(Agendapunt.volgorde).where(Agendapunt.vergadering == vergadering_id).order_by(
        Agendapunt.volgorde, ascending=False).limit(1)
    return rows[0]["volgorde"] + 1 if rows else 1


async def add_dossier_punt(user: CurrentUser, vergadering_id: int, dossier_id: int) -> dict:
    """Put a dossier of the overleg's gemeente on the agenda, with the reason it was proposed. On a published
    agenda its signals become geagendeerd at once."""
    vergadering = await V.chair_vergadering(user, vergadering_id)
    dossier = await Dossier.select(Dossier.id, Dossier.titel).where(
        (Dossier.id == dossier_id) & in_gemeenten(Dossier.gemeente, vergadering["gemeente"])
        & Dossier.samengevoegd_in.is_null()).first()
    if dossier is None:
        raise not_found()
    if await Agendapunt.exists().where((Agendapunt.vergadering == vergadering_id) & (Agendapunt.dossier == dossier_id)):
        raise HTTPException(status_code=409, detail="Dit dossier staat al op de agenda.")
    need = await ranking(vergadering["gemeente"], vergadering_id, dossier_id=dossier_id)
    if not need:
        raise FieldErrors({"dossier": "Dit dossier kan niet op de agenda: het is afgerond of heeft geen open "
                                      "signalen."})
    async with write_transaction():
        punt = Agendapunt(vergadering=vergadering_id, volgorde=await _next_volgorde(vergadering_id),
                          titel=dossier["titel"][:200], soort=S.dossier.value, dossier=dossier_id, functies="[]",
                          duur_minuten=DEFAULT_DUUR[S.dossier], reden=need[0]["reden"], versie=1)
        await punt.save()
        await V.bump_sequence(vergadering_id)
        if vergadering["status"] == VergaderingStatus.gepubliceerd.value:
            await agendeer(user, vergadering, [dossier_id])
    return await V.get_punt(vergadering, punt.id)


async def add_vrij_punt(user: CurrentUser, vergadering_id: int, soort: object, titel: object = "",
                        bevestig: object = False) -> dict:
    """A point without a dossier: mededelingen, rondvraag or a free point (a title is then required). Members and
    partners read the title (agenda, mail, .ics): personal data nobody confirmed → 422 (`persoonsgegevens`) unless
    `bevestig` is True; the confirmed findings go into the point's `persoonsgegevens`."""
    vergadering = await V.chair_vergadering(user, vergadering_id)
    if soort not in S.values() or soort == S.dossier:
        raise FieldErrors({"soort": "Kies mededelingen, rondvraag of een vrij punt."})
    kind = S(soort)
    text = " ".join(clean_text(titel).split()) or (kind.label if kind != S.vrij else "")
    if not text:
        raise FieldErrors({"titel": "Geef het punt een titel."})
    if len(text) > 200:
        raise FieldErrors({"titel": "De titel mag hoogstens 200 tekens lang zijn."})
    found = guard.check({"titel": text}, user.id, bevestig, what="Deze titel")
    async with write_transaction():
        punt = Agendapunt(vergadering=vergadering_id, volgorde=await _next_volgorde(vergadering_id), titel=text,
                          soort=kind.value, dossier=None, functies="[]", duur_minuten=DEFAULT_DUUR[kind], versie=1,
                          persoonsgegevens=guard.dumps(found))
        await punt.save()
        await V.bump_sequence(vergadering_id)
    return await V.get_punt(vergadering, punt.id)


async def remove_punt(user: CurrentUser, vergadering_id: int, punt_id: int) -> None:
    vergadering = await V.chair_vergadering(user, vergadering_id)
    punt = await V.get_punt(vergadering, punt_id)
    async with write_transaction():
        await Agendapunt.delete().where(Agendapunt.id == punt_id)
        await V.bump_sequence(vergadering_id)
        if punt["dossier"] and vergadering["status"] == VergaderingStatus.gepubliceerd.value:
            await ontagendeer(user, vergadering, punt["dossier"])


async def move_punt(user: CurrentUser, vergadering_id: int, punt_id: int, richting: object) -> None:
    """One place up ("op") or down ("neer"); the order is renumbered 1..n on the way."""
    vergadering = await V.chair_vergadering(user, vergadering_id)
    await V.get_punt(vergadering, punt_id)
    if richting not in ("op", "neer"):
        raise FieldErrors({"richting": "Kies op of neer."})
    async with write_transaction():
        rows = await Agendapunt.select(Agendapunt.id).where(Agendapunt.vergadering == vergadering_id).order_by(
            Agendapunt.volgorde, Agendapunt.id)
        order = [row["id"] for row in rows]
        index = order.index(punt_id)
        other = index - 1 if richting == "op" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
        for position, pid in enumerate(order, start=1):
            await Agendapunt.update({Agendapunt.volgorde: position}).where(Agendapunt.id == pid)
        await V.bump_sequence(vergadering_id)


async def set_duur(user: CurrentUser, vergadering_id: int, punt_id: int, minuten: object) -> dict:
    """The estimated duration of a point, 1 to 480 minutes."""
    vergadering = await V.chair_vergadering(user, vergadering_id)
    punt = await V.get_punt(vergadering, punt_id)
    text = str(minuten).strip() if isinstance(minuten, str | int) and not isinstance(minuten, bool) else ""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_DUUR):
        raise FieldErrors({"duur_minuten": "Geef een duur tussen 1 en 480 minuten."})
    async with write_transaction():
        await Agendapunt.update({Agendapunt.duur_minuten: int(text)}).where(Agendapunt.id == punt_id)
        await V.bump_sequence(vergadering_id)
    return {**punt, "duur_minuten": int(text)}


# ----------------------------------------------------------------------------- publishing, and its write-back

async def publish(user: CurrentUser, vergadering_id: int) -> dict:
    """Publish the agenda to the members (partners then see it); its dossiers become geagendeerd."""
    vergadering = await V.chair_vergadering(user, vergadering_id)
    if vergadering["datum"] < today():
        raise FieldErrors({"datum": "Deze vergadering ligt in het verleden en kan niet meer als nieuw "
                                    "gepubliceerd worden."},
                          detail="Een vergadering in het verleden kan je niet publiceren.")
    punten = await Agendapunt.select(Agendapunt.dossier).where(Agendapunt.vergadering == vergadering_id)
    if not punten:
        raise FieldErrors({"agenda": "Zet eerst minstens één punt op de agenda."},
                          detail="Een lege agenda kan je niet publiceren.")
    published = {**vergadering, "status": VergaderingStatus.gepubliceerd.value, "versie": vergadering["versie"] + 1,
                 "sequence": vergadering["sequence"] + 1}
    lijst = await list_punten(published)
    mail = await vergadering_berichten.agenda_mail(published, lijst, planned_end(published, lijst), actor_id=user.id)
    async with write_transaction():
        await Vergadering.update({Vergadering.status: VergaderingStatus.gepubliceerd.value,
                                  Vergadering.gepubliceerd_op: dates.now(),
                                  Vergadering.versie: Vergadering.versie + 1,
                                  Vergadering.sequence: Vergadering.sequence + 1}).where(
            Vergadering.id == vergadering_id)
        await agendeer(user, vergadering, sorted({p["dossier"] for p in punten if p["dossier"]}))
        await queue_for_user(**mail)
    return await V.get_vergadering(user, vergadering_id)


async def agendeer(user: CurrentUser, vergadering: dict, dossier_ids: list[int]) -> None:
    """Dossiers on a published agenda: their bundled signals → geagendeerd, the dossier → geagendeerd."""
    if not dossier_ids:
        return
    why = f"Op de agenda van de vergadering van {dates.short_date(vergadering['datum'])}."
    moved = await V.move_signals(user, vergadering["gemeente"], dossier_ids, Status.gebundeld.value,
                                 Status.geagendeerd.value, why)
    await signaal_opgevolgd(moved, Status.geagendeerd, actor_id=user.id, why=why)
    await V.dossier_status(user, dossier_ids, [DossierStatus.open.value], DossierStatus.geagendeerd.value, why)


async def ontagendeer(user: CurrentUser, vergadering: dict, dossier_id: int) -> None:
    """A dossier taken off a published agenda goes back to gebundeld/open, unless another agenda still holds it."""
    elsewhere = await Agendapunt.exists().where(
        (Agendapunt.dossier == dossier_id) & (Agendapunt.vergadering != vergadering["id"])
        & Agendapunt.vergadering.status.is_in(list(PUBLISHED)))
    if elsewhere:
        return
    why = f"Van de agenda van de vergadering van {dates.short_date(vergadering['datum'])} gehaald."
    await V.move_signals(user, vergadering["gemeente"], [dossier_id], Status.geagendeerd.value,
                         Status.gebundeld.value, why)
    await V.dossier_status(user, [dossier_id], [DossierStatus.geagendeerd.value], DossierStatus.open.value, why)


# ----------------------------------------------------------------------------- moving and calling off a meeting

async def reschedule(user: CurrentUser, vergadering_id: int, data: dict) -> dict:
    """Another date, hour or place (chair). A published meeting's members get the changed invitation: the same
    UID, the next SEQUENCE."""
    vergadering = await V.chair_vergadering(user, vergadering_id)
    values = V.check_input(data)
    if values["datum"] < today():
        raise FieldErrors({"datum": "Kies een datum vanaf vandaag."})
    moved = {**vergadering, **values, "versie": vergadering["versie"] + 1, "sequence": vergadering["sequence"] + 1}
    mail = None
    if vergadering["status"] == VergaderingStatus.gepubliceerd.value:
        lijst = await list_punten(moved)
        mail = await vergadering_berichten.agenda_mail(moved, lijst, planned_end(moved, lijst), actor_id=user.id)
    async with write_transaction():
        await Vergadering.update({Vergadering.datum: values["datum"], Vergadering.begin: values["begin"],
                                  Vergadering.plaats: values["plaats"], Vergadering.versie: Vergadering.versie + 1,
                                  Vergadering.sequence: Vergadering.sequence + 1}
                                 ).where(Vergadering.id == vergadering_id)
        if mail is not None:
            await queue_for_user(**mail)
    return await V.get_vergadering(user, vergadering_id)


async def cancel(user: CurrentUser, vergadering_id: int) -> None:
    """Call off a meeting that was not held (chair): it is removed, its dossiers leave the agenda, and the members
    of a published meeting get METHOD:CANCEL for the invitation in their calendar."""
    vergadering = await V.chair_vergadering(user, vergadering_id)
    published = vergadering["status"] == VergaderingStatus.gepubliceerd.value
    lijst = await list_punten(vergadering)
    mail = None
    if published:
        cancelled = {**vergadering, "versie": vergadering["versie"] + 1, "sequence": vergadering["sequence"] + 1}
        mail = await vergadering_berichten.agenda_mail(cancelled, lijst, planned_end(cancelled, lijst),
                                                       actor_id=user.id, cancel=True)
    async with write_transaction():
        await Vergadering.update({Vergadering.status: VergaderingStatus.concept.value}).where(
            Vergadering.id == vergadering_id)  # no longer on a published agenda: ontagendeer looks elsewhere only
        if published:
            for dossier_id in sorted({p["dossier"] for p in lijst if p["dossier"]}):
                await ontagendeer(user, vergadering, dossier_id)
        await Vergadering.delete().where(Vergadering.id == vergadering_id)
        if mail is not None:
            await queue_for_user(**mail)


# ----------------------------------------------------------------------------- the agenda PDF of a mail

async def agenda_pdf(vergadering_id: int) -> bytes:
    """The agenda PDF of meeting `vergadering_id` as it stands when the mail goes out — the same template, context
    and metadata as GET /vergaderingen/{id}/agenda.pdf gives a member (the PDF shows no chair-only part). The
    delivery's renderer "agenda_pdf"; LookupError when the meeting is gone (called off meanwhile: that mail is
    not sent, the CANCEL that follows carries no PDF)."""
    row = await Vergadering.select(*V.vergadering_columns()).where(Vergadering.id == vergadering_id).first()
    if row is None:
        raise LookupError(f"vergadering {vergadering_id} bestaat niet meer")
    v = V.shape(row)
    punten = await list_punten(v)
    context = {"v": v, "punten": punten, "einde": planned_end(v, punten),
               "deelnemers": await aanwezigheid.list_deelnemers(vergadering_id), "VergaderingStatus": VergaderingStatus}
    meta = PdfMeta(title=f"Agenda {v['overleg_naam']} {v['datum']:%d/%m/%Y}", author=v["overleg_naam"],
                   subject="Agenda van de vergadering")
    rendered = await render_template_pdf("pdf/agenda.html", context, meta)
    return rendered.pdf

"""Aggregates for /inzicht, computed in SQL (GROUP BY), never by looping over signals in Python."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Count, Sum

from admin.sessions import CurrentUser
from admin.tenancy import aggregate_gemeente_ids, in_gemeenten, member_gemeente_ids, register_gemeente_ids
from common.dates import local, month_label, start_of_day
from overleg.tables import Antwoord, Beslissing, Dossier, DossierStatus, Signaalnota
from signalen import audience
from signalen.tables import Bron, Levensdomein, Signaal, Signaaltype, Status


@dataclass(frozen=True)
class Scope:
    """Which gemeenten and period an aggregate counts. `named`: the gemeenten whose place names it may show (where
    the reader is a member); elsewhere (a coördinator's aggregate-only gemeenten) only counts per taxonomy term."""

    gemeente_ids: tuple[int, ...]
    van: dt.date | None = None
    tot: dt.date | None = None
    named: tuple[int, ...] = ()


def scope_for(user: CurrentUser, gemeente_ids: tuple[int, ...], van: dt.date | None = None,
              tot: dt.date | None = None) -> Scope:
    """The scope of an aggregate this user reads: place names only of gemeenten where they are a member."""
    named = tuple(sorted(set(gemeente_ids) & member_gemeente_ids(user)))
    return Scope(gemeente_ids, van, tot, named)


def _signal_where(scope: Scope):
    where: Combinable = in_gemeenten(Signaal.gemeente, list(scope.gemeente_ids))
    if scope.van:
        where &= Signaal.datum >= scope.van
    if scope.tot:
        where &= Signaal.datum <= scope.tot
    return where


async def _grouped(scope: Scope, column, labels: dict | None = None) -> list[tuple[str, int]]:
    """COUNT(*) per value of `column`, most first. Grouped on the bare column so the covering index suffices;
    `labels` (a small taxonomy, id → name) names the values afterwards instead of a join per row."""
    rows = await (Signaal.select(column.as_alias("sleutel"), Count(alias="aantal")).where(_signal_where(scope))
                  .group_by(column))
    labels = labels or {}
    out = [((labels.get(row["sleutel"]) or row["sleutel"] or "onbekend"), row["aantal"]) for row in rows]
    return sorted(out, key=lambda item: (-item[1], str(item[0])))


async def _names(table) -> dict[int, str]:
    return {row["id"]: row["naam"] for row in await table.select(table.id, table.naam)}


async def per_month(scope: Scope) -> list[tuple[str, int]]:
    """Signals per month (YYYY-MM), oldest first, months without signals included."""
    from common.db import engine_name

    # SQLite stores a DATE as 'YYYY-MM-DD' text: substr is a third cheaper than strftime over 100k rows.
    month = "substr(datum, 1, 7)" if engine_name() == "sqlite" else "to_char(datum, 'YYYY-MM')"
    ids = ", ".join(str(int(g)) for g in scope.gemeente_ids) or "NULL"
    conditions = [f"gemeente IN ({ids})"]
    args = []
    if scope.van:
        conditions.append("datum >= {}")
        args.append(scope.van)
    if scope.tot:
        conditions.append("datum <= {}")
        args.append(scope.tot)
    # ids are int()-cast and dates bound parameters: nothing from the request is pasted into the SQL.
    sql = f"SELECT {month} AS maand, COUNT(*) AS aantal FROM signaal WHERE {' AND '.join(conditions)} "  # noqa: S608
    result = await Signaal.raw(sql + "GROUP BY maand ORDER BY maand", *args)
    counts = {row["maand"]: row["aantal"] for row in result}
    if not counts:
        return []
    return [(month_label(m), counts.get(m, 0)) for m in _months(min(counts), max(counts))]


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


async def per_levensdomein(scope: Scope) -> list[tuple[str, int]]:
    return await _grouped(scope, Signaal.levensdomein, await _names(Levensdomein))


async def per_signaaltype(scope: Scope) -> list[tuple[str, int]]:
    return await _grouped(scope, Signaal.signaaltype, await _names(Signaaltype))


NO_PLACE = "zonder plek"
UNNAMED = "plekken in gemeenten waar je geen lid bent"


async def per_plek(scope: Scope, limit: int = 15) -> list[tuple[str, int]]:
    """Signals per place, most first. An aggregate: place names pass the privacy guard (an address becomes
    "[adres]"); of gemeenten outside `scope.named` no place is named, their signals count as one row."""
    rows = await (Signaal.select(Signaal.gemeente, Signaal.plek, Count(alias="aantal"))
                  .where(_signal_where(scope)).group_by(Signaal.gemeente, Signaal.plek))
    redact = audience.for_document()
    counts: dict[str, int] = {}
    for row in rows:
        if row["gemeente"] not in scope.named:
            label = UNNAMED
        else:
            label = redact(row["plek"]).strip() or NO_PLACE
        counts[label] = counts.get(label, 0) + row["aantal"]
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


async def per_bron(scope: Scope) -> list[tuple[str, int]]:
    return [(Bron.labels().get(bron, bron), n) for bron, n in await _grouped(scope, Signaal.bron)]


async def totals(scope: Scope) -> dict:
    row = await Signaal.select(Count(alias="signalen"), Sum(Signaal.aantal_jongeren, alias="jongeren")).where(
        _signal_where(scope)).first()
    assert row is not None  # an aggregate without GROUP BY always has its one row
    return {"signalen": row["signalen"], "jongeren": row["jongeren"] or 0}


async def dossiers_per_status(scope: Scope) -> list[tuple[str, int]]:
    rows = await (Dossier.select(Dossier.status, Count(alias="aantal"))
                  .where(in_gemeenten(Dossier.gemeente, list(scope.gemeente_ids)) & Dossier.samengevoegd_in.is_null())
                  .group_by(Dossier.status))
    return [(DossierStatus.label_for(r["status"]), r["aantal"]) for r in rows]


async def nota_answers(scope: Scope) -> dict:
    """Sent notas, share answered, share akkoord and the median number of days to an answer."""
    where = in_gemeenten(Signaalnota.gemeente, list(scope.gemeente_ids)) & Signaalnota.verstuurd_op.is_not_null()
    if scope.van:
        where &= Signaalnota.verstuurd_op >= start_of_day(scope.van)
    if scope.tot:
        where &= Signaalnota.verstuurd_op < start_of_day(scope.tot + dt.timedelta(days=1))
    sent = await Signaalnota.select(Signaalnota.id, Signaalnota.verstuurd_op).where(where)
    answers = await Antwoord.select(Antwoord.nota, Antwoord.datum, Antwoord.beslissing).where(
        Antwoord.nota.is_in([n["id"] for n in sent] or [0]))
    sent_on = {n["id"]: n["verstuurd_op"] for n in sent}
    days = [(a["datum"] - local(sent_on[a["nota"]]).date()).days for a in answers if a["nota"] in sent_on]
    decisions: dict[str, int] = {}
    for answer in answers:
        decisions[answer["beslissing"]] = decisions.get(answer["beslissing"], 0) + 1
    return {
        "verstuurd": len(sent),
        "beantwoord": len(answers),
        "aandeel_beantwoord": round(100 * len(answers) / len(sent)) if sent else None,
        "aandeel_akkoord": round(100 * decisions.get(Beslissing.akkoord, 0) / len(answers)) if answers else None,
        "mediaan_dagen": statistics.median(days) if days else None,
        "beslissingen": decisions,
    }


async def per_gemeente(user: CurrentUser) -> list[dict]:
    """A coördinator's gemeenten side by side: signals, new ones, open dossiers, sent notas (counts only)."""
    ids = sorted(aggregate_gemeente_ids(user))
    by_status = await (Signaal.select(Signaal.gemeente, Signaal.status, Count(alias="n"))
                       .where(in_gemeenten(Signaal.gemeente, ids)).group_by(Signaal.gemeente, Signaal.status))
    dossiers = await (Dossier.select(Dossier.gemeente, Count(alias="n"))
                      .where(in_gemeenten(Dossier.gemeente, ids) & (Dossier.status != DossierStatus.afgerond.value)
                             & Dossier.samengevoegd_in.is_null())
                      .group_by(Dossier.gemeente))
    notas = await (Signaalnota.select(Signaalnota.gemeente, Count(alias="n"))
                   .where(in_gemeenten(Signaalnota.gemeente, ids) & Signaalnota.verstuurd_op.is_not_null())
                   .group_by(Signaalnota.gemeente))
    rows = []
    for gemeente in sorted((user.gemeenten[i] for i in ids), key=lambda g: g.naam):
        counts = {r["status"]: r["n"] for r in by_status if r["gemeente"] == gemeente.id}
        rows.append({
            "gemeente": gemeente, "signalen": sum(counts.values()), "nieuw": counts.get(Status.nieuw, 0),
            "dossiers": next((r["n"] for r in dossiers if r["gemeente"] == gemeente.id), 0),
            "notas": next((r["n"] for r in notas if r["gemeente"] == gemeente.id), 0),
            "lid": gemeente.id in register_gemeente_ids(user),
        })
    return rows

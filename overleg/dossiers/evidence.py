"""The live evidence of a dossier, computed by the database: counts, distinct workers and places, young people,
age bands, sources, types, first and last date, counts per month, and a few quotes.

Three queries whatever the number of signals: one row of aggregates, one UNION ALL of GROUP BYs, and the quotes
of the first few signals that have any. No loop over the dossier's signals in Python.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from common.dates import month_label
from common.db import engine_name
from signalen.audience import Redactor
from signalen.tables import Bron, Leeftijd, Signaal

MAX_QUOTES = 5
MAX_PLACES = 12

_TOTALS = (
    "SELECT COUNT(*) AS aantal_signalen, COUNT(DISTINCT auteur) AS aantal_werkers, "
    "COUNT(DISTINCT CASE WHEN plek <> '' THEN plek END) AS aantal_plekken, "
    "SUM(aantal_jongeren) AS aantal_jongeren, MIN(datum) AS eerste_datum, MAX(datum) AS laatste_datum "
    "FROM signaal WHERE dossier = {}"
)
_GROUPS = (
    "SELECT 'leeftijd' AS soort, COALESCE(leeftijd, '') AS sleutel, COUNT(*) AS aantal FROM signaal "
    "WHERE dossier = {} GROUP BY COALESCE(leeftijd, '') "
    "UNION ALL SELECT 'bron', COALESCE(bron, ''), COUNT(*) FROM signaal WHERE dossier = {} GROUP BY COALESCE(bron, '') "
    "UNION ALL SELECT 'plek', plek, COUNT(*) FROM signaal WHERE dossier = {} AND plek <> '' GROUP BY plek "
    "UNION ALL SELECT 'maand', MONTH, COUNT(*) FROM signaal WHERE dossier = {} GROUP BY MONTH "
    "UNION ALL SELECT 'signaaltype', t.naam, COUNT(*) FROM signaal s JOIN signaaltype t ON t.id = s.signaaltype "
    "WHERE s.dossier = {} GROUP BY t.naam "
    "UNION ALL SELECT 'levensdomein', l.naam, COUNT(*) FROM signaal s JOIN levensdomein l ON l.id = s.levensdomein "
    "WHERE s.dossier = {} GROUP BY l.naam"
)
_MONTH = {"sqlite": "substr(datum, 1, 7)", "postgres": "to_char(datum, 'YYYY-MM')"}
_QUOTES = (
    "SELECT citaten FROM signaal WHERE dossier = {} AND CAST(citaten AS TEXT) NOT IN ('', '[]') "
    "ORDER BY datum, id LIMIT 5"  # MAX_QUOTES signals at most
)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return value or None


def _months(counts: dict[str, int]) -> list[dict]:
    """Every month from the first to the last signal, empty months included (at most a few years' worth)."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    out: list[dict] = []
    while f"{year:04d}-{month:02d}" <= last and len(out) < 120:
        key = f"{year:04d}-{month:02d}"
        out.append({"maand": key, "label": month_label(key), "aantal": counts.get(key, 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _quotes(rows: list[dict]) -> list[str]:
    """The first quote of each of the first signals, then their further quotes, up to MAX_QUOTES."""
    lists = []
    for row in rows:
        value = row["citaten"]
        try:
            items = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            items = []
        lists.append([q.strip() for q in items or [] if isinstance(q, str) and q.strip()])
    out: list[str] = []
    for depth in range(MAX_QUOTES):
        for items in lists:
            if depth < len(items) and items[depth] not in out and len(out) < MAX_QUOTES:
                out.append(items[depth])
    return out


async def evidence(dossier_id: int) -> dict:
    """The evidence summary of one dossier (callers check that the user may read it)."""
    totals = (await Signaal.raw(_TOTALS, dossier_id))[0]
    groups = await Signaal.raw(_GROUPS.replace("MONTH", _MONTH[engine_name()]), *[dossier_id] * 6)
    quotes = await Signaal.raw(_QUOTES, dossier_id)
    by: dict[str, list[dict]] = {"leeftijd": [], "bron": [], "plek": [], "maand": [], "signaaltype": [],
                                 "levensdomein": []}
    for row in groups:
        by[row["soort"]].append({"sleutel": row["sleutel"] or "", "aantal": int(row["aantal"])})
    for items in by.values():
        items.sort(key=lambda item: (-item["aantal"], item["sleutel"]))
    order = list(Leeftijd.values())
    by["leeftijd"].sort(key=lambda item: order.index(item["sleutel"]) if item["sleutel"] in order else len(order))
    for item in by["leeftijd"]:
        item["label"] = Leeftijd.labels().get(item["sleutel"], "Niet opgegeven")
    for item in by["bron"]:
        item["label"] = Bron.labels().get(item["sleutel"], "Niet opgegeven")
    for name in ("plek", "signaaltype", "levensdomein"):
        for item in by[name]:
            item["label"] = item["sleutel"]
    return {
        "aantal_signalen": int(totals["aantal_signalen"] or 0),
        "aantal_werkers": int(totals["aantal_werkers"] or 0),
        "aantal_plekken": int(totals["aantal_plekken"] or 0),
        "aantal_jongeren": int(totals["aantal_jongeren"] or 0),
        "eerste_datum": _date(totals["eerste_datum"]),
        "laatste_datum": _date(totals["laatste_datum"]),
        "leeftijden": by["leeftijd"],
        "bronnen": by["bron"],
        "plekken": by["plek"][:MAX_PLACES],
        "signaaltypes": by["signaaltype"],
        "levensdomeinen": by["levensdomein"],
        "per_maand": _months({item["sleutel"]: item["aantal"] for item in by["maand"]}),
        "citaten": _quotes(quotes),
    }


def _merged(items: list[dict]) -> list[dict]:
    """Counts whose labels became the same after redaction ("[adres]" twice) as one item, most first."""
    out: dict[str, dict] = {}
    for item in items:
        if item["label"] in out:
            out[item["label"]]["aantal"] += item["aantal"]
        else:
            out[item["label"]] = dict(item)
    return sorted(out.values(), key=lambda item: -item["aantal"])


def for_audience(ev: dict, redact: Redactor) -> dict:
    """The evidence as this audience may read it: place names and quotes through `redact` (see signalen.audience);
    the place keys go with them (a key is the stored text)."""
    places = _merged([{**p, "sleutel": redact(p["sleutel"]), "label": redact(p["label"])} for p in ev["plekken"]])
    return {**ev, "plekken": places, "citaten": list(dict.fromkeys(redact.all(ev["citaten"])))}


def signals_for_audience(rows: list[dict], redact: Redactor) -> list[dict]:
    """A dossier's signals (titles and places) as this audience may read them."""
    return [{**row, **{k: redact(row[k]) for k in ("titel", "plek") if k in row}} for row in rows]


def history_for_audience(rows: list[dict], redact: Redactor) -> list[dict]:
    """The dossier's history lines quote signal titles ("12: titel"): through `redact` like the titles."""
    return [{**row, "toelichting": redact(row.get("toelichting"))} for row in rows]

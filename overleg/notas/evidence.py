"""The evidence of a signaalnota: numbers from the database (SQL aggregates over the signals of its dossiers), the
default texts of its sections, and SVG charts (pygal) with the numbers beside them.

Callers check that the user may read the dossiers. Nothing here knows HTTP.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from typing import Any

from common.dates import long_date, month_label
from common.db import engine_name
from overleg.tables import Actie, ActieStatus, Dossier
from signalen.tables import Bron, Leeftijd, Signaal

MAX_PLACES = 12

_MONTH_SQL = {"sqlite": "substr(datum, 1, 7)", "postgres": "to_char(datum, 'YYYY-MM')"}
_TOTALS = ("SELECT COUNT(*) AS aantal_signalen, COUNT(DISTINCT auteur) AS aantal_werkers, "
           "COUNT(DISTINCT CASE WHEN plek <> '' THEN plek END) AS aantal_plekken, "
           "SUM(aantal_jongeren) AS aantal_jongeren, MIN(datum) AS eerste_datum, MAX(datum) AS laatste_datum "
           "FROM signaal WHERE dossier IN ({ids})")
_GROUPS = ("SELECT 'maand' AS soort, {month} AS sleutel, COUNT(*) AS aantal FROM signaal WHERE dossier IN ({ids}) "
           "GROUP BY {month} "
           "UNION ALL SELECT 'plek', plek, COUNT(*) FROM signaal WHERE dossier IN ({ids}) AND plek <> '' GROUP BY plek "
           "UNION ALL SELECT 'bron', COALESCE(bron, ''), COUNT(*) FROM signaal WHERE dossier IN ({ids}) "
           "GROUP BY COALESCE(bron, '') "
           "UNION ALL SELECT 'leeftijd', COALESCE(leeftijd, ''), COUNT(*) FROM signaal WHERE dossier IN ({ids}) "
           "GROUP BY COALESCE(leeftijd, '') "
           "UNION ALL SELECT 'signaaltype', t.naam, COUNT(*) FROM signaal s JOIN signaaltype t ON t.id = s.signaaltype "
           "WHERE s.dossier IN ({ids}) GROUP BY t.naam")
_ROWS = ("SELECT s.id, s.datum, s.titel, s.plek, s.bron, s.aantal_jongeren, s.citaten, s.status, s.dossier, "
         "u.first_name AS voornaam, u.last_name AS achternaam FROM signaal s "
         "LEFT JOIN piccolo_user u ON u.id = s.auteur WHERE s.dossier IN ({ids}) ORDER BY s.datum, s.id")


def _in(ids: list[int]) -> str:
    return ", ".join("{}" for _ in ids)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return value or None


def _months(counts: dict[str, int]) -> list[dict]:
    """Every month from the first to the last signal, empty months included (at most ten years)."""
    if not counts:
        return []
    year, month = int(min(counts)[:4]), int(min(counts)[5:7])
    out: list[dict] = []
    while f"{year:04d}-{month:02d}" <= max(counts) and len(out) < 120:
        key = f"{year:04d}-{month:02d}"
        out.append({"label": month_label(key), "aantal": counts.get(key, 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


async def evidence(dossier_ids: list[int]) -> dict:
    """Numbers over the signals of these dossiers: totals, per month, place, source, age band and type."""
    ids = [i for i in dossier_ids if isinstance(i, int)] or [0]
    totals = (await Signaal.raw(_TOTALS.format(ids=_in(ids)), *ids))[0]
    sql = _GROUPS.format(ids=_in(ids), month=_MONTH_SQL[engine_name()])
    by: dict[str, list[dict]] = {"maand": [], "plek": [], "bron": [], "leeftijd": [], "signaaltype": []}
    for row in await Signaal.raw(sql, *ids * 5):
        by[row["soort"]].append({"sleutel": row["sleutel"] or "", "aantal": int(row["aantal"])})
    for items in by.values():
        items.sort(key=lambda item: (-item["aantal"], item["sleutel"]))
    order = list(Leeftijd.values())
    by["leeftijd"].sort(key=lambda item: order.index(item["sleutel"]) if item["sleutel"] in order else len(order))
    labels = {"bron": Bron.labels(), "leeftijd": Leeftijd.labels()}
    for name, items in by.items():
        for item in items:
            item["label"] = labels[name].get(item["sleutel"], "Niet opgegeven") if name in labels else item["sleutel"]
    return {
        "aantal_signalen": int(totals["aantal_signalen"] or 0),
        "aantal_werkers": int(totals["aantal_werkers"] or 0),
        "aantal_plekken": int(totals["aantal_plekken"] or 0),
        "aantal_jongeren": int(totals["aantal_jongeren"] or 0),
        "eerste_datum": _date(totals["eerste_datum"]),
        "laatste_datum": _date(totals["laatste_datum"]),
        "per_maand": _months({item["sleutel"]: item["aantal"] for item in by["maand"]}),
        "plekken": by["plek"][:MAX_PLACES],
        "bronnen": by["bron"],
        "leeftijden": by["leeftijd"],
        "signaaltypes": by["signaaltype"],
    }


async def signal_rows(dossier_ids: list[int]) -> list[dict]:
    """The signals of these dossiers, oldest first, with their quotes and the worker's name (for the annex)."""
    ids = [i for i in dossier_ids if isinstance(i, int)] or [0]
    rows = await Signaal.raw(_ROWS.format(ids=_in(ids)), *ids)
    for row in rows:
        row["datum"] = _date(row["datum"])
        value = row["citaten"]
        try:
            quotes = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            quotes = []
        row["citaten"] = [q.strip() for q in quotes or [] if isinstance(q, str) and q.strip()]
        row["werker"] = " ".join(p for p in (row.pop("voornaam"), row.pop("achternaam")) if p)
        row["bron_label"] = Bron.labels().get(row["bron"] or "", "")
    return rows


def quotes(rows: list[dict]) -> list[str]:
    """Every distinct quote in these signals, in order."""
    out: list[str] = []
    for row in rows:
        out += [q for q in row["citaten"] if q not in out]
    return out


def worker_names(rows: list[dict]) -> list[str]:
    return sorted({row["werker"] for row in rows if row["werker"]})


async def actions(dossier_ids: list[int]) -> list[dict]:
    if not dossier_ids:
        return []
    return await (
        Actie.select(Actie.wat, Actie.status, Actie.deadline, Actie.partner.naam.as_alias("partner_naam"))
        .where(Actie.dossier.is_in(dossier_ids)).order_by(Actie.aangemaakt_op).order_by(Actie.id)
    )


async def dossiers(dossier_ids: list[int]) -> list[dict]:
    if not dossier_ids:
        return []
    return await Dossier.select(Dossier.id, Dossier.titel, Dossier.omschrijving, Dossier.status).where(
        Dossier.id.is_in(dossier_ids)).order_by(Dossier.id)


# ----------------------------------------------------------------------------- default texts (Markdown)

def _counts(items: list[dict], limit: int = 6) -> str:
    # "Vrijbroekpark: 2", not "Vrijbroekpark (2)": the privacy guard reads "Word (2)" as a name with an age.
    return ", ".join(f"{item['label']}: {item['aantal']}" for item in items[:limit])


def aanleiding_text(dossier_rows: list[dict], ev: dict) -> str:
    lines = []
    for row in dossier_rows:
        text = row["omschrijving"].strip()
        lines.append(f"**{row['titel']}**" + (f": {text}" if text else ""))
    if ev["aantal_signalen"]:
        lines += ["", f"- **Waar:** {_counts(ev['plekken']) or 'niet opgegeven'}",
                  f"- **Sinds wanneer:** sinds {long_date(ev['eerste_datum'])}",
                  f"- **Welke jongeren:** {_counts(ev['leeftijden'])}; samen ongeveer {ev['aantal_jongeren']} jongeren"]
    return "\n".join(lines)


def onderbouwing_text(ev: dict, names: list[str] | None = None) -> str:
    if not ev["aantal_signalen"]:
        return "Er zitten nog geen signalen in deze dossiers."
    werkers = f"{ev['aantal_werkers']} jeugdopbouwwerker" + ("s" if ev["aantal_werkers"] != 1 else "")
    if names:
        werkers += f" ({', '.join(names)})"
    period = long_date(ev["eerste_datum"])
    if ev["laatste_datum"] != ev["eerste_datum"]:
        period = f"tussen {period} en {long_date(ev['laatste_datum'])}"
    else:
        period = f"op {period}"
    n, places = ev["aantal_signalen"], ev["aantal_plekken"]
    lines = [f"{werkers} registreerde{'n' if ev['aantal_werkers'] != 1 else ''} {n} signa{'al' if n == 1 else 'len'} "
             f"over samen {ev['aantal_jongeren']} jongeren, {period}, op {places} plek{'ken' if places != 1 else ''}.",
             ""]
    for title, items in (("Plekken", ev["plekken"]), ("Bronnen", ev["bronnen"]), ("Leeftijd", ev["leeftijden"]),
                         ("Soort signaal", ev["signaaltypes"])):
        if items:
            lines.append(f"- **{title}:** {_counts(items)}")
    return "\n".join(lines)


def acties_text(rows: list[dict]) -> str:
    if not rows:
        return "Het overleg heeft voor deze dossiers nog geen acties afgesproken."
    out = []
    for row in rows:
        details = [row["partner_naam"] or "", ActieStatus.label_for(row["status"]).lower()]
        if row["deadline"]:
            details.append(f"tegen {long_date(_date(row['deadline']))}")
        out.append(f"- {' '.join(row['wat'].split())} ({', '.join(d for d in details if d)})")
    return "\n".join(out)


OPVOLGING = "Het jeugdwelzijnsoverleg volgt het antwoord op en brengt het terug naar de jongeren."


# ----------------------------------------------------------------------------- charts

_SCRIPT = re.compile(r"<script\b.*?</script>|<!--.*?-->", re.DOTALL)


def bar_chart(items: list[dict], *, horizontal: bool = False) -> str:
    """An SVG bar chart (pygal, no script) of [{"label", "aantal"}]."""
    import pygal  # ~0.5 s: only when a chart is drawn
    from pygal.style import Style

    style = Style(font_family="DejaVu Sans", background="#ffffff", plot_background="#ffffff",
                  foreground="#222222", foreground_strong="#111111", foreground_subtle="#d0d0d0",
                  colors=("#1f5f8b",), opacity="1", opacity_hover="1", label_font_size=15,
                  major_label_font_size=15, value_font_size=15, title_font_size=16, guide_stroke_color="#c8c8c8",
                  major_guide_stroke_color="#c8c8c8", guide_stroke_dasharray="3,3", major_guide_stroke_dasharray="3,3")
    highest = max((item["aantal"] for item in items), default=1) or 1
    shown = list(reversed(items)) if horizontal else items  # horizontal bars: the largest on top
    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(
        style=style, js=[], show_legend=False, disable_xml_declaration=True, print_values=True,
        print_values_position="top",
        width=560, height=280 if not horizontal else 70 + 34 * max(1, len(items)), explicit_size=True,
        x_label_rotation=(0 if horizontal or len(items) <= 6 else 40), range=(0, highest), min_scale=1,
        max_scale=max(1, min(highest, 8)),
        value_formatter=lambda value: f"{value:g}", margin=10, spacing=8, truncate_label=-1,
    )
    chart.x_labels = [item["label"][:32] for item in shown]
    chart.add("Signalen", [item["aantal"] for item in shown])
    # pygal ids each chart with a random uuid; one from its content makes the same nota the same HTML (PDF cache)
    chart.uuid = hashlib.sha256(repr((horizontal, shown)).encode()).hexdigest()[:32]
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def charts(ev: dict) -> list[dict]:
    """Charts of the signals per month and per place, each with its numbers for the table beside it."""
    out = []
    if ev["per_maand"]:
        first, last = ev["per_maand"][0]["label"], ev["per_maand"][-1]["label"]
        out.append({"id": "grafiek-maand", "titel": "Signalen per maand", "kolom": "Maand",
                    "alt": f"Staafdiagram van het aantal signalen per maand, {first} tot {last}. "
                           "De cijfers staan in de tabel ernaast.",
                    "rijen": ev["per_maand"], "src": data_uri(bar_chart(ev["per_maand"]))})
    if ev["plekken"]:
        out.append({"id": "grafiek-plek", "titel": "Signalen per plek", "kolom": "Plek",
                    "alt": "Staafdiagram van het aantal signalen per plek. De cijfers staan in de tabel ernaast.",
                    "rijen": ev["plekken"], "src": data_uri(bar_chart(ev["plekken"], horizontal=True))})
    return out

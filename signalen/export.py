"""The register as a file: CSV for any spreadsheet, XLSX for Excel; the register's own filters and tenancy.

Choices, kept identical in both formats:
- dates as dd/mm/jjjj and times as dd/mm/jjjj uu:mm in Belgian time (what Flemish Excel expects); XLSX stores real
  date/datetime cells with that number format, CSV writes the text;
- status, bron and leeftijd as their Dutch labels, citaten joined with " | ";
- formula injection: in CSV a text cell starting with = + - @ tab or CR gets a leading ' ; in XLSX every text cell
  is written as a string cell (never a formula) and such a cell also gets Excel's quote prefix, so it stays text when
  someone edits it;
- at most 50 000 rows, in the register's sort order; the XLSX "Filters" sheet says when there were more.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import anyio
from litestar import Controller, Request, Response, get

from admin.guards import requires_login
from admin.sessions import CurrentUser
from admin.tenancy import register_gemeente_ids
from common import tabular
from common.dates import local, now, today
from common.errors import FieldErrors
from common.ids import not_found
from common.tabular import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from signalen import filters as register_filters
from signalen.rows import SignaalRow
from signalen.services import list_signalen, taxonomy_lists
from signalen.tables import Bron, Leeftijd, Status

MAX_ROWS = 50_000
CITATEN_SEPARATOR = " | "

# (header, column width in characters for XLSX)
COLUMNS: list[tuple[str, int]] = [
    ("ID", 8),
    ("Gemeente", 16),
    ("Datum", 12),
    ("Titel", 40),
    ("Omschrijving", 60),
    ("Plek", 24),
    ("Bron", 16),
    ("Levensdomein", 18),
    ("Signaaltype", 30),
    ("Aantal jongeren", 10),
    ("Leeftijd", 15),
    ("Citaten", 50),
    ("Status", 16),
    ("Dossier", 9),
    ("Auteur", 22),
    ("Geregistreerd op", 17),
]
HEADERS = [name for name, _ in COLUMNS]


# ----------------------------------------------------------------------------- values

def _local(moment: Any) -> dt.datetime | None:
    """A stored timestamp as naive Belgian local time (Excel has no time zones)."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    if not isinstance(moment, dt.datetime):
        return None
    return local(moment).replace(tzinfo=None)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return None


def values(row: Mapping[str, Any]) -> list[Any]:
    """One signal as typed cell values, in the order of HEADERS (None for empty)."""
    citaten = row.get("citaten") or []
    return [
        row.get("id"),
        row.get("gemeente_naam") or row.get("gemeente") or "",
        _date(row.get("datum")),
        row.get("titel") or "",
        row.get("omschrijving") or "",
        row.get("plek") or "",
        Bron.label_for(row.get("bron") or ""),
        row.get("levensdomein_naam") or "",
        row.get("signaaltype_naam") or "",
        row.get("aantal_jongeren"),
        Leeftijd.label_for(row.get("leeftijd") or ""),
        CITATEN_SEPARATOR.join(str(c) for c in citaten) if isinstance(citaten, list) else str(citaten),
        Status.label_for(row.get("status") or ""),
        row.get("dossier"),
        row.get("auteur_naam") or "",
        _local(row.get("aangemaakt_op")),
    ]


def build_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    return tabular.build_csv(HEADERS, (values(row) for row in rows))


def build_xlsx(rows: Sequence[Mapping[str, Any]], summary: list[tuple[str, Any]]) -> bytes:
    return tabular.build_xlsx("Signalen", COLUMNS, [values(row) for row in rows], summary)


# ----------------------------------------------------------------------------- what was asked

def filename(chosen: register_filters.Filters, extension: str) -> str:
    gemeente = re.sub(r"[^a-z0-9-]", "", chosen.gemeente.lower()) or "alle"
    return f"signalen-{gemeente}-{today().isoformat()}.{extension}"


async def summary(user: CurrentUser, chosen: register_filters.Filters, rows: Sequence[Mapping[str, Any]], total: int,
                  exported_at: dt.datetime) -> list[tuple[str, Any]]:
    """The filters used, in words, for the "Filters" sheet (empty ones as "alle")."""
    alle = "alle"
    names: dict[str, dict[str, str]] = {"levensdomein": {}, "signaaltype": {}}
    if chosen.levensdomein or chosen.signaaltype:
        lists = await taxonomy_lists(include_inactive=True)
        names["levensdomein"] = {t["slug"]: t["naam"] for t in lists["levensdomeinen"]}
        names["signaaltype"] = {t["slug"]: t["naam"] for t in lists["signaaltypes"]}
    gemeente = next((g.naam for g in user.gemeenten.values() if g.slug == chosen.gemeente), chosen.gemeente)
    if chosen.auteur == "ik":
        auteur = f"{user.naam} (mijn signalen)"
    elif chosen.auteur:
        # Only a name the export itself shows: no lookup of people outside the user's register.
        auteur = next((r["auteur_naam"] for r in rows if str(r.get("auteur")) == chosen.auteur and r["auteur_naam"]),
                      f"gebruiker {chosen.auteur}")
    else:
        auteur = alle
    result: list[tuple[str, Any]] = [
        ("Zoekterm", chosen.q or alle),
        ("Gemeente", gemeente or "alle gemeenten waar je het register ziet"),
        ("Levensdomein", names["levensdomein"].get(chosen.levensdomein, chosen.levensdomein) or alle),
        ("Signaaltype", names["signaaltype"].get(chosen.signaaltype, chosen.signaaltype) or alle),
        ("Status", Status.label_for(chosen.status) if chosen.status else alle),
        ("Bron", Bron.labels().get(chosen.bron, chosen.bron) or alle),
        ("Plek", chosen.plek or alle),
        ("Auteur", auteur),
        ("Van", chosen.van or alle),
        ("Tot en met", chosen.tot or alle),
        ("Sortering", register_filters.SORTS.get(chosen.sorteer, chosen.sorteer)),
        ("Geëxporteerd op", exported_at),
        ("Geëxporteerd door", user.naam),
        ("Aantal signalen", len(rows)),
    ]
    if total > len(rows):
        result.append(("Let op", f"Afgekapt: de eerste {len(rows)} van {total} signalen. Verfijn de filters."))
    return result


async def _select(request: Request) -> tuple[CurrentUser, register_filters.Filters, list[SignaalRow], int]:
    user: CurrentUser = request.user
    if not register_gemeente_ids(user):
        raise not_found()  # a partner (or a beheerder without membership) has no register to export
    chosen, errors = register_filters.parse(request.query_params)
    if errors:
        raise FieldErrors(errors, detail="De filters voor deze export kloppen niet.", status_code=400)
    rows, total = await list_signalen(user, chosen, limit=MAX_ROWS)
    return user, chosen, rows, total


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


class SignaalExportController(Controller):
    path = "/signalen"
    guards = [requires_login]
    include_in_schema = False

    @get("/export.csv", name="signalen_export_csv")
    async def export_csv(self, request: Request) -> Response:
        _user, chosen, rows, _total = await _select(request)
        content = await anyio.to_thread.run_sync(build_csv, rows)
        return _download(content, CSV_MEDIA_TYPE, filename(chosen, "csv"))

    @get("/export.xlsx", name="signalen_export_xlsx")
    async def export_xlsx(self, request: Request) -> Response:
        user, chosen, rows, total = await _select(request)
        exported_at = local(now()).replace(tzinfo=None, microsecond=0)
        info = await summary(user, chosen, rows, total, exported_at)
        content = await anyio.to_thread.run_sync(build_xlsx, rows, info)  # CPU work off the event loop
        return _download(content, XLSX_MEDIA_TYPE, filename(chosen, "xlsx"))

"""The register's filters: one parser for pages, API and exports, so they always agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from common.ids import as_id
from signalen.tables import Bron, Status

SORTS = {
    "nieuwste": "Nieuwste eerst",
    "oudste": "Oudste eerst",
    "titel": "Titel (A-Z)",
}
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Filters:
    q: str = ""
    gemeente: str = ""
    levensdomein: str = ""
    signaaltype: str = ""
    status: str = ""
    bron: str = ""
    plek: str = ""
    auteur: str = ""  # a user id, or "ik" for "mine"
    van: dt.date | None = None
    tot: dt.date | None = None
    pagina: int = 1
    per_pagina: int = 25
    sorteer: str = "nieuwste"

    def query_string(self, **overrides) -> str:
        """The filters as URL parameters (defaults left out), e.g. for pagination links and exports."""
        values = {**asdict(self), **overrides}
        defaults = asdict(Filters())
        kept = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()
                if v not in (None, "") and v != defaults[k]}
        return urlencode(kept)

    @property
    def active(self) -> bool:
        return any((self.q, self.gemeente, self.levensdomein, self.signaaltype, self.status, self.bron, self.plek,
                    self.auteur, self.van, self.tot))


def _text(raw: Mapping, name: str, limit: int = 200) -> str:
    value = raw.get(name) or ""
    return str(value).strip()[:limit]


def _date(raw: Mapping, name: str, errors: dict[str, str]) -> dt.date | None:
    text = _text(raw, name, 40)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = "Geef een geldige datum (jjjj-mm-dd)."
        return None


def _int(raw: Mapping, name: str, default: int, low: int, high: int, errors: dict[str, str]) -> int:
    text = _text(raw, name, 20)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        errors[name] = "Geef een geheel getal."
        return default
    if not low <= value <= high:
        errors[name] = f"Geef een getal tussen {low} en {high}."
        return default
    return value


def parse(raw: Mapping) -> tuple[Filters, dict[str, str]]:
    """Filters from query parameters, and Dutch messages for what could not be used."""
    errors: dict[str, str] = {}
    status = _text(raw, "status", 32)
    if status and status not in {s.value for s in Status}:
        errors["status"] = "Onbekende status."
        status = ""
    bron = _text(raw, "bron", 32)
    if bron and bron not in {b.value for b in Bron}:
        errors["bron"] = "Onbekende bron."
        bron = ""
    auteur = _text(raw, "auteur", 20)
    if raw.get("mijn") in ("1", "on", "true"):
        auteur = "ik"
    if auteur and auteur != "ik" and as_id(auteur) is None:
        errors["auteur"] = "Onbekende auteur."
        auteur = ""
    van, tot = _date(raw, "van", errors), _date(raw, "tot", errors)
    if van and tot and tot < van:
        errors["tot"] = "De einddatum ligt voor de begindatum."
        tot = None
    sorteer = _text(raw, "sorteer", 20) or "nieuwste"
    if sorteer not in SORTS:
        errors["sorteer"] = "Onbekende sortering."
        sorteer = "nieuwste"
    filters = Filters(
        q=_text(raw, "q", 200),
        gemeente=_text(raw, "gemeente", 80),
        levensdomein=_text(raw, "levensdomein", 80),
        signaaltype=_text(raw, "signaaltype", 80),
        status=status,
        bron=bron,
        plek=_text(raw, "plek", 200),
        auteur=auteur,
        van=van,
        tot=tot,
        pagina=_int(raw, "pagina", 1, 1, 100_000, errors),
        per_pagina=_int(raw, "per_pagina", 25, 1, MAX_PER_PAGE, errors),
        sorteer=sorteer,
    )
    return filters, errors

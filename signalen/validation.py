"""Input of a signal, checked once for the form and the API alike; Dutch messages per field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from common.dates import today
from signalen.tables import Bron, Leeftijd

LIMITS = {"titel": 120, "omschrijving": 5000, "plek": 200, "citaat": 300}
MAX_CITATEN = 20
MAX_JONGEREN = 10_000
EARLIEST = dt.date(2000, 1, 1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any) -> str:
    """Text as typed, minus control characters (NUL and friends); emoji, RTL and zero-width stay exactly."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value))


@dataclass
class Taxonomy:
    """Active and known slugs → ids, loaded once per request."""

    levensdomeinen: dict[str, int]
    signaaltypes: dict[str, int]
    actief_levensdomein: set[str] = field(default_factory=set)
    actief_signaaltype: set[str] = field(default_factory=set)


@dataclass
class Checked:
    values: dict[str, Any]
    errors: dict[str, str]


def _date(raw: Any, errors: dict[str, str]) -> dt.date | None:
    if isinstance(raw, dt.date):
        value = raw
    else:
        text = clean_text(raw).strip()
        if not text:
            errors["datum"] = "Geef de datum waarop je het signaal opving."
            return None
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            errors["datum"] = "Geef een geldige datum (jjjj-mm-dd)."
            return None
    if value > today():
        errors["datum"] = "De datum mag niet in de toekomst liggen."
    elif value < EARLIEST:
        errors["datum"] = "Deze datum ligt te ver in het verleden."
    return value


def _count(raw: Any, errors: dict[str, str]) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        errors["aantal_jongeren"] = "Geef een aantal tussen 0 en 10 000."
        return None
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int) else raw
    except ValueError:
        errors["aantal_jongeren"] = "Geef een aantal als getal."
        return None
    if not 0 <= value <= MAX_JONGEREN:
        errors["aantal_jongeren"] = "Geef een aantal tussen 0 en 10 000."
    return value


def _citaten(raw: Any, errors: dict[str, str]) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        raw = raw.splitlines()
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        errors["citaten"] = "Citaten zijn een lijst van teksten."
        return []
    citaten = [clean_text(c).strip() for c in raw]
    citaten = [c for c in citaten if c]
    if len(citaten) > MAX_CITATEN:
        errors["citaten"] = f"Hoogstens {MAX_CITATEN} citaten per signaal."
    for citaat in citaten:
        if len(citaat) > LIMITS["citaat"]:
            errors["citaten"] = f"Een citaat mag hoogstens {LIMITS['citaat']} tekens lang zijn."
    return citaten


def _slug(name: str, raw: Any, known: dict[str, int], active: set[str], keep: str | None,
          errors: dict[str, str]) -> int | None:
    slug = clean_text(raw).strip()
    if not slug:
        return None
    if slug not in known or (slug not in active and slug != keep):
        errors[name] = "Kies een waarde uit de lijst."
        return None
    return known[slug]


def check(data: dict[str, Any], taxonomy: Taxonomy, *, partial: bool = False,
          keep: dict[str, str | None] | None = None) -> Checked:
    """Validate the signal fields present in `data` (all required ones unless partial).

    `keep` holds the current slugs of an existing signal, so a since-deactivated type can stay on it.
    """
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    keep = keep or {}

    def present(name: str) -> bool:
        return not partial or name in data

    if present("titel"):
        titel = clean_text(data.get("titel")).strip()
        if not titel:
            errors["titel"] = "Geef een korte titel."
        elif len(titel) > LIMITS["titel"]:
            errors["titel"] = f"De titel mag hoogstens {LIMITS['titel']} tekens lang zijn."
        values["titel"] = titel
    if present("omschrijving"):
        omschrijving = clean_text(data.get("omschrijving")).strip()
        if not omschrijving:
            errors["omschrijving"] = "Beschrijf wat je hoorde of zag."
        elif len(omschrijving) > LIMITS["omschrijving"]:
            errors["omschrijving"] = f"De omschrijving mag hoogstens {LIMITS['omschrijving']} tekens lang zijn."
        values["omschrijving"] = omschrijving
    if present("datum"):
        values["datum"] = _date(data.get("datum"), errors)
    if "plek" in data or not partial:
        plek = clean_text(data.get("plek")).strip()
        if len(plek) > LIMITS["plek"]:
            errors["plek"] = f"De plek mag hoogstens {LIMITS['plek']} tekens lang zijn."
        values["plek"] = plek
    if "bron" in data or not partial:
        bron = clean_text(data.get("bron")).strip() or None
        if bron is not None and bron not in {b.value for b in Bron}:
            errors["bron"] = "Kies een bron uit de lijst."
        values["bron"] = bron
    if "leeftijd" in data or not partial:
        leeftijd = clean_text(data.get("leeftijd")).strip() or None
        if leeftijd is not None and leeftijd not in {lft.value for lft in Leeftijd}:
            errors["leeftijd"] = "Kies een leeftijdsgroep uit de lijst."
        values["leeftijd"] = leeftijd
    if "levensdomein" in data or not partial:
        values["levensdomein"] = _slug("levensdomein", data.get("levensdomein"), taxonomy.levensdomeinen,
                                       taxonomy.actief_levensdomein, keep.get("levensdomein"), errors)
    if "signaaltype" in data or not partial:
        values["signaaltype"] = _slug("signaaltype", data.get("signaaltype"), taxonomy.signaaltypes,
                                      taxonomy.actief_signaaltype, keep.get("signaaltype"), errors)
    if "aantal_jongeren" in data or not partial:
        values["aantal_jongeren"] = _count(data.get("aantal_jongeren"), errors)
    if "citaten" in data or not partial:
        values["citaten"] = _citaten(data.get("citaten"), errors)
    return Checked(values, errors)

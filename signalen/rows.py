"""Typed shapes of the rows the signalen services return (the dicts controllers, API and templates read)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict


class SignaalRow(TypedDict):
    """One signal as `services.get_signaal` and `services.list_signalen` return it (`_shape` of `_columns`)."""

    id: int
    titel: str
    omschrijving: str
    datum: dt.date
    plek: str
    bron: str | None
    levensdomein: str | None  # the slug; the id is `levensdomein_id`
    levensdomein_id: int | None
    levensdomein_naam: str | None
    signaaltype: str | None  # the slug; the id is `signaaltype_id`
    signaaltype_id: int | None
    signaaltype_naam: str | None
    aantal_jongeren: int | None
    leeftijd: str | None
    citaten: list[str]
    status: str
    dossier: int | None
    versie: int
    aangemaakt_op: dt.datetime
    gewijzigd_op: dt.datetime
    persoonsgegevens: list[dict[str, Any]]
    gemeente_id: int
    gemeente: str  # the slug
    gemeente_naam: str
    auteur: int
    auteur_naam: str
    client_id: str | None

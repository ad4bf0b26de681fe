"""Typed shapes of the signalen JSON API (requests and answers), so /schema/openapi.json documents every field.

Request bodies are deliberately lenient: every field is optional and text fields accept null, so that one
validator (signalen.validation) decides what is missing or wrong and answers 422 with a Dutch message per field.
Only a JSON *type* mismatch (e.g. `"aantal_jongeren": "veel"`) is refused earlier, with 400. Unknown keys are
ignored, so a client may send back (part of) a signal it read; read-only fields such as `status` or `id` are never
changed that way (use the status endpoint).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar.openapi.spec import OpenAPIFormat
from msgspec import UNSET, Meta, Struct, UnsetType

from common.api import schema_requires

# ----------------------------------------------------------------------------- descriptions

_GEMEENTE = "Slug van de gemeente (verplicht bij aanmaken); je moet er een registerrol hebben."
_TITEL = "Korte titel (verplicht, hoogstens 120 tekens)."
_OMSCHRIJVING = "Wat je hoorde of zag, in Markdown (verplicht, hoogstens 5000 tekens)."
_DATUM = "Datum waarop je het signaal opving, ISO jjjj-mm-dd (verplicht, niet in de toekomst)."
_PLEK = "Plek (hoogstens 200 tekens)."
_BRON = "Bron: straat, online, partner, jongerenoverleg of activiteit (zie /api/v1/taxonomie)."
_LEVENSDOMEIN = "Slug van een actief levensdomein (zie /api/v1/taxonomie)."
_SIGNAALTYPE = "Slug van een actief signaaltype (zie /api/v1/taxonomie)."
_AANTAL = "Aantal betrokken jongeren, 0 tot 10 000."
_LEEFTIJD = "Leeftijdsgroep: -12, 12-15, 16-18, 19-25 of gemengd."
_CITATEN = "Letterlijke citaten van jongeren (hoogstens 20, elk hoogstens 300 tekens)."
_BEVESTIG = ("Bevestig dat de gevonden persoonsgegevens nodig zijn; zonder bevestiging weigert de API een tekst "
             "met mogelijke persoonsgegevens (422 met `persoonsgegevens`).")
_CLIENT_ID = ("Id dat de browser aan het signaal gaf (bv. een UUID; 8 tot 64 letters, cijfers, - of _). Wie "
              "hetzelfde client_id opnieuw stuurt krijgt 200 met het signaal dat al bewaard is, geen tweede; het "
              "client_id van iemand anders geeft 409.")
_VERSIE = "De versie van het signaal waarop je wijziging steunt (verplicht); een oudere versie geeft 409."


# ----------------------------------------------------------------------------- requests

@schema_requires("gemeente", "titel", "omschrijving", "datum", datum={"format": OpenAPIFormat.DATE, "pattern": None})
class SignaalNieuw(Struct, kw_only=True):
    """Een nieuw signaal. Onbekende sleutels worden genegeerd."""

    gemeente: Annotated[str | None, Meta(description=_GEMEENTE)] = None
    titel: Annotated[str | None, Meta(description=_TITEL)] = None
    omschrijving: Annotated[str | None, Meta(description=_OMSCHRIJVING)] = None
    datum: Annotated[str | None, Meta(description=_DATUM)] = None
    plek: Annotated[str | None, Meta(description=_PLEK)] = None
    bron: Annotated[str | None, Meta(description=_BRON)] = None
    levensdomein: Annotated[str | None, Meta(description=_LEVENSDOMEIN)] = None
    signaaltype: Annotated[str | None, Meta(description=_SIGNAALTYPE)] = None
    aantal_jongeren: Annotated[int | None, Meta(description=_AANTAL)] = None
    leeftijd: Annotated[str | None, Meta(description=_LEEFTIJD)] = None
    citaten: Annotated[list[str] | None, Meta(description=_CITATEN)] = None
    client_id: Annotated[str | None, Meta(description=_CLIENT_ID)] = None
    bevestig_persoonsgegevens: Annotated[bool, Meta(description=_BEVESTIG)] = False


class SignaalWijziging(Struct, kw_only=True):
    """Een wijziging: alleen de velden die in de JSON staan worden gewijzigd; `null` maakt een optioneel veld
    leeg. Onbekende sleutels worden genegeerd."""

    versie: Annotated[int | None | UnsetType, Meta(description=_VERSIE)] = UNSET
    titel: Annotated[str | None | UnsetType, Meta(description=_TITEL)] = UNSET
    omschrijving: Annotated[str | None | UnsetType, Meta(description=_OMSCHRIJVING)] = UNSET
    datum: Annotated[str | None | UnsetType, Meta(description=_DATUM)] = UNSET
    plek: Annotated[str | None | UnsetType, Meta(description=_PLEK)] = UNSET
    bron: Annotated[str | None | UnsetType, Meta(description=_BRON)] = UNSET
    levensdomein: Annotated[str | None | UnsetType, Meta(description=_LEVENSDOMEIN)] = UNSET
    signaaltype: Annotated[str | None | UnsetType, Meta(description=_SIGNAALTYPE)] = UNSET
    aantal_jongeren: Annotated[int | None | UnsetType, Meta(description=_AANTAL)] = UNSET
    leeftijd: Annotated[str | None | UnsetType, Meta(description=_LEEFTIJD)] = UNSET
    citaten: Annotated[list[str] | None | UnsetType, Meta(description=_CITATEN)] = UNSET
    bevestig_persoonsgegevens: Annotated[bool, Meta(description=_BEVESTIG)] = False


class StatusWijziging(Struct, kw_only=True):
    """Een statuswijziging (DESIGN §4). Niet weerhouden en heropenen vragen een toelichting."""

    status: Annotated[str | None, Meta(description="De nieuwe status (slug, zie /api/v1/taxonomie).")] = None
    toelichting: Annotated[str | None, Meta(description="Waarom (hoogstens 2000 tekens).")] = None


# ----------------------------------------------------------------------------- answers

class Persoonsgegeven(Struct, kw_only=True):
    """Een vondst van de privacybewaker (bij een opgeslagen signaal: bevestigd als nodig)."""

    soort: str
    label: str = ""
    veld: str = ""
    start: int | None = None
    einde: int | None = None
    tekst: str = ""
    vervanging: str = ""
    bevestigd_door: Annotated[int | None, Meta(description="Gebruiker die de vondst bevestigde.")] = None
    bevestigd_op: Annotated[str | None, Meta(description="Tijdstip van de bevestiging (ISO).")] = None


class Signaal(Struct, kw_only=True):
    """Een signaal zoals de API het toont."""

    id: int
    gemeente: Annotated[str, Meta(description="Slug van de gemeente.")]
    gemeente_naam: str
    titel: str
    omschrijving: Annotated[str, Meta(description="Markdown, zoals ingevoerd.")]
    omschrijving_html: Annotated[str, Meta(description="De omschrijving als veilige (gezuiverde) HTML.")]
    datum: dt.date
    plek: str
    bron: str | None
    levensdomein: Annotated[str | None, Meta(description="Slug van het levensdomein.")]
    levensdomein_naam: str | None
    signaaltype: Annotated[str | None, Meta(description="Slug van het signaaltype.")]
    signaaltype_naam: str | None
    aantal_jongeren: int | None
    leeftijd: str | None
    citaten: list[str]
    status: str
    status_label: str
    dossier: Annotated[int | None, Meta(description="Id van het dossier waarin het signaal gebundeld is.")]
    versie: Annotated[int, Meta(description="Stuur deze mee bij een wijziging (PATCH).")]
    persoonsgegevens: Annotated[list[Persoonsgegeven], Meta(description="Bevestigde vondsten van de "
                                                                         "privacybewaker.")]
    auteur: Annotated[int, Meta(description="Id van de gebruiker die het signaal registreerde.")]
    auteur_naam: str
    client_id: Annotated[str | None, Meta(description="Het id dat de browser het signaal gaf (offline "
                                                      "wachtrij), of null.")]
    aangemaakt_op: dt.datetime
    gewijzigd_op: dt.datetime
    mag_bewerken: Annotated[bool, Meta(description="Mag de aangemelde gebruiker dit signaal bewerken?")]
    mogelijke_statussen: Annotated[list[str], Meta(description="Statussen waarnaar de aangemelde gebruiker dit "
                                                               "signaal nu mag zetten.")]


class SignaalHistoriekItem(Struct, kw_only=True):
    """Wie wanneer wat veranderde, en waarom."""

    tijdstip: dt.datetime
    soort: Annotated[str, Meta(description="status, bewerking of dossier.")]
    van: Annotated[str, Meta(description="Vorige status (leeg bij registratie of bewerking).")]
    naar: Annotated[str, Meta(description="Nieuwe status (leeg bij een bewerking).")]
    toelichting: str
    door: Annotated[str | None, Meta(description="Naam van wie het deed (null: systeem of verwijderde "
                                                 "gebruiker).")]


class SignaalDetail(Signaal, kw_only=True):
    """Een signaal met zijn historiek."""

    historiek: list[SignaalHistoriekItem]


class SignaalLijst(Struct, kw_only=True):
    """Een pagina van het register."""

    items: list[Signaal]
    totaal: Annotated[int, Meta(description="Aantal signalen dat aan de filters voldoet (alle pagina's).")]
    pagina: int
    per_pagina: int


class TaxonomieKeuze(Struct, kw_only=True):
    slug: str
    naam: str


class TaxonomieItem(Struct, kw_only=True):
    slug: str
    naam: str
    omschrijving: str = ""


class Taxonomie(Struct, kw_only=True):
    """De actieve keuzelijsten, met Nederlandse namen."""

    levensdomeinen: list[TaxonomieItem]
    signaaltypes: list[TaxonomieItem]
    bronnen: list[TaxonomieKeuze]
    statussen: list[TaxonomieKeuze]
    leeftijden: list[TaxonomieKeuze]


class Fout(Struct, kw_only=True):
    """Een fout: `detail` in het Nederlands, `fields` per veld; 409 bij een verouderde versie geeft `huidig`,
    422 bij persoonsgegevens geeft `persoonsgegevens`."""

    detail: str
    status_code: int
    fields: Annotated[dict[str, str] | None, Meta(description="Nederlandse melding per veld.")] = None
    persoonsgegevens: Annotated[list[Persoonsgegeven] | None, Meta(description="422: de onbevestigde vondsten.")] = None
    huidig: Annotated[dict | None, Meta(description="409 bij een verouderde versie: het signaal zoals nu.")] = None


# ----------------------------------------------------------------------------- similar signals

class Vergelijkbaar(Struct, kw_only=True):
    """Een signaal dat op het gevraagde lijkt, met waarom."""

    signaal: Annotated[int, Meta(description="Id van het vergelijkbare signaal.")]
    score: Annotated[float, Meta(ge=0, le=1, description="Hoe goed het past, 0 tot 1 (twee decimalen).")]
    reden: Annotated[str, Meta(description="Waarom het lijkt, leesbaar (bv. 'zelfde betekenis; zelfde plek (…)').")]
    titel: str
    datum: dt.date
    plek: str
    status: str


class VergelijkbaarLijst(Struct, kw_only=True):
    items: list[Vergelijkbaar]


class Voorstel(Struct, kw_only=True):
    """Een voorstel uit de tekst, alleen als de naaste signalen het duidelijk eens zijn; anders null."""

    signaaltype: str | None = None
    levensdomein: str | None = None


@schema_requires("gemeente")
class VergelijkbaarConcept(Struct, kw_only=True):
    """Een signaal dat nog getypt wordt (niets wordt bewaard). De tekst staat in de body, nooit in de URL."""

    gemeente: Annotated[str | None, Meta(description=_GEMEENTE)] = None
    titel: Annotated[str | None, Meta(description="De titel tot nu toe.")] = None
    omschrijving: Annotated[str | None, Meta(description="De omschrijving tot nu toe.")] = None
    plek: Annotated[str | None, Meta(description=_PLEK)] = None


class VergelijkbaarVoorstel(Struct, kw_only=True):
    items: list[Vergelijkbaar]
    voorstel: Voorstel

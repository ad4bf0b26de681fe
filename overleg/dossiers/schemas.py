"""Typed shapes of the dossier API, so /schema/openapi.json documents every field.

Request bodies are lenient (fields optional, null allowed) so the services answer 422 with a Dutch message per
field; only a JSON type mismatch is refused earlier with 400. Unknown keys are ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from common.api import ID_ITEMS, schema_requires

_SIGNALEN = "Ids van signalen van dezelfde gemeente (hoogstens 500)."
_TITEL = "Korte titel (verplicht, hoogstens 200 tekens)."
_OMSCHRIJVING = "Omschrijving in Markdown (hoogstens 10 000 tekens)."
_BEVESTIG = ("true: de gevonden persoonsgegevens zijn nodig (partners lezen titel en omschrijving); zonder "
             "bevestiging weigert de API zo'n tekst (422 met `persoonsgegevens`).")


# ----------------------------------------------------------------------------- requests

@schema_requires("gemeente", "titel", signalen={"max_items": 500, "items": ID_ITEMS})
class DossierNieuw(Struct, kw_only=True):
    """Een nieuw dossier (alleen de voorzitter)."""

    gemeente: Annotated[str | None, Meta(description="Slug van de gemeente waarvan je het overleg voorzit.")] = None
    titel: Annotated[str | None, Meta(description=_TITEL)] = None
    omschrijving: Annotated[str | None, Meta(description=_OMSCHRIJVING)] = None
    signalen: Annotated[list[int] | None, Meta(description=_SIGNALEN)] = None
    bevestig_persoonsgegevens: Annotated[bool, Meta(description=_BEVESTIG)] = False


class SignalenToevoegen(Struct, kw_only=True):
    """Signalen bundelen in dit dossier."""

    signalen: Annotated[list[int] | None, Meta(description=_SIGNALEN)] = None
    verplaats: Annotated[bool, Meta(description="Signalen die al in een ander dossier zitten, verplaatsen "
                                                "(anders 409).")] = False


class DossierWijziging(Struct, kw_only=True):
    """Alleen de meegegeven velden worden gewijzigd."""

    versie: Annotated[int | None | UnsetType, Meta(description="De versie waarop je wijziging steunt "
                                                                "(verplicht); een oudere geeft 409.")] = UNSET
    titel: Annotated[str | None | UnsetType, Meta(description=_TITEL)] = UNSET
    omschrijving: Annotated[str | None | UnsetType, Meta(description=_OMSCHRIJVING)] = UNSET
    status: Annotated[str | None | UnsetType, Meta(description="open, geagendeerd, in_behandeling of "
                                                                "afgerond.")] = UNSET
    bevestig_persoonsgegevens: Annotated[bool, Meta(description=_BEVESTIG)] = False


class Samenvoegen(Struct, kw_only=True):
    doel: Annotated[int | None, Meta(description="Id van het dossier (zelfde gemeente) waarin dit dossier "
                                                 "opgaat.")] = None


class CommentaarNieuw(Struct, kw_only=True):
    """Een commentaar. Ook partners van andere organisaties lezen het: de privacybewaker weigert een tekst met
    mogelijke persoonsgegevens (422 met `persoonsgegevens`), tenzij `bevestig` true is."""

    tekst: Annotated[str | None, Meta(description="Commentaar in Markdown (hoogstens 5000 tekens).")] = None
    bevestig: Annotated[bool, Meta(description="Bevestig dat de gevonden persoonsgegevens nodig zijn; zonder "
                                               "bevestiging weigert de API zo'n tekst (422 met "
                                               "`persoonsgegevens`).")] = False


@schema_requires("gemeente", "signalen", signalen={"min_items": 1, "max_items": 100,
                                                    "items": ID_ITEMS})
class SuggestieBesluit(Struct, kw_only=True):
    """Een voorstel aanvaarden of afwijzen: met `dossier` voor een bestaand dossier, anders een nieuwe groep."""

    gemeente: Annotated[str | None, Meta(description="Slug van de gemeente.")] = None
    signalen: Annotated[list[int] | None, Meta(description=_SIGNALEN)] = None
    dossier: Annotated[int | None, Meta(description="Id van het voorgestelde bestaande dossier.")] = None
    titel: Annotated[str | None, Meta(description="Titel van het nieuwe dossier (bij aanvaarden van een nieuwe "
                                                  "groep; standaard het titelvoorstel).")] = None
    bevestig_persoonsgegevens: Annotated[bool, Meta(description=_BEVESTIG)] = False


# ----------------------------------------------------------------------------- answers

class BewijsTelling(Struct, kw_only=True):
    sleutel: Annotated[str, Meta(description="Slug of waarde (leeg: niet opgegeven).")]
    label: str
    aantal: int


class BewijsMaand(Struct, kw_only=True):
    maand: Annotated[str, Meta(description="jjjj-mm")]
    label: str
    aantal: int


class Bewijs(Struct, kw_only=True):
    """De onderbouwing, live berekend uit de signalen van het dossier."""

    aantal_signalen: int
    aantal_werkers: Annotated[int, Meta(description="Verschillende jeugdopbouwwerkers die signaleerden.")]
    aantal_plekken: Annotated[int, Meta(description="Verschillende plekken.")]
    aantal_jongeren: Annotated[int, Meta(description="Som van het aantal betrokken jongeren.")]
    eerste_datum: dt.date | None
    laatste_datum: dt.date | None
    leeftijden: list[BewijsTelling]
    bronnen: list[BewijsTelling]
    plekken: Annotated[list[BewijsTelling], Meta(description="De meest genoemde plekken (hoogstens 12).")]
    signaaltypes: list[BewijsTelling]
    levensdomeinen: list[BewijsTelling]
    per_maand: Annotated[list[BewijsMaand], Meta(description="Aantal signalen per maand, lege maanden inbegrepen.")]
    citaten: Annotated[list[str], Meta(description="Een paar citaten van jongeren uit de eerste signalen.")]


class DossierKort(Struct, kw_only=True):
    id: int
    gemeente: Annotated[str, Meta(description="Slug van de gemeente.")]
    gemeente_naam: str
    titel: str
    status: str
    status_label: str
    samengevoegd_in: Annotated[int | None, Meta(description="Het dossier waarin dit dossier opging.")]
    aantal_signalen: int
    laatste_datum: dt.date | None
    aangemaakt_op: dt.datetime
    versie: int


class DossierLijst(Struct, kw_only=True):
    items: list[DossierKort]
    totaal: int


class DossierSignaal(Struct, kw_only=True):
    id: int
    titel: str
    datum: dt.date
    status: str


class DossierHistoriekItem(Struct, kw_only=True):
    tijdstip: dt.datetime
    actie: Annotated[str, Meta(description="aangemaakt, signalen_toegevoegd, signaal_verwijderd, "
                                           "signaal_verplaatst, samengevoegd of bewerkt.")]
    toelichting: str
    door: str | None


class DossierCommentaar(Struct, kw_only=True):
    id: int
    tekst: Annotated[str, Meta(description="Markdown, zoals ingevoerd.")]
    tekst_html: Annotated[str, Meta(description="Als veilige (gezuiverde) HTML.")]
    tijdstip: dt.datetime
    door: str | None


class DossierDetail(Struct, kw_only=True):
    id: int
    gemeente: str
    gemeente_naam: str
    titel: str
    omschrijving: Annotated[str, Meta(description="Markdown, zoals ingevoerd.")]
    omschrijving_html: Annotated[str, Meta(description="De omschrijving als veilige (gezuiverde) HTML.")]
    status: str
    status_label: str
    samengevoegd_in: int | None
    aangemaakt_op: dt.datetime
    versie: Annotated[int, Meta(description="Stuur deze mee bij een wijziging (PATCH).")]
    mag_beheren: Annotated[bool, Meta(description="Is de aangemelde gebruiker voorzitter van deze gemeente?")]
    signalen: Annotated[list[int], Meta(description="Ids van de signalen in het dossier.")]
    signaaloverzicht: Annotated[list[DossierSignaal], Meta(description="Titel, datum en status per signaal.")]
    bewijs: Bewijs
    historiek: list[DossierHistoriekItem]
    commentaren: list[DossierCommentaar]


class BestaandDossierVoorstel(Struct, kw_only=True):
    dossier: int
    dossier_titel: str
    signalen: list[int]
    reden: Annotated[str, Meta(description="Waarom, in woorden.")]
    score: float


class NieuweGroepVoorstel(Struct, kw_only=True):
    signalen: list[int]
    titel_voorstel: str
    reden: Annotated[str, Meta(description="Waarom, in woorden.")]
    score: float


class Suggesties(Struct, kw_only=True):
    gemeente: str
    bestaande: Annotated[list[BestaandDossierVoorstel],
                         Meta(description="Signalen die bij een bestaand dossier passen.")]
    nieuw: Annotated[list[NieuweGroepVoorstel],
                     Meta(description="Groepen signalen die samen een nieuw dossier kunnen vormen.")]


class SuggestieAfgewezen(Struct, kw_only=True):
    opgeslagen: Annotated[int, Meta(description="Aantal nieuwe afwijzingen (paren of signaal-dossier).")]

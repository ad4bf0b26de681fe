"""Signalen: one observation by a worker, its taxonomy, and its history."""

from __future__ import annotations

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import (
    JSON,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.readable import Readable
from piccolo.table import Table

from admin.tables import Gemeente
from common.enums import LabelledEnum


class Status(LabelledEnum):
    nieuw = "nieuw", "Nieuw"
    gebundeld = "gebundeld", "Gebundeld"
    geagendeerd = "geagendeerd", "Geagendeerd"
    in_actie = "in_actie", "In actie"
    gesignaleerd = "gesignaleerd", "Gesignaleerd"
    beantwoord = "beantwoord", "Beantwoord"
    teruggekoppeld = "teruggekoppeld", "Teruggekoppeld"
    afgesloten = "afgesloten", "Afgesloten"
    niet_weerhouden = "niet_weerhouden", "Niet weerhouden"


class Bron(LabelledEnum):
    straat = "straat", "Op straat"
    online = "online", "Online"
    partner = "partner", "Via een partner"
    jongerenoverleg = "jongerenoverleg", "Jongerenoverleg"
    activiteit = "activiteit", "Tijdens een activiteit"


class Leeftijd(LabelledEnum):
    jonger_dan_12 = "-12", "Jonger dan 12"
    van_12_tot_15 = "12-15", "12 tot 15 jaar"
    van_16_tot_18 = "16-18", "16 tot 18 jaar"
    van_19_tot_25 = "19-25", "19 tot 25 jaar"
    gemengd = "gemengd", "Gemengde leeftijden"


class HistoriekSoort(LabelledEnum):
    """What a line of a signal's history records (`SignaalHistoriek.soort`)."""

    status = "status", "Statuswijziging"
    bewerking = "bewerking", "Bewerking"
    dossier = "dossier", "Dossier"


class _Taxonomie(Table):
    id: Serial  # Piccolo adds the primary key at runtime; declared here for the type checker
    naam = Varchar(length=120, required=True)
    slug = Varchar(length=80, required=True, unique=True)
    omschrijving = Text(default="")
    actief = Boolean(default=True)
    volgorde = Integer(default=0)

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.naam])


class Levensdomein(_Taxonomie):
    pass


class Signaaltype(_Taxonomie):
    pass


class Signaal(Table):
    id: Serial
    gemeente = ForeignKey(Gemeente, null=False, on_delete=OnDelete.restrict)
    titel = Varchar(length=120, required=True)
    omschrijving = Text(default="")
    datum = Date(required=True)
    plek = Varchar(length=200, default="")
    bron = Varchar(length=32, choices=Bron, null=True, default=None)
    levensdomein = ForeignKey(Levensdomein, null=True, on_delete=OnDelete.restrict)
    signaaltype = ForeignKey(Signaaltype, null=True, on_delete=OnDelete.restrict)
    aantal_jongeren = Integer(null=True, default=None)
    leeftijd = Varchar(length=16, choices=Leeftijd, null=True, default=None)
    citaten = JSON(default="[]")
    status = Varchar(length=32, choices=Status, default=Status.nieuw.value)
    # Set by the overleg app (which may use signalen, never the reverse): the dossier this signal is bundled in.
    dossier = Integer(null=True, default=None, index=True)
    versie = Integer(default=1)
    auteur = ForeignKey(BaseUser, null=False, on_delete=OnDelete.restrict)
    aangemaakt_op = Timestamptz()
    gewijzigd_op = Timestamptz()
    # The privacy guard's findings a person confirmed as needed (never unconfirmed ones).
    persoonsgegevens = JSON(default="[]")
    # Dutch-stemmed words of the free text, for SQLite's FTS5 index (PostgreSQL uses to_tsvector('dutch')).
    zoektekst = Text(default="")
    # The sentence meaning of titel + omschrijving (signalen.meaning: float16 bytes), None until embedded.
    # Derived from the text, so it is cleared whenever the text is anonymised.
    betekenis = Bytea(null=True, default=None)
    # The id a browser gave the signal while it waited offline (a UUID): a retried send finds the stored signal
    # instead of making a second one. Unique per author (index signaal_auteur_client_id, in the migration).
    client_id = Varchar(length=64, null=True, default=None)

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s (%s)", columns=[cls.titel, cls.datum])


class SignaalHistoriek(Table):
    """Who changed what, when and why: status changes, edits, bundling."""

    id: Serial
    signaal = ForeignKey(Signaal, null=False, on_delete=OnDelete.cascade, index=True)
    tijdstip = Timestamptz()
    gebruiker = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    soort = Varchar(length=32, default=HistoriekSoort.status.value)  # a HistoriekSoort
    van = Varchar(length=32, default="")
    naar = Varchar(length=32, default="")
    toelichting = Text(default="")

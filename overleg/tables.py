"""The jeugdwelzijnsoverleg: overleg, partners, dossiers, meetings, agenda, actions and minutes."""

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
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.columns.readable import Readable
from piccolo.table import Table

from admin.tables import Gemeente
from common.enums import LabelledEnum
from signalen.tables import Signaal


class Functie(LabelledEnum):
    forum = "forum", "Forum"
    actie = "actie", "Actie"
    signaal_advies = "signaal_advies", "Signaal & advies"


class PartnerSoort(LabelledEnum):
    caw = "caw", "CAW"
    clb = "clb", "CLB"
    ocmw = "ocmw", "OCMW"
    jeugddienst = "jeugddienst", "Jeugddienst"
    preventiedienst = "preventiedienst", "Preventiedienst"
    huis_van_het_kind = "huis_van_het_kind", "Huis van het Kind"
    vdab = "vdab", "VDAB"
    politie = "politie", "Politie"
    jeugdwerk = "jeugdwerk", "Jeugdwerk"
    ander = "ander", "Andere"


class LidRol(LabelledEnum):
    """`Overleglid.rol`: how someone sits in the overleg (the matching `admin.tables.Rol` values)."""

    voorzitter = "voorzitter", "Voorzitter"
    partner = "partner", "Partner"


class DossierStatus(LabelledEnum):
    open = "open", "Open"
    geagendeerd = "geagendeerd", "Geagendeerd"
    in_behandeling = "in_behandeling", "In behandeling"
    afgerond = "afgerond", "Afgerond"


class DossierActie(LabelledEnum):
    """`DossierHistoriek.actie`: what a line of a dossier's history records (status changes use the status)."""

    aangemaakt = "aangemaakt", "Aangemaakt"
    signalen_toegevoegd = "signalen_toegevoegd", "Signalen toegevoegd"
    signaal_verwijderd = "signaal_verwijderd", "Signaal uit het dossier gehaald"
    signaal_verplaatst = "signaal_verplaatst", "Signaal naar een ander dossier verplaatst"
    samengevoegd = "samengevoegd", "Samengevoegd"
    bewerkt = "bewerkt", "Bewerkt"
    geagendeerd = "geagendeerd", "Geagendeerd"
    open = "open", "Terug open"
    in_behandeling = "in_behandeling", "In behandeling (actie)"
    nota_verstuurd = "nota_verstuurd", "Signaalnota verstuurd"
    afgerond = "afgerond", "Afgerond"


class VergaderingStatus(LabelledEnum):
    concept = "concept", "Concept"
    gepubliceerd = "gepubliceerd", "Gepubliceerd"
    gehouden = "gehouden", "Gehouden"


class Aanwezigheid(LabelledEnum):
    uitgenodigd = "uitgenodigd", "Uitgenodigd"
    aanwezig = "aanwezig", "Aanwezig"
    verontschuldigd = "verontschuldigd", "Verontschuldigd"
    afwezig = "afwezig", "Afwezig"


class AgendapuntSoort(LabelledEnum):
    dossier = "dossier", "Dossier"
    mededelingen = "mededelingen", "Mededelingen"
    rondvraag = "rondvraag", "Rondvraag"
    vrij = "vrij", "Vrij punt"


class ActieStatus(LabelledEnum):
    open = "open", "Open"
    bezig = "bezig", "Bezig"
    klaar = "klaar", "Klaar"
    geannuleerd = "geannuleerd", "Geannuleerd"


class Lens(LabelledEnum):
    preventie = "preventie", "Preventie"
    versterking = "versterking", "Versterking"
    bijschakelen = "bijschakelen", "Bijschakelen"


class VerslagStatus(LabelledEnum):
    concept = "concept", "Concept"
    goedgekeurd = "goedgekeurd", "Goedgekeurd"


class Overleg(Table):
    id: Serial  # Piccolo adds the primary key at runtime; declared here for the type checker
    gemeente = ForeignKey(Gemeente, null=False, on_delete=OnDelete.restrict, unique=True)  # one overleg per gemeente
    naam = Varchar(length=200, required=True)
    omschrijving = Text(default="")
    functies = JSON(default='["forum", "actie", "signaal_advies"]')
    werkernamen_in_nota = Boolean(default=False)  # worker names are left out of notas unless switched on

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.naam])


class Partner(Table):
    """A partner organisation in an overleg (CAW, CLB, OCMW, …)."""

    id: Serial
    overleg = ForeignKey(Overleg, null=False, on_delete=OnDelete.cascade, index=True)
    naam = Varchar(length=200, required=True)
    soort = Varchar(length=32, choices=PartnerSoort, default=PartnerSoort.ander.value)
    netwerken = Text(default="")  # the other local networks it also sits in

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.naam])


class Overleglid(Table):
    """A person sitting in the overleg, for a partner organisation or as chair."""

    id: Serial
    overleg = ForeignKey(Overleg, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(BaseUser, null=False, on_delete=OnDelete.cascade, index=True)
    partner = ForeignKey(Partner, null=True, on_delete=OnDelete.set_null)
    rol = Varchar(length=32, default=LidRol.partner.value)  # a LidRol

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s (%s)", columns=[cls.user._.username, cls.overleg._.naam])


class Dossier(Table):
    id: Serial
    gemeente = ForeignKey(Gemeente, null=False, on_delete=OnDelete.restrict, index=True)
    titel = Varchar(length=200, required=True)
    omschrijving = Text(default="")
    status = Varchar(length=32, choices=DossierStatus, default=DossierStatus.open.value)
    samengevoegd_in = Integer(null=True, default=None)  # the dossier this one was merged into
    aangemaakt_door = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    aangemaakt_op = Timestamptz()
    versie = Integer(default=1)
    persoonsgegevens = JSON(default="[]")  # the privacy guard's findings its writer confirmed (overleg.guard)

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.titel])


class DossierHistoriek(Table):
    id: Serial
    dossier = ForeignKey(Dossier, null=False, on_delete=OnDelete.cascade, index=True)
    tijdstip = Timestamptz()
    gebruiker = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    actie = Varchar(length=40)  # a DossierActie
    toelichting = Text(default="")


class Afwijzing(Table):
    """A bundling suggestion a person rejected: never proposed again."""

    id: Serial
    gemeente = ForeignKey(Gemeente, null=False, on_delete=OnDelete.cascade, index=True)
    signaal = ForeignKey(Signaal, null=False, on_delete=OnDelete.cascade)
    ander_signaal = ForeignKey(Signaal, null=True, on_delete=OnDelete.cascade)
    dossier = ForeignKey(Dossier, null=True, on_delete=OnDelete.cascade)
    door = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    tijdstip = Timestamptz()


class Vergadering(Table):
    id: Serial
    overleg = ForeignKey(Overleg, null=False, on_delete=OnDelete.restrict, index=True)
    datum = Date(required=True)
    begin = Time(required=True)
    plaats = Varchar(length=200, default="")
    status = Varchar(length=32, choices=VergaderingStatus, default=VergaderingStatus.concept.value)
    gepubliceerd_op = Timestamptz(null=True, default=None)
    versie = Integer(default=1)
    sequence = Integer(default=0)  # the .ics SEQUENCE: bumped when date, time, place or agenda change

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s %s", columns=[cls.overleg._.naam, cls.datum])


class Deelnemer(Table):
    """Invitation and attendance per partner organisation (or person) for a meeting."""

    id: Serial
    vergadering = ForeignKey(Vergadering, null=False, on_delete=OnDelete.cascade, index=True)
    partner = ForeignKey(Partner, null=True, on_delete=OnDelete.cascade)
    user = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    naam = Varchar(length=200, default="")
    aanwezigheid = Varchar(length=32, choices=Aanwezigheid, default=Aanwezigheid.uitgenodigd.value)


class AanwezigheidHistoriek(Table):
    """Every change of a recorded attendance answer: who, when, from, to."""

    id: Serial
    deelnemer = ForeignKey(Deelnemer, null=False, on_delete=OnDelete.cascade, index=True)
    tijdstip = Timestamptz()
    gebruiker = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    van = Varchar(length=32)  # an Aanwezigheid
    naar = Varchar(length=32)  # an Aanwezigheid


class Agendapunt(Table):
    id: Serial
    vergadering = ForeignKey(Vergadering, null=False, on_delete=OnDelete.cascade, index=True)
    volgorde = Integer(default=0)
    titel = Varchar(length=200, required=True)
    soort = Varchar(length=32, default=AgendapuntSoort.dossier.value)  # an AgendapuntSoort
    dossier = ForeignKey(Dossier, null=True, on_delete=OnDelete.set_null)
    functies = JSON(default="[]")
    duur_minuten = Integer(default=15)
    reden = Text(default="")  # why it was proposed (need ranking), shown to the chair
    notities = Text(default="")
    besluit = Text(default="")
    versie = Integer(default=1)
    persoonsgegevens = JSON(default="[]")  # the privacy guard's findings its writer confirmed (overleg.guard)


class Actie(Table):
    id: Serial
    overleg = ForeignKey(Overleg, null=False, on_delete=OnDelete.cascade, index=True)
    agendapunt = ForeignKey(Agendapunt, null=True, on_delete=OnDelete.set_null)
    dossier = ForeignKey(Dossier, null=True, on_delete=OnDelete.set_null, index=True)
    wat = Text(required=True)
    partner = ForeignKey(Partner, null=True, on_delete=OnDelete.set_null, index=True)
    deadline = Date(null=True, default=None)
    status = Varchar(length=32, choices=ActieStatus, default=ActieStatus.open.value)
    lens = Varchar(length=32, choices=Lens, default=Lens.preventie.value)
    aangemaakt_op = Timestamptz()
    versie = Integer(default=1)
    persoonsgegevens = JSON(default="[]")  # the privacy guard's findings its writer confirmed (overleg.guard)


class ActieHistoriek(Table):
    """A status change of an action, with the progress note its owner wrote (passed the privacy guard)."""

    id: Serial
    actie = ForeignKey(Actie, null=False, on_delete=OnDelete.cascade, index=True)
    tijdstip = Timestamptz()
    gebruiker = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    van = Varchar(length=32, default="")  # an ActieStatus
    naar = Varchar(length=32, default="")  # an ActieStatus
    notitie = Text(default="")
    persoonsgegevens = JSON(default="[]")  # the privacy guard's findings its writer confirmed (overleg.guard)


class Verslag(Table):
    id: Serial
    vergadering = ForeignKey(Vergadering, null=False, on_delete=OnDelete.cascade, unique=True)
    inhoud = Text(default="")
    status = Varchar(length=32, default=VerslagStatus.concept.value)  # a VerslagStatus
    goedgekeurd_op = Timestamptz(null=True, default=None)
    goedgekeurd_in = ForeignKey(Vergadering, null=True, on_delete=OnDelete.set_null)
    versie = Integer(default=1)
    persoonsgegevens = JSON(default="[]")  # the privacy guard's findings its writer confirmed (overleg.guard)


class Commentaar(Table):
    id: Serial
    dossier = ForeignKey(Dossier, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    tekst = Text(required=True)
    tijdstip = Timestamptz()
    persoonsgegevens = JSON(default="[]")  # the privacy guard's findings its writer confirmed (overleg.guard)


class NotaStatus(LabelledEnum):
    concept = "concept", "Concept"
    ter_goedkeuring = "ter_goedkeuring", "Ter goedkeuring"
    verstuurd = "verstuurd", "Verstuurd"
    beantwoord = "beantwoord", "Beantwoord"


class Adressaat(LabelledEnum):
    college = "college", "College van burgemeester en schepenen"
    ocmw_raad = "ocmw-raad", "OCMW-raad"
    bovenlokaal = "bovenlokaal", "Bovenlokaal"


class Beslissing(LabelledEnum):
    akkoord = "akkoord", "Akkoord"
    deels = "deels", "Deels akkoord"
    afgewezen = "afgewezen", "Afgewezen"
    niet_bevoegd = "niet_bevoegd", "Niet bevoegd"


class Signaalnota(Table):
    id: Serial
    gemeente = ForeignKey(Gemeente, null=False, on_delete=OnDelete.restrict, index=True)
    overleg = ForeignKey(Overleg, null=True, on_delete=OnDelete.set_null)
    referentie = Varchar(length=40, unique=True)  # SN-2026-004: per gemeente and year
    adressaat = Varchar(length=32, choices=Adressaat, default=Adressaat.college.value)
    adressaat_tekst = Varchar(length=300, default="")
    onderwerp = Varchar(length=300, required=True)
    secties = JSON(default="{}")  # aanleiding, onderbouwing, analyse, acties, advies, opvolging (Markdown)
    citaten = JSON(default="[]")  # the quotes the chair selected
    bevestigde_persoonsgegevens = JSON(default="[]")  # findings a person confirmed for THIS nota
    trekker = Varchar(length=200, default="")
    antwoord_gevraagd_tegen = Date(null=True, default=None)
    status = Varchar(length=32, choices=NotaStatus, default=NotaStatus.concept.value)
    bovenlokaal = Boolean(default=False)
    vorige = Integer(null=True, default=None)  # the sent nota this one corrects
    versie = Integer(default=1)
    aangemaakt_door = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    aangemaakt_op = Timestamptz()
    verstuurd_op = Timestamptz(null=True, default=None)
    pdf = Bytea(null=True, default=None)  # frozen when sent
    pdf_sha256 = Varchar(length=64, default="")  # of the PDF as sent (kept when retention re-renders it)
    geanonimiseerd_op = Timestamptz(null=True, default=None)  # retention emptied its text (overleg/retention.py)

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s %s", columns=[cls.referentie, cls.onderwerp])


class NotaDossier(Table):
    id: Serial
    nota = ForeignKey(Signaalnota, null=False, on_delete=OnDelete.cascade, index=True)
    dossier = ForeignKey(Dossier, null=False, on_delete=OnDelete.restrict, index=True)


class NotaCommentaar(Table):
    id: Serial
    nota = ForeignKey(Signaalnota, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    tekst = Text(required=True)
    tijdstip = Timestamptz()
    persoonsgegevens = JSON(default="[]")  # the privacy guard's findings its writer confirmed (overleg.guard)


class Antwoord(Table):
    id: Serial
    nota = ForeignKey(Signaalnota, null=False, on_delete=OnDelete.cascade, unique=True)
    datum = Date(required=True)
    beslissing = Varchar(length=32, choices=Beslissing)
    samenvatting = Text(default="")
    document = Bytea(null=True, default=None)  # the council's answer as PDF (checked, ≤ 10 MiB)
    document_naam = Varchar(length=200, default="")
    geregistreerd_door = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    geregistreerd_op = Timestamptz()
    persoonsgegevens = JSON(default="[]")  # the privacy guard's findings its writer confirmed (overleg.guard)


class Terugkoppeling(Table):
    """How the outcome was brought back to the young people."""

    id: Serial
    dossier = ForeignKey(Dossier, null=False, on_delete=OnDelete.cascade, index=True)
    datum = Date(required=True)
    hoe = Varchar(length=200, default="")
    door = Varchar(length=200, default="")
    wat = Text(default="")
    geregistreerd_door = ForeignKey(BaseUser, null=True, on_delete=OnDelete.set_null)
    geregistreerd_op = Timestamptz()
    persoonsgegevens = JSON(default="[]")  # the privacy guard's findings its writer confirmed (overleg.guard)


class Huisstijl(Table):
    """Letterhead of a gemeente's notas: a logo (PNG, JPEG or sanitised SVG, ≤ 1 MiB) and a sender line."""

    id: Serial
    gemeente = ForeignKey(Gemeente, null=False, on_delete=OnDelete.cascade, unique=True)
    logo = Varchar(length=300, default="")  # path under the media folder, uploaded in the admin
    afzender = Varchar(length=300, default="")

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.gemeente._.naam])


class Kalenderfeed(Table):
    """A secret, revocable per-user URL with the meetings of the user's overleggen (for a calendar app)."""

    id: Serial
    user = ForeignKey(BaseUser, null=False, on_delete=OnDelete.cascade, index=True)
    token = Varchar(length=64, unique=True, secret=True)
    aangemaakt_op = Timestamptz()
    ingetrokken_op = Timestamptz(null=True, default=None)


class AntwoordLink(Table):
    """The secret link in a sent nota's mail (`/antwoord/{token}`) where the council records its answer without an
    account. Only the token's SHA-256 is stored; it works until the answer is recorded, it is revoked, or it expires."""

    id: Serial
    nota = ForeignKey(Signaalnota, null=False, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    aangemaakt_op = Timestamptz()
    verloopt_op = Timestamptz()
    gebruikt_op = Timestamptz(null=True, default=None)
    ingetrokken_op = Timestamptz(null=True, default=None)
    pogingen = Integer(default=0)  # form submissions in the current window (rate limit)
    venster_start = Timestamptz(null=True, default=None)

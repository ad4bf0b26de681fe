"""The tables of what each person chooses to receive (berichten/voorkeuren.py), of mails held for the daily digest
(berichten/digest.py) and of reminders already sent (berichten/herinneringen.py). Plain user ids, no foreign keys
upwards: berichten sits below admin."""

from __future__ import annotations

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from common.enums import LabelledEnum


class Keuze(LabelledEnum):
    direct = "direct", "Meteen"
    dagelijks = "dagelijks", "In een dagelijks overzicht"
    nooit = "nooit", "Niet"


class Meldingvoorkeur(Table):
    """One person's choice for one kind of mail; no row means "direct"."""

    id: Serial
    sleutel = Varchar(length=100, unique=True)  # "<user id>:<kind>": one choice per person and kind
    user_id = Integer(index=True)
    kind = Varchar(length=64)
    keuze = Varchar(length=16, choices=Keuze, default=Keuze.direct.value)


class Uitgesteld(Table):
    """A mail held for the daily digest of its recipient; `gebundeld_op` is set when the digest is queued."""

    id: Serial
    user_id = Integer(index=True)
    email = Varchar(length=254)
    naam = Varchar(length=200, default="")
    kind = Varchar(length=64)
    subject = Varchar(length=300)
    text = Text()
    gemeente = Integer(null=True, default=None)
    aangemaakt_op = Timestamptz()
    gebundeld_op = Timestamptz(null=True, default=None, index=True)


class Herinnering(Table):
    """A reminder that went out: `sleutel` names it ("actie:12:te_laat:2026-12-01"), so it goes once."""

    id: Serial
    sleutel = Varchar(length=200, unique=True)
    verstuurd_op = Timestamptz()

"""Tenancy tables: Organisatie → Gemeente, and who plays which rol where (Lidmaatschap)."""

from __future__ import annotations

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.readable import Readable
from piccolo.table import Table

from common.enums import LabelledEnum


class Rol(LabelledEnum):
    jeugdopbouwwerker = "jeugdopbouwwerker", "jeugdopbouwwerker"
    voorzitter = "voorzitter", "voorzitter"
    partner = "partner", "partner"
    coordinator = "coordinator", "coördinator"


class Organisatie(Table):
    id: Serial  # Piccolo adds the primary key at runtime; declared here for the type checker
    naam = Varchar(length=200, required=True, unique=True)
    slug = Varchar(length=80, required=True, unique=True)

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.naam])


class Gemeente(Table):
    id: Serial
    naam = Varchar(length=120, required=True, unique=True)
    slug = Varchar(length=80, required=True, unique=True, index=True)
    organisatie = ForeignKey(Organisatie, null=False, on_delete=OnDelete.restrict)
    # Closed signals older than this are anonymised by `manage.py bewaartermijn` (0: never).
    bewaartermijn_jaren = Integer(
        default=5, help_text="Afgesloten signalen worden na zoveel jaar geanonimiseerd (0: nooit)."
    )
    # Where a sent signaalnota goes for real (managed by the beheerder; empty: the nota cannot be mailed).
    college_email = Varchar(length=254, default="", help_text="E-mailadres van het college van burgemeester en "
                            "schepenen (daar gaat een verstuurde signaalnota heen).")
    ocmw_raad_email = Varchar(length=254, default="", help_text="E-mailadres van de OCMW-raad.")

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.naam])


class Lidmaatschap(Table):
    id: Serial
    user = ForeignKey(BaseUser, null=False, on_delete=OnDelete.cascade, index=True)
    gemeente = ForeignKey(Gemeente, null=False, on_delete=OnDelete.cascade, index=True)
    rol = Varchar(length=32, choices=Rol, required=True)

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(
            template="%s — %s (%s)",
            columns=[cls.user._.username, cls.gemeente._.naam, cls.rol],
        )


class LoginPoging(Table):
    """Every login attempt, kept in the database so the rate limit holds across workers."""

    id: Serial
    username = Varchar(length=150, index=True)
    client = Varchar(length=64, index=True)
    geslaagd = Boolean(default=False)
    tijdstip = Timestamptz(index=True)


class Teller(Table):
    """Per-gemeente, per-year counters (reference numbers such as SN-2026-004)."""

    id: Serial
    sleutel = Varchar(length=120, unique=True)
    waarde = Integer(default=0)


class TokenSoort(LabelledEnum):
    uitnodiging = "uitnodiging", "uitnodiging"
    herstel = "herstel", "wachtwoord herstellen"


class Accounttoken(Table):
    """A one-time link for an account (invitation, password reset): only the SHA-256 of the token is stored.
    `secret=True` plus the user key make admin.tokens.revoke_all_tokens delete it on deactivation and erasure."""

    id: Serial
    user = ForeignKey(BaseUser, null=False, on_delete=OnDelete.cascade, index=True)
    soort = Varchar(length=16, choices=TokenSoort)
    token_hash = Varchar(length=64, unique=True, secret=True)
    verloopt_op = Timestamptz()
    gebruikt_op = Timestamptz(null=True, default=None)
    aangemaakt_op = Timestamptz()


class Aanvraag(Table):
    """Requests that are rate-limited across workers (password resets, invitations, one-time links), by key:
    "adres:<sha256 of the address>" or "client:<address>" — never the e-mail address itself."""

    id: Serial
    sleutel = Varchar(length=120, index=True)
    tijdstip = Timestamptz(index=True)

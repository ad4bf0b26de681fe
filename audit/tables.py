"""The audit trail: append-only, never the content of a signal — only who, when, what, outcome, from where.

"Who" is the user id only, never a name: erasing a user (`wis-gebruiker`) pseudonymises the account and thereby cuts
the trail loose from the person without editing a single audit row. Names are resolved when the trail is read
(`audit.recorder.user_names`: "gewiste gebruiker" after erasure)."""

from __future__ import annotations

from piccolo.columns import Integer, Serial, Timestamptz, Varchar
from piccolo.columns.readable import Readable
from piccolo.table import Table


class Audit(Table):
    id: Serial  # Piccolo adds the primary key at runtime; declared here for the type checker
    tijdstip = Timestamptz(index=True)
    gebruiker = Integer(null=True, default=None, index=True)  # user id; kept as a number so erasure keeps the trail
    actie = Varchar(length=32, index=True)  # login, login_mislukt, logout, bekijken, wijzigen, export, pdf
    object_type = Varchar(length=32, default="")
    object_id = Varchar(length=40, default="")
    uitkomst = Varchar(length=32, default="")  # the HTTP status, or ok / geweigerd
    client = Varchar(length=64, default="")
    route = Varchar(length=200, default="")  # the route template, never the query string

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s %s %s", columns=[cls.tijdstip, cls.actie, cls.object_type])

"""The outbox: one row per message and recipient, written in the transaction of the change that causes it.

berichten knows no domain table: callers pass addresses, user ids and the object a message is about as plain
values (no foreign keys upwards), so the outbox sits low in the layers (common ← audit ← berichten ← admin).
"""

from __future__ import annotations

from piccolo.columns import JSON, Bytea, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.readable import Readable
from piccolo.table import Table

from common.enums import LabelledEnum


class BerichtStatus(LabelledEnum):
    wachtrij = "wachtrij", "In de wachtrij"
    bezig = "bezig", "Wordt verstuurd"
    verstuurd = "verstuurd", "Verstuurd"
    mislukt = "mislukt", "Mislukt"


class Bericht(Table):
    """One mail to one recipient. `message_id` is fixed when queued: a retry sends the same Message-ID."""

    id: Serial  # Piccolo adds the primary key at runtime; declared here for the type checker
    kind = Varchar(length=64, index=True)  # agenda_gepubliceerd, uitnodiging, wachtwoord_herstel, …
    to_email = Varchar(length=254)
    to_name = Varchar(length=200, default="")
    user_id = Integer(null=True, default=None, index=True)  # the recipient's user id, when they have an account
    actor_id = Integer(null=True, default=None)  # who caused it (the audit trail's "who")
    subject = Varchar(length=300)
    text = Text()
    html = Text(null=True, default=None)
    headers = JSON(default="{}")  # extra headers (List-Unsubscribe, …): names and values already checked
    # [{"bijlage": id, "filename", "content_type", "size", "sha256"}]; the bytes are in BerichtBijlage. A deferred
    # attachment has "bijlage": null and "later": {"renderer", "object_id", "token"} until the delivery made it.
    attachments = JSON(default="[]")
    message_id = Varchar(length=250, unique=True)
    status = Varchar(length=16, choices=BerichtStatus, default=BerichtStatus.wachtrij.value, index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(index=True)
    claimed_until = Timestamptz(null=True, default=None)
    claimed_by = Varchar(length=200, default="")  # the deliverer ("host:pid:random") that claimed it
    last_error = Text(default="")
    sent_at = Timestamptz(null=True, default=None)
    object_type = Varchar(length=32, default="")
    object_id = Integer(null=True, default=None)
    gemeente = Integer(null=True, default=None, index=True)  # a gemeente id (tenancy lives in admin/)
    created_at = Timestamptz()

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s → %s", columns=[cls.kind, cls.to_email])


class BerichtBijlage(Table):
    """The bytes of one attachment, stored once per queue() call and shared by the rows of its recipients."""

    id: Serial
    sha256 = Varchar(length=64, index=True)
    size = Integer()
    data = Bytea()


class Bezorger(Table):
    """The single-deliverer lease: one row per name; whoever holds an unexpired lease delivers (and runs the jobs).
    `holder` is "host:pid:random", so a restarted process on the same host can take over from a dead one at once."""

    id: Serial
    naam = Varchar(length=32, unique=True)
    holder = Varchar(length=200, default="")
    until = Timestamptz(null=True, default=None)
    jobs_at = Timestamptz(null=True, default=None)  # when the periodic jobs last ran

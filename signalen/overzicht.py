"""What a worker sees first at /: their newest signals and what others did with them since the last visit."""

from __future__ import annotations

import datetime as dt

from admin.sessions import CurrentUser
from admin.tables import LoginPoging
from signalen.tables import HistoriekSoort, Signaal, SignaalHistoriek


async def previous_visit(user: CurrentUser) -> dt.datetime | None:
    """When this user logged in before the current visit (the changes since then are news)."""
    rows = await (LoginPoging.select(LoginPoging.tijdstip)
                  .where((LoginPoging.username == user.username.lower()) & (LoginPoging.geslaagd == True))  # noqa: E712
                  .order_by(LoginPoging.tijdstip, ascending=False).limit(2))
    return rows[1]["tijdstip"] if len(rows) == 2 else None


async def worker(user: CurrentUser) -> dict:
    mine = Signaal.auteur == user.id
    recent = await (Signaal.select(Signaal.id, Signaal.titel, Signaal.datum, Signaal.status)
                    .where(mine).order_by(Signaal.aangemaakt_op, ascending=False).limit(5))
    since = await previous_visit(user)
    changes_where = (SignaalHistoriek.signaal.auteur == user.id) & (
        SignaalHistoriek.soort != HistoriekSoort.bewerking.value) & (SignaalHistoriek.gebruiker != user.id)
    if since:
        changes_where &= SignaalHistoriek.tijdstip > since
    changes = await (SignaalHistoriek.select(
        SignaalHistoriek.signaal.id.as_alias("signaal"), SignaalHistoriek.signaal.titel.as_alias("titel"),
        SignaalHistoriek.van, SignaalHistoriek.naar, SignaalHistoriek.tijdstip)
        .where(changes_where).order_by(SignaalHistoriek.tijdstip, ascending=False).limit(10))
    return {"recent": recent, "wijzigingen": changes, "sinds": since}

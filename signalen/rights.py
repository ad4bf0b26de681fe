"""Rights of data subjects (GDPR art. 15 and 17) for the people who use Signaalwerk, and deactivation.

- `export_user()`: everything stored about one user, as JSON-ready data — the account without its password hash,
  memberships, login attempts, the signals they authored (ids, dates, status: never other people's text), and
  every other row that points at them (table, id, time) so nothing is silently left out as tables are added.
- `erase_user()`: the person's name goes (username, first/last name, e-mail → a pseudonym like
  "verwijderd-7f3a"); the signals stay, linked to the pseudonymised account; sessions end; the account is
  deactivated and can never log in again; its tokens are deleted. The audit trail is not touched: it holds the
  user id only, so the pseudonym cuts it loose from the person (pages show "gewiste gebruiker"). Afterwards the
  old row versions leave the database files (`common.sqlite_pool.forget_freed`: WAL emptied, or VACUUM).
- `deactivate_user()`: `active = False`, every session of the user ends at once and every per-user secret token
  (the calendar feed, `admin/tokens.py`) is deleted: reactivating does not bring an old token back.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import Timestamp, Timestamptz, Varchar
from piccolo.columns.column_types import Date

from admin.sessions import end_all_sessions
from admin.tables import Lidmaatschap, LoginPoging
from admin.tokens import revoke_all_tokens, tables_pointing_at_users, token_tables
from audit.recorder import ERASED_PREFIX, trail
from berichten.outbox import forget_recipient
from berichten.voorkeuren import forget_user as forget_mail_choices
from common import dates, pdf_cache
from common.sqlite_pool import forget_freed

PSEUDONYM_PREFIX = ERASED_PREFIX
PSEUDONYM_DOMAIN = "verwijderd.invalid"  # .invalid never resolves: no mail can ever reach anyone
ACCOUNT_FIELDS = ("id", "username", "first_name", "last_name", "email", "active", "admin", "superuser", "last_login")


class UnknownUser(LookupError):
    def __init__(self, username: str) -> None:
        super().__init__(f"Onbekende gebruiker: {username}")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


async def _user_row(username: str) -> dict:
    row = await BaseUser.select(*[getattr(BaseUser, name) for name in ACCOUNT_FIELDS]).where(
        BaseUser.username == username).first()
    if row is None:
        raise UnknownUser(username)
    return row


_tables_pointing_at_users = tables_pointing_at_users


async def _other_rows(user_id: int) -> dict[str, list[dict]]:
    """Rows elsewhere that point at the user: their id, how they point, and their dates (no one else's text)."""
    from signalen.tables import Signaal

    handled = {Lidmaatschap._meta.tablename, Signaal._meta.tablename}
    result: dict[str, list[dict]] = {}
    for table, keys in _tables_pointing_at_users():
        if table._meta.tablename in handled:
            continue
        dates = [c for c in table._meta.columns if isinstance(c, Timestamptz | Timestamp | Date)]
        for key in keys:
            rows = await table.select(table._meta.primary_key, *dates).where(key == user_id).order_by(
                table._meta.primary_key)
            for row in rows:
                result.setdefault(table._meta.tablename, []).append({"veld": key._meta.name, **row})
    return result


async def export_user(username: str) -> dict:
    """Everything Signaalwerk stores about this user, JSON-ready (`gegevens-export`)."""
    from signalen.tables import Signaal

    account = await _user_row(username)
    user_id = account["id"]
    memberships = await Lidmaatschap.select(
        Lidmaatschap.id, Lidmaatschap.gemeente.slug.as_alias("gemeente"),
        Lidmaatschap.gemeente.naam.as_alias("gemeente_naam"), Lidmaatschap.rol,
    ).where(Lidmaatschap.user == user_id).order_by(Lidmaatschap.id)
    attempts = await LoginPoging.select(
        LoginPoging.tijdstip, LoginPoging.geslaagd, LoginPoging.client,
    ).where(LoginPoging.username == account["username"].lower()).order_by(LoginPoging.tijdstip)
    signalen = await Signaal.select(
        Signaal.id, Signaal.gemeente.slug.as_alias("gemeente"), Signaal.datum, Signaal.status,
        Signaal.aangemaakt_op, Signaal.gewijzigd_op,
    ).where(Signaal.auteur == user_id).order_by(Signaal.id)
    from piccolo_api.session_auth.tables import SessionsBase

    sessions = await SessionsBase.select(SessionsBase.expiry_date, SessionsBase.max_expiry_date).where(
        SessionsBase.user_id == user_id)
    return _jsonable({
        "formaat": "signaalwerk-gegevensexport/1",
        "aangemaakt_op": dates.now().isoformat(timespec="seconds"),
        "account": account,
        "lidmaatschappen": memberships,
        "aanmeldpogingen": attempts,
        "sessies": sessions,
        "signalen": signalen,
        "andere_verwijzingen": await _other_rows(user_id),
        "auditspoor": await trail(user_id),
    })


async def deactivate_user(username: str) -> int:
    """Deactivate the account and end every session it has; returns the user id."""
    from common.db import write_transaction

    account = await _user_row(username)
    async with write_transaction():
        await BaseUser.update({BaseUser.active: False}).where(BaseUser.id == account["id"])
        await end_all_sessions(account["id"])
        await revoke_all_tokens(account["id"])
    return account["id"]


async def _free_pseudonym() -> str:
    length = 4
    while True:
        candidate = PSEUDONYM_PREFIX + secrets.token_hex(length // 2 + length % 2)[:length]
        if not await BaseUser.exists().where(BaseUser.username == candidate):
            return candidate
        length += 2  # a collision: take a longer one


def is_erased(account: dict) -> bool:
    return account["username"].startswith(PSEUDONYM_PREFIX) and account["email"].endswith("@" + PSEUDONYM_DOMAIN)


async def erase_user(username: str) -> str:
    """Pseudonymise the account (`wis-gebruiker`); returns the pseudonym. Signals and their authorship stay."""
    from common.db import write_transaction

    account = await _user_row(username)
    if is_erased(account):
        await deactivate_user(username)  # idempotent: an erased account is only made sure to be inactive
        return account["username"]
    from piccolo.engine.finder import engine_finder
    from piccolo_api.session_auth.tables import SessionsBase

    pseudonym = await _free_pseudonym()
    changed = [BaseUser._meta.tablename, LoginPoging._meta.tablename, SessionsBase._meta.tablename,
               *[table._meta.tablename for table, _ in token_tables()]]
    unusable = BaseUser.hash_password(secrets.token_urlsafe(32))  # nobody knows it: no login is possible
    async with write_transaction():
        await BaseUser.update({
            BaseUser.username: pseudonym,
            BaseUser.first_name: pseudonym,
            BaseUser.last_name: "",
            BaseUser.email: f"{pseudonym}@{PSEUDONYM_DOMAIN}",
            BaseUser.password: unusable,
            BaseUser.active: False,
            BaseUser.admin: False,
            BaseUser.superuser: False,
        }).where(BaseUser.id == account["id"])
        await end_all_sessions(account["id"])
        await revoke_all_tokens(account["id"])
        await forget_recipient(account["id"], f"{pseudonym}@{PSEUDONYM_DOMAIN}", pseudonym)  # mails to them
        await forget_mail_choices(account["id"])  # their Meldingen choices and held digest mails
        # Login attempts are kept for security, but under the pseudonym.
        await LoginPoging.update({LoginPoging.username: pseudonym}).where(
            LoginPoging.username == account["username"].lower())
        # Rows that copy a person's name next to the link (e.g. a meeting participant's `naam`) lose it too.
        for table, keys in _tables_pointing_at_users():
            naam = table._meta.get_column_by_name("naam") if "naam" in {c._meta.name for c in
                                                                         table._meta.columns} else None
            if isinstance(naam, Varchar):
                changed.append(table._meta.tablename)
                for key in keys:
                    await table.update({naam: pseudonym}).where(key == account["id"])
    await forget_freed(engine_finder(), changed)
    pdf_cache.clear()  # a cached PDF may still show the erased name
    return pseudonym

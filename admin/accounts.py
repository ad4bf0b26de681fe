"""Accounts without typed passwords: invitations and password resets by one-time link.

- A token is `secrets.token_urlsafe(32)`, mailed once and stored only as its SHA-256 (`Accounttoken`), single use,
  valid INVITATION_VALID (7 days) or RESET_VALID (1 hour). Unknown: 404; used or expired: 410.
- The mail is queued in the same transaction as the token (berichten.outbox), its link absolute from
  SIGNAALWERK_BASE_URL (berichten.render.absolute_url), never from the request's Host.
- Asking for a reset never tells whether the address has an account; it is rate-limited per address and per client.
- Setting a password (admin.passwords.check_password) ends every session of the user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.apps.user.tables import BaseUser

from admin import limits, sessions
from admin.passwords import check_password
from admin.tables import Accounttoken, Gemeente, Lidmaatschap, Rol, TokenSoort
from audit import recorder as audit
from berichten import outbox
from berichten.render import absolute_url, render
from common import dates, db
from common.dates import local_time
from common.errors import FieldErrors

INVITATION_VALID = dt.timedelta(days=7)
RESET_VALID = dt.timedelta(hours=1)
# Reset requests: per address and per client; token pages: per client.
RESET_PER_ADDRESS = limits.Rule("", 3, dt.timedelta(hours=1))
RESET_PER_CLIENT = limits.Rule("", 10, dt.timedelta(hours=1))
INVITE_PER_ADDRESS = limits.Rule("", 5, dt.timedelta(hours=1))
TOKEN_PER_CLIENT = limits.Rule("", 30, dt.timedelta(minutes=15))

EXISTS = "Er bestaat al een account met dit e-mailadres."
BAD_EMAIL = "Geef een geldig e-mailadres op, zoals naam@organisatie.be."
PASSWORDS_DIFFER = "De twee wachtwoorden zijn niet gelijk."


class TooMany(Exception):
    """Rate limit reached: `retry_after` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class LinkGone(Exception):
    """A link that was used, expired or replaced: 410."""


class LinkUnknown(Exception):
    """No such link: 404."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """Lower case, or FieldErrors: the one check of an address typed by a person."""
    try:
        return outbox.clean_address(email)
    except ValueError:
        raise FieldErrors({"email": BAD_EMAIL}) from None


async def email_taken(email: str) -> bool:
    rows = await BaseUser.raw("SELECT 1 FROM piccolo_user WHERE lower(email) = {} LIMIT 1", email.lower())
    return bool(rows)


async def _limit(rules: Sequence[limits.Rule]) -> None:
    wait = await limits.hit(rules)
    if wait:
        raise TooMany(wait)


async def _new_token(user_id: int, soort: TokenSoort, valid: dt.timedelta) -> tuple[str, dt.datetime]:
    token = secrets.token_urlsafe(32)
    now = dates.now()
    await Accounttoken.insert(Accounttoken(user=user_id, soort=soort.value, token_hash=hash_token(token),
                                           verloopt_op=now + valid, aangemaakt_op=now))
    return token, now + valid


@dataclass(frozen=True)
class Invitation:
    user_id: int
    bericht_ids: list[int]
    again: bool = False  # an earlier invitation was never used: this one replaces it


async def _pending_invitee(address: str) -> int | None:
    """The id of an account made by an invitation that was never used (inactive, an unused invitation token)."""
    rows = await BaseUser.raw(
        "SELECT u.id FROM piccolo_user u JOIN accounttoken t ON t.user = u.id WHERE lower(u.email) = {} "
        "AND u.active = {} AND t.soort = {} AND t.gebruikt_op IS NULL LIMIT 1",
        address, False, TokenSoort.uitnodiging.value)
    return rows[0]["id"] if rows else None


async def invite(email: str, memberships: Sequence[tuple[str, str]], *, voornaam: str = "", actor=None,
                 client: str = "") -> Invitation:
    """Create an inactive account for `email` with memberships (gemeente slug, rol) and queue the invitation mail.
    FieldErrors for a bad address, an existing account, an unknown gemeente or rol; TooMany when the address was
    invited too often."""
    address = normalise_email(email)
    voornaam = outbox.one_line(voornaam, 150)
    fields: dict[str, str] = {}
    gemeenten = {g["slug"]: g for g in await Gemeente.select(Gemeente.id, Gemeente.slug, Gemeente.naam)}
    resolved = []
    for slug, rol in memberships:
        if slug not in gemeenten:
            fields["gemeente"] = "Kies een bestaande gemeente."
        elif rol not in Rol.values():
            fields["rol"] = "Kies een rol."
        else:
            resolved.append((gemeenten[slug], Rol(rol)))
    if not memberships:
        fields["gemeente"] = "Kies een gemeente en een rol."
    pending = await _pending_invitee(address)
    if pending is None and await email_taken(address):
        fields["email"] = EXISTS
    if fields:
        raise FieldErrors(fields)
    await _limit([limits.Rule(limits.address_key("uitnodiging", address), INVITE_PER_ADDRESS.limit,
                              INVITE_PER_ADDRESS.window)])
    async with db.write_transaction():
        pending = await _pending_invitee(address)
        if pending is None and await email_taken(address):  # a second beheerder at the same moment
            raise FieldErrors({"email": EXISTS})
        if pending is None:
            user = BaseUser(username=address[:100], password=BaseUser.hash_password(secrets.token_urlsafe(32)),
                            email=address, first_name=voornaam, last_name="", active=False, admin=False,
                            superuser=False)
            await user.save()
            user_id = user.id
        else:  # invited before, never used (expired, lost): the old link ends, this one replaces it
            user_id = pending
            await Accounttoken.update({Accounttoken.gebruikt_op: dates.now()}).where(
                (Accounttoken.user == user_id) & Accounttoken.gebruikt_op.is_null())
            if voornaam:
                await BaseUser.update({BaseUser.first_name: voornaam}).where(BaseUser.id == user_id)
        have = {(row["gemeente"], row["rol"]) for row in await Lidmaatschap.select(
            Lidmaatschap.gemeente, Lidmaatschap.rol).where(Lidmaatschap.user == user_id)}
        for gemeente, rol in resolved:
            if (gemeente["id"], rol.value) not in have:
                await Lidmaatschap(user=user_id, gemeente=gemeente["id"], rol=rol.value).save()
        token, until = await _new_token(user_id, TokenSoort.uitnodiging, INVITATION_VALID)
        first, first_rol = resolved[0]
        subject, text, html = render(
            "uitnodiging", voornaam=voornaam, email=address, rol=first_rol.label, gemeente=first["naam"],
            uitnodiger=getattr(actor, "naam", "") or "De beheerder", geldig_tot=local_time(until),
            link=absolute_url(f"/uitnodiging/{token}"),
        )
        ids = await outbox.queue(kind="uitnodiging", to=[outbox.Recipient(address, voornaam, user_id)],
                                 subject=subject, text=text, html=html, object_type="gebruiker",
                                 object_id=user_id, gemeente_id=first["id"], actor_id=getattr(actor, "id", None))
    await audit.record("uitnodiging", user=actor, object_type="gebruiker", object_id=str(user_id), uitkomst="ok",
                       client=client, route="uitnodigen")
    return Invitation(user_id, ids, again=pending is not None)


async def request_reset(email: str, client: str) -> None:
    """Queue a reset mail when an active account has this address; the same outcome either way (TooMany aside)."""
    raw = email.strip().lower()[:254]
    await _limit([limits.Rule(limits.address_key("herstel", raw), RESET_PER_ADDRESS.limit, RESET_PER_ADDRESS.window),
                  limits.Rule(limits.client_key("herstel", client), RESET_PER_CLIENT.limit, RESET_PER_CLIENT.window)])
    try:
        address = outbox.clean_address(raw)
    except ValueError:
        return
    rows = await BaseUser.raw("SELECT id, first_name FROM piccolo_user WHERE lower(email) = {} AND active = {}",
                              address, True)
    if not rows:
        return
    user = rows[0]
    async with db.write_transaction():
        token, until = await _new_token(user["id"], TokenSoort.herstel, RESET_VALID)
        subject, text, html = render("wachtwoord_herstel", voornaam=user["first_name"] or "",
                                     geldig_tot=local_time(until), link=absolute_url(f"/wachtwoord-herstellen/{token}"))
        await outbox.queue(kind="wachtwoord_herstel", to=[outbox.Recipient(address, user["first_name"] or "",
                                                                           user["id"])],
                           subject=subject, text=text, html=html, object_type="gebruiker", object_id=user["id"])


async def check_client(client: str) -> None:
    """Every visit of a one-time link counts against the client (guessing links is slow besides)."""
    await _limit([limits.Rule(limits.client_key("link", client), TOKEN_PER_CLIENT.limit, TOKEN_PER_CLIENT.window)])


async def token_user(token: str, soort: TokenSoort) -> dict[str, Any]:
    """The user a valid link belongs to ({id, username, first_name, email}); LinkUnknown or LinkGone otherwise."""
    if not token or len(token) > 100:
        raise LinkUnknown
    row = await Accounttoken.select(Accounttoken.id, Accounttoken.user, Accounttoken.verloopt_op,
                                    Accounttoken.gebruikt_op).where(
        (Accounttoken.token_hash == hash_token(token)) & (Accounttoken.soort == soort.value)).first()
    if row is None:
        raise LinkUnknown
    expires = row["verloopt_op"]
    expires = dt.datetime.fromisoformat(expires) if isinstance(expires, str) else expires
    expires = expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)
    if row["gebruikt_op"] is not None or expires <= dates.now():
        raise LinkGone
    user = await BaseUser.select(BaseUser.id, BaseUser.username, BaseUser.first_name, BaseUser.email).where(
        BaseUser.id == row["user"]).first()
    if user is None:
        raise LinkUnknown
    return {**user, "token_id": row["id"]}


async def use_token(token: str, soort: TokenSoort, password: str, password2: str) -> int:
    """Set the password through a valid link, once: the account is active, every other link of this kind and
    every session of the user ends. The user id, to log them in."""
    user = await token_user(token, soort)
    problem = check_password(password, username=user["username"])
    if problem:
        raise FieldErrors({"password": problem})
    if password != password2:
        raise FieldErrors({"password2": PASSWORDS_DIFFER})
    hashed = BaseUser.hash_password(password)
    now = dates.now()
    async with db.write_transaction():
        used = await Accounttoken.update({Accounttoken.gebruikt_op: now}).where(
            (Accounttoken.id == user["token_id"]) & Accounttoken.gebruikt_op.is_null()).returning(Accounttoken.id)
        if not used:  # the same link submitted twice at once
            raise LinkGone
        await Accounttoken.update({Accounttoken.gebruikt_op: now}).where(
            (Accounttoken.user == user["id"]) & Accounttoken.gebruikt_op.is_null())
        await BaseUser.update({BaseUser.password: hashed, BaseUser.active: True}).where(BaseUser.id == user["id"])
        await sessions.end_all_sessions(user["id"])
    await audit.record("wachtwoord_gekozen" if soort == TokenSoort.uitnodiging else "wachtwoord_hersteld",
                       user_id=user["id"], username=user["username"], object_type="gebruiker",
                       object_id=str(user["id"]), uitkomst="ok")
    return int(user["id"])


async def users() -> list[dict]:
    """Every account for the beheerder's list: name, e-mail, active or invited, memberships."""
    rows = await BaseUser.select(BaseUser.id, BaseUser.username, BaseUser.first_name, BaseUser.last_name,
                                 BaseUser.email, BaseUser.active, BaseUser.admin).order_by(BaseUser.username)
    members: dict[int, list[str]] = {}
    for item in await Lidmaatschap.select(Lidmaatschap.user, Lidmaatschap.rol, Lidmaatschap.gemeente._.naam):
        members.setdefault(item["user"], []).append(f"{Rol.label_for(item['rol'])} in {item['gemeente.naam']}")
    open_invites = {row["user"] for row in await Accounttoken.select(Accounttoken.user).where(
        (Accounttoken.soort == TokenSoort.uitnodiging.value) & Accounttoken.gebruikt_op.is_null())}
    return [{**row, "lidmaatschappen": members.get(row["id"], []),
             "uitgenodigd": not row["active"] and row["id"] in open_invites} for row in rows]

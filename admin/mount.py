"""Piccolo Admin at /admin/, built once at import (never per request), behind the app's own login."""

from __future__ import annotations

import json

from piccolo.apps.user.tables import BaseUser
from piccolo_admin.endpoints import TableConfig, create_admin
from piccolo_admin.translations.data import ENGLISH
from piccolo_api.crud.hooks import Hook, HookType
from piccolo_api.session_auth.tables import SessionsBase

from admin.admin_nl import DUTCH
from admin.passwords import enforce_on_piccolo_users
from admin.sessions import ABSOLUTE, IDLE, end_all_sessions
from admin.tables import Gemeente, Lidmaatschap, LoginPoging, Organisatie
from admin.tokens import revoke_all_tokens
from settings import get_settings

_settings = get_settings()
# The admin's user form and password change use Piccolo's own checks: make them the app's password policy.
enforce_on_piccolo_users()
# A user the beheerder adds can log in: Piccolo's default (`active` False) left the new person with "Gebruikersnaam
# of wachtwoord klopt niet". The admin's "new row" form takes its defaults from the column; an invitation
# (admin/accounts) still creates its account inactive on purpose, explicitly.
BaseUser.active.default = True


def _deactivating(values: dict) -> bool:
    for key, value in values.items():
        name = key if isinstance(key, str) else getattr(getattr(key, "_meta", None), "name", "")
        if name == "active" and value is False:
            return True
    return False


async def end_sessions_when_deactivated(row_id, values: dict) -> dict:
    """Piccolo Admin pre_patch hook: a user set to `active = False` loses every session and token at once."""
    if _deactivating(values):
        await end_all_sessions(int(row_id))
        await revoke_all_tokens(int(row_id))
    return values


async def end_sessions_when_deleted(row_id) -> None:
    """Piccolo Admin pre_delete hook: a deleted user leaves no session behind."""
    await end_all_sessions(int(row_id))


ADMIN_TABLES: list[type | TableConfig] = [
    TableConfig(Organisatie, menu_group="Organisatie"),
    TableConfig(Gemeente, menu_group="Organisatie"),
    TableConfig(Lidmaatschap, menu_group="Organisatie"),
    TableConfig(
        BaseUser,
        menu_group="Organisatie",
        exclude_visible_columns=[BaseUser.password],
        exclude_visible_filters=[BaseUser.password],  # no search on password hashes, no password typed in view
        hooks=[
            Hook(hook_type=HookType.pre_patch, callable=end_sessions_when_deactivated),
            Hook(hook_type=HookType.pre_delete, callable=end_sessions_when_deleted),
        ],
    ),
    TableConfig(LoginPoging, menu_group="Beveiliging"),
]


def admin_app(extra_tables: list[type | TableConfig]):
    """The Piccolo Admin ASGI app. create_app() builds it once; every request reuses it."""
    return create_admin(
        tables=[*ADMIN_TABLES, *extra_tables],
        auth_table=BaseUser,
        session_table=SessionsBase,
        session_expiry=IDLE,
        max_session_expiry=ABSOLUTE,
        increase_expiry=None,  # the app's session middleware slides the idle deadline
        production=_settings.production,
        site_name="Signaalwerk — beheer",
        default_language_code="nl",
        translations=[DUTCH, ENGLISH],
        # the admin checks the Referer/Origin host over HTTPS: the public host of SIGNAALWERK_BASE_URL is one of them
        allowed_hosts=[f"{_settings.host}:{_settings.port}", _settings.host, "localhost", "127.0.0.1",
                       _settings.base_host],
    )


async def _reply(send, status: int, body: bytes = b"", location: str | None = None, media: str = "text/plain") -> None:
    headers = [(b"content-type", f"{media}; charset=utf-8".encode()), (b"content-length", str(len(body)).encode())]
    if location:
        headers.append((b"location", location.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def admin_gate(admin_asgi):
    """Sends anonymous visitors to the app's login, refuses non-admins, and hides the admin's own login."""

    async def gate(scope, receive, send) -> None:
        full_path = scope.get("raw_path", b"").decode("latin-1").split("?")[0] or scope["path"]
        relative = full_path.removeprefix("/admin")
        user = scope.get("user")
        if relative == "":
            await _reply(send, 308, location="/admin/")
        elif relative.startswith("/public/login") or (
            user is None and not relative.startswith(("/assets/", "/public/"))
        ):
            await _reply(send, 303, location="/login/?next=/admin/")
        elif user is not None and not user.admin and not relative.startswith("/assets/"):
            body = json.dumps({"detail": "Het beheer is alleen voor beheerders."}).encode()
            await _reply(send, 403, body, media="application/json")
        else:
            await admin_asgi(scope, receive, send)

    return gate

"""Records the audit trail in one place: logins and logouts explicitly, everything else from the route table
(a before_send hook), so a new route is audited without remembering to."""

from __future__ import annotations

import logging

from litestar.types import Message, Scope
from piccolo.apps.user.tables import BaseUser

from audit.tables import Audit
from common import dates

logger = logging.getLogger("signaalwerk.audit")

# Path parameters name the object a route is about.
OBJECT_PARAMS = {
    "signaal_id": "signaal",
    "dossier_id": "dossier",
    "nota_id": "nota",
    "vergadering_id": "vergadering",
    "punt_id": "agendapunt",
    "agendapunt_id": "agendapunt",
    "actie_id": "actie",
    "overleg_id": "overleg",
}
COLLECTIONS = {"signalen": "signaal", "dossiers": "dossier", "notas": "nota", "vergaderingen": "vergadering",
               "acties": "actie", "overleggen": "overleg", "overleg": "overleg"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Route handler opt key: a POST that reads only (its body would not belong in a URL); not a "wijzigen" in the trail.
READ_ONLY_POST = "alleen_lezen"
# An erased account's username starts with this (signalen.rights pseudonymises it so); the trail shows no pseudonym.
ERASED_PREFIX = "verwijderd-"
ERASED_LABEL = "gewiste gebruiker"


def safe(value: object, limit: int = 150) -> str:
    """Control characters encoded: no log injection through a username or a path."""
    return str(value)[:limit].encode("unicode_escape").decode("ascii")


def classify(method: str, template: str, params: dict) -> tuple[str, str, str] | None:
    """(actie, object_type, object_id) for an audited request, or None."""
    object_type, object_id = "", ""
    for name, kind in OBJECT_PARAMS.items():
        if name in params:
            object_type, object_id = kind, str(params[name])
    if not object_type and "id" in params:  # API routes: /api/v1/notas/{id} → the segment before names it
        segments = template.split("/")
        position = next((i for i, part in enumerate(segments) if part.startswith("{id")), 0)
        object_type = COLLECTIONS.get(segments[position - 1], segments[position - 1]) if position else ""
        object_id = str(params["id"])
    if template.endswith((".pdf", "/pdf")) or template.endswith("pdf}"):
        return "pdf", object_type, object_id
    if "export" in template or template.endswith((".csv", ".xlsx", ".ics")):
        return "export", object_type, object_id
    if method in UNSAFE:
        return "wijzigen", object_type, object_id
    if method == "GET" and object_type:
        return "bekijken", object_type, object_id
    return None


async def _user_id(username: str) -> int | None:
    """The account a login attempt was for (None for an unknown name: the name itself is never stored)."""
    name = username.strip()
    if not name:
        return None
    row = await BaseUser.select(BaseUser.id).where(BaseUser.username == name).first()
    return row["id"] if row else None


async def record(actie: str, *, user=None, user_id: int | None = None, username: str = "", object_type: str = "",
                 object_id: str = "", uitkomst: str = "", client: str = "", route: str = "") -> None:
    """One audit row (and one encoded log line), against a user id only. `user` is a CurrentUser; or give user_id,
    or the username typed at login (resolved to the account's id here, never stored or logged)."""
    gebruiker = getattr(user, "id", None) or user_id
    if gebruiker is None and username:
        gebruiker = await _user_id(username)
    row = Audit(
        tijdstip=dates.now(), gebruiker=gebruiker, actie=actie,
        object_type=object_type[:32], object_id=safe(object_id, 40), uitkomst=str(uitkomst)[:32],
        client=client[:64], route=route[:200],
    )
    await row.save()
    logger.info("audit actie=%s gebruiker=%s object=%s:%s uitkomst=%s client=%s route=%s", actie,
                gebruiker if gebruiker is not None else "-", object_type, safe(object_id), safe(uitkomst),
                safe(client), safe(route))


async def user_names(user_ids: list[int | None]) -> dict[int, str]:
    """Who the trail's user ids are, resolved now: the username, or "gewiste gebruiker" once erased (also for an
    id whose account no longer exists)."""
    ids = sorted({i for i in user_ids if i is not None})
    if not ids:
        return {}
    rows = await BaseUser.select(BaseUser.id, BaseUser.username).where(BaseUser.id.is_in(ids))
    names = {row["id"]: row["username"] for row in rows if not row["username"].startswith(ERASED_PREFIX)}
    return {i: names.get(i, ERASED_LABEL) for i in ids}


async def trail(user_id: int) -> list[dict]:
    """The audit rows about one user, oldest first, with the name resolved at read time."""
    rows = await Audit.select(Audit.tijdstip, Audit.gebruiker, Audit.actie, Audit.object_type, Audit.object_id,
                              Audit.uitkomst, Audit.route).where(Audit.gebruiker == user_id).order_by(Audit.id)
    names = await user_names([user_id])
    return [{**row, "gebruiker_naam": names.get(user_id, ERASED_LABEL)} for row in rows]


async def audit_hook(message: Message, scope: Scope) -> None:
    """before_send: at the start of each response of an app route, write its audit row."""
    if message["type"] != "http.response.start" or scope.get("type") != "http":
        return
    template = scope.get("path_template") or ""
    if not template or template.startswith(("/static", "/admin", "/login", "/logout", "/health", "/schema")):
        return
    method = str(scope.get("method", "GET"))  # a websocket scope has none: GET
    handler_opt = getattr(scope.get("route_handler"), "opt", None) or {}
    if handler_opt.get(READ_ONLY_POST):
        return  # a POST only so its text stays out of URLs and logs (a draft's similar signals): it changes nothing
    what = classify(method, template, scope.get("path_params") or {})
    if what is None:
        return
    actie, object_type, object_id = what
    client = (scope.get("client") or ("", 0))[0] or ""
    try:
        await record(actie, user=scope.get("user"), object_type=object_type, object_id=object_id,
                     uitkomst=str(message["status"]), client=client, route=f"{method} {template}")
    except Exception:  # noqa: BLE001 - the trail must never break the answer; the failure itself is logged
        logger.exception("audit row could not be written for %s %s", method, safe(template))


def _refuse(*args, **kwargs):
    from starlette.exceptions import HTTPException as StarletteHTTPException

    raise StarletteHTTPException(status_code=405, detail="Het auditspoor kan niet gewijzigd of gewist worden.")


def admin_table():
    """The audit trail in Piccolo Admin: visible and filterable, never editable or deletable."""
    from piccolo_admin.endpoints import TableConfig
    from piccolo_api.crud.hooks import Hook, HookType

    return TableConfig(
        Audit,
        menu_group="Beveiliging",
        hooks=[Hook(hook_type=kind, callable=_refuse) for kind in (HookType.pre_save, HookType.pre_patch,
                                                                    HookType.pre_delete)],
        visible_filters=[Audit.actie, Audit.gebruiker, Audit.object_type, Audit.object_id, Audit.uitkomst,
                         Audit.client],
    )

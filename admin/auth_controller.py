"""Login and logout: one Dutch login page for the app and the admin."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_429_TOO_MANY_REQUESTS

from admin import sessions
from admin.limits import wait_text
from audit import recorder as audit
from common.flash import flash
from settings import get_settings


def safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def client_address(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


def _set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        sessions.SESSION_COOKIE,
        token,
        max_age=int(sessions.ABSOLUTE.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=get_settings().production,
        path="/",
    )


class AuthController(Controller):
    path = "/"
    include_in_schema = False

    @get("/login/", name="login")
    async def login_page(self, request: Request, next: FromQuery[str | None] = None) -> Response:  # noqa: A002
        if request.user is not None:
            return Redirect(safe_next(next))
        return Template("login.html", context={"next": safe_next(next), "username": ""})

    @post("/login/", name="login_post", status_code=303)
    async def login(self, request: Request) -> Response:
        form = await request.form()
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        target = safe_next(str(form.get("next", "/")))
        client = client_address(request)
        context = {"next": target, "username": username[:150]}
        attempt = await sessions.begin_attempt(username, client)
        if not attempt.allowed:
            await audit.record("login_mislukt", username=username, client=client, uitkomst="429",
                               route="POST /login/")
            context["error"] = ("Te veel mislukte pogingen. "
                                f"Wacht {wait_text(attempt.retry_after)} en probeer dan opnieuw.")
            return Template("login.html", context=context, status_code=HTTP_429_TOO_MANY_REQUESTS,
                            headers={"Retry-After": str(attempt.retry_after)})
        user_id = await sessions.authenticate(username, password) if username and password else None
        await sessions.finish_attempt(attempt, user_id is not None)
        await audit.record("login" if user_id else "login_mislukt", username=username, client=client,
                           uitkomst="ok" if user_id else "geweigerd", route="POST /login/", user_id=user_id)
        if user_id is None:
            context["error"] = "Gebruikersnaam of wachtwoord klopt niet."
            return Template("login.html", context=context, status_code=HTTP_400_BAD_REQUEST)
        old = request.cookies.get(sessions.SESSION_COOKIE)
        if old:
            await sessions.end_session(old)
        response = Redirect(target, status_code=303)
        _set_session_cookie(response, await sessions.start_session(user_id))
        return response

    @post("/logout/", name="logout", status_code=303)
    async def logout(self, request: Request) -> Response:
        token = request.cookies.get(sessions.SESSION_COOKIE)
        if token:
            await sessions.end_session(token)
        await audit.record("logout", user=request.user, client=client_address(request), uitkomst="ok",
                           route="POST /logout/")
        response = Redirect("/login/", status_code=303)
        response.delete_cookie(sessions.SESSION_COOKIE, path="/")
        # A shared phone: the next person must not find this worker's unsaved drafts in the browser.
        response.headers["Clear-Site-Data"] = '"storage"'
        return flash(response, "Je bent afgemeld.", "info")

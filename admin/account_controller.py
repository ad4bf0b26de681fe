"""The public account pages: choosing a password through an invitation, and "wachtwoord vergeten".

Reached without logging in; the one-time token in the path is the secret (the access log hides it:
web/accesslog.py). Unknown link 404, used or expired 410, too many tries 429 — each a Dutch page.
"""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_404_NOT_FOUND, HTTP_410_GONE, HTTP_429_TOO_MANY_REQUESTS

from admin import accounts, limits, sessions
from admin.auth_controller import _set_session_cookie, client_address
from admin.tables import TokenSoort
from common.errors import FieldErrors
from common.flash import flash
from common.forms import form_error_response

PAGES = {TokenSoort.uitnodiging: "account/uitnodiging.html", TokenSoort.herstel: "account/wachtwoord_herstellen.html"}
WELCOME = {TokenSoort.uitnodiging: "Welkom bij Signaalwerk: je wachtwoord is ingesteld en je bent aangemeld.",
           TokenSoort.herstel: "Je nieuwe wachtwoord is ingesteld; al je andere sessies zijn beëindigd."}


def too_many(retry_after: int) -> Response:
    return Template("account/te_veel.html", context={"wacht": limits.wait_text(retry_after)},
                    status_code=HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(retry_after)})


def _gone(soort: TokenSoort, status: int) -> Response:
    return Template("account/link_ongeldig.html", context={"soort": soort.value, "status": status},
                    status_code=status, headers={"Cache-Control": "no-store"})


async def _token_page(request: Request, token: str, soort: TokenSoort) -> Response:
    try:
        await accounts.check_client(client_address(request))
        user = await accounts.token_user(token, soort)
    except accounts.TooMany as exc:
        return too_many(exc.retry_after)
    except accounts.LinkUnknown:
        return _gone(soort, HTTP_404_NOT_FOUND)
    except accounts.LinkGone:
        return _gone(soort, HTTP_410_GONE)
    return Template(PAGES[soort], context={"token": token, "email": user["email"], "fields": {}},
                    headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


async def _token_post(request: Request, token: str, soort: TokenSoort) -> Response:
    form = await request.form()
    try:
        await accounts.check_client(client_address(request))
        user_id = await accounts.use_token(token, soort, str(form.get("password", "")),
                                           str(form.get("password2", "")))
    except accounts.TooMany as exc:
        return too_many(exc.retry_after)
    except accounts.LinkUnknown:
        return _gone(soort, HTTP_404_NOT_FOUND)
    except accounts.LinkGone:
        return _gone(soort, HTTP_410_GONE)
    except FieldErrors as exc:
        user = await accounts.token_user(token, soort)
        return form_error_response(PAGES[soort], {"token": token, "email": user["email"]}, exc)
    response = Redirect("/", status_code=303)
    _set_session_cookie(response, await sessions.start_session(user_id))
    return flash(response, WELCOME[soort], "succes")


class AccountController(Controller):
    path = "/"
    include_in_schema = False

    @get("/uitnodiging/{token:str}", name="uitnodiging")
    async def invitation(self, request: Request, token: FromPath[str]) -> Response:
        return await _token_page(request, token, TokenSoort.uitnodiging)

    @post("/uitnodiging/{token:str}", name="uitnodiging_post", status_code=303)
    async def invitation_post(self, request: Request, token: FromPath[str]) -> Response:
        return await _token_post(request, token, TokenSoort.uitnodiging)

    @get("/wachtwoord-herstellen/{token:str}", name="wachtwoord_herstellen")
    async def reset(self, request: Request, token: FromPath[str]) -> Response:
        return await _token_page(request, token, TokenSoort.herstel)

    @post("/wachtwoord-herstellen/{token:str}", name="wachtwoord_herstellen_post", status_code=303)
    async def reset_post(self, request: Request, token: FromPath[str]) -> Response:
        return await _token_post(request, token, TokenSoort.herstel)

    @get("/wachtwoord-vergeten/", name="wachtwoord_vergeten")
    async def forgotten(self) -> Response:
        return Template("account/wachtwoord_vergeten.html", context={"email": "", "fields": {}})

    @post("/wachtwoord-vergeten/", name="wachtwoord_vergeten_post", status_code=200)
    async def forgotten_post(self, request: Request) -> Response:
        form = await request.form()
        email = str(form.get("email", ""))[:300]
        try:
            await accounts.request_reset(email, client_address(request))
        except accounts.TooMany as exc:
            return too_many(exc.retry_after)
        # The same answer whether or not the address has an account.
        return Template("account/wachtwoord_vergeten.html", context={"verstuurd": True, "email": "", "fields": {}})

"""create_app(): the one place where Signaalwerk is assembled."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from litestar import Litestar, asgi
from litestar.config.allowed_hosts import AllowedHostsConfig
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from admin.account_controller import AccountController
from admin.auth_controller import AuthController
from admin.beheer_controller import BeheerController
from admin.csrf import csrf_binding
from admin.middleware import session_middleware
from admin.mount import admin_app, admin_gate
from audit import recorder as audit_recorder
from berichten import delivery
from common import pdf_pool
from common.api import tighten_schema
from common.errors import handle_exception
from common.flash import delete_shown_flash
from inzicht import bovenlokaal_controllers
from inzicht.bovenlokaal_controllers import BovenlokaalController
from inzicht.controllers import InzichtController
from overleg import routes as overleg_routes
from overleg import tijdlijn
from settings import BASE_DIR, get_settings
from signalen import api as signalen_api
from signalen import routes as signalen_routes
from web import assets, templating
from web.accesslog import access_log_middleware
from web.allow import complete_allow_header
from web.home import HomeController, health
from web.meldingen import MeldingenController
from web.offline import service_worker
from web.security import login_only, security_headers

MAX_BODY = 1024 * 1024  # 1 MiB; upload routes raise their own limit
# The periodic jobs of the delivery loop ("module:function", async, no arguments): run by exactly one instance at
# most every minute, under the deliverer's lease — by the lifespan's loop and by `manage.py berichten`.
MAIL_JOBS: list[str] = [
    "overleg.acties.berichten:herinneringen", "overleg.notas.berichten:antwoord_te_laat",
    "berichten.digest:dagelijks_overzicht",
    "berichten.opruimen:dagelijks_opruimen", "admin.opruimen:dagelijks_opruimen",
    "signalen.embeddings:bijwerken",
]


# The makers of deferred mail attachments (name → "module:function", async, object id in, bytes out): berichten
# calls them just before sending, so a PDF is not rendered inside the request that queues the mail.
MAIL_RENDERERS: dict[str, str] = {
    "agenda_pdf": "overleg.vergaderingen.agenda:agenda_pdf",
}


def mail_renderers() -> dict[str, Callable[[int], Awaitable[bytes]]]:
    renderers = {}
    for name, ref in MAIL_RENDERERS.items():
        module, _, function = ref.partition(":")
        renderers[name] = getattr(importlib.import_module(module), function)
    return renderers


def mail_jobs() -> list[Callable[[], Awaitable[object]]]:
    jobs = []
    for ref in MAIL_JOBS:
        module, _, name = ref.partition(":")
        jobs.append(getattr(importlib.import_module(module), name))
    return jobs


def compression() -> CompressionConfig:
    """Brotli where the browser takes it and the package is there (fonttools brings it), gzip otherwise."""
    if importlib.util.find_spec("brotli") is None:
        return CompressionConfig(backend="gzip", gzip_compress_level=6)
    return CompressionConfig(backend="brotli", brotli_gzip_fallback=True, gzip_compress_level=6)


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    from piccolo_conf import DB

    settings = get_settings()
    if settings.engine == "sqlite":
        await DB.run_ddl("PRAGMA journal_mode=WAL")
    if settings.db_pool:
        await DB.start_connection_pool(min_size=settings.pool_min, max_size=settings.pool_max)
    stop = asyncio.Event()
    # The outbox is delivered from inside the app (one instance at a time holds the lease); off when cron or a
    # systemd timer runs `manage.py berichten` instead.
    loop = asyncio.create_task(delivery.run_loop(mail_jobs(), stop, renderers=mail_renderers())
                               ) if settings.berichten_loop else None
    try:
        yield
    finally:
        stop.set()
        if loop is not None:
            await loop
        pdf_pool.shutdown()
        if settings.db_pool:
            await DB.close_connection_pool()


def create_app() -> Litestar:
    settings = get_settings()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    admin_tables = [*signalen_routes.ADMIN_TABLES, *overleg_routes.ADMIN_TABLES, audit_recorder.admin_table()]
    gate = admin_gate(admin_app(admin_tables))

    @asgi("/admin", is_mount=True, copy_scope=True, name="admin")
    async def admin(scope: Scope, receive: Receive, send: Send) -> None:
        await gate(scope, receive, send)

    app = Litestar(
        route_handlers=[
            AuthController,
            AccountController,
            BeheerController,
            HomeController,
            MeldingenController,
            *signalen_routes.ROUTE_HANDLERS,
            *overleg_routes.ROUTE_HANDLERS,
            InzichtController,
            BovenlokaalController,
            health,
            service_worker,
            admin,
            create_static_files_router(path="/static", directories=[BASE_DIR / "static"], name="static"),
        ],
        lifespan=[lifespan],
        # overleg's nota pages start a nota from a bovenlokaal theme that inzicht (a layer above) computes
        # and the signal page (signalen) shows what became of a signal, which only overleg knows
        dependencies={"nota_thema": Provide(lambda: bovenlokaal_controllers.nota_thema, sync_to_thread=False),
                      "signaal_tijdlijn": Provide(lambda: tijdlijn.steps, sync_to_thread=False)},
        csrf_config=CSRFConfig(
            secret=settings.secret,
            cookie_name="sw_csrftoken",
            header_name="x-csrf-token",
            cookie_secure=settings.production,
            cookie_samesite="lax",
            # a capability link is its own proof (the council's answer, the unsubscribe link): no session to bind to
            exclude=["^/admin", "^/antwoord/", "^/meldingen/afmelden/"],
        ),
        template_config=TemplateConfig(
            directory=BASE_DIR / "templates", engine=templating.engine_class, engine_callback=templating.setup
        ),
        exception_handlers={Exception: handle_exception, pdf_pool.PdfBusy: pdf_pool.busy_response},
        before_send=[security_headers(settings.production), assets.cache_static, complete_allow_header,
                     delete_shown_flash, audit_recorder.audit_hook],
        compression_config=compression(),
        request_max_body_size=MAX_BODY,
        # In production the Host must be that of SIGNAALWERK_BASE_URL: a forged Host gets a 400, not a page.
        allowed_hosts=AllowedHostsConfig(allowed_hosts=[settings.base_host], www_redirect=False)
        if settings.production else None,
        openapi_config=OpenAPIConfig(
            title="Signaalwerk API",
            version="1.0.0",
            path="/schema",
            render_plugins=[],
            # What a client sends (DESIGN §API): the session cookie of /login, and on every unsafe method the
            # CSRF token of the sw_csrftoken cookie in the x-csrf-token header.
            components=Components(security_schemes={
                "sessie": SecurityScheme(type="apiKey", name="id", security_scheme_in="cookie",
                                         description="De sessiecookie na aanmelden op /login."),
                "csrf": SecurityScheme(type="apiKey", name="x-csrf-token", security_scheme_in="header",
                                       description="Het CSRF-token (cookie sw_csrftoken) bij POST, PUT, PATCH, "
                                                   "DELETE."),
            }),
            security=[{"sessie": []}],
        ),
        debug=False,
    )
    # The API needs the session (401 without it), and a method that changes something the CSRF header as well
    # (admin/csrf.py; 403 without it): the OpenAPI document says so for every operation.
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if not isinstance(handler, HTTPRouteHandler) or not route.path.startswith("/api/"):
                continue
            handler.responses = {**signalen_api.error_responses(401), **(handler.responses or {})}
            if handler.http_methods - {"GET", "HEAD", "OPTIONS"}:
                handler.security = [*(handler.security or ()), {"sessie": [], "csrf": []}]
                handler.responses = {**signalen_api.error_responses(403), **handler.responses}
    # Required body fields the structs keep optional for the Dutch 422 (common/api.py schema_requires).
    tighten_schema(app.openapi_schema.components.schemas or {})
    # The session wraps the whole app, not just the matched routes: a 404 page knows who is logged in too.
    # Inside it, the CSRF token is bound to that session (admin/csrf.py): a token of another session is refused.
    app.asgi_handler = session_middleware(csrf_binding(
        login_only(app.asgi_handler, settings.production), settings.secret, secure=settings.production))
    # Outermost: every request is logged once, without query string or secret path segments (web/accesslog.py).
    app.asgi_handler = access_log_middleware(app.asgi_handler)
    # X-Forwarded-For/-Proto only from SIGNAALWERK_TRUSTED_PROXIES (make run starts uvicorn --no-proxy-headers:
    # uvicorn itself would believe any local client).
    if settings.trusted_proxies:
        app.asgi_handler = ProxyHeadersMiddleware(  # type: ignore[assignment]
            app.asgi_handler, trusted_hosts=list(settings.trusted_proxies))  # type: ignore[arg-type]
    return app

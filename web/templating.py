"""Jinja set-up: the callables every template may use."""

from __future__ import annotations

from litestar.plugins.jinja import JinjaTemplateEngine

from admin.tables import Rol
from admin.tenancy import has_role
from common.flash import take_flash
from common.templating import configure
from overleg.tables import (
    Aanwezigheid,
    Adressaat,
    Beslissing,
    DossierStatus,
    NotaStatus,
    VergaderingStatus,
    VerslagStatus,
)
from signalen.tables import HistoriekSoort, Status
from web.assets import static_url

engine_class = JinjaTemplateEngine

# The state enums templates compare with (`v.status == VergaderingStatus.concept`), never a bare string.
STATE_ENUMS = (Aanwezigheid, Adressaat, Beslissing, DossierStatus, HistoriekSoort, NotaStatus, Status,
               VergaderingStatus, VerslagStatus)


def nav_items(user) -> list[dict]:
    """Navigation by role: only what this user can use."""
    if user is None:
        return []
    items = [{"label": "Overzicht", "href": "/"}]
    if has_role(user, Rol.jeugdopbouwwerker, Rol.voorzitter, Rol.coordinator):
        items.append({"label": "Nieuw signaal", "href": "/signalen/nieuw"})
        items.append({"label": "Signalen", "href": "/signalen/"})
    if has_role(user, Rol.jeugdopbouwwerker, Rol.voorzitter, Rol.coordinator, Rol.partner):
        items.append({"label": "Overleg", "href": "/overleg/"})
        items.append({"label": "Dossiers", "href": "/dossiers/"})
        items.append({"label": "Vergaderingen", "href": "/vergaderingen/"})
        items.append({"label": "Acties", "href": "/acties/"})
        items.append({"label": "Signaalnota's", "href": "/notas/"})
    if user.gemeenten:
        items.append({"label": "Inzicht", "href": "/inzicht/"})
    if has_role(user, Rol.coordinator):  # the coördinator's themes across their gemeenten (/bovenlokaal)
        items.append({"label": "Bovenlokaal", "href": "/bovenlokaal/"})
    if user.admin:
        items.append({"label": "Gebruikers", "href": "/beheer/gebruikers"})
        items.append({"label": "Berichten", "href": "/beheer/berichten"})
        items.append({"label": "Beheer", "href": "/admin/"})
    return items


def current_href(items: list[dict], path: str) -> str | None:
    """The menu entry of the section `path` is in: the longest href that is the path or a folder above it
    ("/signalen/12" is in "Signalen", "/signalen/nieuw" in "Nieuw signaal"); "/" only for the home page itself."""

    def within(href: str) -> bool:
        base = href.rstrip("/")
        return path == "/" if not base else path == base or path.startswith(base + "/")

    return max((item["href"] for item in items if within(item["href"])), key=len, default=None)


def setup(engine: JinjaTemplateEngine) -> None:
    env = configure(engine.engine)  # autoescape, `markdown`, `lokaal`: shared with the PDFs (common/templating.py)
    env.globals.update(nav_items=nav_items, current_href=current_href, take_flash=take_flash,
                       status_label=Status.label_for, static_url=static_url)
    env.globals.update({enum.__name__: enum for enum in STATE_ENUMS})

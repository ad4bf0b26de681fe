"""Jinja set-up: the callables every template may use."""

from __future__ import annotations

from litestar.plugins.jinja import JinjaTemplateEngine

from admin.guards import has_role
from admin.tables import Rol
from common.markdown import render_markdown
from web.flash import take_flash

engine_class = JinjaTemplateEngine


def nav_items(user) -> list[dict]:
    """Navigation by role: only what this user can use."""
    if user is None:
        return []
    items = [{"label": "Overzicht", "href": "/"}]
    if has_role(user, Rol.jeugdopbouwwerker, Rol.voorzitter, Rol.coordinator):
        items.append({"label": "Nieuw signaal", "href": "/signalen/nieuw"})
        items.append({"label": "Signalen", "href": "/signalen/"})
    if user.admin:
        items.append({"label": "Beheer", "href": "/admin/"})
    return items


def setup(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.autoescape = True
    env.globals.update(nav_items=nav_items, take_flash=take_flash)
    env.filters["markdown"] = render_markdown

"""The Jinja set-up every environment shares: the app's pages (web/templating.py) and the PDFs (common/pdf.py).

Only what needs nothing from the domains lives here: autoescaping and the filters `markdown` (Markdown → sanitised
HTML) and `lokaal` (a UTC timestamp in Brussels time). web/templating.py adds the globals that do (navigation by
role, flash messages, status labels)."""

from __future__ import annotations

import jinja2

from common.dates import local_time
from common.markdown import render_markdown

__all__ = ["configure"]


def configure(env: jinja2.Environment) -> jinja2.Environment:
    """Give `env` the autoescaping, filters and globals every Signaalwerk template may rely on; returns `env`."""
    env.autoescape = True
    env.filters["markdown"] = render_markdown
    env.filters["lokaal"] = local_time
    return env

"""The Jinja set-up every environment shares: the app's pages (web/templating.py) and the PDFs (common/pdf.py).

Only what needs nothing from the domains lives here: autoescaping and the filters `markdown` (Markdown → sanitised
HTML), `lokaal` (a UTC timestamp in Brussels time) and `machine` (the value of a `<time datetime>`). web/templating.py
adds the globals that do (navigation by role, flash messages, status labels)."""

from __future__ import annotations

import datetime as dt

import jinja2

from common.dates import local_time
from common.markdown import render_markdown

__all__ = ["configure", "machine_time"]


def machine_time(value: dt.date | dt.time) -> str:
    """The value for `<time datetime="…">`: ISO 8601 to the second, as HTML allows (Python's `isoformat()` gives six
    digits of fractions, which the Nu Html Checker refuses); a date stays a date."""
    if isinstance(value, dt.datetime | dt.time):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def configure(env: jinja2.Environment) -> jinja2.Environment:
    """Give `env` the autoescaping, filters and globals every Signaalwerk template may rely on; returns `env`."""
    env.autoescape = True
    env.filters["markdown"] = render_markdown
    env.filters["lokaal"] = local_time
    env.filters["machine"] = machine_time
    return env

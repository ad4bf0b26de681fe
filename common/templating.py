"""The Jinja set-up every environment shares: the app's pages (web/templating.py) and the PDFs (common/pdf.py).

Only what needs nothing from the domains lives here: autoescaping and the filters `markdown` (Markdown → sanitised
HTML), `lokaal` (a UTC timestamp in Brussels time), `machine` (the value of a `<time datetime>`) and `getal` (a
number as Flemish readers write it: "0,5", "1.234"; every template that prints a decimal uses it). web/templating.py
adds the globals that do (navigation by role, flash messages, status labels)."""

from __future__ import annotations

import datetime as dt
import math

import jinja2

from common.dates import local_time
from common.markdown import render_markdown

__all__ = ["configure", "dutch_number", "machine_time"]


def machine_time(value: dt.date | dt.time) -> str:
    """The value for `<time datetime="…">`: ISO 8601 to the second, as HTML allows (Python's `isoformat()` gives six
    digits of fractions, which the Nu Html Checker refuses); a date stays a date."""
    if isinstance(value, dt.datetime | dt.time):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def dutch_number(value: object, decimalen: int = 1) -> str:
    """12345.25 → '12.345,3'; 0.5 → '0,5'; 3.0 → '3'; 1234 → '1.234'; None → '—'. Decimals only where there are
    any (at most `decimalen`), a decimal comma and a point between thousands."""
    if value is None or isinstance(value, bool):
        return "—"
    if not isinstance(value, int | float):
        try:
            value = float(str(value))
        except ValueError:
            return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "—"
    text = f"{value:,.{max(0, decimalen)}f}" if isinstance(value, float) else f"{value:,}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def configure(env: jinja2.Environment) -> jinja2.Environment:
    """Give `env` the autoescaping, filters and globals every Signaalwerk template may rely on; returns `env`."""
    env.autoescape = True
    env.filters["markdown"] = render_markdown
    env.filters["lokaal"] = local_time
    env.filters["machine"] = machine_time
    env.filters["getal"] = dutch_number
    return env

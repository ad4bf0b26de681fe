"""The one notion of "now" and "today", and the Dutch names of days and months.

Timestamps are stored in UTC (`now()`); every date a person sees or a form proposes is the date in Brussels
(`today()`, `local()`). Nothing else in the code calls `date.today()` or `datetime.now()`: a test that travels
in time (time-machine) moves the whole application at once.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")

DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")
MAANDEN_KORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def now() -> dt.datetime:
    """This moment, aware, in UTC: what is stored."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in Brussels: what forms propose, what "overdue" and "in the future" are measured against."""
    return now().astimezone(BRUSSELS).date()


def local(value: dt.datetime) -> dt.datetime:
    """A stored timestamp (aware, or naive UTC as SQLite returns it) as Brussels time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(BRUSSELS)


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight in Brussels at the start of this date, aware: the bound to compare stored timestamps with."""
    return dt.datetime.combine(day, dt.time(), BRUSSELS)


def local_time(value: dt.datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A moment as people in Flanders read it: Brussels time ('' for none)."""
    return local(value).strftime(fmt) if value is not None else ""


def short_date(value: dt.date) -> str:
    """2026-12-01 → '01/12/2026'."""
    return value.strftime("%d/%m/%Y")


def long_date(value: dt.date | None) -> str:
    """2026-12-01 → '1 december 2026' ('' for none)."""
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}" if value else ""


def long_date_with_day(value: dt.date) -> str:
    """2026-12-01 → 'dinsdag 1 december 2026'."""
    return f"{DAGEN[value.weekday()]} {long_date(value)}"


def month_label(key: str) -> str:
    """A month key '2026-03' → 'mrt 2026'; anything else is returned as it came."""
    year, _, month = key.partition("-")
    return f"{MAANDEN_KORT[int(month) - 1]} {year}" if month.isdigit() and 1 <= int(month) <= 12 else key

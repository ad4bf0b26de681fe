"""A meeting as an iCalendar (.ics) file, so members put it in their own calendar.

`vevent` is the one builder of a meeting's VEVENT: the single .ics, the subscribed feed (and a mail invitation)
all call it, so the same UID always carries the same description, end time and SEQUENCE."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from common import dates
from common.dates import BRUSSELS
from overleg.tables import VergaderingStatus
from settings import get_settings

DEFAULT_LENGTH = dt.timedelta(hours=2)  # a meeting without points yet
MEDIA_TYPE = "text/calendar"  # Litestar adds "; charset=utf-8" to a text/* type itself: give it only once


def meeting_url(vergadering_id: int) -> str:
    """The meeting's page at SIGNAALWERK_BASE_URL — never built from the request's Host, which a client chooses."""
    return f"{get_settings().base_url}/vergaderingen/{vergadering_id}"


def uid(vergadering_id: int) -> str:
    return f"vergadering-{vergadering_id}@signaalwerk"


def _calendar(method: str = "PUBLISH") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Signaalwerk//Vergaderingen//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def invitation_ics(vergadering: dict, punten: list[dict], *, organizer: str, cancel: bool = False) -> bytes:
    """The meeting as an invitation in a mail (RFC 5546): METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED
    for a cancelled meeting; the same VEVENT as the app's .ics and feed (UID, SEQUENCE, description, end)."""
    calendar = _calendar("CANCEL" if cancel else "REQUEST")
    event = vevent(vergadering, punten)
    event.add("organizer", f"mailto:{organizer}", parameters={"CN": vergadering["overleg_naam"]})
    if cancel:
        event.pop("status")
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def vergadering_ics(vergadering: dict, punten: list[dict]) -> bytes:
    """One meeting as a calendar file."""
    calendar = _calendar()
    calendar.add_component(vevent(vergadering, punten))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(vergaderingen: list[tuple[dict, list[dict]]], name: str) -> bytes:
    """Every (meeting, its points) of the user's overleggen in one calendar (the subscribed feed)."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    for vergadering, punten in vergaderingen:
        calendar.add_component(vevent(vergadering, punten))
    if vergaderingen:
        calendar.add_missing_timezones()
    return calendar.to_ical()


def vevent(vergadering: dict, punten: list[dict]) -> Event:
    """The meeting (a row with id, datum, begin, plaats, status, status_label, overleg_naam, sequence) and its
    points in order (with `start` and `duur_minuten`, as agenda.list_punten gives them) as one VEVENT:
    DTSTART/DTEND in Brussels time (the end: begin + every point's duration), LOCATION, SUMMARY, the agenda as
    DESCRIPTION, the meeting's page as URL, and SEQUENCE from the meeting's counter."""
    start = dt.datetime.combine(vergadering["datum"], vergadering["begin"], tzinfo=BRUSSELS)
    minutes = sum(p["duur_minuten"] or 0 for p in punten)
    end = start + (dt.timedelta(minutes=minutes) if minutes else DEFAULT_LENGTH)
    url = meeting_url(vergadering["id"])
    event = Event()
    event.add("uid", uid(vergadering["id"]))
    event.add("dtstamp", dates.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"Vergadering {vergadering['overleg_naam']}")
    event.add("location", vergadering["plaats"] or "")
    event.add("sequence", int(vergadering.get("sequence") or 0))
    event.add("status", "CONFIRMED" if vergadering["status"] != VergaderingStatus.concept else "TENTATIVE")
    lines = [f"Agenda ({vergadering['status_label'].lower()}):"] if punten else ["De agenda volgt."]
    lines += [f"{index}. {punt['start']:%H:%M} {punt['titel']} ({punt['duur_minuten']} min.)"
              for index, punt in enumerate(punten, start=1)]
    lines += ["", url]
    event.add("url", url)
    event.add("description", "\n".join(lines))
    return event

"""A meeting as an iCalendar (.ics) file, so members put it in their own calendar."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from common import dates
from common.dates import BRUSSELS
from overleg.tables import VergaderingStatus
from settings import get_settings

DEFAULT_LENGTH = dt.timedelta(hours=2)  # a meeting without points yet


def meeting_url(vergadering_id: int) -> str:
    """The meeting's page at SIGNAALWERK_BASE_URL — never built from the request's Host, which a client chooses."""
    return f"{get_settings().base_url}/vergaderingen/{vergadering_id}"


def _calendar(method: str = "PUBLISH") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Signaalwerk//Vergaderingen//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def invitation_ics(vergadering: dict, punten: list[dict], einde: dt.datetime | None, url: str, *,
                   organizer: str, cancel: bool = False) -> bytes:
    """The meeting as an invitation in a mail (RFC 5546): METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED
    for a cancelled meeting; the same UID as the app's .ics and feed, SEQUENCE = the meeting's versie (it grows
    with every change, so a calendar replaces the earlier invitation)."""
    calendar = _calendar("CANCEL" if cancel else "REQUEST")
    event = _event(vergadering, punten, einde, url)
    event.add("organizer", f"mailto:{organizer}", parameters={"CN": vergadering["overleg_naam"]})
    if cancel:
        event.pop("status")
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def vergadering_ics(vergadering: dict, punten: list[dict], einde: dt.datetime | None = None,
                    url: str = "") -> bytes:
    """One VEVENT: DTSTART/DTEND in Brussels time, LOCATION, SUMMARY, the agenda as DESCRIPTION."""
    calendar = _calendar()
    calendar.add_component(_event(vergadering, punten, einde, url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(vergaderingen: list[dict], name: str) -> bytes:
    """Every meeting of the user's overleggen in one calendar (the subscribed feed)."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    for vergadering in vergaderingen:
        calendar.add_component(_event(vergadering, [], None, ""))
    if vergaderingen:
        calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(vergadering: dict, punten: list[dict], einde: dt.datetime | None, url: str) -> Event:
    start = dt.datetime.combine(vergadering["datum"], vergadering["begin"], tzinfo=BRUSSELS)
    end = einde.replace(tzinfo=BRUSSELS) if einde and einde > start.replace(tzinfo=None) else start + DEFAULT_LENGTH
    event = Event()
    event.add("uid", f"vergadering-{vergadering['id']}@signaalwerk")
    event.add("dtstamp", dates.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"Vergadering {vergadering['overleg_naam']}")
    event.add("location", vergadering["plaats"] or "")
    event.add("sequence", int(vergadering.get("versie") or 1))
    event.add("status", "CONFIRMED" if vergadering["status"] != VergaderingStatus.concept else "TENTATIVE")
    lines = [f"Agenda ({vergadering['status_label'].lower()}):"] if punten else ["De agenda volgt."]
    lines += [f"{index}. {punt['start']:%H:%M} {punt['titel']} ({punt['duur_minuten']} min.)"
              for index, punt in enumerate(punten, start=1)]
    if url:
        lines += ["", url]
        event.add("url", url)
    event.add("description", "\n".join(lines))
    return event

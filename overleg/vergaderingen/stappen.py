"""One path through a meeting: its stages — agenda (concept, gepubliceerd), vergadering, verslag (concept,
ter goedkeuring, goedgekeurd) — and which one it is in now, for the meeting page, the list and the dashboard.

The verslag is "ter goedkeuring" once the chair stored a concept and a later meeting of the overleg is planned
(minutes are approved at a next meeting); "nog niet opgesteld" while only the generated proposal exists."""

from __future__ import annotations

import datetime as dt

from piccolo.query.functions.aggregate import Max

from common.dates import today
from overleg.tables import Vergadering, VergaderingStatus, Verslag, VerslagStatus

VERSLAG = {"geen": "Nog niet opgesteld", "concept": "Concept", "ter_goedkeuring": "Ter goedkeuring",
           "goedgekeurd": "Goedgekeurd"}
STAGES = ("agenda", "vergadering", "verslag")


def _date(value) -> dt.date:
    """A date column's value (SQLite answers an aggregate of dates as text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


async def verslag_standen(vergaderingen: list[dict]) -> dict[int, str]:
    """Meeting id → the state of its minutes (a key of VERSLAG), for meetings the caller already may see."""
    ids = [v["id"] for v in vergaderingen]
    stored = {row["vergadering"]: row["status"] for row in await Verslag.select(
        Verslag.vergadering, Verslag.status).where(Verslag.vergadering.is_in(ids or [0]))}
    overleg_ids = sorted({v["overleg"] for v in vergaderingen})
    last = {row["overleg"]: _date(row["laatste"]) for row in await Vergadering.select(
        Vergadering.overleg, Max(Vergadering.datum, alias="laatste")).where(
        Vergadering.overleg.is_in(overleg_ids or [0])).group_by(Vergadering.overleg)}
    standen = {}
    for v in vergaderingen:
        status = stored.get(v["id"])
        if status == VerslagStatus.goedgekeurd.value:
            standen[v["id"]] = "goedgekeurd"
        elif status is None:
            standen[v["id"]] = "geen"
        else:
            later = last.get(v["overleg"])
            standen[v["id"]] = "ter_goedkeuring" if later and later > _date(v["datum"]) else "concept"
    return standen


def current_stage(vergadering: dict) -> str:
    """agenda until the day of the meeting, vergadering from that day until it is closed, then verslag."""
    if vergadering["status"] == VergaderingStatus.gehouden.value:
        return "verslag"
    return "vergadering" if _date(vergadering["datum"]) <= today() else "agenda"


def stappen(vergadering: dict, verslag: str) -> list[dict]:
    """The three stages in order: {key, naam, toestand, huidig, klaar} (`verslag`: a key of VERSLAG)."""
    now = current_stage(vergadering)
    index = STAGES.index(now)
    held = vergadering["status"] == VergaderingStatus.gehouden.value
    agenda = VergaderingStatus.label_for(
        VergaderingStatus.concept.value if vergadering["status"] == VergaderingStatus.concept.value
        else VergaderingStatus.gepubliceerd.value)
    toestand = {"agenda": agenda, "vergadering": "Gehouden" if held else ("Bezig" if now == "vergadering"
                                                                          else "Gepland"),
                "verslag": VERSLAG[verslag]}
    return [{"key": key, "naam": key.capitalize(), "toestand": toestand[key], "huidig": key == now,
             "klaar": i < index or (key == "verslag" and verslag == "goedgekeurd")}
            for i, key in enumerate(STAGES)]


def verslag_zichtbaar(vergadering: dict, verslag: str) -> bool:
    """The minutes are linked once the meeting began (or was closed), or once a text was stored."""
    return current_stage(vergadering) != "agenda" or verslag != "geen"

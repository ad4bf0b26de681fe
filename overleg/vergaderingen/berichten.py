"""The mails of a meeting: the agenda (published, changed, moved: an .ics REQUEST; cancelled: a CANCEL) to every
member of the overleg, with the agenda PDF; the minutes ready for approval, and approved (with their PDF).

No PDF is rendered inside the chair's request for the agenda: `agenda_mail()` prepares the texts and the .ics (cheap)
and queues the PDF as a deferred attachment (`Attachment.later(..., renderer="agenda_pdf")`); the delivery loop
calls `agenda_pdf()` (wired in app.py's MAIL_RENDERERS) once for all members, just before sending. The caller
queues the result with `berichten.voorkeuren.queue_for_user(**mail)` inside the transaction of the change. Titles
go through the privacy guard's redaction (signalen.mailtekst); the attachments are the PDFs a member downloads in
the app.
"""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

from berichten.outbox import Attachment
from common import dates
from overleg.overleggen import berichten as ontvangers
from overleg.tables import VergaderingStatus
from overleg.vergaderingen import ics
from settings import get_settings
from signalen.mailtekst import redacted


async def agenda_mail(vergadering: dict, punten: list[dict], einde: Any, *, actor_id: int | None,
                      cancel: bool = False, **changes: Any) -> dict:
    """The agenda mail of `vergadering` (its points and planned end as overleg.vergaderingen.agenda computes them)
    as it will be after `changes` (e.g. status, sequence, datum): the kwargs of queue_for_user. `cancel`: the meeting
    is called off (METHOD:CANCEL, no PDF)."""
    v = {**vergadering, **changes}
    v["status_label"] = VergaderingStatus.label_for(v["status"])
    v["datum_tekst"] = dates.long_date_with_day(v["datum"])
    url = ics.meeting_url(v["id"])
    organizer = parseaddr(get_settings().mail_from)[1] or "signaalwerk@localhost"
    invitation = ics.invitation_ics(v, punten, organizer=organizer, cancel=cancel)
    method = "CANCEL" if cancel else "REQUEST"
    files = [Attachment("uitnodiging.ics", "text/calendar", invitation)]
    if not cancel:
        files.insert(0, Attachment.later(f"agenda-{v['datum'].isoformat()}.pdf", "application/pdf",
                                         renderer="agenda_pdf", object_id=v["id"]))
    kind = "agenda_geannuleerd" if cancel else "agenda_gepubliceerd"
    context = {
        "afzender": v["overleg_naam"], "v": v, "einde": einde, "link": url, "method": method,
        "gewijzigd": bool(vergadering.get("gepubliceerd_op")) and not cancel,
        "punten": [{"start": p["start"], "titel": redacted(p["titel"]), "duur_minuten": p["duur_minuten"]}
                   for p in punten],
    }
    return {"kind": kind, "to": await ontvangers.members(v["gemeente"]), "context": context, "attachments": files,
            "object_type": "vergadering",
            "object_id": v["id"], "gemeente_id": v["gemeente"], "actor_id": actor_id}


async def verslag_mail(vergadering: dict, *, goedgekeurd: bool, actor_id: int | None,
                       pdf: bytes | None = None) -> dict:
    """The minutes of `vergadering` ready for approval, or approved (with their PDF when given)."""
    kind = "verslag_goedgekeurd" if goedgekeurd else "verslag_ter_goedkeuring"
    gemeente = vergadering.get("gemeente_id") or vergadering["gemeente"]
    files = [Attachment(f"verslag-{vergadering['datum'].isoformat()}.pdf", "application/pdf", pdf)] if pdf else []
    context = {"afzender": vergadering["overleg_naam"], "v": vergadering,
               "datum_tekst": dates.long_date_with_day(vergadering["datum"]),
               "link": ics.meeting_url(vergadering["id"]) + "/verslag"}
    return {"kind": kind, "to": await ontvangers.members(gemeente), "context": context,
            "attachments": files, "object_type": "verslag", "object_id": vergadering["id"],
            "gemeente_id": gemeente, "actor_id": actor_id}

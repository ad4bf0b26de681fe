"""What a meeting sends, through a real SMTP server: the agenda with its PDF and an .ics invitation (REQUEST, the
app's UID, SEQUENCE growing when the meeting moves, CANCEL when it is called off), the loop back to the worker whose
signals go on the agenda, and the minutes. No personal data of a young person in a mail body."""

from __future__ import annotations

import datetime as dt

import icalendar

from berichten import delivery
from berichten.tables import Bericht
from common.dates import today
from overleg.tables import Vergadering, Verslag
from overleg.vergaderingen import agenda
from tests.overleg.test_agenda import make_dossier, make_meeting, make_overleg
from tests.support import current_user, sync

PLANTED = "Bel Jonas Peeters op 0470 12 34 56"


def deliver(smtp_server, count: int):
    from app import mail_renderers

    sync(delivery.deliver_all(renderers=mail_renderers()))  # the agenda PDF is made here, not in the request
    return smtp_server.wait_for(count)


def by_recipient(messages) -> dict[str, list]:
    out: dict[str, list] = {}
    for message in messages:
        out.setdefault(str(message["To"]).split("<")[-1].rstrip(">").lower(), []).append(message)
    return out


def attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def bodies(message) -> str:
    return message.get_body(("plain",)).get_content() + message.get_body(("html",)).get_content()


def ics_of(message) -> icalendar.Calendar:
    data = attachments(message)["uitnodiging.ics"]
    return icalendar.Calendar.from_ical(data if isinstance(data, bytes | str) else bytes(data))


def published_meeting(world, werker, voorzitter, titel: str = "Geen plek om samen te zitten") -> dict:
    overleg = make_overleg(world)
    dossier = make_dossier(werker, titel, [3, 5])
    meeting = make_meeting(voorzitter, overleg)
    sync(agenda.add_dossier_punt(current_user(voorzitter), meeting["id"], dossier))
    response = voorzitter.post_form(f"/vergaderingen/{meeting['id']}/publiceren", follow_redirects=False)
    assert response.status_code == 303, response.text
    return meeting


def test_publishing_mails_every_member_the_agenda_pdf_and_an_ics_request(smtp_server, world, werker, voorzitter,
                                                                           partner):
    meeting = published_meeting(world, werker, voorzitter)
    messages = deliver(smtp_server, 3)
    agenda_mails = [m for m in messages if "Agenda" in str(m["Subject"])]
    assert sorted(by_recipient(agenda_mails)) == ["partner@example.org", "voorzitter@example.org"]
    for message in agenda_mails:
        files = attachments(message)
        assert files[f"agenda-{meeting['datum'].isoformat()}.pdf"][:5] == b"%PDF-"
        calendar = ics_of(message)
        assert calendar["METHOD"] == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        assert str(event["UID"]) == f"vergadering-{meeting['id']}@signaalwerk"
        assert int(event["SEQUENCE"]) == 2
        assert "Geen plek om samen te zitten" in bodies(message)
        assert message["List-Unsubscribe"] is None  # the overleg's invitation cannot be switched off
    # the worker whose signals went on the agenda hears it, with links to the signal pages
    (loop,) = by_recipient(messages)["werker@example.org"]
    assert "op de agenda" in bodies(loop) and "/signalen/" in bodies(loop)
    assert loop["List-Unsubscribe"].startswith("<http")


def test_moving_the_meeting_sends_the_same_uid_with_a_higher_sequence_and_calling_it_off_a_cancel(
        smtp_server, world, werker, voorzitter, partner):
    meeting = published_meeting(world, werker, voorzitter)
    first = ics_of(next(m for m in deliver(smtp_server, 3) if "partner@" in str(m["To"]) and "Agenda" in
                        str(m["Subject"]))).walk("VEVENT")[0]
    new_day = (today() + dt.timedelta(days=20)).isoformat()
    response = voorzitter.post_form(f"/vergaderingen/{meeting['id']}/verplaatsen",
                                    {"datum": new_day, "begin": "20:00", "plaats": "Het Jeugdhuis"},
                                    follow_redirects=False)
    assert response.status_code == 303
    moved_mail = [m for m in deliver(smtp_server, 5)[3:] if "partner@" in str(m["To"])]
    moved = ics_of(moved_mail[0]).walk("VEVENT")[0]
    assert str(moved["UID"]) == str(first["UID"])
    assert int(moved["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert moved["DTSTART"].dt.date().isoformat() == new_day and str(moved["LOCATION"]) == "Het Jeugdhuis"
    assert "Gewijzigde agenda" in str(moved_mail[0]["Subject"])

    assert voorzitter.post_form(f"/vergaderingen/{meeting['id']}/annuleren",
                                follow_redirects=False).status_code == 303
    cancel_mail = [m for m in deliver(smtp_server, 7)[5:] if "partner@" in str(m["To"])]
    calendar = ics_of(cancel_mail[0])
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == str(first["UID"]) and str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert not sync(Vergadering.exists().where(Vergadering.id == meeting["id"]))


def test_only_the_chair_moves_or_calls_off_a_meeting(world, werker, werker2, voorzitter, partner, anonymous):
    meeting = published_meeting(world, werker, voorzitter)
    data = {"datum": (today() + dt.timedelta(days=9)).isoformat(), "begin": "19:00", "plaats": "Zaal"}
    for persona in (werker, partner):
        assert persona.post_form(f"/vergaderingen/{meeting['id']}/verplaatsen", data).status_code == 403
        assert persona.post_form(f"/vergaderingen/{meeting['id']}/annuleren").status_code == 403
    assert werker2.post_form(f"/vergaderingen/{meeting['id']}/annuleren").status_code == 404
    assert anonymous.post_form(f"/vergaderingen/{meeting['id']}/annuleren",
                               follow_redirects=False).status_code in (302, 303, 401)
    bad = voorzitter.post_form(f"/vergaderingen/{meeting['id']}/verplaatsen", {**data, "datum": "morgen"})
    assert bad.status_code == 422 and "geldige datum" in bad.text
    assert sync(Vergadering.exists().where(Vergadering.id == meeting["id"]))


def test_a_planted_name_and_phone_never_reach_a_mail_body(smtp_server, world, werker, voorzitter, partner):
    from signalen.tables import Signaal
    from tests.support import make_signaal

    meeting = published_meeting(world, werker, voorzitter, titel=PLANTED)
    # a signal whose title the worker confirmed for the register still reaches no mail with it
    planted = make_signaal(werker, confirm=True, titel=PLANTED, citaten=["Jonas zegt: bel me op 0470 12 34 56"])
    dossier = sync(Signaal.select(Signaal.dossier).where(Signaal.dossier.is_not_null()).first())["dossier"]
    sync(Signaal.update({Signaal.dossier: dossier, Signaal.status: "gebundeld"}).where(
        Signaal.id == planted["id"]))
    sync(agenda.agendeer(current_user(voorzitter), sync(agenda.V.get_vergadering(current_user(voorzitter),
                                                                                  meeting["id"])), [dossier]))
    messages = deliver(smtp_server, 4)
    assert len(messages) == 4
    for message in messages:
        text = bodies(message) + str(message["Subject"])
        assert "0470 12 34 56" not in text and "Peeters" not in text and "Jonas" not in text
    assert sync(Bericht.count()) == len(messages)
    # the titles are there, redacted: in the agenda mails (the dossier) and in the worker's mail (the signal)
    assert sum("[telefoonnummer]" in bodies(m) for m in messages) == 3  # 2 agenda mails, the planted signal
    assert not any("weggestuurd" in bodies(m) or "zegt" in bodies(m) for m in messages)  # never a quote


def test_approving_the_minutes_mails_the_members_the_pdf(smtp_server, world, werker, voorzitter, partner):
    overleg = make_overleg(world)
    held = make_meeting(voorzitter, overleg, days_ahead=-20)
    later = make_meeting(voorzitter, overleg, days_ahead=-2)
    saved = voorzitter.post_form(f"/vergaderingen/{held['id']}/verslag/bewerken",
                                 {"inhoud": "We bespraken de bus.", "versie": "0"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    ready = deliver(smtp_server, 2)
    assert {str(m["Subject"]).split(":")[0] for m in ready} == {"Verslag ter goedkeuring"}
    approved = voorzitter.post_form(f"/vergaderingen/{held['id']}/verslag/goedkeuren",
                                    {"goedgekeurd_in": str(later["id"]), "versie": "1"}, follow_redirects=False)
    assert approved.status_code == 303, approved.text
    done = [m for m in deliver(smtp_server, 4)[2:]]
    assert sorted(by_recipient(done)) == ["partner@example.org", "voorzitter@example.org"]
    for message in done:
        assert attachments(message)[f"verslag-{held['datum'].isoformat()}.pdf"][:5] == b"%PDF-"
    assert sync(Verslag.select(Verslag.status).first())["status"] == "goedgekeurd"

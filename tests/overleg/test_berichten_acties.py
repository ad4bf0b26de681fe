"""Actions and answers chased by mail: an action assigned → its partner; 3 days before the deadline and when overdue
→ its partner, overdue → the chair; each reminder once. An overdue council answer → the chair once, then weekly."""

from __future__ import annotations

import datetime as dt

import time_machine

from berichten import delivery
from berichten.tables import Bericht
from common.dates import today
from overleg.acties import berichten as actie_berichten
from overleg.acties.services import create_actie
from overleg.notas import berichten as nota_berichten
from overleg.tables import Actie, Signaalnota
from tests.overleg.test_agenda import make_overleg
from tests.overleg.test_notas import fast_pdf, nota  # noqa: F401  (fixtures)
from tests.support import current_user, sync


def kinds(recipient: str) -> list[str]:
    return [r["kind"] for r in sync(Bericht.select(Bericht.kind).where(Bericht.to_email == recipient)
                                    .order_by(Bericht.id))]


def new_actie(voorzitter, world, deadline: dt.date | None, wat: str = "Zoek een lokaal voor de tieners") -> int:
    from overleg.tables import Partner

    overleg = make_overleg(world)
    caw = sync(Partner.select(Partner.id).where(Partner.overleg == overleg).first())["id"]
    row = sync(create_actie(current_user(voorzitter), overleg_id=overleg, agendapunt_id=None, dossier_id=None,
                            wat=wat, partner_id=caw, deadline=deadline.isoformat() if deadline else None,
                            lens="preventie", bevestig=True))  # confirmed for the overleg; a mail still redacts
    return row["id"]


def test_an_assigned_action_reaches_its_partner_by_mail(smtp_server, world, voorzitter, partner):
    new_actie(voorzitter, world, today() + dt.timedelta(days=30), wat="Bel Jonas Peeters op 0470 12 34 56")
    assert kinds("partner@example.org") == ["actie_toegewezen"]
    assert kinds("voorzitter@example.org") == []
    sync(delivery.deliver_all())
    (mail,) = smtp_server.wait_for(1)
    body = mail.get_body(("plain",)).get_content() + mail.get_body(("html",)).get_content()
    assert "CAW Boven-Schelde" in str(mail["Subject"]) and "0470 12 34 56" not in body and "Peeters" not in body
    assert "/meldingen/afmelden/" in body and mail["List-Unsubscribe"]


def test_reminders_go_once_before_the_deadline_and_once_when_overdue(world, voorzitter, partner):
    actie = new_actie(voorzitter, world, today() + dt.timedelta(days=3))
    assert sync(actie_berichten.herinneringen()) == 1
    assert sync(actie_berichten.herinneringen()) == 0  # the job runs every minute: still once
    assert kinds("partner@example.org") == ["actie_toegewezen", "actie_herinnering"]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=5)):
        assert sync(actie_berichten.herinneringen()) == 2  # the partner and the chair
        assert sync(actie_berichten.herinneringen()) == 0
    assert kinds("partner@example.org") == ["actie_toegewezen", "actie_herinnering", "actie_herinnering"]
    assert kinds("voorzitter@example.org") == ["actie_herinnering"]
    sync(Actie.update({Actie.status: "klaar"}).where(Actie.id == actie))
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=9)):
        assert sync(actie_berichten.herinneringen()) == 0  # done: no more reminders


def test_an_action_far_from_its_deadline_or_without_one_is_not_chased(world, voorzitter, partner):
    new_actie(voorzitter, world, today() + dt.timedelta(days=10))
    assert sync(actie_berichten.herinneringen()) == 0


def test_an_overdue_answer_reaches_the_chair_once_then_weekly(personas, nota):  # noqa: F811
    assert personas["voorzitter"].post_form(f"/notas/{nota['id']}/versturen").status_code == 200
    sync(Signaalnota.update({Signaalnota.antwoord_gevraagd_tegen: today() - dt.timedelta(days=1)}).where(
        Signaalnota.id == nota["id"]))
    assert sync(nota_berichten.antwoord_te_laat()) == 1
    assert sync(nota_berichten.antwoord_te_laat()) == 0
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=3)):
        assert sync(nota_berichten.antwoord_te_laat()) == 0  # not before a week
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=7)):
        assert sync(nota_berichten.antwoord_te_laat()) == 1
        assert sync(nota_berichten.antwoord_te_laat()) == 0
    assert kinds("voorzitter@example.org").count("antwoord_te_laat") == 2
    assert "antwoord_te_laat" not in kinds("partner@example.org")

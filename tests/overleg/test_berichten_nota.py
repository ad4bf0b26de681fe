"""A sent nota reaches the council for real, and the council answers through its secret link without an account:
the frozen PDF byte for byte, the delivery state on the nota page, the link's 404/410/429, the answer moving the
signals and reaching the worker (unless they switched it off) and the chair."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine

from admin.tables import Gemeente
from berichten import delivery
from berichten.tables import Bericht, BerichtStatus
from berichten.voorkeuren import set_keuze
from common.dates import today
from overleg.notas import antwoord_links
from overleg.tables import Antwoord, AntwoordLink, Signaalnota
from tests.overleg.test_notas import TINY_PDF, fast_pdf, nota, statuses, stored  # noqa: F401  (fixtures)
from tests.support import sync

COLLEGE = "college@mechelen.example.be"


@pytest.fixture
def addresses(world):
    sync(Gemeente.update({Gemeente.college_email: COLLEGE, Gemeente.ocmw_raad_email: "ocmw@mechelen.example.be"}
                         ).where(Gemeente.id == world.gemeenten["mechelen"]))


def deliver(smtp_server, count: int):
    sync(delivery.deliver_all())
    return smtp_server.wait_for(count)


def to(messages, address: str) -> list:
    return [m for m in messages if address in str(m["To"])]


def send(chair, nota_id: int):
    response = chair.post_form(f"/notas/{nota_id}/versturen", follow_redirects=False)
    assert response.status_code == 303, response.text
    return response


def link_of(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://[^\s]+/antwoord/([A-Za-z0-9_-]+)", text).group(1)


def test_sending_mails_the_frozen_pdf_byte_for_byte_to_the_college(smtp_server, personas, nota, addresses):  # noqa: F811
    chair = personas["voorzitter"]
    confirm = chair.get(f"/notas/{nota['id']}/versturen")
    assert confirm.status_code == 200 and COLLEGE in confirm.text and "Ja, versturen" in confirm.text
    assert sync(Signaalnota.select(Signaalnota.status).first())["status"] == "concept"  # a GET changes nothing
    page = chair.client.get(send(chair, nota["id"]).headers["location"])
    assert "wachtrij" in page.text and "De nota is verstuurd." not in page.text
    (row,) = sync(Bericht.select().where(Bericht.kind == "nota_verstuurd"))
    assert row["status"] == BerichtStatus.wachtrij and row["to_email"] == COLLEGE
    (mail,) = to(deliver(smtp_server, 1), COLLEGE)
    (attachment,) = list(mail.iter_attachments())
    data = attachment.get_content()
    saved = stored(nota["id"])
    assert data == bytes(saved["pdf"]) == TINY_PDF
    assert hashlib.sha256(data).hexdigest() == saved["pdf_sha256"]
    assert mail["List-Unsubscribe"] is None
    page = chair.get(f"/notas/{nota['id']}")
    assert "Verstuurd" in page.text and row["message_id"].strip("<>") in page.text and COLLEGE in page.text


def test_a_refused_mail_shows_why_and_can_be_sent_again(smtp_server, personas, nota, addresses):  # noqa: F811
    chair = personas["voorzitter"]
    smtp_server.reply = "550 5.1.1 Onbekende bestemmeling"
    send(chair, nota["id"])
    sync(delivery.deliver_all())
    page = chair.get(f"/notas/{nota['id']}")
    assert "Mislukt" in page.text and "550 5.1.1 Onbekende bestemmeling" in page.text
    assert personas["partner"].post_form(f"/notas/{nota['id']}/opnieuw-versturen").status_code == 403
    smtp_server.reply = None
    assert chair.post_form(f"/notas/{nota['id']}/opnieuw-versturen", follow_redirects=False).status_code == 303
    assert len(to(deliver(smtp_server, 1), COLLEGE)) == 1
    assert sync(Bericht.select(Bericht.status).where(Bericht.kind == "nota_verstuurd").first())["status"] == \
        BerichtStatus.verstuurd


def test_the_council_answers_through_the_link_without_logging_in(smtp_server, personas, nota, addresses):  # noqa: F811
    chair, anonymous = personas["voorzitter"], personas["anonymous"]
    send(chair, nota["id"])
    token = link_of(to(deliver(smtp_server, 2), COLLEGE)[0])
    assert sync(AntwoordLink.select(AntwoordLink.token_hash).first())["token_hash"] == \
        hashlib.sha256(token.encode()).hexdigest()  # only the hash is stored
    page = anonymous.get(f"/antwoord/{token}")
    assert page.status_code == 200 and "Een plek voor tieners" in page.text and nota["referentie"] in page.text
    assert anonymous.get(f"/antwoord/{token}/nota.pdf").content == TINY_PDF
    # no session, no CSRF cookie: the link is the capability
    fresh = anonymous.client.__class__(anonymous.client.app, raise_server_exceptions=False)
    with fresh:
        done = fresh.post(f"/antwoord/{token}", data={"datum": today().isoformat(), "beslissing": "akkoord",
                                                       "samenvatting": "Het college maakt het plein vrij."})
    assert done.status_code == 200 and "geregistreerd" in done.text
    assert sync(Antwoord.select(Antwoord.beslissing, Antwoord.geregistreerd_door).first()) == {
        "beslissing": "akkoord", "geregistreerd_door": None}
    assert statuses(nota["signalen"]) == {"beantwoord"}
    messages = deliver(smtp_server, 4)
    assert any("Antwoord op signaalnota" in str(m["Subject"]) for m in to(messages, "voorzitter@"))
    worker = [m for m in to(messages, "werker@") if "beleid" in m.get_body(("plain",)).get_content()]
    assert any("antwoord" in m.get_body(("plain",)).get_content() for m in worker)
    # used: 410 with a Dutch page, nothing changes
    again = anonymous.client.post(f"/antwoord/{token}", data={"datum": today().isoformat(),
                                                              "beslissing": "afgewezen"})
    assert again.status_code == 410 and "werkt niet meer" in again.text
    assert anonymous.get(f"/antwoord/{token}").status_code == 410
    assert sync(Antwoord.select(Antwoord.beslissing).first())["beslissing"] == "akkoord"


def test_the_worker_who_switched_it_off_gets_no_mail_about_the_answer(smtp_server, personas, nota, world,  # noqa: F811
                                                                      addresses):
    sync(set_keuze(world.users["werker"], "signaal_opgevolgd", "nooit"))
    chair = personas["voorzitter"]
    send(chair, nota["id"])
    token = link_of(to(deliver(smtp_server, 1), COLLEGE)[0])
    personas["anonymous"].client.post(f"/antwoord/{token}", data={"datum": today().isoformat(),
                                                                  "beslissing": "deels"})
    assert statuses(nota["signalen"]) == {"beantwoord"}
    assert to(deliver(smtp_server, 2), "werker@") == []


def test_bad_input_through_the_link_changes_nothing(smtp_server, personas, nota, addresses):  # noqa: F811
    anonymous = personas["anonymous"]
    send(personas["voorzitter"], nota["id"])
    token = link_of(to(deliver(smtp_server, 1), COLLEGE)[0])
    unknown = anonymous.get("/antwoord/dit-is-geen-echte-link")
    assert unknown.status_code == 404 and "bestaat niet" in unknown.text
    assert anonymous.get("/antwoord/" + "x" * 300).status_code == 404
    wrong = anonymous.client.post(f"/antwoord/{token}", data={"datum": today().isoformat(), "beslissing": "ja"})
    assert wrong.status_code == 422 and "Kies akkoord, deels, afgewezen of niet bevoegd." in wrong.text
    not_pdf = anonymous.client.post(f"/antwoord/{token}", data={"datum": today().isoformat(),
                                                                 "beslissing": "akkoord"},
                                    files={"document": ("besluit.pdf", b"<html>geen pdf</html>", "application/pdf")})
    assert not_pdf.status_code == 422
    no_date = anonymous.client.post(f"/antwoord/{token}", data={"datum": "gisteren", "beslissing": "akkoord"})
    assert no_date.status_code == 422 and "geldige datum" in no_date.text
    assert sync(Antwoord.count()) == 0 and statuses(nota["signalen"]) == {"gesignaleerd"}
    for _ in range(antwoord_links.MAX_POSTS - 3):
        anonymous.client.post(f"/antwoord/{token}", data={"beslissing": "x"})
    limited = anonymous.client.post(f"/antwoord/{token}", data={"datum": today().isoformat(),
                                                                 "beslissing": "akkoord"})
    assert limited.status_code == 429 and "Te veel pogingen" in limited.text
    assert sync(Antwoord.count()) == 0


def test_the_link_expires_after_90_days_and_the_chair_can_revoke_it(smtp_server, personas, nota, addresses):  # noqa: F811
    chair, anonymous = personas["voorzitter"], personas["anonymous"]
    send(chair, nota["id"])
    token = link_of(to(deliver(smtp_server, 1), COLLEGE)[0])
    with time_machine.travel(dt.datetime.now(dt.UTC) + antwoord_links.LIFETIME + dt.timedelta(minutes=1)):
        assert anonymous.get(f"/antwoord/{token}").status_code == 410
    assert anonymous.get(f"/antwoord/{token}").status_code == 200
    assert personas["partner"].post_form(f"/notas/{nota['id']}/antwoordlink/intrekken").status_code == 403
    assert personas["werker2"].post_form(f"/notas/{nota['id']}/antwoordlink/intrekken").status_code == 404
    assert chair.post_form(f"/notas/{nota['id']}/antwoordlink/intrekken", follow_redirects=False).status_code == 303
    gone = anonymous.get(f"/antwoord/{token}")
    assert gone.status_code == 410 and "ingetrokken" in gone.text


def test_the_confirmation_page_per_persona(personas, nota):  # noqa: F811
    path = f"/notas/{nota['id']}/versturen"
    assert personas["voorzitter"].get(path).status_code == 200
    assert "geen e-mailadres" in personas["voorzitter"].get(path).text  # no address yet: said before sending
    assert personas["partner"].get(path).status_code in (403, 404)
    assert personas["werker"].get(path).status_code in (403, 404)
    assert personas["werker2"].get(path).status_code == 404
    assert personas["anonymous"].get(path, follow_redirects=False).status_code in (302, 303, 401)
    assert personas["beheerder"].get(path).status_code in (403, 404)


def test_sending_without_an_address_freezes_the_nota_and_queues_nothing(personas, nota):  # noqa: F811
    send(personas["voorzitter"], nota["id"])
    assert stored(nota["id"])["status"] == "verstuurd"
    assert sync(Bericht.count().where(Bericht.kind == "nota_verstuurd")) == 0
    assert "geen e-mailadres" in personas["voorzitter"].get(f"/notas/{nota['id']}").text


def test_cr_lf_in_the_council_name_cannot_inject_headers(smtp_server, personas, nota, world):  # noqa: F811
    sync(Gemeente.update({Gemeente.college_email: "college@mechelen.example.be\r\nBcc: x@evil.example"}).where(
        Gemeente.id == world.gemeenten["mechelen"]))
    response = personas["voorzitter"].post_form(f"/notas/{nota['id']}/versturen", follow_redirects=False)
    assert response.status_code == 303 and stored(nota["id"])["status"] == "verstuurd"
    assert sync(Bericht.count().where(Bericht.kind == "nota_verstuurd")) == 0  # a broken address is no address
    sync(delivery.deliver_all())
    assert all("evil" not in str(m) and "college@" not in str(m["To"]) for m in smtp_server.messages)

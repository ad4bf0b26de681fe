"""/beheer/berichten: the beheerder reads every mail (embedded mode), sees failures and sends a failed one again."""

from __future__ import annotations

import pytest

from berichten.outbox import Attachment, Recipient, queue
from berichten.tables import Bericht, BerichtStatus
from tests.support import sync

PAYLOAD = '<p>Agenda</p><script>alert(1)</script><img src="https://tracker.example/p.gif" onerror="alert(2)">' \
          '<a href="javascript:alert(3)">klik</a>'


def _one(**extra) -> int:
    values = {"kind": "agenda_gepubliceerd", "to": [Recipient("tom@caw.example", "Tom <b>Peeters</b>")],
              "subject": "Agenda <i>oktober</i>", "text": "Zie https://signaalwerk.example/vergaderingen/3",
              "html": PAYLOAD, "attachments": [Attachment("agenda.pdf", "application/pdf", b"%PDF-1.7 x")], **extra}
    return sync(queue(**values))[0]


def test_the_list_shows_recipient_subject_and_that_nothing_is_sent_without_smtp(beheerder):
    _one()
    page = beheerder.get("/beheer/berichten")
    assert page.status_code == 200
    assert "tom@caw.example" in page.text and "Agenda &lt;i&gt;oktober&lt;/i&gt;" in page.text
    assert "Niet verstuurd: geen SMTP_URL" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_the_detail_shows_text_links_attachments_and_html_that_cannot_run(beheerder):
    bericht_id = _one()
    page = beheerder.get(f"/beheer/berichten/{bericht_id}")
    assert page.status_code == 200
    assert '<a href="https://signaalwerk.example/vergaderingen/3"' in page.text
    assert "agenda.pdf" in page.text and "application/pdf" in page.text
    assert "<script>alert(1)</script>" not in page.text and "onerror" not in page.text
    assert "javascript:" not in page.text and "tracker.example" not in page.text
    assert "Tom &lt;b&gt;Peeters&lt;/b&gt;" in page.text


def test_a_failed_message_can_be_sent_again_with_its_message_id(beheerder, smtp_server):
    from berichten.delivery import deliver_due

    bericht_id = _one()
    smtp_server.reply = "554 5.7.1 Geweigerd"
    sync(deliver_due())
    page = beheerder.get(f"/beheer/berichten/{bericht_id}")
    assert "554 5.7.1 Geweigerd" in page.text and "Opnieuw versturen" in page.text
    smtp_server.reply = None
    answer = beheerder.post_form(f"/beheer/berichten/{bericht_id}/opnieuw", follow_redirects=False)
    assert answer.status_code == 303
    assert sync(deliver_due()) == 1
    (message,) = smtp_server.wait_for(1)
    row = sync(Bericht.select().where(Bericht.id == bericht_id).first())
    assert row["status"] == BerichtStatus.verstuurd and message["Message-ID"] == row["message_id"]


def test_only_a_failed_message_can_be_sent_again(beheerder):
    bericht_id = _one()
    answer = beheerder.post_form(f"/beheer/berichten/{bericht_id}/opnieuw", follow_redirects=False)
    assert answer.status_code == 303
    assert sync(Bericht.select(Bericht.attempts, Bericht.status).first()) == {"attempts": 0, "status": "wachtrij"}


@pytest.mark.parametrize("bad", ["999999", "0", "-1", "abc", "1.5", "99999999999"])
def test_an_unknown_or_odd_id_is_404(beheerder, bad):
    assert beheerder.get(f"/beheer/berichten/{bad}").status_code == 404
    assert beheerder.post_form(f"/beheer/berichten/{bad}/opnieuw").status_code == 404


@pytest.mark.parametrize("name", ["werker", "werker2", "voorzitter", "partner", "coordinator"])
def test_nobody_but_the_beheerder_reads_or_resends_a_mail(personas, name):
    bericht_id = _one()
    persona = personas[name]
    assert persona.get(f"/beheer/berichten/{bericht_id}").status_code == 403
    assert persona.post_form(f"/beheer/berichten/{bericht_id}/opnieuw").status_code == 403


def test_the_status_filter_and_odd_query_values(beheerder):
    _one()
    assert "tom@caw.example" in beheerder.get("/beheer/berichten?status=wachtrij").text
    assert "tom@caw.example" not in beheerder.get("/beheer/berichten?status=verstuurd").text
    for query in ("status=%27%20OR%201%3D1", "pagina=-5", "pagina=abc", "pagina=99999999999"):
        assert beheerder.get(f"/beheer/berichten?{query}").status_code == 200

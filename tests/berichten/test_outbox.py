"""queue() and deliver_due() against a real SMTP server: what arrives is what was queued, once."""

from __future__ import annotations

import hashlib

import pytest

from berichten.delivery import deliver_due
from berichten.outbox import Attachment, Recipient, queue
from berichten.tables import Bericht, BerichtStatus
from tests.support import sync

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 400 + b"\n%%EOF"


def _queue(**overrides):
    values = {
        "kind": "agenda_gepubliceerd",
        "to": [Recipient("Partner@Example.org", "Tom Peeters", 7), Recipient("chair@example.org", "Griet")],
        "subject": "Agenda van het jeugdwelzijnsoverleg",
        "text": "Dag,\n\nDe agenda staat klaar.\n",
        "html": "<p>De agenda staat <strong>klaar</strong>.</p>",
        "attachments": [Attachment("agenda.pdf", "application/pdf", PDF)],
        "object_type": "vergadering",
        "object_id": 12,
        "gemeente_id": 3,
        **overrides,
    }
    return sync(queue(**values))


def test_it_delivers_one_message_per_recipient_with_text_html_and_the_attachment(smtp_server):
    ids = _queue()
    assert len(ids) == 2
    assert sync(deliver_due()) == 2
    messages = smtp_server.wait_for(2)
    assert [envelope[1] for envelope in smtp_server.envelopes] == [["partner@example.org"], ["chair@example.org"]]
    first = messages[0]
    assert first["To"] == "Tom Peeters <partner@example.org>"
    assert first["Subject"] == "Agenda van het jeugdwelzijnsoverleg"
    assert first["From"] == "Signaalwerk <signaalwerk@localhost>"
    assert first.get_body(("plain",)).get_content() == "Dag,\n\nDe agenda staat klaar.\n"
    assert "<strong>klaar</strong>" in first.get_body(("html",)).get_content()
    (attachment,) = list(first.iter_attachments())
    assert attachment.get_filename() == "agenda.pdf"
    assert attachment.get_content_type() == "application/pdf"
    data = attachment.get_content()
    assert data == PDF and hashlib.sha256(data).hexdigest() == hashlib.sha256(PDF).hexdigest()
    rows = sync(Bericht.select().where(Bericht.id.is_in(ids)).order_by(Bericht.id))
    assert [row["status"] for row in rows] == [BerichtStatus.verstuurd, BerichtStatus.verstuurd]
    assert [m["Message-ID"] for m in messages] == [row["message_id"] for row in rows]
    assert len({row["message_id"] for row in rows}) == 2


def test_delivered_mail_is_in_the_audit_trail_without_its_body(smtp_server):
    from audit.tables import Audit

    _queue(to=[Recipient("partner@example.org", "Tom", 7)])
    sync(deliver_due())
    rows = sync(Audit.select().where(Audit.actie == "mail_verstuurd"))
    assert len(rows) == 1
    row = rows[0]
    assert (row["gebruiker"], row["object_type"], row["object_id"], row["uitkomst"]) == (
        7, "vergadering", "12", "agenda_gepubliceerd")
    assert "agenda" not in " ".join(str(value) for key, value in row.items() if key != "uitkomst").lower()


def test_a_second_delivery_sends_nothing_again(smtp_server):
    _queue()
    assert sync(deliver_due()) == 2
    assert sync(deliver_due()) == 0
    assert len(smtp_server.wait_for(2)) == 2


@pytest.mark.parametrize("field", ["subject", "name"])
def test_cr_lf_in_subject_or_name_cannot_add_a_header(smtp_server, field):
    attack = "Hallo\r\nBcc: victim@example.org\r\nX-Evil: 1"
    if field == "subject":
        _queue(subject=attack, to=[Recipient("partner@example.org", "Tom")])
    else:
        _queue(to=[Recipient("partner@example.org", attack)])
    sync(deliver_due())
    (message,) = smtp_server.wait_for(1)
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert smtp_server.envelopes[0][1] == ["partner@example.org"]
    assert "Bcc: victim@example.org" in (message["Subject"] if field == "subject" else message["To"])


@pytest.mark.parametrize("address", ["a@example.org\r\nBcc: b@example.org", "a@example.org, b@example.org",
                                     "Naam <a@example.org>", "geen-adres", "a@b@example.org", "", "a@localhost"])
def test_a_bad_address_is_refused_and_nothing_is_queued(address):
    with pytest.raises(ValueError):
        _queue(to=[Recipient("ok@example.org"), Recipient(address)])
    assert sync(Bericht.count()) == 0


def test_a_header_that_would_override_ours_is_refused():
    with pytest.raises(ValueError):
        _queue(headers={"Bcc": "x@example.org"})
    with pytest.raises(ValueError):
        _queue(headers={"X-Bad\r\nBcc": "x"})
    assert sync(Bericht.count()) == 0


def test_extra_headers_arrive_single_line(smtp_server):
    _queue(to=[Recipient("partner@example.org")],
           headers={"List-Unsubscribe": "<https://signaalwerk.example/uit/abc>\r\nBcc: x@example.org"})
    sync(deliver_due())
    (message,) = smtp_server.wait_for(1)
    assert message["List-Unsubscribe"].startswith("<https://signaalwerk.example/uit/abc>")
    assert message["Bcc"] is None


def test_queue_joins_the_callers_transaction_and_a_rollback_leaves_no_message():
    from berichten.tables import Bericht as Table

    async def failing_change():
        async with Table._meta.db.transaction():
            await queue(kind="uitnodiging", to=[Recipient("x@example.org")], subject="S", text="T")
            raise RuntimeError("the change that caused it failed")

    with pytest.raises(RuntimeError):
        sync(failing_change())
    assert sync(Bericht.count()) == 0


def test_without_smtp_url_nothing_is_sent_and_the_rows_wait():
    _queue()
    assert sync(deliver_due()) == 0
    statuses = {row["status"] for row in sync(Bericht.select(Bericht.status))}
    assert statuses == {BerichtStatus.wachtrij}

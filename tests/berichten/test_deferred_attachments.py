"""Deferred attachments: publishing an agenda queues its PDF as a render request (nothing rendered in the chair's
request); the delivery renders it once for every recipient of that queue() call, stores the bytes once, and sends
the file a partner downloads; a renderer that fails is retried with back-off, the reason on the row."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from berichten import delivery
from berichten.outbox import Attachment, Recipient, queue
from berichten.tables import Bericht, BerichtBijlage, BerichtStatus
from tests.overleg.test_agenda import make_dossier, make_meeting, make_overleg
from tests.support import current_user, sync


def _meta(row: dict) -> list[dict]:
    value = row["attachments"]
    return json.loads(value) if isinstance(value, str) else value


def _rows() -> list[dict]:
    return sync(Bericht.select().order_by(Bericht.id))


def _counting(calls: list[int], data: bytes = b"%PDF-1.7 fake"):
    async def render(object_id: int) -> bytes:
        calls.append(object_id)
        return data

    return render


def _queue_later(count: int, object_id: int = 7) -> Attachment:
    later = Attachment.later("agenda.pdf", "application/pdf", renderer="agenda_pdf", object_id=object_id)
    recipients = [Recipient(f"p{i}@example.org", f"Partner {i}") for i in range(count)]
    sync(queue(kind="agenda_gepubliceerd", to=recipients, subject="Agenda", text="De agenda.",
               attachments=[later, Attachment("uitnodiging.ics", "text/calendar", b"BEGIN:VCALENDAR")],
               object_type="vergadering", object_id=object_id))
    return later


def test_a_deferred_attachment_is_queued_without_bytes_and_the_ics_at_once():
    _queue_later(3)
    rows = _rows()
    assert len(rows) == 3
    for row in rows:
        pdf, ics = _meta(row)
        assert pdf["bijlage"] is None and pdf["later"]["renderer"] == "agenda_pdf" and pdf["later"]["object_id"] == 7
        assert ics["bijlage"] is not None and ics["size"] == len(b"BEGIN:VCALENDAR")
    assert sync(BerichtBijlage.count()) == 1  # only the .ics


def test_a_bad_render_request_is_refused_before_writing():
    for bad in (Attachment("a.pdf", "application/pdf", renderer="Agenda PDF!", object_id=1, token="ab" * 8),
                Attachment("a.pdf", "application/pdf", renderer="agenda_pdf", object_id=None, token="ab" * 8)):
        with pytest.raises(ValueError):
            sync(queue(kind="agenda_gepubliceerd", to=[Recipient("a@example.org")], subject="x", text="x",
                       attachments=[bad]))
    assert sync(Bericht.count()) == 0


def test_twenty_recipients_cost_one_render_and_one_stored_file(smtp_server):
    _queue_later(20)
    calls: list[int] = []
    assert sync(delivery.deliver_all(renderers={"agenda_pdf": _counting(calls)})) == 20
    assert calls == [7]
    messages = smtp_server.wait_for(20)
    for message in messages:
        files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
        assert files["agenda.pdf"] == b"%PDF-1.7 fake" and "uitnodiging.ics" in files
    assert sync(BerichtBijlage.count()) == 2  # the .ics and the PDF, each once
    ids = {_meta(row)[0]["bijlage"] for row in _rows()}
    assert len(ids) == 1 and None not in ids
    assert all(_meta(row)[0]["size"] == len(b"%PDF-1.7 fake") for row in _rows())


def test_rows_of_a_later_batch_reuse_the_stored_file(smtp_server, monkeypatch):
    monkeypatch.setattr(delivery, "BATCH", 5)
    _queue_later(12)
    calls: list[int] = []
    assert sync(delivery.deliver_all(renderers={"agenda_pdf": _counting(calls)})) == 12
    assert calls == [7] and sync(BerichtBijlage.count()) == 2


def test_a_failing_renderer_is_retried_with_back_off_and_its_reason_recorded(smtp_server):
    _queue_later(3)
    calls: list[int] = []

    async def broken(object_id: int) -> bytes:
        calls.append(object_id)
        raise RuntimeError("de PDF-werker is gestopt")

    assert sync(delivery.deliver_due(renderers={"agenda_pdf": broken})) == 0
    assert calls == [7]  # one try for the three rows of the batch
    for row in _rows():
        assert row["status"] == BerichtStatus.wachtrij and row["attempts"] == 1
        assert "kon niet gemaakt worden" in row["last_error"] and "de PDF-werker is gestopt" in row["last_error"]
        assert delivery._aware(row["next_attempt_at"]) > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)
    assert smtp_server.messages == []
    with time_machine.travel(dt.datetime.now(dt.UTC) + delivery.backoff(1) + dt.timedelta(seconds=1)):
        assert sync(delivery.deliver_due(renderers={"agenda_pdf": _counting(calls)})) == 3
    assert calls == [7, 7]
    assert all(row["status"] == BerichtStatus.verstuurd and row["last_error"] == "" for row in _rows())


def test_without_the_renderer_the_row_waits_and_says_why(smtp_server):
    _queue_later(1)
    assert sync(delivery.deliver_due()) == 0
    (row,) = _rows()
    assert row["status"] == BerichtStatus.wachtrij and "geen maker" in row["last_error"]


def test_an_object_gone_meanwhile_fails_the_row_at_once(smtp_server):
    _queue_later(2)

    async def gone(object_id: int) -> bytes:
        raise LookupError(f"vergadering {object_id} bestaat niet meer")

    assert sync(delivery.deliver_due(renderers={"agenda_pdf": gone})) == 0
    for row in _rows():
        assert row["status"] == BerichtStatus.mislukt and "bestaat niet meer" in row["last_error"]


# ----------------------------------------------------------------------------- the agenda, end to end

def _published(world, werker, voorzitter) -> dict:
    from overleg.vergaderingen import agenda

    overleg = make_overleg(world)
    dossier = make_dossier(werker, "Geen plek om samen te zitten", [3, 5])
    meeting = make_meeting(voorzitter, overleg)
    sync(agenda.add_dossier_punt(current_user(voorzitter), meeting["id"], dossier))
    response = voorzitter.post_form(f"/vergaderingen/{meeting['id']}/publiceren", follow_redirects=False)
    assert response.status_code == 303, response.text
    return meeting


def test_publishing_renders_no_pdf_in_the_request_and_delivery_sends_the_partners_pdf(
        smtp_server, monkeypatch, world, werker, voorzitter, partner, beheerder):
    from app import mail_renderers
    from common import pdf
    from overleg.vergaderingen import agenda

    renders: list[str] = []
    real = pdf.render_template_pdf

    async def counted(template, *args, **kwargs):
        renders.append(template)
        return await real(template, *args, **kwargs)

    monkeypatch.setattr(agenda, "render_template_pdf", counted)
    meeting = _published(world, werker, voorzitter)
    assert renders == []  # the chair's request rendered nothing
    agenda_rows = [row for row in _rows() if row["kind"] == "agenda_gepubliceerd"]
    assert sorted(row["to_email"] for row in agenda_rows) == ["partner@example.org", "voorzitter@example.org"]
    for row in agenda_rows:
        assert _meta(row)[0]["bijlage"] is None and _meta(row)[0]["later"]["renderer"] == "agenda_pdf"
    detail = beheerder.get(f"/beheer/berichten/{agenda_rows[0]['id']}")
    assert detail.status_code == 200 and "wordt bij verzending gemaakt" in detail.text

    sync(delivery.deliver_all(renderers=mail_renderers()))
    assert renders == ["pdf/agenda.html"]  # once for both members
    messages = [m for m in smtp_server.wait_for(3) if "Agenda" in str(m["Subject"])]
    assert len(messages) == 2
    name = f"agenda-{meeting['datum'].isoformat()}.pdf"
    sent = [{p.get_filename(): p.get_content() for p in m.iter_attachments()}[name] for m in messages]
    assert sent[0] == sent[1] and sent[0][:5] == b"%PDF-"
    download = partner.get(f"/vergaderingen/{meeting['id']}/agenda.pdf")
    assert download.status_code == 200
    assert sent[0] == download.content  # byte for byte what the partner downloads
    detail = beheerder.get(f"/beheer/berichten/{agenda_rows[0]['id']}")
    assert "wordt bij verzending gemaakt" not in detail.text and "SHA-256" in detail.text

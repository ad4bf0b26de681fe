"""Old mail is forgotten after KEEP: sent and failed rows and the attachment bytes only they used; what still waits,
what is younger, and an attachment a kept row shares are not touched. Once a day, whoever runs the job."""

from __future__ import annotations

import datetime as dt

import app
from berichten import opruimen
from berichten.outbox import Attachment, Recipient, queue
from berichten.tables import Bericht, BerichtBijlage, BerichtStatus
from berichten.voorkeur_tables import Uitgesteld
from common import dates
from tests.support import sync

PDF = b"%PDF-1.7\n" + b"x" * 1000 + b"\n%%EOF"


def _queue(n: int = 1, attachment: bool = True) -> list[int]:
    return sync(queue(kind="agenda_gepubliceerd", to=[Recipient(f"p{i}@example.org", f"Partner {i}") for i in range(n)],
                      subject="Agenda", text="De agenda staat klaar.",
                      attachments=[Attachment("agenda.pdf", "application/pdf", PDF)] if attachment else []))


def _age(ids: list[int], days: int, status: BerichtStatus) -> None:
    sync(Bericht.update({Bericht.created_at: dates.now() - dt.timedelta(days=days), Bericht.status: status.value})
         .where(Bericht.id.is_in(ids)))


def _left(ids: list[int]) -> set[int]:
    return {row["id"] for row in sync(Bericht.select(Bericht.id).where(Bericht.id.is_in(ids)))}


def test_old_sent_and_failed_mail_goes_with_its_attachment():
    sent, failed = _queue(), _queue()
    _age(sent, 91, BerichtStatus.verstuurd)
    _age(failed, 200, BerichtStatus.mislukt)
    before = sync(BerichtBijlage.count())

    result = sync(opruimen.forget_old_mail())

    assert result["berichten"] == 2 and result["bijlagen"] == 2
    assert _left(sent + failed) == set()
    assert sync(BerichtBijlage.count()) == before - 2


def test_young_mail_waiting_mail_and_a_shared_attachment_stay():
    young = _queue()
    _age(young, 89, BerichtStatus.verstuurd)
    waiting = _queue()
    _age(waiting, 400, BerichtStatus.wachtrij)  # the server has been down that long: still to be sent
    shared = _queue(n=2)  # one attachment row for both recipients
    _age(shared[:1], 120, BerichtStatus.verstuurd)
    _age(shared[1:], 120, BerichtStatus.wachtrij)

    result = sync(opruimen.forget_old_mail())

    assert result == {"berichten": 1, "bijlagen": 0, "uitgesteld": 0}
    assert _left(young + waiting + shared) == set(young + waiting + shared[1:])
    kept = sync(Bericht.select(Bericht.attachments).where(Bericht.id == shared[1]))[0]["attachments"]
    assert sync(BerichtBijlage.exists().where(BerichtBijlage.id == opruimen._bijlagen(kept).pop()))


def test_bundled_digest_holdings_go_after_keep_and_unbundled_ones_stay():
    now = dates.now()
    rows = [Uitgesteld(user_id=1, email="a@example.org", kind="x", subject="s", text="t", aangemaakt_op=now,
                       gebundeld_op=moment) for moment in (now - dt.timedelta(days=100), now, None)]
    sync(Uitgesteld.insert(*rows))
    assert sync(opruimen.forget_old_mail())["uitgesteld"] == 1
    assert sync(Uitgesteld.count()) == 2


def test_the_job_runs_once_a_day_and_mail_without_attachments_is_fine():
    ids = _queue(attachment=False)
    _age(ids, 365, BerichtStatus.verstuurd)
    assert sync(opruimen.dagelijks_opruimen()) == {"berichten": 1, "bijlagen": 0, "uitgesteld": 0}
    again = _queue(attachment=False)
    _age(again, 365, BerichtStatus.verstuurd)
    assert sync(opruimen.dagelijks_opruimen()) is None  # the day is taken: tomorrow's run takes it
    assert _left(again) == set(again)


def test_the_delivery_loop_runs_the_job():
    assert opruimen.dagelijks_opruimen in app.mail_jobs()

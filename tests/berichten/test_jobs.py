"""The delivery loop runs the overleg's jobs: app.py hands them to berichten.delivery.run_loop (and manage.py
berichten), so the reminders, the overdue answers and the daily digest actually run."""

from __future__ import annotations

import app
from admin import opruimen as account_opruimen
from berichten import delivery, digest, opruimen
from overleg.acties import berichten as actie_berichten
from overleg.notas import berichten as nota_berichten
from signalen import embeddings
from tests.support import sync


def test_the_app_hands_the_reminder_answer_and_digest_jobs_to_the_loop():
    assert app.mail_jobs() == [actie_berichten.herinneringen, nota_berichten.antwoord_te_laat,
                               digest.dagelijks_overzicht, opruimen.dagelijks_opruimen,
                               account_opruimen.dagelijks_opruimen, embeddings.bijwerken]


def test_run_once_runs_every_job_under_the_lease(monkeypatch):
    ran = []

    async def job():
        ran.append(1)

    sync(delivery.run_once([job, job]))
    assert ran == [1, 1]

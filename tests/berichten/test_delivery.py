"""Delivery that loses nothing and sends nothing twice: SMTP down, 4xx, 5xx, a killed deliverer, two deliverers."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import time_machine

from berichten import delivery
from berichten.delivery import acquire_lease, deliver_due, new_holder, release_lease
from berichten.outbox import Recipient, queue
from berichten.tables import Bericht, BerichtStatus
from tests.support import sync

ROOT = Path(__file__).resolve().parents[2]


def _queue(count: int = 1) -> list[int]:
    recipients = [Recipient(f"p{i}@example.org", f"Partner {i}") for i in range(count)]
    return sync(queue(kind="actie_toegewezen", to=recipients,
                      subject="Een actie voor jou", text="Dag, er is een actie voor je organisatie."))


def _rows() -> list[dict]:
    return sync(Bericht.select().order_by(Bericht.id))


def test_smtp_down_keeps_the_message_queued_and_it_is_sent_once_when_the_server_is_back(smtp_server):
    smtp_server.stop()
    _queue()
    assert sync(deliver_due()) == 0
    (row,) = _rows()
    assert row["status"] == BerichtStatus.wachtrij and row["attempts"] == 1
    assert "niet bereikbaar" in row["last_error"]
    smtp_server.start()
    assert sync(deliver_due()) == 0  # not before its back-off
    with time_machine.travel(dt.datetime.now(dt.UTC) + delivery.backoff(1) + dt.timedelta(seconds=1)):
        assert sync(deliver_due()) == 1
        assert sync(deliver_due()) == 0
    assert len(smtp_server.wait_for(1)) == 1
    (row,) = _rows()
    assert row["status"] == BerichtStatus.verstuurd and row["attempts"] == 2 and row["last_error"] == ""


def test_a_4xx_answer_is_retried_with_back_off(smtp_server):
    smtp_server.reply = "451 4.3.0 Probeer later opnieuw"
    _queue()
    sync(deliver_due())
    (row,) = _rows()
    assert row["status"] == BerichtStatus.wachtrij and row["last_error"].startswith("451")
    assert delivery._aware(row["next_attempt_at"]) > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)
    assert delivery.backoff(1) < delivery.backoff(2) < delivery.backoff(3) <= delivery.MAX_RETRY
    assert delivery.backoff(40) == delivery.MAX_RETRY


def test_a_5xx_answer_fails_the_message_with_the_servers_reason(smtp_server):
    from audit.tables import Audit

    smtp_server.reply = "550 5.7.1 Ontvanger bestaat niet"
    _queue()
    sync(deliver_due())
    (row,) = _rows()
    assert row["status"] == BerichtStatus.mislukt
    assert row["last_error"] == "550 5.7.1 Ontvanger bestaat niet"
    assert sync(Audit.count().where(Audit.actie == "mail_mislukt")) == 1
    smtp_server.reply = None
    assert sync(deliver_due()) == 0 and smtp_server.messages == []


def test_too_many_temporary_failures_end_as_mislukt(smtp_server):
    smtp_server.stop()
    _queue()
    moment = dt.datetime.now(dt.UTC)
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        with time_machine.travel(moment):
            sync(deliver_due())
        moment += delivery.backoff(attempt) + dt.timedelta(seconds=1)
    (row,) = _rows()
    assert row["status"] == BerichtStatus.mislukt and row["last_error"].startswith("opgegeven na 10 pogingen")


def test_only_one_holder_has_the_lease_until_it_expires_or_is_released():
    first, second = new_holder(), new_holder()
    assert sync(acquire_lease(first))
    assert not sync(acquire_lease(second))
    assert sync(acquire_lease(first))  # renewing
    with time_machine.travel(dt.datetime.now(dt.UTC) + delivery.LEASE + dt.timedelta(seconds=1)):
        assert sync(acquire_lease(second))
        assert not sync(acquire_lease(first))
        sync(release_lease(second))
        assert sync(acquire_lease(first))


def test_two_deliverers_at_once_send_every_message_once(smtp_server):
    smtp_server.delay = 0.01
    _queue(12)

    async def both():
        return await asyncio.gather(deliver_due(holder=new_holder()), deliver_due(holder=new_holder()))

    sent = sync(both())
    assert sorted(sent) == [0, 12]
    ids = Counter(m["Message-ID"] for m in smtp_server.wait_for(12))
    assert len(ids) == 12 and set(ids.values()) == {1}


def _manage(*args: str, smtp_url: str) -> subprocess.Popen:
    env = {**os.environ, "SMTP_URL": smtp_url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "manage.py", "berichten", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_deliverer_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(smtp_server):
    _queue(3)
    smtp_server.delay = 30  # the first message hangs in DATA: the process is killed while it waits for the 250
    process = _manage(smtp_url=smtp_server.url)
    try:
        _wait(lambda: smtp_server.data_started >= 1)
        assert [row["status"] for row in _rows()].count(BerichtStatus.bezig) >= 1
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    smtp_server.delay = 0
    assert smtp_server.messages == []
    again = _manage("--once", smtp_url=smtp_server.url)
    output, _ = again.communicate(timeout=60)
    assert again.returncode == 0, output
    assert "3 bericht(en) verstuurd" in output
    rows = _rows()
    assert [row["status"] for row in rows] == [BerichtStatus.verstuurd] * 3
    received = Counter(m["Message-ID"] for m in smtp_server.wait_for(3))
    assert received == Counter(row["message_id"] for row in rows)  # each once, with the Message-ID it was queued with


def test_two_manage_processes_on_one_database_deliver_each_message_once(smtp_server):
    _queue(30)
    smtp_server.delay = 0.02
    processes = [_manage(smtp_url=smtp_server.url) for _ in range(2)]
    try:
        _wait(lambda: len(smtp_server.messages) >= 30, timeout=60)
        time.sleep(2 * delivery.TICK)  # a second deliverer that would resend has had its chance
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=20)
    received = Counter(m["Message-ID"] for m in smtp_server.messages)
    assert len(smtp_server.messages) == 30 and set(received.values()) == {1}
    assert {row["status"] for row in _rows()} == {BerichtStatus.verstuurd}
    assert all(process.returncode == 0 for process in processes)

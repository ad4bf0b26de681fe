"""Mail: delivery throughput through a local aiosmtpd, and the extra time queueing 20 mails adds to a transaction.

    .venv/bin/python bench/berichten.py [--engines sqlite,postgres] [-n 500] [--repeat 200]

Throughput: n messages queued (text + HTML, one 60 KB PDF attachment each), then `delivery.deliver_all()` —
claim, compose, send over one SMTP connection, mark sent, audit row — timed end to end; the floor is smtplib alone
sending the same composed messages over one connection (no database). Queueing: a write transaction doing a
small change (a counter update, like an agenda publish's own writes) with and without `outbox.queue()` of one mail
to 20 recipients (the agenda PDF stored once); p50/p95 of each and of the difference (target ≤ 20 ms).
The connection pool is on (as in the app).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PDF = b"%PDF-1.7\n" + os.urandom(60_000) + b"\n%%EOF"


def child(n: int, repeat: int) -> dict:
    import asyncio
    import smtplib

    from aiosmtpd.controller import Controller

    from bench.common import free_port

    class Handler:
        count = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            Handler.count += 1
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, data_size_limit=10_000_000)
    controller.start()
    os.environ["SMTP_URL"] = f"smtp://127.0.0.1:{port}"

    from admin.tables import Teller
    from berichten import delivery
    from berichten.outbox import Attachment, Recipient, queue
    from berichten.tables import Bericht
    from common import db
    from piccolo_conf import DB

    attachment = [Attachment("agenda.pdf", "application/pdf", PDF)]
    html = "<p>De agenda van het jeugdwelzijnsoverleg staat klaar.</p>" * 20
    text = "De agenda van het jeugdwelzijnsoverleg staat klaar.\n" * 20

    async def main() -> dict:
        await DB.start_connection_pool()
        try:
            await Teller.insert(Teller(sleutel="bench", waarde=0))
            recipients = [Recipient(f"partner{i}@bench.example", f"Partner {i}") for i in range(20)]

            async def change() -> None:
                await Teller.update({Teller.waarde: Teller.waarde + 1}).where(Teller.sleutel == "bench")

            without, with_mail = [], []
            for _ in range(repeat):
                start = time.perf_counter()
                async with db.write_transaction():
                    await change()
                without.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                async with db.write_transaction():
                    await change()
                    await queue(kind="agenda_gepubliceerd", to=recipients, subject="Agenda", text=text, html=html,
                                attachments=attachment, object_type="vergadering", object_id=1)
                with_mail.append((time.perf_counter() - start) * 1000)
            await Bericht.delete(force=True)

            for start_at in range(0, n, 20):
                await queue(kind="agenda_gepubliceerd", to=[Recipient(f"p{i}@bench.example") for i in
                                                            range(start_at, min(n, start_at + 20))],
                            subject="Agenda", text=text, html=html, attachments=attachment)
            start = time.perf_counter()
            sent = await delivery.deliver_all()
            seconds = time.perf_counter() - start
            assert sent == n and Handler.count == n, (sent, Handler.count)

            rows = await Bericht.select().limit(n)
            messages = [await delivery._outgoing(row) for row in rows]
        finally:
            await DB.close_connection_pool()
        start = time.perf_counter()
        smtp = smtplib.SMTP("127.0.0.1", port)
        for outgoing in messages:
            smtp.send_message(outgoing.message, from_addr=outgoing.sender, to_addrs=[outgoing.recipient])
        smtp.quit()
        floor = time.perf_counter() - start

        def pct(values: list[float], q: float) -> float:
            return statistics.quantiles(values, n=100)[int(q) - 1]

        extra = [b - a for a, b in zip(without, with_mail, strict=True)]
        return {"n": n, "per_second": n / seconds, "floor_per_second": n / floor, "repeat": repeat,
                "without_p50": statistics.median(without), "without_p95": pct(without, 95),
                "with_p50": statistics.median(with_mail), "with_p95": pct(with_mail, 95),
                "extra_p50": statistics.median(extra), "extra_p95": pct(extra, 95)}

    try:
        return asyncio.run(main())
    finally:
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.n, args.repeat)))
        return
    from bench.common import env_for, machine, reset_database

    print(machine())
    print("| engine | delivered/s (n) | floor smtplib/s | txn p50/p95 ms | txn + 20 mails p50/p95 ms | "
          "extra p50/p95 ms |")
    print("|---|---|---|---|---|---|")
    for engine in args.engines.split(","):
        url = reset_database(engine, "bench_berichten")
        env = {**env_for(url), "SIGNAALWERK_DB_POOL": "1"}
        result = subprocess.run([sys.executable, __file__, "--child", "-n", str(args.n), "--repeat",
                                 str(args.repeat)], cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(result.stderr[-3000:])
        r = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"| {engine} | {r['per_second']:.0f} ({r['n']}) | {r['floor_per_second']:.0f} | "
              f"{r['without_p50']:.1f} / {r['without_p95']:.1f} | {r['with_p50']:.1f} / {r['with_p95']:.1f} | "
              f"{r['extra_p50']:.1f} / {r['extra_p95']:.1f} |")


if __name__ == "__main__":
    main()

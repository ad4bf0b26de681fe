"""Issue 11: the extra time an agenda publish takes when it mails 20 partners (target ≤ 20 ms more than without
mail, since sending — and since the deferred attachments, rendering the agenda PDF — happens outside the request).

    .venv/bin/python bench/agenda_publish.py [--engines sqlite,postgres] [--repeat 100] [--before 15]

One gemeente with a chair and 20 partners (each a member with an address). Every round creates a fresh meeting
with three points (untimed), then times `overleg.vergaderingen.agenda.publish()` — the service the chair's POST
calls — in three ways on the same database:
- **stub**: `agenda_mail()` replaced by a mail to nobody (the publish's own reads and writes only: the floor);
- **mail**: the real publish: texts and .ics for 20 members, 20 outbox rows, the PDF queued as a render request;
- **before** (`--before` rounds): the PDF rendered inside the request as it was before the deferred attachments
  (the real `agenda_pdf()` awaited first), for comparison.
p50/p95 per way and of the difference mail − stub. SMTP is off: nothing is delivered (delivery is not the request).
The connection pool is on (as in the app).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(gemeente: int, user: int, token: str, repeat: int, before: int) -> dict:
    import asyncio
    import datetime as dt

    from piccolo.apps.user.tables import BaseUser

    from admin.sessions import resolve
    from admin.tables import Lidmaatschap
    from common import pdf_pool
    from overleg.tables import Agendapunt, Overleg, Vergadering
    from overleg.vergaderingen import agenda
    from overleg.vergaderingen import berichten as vergadering_berichten
    from piccolo_conf import DB

    real_mail = vergadering_berichten.agenda_mail

    async def stub_mail(vergadering, punten, einde, *, actor_id, cancel=False, **changes):
        return {"kind": "agenda_gepubliceerd", "to": [], "context": {}, "attachments": [],
                "object_type": "vergadering", "object_id": vergadering["id"], "gemeente_id": vergadering["gemeente"],
                "actor_id": actor_id}

    async def rendering_mail(vergadering, punten, einde, **kwargs):
        await agenda.agenda_pdf(vergadering["id"])  # what the request did before
        return await real_mail(vergadering, punten, einde, **kwargs)

    async def main() -> dict:
        await DB.start_connection_pool()
        try:
            await Lidmaatschap(user=user, gemeente=gemeente, rol="voorzitter").save()
            for i in range(20):
                u = BaseUser(username=f"partner{i}", email=f"partner{i}@bench.example", password="bench-bench",
                             first_name="Partner", last_name=str(i), active=True)
                await u.save()
                await Lidmaatschap(user=u.id, gemeente=gemeente, rol="partner").save()
            overleg = Overleg(gemeente=gemeente, naam="Bench-overleg")
            await overleg.save()
            chair = await resolve(token)
            assert chair is not None

            async def fresh(day: int) -> int:
                meeting = Vergadering(overleg=overleg.id, datum=dt.date.today() + dt.timedelta(days=14 + day % 300),
                                      begin=dt.time(19, 30), plaats="Bench", status="concept")
                await meeting.save()
                for k, (soort, titel) in enumerate([("mededelingen", "Mededelingen"), ("vrij", "De bus"),
                                                    ("rondvraag", "Rondvraag")], start=1):
                    await Agendapunt(vergadering=meeting.id, volgorde=k, titel=titel, soort=soort, dossier=None,
                                     functies="[]", duur_minuten=20, versie=1).save()
                return meeting.id

            async def timed(mail, meeting_id: int) -> float:
                vergadering_berichten.agenda_mail = mail
                agenda.vergadering_berichten.agenda_mail = mail
                start = time.perf_counter()
                await agenda.publish(chair, meeting_id)
                return (time.perf_counter() - start) * 1000

            for warm in range(5):  # warm-up: templates, PDF worker
                await timed(stub_mail, await fresh(warm))
                await timed(real_mail, await fresh(warm))
            await timed(rendering_mail, await fresh(0))
            stub, mail, old = [], [], []
            for i in range(repeat):
                stub.append(await timed(stub_mail, await fresh(i)))
                mail.append(await timed(real_mail, await fresh(i)))
            for i in range(before):
                old.append(await timed(rendering_mail, await fresh(i)))
        finally:
            await DB.close_connection_pool()
            pdf_pool.shutdown()

        def pct(values: list[float], q: int) -> float:
            return statistics.quantiles(values, n=100)[q - 1]

        extra = [b - a for a, b in zip(stub, mail, strict=True)]
        return {"repeat": repeat, "before": before,
                "stub_p50": statistics.median(stub), "stub_p95": pct(stub, 95),
                "mail_p50": statistics.median(mail), "mail_p95": pct(mail, 95),
                "extra_p50": statistics.median(extra), "extra_p95": pct(extra, 95),
                "before_p50": statistics.median(old) if old else 0.0,
                "before_p95": pct(old, 95) if len(old) > 1 else 0.0}

    return asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--before", type=int, default=15)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        gemeente, user, token = args.child
        print(json.dumps(child(int(gemeente), int(user), token, args.repeat, args.before)))
        return
    from bench.common import env_for, fill, machine, reset_database

    print(machine())
    print(f"Command: {' '.join(sys.argv)}\n")
    print("| engine | publish, mail stubbed p50/p95 ms | publish + 20 mails p50/p95 ms | extra p50/p95 ms | "
          "before (PDF in the request) p50/p95 ms |")
    print("|---|---|---|---|---|")
    for engine in args.engines.split(","):
        url = reset_database(engine, "bench_agenda_publish")
        data = fill(url, 200, n_gemeenten=1)
        env = {**env_for(url), "SIGNAALWERK_DB_POOL": "1", "SMTP_URL": ""}
        result = subprocess.run([sys.executable, __file__, "--repeat", str(args.repeat), "--before", str(args.before),
                                 "--child", str(data["gemeente"]), str(data["user"]), data["token"]],
                                cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(result.stderr[-3000:])
        r = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"| {engine} | {r['stub_p50']:.1f} / {r['stub_p95']:.1f} | {r['mail_p50']:.1f} / {r['mail_p95']:.1f} | "
              f"{r['extra_p50']:.1f} / {r['extra_p95']:.1f} | {r['before_p50']:.0f} / {r['before_p95']:.0f} |",
              flush=True)


if __name__ == "__main__":
    main()

"""What the outbox keeps about a person: erasure (wis-gebruiker) leaves no address, name or body of their mails."""

from __future__ import annotations

from berichten.outbox import Recipient, queue
from berichten.tables import Bericht, BerichtStatus
from tests.support import sync


def test_erasing_a_user_drops_their_waiting_mails_and_blanks_the_sent_ones(world):
    from signalen.rights import erase_user

    werker = world.users["werker"]
    sent, waiting = (sync(queue(kind="actie_toegewezen", to=[Recipient("werker@example.org", "Werker Test", werker)],
                                subject=f"Dag Werker {n}", text="Dag Werker, een actie.", html="<p>Dag Werker</p>"))[0]
                     for n in (1, 2))
    partner = Recipient("partner@example.org", "Partner", world.users["partner"])
    other = sync(queue(kind="actie_toegewezen", to=[partner], subject="Dag Partner", text="Dag Partner"))[0]
    sync(Bericht.update({Bericht.status: BerichtStatus.verstuurd.value}).where(Bericht.id == sent))
    pseudonym = sync(erase_user("werker"))
    rows = {row["id"]: row for row in sync(Bericht.select())}
    assert waiting not in rows
    kept = rows[sent]
    assert kept["to_email"].startswith(pseudonym) and kept["to_name"] == pseudonym
    assert "Werker" not in kept["subject"] + kept["text"] + (kept["html"] or "") + kept["to_email"]
    assert kept["message_id"] and kept["kind"] == "actie_toegewezen" and kept["status"] == BerichtStatus.verstuurd
    assert rows[other]["to_email"] == "partner@example.org" and rows[other]["text"] == "Dag Partner"

"""Each person chooses: the "Meldingen" page (meteen / dagelijks / niet; mandatory kinds shown but fixed), the
unsubscribe link that works without logging in, and the daily digest that bundles what was held."""

from __future__ import annotations

import datetime as dt

import time_machine
from litestar.testing import TestClient

from berichten import delivery, digest, voorkeuren
from berichten.outbox import Recipient
from berichten.tables import Bericht
from berichten.voorkeur_tables import Uitgesteld
from tests.support import sync

PERSONAS = ("werker", "werker2", "voorzitter", "partner", "coordinator", "beheerder")
CONTEXT = {"afzender": "Jeugdwelzijnsoverleg Mechelen", "stap": "staat op de agenda van het overleg",
           "waarom": "Op de agenda.", "signalen": [{"titel": "Geen plek", "link": "http://x/signalen/1"}]}


def queue_to(user_id: int, email: str, kind: str = "signaal_opgevolgd") -> list[int]:
    return sync(voorkeuren.queue_for_user(kind=kind, to=[Recipient(email, "Sara", user_id)], context=CONTEXT))


def test_every_persona_sees_its_own_meldingen_page(personas):
    for name in PERSONAS:
        page = personas[name].get("/meldingen/")
        assert page.status_code == 200, name
        assert "Wat er gebeurt met een signaal dat jij registreerde" in page.text
        assert "dit bericht kan je niet uitzetten" in page.text  # mandatory kinds are shown, fixed
    assert 'href="/meldingen/"' in personas["werker"].get("/").text  # linked from the user menu
    anonymous = personas["anonymous"].get("/meldingen/", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 401)


def test_a_choice_is_stored_per_person_and_mandatory_kinds_stay_on(personas, world):
    werker = personas["werker"]
    saved = werker.post_form("/meldingen/", {"signaal_opgevolgd": "nooit", "actie_herinnering": "dagelijks",
                                             "agenda_gepubliceerd": "nooit"}, follow_redirects=False)
    assert saved.status_code == 303
    assert sync(voorkeuren.keuze(world.users["werker"], "signaal_opgevolgd")) == "nooit"
    assert sync(voorkeuren.keuze(world.users["werker"], "actie_herinnering")) == "dagelijks"
    assert sync(voorkeuren.keuze(world.users["werker"], "agenda_gepubliceerd")) == "direct"
    assert sync(voorkeuren.keuze(world.users["werker2"], "signaal_opgevolgd")) == "direct"  # someone else's
    page = werker.get("/meldingen/").text
    assert 'name="signaal_opgevolgd" value="nooit" checked' in page
    bad = werker.post_form("/meldingen/", {"signaal_opgevolgd": "soms"})
    assert bad.status_code == 422 and "Kies meteen, dagelijks of niet" in bad.text
    assert sync(voorkeuren.keuze(world.users["werker"], "signaal_opgevolgd")) == "nooit"
    assert personas["anonymous"].post_form("/meldingen/", {"signaal_opgevolgd": "nooit"},
                                           follow_redirects=False).status_code in (302, 303, 401)


def test_nooit_queues_nothing_and_direct_carries_the_unsubscribe_link(world):
    user = world.users["werker"]
    (row_id,) = queue_to(user, "werker@example.org")
    row = sync(Bericht.select().where(Bericht.id == row_id).first())
    link = voorkeuren.unsubscribe_url(user, "signaal_opgevolgd")
    assert link in row["text"] and link in row["html"]
    headers = row["headers"] if isinstance(row["headers"], dict) else __import__("json").loads(row["headers"])
    assert headers["List-Unsubscribe"] == f"<{link}>"
    sync(voorkeuren.set_keuze(user, "signaal_opgevolgd", "nooit"))
    assert queue_to(user, "werker@example.org") == []
    assert sync(Bericht.count()) == 1


def test_the_unsubscribe_link_works_without_logging_in(app, world):
    user = world.users["werker"]
    token = voorkeuren.unsubscribe_token(user, "signaal_opgevolgd")
    with TestClient(app, raise_server_exceptions=False) as client:  # no session, no CSRF cookie
        page = client.get(f"/meldingen/afmelden/{token}")
        assert page.status_code == 200 and "Afmelden?" in page.text
        assert sync(voorkeuren.keuze(user, "signaal_opgevolgd")) == "direct"  # a GET changes nothing
        done = client.post(f"/meldingen/afmelden/{token}")
        assert done.status_code == 200 and "Je bent afgemeld" in done.text
    assert sync(voorkeuren.keuze(user, "signaal_opgevolgd")) == "nooit"


def test_a_forged_or_mandatory_unsubscribe_token_is_refused(app, world):
    user = world.users["werker"]
    token = voorkeuren.unsubscribe_token(user, "signaal_opgevolgd")
    other = voorkeuren.unsubscribe_token(world.users["werker2"], "signaal_opgevolgd")
    forged = token.split(".")[0] + "." + other.split(".")[1]
    mandatory = voorkeuren.unsubscribe_token(user, "agenda_gepubliceerd")
    with TestClient(app, raise_server_exceptions=False) as client:
        for bad in (forged, mandatory, "x", "a.b", "%0d%0a.%0d%0a", "é" * 50 + ".00"):
            assert client.get(f"/meldingen/afmelden/{bad}").status_code == 404, bad
            assert client.post(f"/meldingen/afmelden/{bad}").status_code == 404, bad
    assert sync(voorkeuren.keuze(user, "signaal_opgevolgd")) == "direct"
    assert sync(voorkeuren.keuze(world.users["werker2"], "signaal_opgevolgd")) == "direct"


def test_the_daily_digest_bundles_what_was_held_once(smtp_server, world):
    user = world.users["werker"]
    sync(voorkeuren.set_keuze(user, "signaal_opgevolgd", "dagelijks"))
    now = dt.datetime.now(dt.UTC)
    before = digest.cutoff(now) - dt.timedelta(hours=1)
    with time_machine.travel(before):
        assert queue_to(user, "werker@example.org") == [] and queue_to(user, "werker@example.org") == []
    assert sync(Bericht.count()) == 0 and sync(Uitgesteld.count()) == 2
    with time_machine.travel(digest.cutoff(now) + dt.timedelta(minutes=1)):
        assert sync(digest.dagelijks_overzicht()) == 1
        assert sync(digest.dagelijks_overzicht()) == 0  # once
    sync(delivery.deliver_all())
    (mail,) = smtp_server.wait_for(1)
    assert "2 berichten" in str(mail["Subject"]) and "werker@example.org" in str(mail["To"])
    text = mail.get_body(("plain",)).get_content()
    assert text.count("== Je signaal staat op de agenda van het overleg ==") == 2
    assert text.count("Met vriendelijke groeten") == 1 and "afmelden" not in text  # the bodies, not whole mails


def test_erasing_a_user_forgets_their_choices_and_held_mails(world):
    from signalen.rights import erase_user

    user = world.users["werker"]
    sync(voorkeuren.set_keuze(user, "signaal_opgevolgd", "dagelijks"))
    queue_to(user, "werker@example.org")
    assert sync(Uitgesteld.count()) == 1
    sync(erase_user("werker"))
    assert sync(Uitgesteld.count()) == 0
    assert sync(voorkeuren.keuze(user, "signaal_opgevolgd")) == "direct"

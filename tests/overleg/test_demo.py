"""The demo overleg: loads once on top of the foundation and the demo signals, and is a living example."""

from __future__ import annotations

import pytest
from piccolo.apps.user.tables import BaseUser

from admin.demo import load_foundation
from admin.tables import Gemeente, Organisatie
from common.dates import today
from overleg.overleggen.demo import load_overleg
from overleg.tables import (
    Actie,
    Agendapunt,
    Deelnemer,
    Dossier,
    Overleg,
    Overleglid,
    Partner,
    Vergadering,
    Verslag,
)
from signalen.demo import load_signalen
from signalen.tables import Signaal
from tests.support import World, login_as, sync

TABLES = (Overleg, Partner, Overleglid, Dossier, Vergadering, Deelnemer, Agendapunt, Actie, Verslag)


def _counts() -> dict[str, int]:
    return {table._meta.tablename: sync(table.count()) for table in TABLES}


@pytest.fixture
def demo():
    assert sync(load_foundation()) is True
    assert sync(load_signalen()) is True
    assert sync(load_overleg()) is True
    org = sync(Organisatie.select(Organisatie.id).first())["id"]
    gemeenten = {row["slug"]: row["id"] for row in sync(Gemeente.select(Gemeente.id, Gemeente.slug))}
    users = {row["username"]: row["id"] for row in sync(BaseUser.select(BaseUser.id, BaseUser.username))}
    return World(org, gemeenten, users)


def test_the_demo_loads_once(demo):
    before = _counts()
    assert sync(load_overleg()) is False
    assert _counts() == before


def test_the_loader_does_nothing_without_the_foundation():
    assert sync(load_overleg()) is False
    assert sync(Overleg.count()) == 0


def test_the_demo_builds_mechelen_and_hoeilaart(demo):
    overleggen = {row["naam"]: row for row in sync(Overleg.select())}
    assert set(overleggen) == {"Jeugdwelzijnsoverleg Mechelen", "Jeugdwelzijnsoverleg Hoeilaart"}
    mechelen = overleggen["Jeugdwelzijnsoverleg Mechelen"]
    partners = {row["naam"] for row in sync(Partner.select().where(Partner.overleg == mechelen["id"]))}
    assert partners == {"CAW Boom Mechelen Lier", "CLB Mechelen", "OCMW Mechelen", "Jeugddienst Mechelen",
                        "Huis van het Kind"}
    assert sync(Partner.count().where(Partner.overleg == overleggen["Jeugdwelzijnsoverleg Hoeilaart"]["id"])) >= 3
    link = sync(Overleglid.select(Overleglid.partner.naam).where(Overleglid.user == demo.users["partner"]).first())
    assert link["partner.naam"] == "CAW Boom Mechelen Lier"
    assert sync(Overleglid.exists().where((Overleglid.user == demo.users["voorzitter"])
                                          & (Overleglid.rol == "voorzitter")))


def test_the_demo_has_dossiers_meetings_actions_and_minutes(demo):
    dossiers = sync(Dossier.select().where(Dossier.gemeente == demo.gemeenten["mechelen"]))
    assert len(dossiers) == 2
    for dossier in dossiers:
        signalen = sync(Signaal.select(Signaal.status).where(Signaal.dossier == dossier["id"]))
        assert len(signalen) == 2
        assert {s["status"] for s in signalen} <= {"geagendeerd", "in_actie", "beantwoord"}
    meetings = sync(Vergadering.select().order_by(Vergadering.datum))
    assert len(meetings) == 2 and all(m["status"] == "gehouden" and m["datum"] < today() for m in meetings)
    assert sync(Deelnemer.count().where(Deelnemer.aanwezigheid == "aanwezig")) >= 8
    assert sync(Agendapunt.exists().where(Agendapunt.besluit != ""))

    acties = sync(Actie.select())
    assert len(acties) == 2
    assert sum(1 for a in acties if a["deadline"] < today() and a["status"] in ("open", "bezig")) == 1
    verslagen = {row["vergadering"]: row for row in sync(Verslag.select())}
    assert verslagen[meetings[0]["id"]]["status"] == "goedgekeurd"
    assert verslagen[meetings[0]["id"]]["goedgekeurd_in"] == meetings[1]["id"]
    assert verslagen[meetings[1]["id"]]["status"] == "concept"
    assert "Outreachend" not in verslagen[meetings[1]["id"]]["inhoud"]
    assert "station van Nekkerspoel" in verslagen[meetings[1]["id"]]["inhoud"]


def test_the_demo_is_usable_by_the_demo_accounts(app, demo):
    partner = login_as(app, demo, "partner")
    page = partner.get("/acties/")
    assert page.status_code == 200 and "Te laat" in page.text
    assert 'action="/acties/' in page.text  # the CAW action is theirs
    meeting = sync(Vergadering.select(Vergadering.id).order_by(Vergadering.datum, ascending=False).first())["id"]
    assert "Concept" in partner.get(f"/vergaderingen/{meeting}/verslag").text
    voorzitter = login_as(app, demo, "voorzitter")
    assert "Verslag goedkeuren" not in voorzitter.get(f"/vergaderingen/{meeting}/verslag").text  # no later meeting
    assert voorzitter.get("/overleg/").status_code == 200
    assert login_as(app, demo, "werker2").get("/overleg/").text.count("Jeugdwelzijnsoverleg Hoeilaart") == 1


def test_the_demo_has_a_sent_nota_with_its_answer(demo):
    from overleg.tables import Antwoord, Signaalnota

    nota = sync(Signaalnota.select().first())
    assert nota["status"] == "beantwoord" and nota["pdf_sha256"] and nota["referentie"].startswith("SN-")
    assert sync(Antwoord.select(Antwoord.beslissing).first())["beslissing"] == "deels"

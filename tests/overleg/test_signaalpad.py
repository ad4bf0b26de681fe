"""Issue 12 item 7: a signal's status follows the nota, always — also for signals that were never on an agenda."""

from __future__ import annotations

import pytest

from common.dates import today
from signalen.tables import SignaalHistoriek
from signalen.workflow import forward_path
from tests.overleg.test_notas import fast_pdf, make_dossier, make_overleg, new_nota, statuses  # noqa: F401
from tests.support import sync


def steps(signaal_id: int) -> list[tuple[str, str, str]]:
    rows = sync(SignaalHistoriek.select(SignaalHistoriek.van, SignaalHistoriek.naar, SignaalHistoriek.toelichting)
                .where(SignaalHistoriek.signaal == signaal_id).order_by(SignaalHistoriek.id))
    return [(r["van"], r["naar"], r["toelichting"]) for r in rows if r["van"]]


@pytest.fixture
def bundled(personas, world, fast_pdf) -> dict:  # noqa: F811
    make_overleg(world)
    dossier_id, ids = make_dossier(world, personas["werker"], n=2, status="gebundeld")
    created = new_nota(personas["voorzitter"], [dossier_id])
    return {**created, "dossier": dossier_id, "signalen": ids}


def test_the_shortest_forward_path_walks_every_step_and_never_back():
    assert [s.value for s in forward_path("gebundeld", "gesignaleerd")] == ["geagendeerd", "gesignaleerd"]
    assert [s.value for s in forward_path("in_actie", "beantwoord")] == ["gesignaleerd", "beantwoord"]
    assert forward_path("beantwoord", "gesignaleerd") == []
    assert forward_path("niet_weerhouden", "beantwoord") == []
    assert forward_path("onzin", "beantwoord") == [] and forward_path("nieuw", "onzin") == []


def test_sending_and_answering_move_signals_that_were_never_on_an_agenda(personas, bundled):
    chair, worker, nid, ids = personas["voorzitter"], personas["werker"], bundled["id"], bundled["signalen"]
    assert chair.post_form(f"/notas/{nid}/versturen", follow_redirects=False).status_code == 303
    assert statuses(ids) == {"gesignaleerd"}
    reference = bundled["referentie"]
    history = steps(ids[0])
    assert [(van, naar) for van, naar, _ in history] == [("gebundeld", "geagendeerd"), ("geagendeerd", "gesignaleerd")]
    assert all(reference in why for _, _, why in history) and "tussenstap" in history[0][2]
    # the register says what the nota says, for the worker who recorded the signal
    assert worker.api("GET", f"/api/v1/signalen/{ids[0]}").json()["status"] == "gesignaleerd"

    answered = chair.api("POST", f"/api/v1/notas/{nid}/antwoord",
                         json={"datum": today().isoformat(), "beslissing": "akkoord", "samenvatting": "Goed."})
    assert answered.status_code in (200, 201), answered.text
    assert statuses(ids) == {"beantwoord"}
    assert steps(ids[0])[-1][:2] == ("gesignaleerd", "beantwoord")


def test_answering_catches_up_a_signal_added_after_sending_and_leaves_dropped_ones(personas, world, bundled):
    chair, worker, nid, ids = personas["voorzitter"], personas["werker"], bundled["id"], bundled["signalen"]
    dropped = worker.api("POST", f"/api/v1/signalen/{ids[1]}/status",
                         json={"status": "niet_weerhouden", "toelichting": "Dubbel"})
    assert dropped.status_code == 200, dropped.text
    assert chair.post_form(f"/notas/{nid}/versturen", follow_redirects=False).status_code == 303
    assert statuses([ids[0]]) == {"gesignaleerd"} and statuses([ids[1]]) == {"niet_weerhouden"}
    from signalen.tables import Signaal
    late, _ = make_dossier(world, worker, n=1, status="nieuw")
    late_id = sync(Signaal.select(Signaal.id).where(Signaal.dossier == late).first())["id"]
    sync(Signaal.update({Signaal.dossier: bundled["dossier"]}).where(Signaal.id == late_id))
    assert chair.post_form(f"/notas/{nid}/antwoord", {"datum": today().isoformat(), "beslissing": "deels"},
                           follow_redirects=False).status_code == 303
    assert statuses([ids[0], late_id]) == {"beantwoord"} and statuses([ids[1]]) == {"niet_weerhouden"}
    assert [naar for _, naar, _ in steps(late_id)] == ["gebundeld", "geagendeerd", "gesignaleerd", "beantwoord"]


@pytest.mark.parametrize("name", ["werker", "werker2", "partner", "coordinator", "beheerder", "anonymous"])
def test_only_the_chair_sends_and_the_signals_stay_put_otherwise(personas, bundled, name):
    response = personas[name].post_form(f"/notas/{bundled['id']}/versturen", follow_redirects=False)
    assert response.status_code != 303 or "/login" in response.headers.get("location", "")
    assert statuses(bundled["signalen"]) == {"gebundeld"}

"""Issue 12 item 6: the signal's page shows what became of it — dossier, agenda, nota (with PDF), the answer and the
feedback — each dated, and only the steps the reader may read (overleg/tijdlijn.py through app.py's dependency)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from common.dates import today
from overleg.tables import Agendapunt, Vergadering
from tests.overleg.test_notas import fast_pdf, make_dossier, make_overleg, new_nota  # noqa: F401
from tests.support import sync


def timeline(page: str) -> str:
    found = re.search(r'<ol class="tijdlijn">(.*?)</ol>', page, re.S)
    assert found, "the signal page has no timeline"
    return found.group(1)


@pytest.fixture
def path(personas, world, fast_pdf) -> dict:  # noqa: F811
    overleg = make_overleg(world)
    dossier_id, ids = make_dossier(world, personas["werker"], n=2, titel="Geen plek in Nekkerspoel")
    meeting = Vergadering(overleg=overleg, datum=dt.date(2026, 3, 12), begin=dt.time(19, 0), status="concept")
    sync(meeting.save())
    sync(Agendapunt(vergadering=meeting.id, titel="Een plek voor tieners", dossier=dossier_id).save())
    nota = new_nota(personas["voorzitter"], [dossier_id])
    return {"dossier": dossier_id, "signaal": ids[0], "vergadering": meeting.id, "nota": nota}


def walk_to_feedback(chair, path) -> None:
    nid = path["nota"]["id"]
    assert chair.post_form(f"/notas/{nid}/versturen", follow_redirects=False).status_code == 303
    assert chair.post_form(f"/notas/{nid}/antwoord", {
        "datum": today().isoformat(), "beslissing": "deels",
        "samenvatting": "Het college zoekt <script>alert(1)</script> een plek."},
        follow_redirects=False).status_code == 303
    assert chair.post_form(f"/notas/{nid}/terugkoppeling", {
        "dossier": str(path["dossier"]), "datum": today().isoformat(), "hoe": "Op het jongerenoverleg",
        "wat": "We zoeken verder, met jullie."}, follow_redirects=False).status_code == 303


def test_the_worker_sees_the_whole_path_with_dates_and_links(personas, path):
    worker, nid = personas["werker"], path["nota"]["id"]
    walk_to_feedback(personas["voorzitter"], path)
    steps = timeline(worker.get(f"/signalen/{path['signaal']}").text)
    order = [steps.index(text) for text in ("Geregistreerd", "Gebundeld in dossier ‘Geen plek in Nekkerspoel’",
                                            "Op de agenda van de vergadering van donderdag 12 maart 2026",
                                            f"Gesignaleerd in nota {path['nota']['referentie']}",
                                            "Antwoord van het college van burgemeester en schepenen: deels akkoord",
                                            "Teruggekoppeld naar de jongeren: Op het jongerenoverleg")]
    assert order == sorted(order)
    assert f'href="/dossiers/{path["dossier"]}"' in steps and f'href="/vergaderingen/{path["vergadering"]}"' in steps
    assert f'href="/notas/{nid}/pdf"' in steps and worker.get(f"/notas/{nid}/pdf").status_code == 200
    assert 'datetime="2026-03-12"' in steps and f'datetime="{today().isoformat()}"' in steps
    assert "We zoeken verder, met jullie." in steps
    assert "<script>" not in steps and "&lt;script&gt;alert(1)&lt;/script&gt;" in steps


def test_a_concept_nota_is_no_step_yet(personas, path):
    steps = timeline(personas["werker"].get(f"/signalen/{path['signaal']}").text)
    assert "Gebundeld in dossier" in steps and "Op de agenda" in steps
    assert "Gesignaleerd" not in steps and "Antwoord" not in steps and "/pdf" not in steps


def test_an_unbundled_signal_shows_only_its_recording(personas, world):
    from tests.support import make_signaal
    signaal = make_signaal(personas["werker"], titel="Losse waarneming")
    page = personas["werker"].get(f"/signalen/{signaal['id']}").text
    assert timeline(page).count("<li") == 1 and "nog niet gebundeld" in page


@pytest.mark.parametrize("name,status", [("voorzitter", 200), ("coordinator", 200), ("werker2", 404),
                                         ("partner", 404), ("beheerder", 404), ("anonymous", 302)])
def test_who_reads_the_path(personas, path, name, status):
    walk_to_feedback(personas["voorzitter"], path)
    response = personas[name].get(f"/signalen/{path['signaal']}", follow_redirects=False)
    assert response.status_code in ((302, 303, 401) if status == 302 else (status,))
    if status == 200:
        assert f"Gesignaleerd in nota {path['nota']['referentie']}" in timeline(response.text)
    else:
        assert "Gesignaleerd in nota" not in response.text


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "99999999999", "1%20OR%201=1"])
def test_bad_ids_are_404(personas, raw):
    assert personas["werker"].get(f"/signalen/{raw}").status_code == 404

"""Dossiers: the services (bundle, evidence, remove, merge, versions) and the pages, per persona, with bad input.

The JSON API is in test_dossier_api.py, the bundling suggestions in test_suggestions.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from overleg.dossiers import services as dossiers
from overleg.tables import Commentaar, Dossier, DossierHistoriek
from signalen.tables import Signaal, SignaalHistoriek
from tests.support import current_user, make_signaal, publish_dossier, sync

JAN_10, JAN_20, MAR_5 = dt.date(2025, 1, 10), dt.date(2025, 1, 20), dt.date(2025, 3, 5)
PERSONAS = ("werker", "werker2", "voorzitter", "partner", "coordinator", "beheerder", "anonymous")


def three_signals(personas) -> list[dict]:
    """Three Mechelen signals by three people, two places, two months (with an empty month between)."""
    return [
        make_signaal(personas["werker"], titel="Geen plek aan het station", datum=JAN_10.isoformat(),
                     plek="Station", aantal_jongeren=6, leeftijd="12-15", bron="straat",
                     citaten=["We worden overal weggestuurd.", "Waar moeten we dan zitten?"]),
        make_signaal(personas["voorzitter"], titel="Jongeren hangen rond het station", datum=JAN_20.isoformat(),
                     plek="Station", aantal_jongeren=4, leeftijd="16-18", bron="online", citaten=[]),
        make_signaal(personas["coordinator"], titel="Geen jeugdhuis in Nekkerspoel", datum=MAR_5.isoformat(),
                     plek="Nekkerspoel", aantal_jongeren=10, leeftijd="12-15", bron="straat",
                     citaten=["Een jeugdhuis, dat zou top zijn."]),
    ]


def create(personas, signals=None, titel="Te weinig ontmoetingsplekken", **kw) -> dict:
    chair = current_user(personas["voorzitter"])
    ids = [s["id"] for s in signals] if signals is not None else []
    return sync(dossiers.create_dossier(chair, "mechelen", titel, kw.get("omschrijving", ""), ids))


def statuses(ids) -> dict[int, str]:
    return {r["id"]: r["status"] for r in sync(Signaal.select(Signaal.id, Signaal.status).where(Signaal.id.is_in(ids)))}


def dossier_of(signaal_id: int) -> int | None:
    return sync(Signaal.select(Signaal.dossier).where(Signaal.id == signaal_id).first())["dossier"]


# ----------------------------------------------------------------------------- services

def test_the_chair_bundles_three_signals_and_they_become_gebundeld_with_history(personas):
    signals = three_signals(personas)
    dossier = create(personas, signals)
    ids = [s["id"] for s in signals]
    assert dossier["status"] == "open" and dossier["mag_beheren"] and dossier["gemeente"] == "mechelen"
    assert set(statuses(ids).values()) == {"gebundeld"}
    assert {dossier_of(i) for i in ids} == {dossier["id"]}
    history = sync(SignaalHistoriek.select().where(SignaalHistoriek.signaal.is_in(ids)
                                                   & (SignaalHistoriek.soort == "dossier")))
    assert len(history) == 3 and all(h["van"] == "nieuw" and h["naar"] == "gebundeld" for h in history)
    acties = [h["actie"] for h in sync(DossierHistoriek.select().where(DossierHistoriek.dossier == dossier["id"]))]
    assert acties == ["aangemaakt", "signalen_toegevoegd"]


def test_the_evidence_is_computed_from_the_signals(personas):
    signals = three_signals(personas)
    bewijs = sync(dossiers.evidence(create(personas, signals)["id"]))
    assert (bewijs["aantal_signalen"], bewijs["aantal_werkers"], bewijs["aantal_plekken"]) == (3, 3, 2)
    assert bewijs["aantal_jongeren"] == 20
    assert (bewijs["eerste_datum"], bewijs["laatste_datum"]) == (JAN_10, MAR_5)
    assert [(m["maand"], m["aantal"]) for m in bewijs["per_maand"]] == [("2025-01", 2), ("2025-02", 0), ("2025-03", 1)]
    assert [(t["sleutel"], t["aantal"]) for t in bewijs["leeftijden"]] == [("12-15", 2), ("16-18", 1)]
    assert {t["sleutel"]: t["aantal"] for t in bewijs["bronnen"]} == {"straat": 2, "online": 1}
    assert [(p["label"], p["aantal"]) for p in bewijs["plekken"]] == [("Station", 2), ("Nekkerspoel", 1)]
    assert bewijs["citaten"] == ["We worden overal weggestuurd.", "Een jeugdhuis, dat zou top zijn.",
                                 "Waar moeten we dan zitten?"]


def test_an_empty_dossier_has_empty_evidence(personas):
    bewijs = sync(dossiers.evidence(create(personas)["id"]))
    assert bewijs["aantal_signalen"] == 0 and bewijs["aantal_jongeren"] == 0 and bewijs["eerste_datum"] is None
    assert bewijs["per_maand"] == [] and bewijs["citaten"] == []


def test_a_signal_of_another_gemeente_is_refused_with_422(personas):
    dossier = create(personas)
    hoeilaart = make_signaal(personas["werker2"], gemeente="hoeilaart")
    with pytest.raises(Exception) as exc:
        sync(dossiers.add_signalen(current_user(personas["voorzitter"]), dossier["id"], [hoeilaart["id"]]))
    assert exc.value.status_code == 422 and "signalen" in exc.value.fields
    assert statuses([hoeilaart["id"]]) == {hoeilaart["id"]: "nieuw"} and dossier_of(hoeilaart["id"]) is None


def test_a_signal_already_in_another_dossier_is_refused_with_409_unless_moved(personas):
    signaal = make_signaal(personas["werker"])
    first, second = create(personas, [signaal]), create(personas, titel="Tweede")
    chair = current_user(personas["voorzitter"])
    with pytest.raises(Exception) as exc:
        sync(dossiers.add_signalen(chair, second["id"], [signaal["id"]]))
    assert exc.value.status_code == 409 and dossier_of(signaal["id"]) == first["id"]
    sync(dossiers.add_signalen(chair, second["id"], [signaal["id"]], move=True))
    assert dossier_of(signaal["id"]) == second["id"] and statuses([signaal["id"]])[signaal["id"]] == "gebundeld"
    acties = sync(DossierHistoriek.select(DossierHistoriek.actie).where(DossierHistoriek.dossier == first["id"]))
    assert "signaal_verplaatst" in [a["actie"] for a in acties]


def test_removing_a_signal_puts_it_back_to_nieuw(personas):
    signals = three_signals(personas)
    dossier = create(personas, signals)
    target = signals[0]["id"]
    after = sync(dossiers.remove_signaal(current_user(personas["voorzitter"]), dossier["id"], target, "Hoort elders"))
    assert after["id"] == dossier["id"]
    assert statuses([target])[target] == "nieuw" and dossier_of(target) is None
    assert sync(dossiers.evidence(dossier["id"]))["aantal_signalen"] == 2
    last = sync(SignaalHistoriek.select().where(SignaalHistoriek.signaal == target).order_by(
        SignaalHistoriek.id, ascending=False).first())
    assert (last["van"], last["naar"]) == ("gebundeld", "nieuw") and "Hoort elders" in last["toelichting"]


def test_merging_moves_every_signal_to_the_target_and_closes_the_source(personas):
    signals = three_signals(personas)
    source, target = create(personas, signals[:2], titel="Bron"), create(personas, signals[2:], titel="Doel")
    merged = sync(dossiers.merge_dossiers(current_user(personas["voorzitter"]), source["id"], target["id"]))
    assert merged["id"] == target["id"]
    assert {dossier_of(s["id"]) for s in signals} == {target["id"]}
    row = sync(Dossier.select().where(Dossier.id == source["id"]).first())
    assert row["samengevoegd_in"] == target["id"] and row["status"] == "afgerond"
    for did in (source["id"], target["id"]):
        acties = sync(DossierHistoriek.select(DossierHistoriek.actie).where(DossierHistoriek.dossier == did))
        assert "samengevoegd" in [a["actie"] for a in acties]
    with pytest.raises(Exception) as exc:  # a merged dossier takes no more signals
        sync(dossiers.add_signalen(current_user(personas["voorzitter"]), source["id"],
                                   [make_signaal(personas["werker"])["id"]]))
    assert exc.value.status_code == 409


def test_a_stale_version_is_refused_with_409(personas):
    dossier = create(personas)
    chair = current_user(personas["voorzitter"])
    sync(dossiers.update_dossier(chair, dossier["id"], {"titel": "Nieuwe titel"}, 1))
    with pytest.raises(Exception) as exc:
        sync(dossiers.update_dossier(chair, dossier["id"], {"titel": "Oude wijziging"}, 1))
    assert exc.value.status_code == 409
    assert sync(Dossier.select(Dossier.titel).where(Dossier.id == dossier["id"]).first())["titel"] == "Nieuwe titel"


# ----------------------------------------------------------------------------- pages: who sees what

@pytest.mark.parametrize(("name", "status"), [("werker", 200), ("werker2", 200), ("voorzitter", 200),
                                              ("partner", 200), ("coordinator", 200), ("beheerder", 404),
                                              ("anonymous", 303)])
def test_who_may_open_the_list(personas, name, status):
    create(personas, titel="Mechelen-dossier")
    page = personas[name].get("/dossiers/", follow_redirects=False)
    assert page.status_code == status
    if status == 200:
        visible = name in ("werker", "voorzitter", "coordinator")
        assert ("Mechelen-dossier" in page.text) is visible


@pytest.mark.parametrize(("name", "status"), [("werker", 200), ("werker2", 404), ("voorzitter", 200),
                                              ("partner", 404), ("coordinator", 200), ("beheerder", 404),
                                              ("anonymous", 303)])
def test_who_may_read_a_dossier(personas, name, status):
    dossier = create(personas, three_signals(personas))
    assert personas[name].get(f"/dossiers/{dossier['id']}", follow_redirects=False).status_code == status


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 403), ("voorzitter", 200),
                                              ("partner", 403), ("coordinator", 403), ("beheerder", 404),
                                              ("anonymous", 303)])
def test_only_the_chair_opens_the_new_dossier_form(personas, name, status):
    assert personas[name].get("/dossiers/nieuw", follow_redirects=False).status_code == status


def test_werker2_gets_404_on_every_mechelen_dossier_url(personas):
    signals = three_signals(personas)
    dossier, other = create(personas, signals), create(personas, titel="Ander")
    did, sid = dossier["id"], signals[0]["id"]
    werker2 = personas["werker2"]
    for url in (f"/dossiers/{did}", f"/dossiers/{did}/bewerken"):
        assert werker2.get(url).status_code == 404, url
    posts = {f"/dossiers/{did}/bewerken": {"titel": "x", "versie": "1"}, f"/dossiers/{did}/signalen": {
        "signalen": str(sid)}, f"/dossiers/{did}/signalen/{sid}/verwijderen": {},
        f"/dossiers/{did}/samenvoegen": {"doel": str(other["id"])}, f"/dossiers/{did}/commentaar": {"tekst": "hoi"}}
    for url, data in posts.items():
        assert werker2.post_form(url, data).status_code == 404, url
    assert statuses([sid])[sid] == "gebundeld" and sync(Commentaar.count()) == 0


def test_a_partner_reads_a_dossier_only_once_it_is_on_a_published_agenda(personas, world):
    signals = three_signals(personas)
    dossier = create(personas, signals, omschrijving="Zie **signalen**")
    partner = personas["partner"]
    assert partner.get(f"/dossiers/{dossier['id']}").status_code == 404
    publish_dossier(dossier["id"], world.gemeenten["mechelen"])
    page = partner.get(f"/dossiers/{dossier['id']}")
    assert page.status_code == 200
    assert "Geen plek aan het station" in page.text and "20/01/2025" in page.text
    assert "/signalen/" not in page.text
    assert "Uit dossier" not in page.text and "/bewerken" not in page.text
    assert dossier["titel"] in partner.get("/dossiers/").text
    # and the partner may comment, but not act as chair
    assert partner.post_form(f"/dossiers/{dossier['id']}/commentaar", {"tekst": "CAW neemt contact op"},
                             follow_redirects=False).status_code == 303
    assert sync(Commentaar.count()) == 1
    assert partner.post_form(f"/dossiers/{dossier['id']}/bewerken", {"titel": "x", "versie": "1"}).status_code == 403


def test_a_worker_sees_links_to_the_signals_and_no_chair_actions(personas):
    signals = three_signals(personas)
    dossier = create(personas, signals)
    page = personas["werker"].get(f"/dossiers/{dossier['id']}").text
    assert f'href="/signalen/{signals[0]["id"]}"' in page
    assert "Uit dossier" not in page and "Samenvoegen" not in page
    assert personas["werker"].post_form(f"/dossiers/{dossier['id']}/signalen/{signals[0]['id']}/verwijderen"
                                        ).status_code == 403
    assert dossier_of(signals[0]["id"]) == dossier["id"]


# ----------------------------------------------------------------------------- pages: the chair's work

def test_the_chair_creates_a_dossier_through_the_form(personas):
    signals = three_signals(personas)
    chair = personas["voorzitter"]
    form = chair.get("/dossiers/nieuw").text
    assert all(s["titel"] in form for s in signals)
    response = chair.post_form("/dossiers/nieuw", {"gemeente": "mechelen", "titel": "Ontmoetingsplekken",
                                                   "omschrijving": "**Nood** aan plekken",
                                                   "signalen": [str(s["id"]) for s in signals[:2]]})
    assert response.status_code == 200 and "Dossier aangemaakt." in response.text
    assert "<strong>Nood</strong>" in response.text and "Signalen per maand" in response.text
    row = sync(Dossier.select().first())
    assert {dossier_of(s["id"]) for s in signals[:2]} == {row["id"]} and dossier_of(signals[2]["id"]) is None


def test_the_new_dossier_form_explains_what_is_wrong(personas):
    hoeilaart = make_signaal(personas["werker2"], gemeente="hoeilaart")
    response = personas["voorzitter"].post_form("/dossiers/nieuw", {"gemeente": "mechelen", "titel": "   ",
                                                                    "signalen": [str(hoeilaart["id"])]})
    assert response.status_code == 422
    assert "Geef het dossier een korte titel." in response.text
    assert sync(Dossier.count()) == 0


def test_the_chair_edits_and_a_stale_form_shows_the_conflict(personas):
    dossier = create(personas)
    chair = personas["voorzitter"]
    assert 'name="versie" value="1"' in chair.get(f"/dossiers/{dossier['id']}/bewerken").text
    ok = chair.post_form(f"/dossiers/{dossier['id']}/bewerken", {"titel": "Nieuw", "omschrijving": "",
                                                                 "status": "in_behandeling", "versie": "1"})
    assert ok.status_code == 200 and "Wijzigingen opgeslagen." in ok.text and "In behandeling" in ok.text
    stale = chair.post_form(f"/dossiers/{dossier['id']}/bewerken", {"titel": "Oud", "omschrijving": "",
                                                                    "status": "open", "versie": "1"})
    assert stale.status_code == 409 and "intussen gewijzigd" in stale.text and 'value="Oud"' in stale.text


def test_the_chair_removes_adds_and_merges_through_the_page(personas):
    signals = three_signals(personas)
    dossier, target = create(personas, signals[:2]), create(personas, titel="Doeldossier")
    chair = personas["voorzitter"]
    page = chair.get(f"/dossiers/{dossier['id']}").text
    assert "Doeldossier" in page and signals[2]["titel"] in page  # merge target and a candidate signal
    removed = chair.post_form(f"/dossiers/{dossier['id']}/signalen/{signals[0]['id']}/verwijderen",
                              {"bevestigd": "1"})
    assert removed.status_code == 200 and "weer op ‘nieuw’" in removed.text
    added = chair.post_form(f"/dossiers/{dossier['id']}/signalen", {"signalen": [str(signals[2]["id"])]})
    assert "Signalen toegevoegd." in added.text
    foreign = make_signaal(personas["werker2"], gemeente="hoeilaart")
    refused = chair.post_form(f"/dossiers/{dossier['id']}/signalen", {"signalen": [str(foreign["id"])]})
    assert "hoort niet bij Mechelen" in refused.text and dossier_of(foreign["id"]) is None
    merged = chair.post_form(f"/dossiers/{dossier['id']}/samenvoegen", {"doel": str(target["id"])})
    assert merged.status_code == 200 and "samengevoegd in dit dossier" in merged.text
    assert {dossier_of(s["id"]) for s in signals[1:]} == {target["id"]}
    assert statuses([signals[0]["id"]])[signals[0]["id"]] == "nieuw"


def test_forms_without_csrf_change_nothing(personas):
    signaal = make_signaal(personas["werker"])
    dossier = create(personas, [signaal])
    chair = personas["voorzitter"]
    chair.csrf()
    assert chair.client.post("/dossiers/nieuw", data={"gemeente": "mechelen", "titel": "x"}).status_code == 403
    assert chair.client.post(f"/dossiers/{dossier['id']}/signalen/{signaal['id']}/verwijderen").status_code == 403
    assert chair.client.post(f"/dossiers/{dossier['id']}/commentaar", data={"tekst": "x"}).status_code == 403
    assert sync(Dossier.count()) == 1 and dossier_of(signaal["id"]) == dossier["id"] and sync(Commentaar.count()) == 0


def test_no_state_changes_on_get(personas):
    signaal = make_signaal(personas["werker"])
    dossier = create(personas, [signaal])
    chair = personas["voorzitter"]
    assert chair.get(f"/dossiers/{dossier['id']}/signalen/{signaal['id']}/verwijderen").status_code in (404, 405)
    assert dossier_of(signaal["id"]) == dossier["id"]


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                     "[klik](javascript:alert(1))"])
def test_markup_in_titel_omschrijving_and_comments_is_shown_as_text(personas, payload):
    dossier = create(personas, titel=payload, omschrijving=payload)
    chair = personas["voorzitter"]
    chair.post_form(f"/dossiers/{dossier['id']}/commentaar", {"tekst": payload})
    for url in (f"/dossiers/{dossier['id']}", "/dossiers/", f"/dossiers/{dossier['id']}/bewerken"):
        page = chair.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript:' not in page, url
    assert sync(Commentaar.select(Commentaar.tekst).first())["tekst"] == payload


@pytest.mark.parametrize("raw", ["999999", "abc", "-1", "0", "99999999999999999999999"])
def test_unknown_ids_are_not_found(personas, raw):
    assert personas["voorzitter"].get(f"/dossiers/{raw}").status_code == 404


def test_the_list_filters_by_status_with_counts(personas):
    create(personas, titel="Open dossier")
    done = create(personas, titel="Afgerond dossier")
    sync(dossiers.update_dossier(current_user(personas["voorzitter"]), done["id"], {"status": "afgerond"}, 1))
    page = personas["werker"].get("/dossiers/?status=afgerond").text
    assert "Afgerond dossier" in page and "Open dossier" not in page
    assert "Afgerond (1)" in page and "Open (1)" in page

"""The signal pages: intake, register, detail, edit and status — per persona, with bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from common.dates import today
from signalen.tables import Signaal, SignaalHistoriek
from tests.support import make_signaal, sync

TODAY = today().isoformat()  # the app's today: Europe/Brussels


def _form(**overrides):
    return {
        "gemeente": "mechelen", "titel": "Laatste bus naar Leuven vertrekt te vroeg",
        "omschrijving": "Na de training in de sporthal kunnen ze niet meer naar huis.", "datum": TODAY,
        **overrides,
    }


# ---------------------------------------------------------------- intake

def test_the_intake_preselects_the_workers_only_gemeente_and_today(werker):
    page = werker.get("/signalen/nieuw")
    assert page.status_code == 200
    assert 'name="gemeente" value="mechelen"' in page.text
    assert f'value="{TODAY}"' in page.text
    assert "Gemeente: <strong>Mechelen</strong>" in page.text


@pytest.mark.parametrize("name", ["partner", "beheerder"])
def test_people_without_a_register_cannot_open_the_intake(personas, name):
    assert personas[name].get("/signalen/nieuw").status_code == 404


def test_anonymous_is_sent_to_login(anonymous):
    response = anonymous.get("/signalen/nieuw", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login/")


def test_a_worker_records_a_signal_and_gets_a_confirmation_with_a_next_button(werker):
    quotes = "De laatste bus is om 21u\nWe moeten stappen"
    response = werker.post_form("/signalen/nieuw", _form(plek="Station", citaten=quotes))
    assert response.status_code == 200
    assert "Signaal opgeslagen" in response.text and "Nog een signaal registreren" in response.text
    row = sync(Signaal.select().first())
    assert row["titel"] == "Laatste bus naar Leuven vertrekt te vroeg" and row["status"] == "nieuw"
    assert row["auteur"] == werker.user_id
    history = sync(SignaalHistoriek.select().where(SignaalHistoriek.signaal == row["id"]))
    assert [(h["van"], h["naar"]) for h in history] == [("", "nieuw")]


def test_the_form_without_csrf_token_stores_nothing(werker):
    werker.csrf()
    response = werker.client.post("/signalen/nieuw", data=_form())
    assert response.status_code == 403
    assert sync(Signaal.count()) == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"titel": "   "}, "titel", "Geef een korte titel."),
        ({"titel": "x" * 121}, "titel", "hoogstens 120 tekens"),
        ({"omschrijving": "y" * 5001}, "omschrijving", "hoogstens 5000 tekens"),
        ({"datum": (today() + dt.timedelta(days=1)).isoformat()}, "datum", "niet in de toekomst"),
        ({"datum": "gisteren"}, "datum", "geldige datum"),
        ({"levensdomein": "bestaat-niet"}, "levensdomein", "Kies een waarde uit de lijst."),
        ({"gemeente": "hoeilaart"}, "gemeente", "geen signalen registreren voor deze gemeente"),
        ({"aantal_jongeren": "-1"}, "aantal_jongeren", "tussen 0 en 10 000"),
        ({"citaten": "z" * 301}, "citaten", "hoogstens 300 tekens"),
    ],
)
def test_bad_input_is_refused_per_field_in_dutch_and_nothing_is_stored(werker, overrides, field, message):
    response = werker.post_form("/signalen/nieuw", _form(**overrides))
    assert response.status_code == 422
    assert message in response.text
    assert f'id="fout-{field}"' in response.text or f'href="#veld-{field}"' in response.text
    assert sync(Signaal.count()) == 0


def test_a_refused_form_keeps_what_was_typed(werker):
    response = werker.post_form("/signalen/nieuw", _form(titel="  ", omschrijving="Mijn lange verhaal 🙂"))
    assert "Mijn lange verhaal 🙂" in response.text


def test_personal_data_is_shown_highlighted_with_a_replacement(werker):
    response = werker.post_form("/signalen/nieuw", _form(omschrijving="Bel Yasmina op 0470 12 34 56 als het misloopt."))
    assert response.status_code == 422
    assert "Mogelijk persoonsgegevens" in response.text
    assert "<mark>0470 12 34 56</mark>" in response.text
    assert "Vervang door [telefoonnummer]" in response.text
    assert sync(Signaal.count()) == 0


def test_one_click_replacement_replaces_all_findings_without_saving(werker):
    response = werker.post_form("/signalen/nieuw", _form(omschrijving="Bel Yasmina op 0470 12 34 56.", vervang="alles"))
    assert response.status_code == 200
    assert "0470 12 34 56" not in response.text and "[telefoonnummer]" in response.text
    assert sync(Signaal.count()) == 0


def test_confirmed_personal_data_is_stored_with_the_confirmation(werker):
    response = werker.post_form("/signalen/nieuw", _form(omschrijving="Bel de jeugdhuiswerking op 0470 12 34 56.",
                                                          bevestig_persoonsgegevens="1"))
    assert response.status_code == 200
    stored = sync(Signaal.select(Signaal.persoonsgegevens).first())["persoonsgegevens"]
    assert "0470 12 34 56" in stored and "bevestigd_door" in stored


@pytest.mark.parametrize("text", ["🙂 emoji", "مرحبا بالشباب", "zero\u200bwidth\u200djoiner",
                                  "'; DROP TABLE signaal; --"])
def test_odd_unicode_and_sql_looking_text_are_stored_and_shown_exactly(werker, text):
    werker.post_form("/signalen/nieuw", _form(titel=text, omschrijving=text))
    row = sync(Signaal.select().first())
    assert row["titel"] == text and row["omschrijving"] == text
    page = werker.get(f"/signalen/{row['id']}")
    assert text.replace("'", "&#39;") in page.text


# ---------------------------------------------------------------- detail and tenancy

@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                     "[klik](javascript:alert(1))", "[klik][1]\n\n[1]: javascript:alert(1)"])
def test_markup_in_a_signal_is_shown_as_text_never_run(werker, payload):
    signaal = make_signaal(werker, titel=payload[:100], omschrijving=payload, citaten=[payload[:100]])
    page = werker.get(f"/signalen/{signaal['id']}").text
    assert "<script>alert" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in page


@pytest.mark.parametrize(("name", "status"), [("werker", 200), ("voorzitter", 200), ("coordinator", 200),
                                              ("werker2", 404), ("partner", 404), ("beheerder", 404)])
def test_who_may_read_a_mechelen_signal(personas, name, status):
    signaal = make_signaal(personas["werker"])
    assert personas[name].get(f"/signalen/{signaal['id']}").status_code == status


@pytest.mark.parametrize("raw", ["999999", "abc", "-1", "0", "99999999999999999999999"])
def test_unknown_ids_are_not_found(werker, raw):
    assert werker.get(f"/signalen/{raw}").status_code == 404


def test_the_detail_shows_markdown_quotes_and_history(werker):
    signaal = make_signaal(werker, omschrijving="**Belangrijk**: geen banken meer", citaten=["Waar moeten we zitten?"])
    page = werker.get(f"/signalen/{signaal['id']}").text
    assert "<strong>Belangrijk</strong>" in page
    assert "Waar moeten we zitten?" in page
    assert "Historiek" in page and "Nieuw" in page


# ---------------------------------------------------------------- register

def test_the_register_lists_only_the_users_gemeenten(werker, werker2):
    make_signaal(werker, titel="Mechelen-signaal")
    make_signaal(werker2, gemeente="hoeilaart", titel="Hoeilaart-signaal")
    mechelen = werker.get("/signalen/").text
    assert "Mechelen-signaal" in mechelen and "Hoeilaart-signaal" not in mechelen
    hoeilaart = werker2.get("/signalen/").text
    assert "Hoeilaart-signaal" in hoeilaart and "Mechelen-signaal" not in hoeilaart


def test_a_partner_cannot_see_the_register(partner):
    assert partner.get("/signalen/").status_code == 404


def test_the_register_searches_dutch_inflections(werker):
    make_signaal(werker, titel="Te weinig ontmoetingsplekken", omschrijving="Geen plek.")
    make_signaal(werker, titel="Laatste bus te vroeg", omschrijving="Vervoer.", plek="Station")
    page = werker.get("/signalen/?q=ontmoetingsplek").text
    assert "Te weinig ontmoetingsplekken" in page and "Laatste bus te vroeg" not in page


def test_the_register_filters_are_kept_in_the_url_and_in_the_export_links(werker):
    make_signaal(werker)
    page = werker.get("/signalen/?status=nieuw&bron=straat").text
    assert "export.csv?status=nieuw&amp;bron=straat" in page


def test_a_foreign_gemeente_filter_is_not_found(werker):
    assert werker.get("/signalen/?gemeente=hoeilaart").status_code == 404


def test_an_end_date_before_the_start_date_is_explained(werker):
    page = werker.get("/signalen/?van=2026-05-01&tot=2026-04-01")
    assert page.status_code == 200 and "De einddatum ligt voor de begindatum." in page.text


def test_the_register_paginates(werker):
    for i in range(3):
        make_signaal(werker, titel=f"Signaal {i}")
    page = werker.get("/signalen/?per_pagina=2").text
    assert "Pagina 1 van 2" in page and "Volgende" in page


# ---------------------------------------------------------------- edit and status

def test_the_author_edits_and_the_history_records_it(werker):
    signaal = make_signaal(werker)
    response = werker.post_form(f"/signalen/{signaal['id']}/bewerken",
                                _form(titel="Nieuwe titel", versie=str(signaal["versie"])))
    assert response.status_code == 200 and "Wijzigingen opgeslagen." in response.text
    row = sync(Signaal.select().where(Signaal.id == signaal["id"]).first())
    assert row["titel"] == "Nieuwe titel" and row["versie"] == signaal["versie"] + 1
    assert "Gewijzigd: " in response.text


def test_an_edit_on_an_old_version_is_refused_with_both_versions_shown(werker, voorzitter):
    signaal = make_signaal(werker)
    voorzitter.post_form(f"/signalen/{signaal['id']}/bewerken", _form(titel="Titel van de voorzitter", versie="1"))
    response = werker.post_form(f"/signalen/{signaal['id']}/bewerken", _form(titel="Titel van de werker", versie="1"))
    assert response.status_code == 409
    assert "Titel van de voorzitter" in response.text and "Titel van de werker" in response.text
    assert 'name="versie" value="2"' in response.text


@pytest.mark.parametrize(("name", "status"), [("werker2", 404), ("partner", 404), ("coordinator", 403)])
def test_others_cannot_edit(personas, name, status):
    signaal = make_signaal(personas["werker"])
    assert personas[name].get(f"/signalen/{signaal['id']}/bewerken").status_code == status
    response = personas[name].post_form(f"/signalen/{signaal['id']}/bewerken", _form(titel="X", versie="1"))
    assert response.status_code == status
    assert sync(Signaal.select(Signaal.titel).first())["titel"] == signaal["titel"]


def test_the_chair_moves_a_signal_and_an_illegal_move_is_refused(werker, voorzitter):
    signaal = make_signaal(werker)
    page = voorzitter.post_form(f"/signalen/{signaal['id']}/status", {"status": "beantwoord"})
    assert "kan niet naar" in page.text
    assert sync(Signaal.select(Signaal.status).first())["status"] == "nieuw"
    page = voorzitter.post_form(f"/signalen/{signaal['id']}/status",
                                {"status": "niet_weerhouden", "toelichting": "Dubbel signaal"})
    assert "Status gewijzigd" in page.text
    assert sync(Signaal.select(Signaal.status).first())["status"] == "niet_weerhouden"
    assert "Dubbel signaal" in page.text


def test_status_change_by_get_is_not_possible(voorzitter, werker):
    signaal = make_signaal(werker)
    assert voorzitter.get(f"/signalen/{signaal['id']}/status").status_code in (404, 405)

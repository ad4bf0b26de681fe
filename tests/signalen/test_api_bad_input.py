"""Bad input on the signalen API, on create AND on patch: markup and links, lengths, odd text, wrong types."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest

from common.dates import today
from signalen.tables import Signaal
from tests.support import sync

API = "/api/v1/signalen"
DAY = today() - dt.timedelta(days=10)


def body(**overrides) -> dict:
    return {
        "gemeente": "mechelen",
        "titel": "Geen plek om te sporten",
        "omschrijving": "Het pleintje is afgesloten sinds de zomer.",
        "datum": DAY.isoformat(),
        **overrides,
    }


def create(persona, **overrides) -> dict:
    response = persona.api("POST", API, json=body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def patch(persona, signaal: dict, **changes):
    current = persona.get(f"{API}/{signaal['id']}").json()
    return persona.api("PATCH", f"{API}/{signaal['id']}", json={"versie": current["versie"], **changes})


def stored(signaal_id: int) -> dict:
    return sync(Signaal.select(Signaal.titel, Signaal.omschrijving, Signaal.plek, Signaal.citaten)
                .where(Signaal.id == signaal_id).first())


class _Markup(HTMLParser):
    """The elements and attributes a browser would actually build from the HTML (escaped text is not markup)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]


def assert_harmless(html: str) -> None:
    markup = _Markup(html)
    assert not {"script", "img", "svg", "iframe", "style", "object"} & set(markup.tags), markup.tags
    assert not [name for name, _ in markup.attrs if name.startswith("on") or name in ("src", "style")]
    for name, value in markup.attrs:
        if name == "href":
            assert value.startswith(("http://", "https://", "mailto:")), value
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "javascript:" not in "".join(
        v for _, v in markup.attrs).lower()


@pytest.fixture
def signaal(werker) -> dict:
    return create(werker)


def _on_create(persona, _signaal, **fields):
    return persona.api("POST", API, json=body(**fields))


def _on_patch(persona, signaal, **fields):
    return patch(persona, signaal, **fields)


BOTH = pytest.mark.parametrize("send", [_on_create, _on_patch], ids=["create", "patch"])

# ----------------------------------------------------------------------------- markup and links

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@BOTH
@pytest.mark.parametrize("evil", [SCRIPT, IMG, '<a href="javascript:alert(1)">klik</a>', "<svg onload=alert(1)>"])
def test_html_is_stored_as_text_and_never_rendered(werker, signaal, send, evil):
    response = send(werker, signaal, titel=f"Titel {evil}", omschrijving=f"Voor {evil} na",
                    citaten=[f"Citaat {evil}"])
    assert response.status_code in (200, 201), response.text
    answer = response.json()
    assert answer["titel"] == f"Titel {evil}"
    assert answer["omschrijving"] == f"Voor {evil} na"
    assert answer["citaten"] == [f"Citaat {evil}"]
    html = answer["omschrijving_html"]
    assert_harmless(html)
    assert "&lt;" in html  # shown as text, not dropped
    assert stored(answer["id"])["titel"] == f"Titel {evil}"
    detail = werker.get(f"{API}/{answer['id']}")
    assert detail.headers["content-type"].startswith("application/json")
    assert "<script" not in detail.json()["omschrijving_html"]


@BOTH
@pytest.mark.parametrize("link", [
    "[x](javascript:alert(1))",
    "[x][1]\n\n[1]: javascript:alert(1)",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
])
def test_dangerous_links_lose_their_href(werker, signaal, send, link):
    response = send(werker, signaal, omschrijving=f"Kijk {link}")
    assert response.status_code in (200, 201), response.text
    html = response.json()["omschrijving_html"]
    assert_harmless(html)
    assert "href" not in html
    assert response.json()["omschrijving"] == f"Kijk {link}"


def test_a_safe_link_stays_and_is_marked_nofollow(werker):
    answer = create(werker, omschrijving="Zie [de stad](https://www.mechelen.be) en **dit**.")
    assert '<a href="https://www.mechelen.be" rel="noopener noreferrer nofollow">de stad</a>' in answer[
        "omschrijving_html"]


# ----------------------------------------------------------------------------- lengths and required fields

@BOTH
@pytest.mark.parametrize(("fields", "field"), [
    ({"titel": "t" * 121}, "titel"),
    ({"omschrijving": "o" * 5001}, "omschrijving"),
    ({"citaten": ["ok", "c" * 301]}, "citaten"),
    ({"citaten": ["c"] * 21}, "citaten"),
    ({"plek": "p" * 201}, "plek"),
    ({"titel": "   \n\t "}, "titel"),
    ({"titel": None}, "titel"),
    ({"omschrijving": "  "}, "omschrijving"),
    ({"datum": (today() + dt.timedelta(days=1)).isoformat()}, "datum"),
    ({"datum": "31-12-2025"}, "datum"),
    ({"datum": "2025-02-30"}, "datum"),
    ({"datum": "1999-12-31"}, "datum"),
    ({"datum": ""}, "datum"),
    ({"levensdomein": "bestaat-niet"}, "levensdomein"),
    ({"signaaltype": "Ruimte"}, "signaaltype"),
    ({"bron": "tv"}, "bron"),
    ({"leeftijd": "99"}, "leeftijd"),
    ({"aantal_jongeren": -1}, "aantal_jongeren"),
    ({"aantal_jongeren": 10_001}, "aantal_jongeren"),
])
def test_invalid_fields_answer_422_with_a_dutch_message_per_field(werker, signaal, send, fields, field):
    response = send(werker, signaal, **fields)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["detail"] == "Niet alle velden zijn goed ingevuld."
    assert set(answer["fields"]) == {field}
    assert isinstance(answer["fields"][field], str) and "Expected" not in answer["fields"][field]
    after = werker.get(f"{API}/{signaal['id']}").json()
    assert (after["versie"], after["titel"]) == (1, "Geen plek om te sporten")
    assert sync(Signaal.count()) == 1


@BOTH
def test_the_longest_allowed_values_are_accepted(werker, signaal, send):
    response = send(werker, signaal, titel="t" * 120, omschrijving="o" * 5000, plek="p" * 200,
                    citaten=["c" * 300] * 20, aantal_jongeren=10_000, datum=today().isoformat())
    assert response.status_code in (200, 201), response.text
    answer = response.json()
    assert (len(answer["titel"]), len(answer["omschrijving"]), len(answer["citaten"])) == (120, 5000, 20)


def test_an_empty_body_names_every_required_field(werker):
    response = werker.api("POST", API, json={})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"gemeente", "titel", "omschrijving", "datum"}
    assert response.json()["fields"]["titel"] == "Geef een korte titel."


@pytest.mark.parametrize(("gemeente", "status"), [("hoeilaart", 404), ("leuven", 404), ("bestaat-niet", 404),
                                                  ("", 422), ("' OR 1=1 --", 404)])
def test_a_foreign_or_unknown_gemeente_is_refused_on_its_field(werker, gemeente, status):
    response = werker.api("POST", API, json=body(gemeente=gemeente))
    assert response.status_code == status
    assert set(response.json()["fields"]) == {"gemeente"}
    assert sync(Signaal.count()) == 0


def test_a_patch_without_versie_is_a_field_error(werker, signaal):
    url = f"{API}/{signaal['id']}"
    for payload in ({"titel": "Zonder versie"}, {"versie": None, "titel": "Zonder versie"}):
        response = werker.api("PATCH", url, json=payload)
        assert response.status_code == 422
        assert response.json()["fields"] == {"versie": "Geef de versie waarop je wijziging steunt."}
    assert werker.get(url).json()["titel"] == "Geen plek om te sporten"


# ----------------------------------------------------------------------------- wrong JSON types

@BOTH
@pytest.mark.parametrize(("fields", "field"), [
    ({"aantal_jongeren": "veel"}, "aantal_jongeren"),
    ({"aantal_jongeren": True}, "aantal_jongeren"),
    ({"aantal_jongeren": 2.5}, "aantal_jongeren"),
    ({"titel": 5}, "titel"),
    ({"citaten": "een tekst"}, "citaten"),
    ({"citaten": [1, 2]}, "citaten"),
    ({"citaten": {"a": "b"}}, "citaten"),
    ({"bevestig_persoonsgegevens": "ja"}, "bevestig_persoonsgegevens"),
])
def test_a_json_type_mismatch_answers_400_in_dutch(werker, signaal, send, fields, field):
    response = send(werker, signaal, **fields)
    assert response.status_code == 400
    answer = response.json()
    assert answer["detail"] == "Deze aanvraag klopt niet."
    assert set(answer["fields"]) == {field}
    assert answer["fields"][field].startswith("Geef ")
    assert werker.get(f"{API}/{signaal['id']}").json()["versie"] == 1


def test_versie_of_the_wrong_type_is_400(werker, signaal):
    response = werker.api("PATCH", f"{API}/{signaal['id']}", json={"versie": "een", "titel": "x"})
    assert response.status_code == 400 and "versie" in response.json()["fields"]


@pytest.mark.parametrize("method", ["POST", "PATCH", "STATUS"])
@pytest.mark.parametrize("content", [b"{niet: json", b"titel=x", b"", b"\xff\xfe", b"[1, 2]", b"null", b'"tekst"'])
def test_a_body_that_is_not_a_json_object_answers_400_in_dutch(werker, signaal, method, content):
    url = {"POST": API, "PATCH": f"{API}/{signaal['id']}", "STATUS": f"{API}/{signaal['id']}/status"}[method]
    response = werker.client.request("PATCH" if method == "PATCH" else "POST", url, content=content,
                                     headers={"x-csrf-token": werker.csrf(), "content-type": "application/json"})
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert detail in ("De inhoud is geen geldige JSON.", "Stuur een JSON-object met de velden.")
    assert "JSON is malformed" not in response.text and "Validation failed" not in response.text
    assert sync(Signaal.count()) == 1


def test_a_status_of_the_wrong_type_is_400(werker, signaal):
    response = werker.api("POST", f"{API}/{signaal['id']}/status", json={"status": 5})
    assert response.status_code == 400 and "status" in response.json()["fields"]


def test_unknown_keys_are_ignored(werker):
    answer = create(werker, kleur="blauw", zoektekst="gehackt", status="afgesloten", versie=9)
    assert (answer["status"], answer["versie"]) == ("nieuw", 1)
    assert "kleur" not in answer


def test_a_body_over_one_mebibyte_is_refused(werker):
    response = werker.api("POST", API, json=body(omschrijving="x" * (1024 * 1024 + 10)))
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Wat je verstuurt is te groot")


# ----------------------------------------------------------------------------- odd text, kept exactly

ODD = ["🙂 jongeren 👍🏽", "مرحبا بالشباب", "a\u200bb", "e\u0301 en é", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "‮omgekeerd‬", "日本語のテキスト"]


@BOTH
@pytest.mark.parametrize("text", ODD)
def test_unicode_is_stored_and_returned_byte_exact(werker, signaal, send, text):
    response = send(werker, signaal, titel=text, omschrijving=text, plek=text, citaten=[text])
    assert response.status_code in (200, 201), response.text
    answer = response.json()
    assert (answer["titel"], answer["omschrijving"], answer["plek"], answer["citaten"]) == (text, text, text, [text])
    assert answer["titel"].encode() == text.encode()
    again = werker.get(f"{API}/{answer['id']}").json()
    assert (again["titel"], again["citaten"]) == (text, [text])
    row = stored(answer["id"])
    assert row["titel"] == text and row["omschrijving"] == text


def test_control_characters_are_dropped_but_newlines_kept(werker):
    answer = create(werker, titel="Tit\x00el\x07", omschrijving="Lijn een\nLijn twee\x1b")
    assert answer["titel"] == "Titel" and answer["omschrijving"] == "Lijn een\nLijn twee"


@BOTH
@pytest.mark.parametrize("text", ["'; DROP TABLE signaal; --", "x'); DELETE FROM signaal;--",
                                  '" OR ""="', "1; SELECT * FROM piccolo_user"])
def test_sql_looking_text_is_just_text(werker, signaal, send, text):
    response = send(werker, signaal, titel=text, omschrijving=text, plek=text, citaten=[text])
    assert response.status_code in (200, 201), response.text
    assert response.json()["titel"] == text and stored(response.json()["id"])["plek"] == text
    assert sync(Signaal.count()) >= 1
    assert werker.get(API, params={"q": text}).status_code == 200
    assert werker.get(API, params={"plek": text}).status_code == 200

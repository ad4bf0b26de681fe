"""Markup a validator and a screen reader rely on: the current menu section, `<time datetime>` values, required
selects with an empty first choice, and the error summary that takes the focus after a refused submit."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from admin.tables import Lidmaatschap, Rol
from common.dates import today
from common.templating import machine_time
from overleg.tables import Overleg, Overleglid, Vergadering
from tests.overleg.test_acties import ov  # noqa: F401  (the overleg with partners and actions)
from tests.support import PERSONAS, make_signaal, sync
from web.templating import current_href, nav_items

# The Nu Html Checker's "valid global date and time string": at most three digits of fractions (we give none).
MACHINE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$")


class Markup(HTMLParser):
    """The few things these tests read from a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.current: list[str] = []  # the hrefs marked aria-current="page" in the main menu
        self.datetimes: list[str] = []
        self.selects: list[dict] = []
        self.autofocus: list[dict] = []
        self._select: dict | None = None
        self._in_menu = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and a.get("aria-label") == "Hoofdmenu":
            self._in_menu = True
        if self._in_menu and tag == "a" and a.get("aria-current") == "page":
            self.current.append(a.get("href") or "")
        if tag == "time" and "datetime" in a:
            self.datetimes.append(a["datetime"] or "")
        if "autofocus" in a:
            self.autofocus.append({"tag": tag, **a})
        if tag == "select":
            self._select = {"name": a.get("name"), "required": "required" in a, "options": []}
            self.selects.append(self._select)
        if tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "nav":
            self._in_menu = False


def read(response) -> Markup:
    assert response.status_code in (200, 422), (response.status_code, response.text[:300])
    return Markup(response.text)


@pytest.fixture
def setup(world, werker):
    async def build():
        mechelen = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen")
        # The chair of two overleggen (Mechelen and Hoeilaart) chooses one for a new meeting.
        tweede = Overleg(gemeente=world.gemeenten["hoeilaart"], naam="Jeugdwelzijnsoverleg Hoeilaart")
        for row in (mechelen, tweede):
            await row.save()
        await Lidmaatschap(user=world.users["voorzitter"], gemeente=world.gemeenten["hoeilaart"],
                           rol=Rol.voorzitter).save()
        await Overleglid(overleg=mechelen.id, user=world.users["voorzitter"], rol="voorzitter").save()
        held = Vergadering(overleg=mechelen.id, datum=today() - dt.timedelta(days=28), begin=dt.time(19, 30),
                           plaats="Stadhuis", status="gehouden")
        later = Vergadering(overleg=mechelen.id, datum=today() - dt.timedelta(days=1), begin=dt.time(19, 30),
                           plaats="Stadhuis", status="gehouden")
        for row in (held, later):
            await row.save()
        return SimpleNamespace(overleg=mechelen.id, held=held.id)

    built = sync(build())
    built.signaal = make_signaal(werker)["id"]
    return built


# ----------------------------------------------------------------------------- the current section in the menu

@pytest.mark.parametrize(("path", "expected"), [
    ("/", "/"), ("/signalen/", "/signalen/"), ("/signalen/12", "/signalen/"), ("/signalen/nieuw", "/signalen/nieuw"),
    ("/signalen", "/signalen/"), ("/dossiers/3/bewerken", "/dossiers/"), ("/vergaderingen/nieuw", "/vergaderingen/"),
    ("/notas/", "/notas/"), ("/inzicht/", "/inzicht/"), ("/signalenlijst", None), ("/bestaat-niet", None),
    ("", None), ("/admin/", None),
])
def test_the_current_section_is_the_longest_menu_entry_above_the_path(path, expected):
    items = [{"href": href} for href in ("/", "/signalen/nieuw", "/signalen/", "/dossiers/", "/vergaderingen/",
                                         "/notas/", "/inzicht/")]
    assert current_href(items, path) == expected


@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "anonymous"])
def test_every_section_of_the_menu_is_marked_current_on_its_own_page(personas, current_users, name, setup):
    persona = personas[name]
    for item in nav_items(current_users[name]):
        if item["href"].startswith("/admin"):
            continue
        page = read(persona.get(item["href"]))
        assert page.current == [item["href"]], (name, item["href"], page.current)


def test_a_page_below_a_section_marks_that_section(werker, setup):
    assert read(werker.get(f"/signalen/{setup.signaal}")).current == ["/signalen/"]
    assert read(werker.get("/signalen/nieuw")).current == ["/signalen/nieuw"]


def test_a_page_outside_the_menu_marks_nothing(werker):
    response = werker.get("/bestaat-niet")
    assert response.status_code == 404
    assert Markup(response.text).current == []


@pytest.fixture
def current_users(personas):
    from tests.support import current_user

    return {name: current_user(p) for name, p in personas.items() if name != "anonymous"}


# ----------------------------------------------------------------------------- <time datetime>

@pytest.mark.parametrize("value", [
    dt.datetime(2026, 12, 2, 7, 5, 3, 123456, tzinfo=dt.UTC), dt.datetime(2026, 12, 2, 7, 5, 3, 999999),
    dt.datetime(2026, 1, 1), dt.date(2026, 2, 28), dt.time(19, 30), dt.time(19, 30, 5, 1),
])
def test_machine_time_never_gives_fractions(value):
    assert MACHINE.match(machine_time(value)) or re.fullmatch(r"\d{2}:\d{2}:\d{2}", machine_time(value))
    assert "." not in machine_time(value)


def test_the_history_of_a_signal_has_valid_datetimes(werker, setup):
    page = read(werker.get(f"/signalen/{setup.signaal}"))
    assert page.datetimes, "the history shows when the signal was recorded"
    for value in page.datetimes:
        assert MACHINE.match(value), value


# ----------------------------------------------------------------------------- required selects

def _required_selects_start_empty(page: Markup) -> list[dict]:
    required = [s for s in page.selects if s["required"]]
    for select in required:
        assert select["options"] and select["options"][0] == "", select
    return required


def test_the_status_select_of_a_signal_starts_with_an_empty_choice(werker, voorzitter, setup):
    for persona in (werker, voorzitter):
        selects = _required_selects_start_empty(read(persona.get(f"/signalen/{setup.signaal}")))
        assert "status" in {s["name"] for s in selects}


def test_choosing_no_status_is_refused_with_a_message(werker, setup):
    response = werker.post_form(f"/signalen/{setup.signaal}/status", {"status": "", "toelichting": ""})
    assert response.status_code == 200  # back on the signal, with the message
    assert "Kies een status." in response.text


def test_the_overleg_select_of_a_new_meeting_starts_with_an_empty_choice(voorzitter, setup):
    selects = _required_selects_start_empty(read(voorzitter.get("/vergaderingen/nieuw")))
    assert "overleg" in {s["name"] for s in selects}


@pytest.mark.parametrize("overleg", ["", "   "])
def test_a_new_meeting_without_an_overleg_gets_a_message_not_a_404(voorzitter, setup, overleg):
    soon = (today() + dt.timedelta(days=14)).isoformat()
    response = voorzitter.post_form("/vergaderingen/nieuw", {"overleg": overleg, "datum": soon, "begin": "19:30",
                                                             "plaats": "Jeugdhuis"})
    if overleg:
        assert response.status_code == 404  # not an id: as before
        return
    assert response.status_code == 422
    assert "Kies een overleg." in response.text
    assert Markup(response.text).autofocus[0]["id"] == "fouten"


def test_the_approval_select_of_the_minutes_starts_with_an_empty_choice(voorzitter, setup):
    selects = _required_selects_start_empty(read(voorzitter.get(f"/vergaderingen/{setup.held}/verslag")))
    assert "goedgekeurd_in" in {s["name"] for s in selects}


def test_approving_the_minutes_without_a_meeting_is_refused(voorzitter, setup):
    response = voorzitter.post_form(f"/vergaderingen/{setup.held}/verslag/goedkeuren", {"goedgekeurd_in": ""})
    assert response.status_code == 200
    assert "Kies een latere vergadering" in response.text


@pytest.mark.parametrize("name", ["werker", "coordinator"])
def test_the_intake_has_only_valid_required_selects(personas, name):
    _required_selects_start_empty(read(personas[name].get("/signalen/nieuw")))


# ----------------------------------------------------------------------------- focus after a refused submit

@pytest.mark.parametrize("name", ["werker", "voorzitter", "coordinator"])
def test_a_refused_intake_puts_the_focus_on_the_error_summary(personas, name):
    persona = personas[name]
    response = persona.post_form("/signalen/nieuw", {"gemeente": "mechelen", "titel": "", "omschrijving": "",
                                                     "datum": "gisteren", "aantal_jongeren": "-4"})
    assert response.status_code == 422
    page = Markup(response.text)
    assert [(f["tag"], f.get("id"), f.get("tabindex")) for f in page.autofocus] == [("div", "fouten", "-1")]


def test_a_form_without_errors_takes_no_focus(werker):
    assert Markup(werker.get("/signalen/nieuw").text).autofocus == []


def test_the_partner_and_anonymous_cannot_reach_the_intake(partner, anonymous):
    assert partner.get("/signalen/nieuw", follow_redirects=False).status_code in (403, 404)
    assert anonymous.get("/signalen/nieuw", follow_redirects=False).status_code in (302, 303)


def test_a_refused_new_action_puts_the_focus_on_its_error_summary(voorzitter, ov):  # noqa: F811
    response = voorzitter.post_form("/acties/", {"overleg": str(ov.mechelen), "wat": "", "lens": "x"})
    assert response.status_code == 422
    assert [(f["tag"], f.get("id")) for f in Markup(response.text).autofocus] == [("div", "fouten")]
    assert Markup(voorzitter.get("/acties/").text).autofocus == []

"""Privacy matrix, generated from the app's route table like the tenancy matrix (tests/test_security_regression.py):
a signal in Mechelen whose title, place, description and quote hold a name, a phone number, an address and a
handle, confirmed by its author for the register only, is bundled into a dossier on a published agenda, a sent
nota and an action (through the services). Then every GET route (pages, API, CSV/XLSX, PDFs, .ics) is read by
those outside the register of Mechelen — a partner, a worker of another gemeente, a coördinator who is no member
of Mechelen — and none of the four markers may appear. Register readers of Mechelen still see them on the signal
page: the matrix can fail.

PDF routes are walked by a test of their own (marked `pdf`), so the rest of the matrix stays fast.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest

from common.dates import today
from tests.support import PASSWORD, current_user, login_as, make_signaal, pdf_text, sync
from tests.test_security_regression import CAPABILITY, FILE_ROUTES, GET_ROUTES, Route, kind_of

NAME, PHONE, ADDRESS, HANDLE = "Jan Peeters", "0470 12 34 56", "Kerkstraat 12", "@janneke_p"
MARKERS = (NAME, PHONE, ADDRESS, HANDLE)
PLANTED = {
    "titel": f"{NAME} wordt weggestuurd aan {ADDRESS}",
    "plek": f"{ADDRESS}",
    "omschrijving": f"{NAME} ({HANDLE} op insta) vraagt een plek. Bel {PHONE} of kom naar {ADDRESS}.",
    "citaten": [f"Ik ben {NAME}, bel me op {PHONE}, snap {HANDLE}, ik woon in de {ADDRESS}."],
}
OUTSIDERS = ("partner", "werker2", "coordinator_h")  # no register of Mechelen
REGISTER = ("werker", "voorzitter", "coordinator")  # Mechelen's register readers
PDF_ROUTES = {r for r in GET_ROUTES if r.path.endswith(("pdf", "/jaarrapport"))}


def leaks(text: str) -> list[str]:
    """The markers in a text, case-insensitive; the phone number also without its spaces."""
    low = text.lower()
    found = [m for m in MARKERS if m.lower() in low]
    if PHONE.replace(" ", "") in re.sub(r"\s+", "", low) and PHONE not in found:
        found.append(PHONE)
    return found


def body_text(response) -> str:
    """What a reader gets: PDF text through pdftotext, every cell of an XLSX, else the body as text."""
    kind = response.headers.get("content-type", "")
    if kind.startswith("application/pdf"):
        return pdf_text(response.content)
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                             if n.endswith(".xml"))
    return response.content.decode("utf-8", "replace")


# ----------------------------------------------------------------------------- the planted world

def _coordinator_of_hoeilaart(world) -> None:
    """A coördinator of the organisation who is a member in Hoeilaart only: Mechelen is an aggregate for them."""
    from admin.demo import create_user
    from admin.tables import Rol

    user = sync(create_user("coordinator_h", PASSWORD, first_name="Coördinator", last_name="Hoeilaart",
                            memberships=[("hoeilaart", Rol.coordinator)]))
    world.users["coordinator_h"] = user.id


def plant(world, personas) -> dict[str, object]:
    """The signal and everything it travels into, made through the services as the chair would."""
    from inzicht import bovenlokaal
    from overleg.acties.services import create_actie
    from overleg.dossiers.services import create_dossier
    from overleg.notas import lifecycle
    from overleg.tables import Overleg, Overleglid, Partner
    from overleg.vergaderingen import agenda, kalender
    from overleg.vergaderingen.services import create_vergadering

    chair = current_user(personas["voorzitter"])
    signaal = make_signaal(personas["werker"], confirm=True, **PLANTED)
    assert signaal["persoonsgegevens"], "the guard should have flagged the planted data"
    make_signaal(personas["werker"], confirm=True, titel=f"{NAME} weer weggestuurd aan {ADDRESS}", plek=ADDRESS,
                 omschrijving=f"{NAME} vraagt opnieuw een plek.")
    for titel in ("Jongeren weggestuurd aan het plein", "Weer weggestuurd aan het Dorpsplein"):
        make_signaal(personas["werker2"], gemeente="hoeilaart", titel=titel, plek="Dorpsplein",
                     omschrijving="Jongeren worden weggestuurd en vragen een plek.",
                     citaten=["We mogen nergens zitten."])

    overleg = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen")
    sync(overleg.save())
    caw = Partner(overleg=overleg.id, naam="CAW", soort="caw")
    sync(caw.save())
    sync(Overleglid(overleg=overleg.id, user=world.users["voorzitter"], rol="voorzitter").save())
    sync(Overleglid(overleg=overleg.id, user=world.users["partner"], partner=caw.id, rol="partner").save())

    dossier = sync(create_dossier(chair, "mechelen", "Geen plek om samen te zitten", "Tieners missen een plek.",
                                  [signaal["id"]]))
    vergadering = sync(create_vergadering(chair, overleg.id, {
        "datum": (today() + dt.timedelta(days=14)).isoformat(), "begin": "19:00", "plaats": "Stadhuis"}))
    punt = sync(agenda.add_dossier_punt(chair, vergadering["id"], dossier["id"]))
    sync(agenda.publish(chair, vergadering["id"]))
    actie = sync(create_actie(chair, overleg_id=overleg.id, agendapunt_id=punt["id"], dossier_id=dossier["id"],
                              wat="Samen met de jongeren een plek zoeken", partner_id=caw.id,
                              deadline=(today() + dt.timedelta(days=30)).isoformat(), lens="bijschakelen"))
    created = personas["voorzitter"].api("POST", "/api/v1/notas", json={
        "dossiers": [dossier["id"]], "adressaat": "college", "onderwerp": "Een plek voor tieners",
        "citaten": PLANTED["citaten"]})
    assert created.status_code == 201, created.text
    nota_id = created.json()["id"]
    from admin.tables import Gemeente

    sync(Gemeente.update({Gemeente.college_email: "college@mechelen.example"}).where(
        Gemeente.id == world.gemeenten["mechelen"]))
    sync(lifecycle.send(chair, nota_id))
    feeds = {name: sync(kalender.new_feed(world.users[name])) for name in (*OUTSIDERS, *REGISTER)}
    since = today() - dt.timedelta(days=365)
    themas = [t.sleutel for t in sync(bovenlokaal.themes(current_user(personas["coordinator_h"]), since))]
    assert themas, "Mechelen and Hoeilaart share a theme: the bovenlokaal pages have something to show"
    from berichten.tables import Bericht

    first_mail = sync(Bericht.select(Bericht.id).order_by(Bericht.id).first())
    assert first_mail, "publishing the agenda and sending the nota queue mails"
    return {"themas": themas, "signaal": signaal["id"], "dossier": dossier["id"], "vergadering": vergadering["id"],
            "overleg": overleg.id, "actie": actie["id"], "signaalnota": nota_id, "agendapunt": punt["id"],
            "feeds": feeds, "bericht": first_mail["id"]}


@pytest.fixture
def planted(app, world, personas):
    _coordinator_of_hoeilaart(world)
    people = {**personas, "coordinator_h": login_as(app, world, "coordinator_h")}
    return plant(world, people), people


def urls(route: Route, ids: dict, persona: str) -> list[str]:
    """The URLs a route is read at: ids of the planted objects in the path; without ids also `gemeente=mechelen`."""
    if (route.method, route.path) in CAPABILITY:
        return [f"/kalender/{ids['feeds'][persona]}.ics"]
    if (route.method, route.path) in FILE_ROUTES:
        from inzicht.controllers import CHARTS

        return [f"/inzicht/{slug}.csv{q}" for slug in CHARTS for q in ("", "?gemeente=mechelen")]
    if not route.params:
        themas = [f"?adressaat=bovenlokaal&thema={key}&periode=12" for key in ids["themas"]]
        extra = {"/notas/nieuw": [f"?dossier={ids['dossier']}", *themas],
                 "/inzicht/jaarrapport": [f"?gemeente=mechelen&jaar={today().year}"]}.get(route.path, [])
        return [route.path + q for q in ("", "?gemeente=mechelen", *extra)]
    path = route.path
    for param in route.params:
        kind = kind_of(route, param)
        assert kind in ids, f"{route}: no planted {kind}"
        path = re.sub(r"\{" + param + r"(?::\w+)?\}", str(ids[kind]), path)
    return [path]


def walk(routes, ids: dict, people: dict) -> tuple[list[str], int]:
    problems, read = [], 0
    for route in routes:
        for name in OUTSIDERS:
            for url in urls(route, ids, name):
                response = people[name].get(url, follow_redirects=False)
                assert response.status_code < 500, f"{name} GET {url}: {response.status_code}"
                read += response.status_code == 200
                found = leaks(body_text(response))
                if found:
                    problems.append(f"{name} GET {url} ({response.status_code}): {found}")
    return problems, read


# ----------------------------------------------------------------------------- the matrix

def test_the_register_readers_of_mechelen_still_see_the_planted_data(planted):
    ids, people = planted
    for name in REGISTER:
        page = people[name].get(f"/signalen/{ids['signaal']}")
        assert page.status_code == 200, name
        assert set(leaks(page.text)) == set(MARKERS), name
    api = people["voorzitter"].get(f"/api/v1/dossiers/{ids['dossier']}").json()
    assert NAME in api["signaaloverzicht"][0]["titel"] and ADDRESS in api["bewijs"]["plekken"][0]["label"]


def test_nobody_outside_the_register_reads_the_planted_data_on_any_route(planted):
    ids, people = planted
    problems, read = walk([r for r in GET_ROUTES if r not in PDF_ROUTES], ids, people)
    assert not problems, "\n".join(problems)
    assert read >= 40  # the outsiders really read pages (not only 404s)


@pytest.mark.pdf
def test_nobody_outside_the_register_reads_the_planted_data_in_any_pdf(planted):
    ids, people = planted
    problems, read = walk(sorted(PDF_ROUTES, key=str), ids, people)
    assert not problems, "\n".join(problems)
    assert read >= 3  # the sent nota, the agenda and the yearly report at least
    assert len(PDF_ROUTES) >= 5


def test_the_coordinator_elsewhere_really_reads_the_bovenlokaal_pages_the_matrix_walks(planted):
    ids, people = planted
    page = people["coordinator_h"].get("/bovenlokaal/")
    assert page.status_code == 200 and 'Mechelen <span class="muted">(cijfers)</span>' in page.text
    for key in ids["themas"]:
        form = people["coordinator_h"].get(f"/notas/nieuw?adressaat=bovenlokaal&thema={key}&periode=12")
        assert form.status_code == 200, key


def _mails() -> list[dict]:
    from berichten.tables import Bericht, BerichtBijlage

    rows = sync(Bericht.select().order_by(Bericht.id))
    for row in rows:
        meta = json.loads(row["attachments"]) if isinstance(row["attachments"], str) else row["attachments"]
        ids = [item["bijlage"] for item in meta]
        row["files"] = sync(BerichtBijlage.select().where(BerichtBijlage.id.is_in(ids))) if ids else []
    return rows


@pytest.mark.pdf
def test_no_mail_carries_the_planted_data(planted):
    """Every mail the planted world caused (agenda to the partner, the nota to the college, the loop back to the
    worker, …): subject, text, HTML and attachments (PDF text) hold none of the markers, whoever receives it."""
    mails = _mails()
    kinds = {m["kind"] for m in mails}
    assert {"agenda_gepubliceerd", "nota_verstuurd"} <= kinds, kinds
    problems = []
    for mail in mails:
        parts = [mail["subject"], mail["text"], mail["html"] or ""]
        parts += [pdf_text(f["data"]) if f["data"][:4] == b"%PDF" else f["data"].decode("utf-8", "replace")
                  for f in mail["files"]]
        found = leaks("\n".join(parts))
        if found:
            problems.append(f"{mail['kind']} to {mail['to_email']}: {found}")
    assert not problems, "\n".join(problems)


def test_the_councils_answer_page_shows_none_of_the_planted_data(planted, app):
    """The secret link in the college's mail opens the nota without an account: an outside audience."""
    ids, people = planted
    mail = next(m for m in _mails() if m["kind"] == "nota_verstuurd")
    link = re.search(r"/antwoord/[A-Za-z0-9_-]+", mail["text"])
    assert link, "the nota mail holds the answer link"
    outsider = login_as(app, None, "anonymous")
    page = outsider.get(link.group(0))
    assert page.status_code == 200 and "Een plek voor tieners" in page.text
    assert not leaks(page.text), leaks(page.text)

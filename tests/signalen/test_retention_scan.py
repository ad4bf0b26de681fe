"""Retention and erasure leave nothing behind (issue 13, items 6 and 7, acceptance).

Unique markers are planted in every place a signal's text travels — the signal, its quote, the dossier (title,
history, comment), an agenda item, an action, the minutes, a nota (subject, sections, quotes, comment) that is sent
and so has a stored PDF — and in a user's account. After `manage.py bewaartermijn` and `manage.py wis-gebruiker`
(run in-process), the raw bytes of the SQLite database, its -wal and -shm files, and the text of every stored PDF
(pdftotext) hold none of them; on PostgreSQL every text column of every table is searched through SQL.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

import manage
from admin.tables import LoginPoging
from audit.tables import Audit
from berichten.tables import Bericht
from common import dates
from common.dates import today
from overleg.tables import (
    Actie,
    Agendapunt,
    Deelnemer,
    DossierHistoriek,
    NotaCommentaar,
    Overleg,
    Signaalnota,
    Vergadering,
    Verslag,
)
from settings import get_settings
from signalen.tables import Signaal, SignaalHistoriek
from tests.overleg.test_notas import make_overleg, new_nota
from tests.support import PASSWORD, login_as, make_signaal, pdf_text, sync

# Lower case on purpose: the privacy guard leaves them alone, so they really reach the PDF before retention.
TITEL = "zwrtmarkertitel quarmbyxa bij de kaai"
CITAAT = "zwrtmarkercitaat quarmbyxb: we worden overal weggestuurd"
ALINEA = "zwrtmarkeromschrijving quarmbyxc vertelt over thuis"
PLEK = "zwrtmarkerplek quarmbyxd 12"
OWN_TEXTS = {  # written by people in the overleg about this one signal's dossier
    "dossier": "zwrtmarkerdossier quarmbyxe",
    "historiek": "zwrtmarkerhistoriek quarmbyxf besproken",
    "commentaar": "zwrtmarkercommentaar quarmbyxg",
    "notitie": "zwrtmarkernotitie quarmbyxh",
    "actie": "zwrtmarkeractie quarmbyxi",
    "onderwerp": "zwrtmarkeronderwerp quarmbyxj",
    "sectie": "zwrtmarkersectie quarmbyxk",
    "notacommentaar": "zwrtmarkernotacommentaar quarmbyxl",
}
SIGNAL_MARKERS = ("zwrtmarker", "quarmbyx")
USER = {"username": "kwxgebruiker", "first_name": "Plimsoqvar", "last_name": "Trubbelvink",
        "email": "kwxgebruiker@example.org"}
USER_MARKERS = ("kwxgebruiker", "plimsoqvar", "trubbelvink")
POSTGRES = get_settings().engine == "postgres"


# ----------------------------------------------------------------------------- scanning

def _files() -> list[Path]:
    db = get_settings().sqlite_path
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm")]


def _file_hits(markers) -> dict[str, list[str]]:
    found = {}
    for path in _files():
        if path.exists():
            data = path.read_bytes().lower()
            hits = [m for m in markers if m.encode() in data]
            if hits:
                found[path.name] = hits
    return found


def _pdf_hits(markers) -> dict[str, list[str]]:
    found = {}
    for row in sync(Signaalnota.select(Signaalnota.referentie, Signaalnota.pdf).where(Signaalnota.pdf.is_not_null())):
        text = pdf_text(bytes(row["pdf"])).lower()
        hits = [m for m in markers if m in text]
        if hits:
            found[row["referentie"]] = hits
    return found


def _sql_hits(markers) -> dict[str, list[str]]:
    """PostgreSQL: every text-like column of every table (JSON, tsvector and arrays as text; bytea as bytes)."""
    found: dict[str, list[str]] = {}
    columns = sync(Audit.raw("SELECT table_name, column_name, data_type FROM information_schema.columns "
                             "WHERE table_schema = 'public' ORDER BY table_name, column_name"))
    for column in columns:
        table, name, kind = column["table_name"], column["column_name"], column["data_type"]
        if kind in ("integer", "bigint", "smallint", "boolean", "date", "numeric", "double precision", "real",
                    "time without time zone", "timestamp with time zone", "timestamp without time zone", "uuid"):
            continue
        for marker in markers:
            if kind == "bytea":
                where = f"position(convert_to({{}}, 'UTF8') in \"{name}\") > 0"
            else:
                where = f'lower("{name}"::text) LIKE {{}}'
            query = f'SELECT count(*) AS n FROM "{table}" WHERE {where}'  # noqa: S608 - names from the catalog
            arg = marker if kind == "bytea" else f"%{marker}%"
            if sync(Audit.raw(query, arg))[0]["n"]:
                found.setdefault(f"{table}.{name}", []).append(marker)
    return found


def leftovers(markers) -> dict[str, list[str]]:
    found = _pdf_hits(markers)
    found.update(_sql_hits(markers) if POSTGRES else _file_hits(markers))
    return found


@pytest.fixture
def wal():
    """SQLite as the app runs it: in WAL mode (the mode stays with the file)."""
    if not POSTGRES:
        from piccolo.engine.finder import engine_finder

        sync(engine_finder().run_ddl("PRAGMA journal_mode=WAL"))


# ----------------------------------------------------------------------------- retention

def _plant(personas, world) -> dict:
    werker, chair = personas["werker"], personas["voorzitter"]
    overleg_id = make_overleg(world)
    signaal = make_signaal(werker, confirm=True, titel=TITEL, omschrijving=f"Eerste alinea.\n\n{ALINEA}", plek=PLEK,
                           citaten=[CITAAT])
    response = chair.api("POST", "/api/v1/dossiers", json={"gemeente": "mechelen", "titel": OWN_TEXTS["dossier"],
                                                           "signalen": [signaal["id"]]})
    assert response.status_code == 201, response.text
    dossier_id = response.json()["id"]
    comment = chair.api("POST", f"/api/v1/dossiers/{dossier_id}/commentaren",
                        json={"tekst": OWN_TEXTS["commentaar"], "bevestig": True})
    assert comment.status_code in (200, 201), comment.text
    sync(DossierHistoriek(dossier=dossier_id, tijdstip=dates.now(), actie="notitie",
                          toelichting=OWN_TEXTS["historiek"]).save())
    vergadering = Vergadering(overleg=overleg_id, datum=today(), begin=dt.time(19, 0), status="gepubliceerd")
    sync(vergadering.save())
    punt = Agendapunt(vergadering=vergadering.id, titel=TITEL, dossier=dossier_id, notities=OWN_TEXTS["notitie"])
    sync(punt.save())
    sync(Actie(overleg=overleg_id, agendapunt=punt.id, dossier=dossier_id, wat=OWN_TEXTS["actie"]).save())
    sync(Verslag(vergadering=vergadering.id, inhoud=f"# Verslag\n\nUit het signaal: \"{CITAAT}\".\n\n{ALINEA}.").save())
    sync(Signaal.update({Signaal.status: "geagendeerd"}).where(Signaal.id == signaal["id"]))
    nota = new_nota(chair, [dossier_id], onderwerp=OWN_TEXTS["onderwerp"])
    sync(Signaalnota.update({
        Signaalnota.secties: f'{{"aanleiding": "{OWN_TEXTS["sectie"]}", "analyse": "Zie {TITEL}."}}',
        Signaalnota.citaten: f'["{CITAAT}"]',
    }).where(Signaalnota.id == nota["id"]))
    sync(NotaCommentaar(nota=nota["id"], user=chair.user_id, tekst=OWN_TEXTS["notacommentaar"],
                        tijdstip=dates.now()).save())
    sent = chair.api("POST", f"/api/v1/notas/{nota['id']}/versturen")
    assert sent.status_code == 200, sent.text
    # Years later the signal is closed and its retention period has passed.
    long_ago = dates.now() - dt.timedelta(days=365 * 6)
    sync(Signaal.update({Signaal.status: "afgesloten", Signaal.gewijzigd_op: long_ago}).where(
        Signaal.id == signaal["id"]))
    sync(SignaalHistoriek(signaal=signaal["id"], tijdstip=long_ago, gebruiker=werker.user_id, soort="status",
                          van="teruggekoppeld", naar="afgesloten", toelichting=f"Afgesloten: {TITEL}").save())
    return {"signaal": signaal["id"], "dossier": dossier_id, "nota": nota["id"]}


def test_retention_leaves_no_marker_in_the_database_files_or_stored_pdfs(personas, world, wal, capsys):
    planted = _plant(personas, world)
    before = sync(Signaalnota.select().where(Signaalnota.id == planted["nota"]).first())
    pdf_before = pdf_text(bytes(before["pdf"])).lower()
    assert "zwrtmarkersectie" in pdf_before and "zwrtmarkercitaat" in pdf_before  # the PDF really held them
    assert leftovers(SIGNAL_MARKERS)  # and the scan really finds what is there
    history_with_text = sync(DossierHistoriek.count().where(
        (DossierHistoriek.dossier == planted["dossier"]) & (DossierHistoriek.toelichting != "")))
    mails = sync(Bericht.count().where(Bericht.text.ilike("%zwrtmarker%")))
    assert mails, "the worker heard by mail that the signal moved on: the outbox holds a copy of its title"

    manage.main(["bewaartermijn"])

    out = capsys.readouterr().out
    assert "mechelen: bewaartermijn 5 jaar; geanonimiseerd: 1;" in out
    assert (f"gewijzigde rijen per tabel: actie 1, agendapunt 1, bericht {mails}, commentaar 1, dossier 1, "
            f"dossier_historiek {history_with_text}, nota_commentaar 1, signaal 1, signaal_historiek 4, "
            "signaalnota 1, verslag 1") in out
    assert leftovers(SIGNAL_MARKERS) == {}

    after = sync(Signaalnota.select().where(Signaalnota.id == planted["nota"]).first())
    for kept in ("referentie", "verstuurd_op", "adressaat", "pdf_sha256", "status", "gemeente"):
        assert after[kept] == before[kept], kept
    assert after["pdf"] != before["pdf"] and after["geanonimiseerd_op"] is not None
    text = pdf_text(bytes(after["pdf"]))
    assert "Geanonimiseerd op" in text and "na de bewaartermijn" in text
    assert before["referentie"] in text  # the number stays, and so do the counts from the signals
    assert "1 signaal" in text or "1 jongere" in text or "signalen" in text.lower()


def test_the_dossier_api_shows_no_copy_after_retention(personas, world, wal):
    planted = _plant(personas, world)
    manage.main(["bewaartermijn"])
    for name in ("voorzitter", "partner", "werker", "coordinator"):
        response = personas[name].get(f"/api/v1/dossiers/{planted['dossier']}")
        body = response.text.lower()
        assert response.status_code == 200 or name not in ("voorzitter", "partner"), (name, response.status_code)
        assert "zwrtmarker" not in body and "quarmbyx" not in body, name
    assert personas["werker2"].get(f"/api/v1/dossiers/{planted['dossier']}").status_code == 404
    assert personas["anonymous"].get(f"/api/v1/dossiers/{planted['dossier']}").status_code in (401, 303, 302)


def test_texts_with_wildcards_and_markup_are_matched_literally(personas, world, wal):
    """LIKE and regex characters in a signal's text neither break the command nor widen what it removes."""
    odd = "Prijs 100% _duur_ (echt?) [x] <script>alert(1)</script> \\ ' OR 1=1 --"
    signaal = make_signaal(personas["werker"], titel=odd, confirm=True)
    make_overleg(world)
    response = personas["voorzitter"].api("POST", "/api/v1/dossiers", json={
        "gemeente": "mechelen", "titel": "Dure toegang", "signalen": [signaal["id"]]})
    assert response.status_code == 201, response.text
    dossier_id = response.json()["id"]
    live = make_signaal(personas["werker"], titel="Een ander signaal blijft open")
    sync(Signaal.update({Signaal.dossier: dossier_id}).where(Signaal.id == live["id"]))
    lookalike = "Prijs 100X aduurb (echtX) Xx] iets anders"  # what a wildcard reading of the title would also match
    sync(DossierHistoriek(dossier=dossier_id, tijdstip=dates.now(), actie="notitie", toelichting=lookalike).save())
    long_ago = dates.now() - dt.timedelta(days=365 * 6)
    sync(Signaal.update({Signaal.status: "afgesloten", Signaal.gewijzigd_op: long_ago}).where(
        Signaal.id == signaal["id"]))
    manage.main(["bewaartermijn"])
    history = [r["toelichting"] for r in sync(DossierHistoriek.select().where(DossierHistoriek.dossier == dossier_id))]
    assert lookalike in history
    assert not any(odd in text for text in history)
    assert any(f"{signaal['id']}: [geanonimiseerd]" in text for text in history)


def test_running_retention_again_changes_nothing(personas, world, wal, capsys):
    planted = _plant(personas, world)
    manage.main(["bewaartermijn"])
    first = sync(Signaalnota.select().where(Signaalnota.id == planted["nota"]).first())
    capsys.readouterr()
    manage.main(["bewaartermijn"])
    assert "totaal geanonimiseerd: 0" in capsys.readouterr().out
    assert sync(Signaalnota.select().where(Signaalnota.id == planted["nota"]).first()) == first


def test_a_live_signal_keeps_its_copies(personas, world, wal):
    """Only the expired signal's text goes: a dossier with a live signal keeps its own text and that signal's."""
    planted = _plant(personas, world)
    live = make_signaal(personas["werker"], titel="Een levend signaal over de speelpleinen")
    sync(Signaal.update({Signaal.dossier: planted["dossier"], Signaal.status: "geagendeerd"}).where(
        Signaal.id == live["id"]))
    sync(DossierHistoriek(dossier=planted["dossier"], tijdstip=dates.now(), actie="notitie",
                          toelichting=f"{live['id']}: Een levend signaal over de speelpleinen").save())
    manage.main(["bewaartermijn"])
    history = " ".join(r["toelichting"] for r in sync(DossierHistoriek.select().where(
        DossierHistoriek.dossier == planted["dossier"])))
    assert "Een levend signaal over de speelpleinen" in history  # the live one's copy stays
    assert OWN_TEXTS["historiek"] in history  # the dossier is not past retention: its own notes stay
    assert "zwrtmarkertitel" not in history  # the expired signal's copy went
    nota = sync(Signaalnota.select().where(Signaalnota.id == planted["nota"]).first())
    assert OWN_TEXTS["sectie"] in nota["secties"] and CITAAT not in nota["citaten"]


# ----------------------------------------------------------------------------- erasure

def test_erasure_leaves_no_name_in_the_database_files_or_the_log(personas, world, wal, caplog):
    from admin.demo import create_user
    from admin.tables import Rol

    user = sync(create_user(USER["username"], PASSWORD, first_name=USER["first_name"], last_name=USER["last_name"],
                            email=USER["email"], memberships=[("mechelen", Rol.partner)]))
    caplog.set_level(logging.INFO)
    person = login_as(personas["werker"].client.app, None, "anonymous")
    assert person.post_form("/login/", {"username": USER["username"], "password": "fout"}).status_code == 400
    person.post_form("/login/", {"username": USER["username"], "password": PASSWORD})
    assert person.get("/").status_code == 200
    overleg_id = make_overleg(world)
    vergadering = Vergadering(overleg=overleg_id, datum=today(), begin=dt.time(19, 0), status="gepubliceerd")
    sync(vergadering.save())
    sync(Deelnemer(vergadering=vergadering.id, user=user.id,
                   naam=f"{USER['first_name']} {USER['last_name']}").save())
    assert sync(Audit.count().where(Audit.gebruiker == user.id)) >= 2
    assert leftovers(USER_MARKERS)  # the scan finds the name while it is there

    manage.main(["wis-gebruiker", USER["username"], "--ja"])

    assert leftovers(USER_MARKERS) == {}
    assert sync(Audit.count().where(Audit.gebruiker == user.id)) >= 2  # the trail is whole, untouched
    assert sync(LoginPoging.count().where(LoginPoging.username.like("verwijderd-%"))) >= 2
    lines = " ".join(r.getMessage() for r in caplog.records).lower()
    assert not any(marker in lines for marker in USER_MARKERS)
    assert sync(Overleg.exists().where(Overleg.id == overleg_id))

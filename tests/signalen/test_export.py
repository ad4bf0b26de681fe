"""The register export (CSV and XLSX): format, filters, tenancy per persona, formula injection, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from admin.sessions import resolve
from common import tabular
from common.dates import local, now, today
from signalen import export, filters, services
from tests.support import sync

BOM = b"\xef\xbb\xbf"
ACCENTS = "Caputsteenpark – té duur, één bank 🙂"
HEADERS = ["ID", "Gemeente", "Datum", "Titel", "Omschrijving", "Plek", "Bron", "Levensdomein", "Signaaltype",
           "Aantal jongeren", "Leeftijd", "Citaten", "Status", "Dossier", "Auteur", "Geregistreerd op"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ----------------------------------------------------------------------------- helpers

def _user(persona):
    return sync(resolve(persona.client.cookies.get("id")))


def make(persona, **fields) -> dict:
    data = {
        "gemeente": "hoeilaart" if persona.name == "werker2" else "mechelen",
        "titel": "Te weinig plaats om samen te zijn",
        "omschrijving": "Jongeren vinden geen plek in de buurt.",
        "datum": "2025-03-14",
        "plek": "Vrijbroekpark",
        "bron": "straat",
        "levensdomein": "ruimte",
        "signaaltype": "te-weinig-ontmoetingsplekken",
        "aantal_jongeren": 7,
        "leeftijd": "16-18",
        "citaten": ["Waar moeten we dan naartoe?"],
        **fields,
    }
    return sync(services.create_signaal(_user(persona), data, confirm=True))


def move(persona, signaal: dict, *statuses: str) -> None:
    for status in statuses:
        sync(services.set_status([signaal["id"]], status, _user(persona).id, "voor de test"))


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))


def csv_ids(response) -> list[int]:
    return [int(row[0]) for row in read_csv(response)[1:]]


def read_xlsx(response):
    return load_workbook(io.BytesIO(response.content))


def xlsx_ids(response) -> list[int]:
    ws = read_xlsx(response)["Signalen"]
    return [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]


def filters_sheet(response) -> dict:
    return {name: value for name, value in read_xlsx(response)["Filters"].iter_rows(min_row=2, values_only=True)}


def expected_ids(persona, query: dict) -> list[int]:
    chosen, errors = filters.parse(query)
    assert not errors
    rows, _ = sync(services.list_signalen(_user(persona), chosen, limit=50_000))
    return [row["id"] for row in rows]


def file_name(response) -> str:
    match = re.fullmatch(r'attachment; filename="([^"]+)"', response.headers["content-disposition"])
    assert match, response.headers["content-disposition"]
    return match.group(1)


# ----------------------------------------------------------------------------- CSV format

def test_csv_is_utf8_with_bom_semicolons_crlf_dutch_headers_and_intact_text(werker):
    signaal = make(werker, titel=ACCENTS, omschrijving="Regel één\nregel twee; met \"aanhalingstekens\"",
                   citaten=["Dat is 💸 te duur", "Waar moeten we heen?"], leeftijd="-12")
    response = werker.get("/signalen/export.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "charset=utf-8" in response.headers["content-type"]
    assert file_name(response) == f"signalen-alle-{today().isoformat()}.csv"
    assert response.headers["cache-control"] == "no-store"
    body = response.content
    assert body.startswith(BOM)
    assert body[len(BOM):].split(b"\r\n")[0].decode() == ";".join(HEADERS)
    assert body.endswith(b"\r\n")

    header, row = read_csv(response)
    assert header == HEADERS
    record = dict(zip(HEADERS, row, strict=True))
    assert record == {
        "ID": str(signaal["id"]),
        "Gemeente": "Mechelen",
        "Datum": "14/03/2025",
        "Titel": ACCENTS,
        "Omschrijving": "Regel één\nregel twee; met \"aanhalingstekens\"",
        "Plek": "Vrijbroekpark",
        "Bron": "Op straat",
        "Levensdomein": "Ruimte",
        "Signaaltype": "Te weinig ontmoetingsplekken",
        "Aantal jongeren": "7",
        "Leeftijd": "Jonger dan 12",  # the label, not "-12" (which a spreadsheet would take for a number)
        "Citaten": "Dat is 💸 te duur | Waar moeten we heen?",
        "Status": "Nieuw",
        "Dossier": "",
        "Auteur": "Werker Test",
        "Geregistreerd op": record["Geregistreerd op"],
    }
    registered = dt.datetime.strptime(record["Geregistreerd op"], "%d/%m/%Y %H:%M")
    assert abs(registered - local(now()).replace(tzinfo=None)) < dt.timedelta(minutes=5)


def test_status_is_the_dutch_label(werker):
    move(werker, make(werker), "niet_weerhouden")
    assert read_csv(werker.get("/signalen/export.csv"))[1][HEADERS.index("Status")] == "Niet weerhouden"


def test_an_empty_result_is_a_valid_file_with_only_the_header(werker):
    response = werker.get("/signalen/export.csv")
    assert response.status_code == 200
    assert response.content == BOM + ";".join(HEADERS).encode() + b"\r\n"

    response = werker.get("/signalen/export.xlsx")
    assert response.status_code == 200
    book = read_xlsx(response)
    assert book["Signalen"].max_row == 1
    assert [c.value for c in book["Signalen"][1]] == HEADERS
    assert filters_sheet(response)["Aantal signalen"] == 0


# ----------------------------------------------------------------------------- XLSX format

def test_xlsx_reads_back_with_the_same_values_real_dates_and_numbers(werker):
    first = make(werker, titel=ACCENTS, datum="2025-01-31", citaten=["één", "twee"], aantal_jongeren=12)
    second = make(werker, titel="Geen bus na 20 uur", datum="2025-02-01", aantal_jongeren=None, leeftijd="",
                  bron="", levensdomein="", signaaltype="", citaten=[], plek="")
    as_csv = werker.get("/signalen/export.csv")
    response = werker.get("/signalen/export.xlsx")

    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert file_name(response) == f"signalen-alle-{today().isoformat()}.xlsx"
    assert response.headers["cache-control"] == "no-store"
    book = read_xlsx(response)
    assert book.sheetnames == ["Signalen", "Filters"]
    ws = book["Signalen"]
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["E"].width > ws.column_dimensions["A"].width  # omschrijving wider than ID

    rows = [dict(zip(HEADERS, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [r["ID"] for r in rows] == [second["id"], first["id"]]  # newest first, as in the register
    newest, oldest = rows
    assert oldest["ID"] == first["id"] and isinstance(oldest["ID"], int)
    assert isinstance(oldest["Datum"], dt.datetime) and oldest["Datum"].date() == dt.date(2025, 1, 31)
    assert ws.cell(row=3, column=3).number_format == "dd/mm/yyyy"
    assert oldest["Aantal jongeren"] == 12 and isinstance(oldest["Aantal jongeren"], int)
    assert oldest["Titel"] == ACCENTS
    assert oldest["Citaten"] == "één | twee"
    assert isinstance(oldest["Geregistreerd op"], dt.datetime)
    assert newest["Aantal jongeren"] is None and newest["Levensdomein"] is None and newest["Dossier"] is None

    # the same values as the CSV, cell by cell
    for xlsx_row, csv_row in zip(rows, read_csv(as_csv)[1:], strict=True):
        for name in HEADERS:
            value = xlsx_row[name]
            if name == "Datum":
                value = value.strftime("%d/%m/%Y")
            elif name == "Geregistreerd op":
                value = value.strftime("%d/%m/%Y %H:%M")
            assert ("" if value is None else str(value)) == csv_row[HEADERS.index(name)], name


def test_xlsx_filters_sheet_lists_the_filters_and_the_export_time(werker):
    make(werker, datum="2025-03-01")
    response = werker.get("/signalen/export.xlsx?status=nieuw&levensdomein=ruimte&van=2025-01-01&q=plaats")
    assert response.status_code == 200
    sheet = read_xlsx(response)["Filters"]
    assert [c.value for c in sheet[1]] == ["Filter", "Waarde"]
    info = filters_sheet(response)
    assert info["Status"] == "Nieuw"
    assert info["Levensdomein"] == "Ruimte"
    assert info["Zoekterm"] == "plaats"
    assert info["Van"] == dt.datetime(2025, 1, 1)
    assert info["Tot en met"] == "alle"
    assert info["Geëxporteerd door"] == "Werker Test"
    assert info["Aantal signalen"] == 1
    exported = info["Geëxporteerd op"]
    assert isinstance(exported, dt.datetime)
    assert abs(exported - local(now()).replace(tzinfo=None)) < dt.timedelta(minutes=5)


def test_more_rows_than_the_maximum_are_cut_off_and_said_so(werker, monkeypatch):
    for day in (1, 2, 3):
        make(werker, datum=f"2025-04-0{day}")
    monkeypatch.setattr(export, "MAX_ROWS", 2)
    assert len(csv_ids(werker.get("/signalen/export.csv"))) == 2
    response = werker.get("/signalen/export.xlsx")
    assert len(xlsx_ids(response)) == 2
    assert "2 van 3" in filters_sheet(response)["Let op"]


# ----------------------------------------------------------------------------- filters

@pytest.fixture
def register(werker, voorzitter):
    """Four Mechelen signals with different status, dates, text and taxonomy."""
    a = make(werker, titel="Skatepark te klein", datum="2025-01-10", levensdomein="vrije-tijd")
    b = make(werker, titel="Geen bus na 20 uur", datum="2025-02-10", levensdomein="ruimte", plek="Station")
    c = make(voorzitter, titel="Pesten op Snapchat", datum="2025-03-10", levensdomein="online",
             signaaltype="online-veiligheid", bron="online")
    d = make(werker, titel=ACCENTS, datum="2025-04-10", levensdomein="ruimte", plek="Caputsteenpark")
    move(voorzitter, b, "gebundeld")
    move(voorzitter, c, "gebundeld", "geagendeerd")
    return {"a": a["id"], "b": b["id"], "c": c["id"], "d": d["id"]}


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, "dcba"),
        ({"status": "gebundeld"}, "b"),
        ({"status": "nieuw"}, "da"),
        ({"q": "skatepark"}, "a"),
        ({"q": "duur"}, "d"),
        ({"van": "2025-02-01", "tot": "2025-03-31"}, "cb"),
        ({"van": "2025-03-10"}, "dc"),
        ({"tot": "2025-02-10"}, "ba"),
        ({"levensdomein": "ruimte"}, "db"),
        ({"levensdomein": "ruimte", "status": "nieuw"}, "d"),
        ({"levensdomein": "bestaat-niet"}, ""),
        ({"signaaltype": "online-veiligheid"}, "c"),
        ({"bron": "online"}, "c"),
        ({"plek": "station"}, "b"),
        ({"gemeente": "mechelen", "sorteer": "oudste"}, "abcd"),
        ({"q": "skatepark", "status": "gebundeld"}, ""),
        ({"pagina": "2", "per_pagina": "1"}, "dcba"),  # paging does not cut the export
    ],
)
def test_the_export_holds_exactly_what_the_register_filters_give(werker, register, query, names):
    wanted = [register[n] for n in names]
    assert csv_ids(werker.get("/signalen/export.csv", params=query)) == wanted
    assert xlsx_ids(werker.get("/signalen/export.xlsx", params=query)) == wanted
    assert expected_ids(werker, query) == wanted


def test_mine_only(werker, voorzitter, register):
    assert set(csv_ids(werker.get("/signalen/export.csv", params={"mijn": "1"}))) == {
        register["a"], register["b"], register["d"]}
    assert csv_ids(voorzitter.get("/signalen/export.csv", params={"auteur": "ik"})) == [register["c"]]


@pytest.mark.parametrize(
    "query",
    [{}, {"levensdomein": "ruimte"}, {"status": "gebundeld"}, {"q": "duur"}, {"van": "2025-02-01", "tot": "2025-03-31"},
     {"sorteer": "titel"}],
)
def test_the_export_agrees_with_the_api(werker, register, query):
    response = werker.get("/api/v1/signalen", params={**query, "per_pagina": "100"})
    assert response.status_code == 200
    body = response.json()
    api_ids = [item["id"] for item in body["items"]]
    assert body["totaal"] == len(api_ids)
    assert csv_ids(werker.get("/signalen/export.csv", params=query)) == api_ids
    assert xlsx_ids(werker.get("/signalen/export.xlsx", params=query)) == api_ids


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("van=gisteren", "van", "Geef een geldige datum (jjjj-mm-dd)."),
        ("tot=31-12-2025", "tot", "Geef een geldige datum (jjjj-mm-dd)."),
        ("van=2025-05-01&tot=2025-04-01", "tot", "De einddatum ligt voor de begindatum."),
        ("status=weg", "status", "Onbekende status."),
        ("bron=tv", "bron", "Onbekende bron."),
        ("auteur=iemand", "auteur", "Onbekende auteur."),
        ("auteur=%C2%B2", "auteur", "Onbekende auteur."),  # "²" passes str.isdigit()
        ("auteur=99999999999999999999", "auteur", "Onbekende auteur."),  # more than a BIGINT
        ("sorteer=random", "sorteer", "Onbekende sortering."),
    ],
)
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_invalid_filters_answer_400_in_dutch(werker, register, query, field, message, extension):
    response = werker.get(f"/signalen/export.{extension}?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in response.headers
    assert "De filters voor deze export kloppen niet." in response.text
    assert f"{field}: {message}" in response.text


# ----------------------------------------------------------------------------- who gets what

@pytest.fixture
def two_gemeenten(werker, werker2):
    mechelen = make(werker, titel="Mechelen: geen jeugdhuis open op zondag")
    hoeilaart = make(werker2, titel="Hoeilaart: laatste bus te vroeg")
    return mechelen["id"], hoeilaart["id"]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_werker2_never_gets_mechelen_rows(werker2, two_gemeenten, extension):
    mechelen, hoeilaart = two_gemeenten
    read = csv_ids if extension == "csv" else xlsx_ids
    response = werker2.get(f"/signalen/export.{extension}")
    assert response.status_code == 200
    assert read(response) == [hoeilaart]
    assert mechelen not in read(response)
    response = werker2.get(f"/signalen/export.{extension}?gemeente=hoeilaart")
    assert read(response) == [hoeilaart]
    assert file_name(response) == f"signalen-hoeilaart-{today().isoformat()}.{extension}"
    for slug in ("mechelen", "leuven", "bestaat-niet", "' OR 1=1 --"):
        response = werker2.get(f"/signalen/export.{extension}", params={"gemeente": slug})
        assert response.status_code == 404, slug
        assert "content-disposition" not in response.headers
        assert "Mechelen: geen jeugdhuis" not in response.text


def test_coordinator_gets_the_mechelen_register_and_not_hoeilaart(coordinator, two_gemeenten):
    mechelen, _hoeilaart = two_gemeenten
    assert csv_ids(coordinator.get("/signalen/export.csv")) == [mechelen]
    assert xlsx_ids(coordinator.get("/signalen/export.xlsx?gemeente=mechelen")) == [mechelen]
    # a coördinator sees Hoeilaart's counts, never its raw register
    assert coordinator.get("/signalen/export.csv?gemeente=hoeilaart").status_code == 404


@pytest.mark.parametrize("name", ["partner", "beheerder"])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_who_has_no_register_gets_404(personas, two_gemeenten, name, extension):
    persona = personas[name]
    for query in ("", "?gemeente=mechelen"):
        response = persona.get(f"/signalen/export.{extension}{query}")
        assert response.status_code == 404
        assert "content-disposition" not in response.headers
        assert "jeugdhuis" not in response.text


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_anonymous_is_sent_to_the_login(anonymous, two_gemeenten, extension):
    response = anonymous.get(f"/signalen/export.{extension}?status=nieuw", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login/")
    assert "content-disposition" not in response.headers


# ----------------------------------------------------------------------------- formula injection

RISKY = {
    "titel": '=HYPERLINK("http://x")',
    "plek": "+1",
    "omschrijving": "@SUM(A1)",
    "citaten": ["-2+3", "gewoon"],
}


def test_csv_cells_that_could_be_formulas_get_a_leading_apostrophe(werker):
    make(werker, **RISKY)
    record = dict(zip(HEADERS, read_csv(werker.get("/signalen/export.csv"))[1], strict=True))
    assert record["Titel"] == "'=HYPERLINK(\"http://x\")"
    assert record["Plek"] == "'+1"
    assert record["Omschrijving"] == "'@SUM(A1)"
    assert record["Citaten"] == "'-2+3 | gewoon"
    assert record["Gemeente"] == "Mechelen"  # ordinary text is left alone


def test_xlsx_cells_that_could_be_formulas_stay_plain_text(werker):
    make(werker, **RISKY)
    response = werker.get("/signalen/export.xlsx")
    ws = read_xlsx(response)["Signalen"]
    cells = {name: ws.cell(row=2, column=HEADERS.index(name) + 1) for name in HEADERS}
    assert cells["Titel"].value == '=HYPERLINK("http://x")'
    assert cells["Plek"].value == "+1"
    assert cells["Omschrijving"].value == "@SUM(A1)"
    assert cells["Citaten"].value == "-2+3 | gewoon"
    for name in ("Titel", "Plek", "Omschrijving", "Citaten"):
        assert cells[name].data_type == "s", name  # a string, not a formula ("f")
        assert cells[name].quotePrefix, name  # and Excel keeps it text when edited
    assert not cells["Gemeente"].quotePrefix
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")


def test_a_risky_search_term_is_not_a_formula_in_the_filters_sheet(werker):
    response = werker.get("/signalen/export.xlsx", params={"q": "=1+1"})
    assert response.status_code == 200
    cell = read_xlsx(response)["Filters"]["B2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+32 15 12 34 56", "'+32 15 12 34 56"),
        ("-", "'-"),
        ("@user", "'@user"),
        ("\tverborgen", "'\tverborgen"),
        ("\rverborgen", "'\rverborgen"),
        ("gewone tekst = prima", "gewone tekst = prima"),
        ("", ""),
        (None, ""),
        (-3, "-3"),  # a real number is not text
        (dt.date(2025, 1, 2), "02/01/2025"),
        (dt.datetime(2025, 1, 2, 9, 5), "02/01/2025 09:05"),
    ],
)
def test_csv_cell_protection(value, expected):
    assert tabular.csv_text(value) == expected


def test_control_characters_cannot_break_the_xlsx():
    row = {"id": 1, "titel": "bel\x07 en\x1b escape", "omschrijving": "\tbegint met tab", "citaten": [],
           "datum": dt.date(2025, 1, 2), "status": "nieuw", "aangemaakt_op": dt.datetime(2025, 1, 2, 12, tzinfo=dt.UTC)}
    book = load_workbook(io.BytesIO(export.build_xlsx([row], [])))
    ws = book["Signalen"]
    assert ws["D2"].value == "bel en escape"
    assert ws["E2"].value == "\tbegint met tab" and ws["E2"].quotePrefix
    assert ws["P2"].value == dt.datetime(2025, 1, 2, 13, 0)  # 12:00 UTC is 13:00 in Brussels in winter

"""Table headers in the structure tree of our PDFs (issue 12 item 12, pdfua UA-15-003).

A screen reader reads a PDF table through its structure tree: every TH element needs ``/A << /Scope /Column >>``
(a header of its column, in ``<thead>``) or ``/Scope /Row`` (the row headers of "Kerncijfers" and the nota's
"gegevens"). The templates declare ``<th scope="col|row">``; these tests read the PDFs the app serves (nota, agenda,
yearly report) with a small reader of their own — there is no PDF library in the environment — and walk the tree
from the catalog's ``/StructTreeRoot``.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from common.dates import today
from overleg.vergaderingen import agenda
from tests.overleg import test_vergaderingen as meetings
from tests.overleg.test_nota_pdf import SECTIES
from tests.overleg.test_notas import make_dossier, make_overleg, new_nota
from tests.support import current_user, make_signaal, sync

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "pdf"
REF = re.compile(rb"(\d+)\s+0\s+R")
STREAM = re.compile(rb"(\d+)\s+0\s+obj\s*(<<.*?>>)\s*stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
PLAIN = re.compile(rb"(\d+)\s+0\s+obj\s*(.*?)\s*endobj", re.DOTALL)

def pdf_object_table(pdf: bytes) -> dict[int, bytes]:
    """Every indirect object of the PDF by number: the top-level ones and those inside object streams."""
    table = {int(number): body for number, body in PLAIN.findall(pdf)}
    for _number, head, data in STREAM.findall(pdf):
        if b"/ObjStm" not in head:
            continue
        content = zlib.decompress(data) if b"/FlateDecode" in head else data
        count = int(re.search(rb"/N\s+(\d+)", head)[1])  # type: ignore[index]
        first = int(re.search(rb"/First\s+(\d+)", head)[1])  # type: ignore[index]
        pairs = [int(n) for n in content[:first].split()]
        offsets = [(pairs[2 * i], pairs[2 * i + 1]) for i in range(count)]
        for i, (number, offset) in enumerate(offsets):
            end = offsets[i + 1][1] if i + 1 < count else len(content) - first
            table[number] = content[first + offset:first + end].strip()
    return table


def _value(body: bytes, key: bytes) -> bytes | None:
    """The raw value of ``/key`` in a dictionary: a nested ``<< >>`` (balanced), an array or a single token."""
    match = re.search(rb"/" + key + rb"(?![A-Za-z])\s*", body)
    if match is None:
        return None
    rest = body[match.end():]
    if rest.startswith(b"<<"):
        depth, i = 0, 0
        while i < len(rest):
            if rest.startswith(b"<<", i):
                depth, i = depth + 1, i + 2
            elif rest.startswith(b">>", i):
                depth, i = depth - 1, i + 2
                if depth == 0:
                    return rest[:i]
            else:
                i += 1
        raise AssertionError("unbalanced dictionary")
    if rest.startswith(b"["):
        return rest[:rest.index(b"]") + 1]
    ref = re.match(rb"\d+\s+0\s+R", rest)
    return ref[0] if ref else re.match(rb"[^\s/<>\[\]]+|/[^\s/<>\[\]]+", rest)[0]  # type: ignore[index]


def structure_elements(pdf: bytes) -> list[bytes]:
    """The structure elements of the PDF, walked from ``/Root /StructTreeRoot`` through every ``/K``."""
    objects = pdf_object_table(pdf)
    catalog = next(body for body in objects.values() if re.search(rb"/Type\s*/Catalog", body))
    root = _value(catalog, b"StructTreeRoot")
    assert root is not None, "untagged PDF"
    found: list[bytes] = []
    todo, seen = [int(REF.match(root)[1])], set()  # type: ignore[index]
    while todo:
        number = todo.pop()
        if number in seen:
            continue
        seen.add(number)
        body = objects[number]
        if re.search(rb"/Type\s*/StructElem", body):
            found.append(body)
        kids = _value(body, b"K")
        if kids is not None:
            todo.extend(int(ref) for ref in REF.findall(kids))
    return found


def header_scopes(pdf: bytes) -> list[str | None]:
    """For every TH of the structure tree: its /Scope (``Row``, ``Column``, ``Both``) or None."""
    scopes: list[str | None] = []
    for element in structure_elements(pdf):
        if not re.search(rb"/S\s*/TH(?![A-Za-z])", element):
            continue
        attributes = _value(element, b"A") or b""
        scope = re.search(rb"/Scope\s*/(\w+)", attributes)
        scopes.append(scope[1].decode() if scope else None)
    return scopes


@pytest.fixture
def nota_pdf(world, personas) -> bytes:
    make_overleg(world)
    dossier_id, _ids = make_dossier(world, personas["werker"])
    nota = new_nota(personas["voorzitter"], [dossier_id], secties=SECTIES, trekker="Jeugddienst Mechelen")
    response = personas["voorzitter"].get(f"/notas/{nota['id']}/pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    return response.content


@pytest.fixture
def agenda_pdf(world, werker, voorzitter, partner) -> bytes:
    overleg = meetings.make_overleg(world)
    dossier = meetings.make_dossier(werker, "Geen ontmoetingsplek in Nekkerspoel", [5, 20, 40])
    meeting = meetings.make_meeting(voorzitter, overleg["id"])
    meetings.add_dossier(voorzitter, meeting, dossier)
    sync(agenda.publish(current_user(voorzitter), meeting))
    response = partner.get(f"/vergaderingen/{meeting}/agenda.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    return response.content


@pytest.fixture
def jaarrapport_pdf(werker, coordinator) -> bytes:
    make_signaal(werker, plek="Nekkerspoel", aantal_jongeren=5)
    response = coordinator.get(f"/inzicht/jaarrapport?gemeente=mechelen&jaar={today().year}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    return response.content


def test_every_header_cell_of_the_pdf_templates_declares_its_scope():
    for template in sorted(TEMPLATES.glob("*.html")):
        html = template.read_text(encoding="utf-8")
        for cell in re.findall(r"<th\b[^>]*>", html):
            assert re.search(r'\sscope="(col|row)"', cell), f"{template.name}: {cell}"
        for head in re.findall(r"<thead\b.*?</thead>", html, re.DOTALL):
            assert 'scope="row"' not in head, f"{template.name}: a row header in <thead>"


def test_the_reader_reaches_the_header_cells_of_the_yearly_report(jaarrapport_pdf):
    # Six rows of Kerncijfers and the column headers of its tables.
    assert len(header_scopes(jaarrapport_pdf)) >= 6 + 2


def test_the_reader_reaches_the_header_cells_of_the_nota(nota_pdf):
    assert len(header_scopes(nota_pdf)) >= 4


def test_the_reader_reaches_the_header_cells_of_the_agenda(agenda_pdf):
    assert len(header_scopes(agenda_pdf)) == 4


def test_the_reader_refuses_an_untagged_pdf():
    with pytest.raises(StopIteration):
        structure_elements(b"%PDF-1.7\n1 0 obj\n<< /Type /Pages >>\nendobj\n")
    with pytest.raises(AssertionError, match="untagged"):
        structure_elements(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")


def test_every_header_cell_of_the_agenda_has_a_column_scope(agenda_pdf):
    assert header_scopes(agenda_pdf) == ["Column"] * 4


def test_the_kerncijfers_of_the_yearly_report_are_row_headers(jaarrapport_pdf):
    scopes = header_scopes(jaarrapport_pdf)
    assert scopes.count("Row") == 6 and set(scopes) == {"Row", "Column"}


def test_every_header_cell_of_the_nota_has_a_scope(nota_pdf):
    scopes = header_scopes(nota_pdf)
    assert scopes and None not in scopes and "Row" in scopes

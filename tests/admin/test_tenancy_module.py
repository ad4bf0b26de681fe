"""Tenancy lives in one module: no other module compares a gemeente column itself, and the module's conditions
give each role what the design says (register roles all, partners only what is published, strangers nothing)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("common", "admin", "audit", "berichten", "signalen", "overleg", "inzicht", "web")
TENANCY = ROOT / "admin" / "tenancy.py"


def _app_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "piccolo_migrations" not in path.parts and path != TENANCY:
                yield path


def _is_gemeente_column(node: ast.AST) -> bool:
    """`Signaal.gemeente`, `Vergadering.overleg.gemeente`, …: an attribute chain from a table (capitalised)."""
    if not (isinstance(node, ast.Attribute) and node.attr == "gemeente"):
        return False
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id[:1].isupper()


def gemeente_filters(source: str) -> list[int]:
    """Lines where a query compares a gemeente column (==, !=, is_in, is_not_in) instead of asking tenancy."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            if any(_is_gemeente_column(side) for side in [node.left, *node.comparators]):
                lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("is_in", "is_not_in") and _is_gemeente_column(node.func.value)):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_gemeente_filter_written_by_hand():
    assert gemeente_filters("rows = Signaal.select().where(Signaal.gemeente == 3)") == [1]
    assert gemeente_filters("q = Vergadering.select().where(Vergadering.overleg.gemeente.is_in([1, 2]))") == [1]
    assert gemeente_filters("q = Dossier.select().where(in_gemeenten(Dossier.gemeente, ids))") == []
    assert gemeente_filters("same = row['gemeente'] == other['gemeente']") == []


def test_no_module_but_tenancy_filters_on_a_gemeente_itself():
    offenders = {str(path.relative_to(ROOT)): found for path in _app_modules()
                 if (found := gemeente_filters(path.read_text(encoding="utf-8")))}
    assert offenders == {}, "filter through admin.tenancy (where / in_gemeenten) instead"


def test_conditions_per_role(app, world):
    from admin import tenancy
    from admin.tenancy import Toegang
    from overleg.tables import Dossier
    from tests.support import current_user, login_as

    mechelen, hoeilaart = world.gemeenten["mechelen"], world.gemeenten["hoeilaart"]
    user = {name: current_user(login_as(app, world, name)) for name in
            ("werker", "werker2", "voorzitter", "partner", "coordinator", "beheerder")}
    assert tenancy.gemeente_ids(user["werker"], Toegang.REGISTER) == {mechelen}
    assert tenancy.gemeente_ids(user["werker2"], Toegang.REGISTER) == {hoeilaart}
    assert tenancy.gemeente_ids(user["partner"], Toegang.REGISTER) == set()
    assert tenancy.gemeente_ids(user["partner"], Toegang.MEMBER) == {mechelen}
    assert tenancy.gemeente_ids(user["voorzitter"], Toegang.CHAIR) == {mechelen}
    assert tenancy.gemeente_ids(user["werker"], Toegang.CHAIR) == set()
    assert mechelen in tenancy.gemeente_ids(user["coordinator"], Toegang.AGGREGATE)
    assert tenancy.gemeente_ids(user["beheerder"], Toegang.MEMBER) == set()
    # a partner reads only what the domain publishes to partners; without that rule, nothing
    assert tenancy.where(user["partner"], Toegang.READ, Dossier.gemeente) is None
    assert tenancy.where(user["partner"], Toegang.READ, Dossier.gemeente, partner=Dossier.id == 1) is not None
    assert tenancy.where(user["beheerder"], Toegang.REGISTER, Dossier.gemeente) is None
    assert tenancy.where(user["werker"], Toegang.REGISTER, Dossier.gemeente) is not None


def test_an_empty_set_of_gemeenten_matches_no_row(app, world, werker):
    from admin.tenancy import in_gemeenten
    from signalen.tables import Signaal
    from tests.support import make_signaal, sync

    make_signaal(werker)
    assert sync(Signaal.count().where(in_gemeenten(Signaal.gemeente, []))) == 0
    assert sync(Signaal.count().where(in_gemeenten(Signaal.gemeente, world.gemeenten["mechelen"]))) == 1

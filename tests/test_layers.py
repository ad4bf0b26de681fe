"""The layers of docs/architecture.md are checked by import-linter (pyproject.toml): the real tree keeps them,
and a deliberately wrong import breaks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("common", "admin", "audit", "berichten", "signalen", "overleg", "inzicht", "web")
LINT = Path(sys.executable).parent / "lint-imports"


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root,
                          capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def test_the_code_keeps_its_layers():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def copy_of_the_code(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_a_domain_importing_the_web_layer_breaks_the_build(tmp_path):
    root = copy_of_the_code(tmp_path)
    services = root / "signalen" / "services.py"
    services.write_text(services.read_text() + "\nfrom web import dashboard  # noqa\n")
    result = lint(root)
    assert result.returncode != 0
    assert "signalen is not allowed to import web" in result.stdout


def test_signalen_importing_overleg_breaks_the_build(tmp_path):
    root = copy_of_the_code(tmp_path)
    workflow = root / "signalen" / "workflow.py"
    workflow.write_text(workflow.read_text() + "\nfrom overleg import tables  # noqa\n")
    result = lint(root)
    assert result.returncode != 0
    assert "signalen is not allowed to import overleg" in result.stdout


def test_a_service_importing_its_controllers_breaks_the_build(tmp_path):
    root = copy_of_the_code(tmp_path)
    services = root / "overleg" / "notas" / "services.py"
    services.write_text(services.read_text() + "\nfrom overleg.notas import controllers  # noqa\n")
    result = lint(root)
    assert result.returncode != 0
    assert "overleg.notas.services is not allowed to import overleg.notas.controllers" in result.stdout


def test_no_import_cycle_in_the_app_code():
    """Tarjan's strongly connected components over the import graph (lazy imports inside functions included)."""
    import grimp

    graph = grimp.build_graph(*PACKAGES)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while (member := stack.pop()) != module:
                component.append(member)
            if component:
                cycles.append(sorted([module, *component]))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_outbox_importing_admin_breaks_the_build(tmp_path):
    root = copy_of_the_code(tmp_path)
    outbox = root / "berichten" / "outbox.py"
    outbox.write_text(outbox.read_text() + "\nfrom admin import tables  # noqa\n")
    result = lint(root)
    assert result.returncode != 0
    assert "berichten is not allowed to import admin" in result.stdout

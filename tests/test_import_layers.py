"""The apps depend on each other one way only (DESIGN.md §4); an import running back fails here.

Every import counts: at module level, inside functions, and under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = "digisnap"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

# Which apps each app may import directly; what those may import is allowed too.
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "accounts": {"core"},
    "schools": {"accounts"},
    "rights": {"schools"},
    "questionnaires": {"schools"},
    "learning": {"questionnaires"},
    "reports": {"questionnaires", "learning", "rights"},
}


@cache
def allowed(app: str) -> frozenset[str]:
    below = set(MAY_IMPORT[app])
    for lower in MAY_IMPORT[app]:
        below |= allowed(lower)
    return frozenset(below)


def apps_in(root: Path) -> set[str]:
    return {
        path.parent.name
        for path in root.glob("*/__init__.py")
        if (path.parent / "apps.py").exists()
    }


def imported_modules(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, dotted name) of everything a file imports; relative imports made absolute."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".")[: -node.level]
                if path.name == "__init__.py":
                    package = module.split(".")[: len(module.split(".")) - node.level + 1]
                base = ".".join([*package, node.module] if node.module else package)
            else:
                base = node.module or ""
            # `from digisnap import schools` imports the app itself
            names = [f"{base}.{alias.name}" for alias in node.names] if base == PACKAGE else [base]
            found += [(node.lineno, name) for name in names]
    return found


def violations(root: Path) -> list[str]:
    apps = apps_in(root)
    problems = []
    for app in sorted(apps):
        if app not in MAY_IMPORT:
            problems.append(f"{app}: a new app; give it its place in MAY_IMPORT (DESIGN.md §4)")
            continue
        for path in sorted((root / app).rglob("*.py")):
            parts = path.relative_to(root.parent).with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            for line, name in imported_modules(path, module):
                target = name.split(".")
                if target[0] != PACKAGE or len(target) < 2 or target[1] == app:
                    continue
                if target[1] not in apps or target[1] not in allowed(app):
                    where = path.relative_to(root.parent)
                    problems.append(f"{where}:{line}: {app} must not import {name}")
    return problems


def test_every_app_imports_only_the_apps_below_it():
    assert violations(ROOT) == []


def test_the_known_apps_are_all_placed():
    assert apps_in(ROOT) <= set(MAY_IMPORT)


def make_app(root: Path, app: str, files: dict[str, str]) -> None:
    (root / app).mkdir(parents=True, exist_ok=True)
    (root / app / "__init__.py").write_text("", encoding="utf-8")
    (root / app / "apps.py").write_text("", encoding="utf-8")
    for name, text in files.items():
        (root / app / name).write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / PACKAGE
    root.mkdir()
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "urls.py").write_text("from digisnap.learning import views\n", encoding="utf-8")
    make_app(root, "core", {"helpers.py": "import json\n"})
    make_app(root, "schools", {"models.py": "from digisnap.core import helpers\n"})
    make_app(root, "questionnaires", {"models.py": "from ..schools.models import x\n"})
    make_app(root, "learning", {"views.py": "from digisnap.core.helpers import y\n"})
    return root


def test_imports_that_follow_the_layers_pass(project):
    assert violations(project) == []


@pytest.mark.parametrize(
    ("app", "text", "imported"),
    [
        ("core", "from digisnap.schools.models import Digisnap\n", "digisnap.schools.models"),
        ("schools", "def view():\n    import digisnap.learning.views\n", "digisnap.learning.views"),
        ("schools", "from ..questionnaires import models\n", "digisnap.questionnaires"),
        ("schools", "from digisnap import questionnaires\n", "digisnap.questionnaires"),
        ("questionnaires", "from digisnap.urls import x\n", "digisnap.urls"),
    ],
)
def test_an_import_against_the_layers_is_caught(project, app, text, imported):
    make_app(project, app, {"late.py": text})
    assert violations(project) == [
        f"digisnap/{app}/late.py:{text.count(chr(10))}: {app} must not import {imported}"
    ]


def test_an_app_without_a_place_is_caught(project):
    make_app(project, "billing", {"models.py": ""})
    assert violations(project) == [
        "billing: a new app; give it its place in MAY_IMPORT (DESIGN.md §4)"
    ]

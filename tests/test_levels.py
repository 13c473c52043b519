"""Levels and bands come from one module, and every other module takes them from there."""

import ast
from pathlib import Path

import pytest

from digisnap.core.levels import (
    HIGHEST,
    LEVEL_LABELS,
    LOWEST,
    RESULT_LEVEL_CHOICES,
    RESULT_LEVELS,
    Band,
    Level,
    band_of,
    level_from_label,
)

DIGISNAP = Path(__file__).resolve().parent.parent / "digisnap"


def test_the_result_levels_run_from_a1_to_c2_and_leave_out_ik_ken_dit_niet():
    assert LEVEL_LABELS == ("A1", "A2", "B1", "B2", "C1", "C2")
    assert [int(level) for level in RESULT_LEVELS] == [1, 2, 3, 4, 5, 6]
    assert (LOWEST, HIGHEST) == (Level.A1, Level.C2)
    assert Level.UNKNOWN == 0 and Level.UNKNOWN not in RESULT_LEVELS
    assert RESULT_LEVEL_CHOICES[0] == (1, "A1")


@pytest.mark.parametrize(
    ("level", "band"),
    [
        (Level.UNKNOWN, Band.A),
        (Level.A1, Band.A),
        (Level.A2, Band.A),
        (Level.B1, Band.B),
        (Level.B2, Band.B),
        (Level.C1, Band.C),
        (Level.C2, Band.C),
    ],
)
def test_each_level_falls_in_its_band(level, band):
    assert band_of(level) == band


@pytest.mark.parametrize(("text", "level"), [("B1", 3), (" b1 ", 3), ("c2", 6), ("A1", 1)])
def test_a_label_names_its_level(text, level):
    assert level_from_label(text) == level


@pytest.mark.parametrize("text", ["", "B3", "0", "A", "ik ken dit niet", None])
def test_anything_else_names_no_level(text):
    assert level_from_label(text) is None


def level_definitions(path: Path) -> list[str]:
    """Classes called Level or Band, and tuples spelling out the labels A1 … C2, in one file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef) and node.name in {"Level", "Band"}:
            found.append(f"class {node.name}")
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            texts = {elt.value for elt in node.elts if isinstance(elt, ast.Constant)}
            if {"A1", "C2"} <= texts:
                found.append(f"labels on line {node.lineno}")
    return found


def test_no_module_but_core_levels_defines_levels_or_bands():
    sources = [
        path
        for path in DIGISNAP.rglob("*.py")
        if "migrations" not in path.parts and path != DIGISNAP / "core" / "levels.py"
    ]
    offenders = {
        str(path.relative_to(DIGISNAP)): found
        for path in sources
        if (found := level_definitions(path))
    }
    assert offenders == {}


def test_the_check_finds_a_module_that_spells_out_the_labels(tmp_path):
    module = tmp_path / "copy.py"
    module.write_text('KEYS = ("A1", "A2", "B1", "B2", "C1", "C2")\n', encoding="utf-8")
    assert level_definitions(module) == ["labels on line 1"]

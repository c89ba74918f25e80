"""docs/architecture.md's toy method is real: loaded from the page, registered, and proven by the
same machinery as the built-in methods (engine vs ``formulas`` recalculation, monotone scores)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from xl_kpi import methods
from xl_kpi.scoring.engine import score_indicator

from .docblocks import python_blocks

PAGE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


@pytest.fixture
def passfail(monkeypatch):
    """The page's ``xl_kpi/methods/passfail.py``, registered as a module of the methods package would be."""
    (source,) = [b for b in python_blocks(PAGE) if "class PassFailMethod" in b]
    module = types.ModuleType("xl_kpi.methods.passfail")
    monkeypatch.setitem(sys.modules, module.__name__, module)  # dataclasses look their module up while the class is made
    exec(compile(source, "docs/architecture.md: xl_kpi/methods/passfail.py", "exec"), module.__dict__)
    monkeypatch.setitem(methods.REGISTRY, "passfail", module.METHOD)
    return module.METHOD


def test_the_toy_method_is_proven_by_the_oracle_machinery(passfail, tmp_path):
    formulas = pytest.importorskip("formulas")
    from .oracle import build_filled, mismatches, registry_spec

    spec, _ = registry_spec()
    assert "passfail" in {ind.method.name for ind in spec.indicators}
    filled, all_cases, names = build_filled(spec, tmp_path)
    solution = formulas.ExcelModel().loads(str(filled)).finish().calculate()
    cells = {key.upper(): ranges for key, ranges in solution.items()}
    book = filled.name.upper()

    def value_of(sheet, cell):
        v = cells[f"'[{book}]{sheet.upper()}'!{cell}"].value[0, 0]
        return None if str(v) == "empty" or v is None else (v if isinstance(v, str) else float(v))

    found = mismatches(spec, value_of, all_cases, names, binary_rounding=True)
    assert not found, "\n".join(found)
    toy = spec.indicator("passfail")
    assert [score_indicator(toy, a) for a in (0.95, 0.95 - 1e-10, 0.9499)] == [100.0, 100.0, 0.0]
    assert toy.describe("zh") == "达到95%得100分,否则得0分"


def test_the_toy_method_round_trips_through_export_spec_and_import(passfail, tmp_path):
    """The method's names, parameter words and standard reading live in its one file: a spec using it is
    exported as HR's workbook and imported again to the same rules, with its words on the sheets."""
    from openpyxl import load_workbook

    from xl_kpi.authoring import export_spec, import_tables
    from xl_kpi.workbook.labels import label

    from .oracle import registry_spec

    spec, _ = registry_spec()
    exported = export_spec(spec, tmp_path / "all_methods.xlsx")
    texts = {c.value for row in load_workbook(exported).worksheets[0].iter_rows() for c in row}
    assert "达到95%得100分,否则得0分" in texts and "达标制 passfail" in texts  # its standard sentence, its words
    imported, problems = import_tables([exported])
    assert not [p.render("en") for p in problems if p.severity == "error"]
    (item,) = imported
    again = item.spec.indicator("passfail")
    assert (again.method.name, again.scoring, again.target) == ("passfail", spec.indicator("passfail").scoring, 0.95)
    assert item.spec.canonical() == spec.canonical() and item.spec.hash == spec.hash
    assert (label("full", "zh"), label("fail", "en")) == ("达标分", "fail")  # the words of its parameter cells


def test_no_method_words_live_outside_the_methods():
    """The workbook's own words do not name any method's parameter cells: those come from the methods."""
    from xl_kpi.workbook import labels

    for method in methods.REGISTRY.values():
        assert not set(method.labels) & set(labels._LABELS), method.name

"""The architecture holds: layers, one catalogue of findings, one registry of methods, the package list."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from xl_kpi.core.findings import CATALOGUE, markdown_table
from xl_kpi.methods import REGISTRY
from xl_kpi.methods.base import Method
from xl_kpi.scoring.columns import result_columns
from xl_kpi.sheet.blocks import REGISTRY as BLOCKS
from xl_kpi.sheet.blocks import Block
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.workbook.blocks import REGISTRY as BLOCK_WRITERS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "xl_kpi").rglob("*.py")) + sorted((ROOT / "udfs").rglob("*.py"))


def test_import_contracts_hold():
    """Layers, Excel-free rules, UDFs as an adapter (import-linter, configured in pyproject.toml)."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "broken" in proc.stdout and " 0 broken" in proc.stdout


def test_tests_import_neither_bench_nor_other_test_modules():
    offenders = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if module.startswith("bench") or module.startswith("test_") or module.startswith("tests.test_"):
                    offenders.append(f"{path.name}: from {'.' * node.level}{module}")
            elif isinstance(node, ast.Import):
                offenders += [f"{path.name}: import {a.name}" for a in node.names if a.name.startswith(("bench", "tests.test_"))]
    assert not offenders, offenders


_CODE_USE = re.compile(r"""(?:finding|Error|Rejected|\.error|\.warn)\(\s*["']([a-z0-9-]+)["']""")


def _codes_used() -> set[str]:
    used: set[str] = set()
    for path in SOURCES:
        used |= set(_CODE_USE.findall(path.read_text(encoding="utf-8")))
    return used


def test_every_code_used_is_in_the_catalogue_and_every_catalogued_code_is_used():
    used = _codes_used()
    dynamic = {"changed-target", "changed-weight", "changed-threshold",  # passed through a rule-check table
               "legacy-xls"}  # Rejected("encrypted" if … else "legacy-xls")
    assert sorted(used - set(CATALOGUE)) == []
    assert sorted(set(CATALOGUE) - used - dynamic) == []


def test_the_findings_page_is_the_catalogue():
    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert page == markdown_table(), "regenerate: python docs/make_findings.py"


def test_every_finding_template_fills_in_both_languages():
    """Each template names the same fields in zh and en, so no message loses a value in one language."""
    field = re.compile(r"(?<!\{)\{(\w+)")
    for code, entry in CATALOGUE.items():
        assert set(field.findall(entry.zh)) == set(field.findall(entry.en)), code
        assert set(field.findall(entry.fix_zh)) == set(field.findall(entry.fix_en)), code


def test_the_package_list_is_the_tree():
    """pyproject lists packages explicitly (the templates are mapped in): a new subpackage must be added."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "xl_kpi").rglob("__init__.py")}
    on_disk |= {"xl_kpi.templates"}
    assert "udfs" not in listed, "the wheel must not install a generic top-level module udfs (the functions are xl_kpi.udf)"
    assert listed == on_disk


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_registered_method_implements_the_whole_protocol(name):
    method = REGISTRY[name]
    required = ["parse", "from_canonical", "score", "top", "bottom", "params", "formula", "describe", "simulate", "probes",
                "samples"]
    missing = [m for m in required if getattr(type(method), m) is getattr(Method, m)]
    assert not missing, f"{name} does not implement {missing}"
    assert method.samples(), f"{name} gives no sample indicators, so the oracle tests cannot prove it"


def test_every_scorecard_block_has_a_writer_and_every_writer_a_block():
    assert set(BLOCK_WRITERS) == set(BLOCKS)
    assert len({block.order for block in BLOCKS.values()}) == len(BLOCKS), "two blocks at one place in the stack"


def test_a_card_has_the_result_columns_of_its_present_blocks(specs):
    """What a block declares it adds to the results is what the table of result columns gives a card with it (and
    without it, none of them)."""
    for spec in specs.values():
        keys = {column.key for column in result_columns([spec])}
        layout = PersonLayout.for_spec(spec)
        for block in BLOCKS.values():
            declared = {key.replace("<section>", s.id) for key in block.columns for s in spec.sections} | {
                key for key in block.columns if "<section>" not in key}
            if block.present(layout):
                assert declared <= keys, f"{spec.id}: the {block.name} block adds {declared - keys}, the result columns lack them"
            else:
                assert not declared & keys, f"{spec.id}: no {block.name} block, yet result columns {declared & keys}"


def test_a_block_above_the_kpi_table_is_refused(monkeypatch, specs):
    """The info and the table keep the first release's rows (the golden addresses): a block stacked above the
    table would move them, and the layout says so rather than writing cards that no earlier tool can read."""

    class Banner(Block):
        name, order = "banner", 50

        def height(self, layout: PersonLayout) -> int:
            return 1

    monkeypatch.setitem(BLOCKS, "banner", Banner())
    with pytest.raises(RuntimeError, match="blocks go below it"):
        PersonLayout.for_spec(specs["sales_rep"]).cell_map(specs["sales_rep"])

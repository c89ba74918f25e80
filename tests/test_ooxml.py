"""Every generated workbook is valid OOXML: what Excel "repairs" (by deleting content) never ships.

Each bundled template × employee/department layout × zh/en × native/UDF formulas, the spec
workbook (export-spec) and a consolidation's summary.xlsx, checked against the OOXML schemas by
openxml-audit (pure Python) with zero errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

import xl_kpi
from xl_kpi.authoring import export_spec
from xl_kpi.consolidation import consolidate
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_all

from .conftest import TEMPLATES

VALIDATOR = OpenXmlValidator()


def _errors(path: Path) -> list[str]:
    result = VALIDATOR.validate(str(path))
    return [] if result.is_valid else [f"{path.name}: {e}" for e in result.errors[:5]]


@pytest.mark.slow
@pytest.mark.parametrize("formulas", ["native", "udf"])
def test_every_generated_workbook_is_valid_ooxml(tmp_path, formulas):
    specs = xl_kpi.load_templates(TEMPLATES)
    people = [Person(f"E{k:02d}", f"员工{k}", f"部门{k % 3}", "岗位", "上级", sid, bonus_base=10000.0)
              for k, sid in enumerate(specs)]
    written = []
    for layout in ("employee", "department"):
        for lang in ("zh", "en"):
            written += build_all(specs, people, tmp_path / f"{layout}-{lang}",
                                 BuildOptions(layout=layout, lang=lang, formulas=formulas, reviewer_password="boss"))
    assert len(written) == 2 * len(specs) + 2 * 3
    errors = [e for path in written for e in _errors(path)]
    assert not errors, "\n".join(errors[:20])


def test_spec_workbooks_and_summary_are_valid_ooxml(tmp_path):
    specs = xl_kpi.load_templates(TEMPLATES)
    books = [export_spec(spec, tmp_path / f"{sid}.xlsx") for sid, spec in specs.items()]
    people = [Person(f"E{k:02d}", f"员工{k}", "部门", "岗位", "上级", sid) for k, sid in enumerate(specs)]
    build_all(specs, people, tmp_path / "returns")
    _, paths = consolidate([tmp_path / "returns"], tmp_path / "out", specs, people + [Person("E99", "未交", "部门", "", "", "sales_rep")],
                           workers=1)
    errors = [e for path in [*books, paths["summary"]] for e in _errors(path)]
    assert not errors, "\n".join(errors[:20])

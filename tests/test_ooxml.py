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


def test_rating_workbooks_and_the_employees_own_are_valid_ooxml(tmp_path):
    """Separate ratings: each supervisor's, reviewer's and peer's workbook (with and without what the employees
    returned), the employees' workbooks that leave the others' cells to them, and the summary with raters to chase."""
    import csv
    import shutil

    from .rating_cases import SPEC_360, card_inputs, team_people

    people = team_people()[:4]
    inputs = {p.employee_id: card_inputs(p) for p in people}
    written = list(xl_kpi.build(SPEC_360, people, tmp_path / "zh", actuals=inputs, texts={"E01": {"comment": "好"}}))
    written += xl_kpi.build(SPEC_360, people, tmp_path / "en", lang="en", layout="department")
    results = tmp_path / "results"
    results.mkdir()
    with open(results / "scores.csv", "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["employee_id", "template", "team_sales_rate_actual", "coaching_self", "coaching_supervisor"])
        w.writerows([[p.employee_id, "sales_360", 1.05, "A", "B"] for p in people])
    written += xl_kpi.build(SPEC_360, people, tmp_path / "from", from_results=results)
    assert any(p.parent.name == "ratings" for p in written) and any(p.parent.name == "评分表" for p in written)
    (tmp_path / "zh" / "评分表" / "复核评分_孙总.xlsx").unlink()  # someone to chase
    shutil.move(tmp_path / "zh" / "issued.sqlite", tmp_path / "issued.sqlite")
    result = xl_kpi.consolidate([tmp_path / "zh"], tmp_path / "out", SPEC_360, people, issued=tmp_path / "issued.sqlite", workers=1)
    assert result.run.chase
    errors = [e for path in [*written, result.paths["summary"]] for e in _errors(path) if path.exists()]
    assert not errors, "\n".join(errors[:20])

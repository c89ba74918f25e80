"""Names, ids and labels people really use — apostrophes, quotes, commas, emoji, line breaks,
reserved-looking names, very long text, wildcard characters — either work or are refused."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_kpi.office.libreoffice import convert
from xl_kpi.scoring.engine import score_card
from xl_kpi.sheet.layouts import DepartmentLayout
from xl_kpi.sheet.person import META_SHEET
from xl_kpi.spec.model import Person
from xl_kpi.spec.rules import parse_spec
from xl_kpi.workbook import BuildOptions, build_department_workbook

from .workbook_cases import contract_names

ODD = ["O'Brien", "Anne-Marie d'Arc", 'Li "Leo" Wang', "张三, 李四", "🙂 Smile", "_xlkpi", "History", "line\nbreak",
       "'quoted'", "x" * 40, "名" * 29 + "'", "😀" * 20, "a/b\\c[d]:e*f?g", "=1+1", "@sum", "  ", "Ω≈ç√∫"]


def _spec(levels: list[str], grades: list[str]):
    data = {"id": "odd", "title": "Odd names", "language": "en",
            "grades": [{"label": g, "min": m} for g, m in zip(grades, (90, 80, 60, 0))],
            "indicators": [
                {"id": "sales", "name": "Sales", "unit": "%", "target": 1.0, "weight": "60%",
                 "scoring": {"method": "bands", "bands": [[1.1, 100], [1.0, 80], [0.9, 60]]}},
                {"id": "teamwork", "name": "Teamwork", "unit": "", "target": levels[1], "weight": "40%",
                 "scoring": {"method": "rating", "levels": {label: {"score": s} for label, s in zip(levels, (100, 80, 60, 0))}}}]}
    spec, problems = parse_spec(data, "odd.yaml")
    assert spec is not None, [p.render("en") for p in problems]
    return spec


names = st.one_of(st.sampled_from(ODD), st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=45))
labels = st.lists(st.one_of(st.sampled_from(['A "star"', "B, solid", "C'est", "D;x", "x" * 120, "=E", "F*", "<G"]),
                            st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).map(str.strip)
                            .filter(bool)), min_size=4, max_size=4, unique_by=str.casefold)


@given(people=st.lists(st.tuples(names, st.sampled_from(["E1", "meta", "E'3", "x" * 30])), min_size=1, max_size=6),
       levels=labels)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_odd_names_and_labels_build_a_sound_workbook(people, levels):
    spec = _spec(levels, ["A*", "AB", "<C", "C"])
    members = [(Person(f"{eid}{k}", name, "Dept", "", "", "odd"), spec) for k, (name, eid) in enumerate(people)]
    with tempfile.TemporaryDirectory() as folder:
        path = build_department_workbook(Path(folder) / "d.xlsx", "Dept", members)
        wb = openpyxl.load_workbook(path)
        assert META_SHEET in wb.sheetnames and wb.sheetnames.count(META_SHEET) == 1
        person_sheets = [ws for ws in wb.worksheets if "KPI_TOTAL" in ws.defined_names]
        assert len(person_sheets) == len(members)
        for ws in person_sheets:
            assert len(ws.title.encode("utf-16-le")) // 2 <= 31 and "'" not in ws.title and "\n" not in ws.title
            assert set(ws.defined_names) == contract_names(spec)
            rule = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
            first, last = rule.formula1.replace("$", "").split(":")
            listed = [c.value for row in ws[f"{first}:{last}"] for c in row]
            assert listed == levels  # the drop-down reads the levels from cells: quotes and commas survive


@pytest.mark.libreoffice
def test_grade_counts_compare_exactly_whatever_the_labels(tmp_path):
    """Grades A*, AB, <C and C, one person each: counted 1, 1, 1, 1 (COUNTIF on labels said 2, 1, 3, 1)."""
    spec = _spec(["A", "B", "C", "D"], ["A*", "AB", "<C", "C"])
    actuals = [{"sales": 1.2, "teamwork": "A"}, {"sales": 1.0, "teamwork": "B"}, {"sales": 1.0, "teamwork": "C"},
               {"sales": 0.5, "teamwork": "D"}]
    members = [(Person(f"E{k}", f"P{k}", "Dept", "", "", "odd"), spec) for k in range(4)]
    assert [score_card(spec, a).grade.label for a in actuals] == ["A*", "AB", "<C", "C"]
    path = build_department_workbook(tmp_path / "d.xlsx", "Dept", members,
                                     BuildOptions(actuals={f"E{k}": a for k, a in enumerate(actuals)}))
    (out,) = convert([path], tmp_path / "lo")
    ws = openpyxl.load_workbook(out, data_only=True).worksheets[0]
    lay = DepartmentLayout.for_members([spec] * 4)
    counts = {ws.cell(lay.grade_row(k) + 1, lay.STATS_COL + 1).value: ws.cell(lay.grade_row(k) + 1, lay.stat_value_col + 1).value
              for k in range(4)}
    assert counts == {"A*": 1, "AB": 1, "<C": 1, "C": 1}

"""The sheet formulas are a faithful translation of the engine: LibreOffice and the
``formulas`` package recalculate generated workbooks and must give the engine's numbers."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest
import xlsxwriter

from xl_kpi.advice.splits import annual_plan
from xl_kpi.office.gnumeric import recalc
from xl_kpi.office.libreoffice import convert
from xl_kpi.scoring.engine import score_card
from xl_kpi.sheet.layouts import DepartmentLayout
from xl_kpi.workbook import BuildOptions, build_department_workbook

from .oracle import BONUS_BASE, SPECS, build_filled, formulas_values, fragile, mismatches, people


@pytest.mark.libreoffice
def test_libreoffice_recalculates_instead_of_trusting_cached_values(tmp_path):
    path = tmp_path / "stale.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        wb.add_worksheet().write_formula("A1", "=1+1", None, 999)
    (out,) = convert([path], tmp_path / "lo")
    assert openpyxl.load_workbook(out, data_only=True).active["A1"].value == 2


@pytest.mark.libreoffice
def test_every_template_scores_like_the_engine_in_libreoffice(tmp_path):
    built = {sid: build_filled(spec, tmp_path) for sid, spec in SPECS.items()}
    outputs = convert([b[0] for b in built.values()], tmp_path / "lo")
    found: list[str] = []
    for (sid, (_, all_cases, names)), out in zip(built.items(), outputs):
        wb = openpyxl.load_workbook(out, data_only=True)
        found += mismatches(SPECS[sid], lambda sheet, cell, wb=wb: wb[sheet][cell].value, all_cases, names)
        found += _summary_mismatches(SPECS[sid], wb, all_cases)
    assert not found, "\n".join(found)


def _summary_mismatches(spec, wb, all_cases) -> list[str]:
    """The department summary follows every person's total and grade live, and its statistics."""
    from xl_kpi.core.rounding import excel_round

    summary = wb.worksheets[0]
    lay = DepartmentLayout.for_members([spec] * len(all_cases))
    expected = [score_card(spec, actuals, BONUS_BASE) for actuals in all_cases]
    bad = []
    for k, want in enumerate(expected):
        r = lay.row(k)

        def at(key, r=r):
            value = summary.cell(r + 1, lay.col(key) + 1).value
            return None if value in ("", None) else value

        got = {"total": at("total"), "grade": at("grade")}
        wanted = {"total": want.total, "grade": want.grade.label if want.grade else None}
        for key in lay.extras:
            got[key] = at(key)
            if key.startswith("section:"):
                wanted[key] = want.sections.get(key[8:])
            elif key == "veto":
                wanted[key] = " ".join(v.name for v in spec.veto if v.id in want.vetoed) or None
            else:
                wanted[key] = {"adjustment": want.adjustment, "coefficient": want.coefficient, "pay": want.pay}[key]
        if got != wanted:
            bad.append(f"[{spec.id}] summary row {r + 1}: {got} vs engine {wanted}")
    totals = [e.total for e in expected if e.total is not None]
    stats = [summary.cell(lay.stat_row(key) + 1, lay.stat_value_col + 1).value for key in lay.STATS]
    average = excel_round(sum(totals) / len(totals), 2) if totals else ""
    if stats != [len(all_cases), len(totals), average]:
        bad.append(f"[{spec.id}] summary statistics {stats} vs {len(all_cases)}, {len(totals)}, {average}")
    return bad


def test_every_template_scores_like_the_engine_in_the_formulas_package(tmp_path):
    pytest.importorskip("formulas")
    found: list[str] = []
    for sid in ("sales_rep", "all_methods", "manager", "customer_service", "sales_supervisor"):
        spec = SPECS[sid]
        filled, all_cases, names = build_filled(spec, tmp_path)
        found += mismatches(spec, formulas_values(filled), all_cases, names, binary_rounding=True)
    assert not found, "\n".join(found)


def _plan_variant(spec, target, unit):
    """The spec with 新客户开发数 given another quarterly target and unit (a count or an amount)."""
    inds = tuple(dataclasses.replace(i, target=target, unit=unit) if i.id == "new_customers" else i for i in spec.indicators)
    return dataclasses.replace(spec, indicators=inds)


@pytest.mark.libreoffice
@pytest.mark.parametrize("shares", [(0.25, 0.30, 0.25, 0.20), (0.1, 0.2, 0.3, 0.4), (0.15, 0.35, 0.3, 0.2)])
def test_target_plan_splits_like_the_engine_in_libreoffice(tmp_path, shares):
    """The plan sheet's live largest-remainder split gives the engine's parts to the last digit:
    whole units for counts (10 → 3/3/2/2, never 3.33), cents for amounts, every part adding up."""
    spec = SPECS["sales_rep"]
    variants = [(10, "个"), (2.5, "个"), (0.25, "个"), (7, "个"), (250000.01, "元"), (333333.33, "元"), (0.05, "元")]
    members = [(person, _plan_variant(spec, target, unit))
               for (person, _), (target, unit) in zip(people(spec, len(variants)), variants)]
    path = build_department_workbook(tmp_path / "plan.xlsx", "测试部", members, BuildOptions(plan_shares=shares))
    (out,) = convert([path], tmp_path / "lo")
    ws = openpyxl.load_workbook(out, data_only=True)["目标计划"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=7, max_row=6 + len(variants))]
    for row, (target, unit) in zip(rows, variants):  # employee, indicator, unit, annual, Q1–Q4, M1–M12, …
        annual, quarters, months = row[3], row[4:8], row[8:20]
        expected = annual_plan(target * 4, shares, decimals=0 if unit == "个" else 2)
        assert annual == target * 4
        assert (quarters, months) == (expected["quarters"], expected["months"]), (target, unit)
        assert round(sum(months), 2) == round(annual, 2)


@pytest.mark.gnumeric
def test_every_template_scores_like_the_engine_in_gnumeric(tmp_path):
    """A second, independent engine: Gnumeric recalculates every template's filled cases and the
    department summary. Only cases whose result hangs on the last bits of an actual (exact half-way
    values, actuals within 1e-9 of a threshold) may differ: Gnumeric does not round like Excel."""
    built = {sid: build_filled(spec, tmp_path) for sid, spec in SPECS.items()}
    outputs = recalc([b[0] for b in built.values()], tmp_path / "gn")
    found: list[str] = []
    known = compared = 0
    for (sid, (_, all_cases, names)), out in zip(built.items(), outputs):
        spec = SPECS[sid]
        wb = openpyxl.load_workbook(out, data_only=True)
        for (sheet, scoped), actuals in zip(names.items(), all_cases):
            compared += 1
            bad = mismatches(spec, lambda sheet, cell, wb=wb: wb[sheet][cell].value, [actuals], {sheet: scoped})
            if bad and fragile(spec, actuals):
                known += 1
            else:
                found += bad
        found += [line for line in _summary_mismatches(spec, wb, all_cases)
                  if not any(fragile(spec, a) for a in all_cases)]
    assert compared > 300 and known < compared * 0.05, (known, compared)
    assert not found, "\n".join(found)

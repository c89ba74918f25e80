"""The oracle tests' machinery: specs that exercise every registered scoring method, workbooks
with one sheet per probe case filled through the defined names, and a comparison that lists
every cell where a recalculating engine (LibreOffice, ``formulas``, UDFs) disagrees with ours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from xl_kpi.methods import REGISTRY
from xl_kpi.scoring.engine import score_card
from xl_kpi.sheet.person import name_id
from xl_kpi.spec.loading import load_specs
from xl_kpi.spec.model import Person, Spec
from xl_kpi.spec.rules import parse_spec
from xl_kpi.workbook import BuildOptions, build_department_workbook

from .conftest import TEMPLATES
from .workbook_cases import cases, fill_through_names

GRADES = [{"label": "优秀", "min": 90, "application": "额外绩效奖金"}, {"label": "良好", "min": 80},
          {"label": "合格", "min": 60}, {"label": "不合格", "min": 0, "application": "参加绩效改进计划"}]


def registry_spec() -> tuple[Spec, dict[str, list[Any]]]:
    """One spec holding every registered method's sample indicators, and the extra half-way
    probes the samples name (actuals whose scores land exactly half-way at two decimals)."""
    samples = [dict(sample) for method in REGISTRY.values() for sample in method.samples()]
    extra = {s["id"]: s.pop("halfway", []) for s in samples}
    base, rest = divmod(100, len(samples))
    for k, s in enumerate(samples):
        s["weight"] = base + (1 if k < rest else 0)
    spec, problems = parse_spec({"id": "all_methods", "title": "全部评分方法测试表", "period": "2026-Q3", "grades": GRADES,
                                 "indicators": samples}, "registry")
    assert spec is not None, [p.render("en") for p in problems]
    return spec, extra


ALL_METHODS, HALF_WAY = registry_spec()
SPECS = {**load_specs(TEMPLATES), "all_methods": ALL_METHODS}


BONUS_BASE = 5555.55  # × 1.2, 0.8, 0.5: pay that rounds at two decimals


def people(spec: Spec, n: int, prefix: str = "T") -> list[tuple[Person, Spec]]:
    return [(Person(f"{prefix}{k:03d}", f"测试{k}", "测试部", "", "", spec.id, bonus_base=BONUS_BASE), spec) for k in range(n)]


def build_filled(spec: Spec, tmp: Path, options: BuildOptions = BuildOptions(), suffix: str = ".xlsx"
                 ) -> tuple[Path, list[dict[str, Any]], dict[str, dict[str, tuple[str, str]]]]:
    """A department workbook with one sheet per case, filled through the defined names."""
    all_cases = cases(spec, HALF_WAY)
    members = people(spec, len(all_cases))
    blank = build_department_workbook(tmp / f"{spec.id}_blank{suffix}", "测试部", members, options)
    keep_vba = suffix == ".xlsm"
    sheets = openpyxl.load_workbook(blank, keep_vba=keep_vba).sheetnames[1 : len(all_cases) + 1]
    filled = tmp / f"{spec.id}{suffix}"
    names = fill_through_names(blank, filled, dict(zip(sheets, all_cases)), keep_vba)
    return filled, all_cases, {s: names[s] for s in sheets}


def _halfway(spec: Spec, result: Any) -> bool:
    """Whether a section score or the weighted score, before its ROUND, lies on a half-way point at two
    decimals (``74.865``): the ``formulas`` package rounds the binary value there, Excel the decimal one."""
    def unrounded(scores: list[float | None], weights: list[float]) -> float | None:
        if any(s is None for s in scores) or not scores:
            return None
        if spec.by_points:
            return sum(s for s in scores if s is not None)
        return sum(s * w for s, w in zip(scores, weights) if s is not None) / sum(weights)

    values = []
    if spec.sections:
        for sec in spec.sections:
            inds = spec.in_section(sec.id)
            values.append(unrounded([result.scores[i.id] for i in inds], [i.weight for i in inds]))
        values.append(unrounded([result.sections[sec.id] for sec in spec.sections], [sec.weight for sec in spec.sections]))
    else:
        values.append(unrounded([result.scores[i.id] for i in spec.indicators], [i.weight for i in spec.indicators]))
    return any(v is not None and abs(abs(v) * 100 % 1 - 0.5) < 1e-6 for v in values)


def mismatches(spec: Spec, values_of: Any, all_cases: list[dict[str, Any]], names: dict[str, dict[str, tuple[str, str]]],
               binary_rounding: bool = False) -> list[str]:
    """Every cell where the recalculated workbook and the engine disagree. ``binary_rounding``: the engine
    rounds the binary value at half-way points (the ``formulas`` package): cases whose totals lie on one are
    left out (EXCEL_NOTES: Excel, LibreOffice and the engine round the decimal value)."""
    bad = []
    for (sheet, scoped), actuals in zip(names.items(), all_cases):
        expected = score_card(spec, actuals, BONUS_BASE)
        if binary_rounding and _halfway(spec, expected):
            continue
        wanted: dict[str, Any] = {f"KPI_SCORE_{name_id(ind.id)}": expected.scores[ind.id] for ind in spec.indicators}
        wanted.update({f"KPI_SECTION_{name_id(s.id)}": expected.sections[s.id] for s in spec.sections})
        if spec.adjustments:
            wanted["KPI_ADJUSTMENT"] = expected.adjustment
        wanted["KPI_TOTAL"] = expected.total
        if spec.has_coefficients:
            wanted["KPI_COEFFICIENT"] = expected.coefficient
            wanted["KPI_PAY"] = expected.pay
        for name, want in wanted.items():
            got = values_of(*scoped[name])
            if (want is None and got not in (None, "")) or (want is not None and got != want):
                bad.append(f"[{spec.id}]{sheet}!{scoped[name][1]} {name}: sheet {got!r} engine {want!r} ({actuals})")
        got_grade = values_of(*scoped["KPI_GRADE"]) or None
        if got_grade != (expected.grade.label if expected.grade else None):
            bad.append(f"[{spec.id}]{sheet} grade: sheet {got_grade!r} engine {expected.grade}")
    return bad


def formulas_values(filled: Path) -> Any:
    """The ``formulas`` package's recalculation of a workbook, as ``value_of(sheet, cell)`` (what :func:`mismatches` reads).
    The package changes the case of book and sheet names between versions: looked up by upper case."""
    import formulas

    solution = formulas.ExcelModel().loads(str(filled)).finish().calculate()
    cells = {key.upper(): ranges for key, ranges in solution.items()}
    book = filled.name.upper()

    def value_of(sheet: str, cell: str) -> Any:
        v = cells[f"'[{book}]{sheet.upper()}'!{cell}"].value[0, 0]
        if type(v).__name__ == "XlError" or v is None:
            return str(v) if v is not None else None
        return v if isinstance(v, str) else float(v)

    return value_of


def fragile(spec: Spec, actuals: dict[str, Any]) -> bool:
    """Whether the engine's result for a case hangs on the last bits of an actual: an exact half-way
    value or one within 1e-9 of a threshold — where engines that round differently from Excel part ways."""
    base = score_card(spec, actuals, BONUS_BASE)
    numeric = [k for k, v in actuals.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for key in numeric:
        v = actuals[key]
        for nudged in (v * (1 + 1e-12), v * (1 - 1e-12), v + 2e-9, v - 2e-9):
            other = score_card(spec, {**actuals, key: nudged}, BONUS_BASE)
            if (other.scores, other.total) != (base.scores, base.total):
                return True
    return False

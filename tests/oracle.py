"""The oracle tests' machinery: specs that exercise every registered scoring method, workbooks
with one sheet per probe case filled through the defined names, and a comparison that lists
every cell where a recalculating engine (LibreOffice, ``formulas``, UDFs) disagrees with ours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from xl_kpi.methods import REGISTRY
from xl_kpi.scoring.engine import score_card
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


def people(spec: Spec, n: int, prefix: str = "T") -> list[tuple[Person, Spec]]:
    return [(Person(f"{prefix}{k:03d}", f"测试{k}", "测试部", "", "", spec.id), spec) for k in range(n)]


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


def mismatches(spec: Spec, values_of: Any, all_cases: list[dict[str, Any]], names: dict[str, dict[str, tuple[str, str]]]) -> list[str]:
    """Every cell where the recalculated workbook and the engine disagree."""
    bad = []
    for (sheet, scoped), actuals in zip(names.items(), all_cases):
        expected = score_card(spec, actuals)
        for ind in spec.indicators:
            got = values_of(*scoped[f"KPI_SCORE_{ind.id}"])
            want = expected.scores[ind.id]
            if (want is None and got not in (None, "")) or (want is not None and got != want):
                bad.append(f"[{spec.id}]{sheet}!{scoped[f'KPI_SCORE_{ind.id}'][1]} {ind.id} actual={actuals[ind.id]!r}: sheet {got!r} engine {want!r}")
        got_total = values_of(*scoped["KPI_TOTAL"])
        if (expected.total is None and got_total not in (None, "")) or (expected.total is not None and got_total != expected.total):
            bad.append(f"[{spec.id}]{sheet} total: sheet {got_total!r} engine {expected.total!r} ({actuals})")
        got_grade = values_of(*scoped["KPI_GRADE"]) or None
        if got_grade != (expected.grade.label if expected.grade else None):
            bad.append(f"[{spec.id}]{sheet} grade: sheet {got_grade!r} engine {expected.grade}")
    return bad

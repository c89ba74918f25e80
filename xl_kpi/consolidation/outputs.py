"""Write the consolidation's outputs, each atomically: scores.csv, issues.csv, summary.xlsx.

Everything people typed is written as text (``write_string`` in the workbook, a ``'``
prefix for risky CSV fields), so nothing returned can become a live formula. Rows stream
from the run's store and the workbook is written in XlsxWriter's constant-memory mode, so
memory does not grow with the number of people.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from ..core.files import atomic_path, strip_control, write_csv_atomic
from ..core.text import ui_lang
from ..spec.model import Spec
from .alongside import alongside
from .distribution import parse_distribution
from .health import DATA_GAP, TOO_EASY, TOO_HARD, Stats
from .history import append_history
from .reader import PersonRecord
from .runner import Consolidation

__all__ = ["write_outputs", "score_columns", "score_table", "issue_table", "ScoreColumns", "pay_rows", "PAY_COLUMNS"]

ISSUE_COLUMNS = ("file", "sheet", "employee_id", "cell", "code", "severity", "message", "hint")
PARALLEL_FROM = 2_000  # rows below which a second process costs more than it saves


@dataclass(frozen=True)
class ScoreColumns:
    """The columns of scores.csv and the Scores sheet for the templates returned: each indicator's
    actual (or each rater's input) and score, then what sections, adjustments, veto and
    coefficients add, when any returned template has them."""

    indicators: tuple[tuple[str, tuple[str, ...]], ...]  # (indicator id, its raters — () when not rated)
    sections: tuple[str, ...] = ()
    weighted: bool = False
    adjustments: bool = False
    veto: bool = False
    pay: bool = False

    def header(self) -> list[str]:
        header = ["employee_id", "name", "department", "template", "period", "file", "sheet"]
        for iid, raters in self.indicators:
            header += [f"{iid}_{r}" for r in raters] if raters else [f"{iid}_actual"]
            header.append(f"{iid}_score")
        header += [f"{sid}_score" for sid in self.sections] + (["weighted"] if self.weighted else [])
        header += (["adjustment"] if self.adjustments else []) + (["veto"] if self.veto else [])
        header += ["total", "grade", "status"]
        return header + (["coefficient", "bonus_base", "pay"] if self.pay else [])

    def row(self, r: PersonRecord) -> list[Any]:
        row: list[Any] = [r.employee_id, r.name, r.department, r.template, r.period, r.file, r.sheet]
        for iid, raters in self.indicators:
            row += [r.ratings.get(iid, {}).get(rater) for rater in raters] if raters else [r.raw.get(iid)]
            row.append(r.scores.get(iid))
        row += [r.sections.get(sid) for sid in self.sections] + ([r.weighted] if self.weighted else [])
        row += ([r.adjustment] if self.adjustments else []) + ([" ".join(r.vetoed)] if self.veto else [])
        row += [r.total, r.grade, r.status]
        return row + ([r.coefficient, r.bonus_base, r.pay] if self.pay else [])


def score_columns(result: Consolidation, specs: dict[str, Spec]) -> ScoreColumns:
    """The columns for the templates returned, indicators in first-seen order."""
    indicators: dict[str, tuple[str, ...]] = {}
    sections: list[str] = []
    used = [specs[spec_id] for spec_id in result.store.templates()]
    for spec in used:
        for ind in spec.indicators:
            indicators.setdefault(ind.id, ind.raters)
        sections += [s.id for s in spec.sections if s.id not in sections]
    return ScoreColumns(tuple(indicators.items()), tuple(sections), any(s.sections or s.adjustments or s.veto for s in used),
                        any(s.adjustments for s in used), any(s.veto for s in used), any(s.has_coefficients for s in used))


PAY_COLUMNS = ("employee_id", "name", "department", "template", "grade", "coefficient", "bonus_base", "pay", "status")


def pay_rows(result: Consolidation, specs: dict[str, Spec]) -> Iterator[list[Any]]:
    """pay.csv: everyone whose scorecard has coefficients — grade, coefficient, bonus base and pay;
    pay is blank while the grade or the base is missing (an incomplete card stays on the list)."""
    for r in result.store.records(by_department=True):
        if r.template in specs and specs[r.template].has_coefficients:
            yield [r.employee_id, r.name, r.department, r.template, r.grade, r.coefficient, r.bonus_base, r.pay, r.status]


def score_table(result: Consolidation, specs: dict[str, Spec]) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and rows of scores.csv: one row per person, by department then id."""
    columns = score_columns(result, specs)
    return columns.header(), (columns.row(r) for r in result.store.records(by_department=True))


def issue_table(result: Consolidation) -> tuple[list[str], Iterator[list[str]]]:
    """The header and rows of issues.csv."""
    return list(ISSUE_COLUMNS), _issue_rows(result)


def _issue_rows(result: Consolidation) -> Iterator[list[str]]:
    """Issues as report rows: errors first, then by file, person and code."""
    lang = ui_lang()
    for i in result.store.issues(by_severity=True):
        row = i.row(lang)
        yield [row[c] for c in ISSUE_COLUMNS]


def _clean(value: Any) -> Any:
    kind = type(value)
    if kind is float or kind is int or value is None:
        return value
    if isinstance(value, str):
        return strip_control(value)[:32767]
    if isinstance(value, bool):
        return str(value)
    return value


def _table(ws: Any, header: list[str], rows: Iterable[list[Any]], head_fmt: Any, widths: dict[int, int] | None = None,
           formats: dict[int, Any] | None = None) -> int:
    """A header, the rows (streamed, in order), a frozen header and a filter; returns the number of rows.

    ``write_row`` is safe for typed text: the workbook is opened with strings_to_formulas,
    strings_to_numbers and strings_to_urls off, so every str is stored as a string.
    """
    for c, h in enumerate(header):
        ws.write_string(0, c, h, head_fmt)
        ws.set_column(c, c, (widths or {}).get(c, 12))
    n, formatted = 0, list((formats or {}).items())
    for n, row in enumerate(rows, start=1):
        ws.write_row(n, 0, [_clean(v) for v in row])
        for c, fmt in formatted:  # same row: constant-memory mode only writes forward
            if c < len(row) and isinstance(row[c], (int, float)):
                ws.write_number(n, c, row[c], fmt)
    ws.freeze_panes(1, 0)
    if n:
        ws.autofilter(0, 0, n, len(header) - 1)
    return n


def write_summary(path: Path, result: Consolidation, specs: dict[str, Spec], target_distribution: str | None = None,
                  expected: dict[str, int] | None = None) -> None:
    """summary.xlsx: scores, departments, grade distribution, indicator health, reviews, issues."""
    zh = ui_lang() == "zh"
    tmp = atomic_path(path)
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False, "constant_memory": True})
    try:
        head = wb.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True, "valign": "top"})
        pct = wb.add_format({"num_format": "0.0%"})
        flag = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        columns = score_columns(result, specs)
        stats = Stats(specs)

        def scored() -> Iterator[list[Any]]:
            for record in result.store.records(by_department=True):
                stats.add(record)  # the statistics sheets are gathered in the same pass
                yield columns.row(record)

        _table(wb.add_worksheet("成绩 Scores"), columns.header(), scored(), head, {1: 14, 5: 40})

        dept = wb.add_worksheet("部门统计 Departments")
        dist = stats.grade_distribution()
        labels = [label for label, _ in dist]
        dept_header = ["department", "expected", "returned", "scored", "mean", "min", "max", *labels]
        _table(dept, dept_header, [[d.department, d.expected, d.returned, d.scored, d.mean, d.min, d.max,
                                    *[d.grades.get(label, 0) for label in labels]] for d in stats.department_stats(expected)],
               head, {0: 18})

        ws = wb.add_worksheet("等级分布 Grades")
        wanted = parse_distribution(target_distribution)
        targets = wanted.for_labels(labels) if wanted else {}
        total = sum(n for _, n in dist)
        rows = []
        for label, n in dist:
            share = n / total if total else 0.0
            rows.append([label, n, share, *((targets[label], share - targets[label]) if label in targets else ())])
        _table(ws, ["grade", "count", "share", "target share", "difference"], rows, head, formats={2: pct, 3: pct, 4: pct})
        if dist:
            chart = wb.add_chart({"type": "column"})
            chart.add_series({"name": "share", "categories": [ws.name, 1, 0, len(dist), 0], "values": [ws.name, 1, 2, len(dist), 2],
                              "fill": {"color": "#5B9BD5"}, "data_labels": {"value": True, "num_format": "0%"}})
            if targets:
                chart.add_series({"name": "target", "categories": [ws.name, 1, 0, len(dist), 0],
                                  "values": [ws.name, 1, 3, len(dist), 3], "fill": {"color": "#A5A5A5"}})
            chart.set_title({"name": "等级分布 Grade distribution"})
            chart.set_y_axis({"num_format": "0%", "min": 0})
            ws.insert_chart(1, 6, chart)

        health = wb.add_worksheet("指标健康 Indicator health")
        h_rows = [[h.template, h.indicator.id, h.indicator.name, h.people, h.scored, h.at_top, h.at_bottom, h.missing, h.mean,
                   ", ".join(h.flags)] for h in stats.indicator_health()]
        _table(health, ["template", "indicator_id", "indicator", "people", "scored", "at top band", "at minimum",
                        "missing", "mean score", "flags"], h_rows, head, {2: 16, 9: 24}, formats={5: pct, 6: pct, 7: pct})
        if h_rows:
            health.conditional_format(1, 9, len(h_rows), 9, {"type": "no_blanks", "format": flag})
        note = (f"too-easy: ≥{TOO_EASY:.0%} 的人处于最高档(目标可能过低);too-hard: ≥{TOO_HARD:.0%} 的人得最低分(目标可能过高);"
                f"data-gap: ≥{DATA_GAP:.0%} 未填写(数据可能难以获取)。" if zh else
                f"too-easy: ≥{TOO_EASY:.0%} at the top band; too-hard: ≥{TOO_HARD:.0%} at the minimum; data-gap: ≥{DATA_GAP:.0%} missing.")
        health.write_string(len(h_rows) + 2, 0, note)

        reviews = wb.add_worksheet("自评检查 Reviews")
        n = _table(reviews, ["employee_id", "name", "department", "field", "finding", "detail"], map(list, result.store.findings()),
                   head, {5: 70})
        reviews.write_string(n + 2, 0, "vague: 用数据替代形容词(种子文档:避免“重大贡献”“极大提升”);smart-*: 目标回顾缺少具体对象、量化标准或时限。"
                             if zh else "vague: replace adjectives with figures; smart-*: the goal review lacks an object, a measure or a deadline.")

        _table(wb.add_worksheet("问题 Issues"), list(ISSUE_COLUMNS), _issue_rows(result), head, {0: 40, 6: 60, 7: 40})
        wb.close()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_outputs(outdir: Path, result: Consolidation, specs: dict[str, Spec], target_distribution: str | None = None,
                  expected: dict[str, int] | None = None, history: Path | None = None) -> dict[str, Path]:
    """Write scores.csv, issues.csv and summary.xlsx into ``outdir`` and append ``history``; returns their paths.

    The workbook is written by a second process meanwhile (see :mod:`.alongside`).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {"scores": outdir / "scores.csv", "issues": outdir / "issues.csv", "summary": outdir / "summary.xlsx"}
    counts = result.counts()
    with alongside(write_summary, paths["summary"], result, specs, target_distribution, expected,
                   parallel=counts["people"] + counts["errors"] + counts["warnings"] + counts["infos"] >= PARALLEL_FROM):
        write_csv_atomic(paths["scores"], *score_table(result, specs))
        write_csv_atomic(paths["issues"], *issue_table(result))
        if score_columns(result, specs).pay:
            paths["pay"] = outdir / "pay.csv"
            write_csv_atomic(paths["pay"], PAY_COLUMNS, pay_rows(result, specs))
        if history is not None:
            append_history(history, result.store.records(), specs)
            paths["history"] = history
    return paths

"""Write the consolidation's outputs, each atomically: scores.csv, issues.csv, summary.xlsx.

Everything people typed is written as text (``write_string`` in the workbook, a ``'``
prefix for risky CSV fields), so nothing returned can become a live formula.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import xlsxwriter

from ..csvsafe import atomic_path, strip_control, write_csv_atomic
from ..errors import ui_lang
from ..model import Spec
from .health import DATA_GAP, TOO_EASY, TOO_HARD, department_stats, grade_distribution, indicator_health
from .alongside import alongside
from .history import append_history
from .runner import Consolidation

__all__ = ["write_outputs", "score_columns"]

ISSUE_COLUMNS = ("file", "sheet", "employee_id", "cell", "code", "severity", "message", "hint")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
PARALLEL_FROM = 2_000  # rows below which a second process costs more than it saves


def score_columns(result: Consolidation, specs: dict[str, Spec]) -> list[str]:
    """Indicator ids in first-seen order over the templates returned."""
    ids: list[str] = []
    for spec_id in dict.fromkeys(r.template for r in result.records):
        for ind in specs[spec_id].indicators:
            if ind.id not in ids:
                ids.append(ind.id)
    return ids


def _score_rows(result: Consolidation, ids: list[str]) -> tuple[list[str], list[list[Any]]]:
    header = ["employee_id", "name", "department", "template", "period", "file", "sheet"]
    for iid in ids:
        header += [f"{iid}_actual", f"{iid}_score"]
    header += ["total", "grade", "status"]
    rows = []
    for r in sorted(result.records, key=lambda r: (r.department, r.employee_id)):
        row: list[Any] = [r.employee_id, r.name, r.department, r.template, r.period, r.file, r.sheet]
        for iid in ids:
            row += [r.raw.get(iid) if iid in r.raw else None, r.scores.get(iid)]
        row += [r.total, r.grade, r.status]
        rows.append(row)
    return header, rows


def _issue_rows(result: Consolidation) -> list[dict[str, str]]:
    lang = ui_lang()
    rows = [i.row(lang) for i in result.issues]
    return sorted(rows, key=lambda r: (SEVERITY_ORDER[r["severity"]], r["file"], r["employee_id"], r["code"]))


def _clean(value: Any) -> Any:
    kind = type(value)
    if kind is float or kind is int or value is None:
        return value
    if isinstance(value, str):
        return strip_control(value)[:32767]
    if isinstance(value, bool):
        return str(value)
    return value


def _table(ws: Any, header: list[str], rows: list[list[Any]], head_fmt: Any, widths: dict[int, int] | None = None) -> None:
    for c, h in enumerate(header):
        ws.write_string(0, c, h, head_fmt)
        ws.set_column(c, c, (widths or {}).get(c, 12))
    # write_row is safe for typed text: the workbook is opened with strings_to_formulas,
    # strings_to_numbers and strings_to_urls off, so every str is stored as a string.
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, [_clean(v) for v in row])
    ws.freeze_panes(1, 0)
    if rows:
        ws.autofilter(0, 0, len(rows), len(header) - 1)


def _parse_distribution(target: str | None, labels: list[str]) -> dict[str, float]:
    """"20,70,10" → shares for the best grades in order; "优秀=20,良好=70" by label."""
    if not target:
        return {}
    out: dict[str, float] = {}
    for k, part in enumerate(p.strip() for p in target.split(",") if p.strip()):
        if "=" in part:
            label, value = part.split("=", 1)
            out[label.strip()] = float(value.strip().rstrip("%")) / 100
        elif k < len(labels):
            out[labels[k]] = float(part.rstrip("%")) / 100
    return out


def write_summary(path: Path, result: Consolidation, specs: dict[str, Spec], target_distribution: str | None = None,
                  expected: dict[str, int] | None = None) -> None:
    zh = ui_lang() == "zh"
    tmp = atomic_path(path)
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False, "in_memory": True})
    try:
        head = wb.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True, "valign": "top"})
        pct = wb.add_format({"num_format": "0.0%"})
        flag = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        ids = score_columns(result, specs)
        header, rows = _score_rows(result, ids)
        _table(wb.add_worksheet("成绩 Scores"), header, rows, head, {1: 14, 5: 40})

        dept = wb.add_worksheet("部门统计 Departments")
        dist = grade_distribution(result.records, specs)
        labels = [label for label, _ in dist]
        stats = department_stats(result.records, expected)
        dept_header = ["department", "expected", "returned", "scored", "mean", "min", "max", *labels]
        _table(dept, dept_header, [[s["department"], s["expected"], s["returned"], s["scored"], s["mean"], s["min"], s["max"],
                                    *[s["grades"].get(label, 0) for label in labels]] for s in stats], head, {0: 18})

        ws = wb.add_worksheet("等级分布 Grades")
        targets = _parse_distribution(target_distribution, labels)
        scored = sum(n for _, n in dist)
        _table(ws, ["grade", "count", "share", "target share", "difference"], [], head)
        for r, (label, n) in enumerate(dist, start=1):
            share = n / scored if scored else 0.0
            ws.write_row(r, 0, [_clean(label), n])
            ws.write_number(r, 2, share, pct)
            if label in targets:
                ws.write_number(r, 3, targets[label], pct)
                ws.write_number(r, 4, share - targets[label], pct)
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
        h_rows = []
        for h in indicator_health(result.records, specs):
            h_rows.append([h.template, h.indicator.id, h.indicator.name, h.people, h.scored, h.at_top, h.at_bottom, h.missing,
                           h.mean, ", ".join(h.flags)])
        _table(health, ["template", "indicator_id", "indicator", "people", "scored", "at top band", "at minimum",
                        "missing", "mean score", "flags"], h_rows, head, {2: 16, 9: 24})
        for r in range(1, len(h_rows) + 1):
            for c in (5, 6, 7):
                health.write_number(r, c, h_rows[r - 1][c], pct)
        if h_rows:
            health.conditional_format(1, 9, len(h_rows), 9, {"type": "no_blanks", "format": flag})
        note = (f"too-easy: ≥{TOO_EASY:.0%} 的人处于最高档(目标可能过低);too-hard: ≥{TOO_HARD:.0%} 的人得最低分(目标可能过高);"
                f"data-gap: ≥{DATA_GAP:.0%} 未填写(数据可能难以获取)。" if zh else
                f"too-easy: ≥{TOO_EASY:.0%} at the top band; too-hard: ≥{TOO_HARD:.0%} at the minimum; data-gap: ≥{DATA_GAP:.0%} missing.")
        health.write_string(len(h_rows) + 2, 0, note)

        reviews = wb.add_worksheet("自评检查 Reviews")
        review_rows = [[r.employee_id, r.name, r.department, f, k, d] for r in sorted(result.records, key=lambda r: r.employee_id)
                       for f, k, d in r.findings]
        _table(reviews, ["employee_id", "name", "department", "field", "finding", "detail"], review_rows, head, {5: 70})
        reviews.write_string(len(review_rows) + 2, 0, "vague: 用数据替代形容词(种子文档:避免“重大贡献”“极大提升”);smart-*: 目标回顾缺少具体对象、量化标准或时限。"
                             if zh else "vague: replace adjectives with figures; smart-*: the goal review lacks an object, a measure or a deadline.")

        issues = _issue_rows(result)
        _table(wb.add_worksheet("问题 Issues"), list(ISSUE_COLUMNS), [[r[c] for c in ISSUE_COLUMNS] for r in issues], head,
               {0: 40, 6: 60, 7: 40})
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
    with alongside(write_summary, paths["summary"], result, specs, target_distribution, expected,
                   parallel=len(result.records) + len(result.issues) >= PARALLEL_FROM):
        header, rows = _score_rows(result, score_columns(result, specs))
        write_csv_atomic(paths["scores"], header, rows)
        write_csv_atomic(paths["issues"], ISSUE_COLUMNS, [[r[c] for c in ISSUE_COLUMNS] for r in _issue_rows(result)])
        if history is not None:
            append_history(history, result.records)
            paths["history"] = history
    return paths

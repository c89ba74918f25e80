"""summary.xlsx's first sheet, 概览 / Overview: one printed page HR reads before any table — how many
people, how many returned and complete, each department, the grades against the target
distribution, the pay to publish, and the problems by kind (what to chase first).

Every figure is one the other sheets hold in detail; nothing here is computed twice: the
departments and grades come from the run's :class:`~xl_kpi.consolidation.health.Stats`, the
problems from the run's store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding
from ..core.visible import visible
from ..sheet.printing import page_setup, row_height
from .distribution import TargetDistribution
from .health import Stats

__all__ = ["Overview", "write_overview"]

WORDS = {
    "title": ("考核汇总 — 概览", "KPI consolidation — overview"),
    "people": ("人数", "People"), "roster": ("花名册人数", "On the roster"), "returned": ("已提交", "Returned"),
    "not_returned": ("未提交", "Not returned"), "complete": ("已完成(可发放)", "Complete (to pay)"),
    "pay_total": ("绩效工资合计", "Performance pay, total"), "departments": ("各部门", "By department"),
    "department": ("部门", "Department"), "scored": ("已评分", "Scored"), "mean": ("平均分", "Mean"),
    "grades": ("等级分布与目标", "Grades against the target"), "grade": ("等级", "Grade"), "count": ("人数", "People"),
    "share": ("占比", "Share"), "target": ("目标占比", "Target"), "problems": ("问题(按类别)", "Problems by kind"),
    "code": ("代码", "Code"), "severity": ("级别", "Severity"), "example": ("例如", "For example"),
    "none": ("没有问题。", "No problems."), "scale": ("等级标尺", "Grade scale"),
    "error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info"),
}
WIDTHS = (24, 11, 11, 11, 11, 11, 34)  # the page's seven columns: a label or department, five figures, an example


def _w(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


@dataclass
class Overview:
    """What the overview counts while the Scores sheet is written: people returned, complete, the pay."""

    roster: int = 0
    returned: int = 0
    complete: int = 0
    pay: float = 0.0
    with_pay: bool = True  # a template pays by grade: the pay total means something
    problems: Counter[tuple[int, str, str]] = field(default_factory=Counter)  # (rank, severity, code)
    example: dict[str, str] = field(default_factory=dict)

    def add_problems(self, issues: Iterable[Finding], lang: str) -> None:
        rank = {"error": 0, "warning": 1, "info": 2}
        for issue in issues:
            self.problems[(rank.get(issue.severity, 3), issue.severity, issue.code)] += 1
            self.example.setdefault(issue.code, issue.message(lang))  # type: ignore[arg-type]


def write_overview(ws: Any, formats: dict[str, Any], lang: str, overview: Overview, stats: Stats,
                   expected: dict[str, int] | None, target: TargetDistribution | None) -> None:
    """The overview on ``ws``: key figures, departments, grades against the target, problems by kind (A4 portrait, one page)."""
    w = lambda k: _w(k, lang)  # noqa: E731
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    ws.write_string(0, 0, w("title"), formats["title"])
    ws.set_row(0, 24)
    r = 2
    r = _block(ws, formats, r, w("people"), [w("roster"), w("returned"), w("not_returned"), w("complete"), w("pay_total")],
               [[overview.roster, overview.returned, max(0, overview.roster - overview.returned), overview.complete,
                 round(overview.pay, 2) if overview.with_pay else "—"]], first_label=False, money=(4,))
    depts = stats.department_stats(expected)
    r = _block(ws, formats, r, w("departments"), [w("department"), w("roster"), w("returned"), w("not_returned"), w("scored"), w("mean")],
               [[d.department, d.expected, d.returned, max(0, d.expected - d.returned), d.scored,
                 d.mean if d.mean is not None else ""] for d in depts], decimals=(5,))
    rows: list[list[Any]] = []
    dist = stats.grade_distribution(lang)
    scales = list(dict.fromkeys(scale for scale, _, _ in dist))
    for scale in scales:
        total = sum(n for s, _, n in dist if s.key == scale.key)
        try:
            wanted = target.shares(scale) if target else {}
        except ValueError:
            wanted = {}
        for s, label, n in dist:
            if s.key == scale.key:
                rows.append([label, n, n / total if total else 0.0, wanted.get(label, ""), scale.describe() if len(scales) > 1 else ""])
    r = _block(ws, formats, r, w("grades"), [w("grade"), w("count"), w("share"), w("target"), w("scale") if len(scales) > 1 else ""],
               rows, percent=(2, 3), spans={4: 6})
    problems = [[code, w(severity) if severity in WORDS else severity, n, overview.example.get(code, "")]
                for (_, severity, code), n in sorted(overview.problems.items())]
    if problems:
        _block(ws, formats, r, w("problems"), [w("code"), w("severity"), w("count"), w("example")], problems, wrap=(3,), spans={3: 6})
    else:
        ws.write_string(r, 0, w("problems"), formats["section"])
        ws.write_string(r + 1, 0, w("none"), formats["cell"])
    page_setup(ws, lang, landscape=False, area=(0, 0, r + 2 + len(problems), len(WIDTHS) - 1), who=(w("title"),))


def _block(ws: Any, formats: dict[str, Any], r: int, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
           first_label: bool = True, money: Sequence[int] = (), decimals: Sequence[int] = (), percent: Sequence[int] = (),
           wrap: Sequence[int] = (), spans: dict[int, int] | None = None) -> int:
    """A titled table (framed cells, a filled header) from row ``r``, a column ``c`` spanning to ``spans[c]``;
    returns the row after it and a blank one."""
    ends: dict[int, int] = spans or {}

    def width(c: int) -> float:
        return float(sum(WIDTHS[c : ends.get(c, c) + 1]))

    ws.write_string(r, 0, title, formats["section"])
    ws.set_row(r, 20)
    for c, text in enumerate(header):
        _cell(ws, r + 1, c, ends.get(c, c), text, formats["head"])
    ws.set_row(r + 1, row_height([(text, width(c)) for c, text in enumerate(header)], 15))
    for k, row in enumerate(rows, start=r + 2):
        for c, value in enumerate(row):
            fmt = formats["money" if c in money else "decimal" if c in decimals else "percent" if c in percent else
                          "wrap" if c in wrap else "label" if c == 0 and first_label else "cell"]
            _cell(ws, k, c, ends.get(c, c), value, fmt)
        if wrap:
            ws.set_row(k, row_height([(str(row[c]), width(c)) for c in wrap if c < len(row)], 15))
    return r + 2 + len(rows) + 1


def _cell(ws: Any, r: int, first: int, last: int, value: Any, fmt: Any) -> None:
    """A number or a text in one cell, or across ``first..last``."""
    if last > first:
        ws.merge_range(r, first, r, last, "", fmt)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, first, value, fmt)
    else:  # a department's name or a message from a return: shown as it is, never acting (xl_kpi.core.visible)
        ws.write_string(r, first, visible(str(value)), fmt)

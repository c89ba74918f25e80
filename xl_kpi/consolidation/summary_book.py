"""summary.xlsx, written for HR: headers and sheet names in the run's language, the Scores sheet
led by person, department, total, grade and status (then the indicators, values shown as the
scorecards show them), every roster person present (未提交 when nothing came back), who gets the
bonus and who the improvement plan (Application), the comments and self-reviews, and every sheet
set up to print (A4 landscape, one page wide, header rows repeated).

Everything people typed is written as text, and rows stream from the run's store into a
constant-memory workbook, so memory does not grow with the number of people.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..core.files import atomic_path
from ..core.findings import finding
from ..core.text import ui_lang
from ..scoring.columns import TABLE
from ..sheet.printing import FONTS, fit_width, page_setup, pages_wide
from ..spec.model import Person, Spec
from ..spec.scales import column_titles
from .distribution import TargetDistribution
from .health import DATA_GAP, MIN_PEOPLE, TOO_EASY, TOO_HARD, Stats, grade_rank
from .pay import PAID_STATUS
from .record import PersonRecord
from .runner import Consolidation
from .store import REVIEW_TEXTS
from .summary_overview import Overview, write_overview
from .summary_rows import RowWorkbook, wrapped_height
from .summary_scores import STATUS, Scores, file_name, merged, sheet_title

__all__ = ["write_summary", "SHEETS", "STATUS", "review_rows", "REVIEW_COLUMNS", "ISSUE_COLUMNS", "issue_rows"]

ISSUE_COLUMNS = ("file", "sheet", "employee_id", "cell", "code", "severity", "message", "hint")

SHEETS = {"overview": ("概览", "Overview"), "scores": ("成绩", "Scores"), "departments": ("部门统计", "Departments"), "grades": ("等级分布", "Grades"),
          "application": ("结果应用", "Application"), "reviews": ("评语与自评", "Reviews"), "checks": ("自评检查", "Review checks"),
          "health": ("指标健康", "Indicator health"), "issues": ("问题", "Issues")}
WORDS = {  # a result column's title is the column table's (xl_kpi.scoring.columns)
    **{d.column.key: (d.column.title.zh, d.column.title.en) for d in TABLE if d.column is not None},
    "expected": ("花名册人数", "On roster"), "returned": ("已提交", "Returned"), "not_returned": ("未提交", "Not returned"),
    "scored": ("已评分", "Scored"), "mean": ("平均分", "Mean"), "min": ("最低分", "Min"), "max": ("最高分", "Max"),
    "count": ("人数", "People"), "share": ("占比", "Share"), "target_share": ("目标占比", "Target share"),
    "difference": ("差异", "Difference"), "application": ("结果应用", "How the result is applied"),
    "comment": ("上级评语", "Supervisor's comment"), "goal_review": ("目标回顾", "Goal review"), "key_actions": ("关键行动", "Key actions"),
    "results": ("成果数据", "Result data"), "gaps": ("不足与改进", "Gaps and improvements"), "field": ("栏目", "Field"),
    "finding": ("检查", "Check"), "detail": ("说明", "Detail"), "indicator_id": ("指标标识", "Indicator ID"),
    "indicator": ("指标", "Indicator"), "people": ("人数", "People"), "at_top": ("最高档占比", "At the top band"),
    "at_bottom": ("最低分占比", "At the minimum"), "missing": ("未填占比", "Missing"), "mean_score": ("平均得分", "Mean score"),
    "excluded": ("未计入(改动/无效/旧版)", "Left out (tampered/invalid/superseded)"),
    "flags": ("提示", "Flags"), "scale": ("等级标尺", "Grade scale"), "cell": ("位置", "Where"), "code": ("代码", "Code"), "severity": ("级别", "Severity"),
    "message": ("问题", "Problem"), "hint": ("处理建议", "What to do"),
}
TITLE = {"zh": "考核汇总", "en": "KPI consolidation"}
REVIEW_KEYS = REVIEW_TEXTS  # comment, goal review, key actions, results, gaps
REVIEW_COLUMNS = ("employee_id", "name", "department", "template", *REVIEW_KEYS)


def _w(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


class _Book:
    """The workbook, its formats, and the page setup every sheet gets."""

    def __init__(self, path: Path, lang: str) -> None:
        font = dict(FONTS["zh" if lang == "zh" else "en"])
        self.wb = RowWorkbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                                                  "constant_memory": True, "default_format_properties": font})
        self.lang = lang
        self.head = self.wb.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True,
                                        "valign": "vcenter", "border": 1})
        # every cell in the middle of its row, so a row's ids, figures and wrapped texts line up
        self.pct = self.wb.add_format({"num_format": "0.0%", "valign": "vcenter"})
        self.num = self.wb.add_format({"num_format": "0.00", "valign": "vcenter"})
        self.money = self.wb.add_format({"num_format": "#,##0.00", "valign": "vcenter"})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "vcenter"})
        self.cell = self.wb.add_format({"valign": "vcenter"})
        self.flag = self.wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.missing = self.wb.add_format({"font_color": "#9C0006", "italic": True})

    def overview_formats(self) -> dict[str, Any]:
        """The overview's formats: framed cells, a filled header, figures as the other sheets show them."""
        add = self.wb.add_format
        frame = {"border": 1, "valign": "vcenter"}
        return {"title": add({"bold": True, "font_size": 14}), "section": add({"bold": True, "font_size": 11, "font_color": "#1F4E78"}),
                "head": add({**frame, "bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True}),
                "cell": add(frame), "label": add({**frame, "bold": True, "bg_color": "#F2F2F2"}),
                "money": add({**frame, "num_format": "#,##0.00"}), "decimal": add({**frame, "num_format": "0.00"}),
                "percent": add({**frame, "num_format": "0.0%"}), "wrap": add({**frame, "text_wrap": True})}

    def sheet(self, key: str) -> Any:
        zh, en = SHEETS[key]
        return self.wb.add_worksheet(zh if self.lang == "zh" else en)

    def table(self, ws: Any, header: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[float],
              formats: dict[int, Any] | None = None, who: str = "", wrap: Sequence[int] = ()) -> int:
        """A header, the rows streamed in order (typed text stays text), a frozen header, a filter and a
        page setup; returns the number of rows."""
        for c, width in enumerate(widths):
            ws.set_column(c, c, width, self.wrap if c in wrap else None)
        ws.set_row(0, 45 if any(len(h) > 8 for h in header) else 30)
        for c, h in enumerate(header):
            ws.write_string(0, c, h, self.head)
        n = 0
        formats = formats or {}
        width = len(header)
        text_styles = ws.column_styles([self.wrap if c in wrap else self.cell for c in range(width)])
        number_styles = ws.column_styles([formats.get(c, self.cell) for c in range(width)])
        written = 0
        for n, row in enumerate(rows, start=1):  # every row is consumed: the statistics sheets gather in this pass
            values = row if isinstance(row, list) else list(row)
            if len(values) > width:  # a row wider than its header: the extra cells as XlsxWriter would write them
                text_styles += ws.column_styles([self.cell] * (len(values) - width))
                number_styles += ws.column_styles([self.cell] * (len(values) - width))
                width = len(values)
            if ws.append_row(n, values, text_styles, number_styles, wrapped_height(values, wrap, widths)):
                written = n
        ws.flush_rows()
        n = written
        ws.freeze_panes(1, 0)
        if n:
            ws.autofilter(0, 0, n, len(header) - 1)
        wide = pages_wide(widths[: len(header)], self.lang, landscape=True)  # text at 8 pt or more (8.4 aimed): a wide table takes pages
        if wide > 1:
            ws.repeat_columns(0, 1)  # the person's id and name on every page
        page_setup(ws, self.lang, landscape=True, area=(0, 0, max(n, 1), len(header) - 1), repeat=(0, 0),
                   who=(who or TITLE[self.lang], ws.name), wide=wide)
        return n


def issue_rows(result: Consolidation) -> Iterator[list[str]]:
    """Issues as report rows (issues.csv and the Issues sheet): errors first, then by file, person and code."""
    lang = ui_lang()
    for i in result.store.issues(by_severity=True):
        row = i.row(lang)
        yield [row[c] for c in ISSUE_COLUMNS]


def review_rows(result: Consolidation) -> Iterator[list[str]]:
    """The comment and self-review texts of every kept record (reviews.csv and the Reviews sheet)."""
    return map(list, result.store.reviews())


def write_summary(path: Path, result: Consolidation, specs: dict[str, Spec], target_distribution: TargetDistribution | None = None,
                  expected: dict[str, int] | None = None, missing: Sequence[Person] = (), health_min_people: int = MIN_PEOPLE) -> None:
    """summary.xlsx: scores, departments, grades, application, reviews, review checks, indicator health, issues."""
    lang = ui_lang()
    zh = lang == "zh"
    w = lambda k: _w(k, lang)  # noqa: E731
    tmp = atomic_path(path)
    book = _Book(tmp, lang)
    try:
        first = book.sheet("overview")  # the first sheet, written last: it counts what the others hold
        templates = result.store.templates()
        own = [t for t in dict.fromkeys([*templates, *(p.template for p in missing)]) if t in specs]
        several = len(own) > 1
        scores = Scores(specs, templates, lang, card_only=several)
        stats = Stats(specs, health_min_people)
        applications: list[list[Any]] = []
        overview = Overview()

        def scored() -> Iterator[list[Any]]:
            for record, person in merged(result.store.records(by_department=True, findings=False), missing):
                overview.roster += 1
                if person is not None:
                    yield scores.missing_row(person)
                    continue
                assert record is not None
                overview.returned += 1
                if record.status == PAID_STATUS:
                    overview.complete += 1
                    overview.pay += record.pay or 0.0
                stats.add(record)  # the statistics sheets are gathered in the same pass
                _application(record, specs, applications)
                yield scores.row(record)

        ws = book.sheet("scores")
        n = book.table(ws, scores.header(), scored(), scores.widths(), scores.formats(book), who=TITLE[lang])
        status = scores.index("status")
        if n:
            ws.conditional_format(1, status, n, status, {"type": "text", "criteria": "containing", "value": scores.status("not-returned"),
                                               "format": book.flag})
        if several:  # a Scores sheet per template: its own indicators' columns only
            taken = {name.lower() for name in book.wb.sheetnames}
            for template in own:
                _template_scores(book, result, specs, template, [p for p in missing if p.template == template],
                                 sheet_title(SHEETS["scores"][0 if zh else 1], specs[template], taken))

        columns = column_titles(stats.scales(lang), lang)  # one column per grade of each scale: never counted by rank across scales
        labels = [title for _, _, title in columns]
        dept_rows = [[d.department, d.expected, d.returned, max(0, d.expected - d.returned), d.scored, d.mean, d.min, d.max,
                      *[d.grades.get((key, k), 0) for key, k, _ in columns]] for d in stats.department_stats(expected)]
        book.table(book.sheet("departments"), [w("department"), w("expected"), w("returned"), w("not_returned"), w("scored"),
                                               w("mean"), w("min"), w("max"), *labels],
                   dept_rows, [16, 9, 9, 9, 9, 9, 9, 9, *[fit_width([x], 8, 14) for x in labels]], {5: book.num, 6: book.num, 7: book.num})

        _grades(book, stats, target_distribution)

        applications.sort(key=lambda a: (a[-1], -(a[3] or 0), a[0]))
        book.table(book.sheet("application"), [w("employee_id"), w("name"), w("department"), w("total"), w("grade"),
                                               w("application"), w("coefficient"), w("pay")],
                   ([*a[:-1]] for a in applications), [12, 12, 14, 9, fit_width(scores.grades + [w("grade")], 8, 16), 40, 10, 12],
                   {3: book.num, 6: book.num, 7: book.money}, wrap=(5,))

        book.table(book.sheet("reviews"), [w("employee_id"), w("name"), w("department"), w("template"), *(w(k) for k in REVIEW_KEYS)],
                   review_rows(result), [10, 10, 12, fit_width([*templates, w("template")], 10, 22), 28, 28, 28, 28, 28],
                   wrap=(1, 2, 4, 5, 6, 7, 8))

        checks = book.sheet("checks")
        n = book.table(checks, [w("employee_id"), w("name"), w("department"), w("field"), w("finding"), w("detail")],
                       map(list, result.store.findings()), [12, 12, 14, 12, 14, 70], wrap=(5,))
        checks.write_string(n + 2, 0, "review-vague: 用数据替代形容词(不写“重大贡献”“极大提升”这类说法);review-smart: 目标回顾缺少具体对象、量化标准或时限。"
                            if zh else "review-vague: replace adjectives with figures; review-smart: the goal review lacks an object, a measure or a deadline.")

        health = book.sheet("health")
        h_rows = [[h.template, h.indicator.id, h.indicator.name, h.people, h.scored, h.at_top, h.at_bottom, h.missing, h.mean,
                   h.excluded, ", ".join(h.flags)] for h in stats.indicator_health()]
        book.table(health, [w("template"), w("indicator_id"), w("indicator"), w("people"), w("scored"), w("at_top"), w("at_bottom"),
                            w("missing"), w("mean_score"), w("excluded"), w("flags")], h_rows, [18, 16, 18, 8, 8, 10, 10, 10, 10, 10, 20],
                   {5: book.pct, 6: book.pct, 7: book.pct, 8: book.num})
        if h_rows:
            health.conditional_format(1, 10, len(h_rows), 10, {"type": "no_blanks", "format": book.flag})
        health.write_string(len(h_rows) + 2, 0, (
            f"too-easy: ≥{TOO_EASY:.0%} 的人处于最高档(目标可能过低);too-hard: ≥{TOO_HARD:.0%} 的人得最低分(目标可能过高);"
            f"data-gap: ≥{DATA_GAP:.0%} 未填写(数据可能难以获取)。不足 {health_min_people} 人不标记;同一岗位的中英文模板合并统计;"
            "规则被改动、无效或旧版的表不计入;旧版考核表不计入部门得分与等级分布。" if zh else
            f"too-easy: ≥{TOO_EASY:.0%} at the top band; too-hard: ≥{TOO_HARD:.0%} at the minimum; data-gap: ≥{DATA_GAP:.0%} missing. "
            f"No flag under {health_min_people} people; a role's zh and en templates are pooled; tampered, invalid and superseded returns are left out; a superseded card counts in no department score or grade."))

        severity = {"error": "错误", "warning": "警告", "info": "提示"} if zh else {}
        issues = book.sheet("issues")
        n = book.table(issues, [w(k) for k in ISSUE_COLUMNS],
                       ([file_name(row[0]), *row[1:5], severity.get(row[5], row[5]), *row[6:]] for row in issue_rows(result)),
                       [24, 12, 10, 8, 16, 7, 54, 40], wrap=(0, 1, 4, 6, 7))
        if result.on_trust and result.counts()["people"]:
            issues.write_string(n + 2, 0, finding("taken-on-trust").render(lang))  # what only HR's register proves, said once
        overview.add_problems(result.store.issues(by_severity=True), lang)
        overview.with_pay = any(specs[t].has_coefficients for t in own)
        write_overview(first, book.overview_formats(), lang, overview, stats, expected, target_distribution)
        book.wb.activate_sheet = 0
        book.wb.close()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _template_scores(book: _Book, result: Consolidation, specs: dict[str, Spec], template: str, missing: Sequence[Person],
                     name: str) -> None:
    """One template's Scores sheet: its people (the roster's who returned nothing too) and its own columns."""
    scores = Scores(specs, [template], book.lang, run_columns=False)

    def rows() -> Iterator[list[Any]]:
        records = (r for r in result.store.records(by_department=True, findings=False) if r.template == template)
        for record, person in merged(records, missing):
            yield scores.missing_row(person) if person is not None else scores.row(record)  # type: ignore[arg-type]

    ws = book.wb.add_worksheet(name)
    book.table(ws, scores.header(), rows(), scores.widths(), scores.formats(book), who=f"{TITLE[book.lang]} · {specs[template].title}")


def _application(record: PersonRecord, specs: dict[str, Spec], out: list[list[Any]]) -> None:
    """Who gets the bonus, who goes to an improvement plan: everyone whose grade says how the result is applied."""
    spec = specs.get(record.template)
    rank = grade_rank(spec, record.grade)
    if spec is None or not rank or record.status != PAID_STATUS:
        return  # a bonus or an improvement plan only on a complete, trusted result
    grade = spec.grades[rank - 1]
    if grade.application:
        out.append([record.employee_id, record.name, record.department, record.total, grade.label, grade.application,
                    record.coefficient, record.pay, rank])


def _grades(book: _Book, stats: Stats, target_distribution: TargetDistribution | None) -> None:
    """The grade distribution of each scale (a grade is counted only with its own scale's), its share
    within the scale, and HR's target share where the target distribution fits the scale; a chart each."""
    lang = book.lang
    w = lambda k: _w(k, lang)  # noqa: E731
    ws = book.sheet("grades")
    dist = stats.grade_distribution(lang)
    scales = list(dict.fromkeys(scale for scale, _, _ in dist))
    several = len(scales) > 1  # then a first column names each row's scale
    totals = {scale.key: sum(n for s, _, n in dist if s.key == scale.key) for scale in scales}
    targets: dict[str, dict[str, float]] = {}
    for scale in scales:
        try:
            targets[scale.key] = target_distribution.shares(scale) if target_distribution else {}
        except ValueError:
            targets[scale.key] = {}  # reported as distribution-not-applied
    rows = []
    for scale, label, n in dist:
        share = n / totals[scale.key] if totals[scale.key] else 0.0
        wanted = targets[scale.key]
        rows.append([*([scale.describe()] if several else []), label, n, share,
                     *((wanted[label], share - wanted[label]) if label in wanted else ())])
    lead = 1 if several else 0
    header = [*([_w("scale", lang)] if several else []), w("grade"), w("count"), w("share"), w("target_share"), w("difference")]
    widths = [*([fit_width([s.describe() for s in scales], 12, 44)] if several else []), 14, 8, 10, 10, 10]
    n = book.table(ws, header, rows, widths, {lead + 2: book.pct, lead + 3: book.pct, lead + 4: book.pct})
    row = 1
    for k, scale in enumerate(scales):
        count = len(scale.labels)
        chart = book.wb.add_chart({"type": "column"})
        chart.add_series({"name": w("share"), "categories": [ws.name, row, lead, row + count - 1, lead],
                          "values": [ws.name, row, lead + 2, row + count - 1, lead + 2],
                          "fill": {"color": "#5B9BD5"}, "data_labels": {"value": True, "num_format": "0%"}})
        if targets[scale.key]:
            chart.add_series({"name": w("target_share"), "categories": [ws.name, row, lead, row + count - 1, lead],
                              "values": [ws.name, row, lead + 3, row + count - 1, lead + 3], "fill": {"color": "#A5A5A5"}})
        title = "等级分布" if lang == "zh" else "Grade distribution"
        chart.set_title({"name": f"{title} — {scale.describe()}" if several else title, "name_font": {"size": 11}})
        chart.set_y_axis({"num_format": "0%", "min": 0})
        chart.set_size({"width": 480, "height": 288})
        ws.insert_chart(n + 3 + 16 * k, 0, chart)
        row += count
    if scales:
        page_setup(ws, lang, landscape=True, area=(0, 0, n + 3 + 16 * len(scales), lead + 6), repeat=(0, 0), who=(ws.name,))

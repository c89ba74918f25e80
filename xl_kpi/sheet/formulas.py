"""The engine's rules translated into portable sheet formulas.

Only functions that Excel 2010, WPS, LibreOffice and Google Sheets all compute (IF, ROUND,
MIN, MAX, ISNUMBER, COUNT, SUMPRODUCT, SUM, TRIM, AND, OR; the plan's split adds ABS, INT, MOD,
SIGN), nothing volatile,
and every threshold, score, weight, point and coefficient read from its visible cell. Each
function mirrors one rule of :mod:`xl_kpi.scoring.engine`; a method's own rule is its
:meth:`Method.formula`. The LibreOffice and ``formulas`` tests hold them to the same digits.
"""

from __future__ import annotations

from ..core.refs import a1
from ..core.rounding import ROUND_SCORE
from ..spec.model import LEGACY_VETO_MARKS, VETO_MARKS, Indicator, Spec
from .person import FORMAT_VERSION, PersonLayout

__all__ = ["expected_formulas", "score_formula", "weighted_formula", "progress_formula", "total_formula", "grade_formula",
           "application_formula", "rater_score_formula", "rated_formula", "section_formula", "weighted_score_formula",
           "contribution_formula", "adjustment_formula", "veto_count_formula", "veto_names_formula", "coefficient_formula",
           "pay_formula", "is_marked", "veto_marks"]


def _mean(scores: list[str], weights: list[str]) -> str:
    """``ROUND(Σ s×w / Σ w, 2)`` over separate cells, blank until all are numbers (engine.weighted_total)."""
    num = "+".join(f"{s}*{w}" for s, w in zip(scores, weights))
    return f'=IF(COUNT({",".join(scores)})={len(scores)},ROUND(({num})/({"+".join(weights)}),{ROUND_SCORE}),"")'


def score_formula(ind: Indicator, layout: PersonLayout, i: int, mode: str = "native", spec: Spec | None = None) -> str:
    """``engine.score_indicator`` for row ``i``: blank actual → "", else the method's rule; a rated
    indicator combines its raters' scores (rule 1).

    In ``udf`` mode a method may call an xlwings function (bands: KPISCORE on the contiguous
    parameter ranges); the others keep their native formula.
    """
    if ind.rated and spec is not None:
        return rated_formula(spec, ind, layout, mode)
    return ind.method.formula(ind, layout.cells_for(i), mode)


def rater_score_formula(ind: Indicator, layout: PersonLayout, i: int, rater_id: str, mode: str = "native") -> str:
    """One rater's score of a rated indicator: the method's rule on that rater's input."""
    return ind.method.formula(ind, layout.cells_for(i, layout.rating_cell(ind.id, rater_id)), mode)


def rated_formula(spec: Spec, ind: Indicator, layout: PersonLayout, mode: str = "native") -> str:
    """Rule 1: ``ROUND(Σ rater weight × score / Σ rater weight, 2)``, blank until every rater has rated."""
    scores = [layout.rater_score_cell(ind.id, r) for r in ind.raters]
    weights = [layout.rater_weight_cell(r) for r in ind.raters]
    if mode == "udf" and ind.raters == layout.raters:  # contiguous: the raters' scores, the raters' weights
        return f"=WEIGHTED_TOTAL({scores[0]}:{scores[-1]},{weights[0]}:{weights[-1]})"
    return _mean(scores, weights)


def weighted_formula(layout: PersonLayout, i: int) -> str:
    """What the row adds to the total: score × weight (a card of points: the points themselves)."""
    s, w = layout.cell(i, layout.col.SCORE), layout.cell(i, layout.col.WEIGHT)
    if layout.by_points:
        return f'=IF(ISNUMBER({s}),{s},"")'
    return f'=IF(ISNUMBER({s}),{s}*{w},"")'


NOT_A_NUMBER = {"zh": "⚠ 请填数字", "en": "⚠ not a number"}


def progress_formula(ind: Indicator, layout: PersonLayout, i: int, lang: str = "zh") -> str | None:
    """Attainment against target (actual/target, or target/actual when lower is better); a note
    when the actual holds text the scoring formulas cannot use (its score stays blank)."""
    if ind.takes_label or ind.rated:
        return None
    x, t = layout.cell(i, layout.col.ACTUAL), layout.cell(i, layout.col.TARGET)
    note = f'IF(LEN(TRIM({x}))=0,"","{NOT_A_NUMBER[lang]}")'
    if not isinstance(ind.target, (int, float)) or ind.target == 0:
        return f'=IF(ISNUMBER({x}),"—",{note})'
    if ind.direction == "higher":
        return f'=IF(ISNUMBER({x}),{x}/{t},{note})'
    return f'=IF(ISNUMBER({x}),IF({x}<>0,{t}/{x},""),{note})'


def _sumproduct(scores: str, weights: str, n: int, mode: str) -> str:
    """``engine.weighted_total`` over a span of scores and one of weights."""
    if mode == "udf":
        return f"=WEIGHTED_TOTAL({scores},{weights})"
    return f'=IF(COUNT({scores})={n},ROUND(SUMPRODUCT({weights},{scores})/SUM({weights}),{ROUND_SCORE}),"")'


def _sum(scores: str, n: int) -> str:
    """``engine.points_total`` over a span of scores: what a card of points (or its section) earned."""
    return f'=IF(COUNT({scores})={n},ROUND(SUM({scores}),{ROUND_SCORE}),"")'


def section_formula(spec: Spec, layout: PersonLayout, section_id: str, mode: str = "native") -> str:
    """Rule 2: a section's score over its indicator rows."""
    c = layout.col
    if layout.by_points:
        return _sum(layout.section_span(section_id, c.SCORE), len(spec.in_section(section_id)))
    return _sumproduct(layout.section_span(section_id, c.SCORE), layout.section_span(section_id, c.WEIGHT),
                       len(spec.in_section(section_id)), mode)


def weighted_score_formula(layout: PersonLayout, mode: str = "native") -> str:
    """Rule 3: the weighted score over the section summary (no sections: over the indicators)."""
    c = layout.col
    if not layout.sections:
        if layout.by_points:
            return _sum(layout.column_span(c.SCORE), layout.n)
        return _sumproduct(layout.column_span(c.SCORE), layout.column_span(c.WEIGHT), layout.n, mode)
    first, last = layout.sections[0], layout.sections[-1]
    scores = f"{layout.section_score_cell(first)}:{layout.section_score_cell(last)}"
    if layout.summed:
        return _sum(scores, len(layout.sections))
    weights = f"{layout.section_weight_cell(first, False)}:{layout.section_weight_cell(last, False)}"
    return _sumproduct(scores, weights, len(layout.sections), mode)


def total_formula(layout: PersonLayout, mode: str = "native") -> str:
    """Rules 3–5: no adjustments or veto, the weighted score itself (today's total); otherwise
    ``ROUND(MAX(0, weighted + adjustment), 2)``, and 0 when any veto is marked."""
    if not (layout.sections or layout.adjustments or layout.veto):
        return weighted_score_formula(layout, mode)
    w = layout.weighted_cell
    adj = layout.adjustment_total_cell if layout.adjustments else None
    veto = layout.veto_count_cell if layout.veto else None
    if mode == "udf" and (adj or veto):
        return f"=KPITOTAL({w},{adj or 0},{veto or 0})"
    inner = f'IF(ISNUMBER({w}),ROUND(MAX(0,{w}+{adj}),{ROUND_SCORE}),"")' if adj else f'IF(ISNUMBER({w}),{w},"")'
    return f"=IF({veto}>0,0,{inner})" if veto else f"={inner}"


def contribution_formula(layout: PersonLayout, item_id: str) -> str:
    """Rule 4, one item: ``count × points`` clamped to [−max, max]; a blank or text count is 0."""
    count, points, cap = (layout.adjustment_cell(item_id, w) for w in ("count", "points", "max"))
    return f"=MAX(-{cap},MIN({cap},IF(ISNUMBER({count}),{count},0)*{points}))"


def adjustment_formula(layout: PersonLayout, mode: str = "native") -> str:
    """Rule 4, the block: the items' sum clamped to [min, max]."""
    low, high = layout.adjustment_bounds
    if mode == "udf":
        return (f"=KPIADJUST({layout.adjustment_span('count')},{layout.adjustment_span('points')},"
                f"{layout.adjustment_span('max')},{low},{high})")
    return f"=MAX({low},MIN({high},SUM({layout.adjustment_span('contribution')})))"


def veto_marks(format_version: int = FORMAT_VERSION) -> tuple[str, ...]:
    """The marks the veto formula of a workbook format knows (version 1 knew four)."""
    return VETO_MARKS if format_version >= 2 else LEGACY_VETO_MARKS


def is_marked(cell: str, marks: tuple[str, ...] = VETO_MARKS) -> str:
    """Whether a veto cell holds one of the marks (是 / 有 / Y / Yes / √ …; "=" between texts ignores case)."""
    return "OR(" + ",".join(f'TRIM({cell})="{mark}"' for mark in marks) + ")"


def veto_count_formula(layout: PersonLayout, marks: tuple[str, ...] = VETO_MARKS) -> str:
    """How many veto items are marked (rule 5: any at all makes the total 0)."""
    return "=" + "+".join(f"IF({is_marked(layout.veto_cell(v), marks)},1,0)" for v in layout.veto)


def veto_names_formula(layout: PersonLayout) -> str:
    """The names of the marked items (what the sheet shows as the veto applied); each name sits in
    the first cell of its merged name range."""
    name_col = layout.col.NO
    parts = [f'IF({is_marked(layout.veto_cell(v))},{a1(layout.veto_row(v), name_col)}&" ","")' for v in layout.veto]
    return "=TRIM(" + "&".join(parts) + ")"


def grade_formula(layout: PersonLayout, mode: str = "native") -> str:
    """``engine.grade_for``: the first grade (highest min first) whose min the total reaches."""
    total = layout.total_cell
    if mode == "udf":
        return f"=KPIGRADE({total},{layout.grade_span('min')},{layout.grade_span('label')})"
    expr = '""'
    for label, low in reversed(list(zip(layout.grade_cells("label"), layout.grade_cells("min")))):
        expr = f"IF({total}>={low},{label},{expr})"
    return f'=IF(ISNUMBER({total}),{expr},"")'


def _by_grade(layout: PersonLayout, values: list[str]) -> str:
    """The value of the grade the total reaches, chosen by the same thresholds as the grade itself —
    never by looking the label up (MATCH and COUNTIF read "A*" or "<C" as patterns)."""
    total = layout.total_cell
    expr = '""'
    for value, low in reversed(list(zip(values, layout.grade_cells("min")))):
        expr = f"IF({total}>={low},{value},{expr})"
    return f'=IF(ISNUMBER({total}),{expr},"")'


def coefficient_formula(layout: PersonLayout, mode: str = "native") -> str:
    """The grade's coefficient (绩效系数)."""
    grade = layout.grade_cell
    if mode == "udf":
        return f"=KPICOEF({grade},{layout.grade_span('label')},{layout.grade_span('coefficient')})"
    return _by_grade(layout, layout.grade_cells("coefficient"))


def rank_formula(layout: PersonLayout) -> str:
    """The grade's rank in the scale (1 = the best): what department summaries count."""
    return _by_grade(layout, [str(k) for k in range(1, layout.grades + 1)])


def pay_formula(layout: PersonLayout) -> str:
    """Rule 6: ``ROUND(bonus base × coefficient, 2)`` when both are there."""
    base, coef = layout.base_cell, layout.coefficient_cell
    return f'=IF(AND(ISNUMBER({base}),ISNUMBER({coef})),ROUND({base}*{coef},{ROUND_SCORE}),"")'


def application_formula(layout: PersonLayout) -> str:
    # &"" turns an empty application cell into "" instead of 0.
    return _by_grade(layout, [f'{cell}&""' for cell in layout.grade_cells("application")])


def expected_formulas(spec: Spec, layout: PersonLayout, mode: str = "native", format_version: int = FORMAT_VERSION) -> dict[str, str]:
    """Every scoring formula of a person's sheet by cell, each present block's (:mod:`xl_kpi.sheet.blocks`): what
    the writer writes and the consolidator checks (a return of an earlier ``format_version`` is checked against
    the formulas that version wrote)."""
    cells: dict[str, str] = {}
    for block in layout.blocks:
        cells.update(block.formulas(spec, layout, mode, format_version))
    return cells

"""The engine's rules translated into portable sheet formulas.

Only functions that Excel 2010, WPS, LibreOffice and Google Sheets all compute (IF, ROUND,
MIN, MAX, ISNUMBER, COUNT, SUMPRODUCT, SUM, INDEX, MATCH, TRIM, AND), nothing volatile, and
every threshold, score and weight read from its visible cell. Each function mirrors one in
:mod:`xl_kpi.scoring.engine`; a method's own rule is its :meth:`Method.formula`. The
LibreOffice and ``formulas`` tests hold them to the same digits.
"""

from __future__ import annotations

from ..core.rounding import ROUND_SCORE
from ..spec.model import Indicator, Spec
from .person import Col, PersonLayout

__all__ = ["expected_formulas", "score_formula", "weighted_formula", "progress_formula", "total_formula", "grade_formula",
           "application_formula"]


def score_formula(ind: Indicator, layout: PersonLayout, i: int, mode: str = "native") -> str:
    """``engine.score_indicator`` for row ``i``: blank actual → "", else the method's rule.

    In ``udf`` mode a method may call an xlwings function (bands: KPISCORE on the contiguous
    parameter ranges); the others keep their native formula.
    """
    return ind.method.formula(ind, layout.cells_for(i), mode)


def weighted_formula(layout: PersonLayout, i: int) -> str:
    s, w = layout.cell(i, Col.SCORE), layout.cell(i, Col.WEIGHT)
    return f'=IF(ISNUMBER({s}),{s}*{w},"")'


def progress_formula(ind: Indicator, layout: PersonLayout, i: int) -> str | None:
    """Attainment against target (actual/target, or target/actual when lower is better)."""
    if ind.takes_label or not isinstance(ind.target, (int, float)) or ind.target == 0:
        return None
    x, t = layout.cell(i, Col.ACTUAL), layout.cell(i, Col.TARGET)
    if ind.direction == "higher":
        return f'=IF(ISNUMBER({x}),{x}/{t},"")'
    return f'=IF(AND(ISNUMBER({x}),{x}<>0),{t}/{x},"")'


def total_formula(layout: PersonLayout, mode: str = "native") -> str:
    """``engine.weighted_total``: blank until every score is a number."""
    scores, weights = layout.column_span(Col.SCORE), layout.column_span(Col.WEIGHT)
    if mode == "udf":
        return f"=WEIGHTED_TOTAL({scores},{weights})"
    return f'=IF(COUNT({scores})={layout.n},ROUND(SUMPRODUCT({weights},{scores})/SUM({weights}),{ROUND_SCORE}),"")'


def grade_formula(layout: PersonLayout, mode: str = "native") -> str:
    """``engine.grade_for``: the first grade (highest min first) whose min the total reaches."""
    total = layout.total_cell
    if mode == "udf":
        return f"=KPIGRADE({total},{layout.grade_span('min')},{layout.grade_span('label')})"
    expr = '""'
    for label, low in reversed(list(zip(layout.grade_cells("label"), layout.grade_cells("min")))):
        expr = f"IF({total}>={low},{label},{expr})"
    return f'=IF(ISNUMBER({total}),{expr},"")'


def application_formula(layout: PersonLayout) -> str:
    grade = layout.grade_cell
    # &"" turns an empty application cell into "" instead of 0.
    return f'=IF({grade}="","",INDEX({layout.grade_span("application")},MATCH({grade},{layout.grade_span("label")},0))&"")'


def expected_formulas(spec: Spec, layout: PersonLayout, mode: str = "native") -> dict[str, str]:
    """Every scoring formula of a person's sheet by cell: what the writer writes and the consolidator checks."""
    cells = {layout.cell(i, Col.SCORE): score_formula(ind, layout, i, mode) for i, ind in enumerate(spec.indicators)}
    cells[layout.total_cell] = total_formula(layout, mode)
    cells[layout.grade_cell] = grade_formula(layout, mode)
    return cells

"""The engine's rules translated into portable sheet formulas.

Only functions that Excel 2010, WPS, LibreOffice and Google Sheets all compute (IF, ROUND,
MIN, MAX, ISNUMBER, COUNT, SUMPRODUCT, SUM, INDEX, MATCH, TRIM, AND), nothing volatile, and
every threshold, score and weight read from its visible cell. Each function mirrors one
in :mod:`xl_kpi.engine`; the LibreOffice and ``formulas`` tests hold them to the same digits.
"""

from __future__ import annotations

from .cellmap import Col, PersonLayout, a1, param_count
from .engine import ROUND_ACTUAL, ROUND_SCORE
from .model import Bands, Deduction, Indicator, Linear, Rating, Spec

__all__ = [
    "expected_formulas",
    "score_formula",
    "weighted_formula",
    "progress_formula",
    "total_formula",
    "grade_formula",
    "application_formula",
]


def _pair(layout: PersonLayout, i: int, p: int) -> tuple[str, str]:
    return a1(*layout.param_key(i, p)), a1(*layout.param_value(i, p))


def score_formula(ind: Indicator, layout: PersonLayout, i: int, mode: str = "native") -> str:
    """``engine.score_indicator`` for row ``i``: blank actual → "", else the method's rule.

    In ``udf`` mode a bands score calls KPISCORE (xlwings) on the contiguous parameter
    ranges; the other methods have no UDF and keep their native formula.
    """
    r = layout.row(i)
    x = a1(r, Col.ACTUAL)
    sc = ind.scoring
    if mode == "udf" and isinstance(sc, Bands):
        n = len(sc.thresholds)
        keys = f"{a1(*layout.param_key(i, 0))}:{a1(*layout.param_key(i, n - 1))}"
        values = f"{a1(*layout.param_value(i, 0))}:{a1(*layout.param_value(i, n - 1))}"
        _, other = _pair(layout, i, n)
        return f'=KPISCORE({x},{keys},{values},"{ind.direction}",{other})'
    if isinstance(sc, Bands):
        op = ">=" if ind.direction == "higher" else "<="
        rounded = f"ROUND({x},{ROUND_ACTUAL})"
        _, other = _pair(layout, i, len(sc.thresholds))
        expr = other
        for p in reversed(range(len(sc.thresholds))):
            key, value = _pair(layout, i, p)
            expr = f"IF({rounded}{op}{key},{value},{expr})"
        return f'=IF(ISNUMBER({x}),{expr},"")'
    if isinstance(sc, Linear):
        t = a1(r, Col.TARGET)
        _, floor = _pair(layout, i, 0)
        _, cap = _pair(layout, i, 1)
        if ind.direction == "higher":
            return f'=IF(ISNUMBER({x}),ROUND(MIN({cap},MAX({floor},100*{x}/{t})),{ROUND_SCORE}),"")'
        return f'=IF(ISNUMBER({x}),IF({x}=0,{cap},ROUND(MIN({cap},MAX({floor},100*{t}/{x})),{ROUND_SCORE})),"")'
    if isinstance(sc, Deduction):
        _, start = _pair(layout, i, 0)
        _, per_unit = _pair(layout, i, 1)
        _, floor = _pair(layout, i, 2)
        return f'=IF(ISNUMBER({x}),ROUND(MAX({floor},{start}-{per_unit}*{x}),{ROUND_SCORE}),"")'
    if isinstance(sc, Rating):
        # "=" between texts ignores case in every target application, like the engine.
        expr = '""'
        for p in reversed(range(param_count(ind))):
            key, value = _pair(layout, i, p)
            expr = f"IF(TRIM({x})={key},{value},{expr})"
        return f'=IF(TRIM({x})="","",{expr})'
    raise TypeError(sc)


def weighted_formula(layout: PersonLayout, i: int) -> str:
    r = layout.row(i)
    s, w = a1(r, Col.SCORE), a1(r, Col.WEIGHT)
    return f'=IF(ISNUMBER({s}),{s}*{w},"")'


def progress_formula(ind: Indicator, layout: PersonLayout, i: int) -> str | None:
    """Attainment against target (actual/target, or target/actual when lower is better)."""
    if isinstance(ind.scoring, Rating) or not isinstance(ind.target, (int, float)) or ind.target == 0:
        return None
    r = layout.row(i)
    x, t = a1(r, Col.ACTUAL), a1(r, Col.TARGET)
    if ind.direction == "higher":
        return f'=IF(ISNUMBER({x}),{x}/{t},"")'
    return f'=IF(AND(ISNUMBER({x}),{x}<>0),{t}/{x},"")'


def total_formula(layout: PersonLayout, mode: str = "native") -> str:
    """``engine.weighted_total``: blank until every score is a number."""
    scores = f"{a1(layout.FIRST_ROW, Col.SCORE)}:{a1(layout.last_row, Col.SCORE)}"
    weights = f"{a1(layout.FIRST_ROW, Col.WEIGHT)}:{a1(layout.last_row, Col.WEIGHT)}"
    if mode == "udf":
        return f"=WEIGHTED_TOTAL({scores},{weights})"
    return f'=IF(COUNT({scores})={layout.n},ROUND(SUMPRODUCT({weights},{scores})/SUM({weights}),{ROUND_SCORE}),"")'


def grade_formula(layout: PersonLayout, mode: str = "native") -> str:
    """``engine.grade_for``: the first grade (highest min first) whose min the total reaches."""
    total = a1(layout.total_row, Col.WEIGHTED)
    if mode == "udf":
        first, last = layout.grade_table_row(0), layout.grade_table_row(layout.grades - 1)
        return f"=KPIGRADE({total},{a1(first, 1, True)}:{a1(last, 1, True)},{a1(first, 0, True)}:{a1(last, 0, True)})"
    expr = '""'
    for g in reversed(range(layout.grades)):
        row = layout.grade_table_row(g)
        expr = f"IF({total}>={a1(row, 1, True)},{a1(row, 0, True)},{expr})"
    return f'=IF(ISNUMBER({total}),{expr},"")'


def application_formula(layout: PersonLayout) -> str:
    grade = a1(layout.grade_row, Col.WEIGHTED)
    first, last = layout.grade_table_row(0), layout.grade_table_row(layout.grades - 1)
    labels = f"{a1(first, 0, True)}:{a1(last, 0, True)}"
    apps = f"{a1(first, 2, True)}:{a1(last, 2, True)}"
    # &"" turns an empty application cell into "" instead of 0.
    return f'=IF({grade}="","",INDEX({apps},MATCH({grade},{labels},0))&"")'


def expected_formulas(spec: Spec, layout: PersonLayout, mode: str = "native") -> dict[str, str]:
    """Every scoring formula of a person's sheet by cell: what the writer writes and the consolidator checks."""
    cells = {a1(layout.row(i), Col.SCORE): score_formula(ind, layout, i, mode) for i, ind in enumerate(spec.indicators)}
    cells[a1(layout.total_row, Col.WEIGHTED)] = total_formula(layout, mode)
    cells[a1(layout.grade_row, Col.WEIGHTED)] = grade_formula(layout, mode)
    return cells

"""xl-kpi: KPI scorecards in Excel — YAML specs, one scoring engine, live workbooks, safe consolidation."""

from __future__ import annotations

__version__ = "0.1.0"

from .engine import CardResult, grade_for, score_card, score_indicator, weighted_total
from .errors import InvalidActual, Problem, SpecError, UsageError, XlKpiError
from .model import Bands, Deduction, Grade, Indicator, Level, Linear, Rating, Spec
from .rounding import excel_round
from .spec import check_spec, load_spec, load_specs

__all__ = [
    "__version__",
    "Bands", "Deduction", "Grade", "Indicator", "Level", "Linear", "Rating", "Spec",
    "CardResult", "score_card", "score_indicator", "weighted_total", "grade_for", "excel_round",
    "check_spec", "load_spec", "load_specs",
    "InvalidActual", "Problem", "SpecError", "UsageError", "XlKpiError",
]

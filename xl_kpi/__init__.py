"""xl-kpi: KPI scorecards in Excel — YAML specs, one scoring engine, live workbooks, safe consolidation.

The stable Python API (``docs/api.md``)::

    import xl_kpi
    spec = xl_kpi.load_spec("sales_rep.yaml")
    table = xl_kpi.score(spec, actuals_frame)           # one row per person: scores, total, grade, problems
    paths = xl_kpi.build(spec, "roster.csv", "out/")    # scorecard workbooks
    result = xl_kpi.consolidate("returns/", "results/", templates=spec)   # .scores, .issues DataFrames
    specs = xl_kpi.import_table("考核表.xlsx")           # HR's own KPI table → specs, keyed by id
"""

from __future__ import annotations

from typing import Any

from .core.errors import InputFileError, InvalidActual, SpecError, UsageError, XlKpiError
from .core.findings import Finding
from .core.rounding import excel_round
from .core.version import VERSION as __version__
from .spec.loading import check_spec, load_specs
from .spec.model import Grade, Indicator, Person, Spec

_API = ("load_spec", "load_templates", "load_people", "score", "build", "consolidate", "check", "bundled_templates",
        "ConsolidationResult", "load_history", "targets_from_history", "split_target", "rollup", "import_table", "export_spec",
        "read_tables", "sendback", "chase", "status", "calibrate", "collect_calibration", "letters",
        "collect_talks", "appeal_forms", "collect_appeals", "final_pay", "build_goals", "collect_goals", "goal_rules", "change_target")
_ENGINE = ("score_card", "score_indicator", "weighted_total", "grade_for", "CardResult")

__all__ = ["__version__", *_API, *_ENGINE, "Spec", "Indicator", "Grade", "Person", "Finding", "check_spec", "load_specs",
           "excel_round",
           "XlKpiError", "UsageError", "InputFileError", "SpecError", "InvalidActual"]


def __dir__() -> list[str]:
    """The API is imported lazily (:func:`__getattr__`) but listed as if it were not: ``dir(xl_kpi)``
    and completion in a notebook show ``score``, ``build``, ``consolidate``…"""
    return sorted(set(globals()) | set(__all__))


def __getattr__(name: str) -> Any:
    """The API and the engine are imported when first used, so ``import xl_kpi`` stays light."""
    if name in _API:
        from . import api

        return getattr(api, name)
    if name in _ENGINE:
        from .scoring import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'xl_kpi' has no attribute {name!r}")

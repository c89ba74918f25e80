"""The goal-setting round as Python functions (re-exported by :mod:`xl_kpi.api`, ``docs/goals.md``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..consolidation.safety import Limits
from ..core.errors import UsageError
from ..core.files import read_sign_key
from ..core.text import Text
from ..followup.inputs import PathLike, people_of, specs_of, workbooks_of
from ..sheet.register import REGISTER_NAME, TargetChange
from ..spec.model import Person, Spec
from ..workbook.build import Built
from .change import accept_change
from .collect import GoalsCollected
from .collect import collect_goals as _collect
from .issue import build_goals as _build
from .rules import PERSONAL_METHODS, GoalRules

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["build_goals", "collect_goals", "goal_rules", "change_target", "change_notice"]


def goal_rules(personal: int = 1, personal_weights: tuple[float, float] = (0.05, 0.20), indicators: tuple[int, int] = (3, 5),
               methods: Sequence[str] = ("linear", "bands"), weight_flex: float = 0.10, need_process: bool = True) -> GoalRules:
    """HR's bounds for the round, checked: how many personal indicators, their weights, the indicators in all."""
    lo, hi = personal_weights
    if personal < 0 or not 0 <= lo <= hi <= 1:
        raise UsageError("bad-option", option="--personal-weights", value=f"{lo:g}-{hi:g}",
                         allowed=Text("两个 0–100% 之间的数,如 5%-20%", "two shares within 0–100%, e.g. 5%-20%"))
    if not 1 <= indicators[0] <= indicators[1]:
        raise UsageError("bad-option", option="--indicators", value=f"{indicators[0]}-{indicators[1]}", allowed=Text("如 3-5", "e.g. 3-5"))
    unknown = [m for m in methods if m not in PERSONAL_METHODS]
    if unknown:
        raise UsageError("bad-option", option="--methods", value=",".join(unknown), allowed=" | ".join(PERSONAL_METHODS))
    return GoalRules(indicators[0], indicators[1], personal, (lo, hi), tuple(methods), weight_flex if personal else 0.0, need_process)


def _sources(path: PathLike | None, lang_of: Callable[[str], str]) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, float]]]:
    """Per department, the department goal each indicator serves (``department, indicator_id, target[, goal]``), and
    its target as a number (where it is one)."""
    if path is None:
        return {}, {}
    from ..scoring.normalize import parse_number
    from ..tabular.read import read_table, require_columns

    what = Text("部门目标表", "department targets table")
    frame = read_table(path, what, ("department", "indicator_id", "target"))
    require_columns(frame, ("department", "indicator_id", "target"), path, what)
    out: dict[str, dict[str, str]] = {}
    numbers: dict[str, dict[str, float]] = {}
    for row in frame.to_dict("records"):
        dept, iid = str(row["department"]).strip(), str(row["indicator_id"]).strip()
        value = row["target"] if isinstance(row["target"], (int, float)) else parse_number(str(row["target"]))[0]
        if value is not None and value == value:  # not NaN
            numbers.setdefault(dept, {})[iid] = float(value)
        goal = str(row.get("goal") or "").strip()
        zh = lang_of(dept) == "zh"
        shown = goal or (f"部门目标 {row['target']}" if zh else f"department target {row['target']}")
        out.setdefault(dept, {})[iid] = shown
    return out, numbers


def _history(path: Path) -> pd.DataFrame:
    """History rows (``employee_id, indicator_id, period, value``) from a table or the history database consolidate keeps."""
    import pandas as pd

    from ..consolidation.history import read_history
    from ..tabular.read import read_table, require_columns

    columns = ("employee_id", "indicator_id", "period", "value")
    if path.suffix.lower() in (".sqlite", ".db"):
        if not path.is_file():
            raise UsageError("file-not-found", path=path)
        return pd.DataFrame(read_history(path), columns=list(columns))
    what = Text("历史数据", "history")
    frame = read_table(path, what, columns)
    require_columns(frame, columns, path, what)
    return frame


def build_goals(specs: Spec | PathLike | Mapping[str, Spec], roster: Any, outdir: PathLike, *, history: PathLike | pd.DataFrame | None = None,
                rules: GoalRules | None = None, period: str | None = None, lang: str | None = None, password: str = "",
                sign_key: PathLike | bytes | None = None, department_targets: PathLike | None = None,
                progress: Callable[[int], None] | None = None, ratings: str = "auto", layout: str = "employee",
                formulas: str = "native") -> Built:
    """Write a goals workbook (目标设定表) for every roster person, and record them in the register
    (``issued.sqlite``) beside them.

    Args:
        history: ``employee_id, indicator_id, period, value`` rows (a path or DataFrame): each indicator's mean,
            baseline (≈110%), challenge (≈130%) and resource-limited target are shown.
        rules: HR's bounds for the round (:func:`goal_rules`); the seed's by default.
        department_targets: ``department, indicator_id, target[, goal]``: the department goal each indicator serves.
        ratings: ``"separate"``: each supervisor agrees their people's goals in a workbook of their own
            (``评分表/上级目标确认_<name>.xlsx``), the employee's holds only the employee's cells; ``"inline"``: the
            supervisor's cells in the employee's file; ``"auto"`` (default): separate when others rate the cards, as
            ``build`` does.
        layout: ``"department"``: one workbook per department, its targets (``department_targets``) beside the live
            sum of its people's on a first sheet, a sheet per person; ``"employee"`` (default): one per person.
        formulas: ``"udf"``: macro-enabled workbooks (.xlsm) whose live check adds the engine's SMART verdict
            (``SMARTCHECK``, xlwings: ``pip install "xl-kpi[udf]"``); ``"native"`` (default): formulas everywhere.
    """
    from ..spec.raters import has_other_inputs

    if ratings not in ("auto", "separate", "inline"):
        raise UsageError("bad-option", option="ratings", value=ratings, allowed="auto | separate | inline")
    if formulas not in ("native", "udf"):
        raise UsageError("bad-option", option="formulas", value=formulas, allowed="native | udf")
    if layout not in ("employee", "department"):
        raise UsageError("bad-option", option="layout", value=layout, allowed="employee | department")
    templates = specs_of(specs) or {}
    people: list[Person] = people_of(roster, templates) or []
    separate = ratings == "separate" or (ratings == "auto" and any(has_other_inputs(templates[p.template]) for p in people))
    frame = history if history is None or not isinstance(history, (str, Path)) else _history(Path(history))
    sources, numbers = _sources(department_targets, lambda d: next((lang or templates[p.template].language for p in people if p.department == d), "zh"))
    return _build(templates, people, Path(outdir), history=frame, rules=rules or GoalRules(), period=period, lang=lang,
                  password=password, sign_key=read_sign_key(sign_key), sources=sources, progress=progress, separate=separate,
                  layout=layout, department_targets=numbers, udf=formulas == "udf")


def collect_goals(files: PathLike | Sequence[PathLike], issued: PathLike, outdir: PathLike, *, sign_key: PathLike | bytes | None = None,
                  limits: Limits = Limits()) -> GoalsCollected:
    """Read filled goals workbooks (files or folders), check every goal, record the agreed versions in the register and
    write ``targets.csv`` (for ``build --targets``), ``goals_report.csv``, ``personal_goals.csv`` and ``goals_issues.csv``."""
    register = Path(issued)
    if register.is_dir():
        register = register / REGISTER_NAME
    return _collect(_goals_files(files), register, Path(outdir), read_sign_key(sign_key), limits)


def _goals_files(files: PathLike | Sequence[PathLike]) -> list[Path]:
    """The returns to collect: files as given; a folder gives its goals workbooks, .xlsx and .xlsm (UDF builds)."""
    out: list[Path] = []
    for path in map(Path, [files] if isinstance(files, (str, Path)) else files):
        found = sorted(p for p in path.rglob("*.xls[xm]") if p.is_file() and not p.name.startswith(("~$", "."))) if path.is_dir() else []
        out += found or workbooks_of(path)  # a file as given; a folder without a workbook is refused there
    return out


def change_target(issued: PathLike, employee_id: str, indicator: str, target: float | None = None, *, reason: str, approver: str,
                  date: str = "", period: str | None = None, deadline: str = "") -> TargetChange:
    """Accept a mid-period change — a new target, a new deadline (as written), or both — into the register as the
    person's next version (``indicator``: its id or name); consolidation with ``issued`` scores against the target
    and shows the change log."""
    register = Path(issued)
    if register.is_dir():
        register = register / REGISTER_NAME
    return accept_change(register, employee_id, indicator, target, reason, approver, date, period, deadline)


def change_notice(issued: PathLike, change: TargetChange, folder: PathLike | None = None) -> Path:
    """Write the person's change notice (目标变更确认单) for an approved ``change``: every approved change of their
    period, what it means for scoring, and lines to sign — into ``folder``, by default ``目标变更/`` beside the
    register. Returns its path."""
    from .notice import NOTICE_FOLDER, write_change_notice

    register = Path(issued)
    if register.is_dir():
        register = register / REGISTER_NAME
    return write_change_notice(register, change, Path(folder) if folder is not None else register.parent / NOTICE_FOLDER)

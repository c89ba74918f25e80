"""A scoring rule from a sheet function's arguments, checked and scored by the method registry.

``KPILINEAR``, ``KPIDEDUCT``, ``KPISTEP``, ``KPIRANK`` and ``KPIRATING`` hand their arguments to the method's own
``parse`` — the checks a spec's ``scoring:`` block gets (a step above 0, floor ≤ start ≤ cap, no
level twice, a target that is not 0 …) with the catalogue's messages — and score with the method's
own ``score``: no rule is restated here. A sheet repeats the same few rules on every row, so a
checked rule is kept by its argument values (:func:`indicator` is memoised), as are KPISCORE's band
tables (:func:`band_table`) and KPIGRADE's grades (:func:`grades_of`).
"""

from __future__ import annotations

import functools
from typing import Any

from ..methods import REGISTRY
from ..spec.model import Grade, Indicator
from ..spec.rules import Checker
from .cells import CellError, from_finding, is_blank, present
from .cells import direction as read_direction

__all__ = ["indicator", "score", "RuleKey", "band_table", "grades_of"]

RuleKey = tuple[tuple[str, Any], ...]  # the ``scoring:`` mapping as hashable (key, value) pairs


@functools.lru_cache(maxsize=4096)
def _checked(method_name: str, raw: RuleKey, target: float | str | None, direction: str) -> Indicator | str:
    method = REGISTRY[method_name]
    chk = Checker("")
    scoring = {"method": method_name, **{k: _unfreeze(v) for k, v in raw}}
    params = method.parse(chk, scoring, "scoring", direction)
    if params is not None and target is not None:
        method.check_target(chk, params, target, direction, "target")
    errors = [f for f in chk.problems if f.severity == "error"]
    if errors or params is None:
        return str(from_finding(errors[0]) if errors else CellError("评分规则无效", "the scoring rule is not valid"))
    return Indicator(id=method_name, name=method_name, weight=1.0, scoring=params, target=target, direction=direction)  # type: ignore[arg-type]


def _unfreeze(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_unfreeze(v) for v in value]
    if isinstance(value, frozenset):
        return dict(value)
    return value


def freeze(value: Any) -> Any:
    """A ``scoring:`` value as a hashable key part: lists become tuples, mappings frozensets."""
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return frozenset((k, freeze(v)) for k, v in value.items())
    return value


def indicator(method_name: str, raw: dict[str, Any], target: float | str | None = None, direction: str = "higher") -> Indicator:
    """The indicator a function's arguments describe (memoised by their values).

    Raises:
        CellError: the rule breaks one of the method's checks (the catalogue's message).
    """
    found = _checked(method_name, tuple((k, freeze(v)) for k, v in raw.items()), target, direction)
    if isinstance(found, str):
        raise CellError(found)  # a new exception each time: a cached one would keep every traceback
    return found


def score(ind: Indicator, actual: Any) -> float:
    """The method's score of a present actual (a finite float, or a label for a rating).

    Raises:
        CellError: the actual is outside what the method accepts (a negative count) or an unknown level.
    """
    method = ind.method
    if not method.label_input:
        accepted = method.input_range(ind)
        if accepted is not None and not accepted[0] <= actual <= accepted[1]:
            lo, hi = accepted
            allowed = f"{lo:g}–{hi:g}" if hi != float("inf") else f"≥ {lo:g}"
            raise CellError(f"{actual:g} 不在允许范围({allowed})内", f"{actual:g} is outside the accepted range ({allowed})")
    result = method.score(ind, actual)
    if result is None:
        choices = ", ".join(label for label, _ in method.choices(ind) or [])
        raise CellError(f"没有等级 {actual!r}(可选: {choices})", f"no level {actual!r} (choose from: {choices})")
    return result


TABLES: dict[tuple[Any, ...], tuple[tuple[float, ...], tuple[float, ...], str]] = {}  # KPISCORE band tables by cell values, bounded


def band_table(thresholds: tuple[Any, ...], scores: tuple[Any, ...], way_word: Any) -> tuple[tuple[float, ...], tuple[float, ...], str]:
    """Validated bands in the engine's order, memoised by the cells' values (every row repeats the same ranges)."""
    key = (thresholds, scores, way_word)
    table = TABLES.get(key)
    if table is None:
        way = read_direction(way_word)
        pairs = [(t, s) for t, s in zip(thresholds, scores) if not (is_blank(t) and is_blank(s))]
        if len(thresholds) != len(scores) or any(is_blank(t) or is_blank(s) for t, s in pairs) or not pairs:
            raise CellError("阈值与分数数量不同或有空值", "thresholds and scores differ in length or have blanks")
        numeric = sorted(((present(t, "阈值", "threshold"), present(s, "分数", "score")) for t, s in pairs),
                         key=lambda p: p[0], reverse=(way == "higher"))
        ts = tuple(t for t, _ in numeric)
        if len(set(ts)) != len(ts):
            raise CellError("阈值重复", "a threshold appears twice")
        if len(TABLES) > 4096:
            TABLES.clear()
        table = TABLES[key] = (ts, tuple(s for _, s in numeric), way)
    return table


@functools.lru_cache(maxsize=256)
def grades_of(mins: tuple[Any, ...], labels: tuple[Any, ...]) -> tuple[Grade, ...] | str:
    """Grades from the cells' mins and labels, highest first; a message when they cannot be (memoised)."""
    if len(mins) != len(labels) or not mins:
        return str(CellError("最低分与等级数量不同", "mins and labels differ in length"))
    try:
        grades = [Grade(str(label), present(m, "最低分", "min")) for m, label in zip(mins, labels)]
    except CellError as exc:
        return str(exc)
    return tuple(sorted(grades, key=lambda g: g.min, reverse=True))

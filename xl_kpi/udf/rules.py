"""A scoring rule from a sheet function's arguments, checked and scored by the method registry.

``KPILINEAR``, ``KPIDEDUCT``, ``KPISTEP``, ``KPIRANK`` and ``KPIRATING`` hand their arguments to the method's own
``parse`` — the checks a spec's ``scoring:`` block gets (a step above 0, floor ≤ start ≤ cap, no
level twice, a target that is not 0 …) with the catalogue's messages — and score with the method's
own ``score``: no rule is restated here. A sheet repeats the same few rules on every row, so a
checked rule is kept by its argument values (:func:`indicator` is memoised).
"""

from __future__ import annotations

import functools
from typing import Any

from ..methods import REGISTRY
from ..spec.model import Indicator
from ..spec.rules import Checker
from .cells import CellError, from_finding

__all__ = ["indicator", "score", "RuleKey"]

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

"""How a spec's raw data is walked: the checker that collects findings, the limits of numbers, the
field names used in messages, and weights (0.40, 40 or "40%")."""

from __future__ import annotations

import difflib
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text

__all__ = ["Checker", "MAX_SCORE", "MAX_MAGNITUDE", "MIN_MAGNITUDE", "SLUG", "in_range", "field_name", "parse_weights"]

SLUG = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_SCORE = 150.0  # room for over-achievement caps such as 120; documented in docs/spec.md
# Numbers a sheet holds and computes with: Excel keeps 15 digits (beyond 1e15 a typed figure is no longer
# exact) and products of targets, thresholds, weights and bases stay far from overflow; 1e-9 is finer than
# any rate a KPI measures, and keeps a ratio to a target finite.
MAX_MAGNITUDE, MIN_MAGNITUDE = 1e15, 1e-9


def in_range(value: float) -> bool:
    """Zero, or a magnitude from :data:`MIN_MAGNITUDE` to :data:`MAX_MAGNITUDE`."""
    return value == 0 or MIN_MAGNITUDE <= abs(value) <= MAX_MAGNITUDE

TOP_KEYS = ("id", "title", "language", "period", "position", "responsibilities", "grades",
            "indicators", "version", "sections", "raters", "adjustments", "veto", "grade_scale")
IND_KEYS = ("id", "name", "definition", "unit", "target", "weight", "direction", "kind",
            "source", "scoring", "range", "section", "rated", "points")
GRADE_KEYS = ("label", "min", "application", "coefficient")
SECTION_KEYS = ("id", "name", "weight")
RATER_KEYS = ("id", "name", "weight", "role")
ADJUSTMENT_KEYS = ("items", "min", "max")
ITEM_KEYS = ("id", "name", "points", "max")
VETO_KEYS = ("id", "name")
FIELD_NAMES = {  # how a field is named in messages (zh keeps the key, so people find it in the file)
    "id": Text("标识 id", "id"), "name": Text("名称 name", "name"), "title": Text("标题 title", "title"),
    "target": Text("目标值 target", "target"), "weight": Text("权重 weight", "weight"), "scoring": Text("评分标准 scoring", "scoring"),
    "grades": Text("等级 grades", "grades"), "indicators": Text("指标 indicators", "indicators"),
    "label": Text("等级名称 label", "label"), "unit": Text("单位 unit", "unit"), "definition": Text("定义 definition", "definition"),
}


def field_name(key: str) -> Text | str:
    return FIELD_NAMES.get(key, key)


class Checker:
    """Walks raw data, building the model and collecting findings (methods report through it too)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Finding] = []

    def error(self, code: str, where: str, **fields: Any) -> None:
        self.problems.append(finding(code, file=self.file, field=where, **fields))

    warn = error  # the catalogue gives each code its severity

    def keys(self, data: dict[Any, Any], allowed: tuple[str, ...], loc: str) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                suggestion = (Text(f"是否想写 {close[0]!r}?", f"did you mean {close[0]!r}?") if close
                              else Text("允许的字段: " + ", ".join(allowed), "allowed keys: " + ", ".join(allowed)))
                self.error("unknown-key", f"{loc}.{key}" if loc else str(key), key=key, suggestion=suggestion)

    def text(self, data: dict[str, Any], key: str, loc: str, required: bool = False) -> str:
        value = data.get(key)
        where = f"{loc}.{key}" if loc else key
        if value is None:
            if required:
                self.error("missing-field", where, name=field_name(key), example=f"{key}: …")
            return ""
        if isinstance(value, (bool, dict, list)):
            self.error("wrong-type", where, name=field_name(key), expected=Text("文本", "text"), example=f"{key}: …")
            return ""
        return str(value).strip()

    def number(self, value: Any, where: str, name: Text) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.error("not-a-number", where, name=name, value=value)
            return None
        if not in_range(value):
            self.error("number-range", where, name=name, value=f"{value:g}", low=f"{MIN_MAGNITUDE:g}", high=f"{MAX_MAGNITUDE:g}")
            return None
        return float(value)

    def score_value(self, value: Any, where: str) -> float | None:
        score = self.number(value, where, Text("分数 score", "score"))
        if score is not None and not 0 <= score <= MAX_SCORE:
            self.error("score-range", where, score=score, max=MAX_SCORE)
        return score

    def slug(self, value: Any, where: str, name: str) -> str:
        if value is None:
            self.error("missing-field", where, name=field_name(name), example=f"{name}: sales_rate")
            return ""
        sid = str(value)
        if not SLUG.match(sid):
            self.error("bad-id", where, value=sid)
        return sid


def parse_weights(chk: Checker, raw: list[Any], places: list[str] | None = None, what: Text | str = "",
             total_at: str = "indicators[*].weight", share: float | None = None) -> list[float | None]:
    """Parse weights written as 0.40, 40 or "40%"; one notation per list; total 100%.

    ``places`` locates each weight (default ``indicators[i]``); ``what`` names the group in the
    total's message (e.g. a section's name). ``share``: a section's weight — its indicators may total
    it instead (30/15/15/10 in a 70% section: each its share of the card, as HR writes them).
    """
    places = places or [f"indicators[{i}]" for i in range(len(raw))]
    kinds: set[str] = set()
    parsed: list[float | None] = []
    for i, w in enumerate(raw):
        where = f"{places[i]}.weight"
        if w is None:
            chk.error("missing-field", where, name=field_name("weight"), example="weight: 40%")
            parsed.append(None)
            continue
        value: float | None
        if isinstance(w, str) and w.strip().endswith("%"):
            try:  # "33.33%" is exactly the fraction 0.3333 reads as (no binary noise from dividing a float)
                value = float(Decimal(w.strip()[:-1].strip()) / 100)
            except (InvalidOperation, ValueError):
                value = None
            kinds.add("percent-string")
        elif isinstance(w, (int, float)) and not isinstance(w, bool):
            value = float(w)
            kinds.add("fraction" if value <= 1 else "percent-number")
        else:
            value = None
        if value is None or not math.isfinite(value) or value <= 0:
            chk.error("weight-invalid", where, value=w)
            parsed.append(None)
            continue
        parsed.append(value)
    if len(kinds) > 1:
        chk.error("weight-notation", total_at)
        return [None] * len(raw)
    if kinds == {"percent-number"}:
        parsed = [None if v is None else float(Decimal(repr(v)) / 100) for v in parsed]
    if parsed and all(v is not None for v in parsed):
        total = math.fsum(v for v in parsed if v is not None)
        if abs(total - 1.0) > 1e-9 and (share is None or abs(total - share) > 1e-9):
            chk.error("weight-total", total_at, what=what, total=total * 100)
    return parsed

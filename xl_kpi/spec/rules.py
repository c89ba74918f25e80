"""The rules a scorecard spec must follow, applied to raw YAML/JSON data.

``parse_spec`` never raises for bad content: it builds the model and collects every problem
as a finding with a location such as ``indicators[2].weight`` and a fix. The rules of each
scoring method live with the method (:mod:`xl_kpi.methods`); this module asks the registry.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text
from ..methods import REGISTRY, Params
from .model import Grade, Indicator, Spec

__all__ = ["parse_spec", "MAX_SCORE", "Checker", "target_problems"]

SLUG = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_SCORE = 150.0  # room for over-achievement caps such as 120; documented in docs/spec.md

TOP_KEYS = ("id", "title", "language", "period", "position", "responsibilities", "grades",
            "indicators", "version")
IND_KEYS = ("id", "name", "definition", "unit", "target", "weight", "direction", "kind",
            "source", "scoring", "range")
GRADE_KEYS = ("label", "min", "application")
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


def _weights(chk: Checker, raw: list[Any]) -> list[float | None]:
    """Parse weights written as 0.40, 40 or "40%"; one notation per spec; total 100%."""
    kinds: set[str] = set()
    parsed: list[float | None] = []
    for i, w in enumerate(raw):
        where = f"indicators[{i}].weight"
        if w is None:
            chk.error("missing-field", where, name=field_name("weight"), example="weight: 40%")
            parsed.append(None)
            continue
        value: float | None
        if isinstance(w, str) and w.strip().endswith("%"):
            try:
                value = float(w.strip()[:-1]) / 100
            except ValueError:
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
        chk.error("weight-notation", "indicators[*].weight")
        return [None] * len(raw)
    if kinds == {"percent-number"}:
        parsed = [None if v is None else v / 100 for v in parsed]
    if parsed and all(v is not None for v in parsed):
        total = math.fsum(v for v in parsed if v is not None)
        if abs(total - 1.0) > 1e-9:
            chk.error("weight-total", "indicators[*].weight", what="", total=total * 100)
    return parsed


def _scoring(chk: Checker, raw: Any, loc: str, direction: str) -> Params | None:
    if not isinstance(raw, dict):
        chk.error("missing-field", loc, name=field_name("scoring"), example="scoring: {method: bands, bands: [[1.1, 100], [1.0, 80]]}")
        return None
    name = raw.get("method")
    method = REGISTRY.get(name) if isinstance(name, str) else None
    if method is None:
        close = difflib.get_close_matches(str(name), list(REGISTRY), n=1)
        chk.error("unknown-method", f"{loc}.method", method=name, known=", ".join(REGISTRY),
                  close=Text(f"(是否想写 {close[0]}?)", f" (did you mean {close[0]}?)") if close else "")
        return None
    chk.keys(raw, method.yaml_keys, loc)
    return method.parse(chk, raw, loc, direction)


def _target(chk: Checker, raw: dict[str, Any], loc: str, scoring: Params | None, unit: str, direction: str) -> float | str | None:
    target = raw.get("target")
    where = f"{loc}.target"
    method = REGISTRY[scoring.method] if scoring is not None else None
    if method is not None and method.label_input:
        if target is not None:
            method.check_target(chk, scoring, target, direction, where)  # type: ignore[arg-type]
        return None if target is None else str(target)
    if target is None:
        chk.error("missing-field", where, name=field_name("target"), example="target: 1.0 (100%)")
        return None
    value = chk.number(target, where, Text("目标值 target", "target"))
    if value is None:
        return None
    if unit == "%" and value > 10:
        chk.warn("percent-scale", where, value=value, percent=value * 100, fraction=value / 100)
    if method is not None and scoring is not None:
        method.check_target(chk, scoring, value, direction, where)
    return value


def _indicator(chk: Checker, raw: Any, i: int, weight: float | None) -> Indicator | None:
    loc = f"indicators[{i}]"
    if not isinstance(raw, dict):
        chk.error("wrong-type", loc, name=loc, expected=Text("一组字段", "a mapping of fields"), example="{id: …, name: …}")
        return None
    chk.keys(raw, IND_KEYS, loc)
    iid = chk.slug(raw.get("id"), f"{loc}.id", "id")
    name = chk.text(raw, "name", loc, required=True)
    direction = raw.get("direction", "higher")
    if direction not in ("higher", "lower"):
        chk.error("unknown-direction", f"{loc}.direction", value=direction)
        direction = "higher"
    kind = raw.get("kind", "result")
    if kind not in ("result", "process"):
        chk.error("unknown-kind", f"{loc}.kind", value=kind)
        kind = "result"
    unit = chk.text(raw, "unit", loc)
    scoring = _scoring(chk, raw.get("scoring"), f"{loc}.scoring", direction)
    target = _target(chk, raw, loc, scoring, unit, direction)
    rng = raw.get("range")
    bounds: tuple[float, float] | None = None
    if rng is not None:
        if (isinstance(rng, list) and len(rng) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in rng)
                and rng[0] < rng[1]):
            bounds = (float(rng[0]), float(rng[1]))
        else:
            chk.error("range", f"{loc}.range", value=rng)
    if scoring is None or weight is None or not iid or not name:
        return None
    return Indicator(id=iid, name=name, weight=weight, scoring=scoring, definition=chk.text(raw, "definition", loc),
                     unit=unit, target=target, direction=direction, kind=kind, source=chk.text(raw, "source", loc),
                     range=bounds)


def _grades(chk: Checker, raw: Any) -> tuple[Grade, ...]:
    if not isinstance(raw, list) or not raw:
        chk.error("missing-field", "grades", name=field_name("grades"), example="- {label: 优秀, min: 90} … - {label: 不合格, min: 0}")
        return ()
    grades: list[Grade] = []
    for i, g in enumerate(raw):
        loc = f"grades[{i}]"
        if not isinstance(g, dict):
            chk.error("wrong-type", loc, name=loc, expected=Text("{label: …, min: …}", "{label: …, min: …}"),
                      example="{label: 优秀, min: 90}")
            continue
        chk.keys(g, GRADE_KEYS, loc)
        label = chk.text(g, "label", loc, required=True)
        low = chk.number(g.get("min"), f"{loc}.min", Text("最低分 min", "min"))
        if label and low is not None:
            grades.append(Grade(label=label, min=low, application=chk.text(g, "application", loc)))
    labels = [g.label for g in grades]
    for i in range(1, len(grades)):
        if grades[i].min >= grades[i - 1].min:
            chk.error("grades-order", f"grades[{i}].min")
    if len(set(labels)) != len(labels):
        chk.error("grades-duplicate", "grades")
    if grades and min(g.min for g in grades) > 0:
        chk.error("grades-floor", "grades")
    return tuple(grades)


def parse_spec(data: Any, file: str = "") -> tuple[Spec | None, list[Finding]]:
    """Validate raw spec data; returns the spec (None when there are errors) and every finding."""
    chk = Checker(file)
    if not isinstance(data, dict):
        chk.error("not-mapping", "")
        return None, chk.problems
    chk.keys(data, TOP_KEYS, "")
    sid = chk.slug(data.get("id"), "id", "id")
    title = chk.text(data, "title", "", required=True)
    language = data.get("language", "zh")
    if language not in ("zh", "en"):
        chk.error("unknown-language", "language", value=language)
        language = "zh"
    raw_inds = data.get("indicators")
    indicators: list[Indicator] = []
    if not isinstance(raw_inds, list) or not raw_inds:
        chk.error("missing-field", "indicators", name=field_name("indicators"), example="3–5 indicators")
    else:
        weights = _weights(chk, [r.get("weight") if isinstance(r, dict) else None for r in raw_inds])
        ids: dict[str, int] = {}
        for i, raw in enumerate(raw_inds):
            ind = _indicator(chk, raw, i, weights[i])
            rid = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(rid, str):
                if rid in ids:
                    chk.error("duplicate-id", f"indicators[{i}].id", value=rid, first=f"indicators[{ids[rid]}]")
                ids.setdefault(rid, i)
            if ind is not None:
                indicators.append(ind)
        if not 3 <= len(raw_inds) <= 5:
            chk.warn("indicator-count", "indicators", count=len(raw_inds))
    grades = _grades(chk, data.get("grades"))
    version = data.get("version", 1)
    if any(p.severity == "error" for p in chk.problems):
        return None, chk.problems
    spec = Spec(id=sid, title=title, indicators=tuple(indicators), grades=grades, language=language,
                period=chk.text(data, "period", ""), position=chk.text(data, "position", ""),
                responsibilities=chk.text(data, "responsibilities", ""), version=str(version), source_path=file)
    return spec, chk.problems


def target_problems(ind: Indicator, target: float, file: str = "", where: str = "") -> list[Finding]:
    """What is wrong with giving ``ind`` this target (a person's own target): its method's checks."""
    chk = Checker(file)
    ind.method.check_target(chk, ind.scoring, target, ind.direction, where)
    return chk.problems

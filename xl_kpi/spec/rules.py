"""The rules a scorecard spec must follow, applied to raw YAML/JSON data.

``parse_spec`` never raises for bad content: it builds the model and collects every problem
as a finding with a location such as ``indicators[2].weight`` and a fix. The rules of each
scoring method live with the method (:mod:`xl_kpi.methods`); this module asks the registry.
"""

from __future__ import annotations

import difflib
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.findings import Finding, finding
from ..core.periods import PERIOD_EXAMPLES, parse_period
from ..core.text import Text
from ..methods import REGISTRY, Params
from .model import AdjustmentItem, Adjustments, Grade, Indicator, Rater, Section, Spec, VetoItem
from .points import best_total, declared, points_weights

__all__ = ["parse_spec", "MAX_SCORE", "Checker", "target_problems", "in_range", "MAX_MAGNITUDE", "MIN_MAGNITUDE"]

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


def _weights(chk: Checker, raw: list[Any], places: list[str] | None = None, what: Text | str = "",
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
    if method is not None and not method.needs_target and target is None:
        return None
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


def _indicator(chk: Checker, raw: Any, i: int, weight: float | None, sections: list[Section] | None = None,
               raters: list[Rater] | None = None, points: float | None = None) -> Indicator | None:
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
    if scoring is not None and getattr(scoring, "relative", False) and not isinstance(target, float):
        chk.error("relative-needs-target", f"{loc}.target")
    section = _section_of(chk, raw, loc, sections or [])
    rated = _rated(chk, raw, loc, raters or [])
    if scoring is None or weight is None or not iid or not name:
        return None
    return Indicator(id=iid, name=name, weight=weight, scoring=scoring, definition=chk.text(raw, "definition", loc),
                     unit=unit, target=target, direction=direction, kind=kind, source=chk.text(raw, "source", loc),
                     range=bounds, section=section, raters=rated, points=points)


def _section_of(chk: Checker, raw: dict[str, Any], loc: str, sections: list[Section]) -> str:
    value = raw.get("section")
    known = ", ".join(s.id for s in sections)
    if value is None:
        if sections:
            chk.error("section-missing", f"{loc}.section", known=known)
        return ""
    if not sections:
        chk.error("section-unused", f"{loc}.section", value=value)
        return ""
    if str(value) not in {s.id for s in sections}:
        chk.error("unknown-section", f"{loc}.section", value=value, known=known)
        return ""
    return str(value)


def _rated(chk: Checker, raw: dict[str, Any], loc: str, raters: list[Rater]) -> tuple[str, ...]:
    """``rated: true`` (every rater) or a list of rater ids (in the spec's rater order)."""
    value = raw.get("rated", False)
    if value is False or value is None:
        return ()
    if not raters:
        chk.error("rated-without-raters", f"{loc}.rated")
        return ()
    if value is True:
        return tuple(r.id for r in raters)
    if isinstance(value, list) and value:
        known = {r.id for r in raters}
        for item in value:
            if str(item) not in known:
                chk.error("unknown-rater", f"{loc}.rated", value=item, known=", ".join(r.id for r in raters))
        return tuple(r.id for r in raters if r.id in {str(v) for v in value})
    chk.error("wrong-type", f"{loc}.rated", name="rated", expected=Text("true 或评分人列表", "true or a list of raters"),
              example="rated: true")
    return ()


def _ids_unique(chk: Checker, items: list[dict[str, Any]], where: str, taken: dict[str, str] | None = None) -> None:
    """Each id once in its list (and not already used by ``taken``, id → where)."""
    seen = dict(taken or {})
    for j, item in enumerate(items):
        iid = item.get("id")
        if isinstance(iid, str):
            if iid in seen:
                chk.error("duplicate-id", f"{where}[{j}].id", value=iid, first=seen[iid])
            seen.setdefault(iid, f"{where}[{j}]")


def _mapping_list(chk: Checker, raw: Any, where: str, keys: tuple[str, ...], example: str | Text) -> list[dict[str, Any]]:
    """A list of mappings (sections, raters, items): each checked for unknown keys."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        chk.error("wrong-type", where, name=where, expected=Text("非空列表", "a non-empty list"), example=example)
        return []
    out = []
    for j, item in enumerate(raw):
        if not isinstance(item, dict):
            chk.error("wrong-type", f"{where}[{j}]", name=f"{where}[{j}]", expected=Text("一组字段", "a mapping"), example=example)
            continue
        chk.keys(item, keys, f"{where}[{j}]")
        out.append(item)
    return out


def _sections(chk: Checker, raw: Any, by_points: bool = False) -> list[Section]:
    """Sections with weights totalling 100%; on a card of points they may all go without one (each then
    adds up its indicators' points: :mod:`.points` completes them)."""
    items = _mapping_list(chk, raw, "sections", SECTION_KEYS, Text("{id: results, name: 业绩, weight: 70%}", "{id: results, name: Results, weight: 70%}"))
    if not items:
        return []
    _ids_unique(chk, items, "sections")
    summed = by_points and not any("weight" in s for s in items)
    if by_points and not summed and not all("weight" in s for s in items):
        chk.error("points-section-weights", "sections")
    weights: list[float | None] = [0.0] * len(items) if summed else _weights(
        chk, [s.get("weight") for s in items], [f"sections[{j}]" for j in range(len(items))], Text("考核维度", "section"),
        "sections[*].weight")
    out = []
    for j, item in enumerate(items):
        sid = chk.slug(item.get("id"), f"sections[{j}].id", "id")
        name = chk.text(item, "name", f"sections[{j}]", required=True)
        if sid and name and weights[j] is not None:
            out.append(Section(sid, name, weights[j], 0.0 if summed else None))  # type: ignore[arg-type]
    return out


def _raters(chk: Checker, raw: Any) -> list[Rater]:
    items = _mapping_list(chk, raw, "raters", RATER_KEYS, Text("{id: supervisor, name: 上级评分, weight: 70%}", "{id: supervisor, name: Supervisor, weight: 70%}"))
    if not items:
        return []
    _ids_unique(chk, items, "raters")
    weights = _weights(chk, [r.get("weight") for r in items], [f"raters[{j}]" for j in range(len(items))],
                       Text("评分人", "rater"), "raters[*].weight")
    out: list[Rater] = []
    for j, item in enumerate(items):
        rid = chk.slug(item.get("id"), f"raters[{j}].id", "id")
        name = chk.text(item, "name", f"raters[{j}]", required=True)
        role = item.get("role", "self" if rid == "self" else "supervisor")
        if role not in ("self", "supervisor", "reviewer", "peer"):
            chk.error("unknown-role", f"raters[{j}].role", value=role)
            role = "supervisor"
        if role == "peer" and any(r.role == "peer" for r in out):
            chk.error("peer-rater-twice", f"raters[{j}].role")
        if rid and name and weights[j] is not None:
            out.append(Rater(rid, name, weights[j], role))  # type: ignore[arg-type]
    for peer in (r for r in out if r.role == "peer"):  # its peers are <id>_1, <id>_2, …: no other rater may be named so
        for j, other in enumerate(out):
            if other.id.startswith(f"{peer.id}_"):
                chk.error("peer-slot-id", f"raters[{j}].id", value=other.id, peer=peer.id)
    return out


def _adjustments(chk: Checker, raw: Any) -> Adjustments | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        chk.error("wrong-type", "adjustments", name="adjustments", expected=Text("一组字段", "a mapping"),
                  example="{items: [...], min: -10, max: 5}")
        return None
    chk.keys(raw, ADJUSTMENT_KEYS, "adjustments")
    items = _mapping_list(chk, raw.get("items"), "adjustments.items", ITEM_KEYS, Text("{id: praise, name: 公司通报表扬, points: 2, max: 6}", "{id: praise, name: Commendation, points: 2, max: 6}"))
    if not items:
        chk.error("missing-field", "adjustments.items", name="items", example=Text("- {id: praise, name: 公司通报表扬, points: 2, max: 6}", "- {id: praise, name: Commendation, points: 2, max: 6}"))
    _ids_unique(chk, items, "adjustments.items")
    out = []
    for j, item in enumerate(items):
        loc = f"adjustments.items[{j}]"
        iid = chk.slug(item.get("id"), f"{loc}.id", "id")
        name = chk.text(item, "name", loc, required=True)
        points = chk.number(item.get("points"), f"{loc}.points", Text("每次分值 points", "points"))
        if points == 0:
            chk.error("adjustment-points", f"{loc}.points")
        if item.get("max") is None:
            chk.error("missing-field", f"{loc}.max", name="max", example="max: 6")
            cap = None
        else:
            cap = chk.number(item.get("max"), f"{loc}.max", Text("上限 max", "max"))
            if cap is not None and cap <= 0:
                chk.error("cap-floor", f"{loc}.max", upper=Text("上限", "max"), upper_value=cap, lower=Text("零", "zero"), lower_value=0)
        if iid and name and points and cap is not None and cap > 0:
            out.append(AdjustmentItem(iid, name, points, cap))
    low = chk.number(raw.get("min", -sum(i.max for i in out if i.points < 0)), "adjustments.min", Text("下限 min", "min"))
    high = chk.number(raw.get("max", sum(i.max for i in out if i.points > 0)), "adjustments.max", Text("上限 max", "max"))
    if low is None or high is None:
        return None
    if not low <= 0 <= high:
        chk.error("adjustment-bounds", "adjustments", min=low, max=high)
    return Adjustments(tuple(out), low, high)


def _veto(chk: Checker, raw: Any, taken: dict[str, str]) -> list[VetoItem]:
    items = _mapping_list(chk, raw, "veto", VETO_KEYS, Text("{id: safety, name: 重大安全事故}", "{id: safety, name: Serious safety incident}"))
    _ids_unique(chk, items, "veto", taken)
    out = []
    for j, item in enumerate(items):
        vid = chk.slug(item.get("id"), f"veto[{j}].id", "id")
        name = chk.text(item, "name", f"veto[{j}]", required=True)
        if vid and name:
            out.append(VetoItem(vid, name))
    return out


def _grades(chk: Checker, raw: Any) -> tuple[Grade, ...]:
    if not isinstance(raw, list) or not raw:
        chk.error("missing-field", "grades", name=field_name("grades"), example=Text("- {label: 优秀, min: 90} … - {label: 不合格, min: 0}", "- {label: Excellent, min: 90} … - {label: Poor, min: 0}"))
        return ()
    grades: list[Grade] = []
    for i, g in enumerate(raw):
        loc = f"grades[{i}]"
        if not isinstance(g, dict):
            chk.error("wrong-type", loc, name=loc, expected=Text("{label: …, min: …}", "{label: …, min: …}"),
                      example=Text("{label: 优秀, min: 90}", "{label: Excellent, min: 90}"))
            continue
        chk.keys(g, GRADE_KEYS, loc)
        label = chk.text(g, "label", loc, required=True)
        low = chk.number(g.get("min"), f"{loc}.min", Text("最低分 min", "min"))
        coefficient = None
        if g.get("coefficient") is not None:
            coefficient = chk.number(g.get("coefficient"), f"{loc}.coefficient", Text("绩效系数 coefficient", "coefficient"))
            if coefficient is not None and coefficient < 0:
                chk.error("not-a-number", f"{loc}.coefficient", name=Text("绩效系数 coefficient", "coefficient"), value=coefficient)
        if label and low is not None:
            grades.append(Grade(label=label, min=low, application=chk.text(g, "application", loc), coefficient=coefficient))
    labels = [g.label for g in grades]
    for i in range(1, len(grades)):
        if grades[i].min >= grades[i - 1].min:
            chk.error("grades-order", f"grades[{i}].min")
    if len(set(labels)) != len(labels):
        chk.error("grades-duplicate", "grades")
    if grades and min(g.min for g in grades) > 0:
        chk.error("grades-floor", "grades")
    if any(g.coefficient is not None for g in grades):
        for i, g in enumerate(grades):
            if g.coefficient is None:
                chk.error("coefficient-missing", f"grades[{i}].coefficient")
            elif i and grades[i - 1].coefficient is not None and g.coefficient > grades[i - 1].coefficient:  # type: ignore[operator]
                chk.error("coefficient-order", f"grades[{i}].coefficient", value=g.coefficient, above=grades[i - 1].coefficient)
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
    by_points = declared(raw_inds)
    sections = _sections(chk, data.get("sections"), by_points)
    raters = _raters(chk, data.get("raters"))
    indicators: list[Indicator] = []
    if not isinstance(raw_inds, list) or not raw_inds:
        chk.error("missing-field", "indicators", name=field_name("indicators"), example=Text("3–5 项指标", "3–5 indicators"))
    else:
        if by_points:
            weights, points, sections = points_weights(chk, raw_inds, sections)
        else:
            weights, points = _indicator_weights(chk, raw_inds, sections), [None] * len(raw_inds)
        ids: dict[str, int] = {}
        for i, raw in enumerate(raw_inds):
            ind = _indicator(chk, raw, i, weights[i], sections, raters, points[i])
            rid = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(rid, str):
                if rid in ids:
                    chk.error("duplicate-id", f"indicators[{i}].id", value=rid, first=f"indicators[{ids[rid]}]")
                ids.setdefault(rid, i)
            if ind is not None:
                indicators.append(ind)
        if not 3 <= len(raw_inds) <= 5 and not sections:  # with sections, 3–5 applies to the results, not the whole form
            chk.warn("indicator-count", "indicators", count=len(raw_inds))
        for j, section in enumerate(sections):
            if not any(isinstance(r, dict) and r.get("section") == section.id for r in raw_inds):
                chk.error("empty-section", f"sections[{j}]", value=section.id)
    adjustments = _adjustments(chk, data.get("adjustments"))
    taken = {item.id: f"adjustments.items[{j}]" for j, item in enumerate(adjustments.items)} if adjustments else {}
    veto = _veto(chk, data.get("veto"), taken)
    grades = _grades(chk, data.get("grades"))
    scale = chk.slug(data["grade_scale"], "grade_scale", "grade_scale") if data.get("grade_scale") is not None else ""
    period = chk.text(data, "period", "")
    if period and parse_period(period) is None:
        chk.warn("period-unreadable-spec", "period", value=period, examples=PERIOD_EXAMPLES)
    version = data.get("version", 1)
    if any(p.severity == "error" for p in chk.problems):
        return None, chk.problems
    spec = Spec(id=sid, title=title, indicators=tuple(indicators), grades=grades, language=language,
                period=period, position=chk.text(data, "position", ""),
                responsibilities=chk.text(data, "responsibilities", ""), version=str(version), sections=tuple(sections),
                raters=tuple(raters), adjustments=adjustments, veto=tuple(veto), grade_scale=scale or "", source_path=file)
    _reachable(chk, spec)
    return spec, chk.problems


def _reachable(chk: Checker, spec: Spec) -> None:
    """A warning when even the best scores on every indicator cannot reach the top grade."""
    if not spec.grades:
        return
    best, top = best_total(spec), max(spec.grades, key=lambda g: g.min)
    if best + 1e-9 < top.min:
        chk.warn("grade-unreachable", "grades[0].min", best=round(best, 2), label=top.label, min=top.min)


def _indicator_weights(chk: Checker, raw_inds: list[Any], sections: list[Section]) -> list[float | None]:
    """Indicator weights: total 100% over the spec, or within each section when there are sections."""
    raw = [r.get("weight") if isinstance(r, dict) else None for r in raw_inds]
    if not sections:
        return _weights(chk, raw)
    out: list[float | None] = [None] * len(raw_inds)
    for section in sections:
        members = [i for i, r in enumerate(raw_inds) if isinstance(r, dict) and r.get("section") == section.id]
        if members:
            parsed = _weights(chk, [raw[i] for i in members], [f"indicators[{i}]" for i in members], section.name,
                              f"sections[{sections.index(section)}]", share=section.weight)
            for i, w in zip(members, parsed):
                out[i] = w
    return out


def target_problems(ind: Indicator, target: float, file: str = "", where: str = "") -> list[Finding]:
    """What is wrong with giving ``ind`` this target (a person's own target): its method's checks."""
    chk = Checker(file)
    if chk.number(target, where, Text("目标值 target", "target")) is not None:
        ind.method.check_target(chk, ind.scoring, target, ind.direction, where)
    return chk.problems

"""The rules a scorecard spec must follow, applied to raw YAML/JSON data.

``parse_spec`` never raises for bad content: it builds the model and collects every problem
as a finding with a location such as ``indicators[2].weight`` and a fix. The rules of each
scoring method live with the method (:mod:`xl_kpi.methods`); this module asks the registry.
"""

from __future__ import annotations

import difflib
from typing import Any

from ..core.findings import Finding
from ..core.periods import PERIOD_EXAMPLES, parse_period
from ..core.text import Text
from ..methods import REGISTRY, Params
from . import parts
from .checker import (
    IND_KEYS,
    MAX_MAGNITUDE,
    MAX_SCORE,
    MIN_MAGNITUDE,
    SLUG,
    TOP_KEYS,
    Checker,
    field_name,
    in_range,
    parse_weights,
)
from .model import Indicator, Rater, Section, Spec
from .points import best_total, declared, points_weights

__all__ = ["parse_spec", "MAX_SCORE", "Checker", "target_problems", "in_range", "MAX_MAGNITUDE", "MIN_MAGNITUDE", "SLUG"]


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
    named = raw["scoring"].get("method") if isinstance(raw.get("scoring"), dict) else None
    if scoring is None and named in REGISTRY and not REGISTRY[named].needs_target and target is None:
        return None  # rules with a fault of their own (reported) that need no target: no second, false, fault
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
    if rated and scoring is not None and getattr(scoring, "events", None):
        chk.error("events-rated", f"{loc}.rated", indicator=name)  # counts are facts, entered once (docs/spec.md)
        rated = ()
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
    sections = parts.sections(chk, data.get("sections"), by_points)
    raters = parts.raters(chk, data.get("raters"))
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
    adjustments = parts.adjustments(chk, data.get("adjustments"))
    taken = {item.id: f"adjustments.items[{j}]" for j, item in enumerate(adjustments.items)} if adjustments else {}
    veto = parts.veto(chk, data.get("veto"), taken)
    grades = parts.grades(chk, data.get("grades"))
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
        return parse_weights(chk, raw)
    out: list[float | None] = [None] * len(raw_inds)
    for section in sections:
        members = [i for i, r in enumerate(raw_inds) if isinstance(r, dict) and r.get("section") == section.id]
        if members:
            parsed = parse_weights(chk, [raw[i] for i in members], [f"indicators[{i}]" for i in members], section.name,
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

"""The card's parts beside its indicators, from raw data: sections, raters, bonus and penalty items,
veto items and the grade scale — each checked and reported through the :class:`Checker`."""

from __future__ import annotations

from typing import Any

from ..core.text import Text
from .checker import (
    ADJUSTMENT_KEYS,
    GRADE_KEYS,
    ITEM_KEYS,
    RATER_KEYS,
    SECTION_KEYS,
    VETO_KEYS,
    Checker,
    field_name,
    parse_weights,
)
from .model import AdjustmentItem, Adjustments, Grade, Rater, Section, VetoItem

__all__ = ["ids_unique", "mapping_list", "sections", "raters", "adjustments", "veto", "grades"]


def ids_unique(chk: Checker, items: list[dict[str, Any]], where: str, taken: dict[str, str] | None = None) -> None:
    """Each id once in its list (and not already used by ``taken``, id → where)."""
    seen = dict(taken or {})
    for j, item in enumerate(items):
        iid = item.get("id")
        if isinstance(iid, str):
            if iid in seen:
                chk.error("duplicate-id", f"{where}[{j}].id", value=iid, first=seen[iid])
            seen.setdefault(iid, f"{where}[{j}]")


def mapping_list(chk: Checker, raw: Any, where: str, keys: tuple[str, ...], example: str | Text) -> list[dict[str, Any]]:
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


def sections(chk: Checker, raw: Any, by_points: bool = False) -> list[Section]:
    """Sections with weights totalling 100%; on a card of points they may all go without one (each then
    adds up its indicators' points: :mod:`.points` completes them)."""
    items = mapping_list(chk, raw, "sections", SECTION_KEYS, Text("{id: results, name: 业绩, weight: 70%}", "{id: results, name: Results, weight: 70%}"))
    if not items:
        return []
    ids_unique(chk, items, "sections")
    summed = by_points and not any("weight" in s for s in items)
    if by_points and not summed and not all("weight" in s for s in items):
        chk.error("points-section-weights", "sections")
    weights: list[float | None] = [0.0] * len(items) if summed else parse_weights(
        chk, [s.get("weight") for s in items], [f"sections[{j}]" for j in range(len(items))], Text("考核维度", "section"),
        "sections[*].weight")
    out = []
    for j, item in enumerate(items):
        sid = chk.slug(item.get("id"), f"sections[{j}].id", "id")
        name = chk.text(item, "name", f"sections[{j}]", required=True)
        if sid and name and weights[j] is not None:
            out.append(Section(sid, name, weights[j], 0.0 if summed else None))  # type: ignore[arg-type]
    return out


def raters(chk: Checker, raw: Any) -> list[Rater]:
    items = mapping_list(chk, raw, "raters", RATER_KEYS, Text("{id: supervisor, name: 上级评分, weight: 70%}", "{id: supervisor, name: Supervisor, weight: 70%}"))
    if not items:
        return []
    ids_unique(chk, items, "raters")
    weights = parse_weights(chk, [r.get("weight") for r in items], [f"raters[{j}]" for j in range(len(items))],
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


def adjustments(chk: Checker, raw: Any) -> Adjustments | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        chk.error("wrong-type", "adjustments", name="adjustments", expected=Text("一组字段", "a mapping"),
                  example="{items: [...], min: -10, max: 5}")
        return None
    chk.keys(raw, ADJUSTMENT_KEYS, "adjustments")
    items = mapping_list(chk, raw.get("items"), "adjustments.items", ITEM_KEYS, Text("{id: praise, name: 公司通报表扬, points: 2, max: 6}", "{id: praise, name: Commendation, points: 2, max: 6}"))
    if not items:
        chk.error("missing-field", "adjustments.items", name="items", example=Text("- {id: praise, name: 公司通报表扬, points: 2, max: 6}", "- {id: praise, name: Commendation, points: 2, max: 6}"))
    ids_unique(chk, items, "adjustments.items")
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


def veto(chk: Checker, raw: Any, taken: dict[str, str]) -> list[VetoItem]:
    items = mapping_list(chk, raw, "veto", VETO_KEYS, Text("{id: safety, name: 重大安全事故}", "{id: safety, name: Serious safety incident}"))
    ids_unique(chk, items, "veto", taken)
    out = []
    for j, item in enumerate(items):
        vid = chk.slug(item.get("id"), f"veto[{j}].id", "id")
        name = chk.text(item, "name", f"veto[{j}]", required=True)
        if vid and name:
            out.append(VetoItem(vid, name))
    return out


def grades(chk: Checker, raw: Any) -> tuple[Grade, ...]:
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

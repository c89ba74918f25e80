"""One indicator row of a table as spec data: its target (a number, or words such as ``3个工作日内``),
unit, direction, weight or points, and its rules (:mod:`.standards`) — every unreadable cell reported
where it is, every inference noted."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.findings import finding
from ..core.text import Text
from ..methods import REGISTRY
from ..methods.grammar import Context, Reading, Unreadable, normalize
from .columns import ALL_WORDS, DIRECTION_WORDS, KIND_WORDS, label_key, method_words, word_of
from .grid import cell_text
from .role import EXAMPLES, STANDARD_FORMS, Role
from .scale import Scale
from .sections import percent_text
from .standards import read_rule, target_of

__all__ = ["indicator_rules", "probe"]


def _context(row: dict[str, Any], lang: str, points: float | None) -> tuple[Context, str | None, float | str | None, str]:
    """What the rest of the row says about its rules: unit, target, direction (and the method named)."""
    direction = word_of(DIRECTION_WORDS, row.get("direction", ""))
    target, target_unit, hinted = target_of(row["_target"], row.get("unit", ""))
    direction = direction or hinted
    unit = row.get("unit", "") or target_unit
    method_name = word_of(method_words(), row.get("method", "")) if row.get("method") else None
    return Context(unit=unit, target=target, direction=direction, lang=lang, points=points), method_name, target, target_unit


def probe(role: Role, row: dict[str, Any], points: float | None) -> Reading | None:
    """The row's rules read with the given full points, recording nothing (the card's scale is decided from these)."""
    ctx, method_name, _, _ = _context(row, role.language, points)
    return read_rule(row, ctx, method_name)


def indicator_rules(role: Role, row: dict[str, Any], ind: dict[str, Any], where: str, raters: list[dict[str, Any]],
                    weight: float | None, scale: Scale, i: int) -> dict[str, Any]:
    cells = row["_cells"]
    lang = role.language
    direction = word_of(DIRECTION_WORDS, row.get("direction", ""))
    if row.get("direction") and direction is None:
        role.error("import-unreadable", cells["direction"], f"{where}.direction", what=Text("方向", "direction"), text=row["direction"],
                   reason="", example="越高越好 / 越低越好 / higher / lower")
    points = scale.points.get(i)
    ctx, method_name, target, target_unit = _context(row, lang, points)
    if "预算" in cell_text(row["_target"]) and target_unit == "%" and isinstance(target, float):
        role.note(where, Text(f"目标值“{cell_text(row['_target'])}”:实际值填实际占预算的比例(实际/预算),目标 {percent_text(target)}",
                              f"target '{cell_text(row['_target'])}': the actual is typed as its share of the budget (actual/budget), "
                              f"target {percent_text(target)}"))
    if ctx.direction and direction is None:
        role.note(where, Text(f"目标值“{cell_text(row['_target'])}”:越低越好", f"target '{cell_text(row['_target'])}': lower is better"))
    if row.get("method") and method_name is None:
        role.error("import-unreadable", cells["method"], where, what=Text("计分类型", "method"), text=row["method"], reason="",
                   example=" / ".join(sorted(set(method_words().values()))))
    unit = ctx.unit
    if row.get("_ditto") is not None:
        role.note(where, Text(f"评分标准“同上”:按上一项“{row['_ditto']}”的标准", f"standard 'same as above': the rule of '{row['_ditto']}'"))
    reading = _reading(role, row, ctx, method_name, where, scale.refuse.get(i))
    if reading is not None and i in scale.factor:
        rescaled = REGISTRY[reading.scoring["method"]].rescaled(reading.scoring, scale.factor[i])
        if rescaled is None:
            _refuse(role, row, where, Text("这种评分规则不能按百分制折算", "this rule cannot be read on 100"))
            reading = None
        else:
            reading.scoring = rescaled
    direction = ctx.direction
    if reading is not None:
        role.notes.setdefault(where, []).extend(reading.notes)
        for warning in reading.warnings:
            role.findings.append(finding("import-warning", file=role.file, sheet=role.sheet, cell=cells.get("standard", ""), detail=warning))
        direction = direction or reading.direction
        if reading.unit and not unit and ("unit" not in cells or reading.unit == "%"):  # an empty unit column means no unit
            unit = reading.unit
            if unit != "等级":
                role.note(where, Text(f"单位取自评分标准: {unit}", f"unit taken from the standard: {unit}"))
        elif reading.unit == "%" and unit != "%" and unit:
            role.error("import-unreadable", cells.get("standard", ""), where, what=Text("评分标准", "standard"), text=row["_standard"],
                       reason=Text(f":单位列为 {unit},评分标准却是百分比", f": the unit is {unit} but the standard is in percent"),
                       example=EXAMPLES["standard"])
        if target is None and reading.target is not None:
            target = reading.target
        if REGISTRY[reading.scoring["method"]].label_input and target is not None and not isinstance(target, str):
            target = cell_text(row["_target"])
        if not REGISTRY[reading.scoring["method"]].needs_target and not isinstance(target, float):
            target = None  # a judged item has no target: the words in the target column were its requirement
    if unit:
        ind["unit"] = unit
    if unit == "%" and isinstance(target, float) and target > 10 and target_unit != "%":  # 95 in a rate column is 95%
        target = float(Decimal(repr(target)) / 100)
        role.note(where, Text("目标值按百分数读(如 95 即 95%)", "target read as a percentage (95 is 95%)"))
    if target is None and reading is not None and reading.implied_target is not None:
        target = reading.implied_target
        if reading.implied_note is not None:
            role.note(where, reading.implied_note)
    if isinstance(target, str) and reading is not None and REGISTRY[reading.scoring["method"]].needs_target and \
            not REGISTRY[reading.scoring["method"]].label_input:
        role.error("import-unreadable", cells.get("target", cells["name"]), f"{where}.target", what=Text("目标值", "target"), text=target,
                   reason=Text(":不是数值", ": not a number"), example="95% / 10个 / 3个工作日内 / 0")
    elif target is not None:
        ind["target"] = target
    _weight_or_points(role, row, ind, where, weight, scale.points.get(i) if scale.by_points else None)
    if direction:
        ind["direction"] = direction
    kind = word_of(KIND_WORDS, row.get("kind", ""))
    if kind:
        ind["kind"] = kind
    if row.get("range"):
        bounds = re.split(r"\s*(?:~|～|–|—|,|至|到|\.\.)\s*", normalize(row["range"]).strip("[]() "))
        try:
            ind["range"] = [float(Decimal(b)) for b in bounds]
        except InvalidOperation:
            role.error("import-unreadable", cells["range"], what=Text("取值范围", "range"), text=row["range"], reason="", example="0~1.5")
    if reading is not None:
        ind["scoring"] = reading.scoring
        _rated(role, row, ind, raters, reading)
    return ind


def _weight_or_points(role: Role, row: dict[str, Any], ind: dict[str, Any], where: str, weight: float | None, points: float | None) -> None:
    cells = row["_cells"]
    if points is not None:
        ind["points"] = points
        return
    if weight is None:
        at = cells.get("weight", cells.get("points", cells["name"]))
        text = cell_text(row["_weight"])
        if text:
            role.error("import-unreadable", at, f"{where}.weight", what=Text("权重", "weight"), text=text, reason="", example=EXAMPLES["weight"])
        elif "_points" in row and cell_text(row["_points"]):
            role.error("import-unreadable", at, f"{where}.points", what=Text("分值", "points"), text=cell_text(row["_points"]), reason="",
                       example="10 / 10分 / 25 pts")
        else:
            role.error("import-empty", at, f"{where}.weight", what=Text("权重或分值", "weight or points"), example="40% / 10分")
        return
    ind["weight"] = percent_text(weight)


def _refuse(role: Role, row: dict[str, Any], where: str, reason: Text, example: str = "") -> None:
    cell = row["_cells"].get("standard", row["_cells"]["name"])
    text = row.get("_standard") or row["name"]
    role.error("import-unreadable", cell, where, what=Text("评分标准", "scoring standard"), text=text,
               reason=Text(": " + reason.zh, ": " + reason.en), example=example or EXAMPLES["standard"])


def _reading(role: Role, row: dict[str, Any], ctx: Context, method_name: str | None, where: str, refused: Text | None) -> Reading | None:
    if refused is not None:
        _refuse(role, row, where, refused, "本项10分: 没有差错10分;有差错0分 / 起始100分,每发生1次扣5分")
        return None
    cell = row["_cells"].get("standard", row["_cells"]["name"])
    text = row.get("_standard") or ""
    try:
        reading = read_rule(row, ctx, method_name)
    except Unreadable as exc:
        if not text and not row.get("_levels") and not row.get("_extra") and ctx.points is None:
            role.error("import-empty", cell, where, what=Text("评分标准", "scoring standard"), example=EXAMPLES["standard"])
            return None
        _refuse(role, row, where, exc.reason, exc.example)
        return None
    if reading is None:
        role.error("import-unreadable", cell, where, what=Text("评分标准", "scoring standard"), text=text, reason="",
                   example=STANDARD_FORMS)
    return reading


def _rated(role: Role, row: dict[str, Any], ind: dict[str, Any], raters: list[dict[str, Any]], reading: Reading) -> None:
    if not raters:
        return
    given = row.get("raters")
    if given:
        if label_key(given) in ALL_WORDS:
            ind["rated"] = True
            return
        names = [p.strip() for p in re.split(r"[、,/;，]+", normalize(given)) if p.strip()]
        by_name = {label_key(r["name"]): r["id"] for r in raters} | {r["id"]: r["id"] for r in raters}
        ind["rated"] = [by_name.get(label_key(n), n) for n in names]
        return
    if REGISTRY[reading.scoring["method"]].judged_by_raters and not row["_cells"].get("raters"):
        ind["rated"] = True

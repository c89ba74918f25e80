"""What to read and check on one person's sheet for a spec: the plan, made once per spec (and formula mode,
and workbook format) and kept in the reader's cache — the cells whose values are read, the formulas
expected in them (normalised), every cell holding a scoring rule with the value it must hold and how
the sheet shows it (110%, not 1.1), the defined names and the cell map as laid out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.text import Text
from ..methods.grammar import number_text, value_text
from ..sheet.formulas import expected_formulas
from ..sheet.person import PersonLayout, defined_names
from ..spec.model import Spec
from .caches import ReaderCache
from .locate import name_cells
from .xmlscan import normalise_formula

__all__ = ["Plan", "plan", "RuleCheck", "same_layout"]

RuleCheck = tuple[str, str, Any, "str | Text", "Callable[[Any], str]"]  # (issue code, cell, expected value, indicator name, how it reads)


@dataclass(frozen=True)
class Plan:
    """What to read and check on one person's sheet for a spec in a formula mode; built once per process."""

    layout: PersonLayout
    cells: dict[str, Any]
    cellmap_json: str  # the cell map exactly as the generator records it (fast equality before parsing)
    formulas: dict[str, str]  # cell → expected formula, normalised
    rule_checks: list[RuleCheck]
    refs: tuple[str, ...]  # every cell whose value is read
    wanted: tuple[str, ...]  # those, the formula cells and the indicator names: one read of a return as laid out
    names: dict[str, str]  # the defined names and their cells as laid out
    rules: dict[str, Any]  # rule cell as laid out → the value it must hold


def plan(spec: Spec, mode: str, format_version: int, cache: ReaderCache) -> Plan:
    """The plan for a spec, keyed by its hash (hashing the frozen spec itself walks every field)."""
    key = (spec.hash, mode, format_version)
    found = cache.plans.get(key)
    if found is None:
        found = cache.plans.put(key, _build_plan(spec, mode, format_version))
    return found


def _build_plan(spec: Spec, mode: str, format_version: int) -> Plan:
    layout = PersonLayout.for_spec(spec, mode)
    cells = layout.cell_map(spec)
    checks = _rule_checks(spec, cells)
    refs = (cells["info"]["employee_id"], *cells["actual"].values(), *cells["score"].values(), cells["total"], cells["grade"],
            cells["comment"], *cells["review"].values(), *(ref for _, ref, _, _, _ in checks), *_extra_refs(cells))
    refs = tuple(dict.fromkeys(refs))
    formulas = {ref: normalise_formula(f) for ref, f in expected_formulas(spec, layout, mode, format_version).items()}
    wanted = tuple(dict.fromkeys([*refs, *formulas, *name_cells(spec, layout)]))
    return Plan(layout, cells, json.dumps(cells, ensure_ascii=False, sort_keys=True), formulas, checks, refs, wanted,
                 defined_names(spec, cells), {ref: want for _, ref, want, _, _ in checks})


def _extra_refs(cells: dict[str, Any]) -> list[str]:
    """The cells a card with raters, sections, adjustments, veto or coefficients adds: inputs and results."""
    refs: list[str] = []
    for by_rater in cells.get("rating", {}).values():
        refs += by_rater.values()
    refs += cells.get("section", {}).values()
    refs += [cells[k] for k in ("weighted", "veto_count", "coefficient", "bonus_base", "pay") if k in cells]
    if "adjustment" in cells:
        refs += [*cells["adjustment"]["count"].values(), cells["adjustment"]["total"]]
    refs += cells.get("veto", {}).values()
    return refs


def _rule_checks(spec: Spec, cells: dict[str, Any]) -> list[RuleCheck]:
    """Every cell whose value is part of the scoring rules: targets, weights, parameters, and the
    weights, points, bounds and coefficients a card with sections, raters or adjustments adds —
    each with how the sheet shows its value (110%, not 1.1), for the message."""
    number, percent = _shown(None), _shown("%")
    checks: list[RuleCheck] = []
    for section in spec.sections:
        if section.points is not None:  # a card of points shows the section's points
            checks.append(("changed-rule", cells["section_weight"][section.id], section.points,
                           Text(f"{section.name} 分值", f"{section.name} points"), number))
        else:
            checks.append(("changed-rule", cells["section_weight"][section.id], section.weight,
                           Text(f"{section.name} 权重", f"{section.name} weight"), percent))
    for rater in spec.raters:
        checks.append(("changed-rule", cells["rater_weight"][rater.id], rater.weight, Text(f"{rater.name} 权重", f"{rater.name} weight"), percent))
    if spec.adjustments:
        adj = cells["adjustment"]
        for item in spec.adjustments.items:
            checks.append(("changed-rule", adj["points"][item.id], item.points, Text(f"{item.name} 分值", f"{item.name} points"), number))
            checks.append(("changed-rule", adj["max"][item.id], item.max, Text(f"{item.name} 上限", f"{item.name} cap"), number))
        checks.append(("changed-rule", adj["min"], spec.adjustments.min, Text("加减分下限", "adjustment minimum"), number))
        checks.append(("changed-rule", adj["max_total"], spec.adjustments.max, Text("加减分上限", "adjustment maximum"), number))
    for g, cell in zip(spec.grades, cells.get("grade_coefficient", [])):
        checks.append(("changed-rule", cell, g.coefficient, Text(f"{g.label} 系数", f"{g.label} coefficient"), number))
    for g, cell in zip(spec.grades, cells["grade_min"]):
        checks.append(("changed-rule", cell, g.min, Text(f"{g.label} 最低分", f"{g.label} minimum"), number))
    for ind in spec.indicators:
        value = _shown(ind)
        checks.append(("changed-target", cells["target"][ind.id], ind.target, ind.name, value))
        checks.append(("changed-weight", cells["weight"][ind.id], ind.weight if ind.points is None else ind.points, ind.name,
                       percent if ind.points is None else number))
        for p, param in enumerate(ind.method.params(ind)):
            checks.append(("changed-threshold", cells["params"][ind.id][p], param.value, ind.name, number))
            if param.key_is_rule:  # thresholds and levels; labels such as 下限 are not rules
                checks.append(("changed-threshold", cells["param_keys"][ind.id][p], param.key, ind.name,
                               percent if ind.relative else value))
    return checks


def _shown(how: Any) -> Callable[[Any], str]:
    """How a rule's value reads on the sheet: an indicator's own notation (110%, 12个), a percentage, or a number."""
    def show(value: Any) -> str:
        if value is None or value == "":
            return "(空)"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return repr(value) if isinstance(value, str) else str(value)
        if how == "%":
            return value_text(float(value), True)
        if how is not None:
            return str(how.show(float(value)))
        return number_text(float(value))
    return show


LATER_CELLS = frozenset({"grade_rank", "signoff"})  # cells that joined the layout after 0.1: older returns lack them


def same_layout(recorded: Any, cells: dict[str, Any]) -> bool:
    """The recorded cell map is the template's, as this version or an earlier one wrote it."""
    return (isinstance(recorded, dict) and set(cells) - set(recorded) <= LATER_CELLS
            and recorded == {k: v for k, v in cells.items() if k in recorded})

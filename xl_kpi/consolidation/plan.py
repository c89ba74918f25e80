"""What to read and check on one person's sheet for a spec: the plan, made once per spec (and formula mode,
and workbook format) and kept in the reader's cache — the cells whose values are read, the formulas
expected in them (normalised), every cell holding a scoring rule with the value it must hold and how
the sheet shows it (110%, not 1.1), the defined names and the cell map as laid out.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from ..sheet.blocks import RuleCheck
from ..sheet.formulas import expected_formulas
from ..sheet.person import PersonLayout, defined_names
from ..spec.model import Spec
from .caches import ReaderCache
from .locate import name_cells, name_labels
from .xmlscan import normalise_formula

__all__ = ["Plan", "plan", "RuleCheck", "same_layout"]


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
    labels: tuple[tuple[str, str], ...] = ()  # each indicator's name cell as laid out → its name (a table in place)
    named_inputs: tuple[tuple[str, str], ...] = ()  # every input's key and its name in messages, in the card's order


def plan(spec: Spec, mode: str, format_version: int, cache: ReaderCache, base: Spec | None = None) -> Plan:
    """The plan for a spec, keyed by its hash (hashing the frozen spec itself walks every field). With ``base``, the
    rules as issued of which ``spec`` is one person's copy with their own targets: the base's plan (made once) with
    the person's rule checks — nothing else in a plan depends on the targets (a test holds every bundled template
    to it), and neither the person's copy is hashed nor a plan made per person."""
    if base is not None and base is not spec:
        common = plan(base, mode, format_version, cache)
        checks = _rule_checks(spec, common.layout, common.cells)
        return dataclasses.replace(common, rule_checks=checks, rules={ref: want for _, ref, want, _, _ in checks})
    key = (spec.hash, mode, format_version)
    found = cache.plans.get(key)
    if found is None:
        found = cache.plans.put(key, _build_plan(spec, mode, format_version))
    return found


def _build_plan(spec: Spec, mode: str, format_version: int) -> Plan:
    layout = PersonLayout.for_spec(spec, mode)
    cells = layout.cell_map(spec)
    checks = _rule_checks(spec, layout, cells)
    refs = (cells["info"]["employee_id"], *cells["actual"].values(), *cells["score"].values(), cells["total"], cells["grade"],
            cells["comment"], *cells["review"].values(), *(ref for _, ref, _, _, _ in checks), *_extra_refs(layout, cells))
    refs = tuple(dict.fromkeys(refs))
    formulas = {ref: normalise_formula(f) for ref, f in expected_formulas(spec, layout, mode, format_version).items()}
    wanted = tuple(dict.fromkeys([*refs, *formulas, *name_cells(spec, layout)]))
    return Plan(layout, cells, json.dumps(cells, ensure_ascii=False, sort_keys=True), formulas, checks, refs, wanted,
                defined_names(spec, cells), {ref: want for _, ref, want, _, _ in checks}, name_labels(spec, layout),
                named_inputs(spec))


def named_inputs(spec: Spec) -> tuple[tuple[str, str], ...]:
    """Every input's key (``actual:<id>``, ``event:<id>:<event>``, ``rating:<id>:<rater>``, ``adj:<item>``, ``veto:<item>``)
    with the name a message gives it."""
    named = [(f"actual:{i.id}", i.name) for i in spec.indicators if not i.rated and not i.counts_events]
    named += [(f"event:{i.id}:{e.id}", f"{i.name} · {e.name}") for i in spec.indicators for e in i.events]  # (its actual: the list's formula)
    named += [(f"rating:{i.id}:{r}", f"{i.name}({spec.rater(r).name})") for i in spec.indicators if i.rated for r in i.raters]
    named += [(f"adj:{a.id}", a.name) for a in (spec.adjustments.items if spec.adjustments else ())]
    named += [(f"veto:{v.id}", v.name) for v in spec.veto]
    return tuple(named)


RULES_FIRST = ("sections", "raters", "adjustments", "grades", "table")  # the order changed rules have always been reported in


def _rule_checks(spec: Spec, layout: PersonLayout, cells: dict[str, Any]) -> list[RuleCheck]:
    """Every cell whose value is part of the scoring rules, each present block's (targets, weights, parameters,
    and the weights, points, bounds and coefficients of sections, raters, adjustments and the grade scale), each
    with how the sheet shows its value (110%, not 1.1), for the message."""
    blocks = sorted(layout.blocks, key=lambda b: RULES_FIRST.index(b.name) if b.name in RULES_FIRST else len(RULES_FIRST))
    return [check for block in blocks for check in block.rules(spec, cells)]


def _extra_refs(layout: PersonLayout, cells: dict[str, Any]) -> list[str]:
    """The cells each present block has consolidation read: inputs and cached results (raters' inputs, sections,
    weighted score, adjustments, veto, coefficient and pay)."""
    return [ref for block in layout.blocks for ref in block.results(cells)]


LATER_CELLS = frozenset({"grade_rank", "signoff"})  # cells that joined the layout after 0.1: older returns lack them


def same_layout(recorded: Any, cells: dict[str, Any]) -> bool:
    """The recorded cell map is the template's, as this version or an earlier one wrote it."""
    return (isinstance(recorded, dict) and set(cells) - set(recorded) <= LATER_CELLS
            and recorded == {k: v for k, v in cells.items() if k in recorded})

"""The KPI table: the header, and a row per indicator (by section: a heading row before and a subtotal row
after each section's indicators) with its target, weight, standard, actual (or each rater's input), score,
weighted score, progress and source, and its scoring parameters beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.refs import a1
from ..formulas import rater_score_formula, score_formula
from ..person import name_id
from .base import Block, RuleCheck, Span
from .shown import shown

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


def table_rows(layout: PersonLayout) -> tuple[dict[str, int], dict[str, tuple[int, int]], int]:
    """Each indicator's row (by id), each section's (heading, subtotal) rows, and the last table row."""
    rows: dict[str, int] = {}
    sections: dict[str, tuple[int, int]] = {}
    r = layout.FIRST_ROW
    if not layout.sections:
        for k, iid in enumerate(layout.order or [str(k) for k in range(layout.n)]):
            rows[iid] = r + k
        return rows, sections, r + layout.n - 1
    k = 0
    for sid, size in zip(layout.sections, layout.section_sizes):
        heading = r
        for iid in layout.order[k : k + size]:
            r += 1
            rows[iid] = r
        sections[sid] = (heading, r + 1)
        r += 2
        k += size
    return rows, sections, r - 1


class Table(Block):
    name, order, before, after = "table", 100, 0, 0

    def height(self, layout: PersonLayout) -> int:
        return layout.last_row - layout.HEADER_ROW + 1

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        inds, c = spec.display_order, layout.col
        out: dict[str, Any] = {
            "actual": {ind.id: layout.cell(i, c.ACTUAL) for i, ind in enumerate(inds) if not ind.rated},
            "score": {ind.id: layout.cell(i, c.SCORE) for i, ind in enumerate(inds)},
            "target": {ind.id: layout.cell(i, c.TARGET) for i, ind in enumerate(inds)},
            "weight": {ind.id: layout.cell(i, c.WEIGHT) for i, ind in enumerate(inds)},
            "params": {ind.id: [a1(*layout.param_value(i, p)) for p in range(len(ind.method.params(ind)))] for i, ind in enumerate(inds)},
            "param_keys": {ind.id: [a1(*layout.param_key(i, p)) for p in range(len(ind.method.params(ind)))] for i, ind in enumerate(inds)},
        }
        counted = [(i, ind) for i, ind in enumerate(inds) if ind.counts_events]
        if counted:  # several kinds of event: a count cell each, beside the table (docs/spec.md)
            out["events"] = {ind.id: {e.id: layout.cell(i, c.event_count(k)) for k, e in enumerate(ind.events)} for i, ind in counted}
        if layout.raters:
            out["rating"] = {ind.id: {r: layout.rating_cell(ind.id, r) for r in ind.raters} for ind in inds if ind.rated}
            out["rater_score"] = {ind.id: {r: layout.rater_score_cell(ind.id, r) for r in ind.raters} for ind in inds if ind.rated}
        return out

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        out = {}
        for ind in spec.indicators:
            n = name_id(ind.id)
            out[f"KPI_SCORE_{n}"] = cells["score"][ind.id]
            out[f"KPI_TARGET_{n}"] = cells["target"][ind.id]
            out[f"KPI_WEIGHT_{n}"] = cells["weight"][ind.id]
            if ind.rated:
                out.update({f"KPI_RATING_{n}_{name_id(r)}": cells["rating"][ind.id][r] for r in ind.raters})
            else:
                out[f"KPI_ACTUAL_{n}"] = cells["actual"][ind.id]
            if ind.counts_events:
                out.update({f"KPI_COUNT_{n}_{name_id(e)}": ref for e, ref in cells["events"][ind.id].items()})
        return out

    def formulas(self, spec: Spec, layout: PersonLayout, mode: str, format_version: int) -> dict[str, str]:
        cells: dict[str, str] = {}
        for i, ind in enumerate(spec.display_order):
            if ind.rated:
                for r in ind.raters:
                    cells[layout.rater_score_cell(ind.id, r)] = rater_score_formula(ind, layout, i, r, mode)
            cells[layout.cell(i, layout.col.SCORE)] = score_formula(ind, layout, i, mode, spec)
            if ind.counts_events:  # the actual cell lists each kind's count: what the card and its print form show
                counts = [layout.cell(i, layout.col.event_count(k)) for k in range(len(ind.events))]
                cells[layout.cell(i, layout.col.ACTUAL)] = ind.method.summary_formula(ind, counts)  # type: ignore[attr-defined]
        return cells

    def rules(self, spec: Spec, cells: dict[str, Any]) -> list[RuleCheck]:
        """Each indicator's target, weight (or points) and scoring parameters; a parameter's key too when it is a rule
        (thresholds and levels; labels such as 下限 are not)."""
        number, percent = shown(None), shown("%")
        checks: list[RuleCheck] = []
        for ind in spec.indicators:
            value = shown(ind)
            checks.append(("changed-target", cells["target"][ind.id], ind.target, ind.name, value))
            checks.append(("changed-weight", cells["weight"][ind.id], ind.weight if ind.points is None else ind.points, ind.name,
                           percent if ind.points is None else number))
            for p, param in enumerate(ind.method.params(ind)):
                checks.append(("changed-threshold", cells["params"][ind.id][p], param.value, ind.name, number))
                if param.key_is_rule:
                    checks.append(("changed-threshold", cells["param_keys"][ind.id][p], param.key, ind.name,
                                   percent if ind.relative else value))
        return checks

    def results(self, cells: dict[str, Any]) -> list[str]:
        return ([ref for by_rater in cells.get("rating", {}).values() for ref in by_rater.values()] +
                [ref for by_event in cells.get("events", {}).values() for ref in by_event.values()])

    def keep(self, layout: PersonLayout) -> list[Span]:
        """The header with the first row, and each section's heading with its first two rows."""
        heads = [layout.section_heading_row(s) for s in layout.sections]
        return [(layout.HEADER_ROW, layout.FIRST_ROW + 1), *((h, h + 2) for h in heads)]


BLOCK = Table()

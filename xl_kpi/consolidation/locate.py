"""Find a person's cells where they really are: through the sheet's defined names first, the
recorded layout second, and the indicator names for rows that were sorted.

Excel keeps every defined name (``KPI_ACTUAL_*``, ``KPI_SCORE_*``, ``KPI_TOTAL`` …) pointing at its
cell when rows or columns are inserted or deleted, so the names say how the layout moved; a sort
moves the contents of rows but not the names, so the indicator names in the table say which row
now holds which indicator. Everything read — values, rule cells, formulas and the references inside
them — is mapped through the same :class:`Placement`. A name that points somewhere the others do
not move with (its column, or out of their order) has been repointed: that is reported and the
name ignored.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding, finding
from ..core.refs import a1, col_index, col_letter, parse_a1
from ..core.text import Text
from ..sheet.person import PersonLayout, defined_names
from ..spec.model import Spec

__all__ = ["Placement", "locate", "name_cells", "name_labels"]

_REF = re.compile(r"^[A-Z]{1,3}[0-9]{1,7}$")
_FORMULA_REF = re.compile(r"(?<![A-Za-z_\d.!'])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")


def _through(anchors: list[tuple[int, int]], x: int) -> int:
    """Where layout position ``x`` is now: moved as the nearest anchor at or before it moved (the first
    anchor's move for what lies before every anchor)."""
    if not anchors:
        return x
    k = bisect_right(anchors, (x, _MAX)) - 1
    was, now = anchors[max(k, 0)]
    return x + now - was


_MAX = 1 << 30


@dataclass
class Placement:
    """Where each cell of the layout is now: rows moved as the row anchors say (insertions and
    deletions above them), columns as the column anchors say, and the rows of sorted indicators
    moved to where their names are."""

    row_anchors: list[tuple[int, int]] = field(default_factory=list)  # (layout row, row now), increasing in both
    col_anchors: list[tuple[int, int]] = field(default_factory=list)  # (layout column, column now), likewise
    rows: dict[int, int] = field(default_factory=dict)  # sorted rows: layout row → row now (table columns)
    last_table_col: int = 0

    @property
    def moved(self) -> bool:
        return any(a != b for a, b in (*self.row_anchors, *self.col_anchors)) or bool(self.rows)

    def row(self, r: int, col: int | None = None, structural: bool = False) -> int:
        if not structural and r in self.rows and (col is None or col <= self.last_table_col):
            return self.rows[r]
        return _through(self.row_anchors, r)

    def col(self, c: int) -> int:
        return _through(self.col_anchors, c)

    def cell(self, ref: str, structural: bool = False) -> str:
        r, c = parse_a1(ref)
        return a1(self.row(r, c, structural), self.col(c))

    def mapped(self, value: Any) -> Any:
        """A cell map (or any part of it) with every reference placed."""
        if isinstance(value, str) and _REF.match(value):
            return self.cell(value)
        if isinstance(value, dict):
            return {k: self.mapped(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.mapped(v) for v in value]
        return value

    def formula(self, own: str, text: str) -> str:
        """An expected formula as it reads where the cell ``own`` (a layout reference) is now: every
        reference placed — a range or an absolute row by the layout's shifts only, a relative reference
        to the formula's own sorted row with the row."""
        own_row = parse_a1(own)[0]
        pieces = re.split(r"(\"[^\"]*\")", text)
        for i in range(0, len(pieces), 2):
            pieces[i] = self._refs(pieces[i], own_row)
        return "".join(pieces)

    def _refs(self, text: str, own_row: int) -> str:
        ranges = {m.start() for m in re.finditer(r"[A-Z$]+\d+:[A-Z$]+\d+", text)}
        ranges |= {m.start() + m.group(0).index(":") + 1 for m in re.finditer(r"[A-Z$]+\d+:[A-Z$]+\d+", text)}

        def move(m: re.Match[str]) -> str:
            cabs, col, rabs, row = m.groups()
            r, c = int(row) - 1, col_index(col)
            # a sort moves a formula as a copy: its references to its own row follow it, whatever their column
            structural = m.start() in ranges or r != own_row or bool(rabs)
            return f"{cabs}{col_letter(self.col(c))}{rabs}{self.row(r, None, structural) + 1}"

        return _FORMULA_REF.sub(move, text)


def same_value(a: Any, b: Any) -> bool:
    """A cell's value is the one expected: equal numbers (to 1e-12), or equal text once trimmed."""
    if a == b and type(a) is type(b):
        return True
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return str(a if a is not None else "").strip() == str(b if b is not None else "").strip()


Anchor = tuple[str, tuple[int, int], tuple[int, int]]  # name, (row, col) in the layout, (row, col) now


def locate(spec: Spec, layout: PersonLayout, cells: dict[str, Any], names: dict[str, str],
           read: Callable[[list[str]], dict[str, Any]], where: dict[str, str],
           expected: dict[str, str] | None = None, rules: dict[str, Any] | None = None,
           labels: tuple[tuple[str, str], ...] | None = None) -> tuple[Placement, list[Finding]]:
    """Where the person's cells are now, and what was found about it: an ``info`` for each move
    (rows or columns inserted or deleted, rows sorted), an error for each repointed name.

    ``rules`` (rule cell as laid out → its value) tells whether a sort moved the scoring parameters
    beside the table with its rows (a sort of the whole rows) or left them (a sort of the table only); ``labels``
    (:func:`name_labels`) tells a table in its place at once."""
    found: list[Finding] = []
    expected = defined_names(spec, cells) if expected is None else expected
    placement = Placement(last_table_col=layout.col.LAST_TABLE)
    if not names.items() >= expected.items():  # a name moved: the layout did, or the name was repointed
        anchors = [(name, parse_a1(ref), parse_a1(names[name])) for name, ref in expected.items() if name in names]
        on_rows = _consistent(anchors, 0)
        on_cols = _consistent(anchors, 1)
        for k, (_, (er, ec), (fr, fc)) in enumerate(anchors):
            if k in on_rows and k in on_cols:
                placement.row_anchors.append((er, fr))
                placement.col_anchors.append((ec, fc))
        placement.row_anchors = sorted(set(placement.row_anchors))
        placement.col_anchors = sorted(set(placement.col_anchors))
        for k, (name, layout_cell, now) in enumerate(anchors):
            if not (k in on_rows and k in on_cols):
                found.append(finding("name-repointed", **where, cell=a1(*now), name=name,
                                     expected=a1(placement.row(layout_cell[0], structural=True), placement.col(layout_cell[1]))))
        if placement.moved:
            found.append(finding("layout-moved", **where, detail=_describe(placement)))
    in_place = labels is not None and not placement.moved and _labels_in_place(labels, read)
    sorted_rows = {} if in_place else _sorted_rows(spec, layout, placement, read)
    if sorted_rows:
        placement.rows = sorted_rows
        if rules and _beside_moved(placement, layout, rules, read):
            placement.last_table_col = layout.last_col
        found.append(_sorted_finding(spec, layout, placement, where))
    return placement, found


def _sorted_finding(spec: Spec, layout: PersonLayout, placement: Placement, where: dict[str, str]) -> Finding:
    moves = [f"{ind.name}: {placement.row(layout.row_of(ind.id), structural=True) + 1}→{placement.rows[layout.row_of(ind.id)] + 1}"
             for ind in spec.display_order if layout.row_of(ind.id) in placement.rows]
    return finding("rows-sorted", **where, detail=", ".join(moves))


def _consistent(anchors: list[Anchor], axis: int) -> set[int]:
    """The anchors that agree on one axis (0 rows, 1 columns): the largest set in which one layout
    position is always found at one place and the layout's order is kept. Insertions and deletions
    keep it; a repointed name breaks it and is left out."""
    order = sorted(range(len(anchors)), key=lambda k: (anchors[k][1][axis], anchors[k][2][axis]))
    pos = [(anchors[k][1][axis], anchors[k][2][axis]) for k in order]
    groups: list[tuple[int, int, list[int]]] = []  # (layout position, position now, anchors)
    for k, (was, now) in zip(order, pos):
        if groups and groups[-1][0] == was and groups[-1][1] == now:
            groups[-1][2].append(k)
        else:
            groups.append((was, now, [k]))
    # heaviest chain of groups increasing in both coordinates (a few dozen groups: quadratic is fine)
    best = [len(g[2]) for g in groups]
    prev = [-1] * len(groups)
    for i, (wi, ni, members) in enumerate(groups):
        for j in range(i):
            wj, nj, _ = groups[j]
            if wj < wi and nj < ni and best[j] + len(members) > best[i]:
                best[i], prev[i] = best[j] + len(members), j
    if not groups:
        return set()
    i = max(range(len(groups)), key=lambda g: best[g])
    kept: set[int] = set()
    while i >= 0:
        kept.update(groups[i][2])
        i = prev[i]
    return kept


def name_cells(spec: Spec, layout: PersonLayout) -> list[str]:
    """The cells of the table's indicator-name column (what tells a sorted row), from the first
    indicator's row to the last's."""
    rows = [layout.row_of(ind.id) for ind in spec.display_order]
    return [a1(r, layout.col.INDICATOR) for r in range(min(rows), max(rows) + 1)]


def name_labels(spec: Spec, layout: PersonLayout) -> tuple[tuple[str, str], ...]:
    """Each indicator's name cell as laid out, with the name it holds (trimmed)."""
    return tuple((a1(layout.row_of(ind.id), layout.col.INDICATOR), ind.name.strip()) for ind in spec.display_order)


def _labels_in_place(labels: tuple[tuple[str, str], ...], read: Callable[[list[str]], dict[str, Any]]) -> bool:
    """Every indicator's name where the layout has it (so no row was sorted): what :func:`_sorted_rows` finds first."""
    values = read([ref for ref, _ in labels])
    return all(str(values[ref] or "").strip() == name for ref, name in labels)


def _sorted_rows(spec: Spec, layout: PersonLayout, placement: Placement, read: Callable[[list[str]], dict[str, Any]]) -> dict[int, int]:
    """Rows whose indicator moved by a sort: each indicator's row now is where its name is (when every
    name of the table is there exactly once); {} when nothing moved or it cannot be told."""
    col = placement.col(layout.col.INDICATOR)
    inds = spec.display_order
    rows = [placement.row(layout.row_of(ind.id), structural=True) for ind in inds]
    block = range(min(rows), max(rows) + 1)
    values = read([a1(r, col) for r in block])
    text = {r: str(values.get(a1(r, col)) or "").strip() for r in block}
    if all(text[r] == ind.name.strip() for r, ind in zip(rows, inds)):
        return {}
    moved: dict[int, int] = {}
    for r, ind in zip(rows, inds):
        hits = [row for row, t in text.items() if t == ind.name.strip()]
        if len(hits) != 1:
            return {}  # a name missing or repeated: the rows are read where the layout has them
        if hits[0] != r:
            moved[layout.row_of(ind.id)] = hits[0]  # layout row → the row that holds the indicator now
    return moved


def _beside_moved(placement: Placement, layout: PersonLayout, rules: dict[str, Any],
                  read: Callable[[list[str]], dict[str, Any]]) -> bool:
    """Whether the rule cells beside the table (the scoring parameters) moved with the sorted rows:
    more of them hold their expected values where the sort put the rows than where they were."""
    beside = [ref for ref in rules if parse_a1(ref)[0] in placement.rows and parse_a1(ref)[1] > layout.col.LAST_TABLE]
    if not beside:
        return False
    stayed = {ref: placement.cell(ref, structural=True) for ref in beside}
    moved = {ref: a1(placement.rows[parse_a1(ref)[0]], placement.col(parse_a1(ref)[1])) for ref in beside}
    values = read([*stayed.values(), *moved.values()])
    hits = lambda where: sum(same_value(values[where[ref]], rules[ref]) for ref in beside)  # noqa: E731
    return hits(moved) > hits(stayed)


def _describe(placement: Placement) -> Text:
    """What moved, in the layout's numbering (the workbook as issued): where rows and columns were
    inserted or deleted, and how many."""
    zh: list[str] = []
    en: list[str] = []
    for anchors, show, zh_unit, en_unit in ((placement.row_anchors, lambda x: str(x + 1), "行", "row"),
                                            (placement.col_anchors, col_letter, "列", "column")):
        before, shift = None, 0
        for was, now in anchors:
            change = now - was - shift
            if change:
                n = abs(change)
                plural = "" if n == 1 else "s"
                verb_zh, verb_en = ("插入", "inserted") if change > 0 else ("删除", "deleted")
                if zh_unit == "行":
                    at_zh = f"第 {show(was)} 行之前" if before is None or was - before == 1 else f"第 {show(before)} 与第 {show(was)} 行之间"
                else:
                    at_zh = f"{show(was)} 列之前" if before is None or was - before == 1 else f"{show(before)} 列与 {show(was)} 列之间"
                at_en = (f"before {en_unit} {show(was)}" if before is None or was - before == 1
                         else f"between {en_unit}s {show(before)} and {show(was)}")
                zh.append(f"{at_zh}{verb_zh}了 {n} {zh_unit}")
                en.append(f"{n} {en_unit}{plural} {verb_en} {at_en}")
            before, shift = was, now - was
    return Text(";".join(zh), "; ".join(en))

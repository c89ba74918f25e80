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

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding, finding
from ..core.refs import a1, col_index, col_letter, parse_a1
from ..sheet.person import PersonLayout, name_id
from ..spec.model import Spec

__all__ = ["Placement", "expected_names", "locate", "name_cells"]

_REF = re.compile(r"^[A-Z]{1,3}[0-9]{1,7}$")
_FORMULA_REF = re.compile(r"(?<![A-Za-z_\d.!'])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")


def expected_names(spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
    """Every sheet-scoped defined name a person's sheet carries → the cell the layout puts it on."""
    out = {"KPI_TOTAL": cells["total"], "KPI_GRADE": cells["grade"], "KPI_EMPLOYEE_ID": cells["info"]["employee_id"]}
    if "grade_rank" in cells:
        out["KPI_GRADE_RANK"] = cells["grade_rank"]
    for ind in spec.indicators:
        out[f"KPI_SCORE_{name_id(ind.id)}"] = cells["score"][ind.id]
        if ind.rated:
            out.update({f"KPI_RATING_{name_id(ind.id)}_{name_id(r)}": cells["rating"][ind.id][r] for r in ind.raters})
        else:
            out[f"KPI_ACTUAL_{name_id(ind.id)}"] = cells["actual"][ind.id]
    out.update({f"KPI_SECTION_{name_id(s)}": ref for s, ref in cells.get("section", {}).items()})
    if "adjustment" in cells:
        out["KPI_ADJUSTMENT"] = cells["adjustment"]["total"]
        out.update({f"KPI_ADJ_{name_id(i)}": ref for i, ref in cells["adjustment"]["count"].items()})
    out.update({f"KPI_VETO_{name_id(v)}": ref for v, ref in cells.get("veto", {}).items()})
    if "coefficient" in cells:
        out.update({"KPI_COEFFICIENT": cells["coefficient"], "KPI_PAY": cells["pay"]})
    return out


@dataclass
class Placement:
    """Where each cell of the layout is now: rows shifted by insertions above them (anchors), columns by a
    common shift, and the rows of sorted indicators moved to where their names are."""

    anchors: list[tuple[int, int]] = field(default_factory=list)  # (layout row, row now), sorted, consistent
    dc: int = 0
    rows: dict[int, int] = field(default_factory=dict)  # sorted rows: layout row → row now (table columns)
    last_table_col: int = 0

    @property
    def moved(self) -> bool:
        return self.dc != 0 or any(a != b for a, b in self.anchors) or bool(self.rows)

    def row(self, r: int, col: int | None = None, structural: bool = False) -> int:
        if not structural and r in self.rows and (col is None or col <= self.last_table_col):
            return self.rows[r]
        if not self.anchors:
            return r
        delta = self.anchors[0][1] - self.anchors[0][0]  # rows above the first anchor move with it
        for er, fr in self.anchors:
            if er > r:
                break
            delta = fr - er
        return r + delta

    def cell(self, ref: str, structural: bool = False) -> str:
        r, c = parse_a1(ref)
        return a1(self.row(r, c, structural), c + self.dc)

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
        reference placed — a range by the layout's shifts only, a cell of the formula's own sorted row
        with the row."""
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
            structural = m.start() in ranges or r != own_row
            return f"{cabs}{col_letter(c + self.dc)}{rabs}{self.row(r, c, structural) + 1}"

        return _FORMULA_REF.sub(move, text)


def locate(spec: Spec, layout: PersonLayout, cells: dict[str, Any], names: dict[str, str],
           read: Callable[[list[str]], dict[str, Any]], where: dict[str, str],
           expected: dict[str, str] | None = None) -> tuple[Placement, list[Finding]]:
    """Where the person's cells are now, and what was found about it: an ``info`` for each move
    (rows or columns inserted or deleted, rows sorted), an error for each repointed name."""
    found: list[Finding] = []
    expected = expected_names(spec, cells) if expected is None else expected
    if names.items() >= expected.items():  # every name where the layout puts it: only a sort can have moved rows
        placement = Placement(last_table_col=layout.col.LAST_TABLE)
        placement.rows = _sorted_rows(spec, layout, placement, read)
        if placement.rows:
            found.append(_sorted_finding(spec, layout, placement, where))
        return placement, found
    anchors = [(name, parse_a1(ref), parse_a1(names[name])) for name, ref in expected.items() if name in names]
    placement = Placement(last_table_col=layout.col.LAST_TABLE)
    if anchors:
        shifts = Counter(fc - ec for _, (_, ec), (_, fc) in anchors)
        placement.dc = shifts.most_common(1)[0][0]
        kept = [(n, e, f) for n, e, f in anchors if f[1] - e[1] == placement.dc]
        bad = [(n, e, f) for n, e, f in anchors if f[1] - e[1] != placement.dc]
        kept.sort(key=lambda a: (a[1][0], a[1][1]))
        order = _increasing(kept)
        bad += [a for k, a in enumerate(kept) if k not in order]
        kept = [a for k, a in enumerate(kept) if k in order]
        for name, e, f in bad:
            found.append(finding("name-repointed", **where, cell=a1(*f), name=name, expected=a1(e[0], e[1] + placement.dc)))
        rows: dict[int, int] = {}
        for _, (er, _), (fr, _) in kept:
            rows.setdefault(er, fr)
        placement.anchors = sorted(rows.items())
    structural = placement.moved
    sorted_rows = _sorted_rows(spec, layout, placement, read)
    if structural:
        found.append(finding("layout-moved", **where, detail=_describe(placement)))
    if sorted_rows:
        placement.rows = sorted_rows
        found.append(_sorted_finding(spec, layout, placement, where))
    return placement, found


def _sorted_finding(spec: Spec, layout: PersonLayout, placement: Placement, where: dict[str, str]) -> Finding:
    moves = [f"{ind.name}: {placement.row(layout.row_of(ind.id), structural=True) + 1}→{placement.rows[layout.row_of(ind.id)] + 1}"
             for ind in spec.display_order if layout.row_of(ind.id) in placement.rows]
    return finding("rows-sorted", **where, detail=", ".join(moves))


def _increasing(anchors: list[tuple[str, tuple[int, int], tuple[int, int]]]) -> set[int]:
    """The positions of the longest run of anchors whose rows now keep the layout's order (names out of
    it have been repointed)."""
    n = len(anchors)
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            same_row = anchors[j][1][0] == anchors[i][1][0]
            ok = (anchors[j][2][0] == anchors[i][2][0]) if same_row else (anchors[j][2][0] < anchors[i][2][0])
            if ok and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    if not n:
        return set()
    k = max(range(n), key=lambda i: best[i])
    out = set()
    while k >= 0:
        out.add(k)
        k = prev[k]
    return out


def name_cells(spec: Spec, layout: PersonLayout) -> list[str]:
    """The cells of the table's indicator-name column (what tells a sorted row), from the first
    indicator's row to the last's."""
    rows = [layout.row_of(ind.id) for ind in spec.display_order]
    return [a1(r, layout.col.INDICATOR) for r in range(min(rows), max(rows) + 1)]


def _sorted_rows(spec: Spec, layout: PersonLayout, placement: Placement, read: Callable[[list[str]], dict[str, Any]]) -> dict[int, int]:
    """Rows whose indicator moved by a sort: each indicator's row now is where its name is (when every
    name of the table is there exactly once); {} when nothing moved or it cannot be told."""
    col = layout.col.INDICATOR + placement.dc
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


def _describe(placement: Placement) -> str:
    parts = []
    if placement.dc:
        parts.append(f"columns {placement.dc:+d}")
    shifts = sorted({fr - er for er, fr in placement.anchors if fr != er})
    if shifts:
        parts.append("rows " + ", ".join(f"{s:+d}" for s in shifts))
    return "; ".join(parts)

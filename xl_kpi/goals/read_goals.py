"""Read one returned goals workbook, untrustingly: whose it claims to be, checked against HR's register, and the
inputs of each person's goals sheet on the layout HR's rules give (:func:`read_return`).

The returned file is opened through the same seam as a scorecard (:func:`~xl_kpi.consolidation.formats.open_returned`:
the package's sizes, ratio, CRCs and XML prologs checked before anything is parsed); its hidden record only says which
issued workbook it claims to be, and everything else — the rules, the indicators, their weights, HR's bounds — is the
register's. Only the cells collecting reads are found (the seam's cell reader); what a card's rows need is worked out
once per card, layout and bounds, not for every return.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..consolidation.caches import ReaderCache
from ..consolidation.formats import open_returned
from ..consolidation.safety import Limits, Rejected
from ..core.files import read_regular
from ..core.findings import Finding, finding
from ..core.refs import a1
from ..core.text import Text
from ..scoring.normalize import parse_number
from ..spec.canonical import spec_from_canonical
from ..spec.model import Indicator, Spec
from .agreement_read import SupervisorPart, read_supervisor
from .book import FORMAT, META_SHEET, numeric, signature
from .department import DEPARTMENT_FORMAT
from .layout import GoalsLayout, word
from .register import IssuedGoals
from .rules import PERSONAL_METHODS, Goal, GoalRules, History, PersonGoals, agreed_target, agreement_of, card_weight
from .supervisor import SUPERVISOR_FORMAT

__all__ = ["Collected", "read_return", "META_ROWS"]

META_ROWS = 16  # the goals record: 14 rows and the signature (:func:`~xl_kpi.goals.book.write_goals_book`)

@dataclass
class Collected:
    """One return read: whose, what it says, what is wrong."""

    file: str
    issued: IssuedGoals
    spec: Spec
    goals: PersonGoals
    findings: list[Finding]
    sha256: str
    supervisor_file: str = ""  # the supervisor's own workbook the agreement came from (issued separate)
    supervisor_sha256: str = ""

    @property
    def agreed(self) -> bool:
        """Signed off, every goal with a target agreed, nothing the card's rules refuse."""
        if not self.goals.supervisor_signed.strip() or any(f.severity == "error" for f in self.findings):
            return False
        by_id = {ind.id: ind for ind in self.spec.indicators}
        wanted = [g for g in self.goals.goals if (g.personal and g.name.strip()) or (not g.personal and numeric(by_id[g.indicator_id]))]
        return all(agreed_target(g) is not None for g in wanted)




def _text(value: Any) -> str:
    return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value)).strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str) and value.strip():
        found, _ = parse_number(value)
        return found if found is not None and math.isfinite(found) else None
    return None


Grid = dict[tuple[int, int], Any]
ROLE_CELLS = ("ind_name", "hr_weight", "weight", "proposed", "text", "reason", "agreement", "sup_target", "sup_note")
PERSONAL_CELLS = ("ind_name", "kind", "definition", "source", "unit", "hr_weight", "weight", "proposed", "text", "agreement", "sup_target",
                  "sup_note")


def _inputs(sheet: Any, lay: GoalsLayout) -> Grid:
    """Only the cells collecting reads — HR's checked labels, the inputs and the sign-off — found by reference in the
    sheet's bytes (the seam's cell reader), never the whole grid."""
    refs, places = _wanted(lay)
    return {places[ref]: value for ref, value in sheet.values(refs).items()}


@functools.lru_cache(maxsize=64)
def _layout(role: int, personal: int, splits: int) -> GoalsLayout:
    """One layout per shape (its columns worked out once)."""
    return GoalsLayout(role, personal, splits)


@functools.lru_cache(maxsize=64)
def _wanted(lay: GoalsLayout) -> tuple[tuple[str, ...], dict[str, tuple[int, int]]]:
    """The cells read of a goals sheet of this layout, and each one's (row, column): worked out once per layout."""
    wanted = [(lay.role_row(k), lay.col(key)) for k in range(lay.role) for key in ROLE_CELLS]
    wanted += [(lay.personal_row(k), lay.col(key)) for k in range(lay.personal) for key in PERSONAL_CELLS]
    wanted += [(lay.signoff_row(who), col) for who in ("employee", "supervisor") for col in (lay.SIGN_COL, lay.DATE_COL)]
    places = {a1(r, c): (r, c) for r, c in wanted}
    return tuple(places), places


META_CELLS = tuple(f"{c}{r}" for r in range(1, META_ROWS + 1) for c in "AB")  # the goals record's fixed rows
META_PAIRS = tuple((f"A{r}", f"B{r}") for r in range(1, META_ROWS + 1))


def _meta_row(key: str, value: str) -> list[str]:
    """A record's row as read back: its two cells without trailing blanks."""
    return [key, value] if value else [key] if key else []


def _cell(grid: Grid, row: int, col: int) -> Any:
    return grid.get((row, col))


def read_return(path: Path, issued: dict[tuple[str, str], IssuedGoals], specs: dict[str, str], key: bytes | None,
          limits: Limits, cache: ReaderCache) -> list[Collected | SupervisorPart | Finding]:
    """One return — a person's goals, a department's (a person per sheet), or a supervisor's parts of their people's
    — or the findings that keep it out."""
    file = str(path)
    try:
        data = read_regular(path, limits.max_file_bytes)
        book = open_returned(data, limits, cache)
        meta_entry = book.sheet(META_SHEET)
        if meta_entry is None:
            return [finding("goals-not-ours", file=file, detail=Text("没有目标设定表的隐藏记录", "no goals record"))]
        meta = book.cells(meta_entry).values(META_CELLS)
        rows = [_meta_row(_text(meta[a]), _text(meta[b])) for a, b in META_PAIRS]
        values = {r[0]: r[1] for r in rows if len(r) >= 2}
        wid = values.get("workbook_id", "")
        if values.get("format") == SUPERVISOR_FORMAT:
            return list(read_supervisor(book, values, rows, issued, lambda h: _spec(specs[h]), key, file, data, _text, _number))
        if values.get("format") == DEPARTMENT_FORMAT:  # the register says who is on which sheet
            mine_all = sorted((g for (w, _), g in issued.items() if w == wid and g.party == "employee" and g.sheet), key=lambda g: g.place)
            if not mine_all:
                return [finding("goals-not-issued", file=file, employee_id=values.get("department", ""), workbook=wid or "—")]
        elif values.get("format") == FORMAT:
            eid = values.get("employee_id", "")
            mine = issued.get((wid, eid))
            if mine is None or mine.party != "employee" or mine.sheet:
                return [finding("goals-not-issued", file=file, employee_id=eid, workbook=wid or "—")]
            mine_all = [mine]
        else:
            return [finding("goals-not-ours", file=file, detail=Text("隐藏记录不是目标设定表的", "the record is not a goals workbook's"))]
        if key is not None and not hmac.compare_digest(values.get("signature", ""), signature(rows, key)):
            return [finding("signature-invalid", file=file, employee_id=mine_all[0].employee_id if len(mine_all) == 1 else values.get("department", ""))]
        sha = hashlib.sha256(data).hexdigest()
        return [_person(book, mine, _spec(specs[mine.spec_hash]), file, sha) for mine in mine_all]
    except Rejected as rej:
        return [finding("goals-not-ours", file=file, detail=rej.code)]
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        return [finding("goals-not-ours", file=file, detail=f"{type(exc).__name__}: {exc}"[:200])]


def _person(book: Any, mine: IssuedGoals, spec: Spec, file: str, sha: str) -> Collected | Finding:
    """One person's goals sheet of a return (the sheet the register names), as read."""
    lay = _layout(len(spec.indicators), max(mine.rules.personal_max, 0), 3 if _quarterly(mine.period) else 4)
    entry = book.sheet(mine.sheet or word("sheet", mine.lang))
    if entry is None or not book.readable(entry):
        return finding("goals-not-ours", file=file, employee_id=mine.employee_id, detail=Text("目标设定工作表不见了", "the goals sheet is missing"))
    grid = _inputs(book.cells(entry), lay)
    found: list[Finding] = []
    goals = _goals(grid, lay, spec, mine, file, found)
    person = PersonGoals(mine.employee_id, mine.name, goals,
                         _text(_cell(grid, lay.signoff_row("employee"), lay.SIGN_COL)),
                         _text(_cell(grid, lay.signoff_row("supervisor"), lay.SIGN_COL)),
                         _text(_cell(grid, lay.signoff_row("supervisor"), lay.DATE_COL)))
    return Collected(file, mine, spec, person, found, sha)


@functools.lru_cache(maxsize=64)
def _spec(canonical: str) -> Spec:
    """A spec from the register's canonical JSON (one template's returns share it: parsed once)."""
    return spec_from_canonical(json.loads(canonical))


def _quarterly(period: str) -> bool:
    return "Q" in period.upper() or "季" in period


@dataclass(frozen=True)
class _RoleRow:
    """What reading one role indicator's row needs, worked out once per card, layout and HR's bounds: the indicator,
    each of its cells' (row, column) by name, HR's weight, whether the weight may move, and whether it takes a target."""

    ind: Indicator
    at: dict[str, tuple[int, int]]
    hr_weight: float
    weighted: bool
    numeric: bool


_ROLE_ROWS: dict[tuple[str, GoalsLayout, GoalRules], tuple[Spec, tuple[_RoleRow, ...]]] = {}


def _role_rows(spec: Spec, lay: GoalsLayout, rules: GoalRules) -> tuple[_RoleRow, ...]:
    """The role rows of a card read on a layout under HR's bounds (people of one card share them: worked out once;
    keyed by the spec's hash, kept with the spec they were made from)."""
    key = (spec.hash, lay, rules)
    found = _ROLE_ROWS.get(key)
    if found is None or found[0] is not spec:
        if len(_ROLE_ROWS) >= 64:
            _ROLE_ROWS.clear()
        cols = {name: lay.col(name) for name in ROLE_CELLS}
        plan = []
        for k, ind in enumerate(spec.indicators):
            r, hr_weight = lay.role_row(k), card_weight(spec, ind)
            lo, hi = rules.weight_bounds(hr_weight)
            plan.append(_RoleRow(ind, {name: (r, c) for name, c in cols.items()}, hr_weight, lo != hi, numeric(ind)))
        found = _ROLE_ROWS[key] = (spec, tuple(plan))
    return found[1]


def _goals(grid: Grid, lay: GoalsLayout, spec: Spec, mine: IssuedGoals, file: str, found: list[Finding]) -> list[Goal]:
    """The goal rows: HR's indicators with the return's inputs; a locked cell changed is reported, HR's value used."""
    out: list[Goal] = []
    get = lambda r, key: _cell(grid, r, lay.col(key))  # noqa: E731
    where = {"file": file, "employee_id": mine.employee_id, "name": mine.name}
    cell = grid.get
    for k, row in enumerate(_role_rows(spec, lay, mine.rules)):
        ind, at, hr_weight = row.ind, row.at, row.hr_weight
        shown_name, shown_weight = _text(cell(at["ind_name"])), _number(cell(at["hr_weight"]))
        if shown_name != ind.name or shown_weight is None or abs(shown_weight - hr_weight) > 1e-9:
            found.append(finding("goals-edited", **where, what=Text(f"第 {k + 1} 行的指标或 HR 权重", f"indicator or HR weight of row {k + 1}"),
                                 found=f"{shown_name} {_text(cell(at['hr_weight']))}", issued=f"{ind.name} {hr_weight:g}"))
        weight = _number(cell(at["weight"])) if row.weighted else hr_weight
        out.append(Goal(ind.id, ind.name, weight, _number(cell(at["proposed"])) if row.numeric else None, _text(cell(at["text"])),
                        _text(cell(at["reason"])), agreement_of(_text(cell(at["agreement"]))),
                        _number(cell(at["sup_target"])) if row.numeric else None, _text(cell(at["sup_note"])), False, ind.kind,
                        ind.scoring.method, ind.direction, ind.definition, ind.unit, mine.history.get(ind.id, History())))
    methods = {words[i]: m for m, words in PERSONAL_METHODS.items() for i in (0, 1)}
    for k in range(lay.personal):
        r = lay.personal_row(k)
        name = _text(get(r, "ind_name"))
        if not name:
            continue
        kind = "process" if _text(get(r, "kind")) in (word("process", "zh"), word("process", "en")) else "result"
        direction = "lower" if _text(get(r, "hr_weight")) in (word("lower", "zh"), word("lower", "en")) else "higher"
        out.append(Goal(f"personal_{k + 1}", name, _number(get(r, "weight")), _number(get(r, "proposed")), _text(get(r, "text")), "",
                        agreement_of(_text(get(r, "agreement"))), _number(get(r, "sup_target")), _text(get(r, "sup_note")), True, kind,
                        methods.get(_text(get(r, "source")), _text(get(r, "source"))), direction, _text(get(r, "definition")),
                        _text(get(r, "unit"))))
    return out

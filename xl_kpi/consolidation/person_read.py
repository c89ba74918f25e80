"""Read one person's sheet of a return in named steps, each returning its findings:

plan → cell map → locate → identity → rules → formulas → inputs → bonus base → score → cached results
→ status. Every step reads the :class:`Sheet` (what is known so far about this person's sheet) and
adds what it learns to it; the findings come back in the order the steps run, and the status is
decided from them alone. Nothing a return says is trusted: its rules and formulas are compared with
HR's, its inputs read as :mod:`xl_kpi.scoring.inputs` reads any typed value, every result recomputed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding, finding
from ..core.periods import period_code
from ..core.protection import Protection
from ..core.text import Text
from ..scoring.engine import CardInputs, CardResult, score_card
from ..scoring.inputs import Reading, read_card, sheet_differences
from ..scoring.normalize import AMBIGUOUS_FROM
from ..sheet.formulas import veto_marks
from ..sheet.register import TargetChange
from ..spec.model import Indicator, Spec
from .caches import ReaderCache
from .identity import fmt, json_or_none, number_or_none
from .locate import locate, same_value
from .masking import check_display
from .own_inputs import blanked, not_issued, others_keys
from .parts import Pending
from .plan import Plan, plan, same_layout
from .record import PersonRecord
from .returned import Cell, SheetReader
from .review_texts import review_findings_of
from .xmlscan import normalise_formula

__all__ = ["Sheet", "read_person", "protection_findings", "adjustment_findings", "INTEGRITY_CODES", "STEPS"]

INTEGRITY_CODES = frozenset({"changed-target", "changed-weight", "changed-threshold", "changed-rule", "formula-changed",
                             "formula-deleted", "spec-changed", "employee-id-changed", "name-repointed", "protection-changed",
                             "not-issued", "issued-mismatch", "signature-invalid", "input-masked"})


@dataclass
class Sheet:
    """One person's sheet as the steps read it: who and where, the rules it is scored with, and what the
    steps have found so far."""

    file: str
    row: dict[str, str]  # the person's metadata row (as issued, with the register)
    spec: Spec
    cells_of: SheetReader
    local_names: dict[str, str]
    name: str
    mode: str
    format_version: int
    cache: ReaderCache
    pay_base: float | None = None
    workbook_id: str = ""
    mtime: float = 0.0
    separate: bool = False  # issued with separate rating workbooks: only the employee's own inputs count here
    changes: tuple[TargetChange, ...] = ()  # targets HR approved changing mid-period: scored against, the sheet checked as issued
    base: Spec | None = None  # the rules of which ``spec`` is the person's copy with their own targets (their plan is the base's)
    plan: Plan = field(init=False)
    cells: dict[str, Any] = field(init=False)  # the cell map, moved where the sheet's names moved
    formulas: dict[str, str] = field(init=False)  # cell → expected formula, normalised
    checks: list[Any] = field(init=False)
    read: dict[str, Cell] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    typed: CardInputs = field(default_factory=CardInputs)
    reading: Reading | None = None
    result: CardResult | None = None
    explained: set[str] = field(default_factory=set)
    others: frozenset[str] = frozenset()  # separate: the inputs other raters give in their own workbooks
    ignored: list[str] = field(default_factory=list)  # separate: their cells filled here anyway (ignored, reported)
    where: dict[str, str] = field(init=False)  # file, sheet and employee id: where every finding about this person is

    def __post_init__(self) -> None:
        self.plan = plan(self.spec, self.mode, self.format_version, self.cache, self.base)
        self.cells, self.formulas, self.checks = self.plan.cells, self.plan.formulas, self.plan.rule_checks
        self.where = {"file": self.file, "sheet": self.name, "employee_id": self.eid}

    @property
    def eid(self) -> str:
        return self.row["employee_id"]

    def input_cell(self, key: str) -> dict[str, str]:
        """An input's key (``actual:<id>``, ``rating:<id>:<rater>``, ``adj:<item>``, ``veto:<item>``) → where it is."""
        return {**self.where, "cell": self.cell_of(key)}

    def cell_of(self, key: str) -> str:
        """An input's key → its cell."""
        kind, _, rest = key.partition(":")
        if kind == "actual":
            ref = self.cells["actual"][rest]
        elif kind == "rating":
            ind, _, rater = rest.partition(":")
            ref = self.cells["rating"][ind][rater]
        elif kind == "event":
            ind, _, event = rest.partition(":")
            ref = self.cells["events"][ind][event]
        elif kind == "adj":
            ref = self.cells["adjustment"]["count"][rest]
        else:
            ref = self.cells["veto"][rest]
        return ref


def protection_findings(issued: str, found: Protection, where: dict[str, str], cache: ReaderCache, guards: bool = True) -> list[Finding]:
    """The person's sheet protection against what was issued: removed, or a password changed or gone, is
    an integrity finding when it guarded others' inputs read from this file (``guards``: the supervisor's,
    the reviewer's, the counts and marks) — whoever held the file may have filled them. Without such inputs
    (a card of the person's own inputs only, or one issued with separate rating workbooks) it guarded
    nothing consolidation trusts: every rule is checked against HR's issue, so it is a warning."""
    expected = (cache.issued[issued] if issued in cache.issued else cache.issued.put(issued, Protection.from_json(issued))) if issued else None
    if expected is None:
        return []  # a workbook from before protection was recorded
    words = {"sheet": Text("工作表保护已被取消", "the sheet's protection was removed"),
             "password": Text("工作表保护密码已被更改或去掉", "the sheet's protection password was changed or removed")}
    out = []
    for item in expected.lost(found):
        what = words.get(item) or Text(f"“{item[6:]}”区域的密码已被更改或去掉", f"the password of the range '{item[6:]}' was changed or removed")
        out.append(finding("protection-changed", **where, what=what) if guards else finding("protection-changed-own", **where, what=what))
    return out


def check_cell_map(s: Sheet) -> list[Finding]:
    """The cell map the metadata records is the template's layout (this version's or an earlier one's)."""
    recorded = s.row.get("cellmap", "")
    if recorded == s.plan.cellmap_json or same_layout(json_or_none(recorded), s.cells):
        return []
    return [finding("metadata-invalid", **s.where, detail=Text("单元格映射与模板的版式不符,已按模板的版式读取",
                                                                "the cell map does not match the template's layout; cells read from the template's layout"))]


def locate_cells(s: Sheet) -> list[Finding]:
    """Read the planned cells where the sheet's names put them (rows inserted, sorted: :mod:`.locate`)."""
    read = s.cells_of.cells(s.plan.wanted)  # as laid out: what almost every return needs, in one pass

    def values_of(wanted: list[str]) -> dict[str, Any]:
        missing = [ref for ref in wanted if ref not in read]
        if missing:
            read.update(s.cells_of.cells(missing))
        return {ref: (None if read[ref][0] == "" else read[ref][0]) for ref in wanted}

    placement, moves = locate(s.spec, s.plan.layout, s.cells, s.local_names, values_of, s.where, s.plan.names, s.plan.rules,
                              s.plan.labels)
    if placement.moved:
        s.cells = placement.mapped(s.cells)
        s.formulas = {placement.cell(ref): normalise_formula(placement.formula(ref, text)) for ref, text in s.plan.formulas.items()}
        s.checks = [(code, placement.cell(ref), want, name, show) for code, ref, want, name, show in s.checks]
        read = s.cells_of.cells([*(placement.cell(ref) for ref in s.plan.refs), *s.formulas])
    s.read = read
    s.values = {ref: (None if value == "" else value) for ref, (value, _) in read.items()}
    return moves


def check_identity(s: Sheet) -> list[Finding]:
    """The employee id shown on the sheet is the person's."""
    ref = s.cells["info"]["employee_id"]
    on_sheet = s.values[ref]
    if on_sheet is not None and str(on_sheet).strip() != s.eid:
        return [finding("employee-id-changed", **s.where, cell=ref, found=on_sheet, expected=s.eid)]
    return []


def check_rules(s: Sheet) -> list[Finding]:
    """Targets, weights and every scoring parameter on the sheet are HR's."""
    values = s.values  # (same_value's first test inline: a rule cell almost always holds its value as written)
    return [finding(code, **s.where, cell=ref, indicator=name, what=name, found=show(values[ref]), expected=show(expected))
            for code, ref, expected, name, show in s.checks
            if not ((got := values[ref]) == expected and type(got) is type(expected)) and not same_value(got, expected)]


def check_formulas(s: Sheet) -> list[Finding]:
    """Every result formula is the engine's translation, compared by meaning."""
    out = []
    known = s.cache.formulas
    for ref, want in s.formulas.items():
        got = s.read[ref][1]
        if got is None:
            out.append(finding("formula-deleted", **s.where, cell=ref))
            continue
        normal = known.get(got)
        if normal is None:
            normal = known.put(got, normalise_formula(got))  # returns of a template carry the same formulas
        if normal != want:
            out.append(finding("formula-changed", **s.where, cell=ref))
    return out


def read_inputs(s: Sheet) -> list[Finding]:
    """Every input as typed, read as any typed value is (a percent-formatted cell as the percentage it shows)."""
    cells, values, spec = s.cells, s.values, s.spec
    s.typed = CardInputs({ind.id: ({e: values[ref] for e, ref in cells["events"][ind.id].items()} if ind.counts_events
                                   else values[cells["actual"][ind.id]]) for ind in spec.indicators if not ind.rated},
                         {ind.id: {r: values[cells["rating"][ind.id][r]] for r in ind.raters} for ind in spec.indicators if ind.rated},
                         {item.id: values[cells["adjustment"]["count"][item.id]] for item in spec.adjustments.items}
                         if spec.adjustments else {},
                         {v.id: values[cells["veto"][v.id]] for v in spec.veto})
    out: list[Finding] = []
    if s.separate:  # the others' cells are theirs to fill in their own workbooks: ignored here, reported when filled
        s.others = others_keys(spec)
        s.ignored, out = not_issued(spec, s.typed, s.others, values.get(cells["comment"]), cells["comment"], s.input_cell, s.where)
        s.typed = blanked(s.typed, s.others)
    s.reading = read_card(spec, s.typed, s.input_cell, percent_cells=_in_percent_cells(s), skip=s.others)
    return out + _input_formulas(s) + list(s.reading.findings)


def _input_formulas(s: Sheet) -> list[Finding]:
    """An input cell holding a formula instead of a typed value: its saved result is the person's claim and is
    what is read, but HR should know (=TRUE() is 1 in LibreOffice and no number in Excel; =NOW() changes)."""
    out = []
    for key, name in s.plan.named_inputs:
        if key in s.others:
            continue
        ref = s.cell_of(key)
        formula = s.read[ref][1] if ref in s.read else None
        if formula:
            out.append(finding("input-formula", **s.where, cell=ref, what=name, formula=formula, value=fmt(s.values.get(ref))))
    return out


def _in_percent_cells(s: Sheet) -> frozenset[str]:
    """The percent indicators' inputs holding a number that reads otherwise as a percentage (above 200%) and
    typed in a cell formatted as one: read as typed there (300% stays 300%). Rare, so formats are read only then."""
    keys = []
    for ind in s.spec.indicators:
        if not ind.is_percent:
            continue
        for key in _keys(ind):
            raw = (s.typed.ratings.get(ind.id) or {}).get(key.rsplit(":", 1)[-1]) if ind.rated else s.typed.actuals.get(ind.id)
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw > AMBIGUOUS_FROM:
                keys.append(key)
    if not keys:
        return frozenset()
    percent = s.cells_of.percent_cells([s.cell_of(key) for key in keys])
    return frozenset(key for key in keys if s.cell_of(key) in percent)


def _keys(ind: Indicator) -> list[str]:
    if ind.counts_events:
        return [f"event:{ind.id}:{e.id}" for e in ind.events]
    return [f"rating:{ind.id}:{r}" for r in ind.raters] if ind.rated else [f"actual:{ind.id}"]


def check_bonus_base(s: Sheet) -> list[Finding]:
    """The bonus base on the sheet is the one issued."""
    base = number_or_none(s.row.get("bonus_base", ""))
    ref = s.cells.get("bonus_base")
    if ref is not None and not same_value(s.values[ref], base):
        return [finding("changed-rule", **s.where, cell=ref, what=Text("绩效奖金基数", "the bonus base"),
                        found=fmt(s.values[ref]), expected=fmt(base))]
    return []


def score(s: Sheet) -> list[Finding]:
    """Recompute the card with the engine; report adjustments, any veto, and every cell the sheet's own
    formulas read otherwise than consolidation does."""
    assert s.reading is not None
    spec = s.spec.with_targets({c.indicator_id: c.new for c in s.changes}) if s.changes else s.spec
    s.result = result = score_card(spec, dataclasses.replace(s.reading.inputs, bonus_base=s.pay_base))
    out = adjustment_findings(spec, dict(s.reading.inputs.adjustments), result, s.where) + approved_changes(s)
    if result.vetoed:
        out.append(finding("veto-applied", **s.where, items="、".join(v.name for v in spec.veto if v.id in result.vetoed)))
    differences = sheet_differences(spec, s.typed, s.reading.inputs, s.input_cell, veto_marks(s.format_version))
    # An input the sheet reads otherwise, or one refused, explains its score's cached value (both are reported);
    # one that is not an indicator's (a count, a mark) explains every result after it.
    differing = {f.cell for f in differences} | {f.cell for f in s.reading.findings if f.severity == "error"}
    differing |= set(s.ignored)  # another rater's cell filled here: its result is that rater's to give
    if not differing:
        return out + differences
    s.explained |= {ind.id for ind in spec.indicators if any(s.cell_of(key) in differing for key in _keys(ind))}
    others = [f"adj:{i.id}" for i in (spec.adjustments.items if spec.adjustments else ())] + [f"veto:{v.id}" for v in spec.veto]
    if any(s.cell_of(key) in differing for key in others):
        s.explained.add("*")
    return out + differences


def approved_changes(s: Sheet) -> list[Finding]:
    """The change log: each target HR approved changing (info), scored against; the sheet's cached results, computed
    with the target as issued, are not compared for what the changes touch."""
    out = []
    for c in s.changes:
        ind = next((i for i in s.spec.indicators if i.id == c.indicator_id), None)
        if ind is None:
            continue
        out.append(finding("target-change-approved", **s.where, indicator=ind.name, old="—" if c.old is None else ind.show(c.old),
                           new=Text(f"{ind.show(c.new)},期限 {c.deadline}", f"{ind.show(c.new)}, due {c.deadline}") if c.deadline
                           else ind.show(c.new),
                           reason=c.reason, date=c.date or "—", approver=c.approver, version=c.version))
        s.explained |= {ind.id, "*"}
    return out


def adjustment_findings(spec: Spec, counts: dict[str, Any], result: CardResult, where: dict[str, str]) -> list[Finding]:
    """Any adjustment (info, with what made it), and every bound that cut it (a warning HR should see)."""
    if not spec.adjustments or result.adjustment is None:
        return []
    out, parts = [], []
    for item in spec.adjustments.items:
        count = counts.get(item.id) or 0.0
        if count:
            parts.append(f"{item.name}×{count:g}")
            uncapped = count * item.points
            if uncapped != result.adjustment_items[item.id]:
                out.append(finding("adjustment-capped", **where, what=item.name, applied=f"{result.adjustment_items[item.id]:+g}",
                                   raw=f"{uncapped:+g}"))
    block = sum(result.adjustment_items.values())
    if block != result.adjustment:
        out.append(finding("adjustment-capped", **where, what=Text("加减分合计", "the adjustment total"), applied=f"{result.adjustment:+g}",
                           raw=f"{block:+g}"))
    if parts:
        out.append(finding("adjustment-applied", **where, adjustment=f"{result.adjustment:+g}", detail="、".join(parts)))
    return out


def check_cached(s: Sheet) -> list[Finding]:
    """The file's cached results against the recomputation (one note when nothing was recalculated)."""
    assert s.result is not None
    result, cells, values, spec = s.result, s.cells, s.values, s.spec
    grade = result.grade.label if result.grade else None
    out = []
    results = [(cells["score"][ind.id], result.scores[ind.id]) for ind in spec.indicators] + _cached_results(cells, result, grade)
    if any(want is not None for _, want in results) and all(values[ref] is None for ref, _ in results):
        out.append(finding("not-recalculated", **s.where))  # saved by a program that does not calculate: one note, not one per cell
        s.explained |= {ind.id for ind in spec.indicators}
    for ind in spec.indicators:
        ref = cells["score"][ind.id]
        cached, want = values[ref], result.scores[ind.id]
        if ind.id not in s.explained and not (cached is None and want is None) and not same_value(cached, want):
            out.append(finding("cached-mismatch", **s.where, cell=ref, found=fmt(cached), expected=fmt(want)))
    if not s.explained:
        for ref, want in _cached_results(cells, result, grade):
            cached = values[ref]
            if not (cached is None and want is None) and not same_value(cached, want) and not (want is None and cached == ""):
                out.append(finding("cached-mismatch", **s.where, cell=ref, found=fmt(cached), expected=fmt(want)))
    return out


def _cached_results(cells: dict[str, Any], result: CardResult, grade: str | None) -> list[tuple[str, Any]]:
    """The result cells whose cached values are compared with the recomputation."""
    out: list[tuple[str, Any]] = [(cells["total"], result.total), (cells["grade"], grade)]
    out += [(cell, result.sections.get(sid)) for sid, cell in cells.get("section", {}).items()]
    if "weighted" in cells:
        out.append((cells["weighted"], result.weighted))
    if "adjustment" in cells:
        out.append((cells["adjustment"]["total"], result.adjustment))
    if "coefficient" in cells:
        out += [(cells["coefficient"], result.coefficient), (cells["pay"], result.pay)]
    return out


STEPS: tuple[Callable[[Sheet], list[Finding]], ...] = (check_cell_map, locate_cells, check_identity, check_rules, check_formulas,
                                                       read_inputs, check_display, check_bonus_base, score, check_cached)


def read_person(s: Sheet, issues: list[Finding]) -> PersonRecord:
    """Run every step on one person's sheet (their findings appended to ``issues``, the file's), decide the
    status from the findings about this person, and make the record."""
    for step in STEPS:
        issues += step(s)
    assert s.reading is not None and s.result is not None
    status = _status(s, issues)
    result, values, cells, spec, row = s.result, s.values, s.cells, s.spec, s.row
    text = lambda ref: "" if values[ref] is None else str(values[ref])  # noqa: E731
    review = {k: text(ref) for k, ref in cells["review"].items()}
    actuals = dict(s.reading.inputs.actuals)
    comment = "" if s.separate else text(cells["comment"])  # separate: the supervisor's, from their own workbook
    return PersonRecord(
        file=s.file, sheet=s.name, employee_id=s.eid, name=row.get("name", ""), department=row.get("department", ""),
        template=spec.id, version=spec.version, period=period_code(row.get("period", "") or spec.period), actuals=actuals,
        raw=dict(s.typed.actuals), scores=result.scores, total=result.total, grade=result.grade.label if result.grade else None,
        status=status, comment=comment, ratings={k: dict(v) for k, v in s.typed.ratings.items()},
        sections=result.sections, weighted=result.weighted, adjustment=result.adjustment if spec.adjustments else None,
        adjustment_counts=dict(s.reading.inputs.adjustments), vetoed=result.vetoed, coefficient=result.coefficient,
        bonus_base=s.pay_base, pay=result.pay, workbook_id=s.workbook_id, review=review,
        filled=sum(v is not None for v in actuals.values()), mtime=s.mtime,
        findings=review_findings_of({**review, "comment": comment}, s.cache.reviews),
        pending=Pending("", None, s.reading.inputs, s.reading.unusable, ignored=s.ignored) if s.separate else None)


def _status(s: Sheet, issues: list[Finding]) -> str:
    """``tampered`` when anything HR set was changed, ``superseded`` when HR has issued the card again on other terms, ``invalid`` when an input cannot be read, ``incomplete``
    without a total, else ``ok``."""
    assert s.reading is not None and s.result is not None
    mine = [i for i in issues if i.employee_id == s.eid and i.sheet == s.name]
    if any(i.code in INTEGRITY_CODES for i in mine):
        return "tampered"
    if any(i.code == "superseded-issue" for i in mine):  # a card HR has since issued again, on other terms
        return "superseded"
    if s.reading.unusable:
        return "invalid"
    return "incomplete" if s.result.total is None else "ok"

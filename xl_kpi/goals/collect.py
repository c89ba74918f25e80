"""Collect goals workbooks back: read each return untrustingly, check every goal, write the agreed targets.

Nothing in a returned goals workbook is trusted. Its hidden sheet only says which issued workbook it claims to
be: the register must know that workbook and person (else ``goals-not-issued``), its signature must hold when
HR's key is given, and everything else — the rules, the indicators, their weights, what history said, HR's
bounds — is the register's. The returned sheet is read through the same seam as a scorecard
(:func:`~xl_kpi.consolidation.formats.open_returned`: the package's sizes, ratio, CRCs and XML prologs checked
before anything is parsed); the sheet's layout is HR's, derived from the issued rules, never the file's. Locked
cells changed are reported and ignored. Only the inputs are read: the proposals, goal sentences, reasons,
personal indicators, the supervisor's word and the sign-off.

A person's goals are agreed when the supervisor signed the sign-off (目标确认) and gave every goal with a target
an agreed target that the card's rules accept. Their targets go to ``targets.csv`` (what ``build --targets``
reads) and to the register as the next agreed version; a card whose weights or personal indicators differ from
the template is listed in ``personal_goals.csv``. ``goals_report.csv`` tells HR, per goal, who proposed what,
what the supervisor changed, what is below the baseline and why, and the SMART gaps with a suggestion.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..advice.smart import summary_line
from ..consolidation.caches import ReaderCache
from ..consolidation.formats import open_returned
from ..consolidation.safety import Limits, Rejected
from ..core.files import read_regular, write_csv_atomic
from ..core.findings import Finding, finding
from ..core.refs import a1
from ..core.text import Text
from ..scoring.normalize import parse_number
from ..spec.canonical import spec_from_canonical
from ..spec.model import Spec
from .agreement_read import SupervisorPart, merge_parts, read_supervisor
from .book import FORMAT, META_SHEET, numeric, signature
from .department import DEPARTMENT_FORMAT
from .layout import GoalsLayout, word
from .personal import personal_spec, write_personal_specs
from .register import AgreedVersion, IssuedGoals, load_issued, record_agreed
from .resend import supervisor_books_from_returns
from .rules import (
    ADJUST,
    PERSONAL_METHODS,
    Goal,
    History,
    PersonGoals,
    agreed_target,
    agreement_of,
    below_baseline,
    card_weight,
    check_person,
    sheet_check,
    smart_of,
)
from .supervisor import SUPERVISOR_FORMAT

__all__ = ["GoalsCollected", "collect_goals", "REPORT_COLUMNS", "TARGET_COLUMNS", "PERSONAL_COLUMNS"]

TARGET_COLUMNS = ("employee_id", "name", "indicator_id", "indicator", "target", "proposed", "baseline_target", "challenge_target",
                  "agreed_by", "agreed_on", "version")
REPORT_COLUMNS = ("employee_id", "name", "department", "indicator_id", "indicator", "personal", "kind", "weight", "history_mean",
                  "baseline_target", "challenge_target", "proposed", "goal", "reason", "supervisor", "supervisor_target",
                  "agreed_target", "changed_by_supervisor", "below_baseline", "smart", "smart_suggestion", "sheet_check", "agreed",
                  "problems", "file")
PERSONAL_COLUMNS = ("employee_id", "name", "template", "indicator_id", "indicator", "personal", "kind", "definition", "unit", "weight",
                    "hr_weight", "method", "direction", "target", "goal")
META_ROWS = 16  # the goals record: 14 rows and the signature (:func:`~xl_kpi.goals.book.write_goals_book`)
ISSUE_COLUMNS = ("file", "employee_id", "code", "severity", "message", "fix")


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


@dataclass
class GoalsCollected:
    """What :func:`collect_goals` found and wrote."""

    returns: list[Collected] = field(default_factory=list)
    agreed: list[AgreedVersion] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)


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


def _cell(grid: Grid, row: int, col: int) -> Any:
    return grid.get((row, col))


def _read(path: Path, issued: dict[tuple[str, str], IssuedGoals], specs: dict[str, str], key: bytes | None,
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
        rows = [[_text(meta[f"A{r}"]), _text(meta[f"B{r}"])] for r in range(1, META_ROWS + 1)]
        rows = [r[: max((k + 1 for k, v in enumerate(r) if v), default=0)] for r in rows]
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


def _goals(grid: Grid, lay: GoalsLayout, spec: Spec, mine: IssuedGoals, file: str, found: list[Finding]) -> list[Goal]:
    """The goal rows: HR's indicators with the return's inputs; a locked cell changed is reported, HR's value used."""
    out: list[Goal] = []
    get = lambda r, key: _cell(grid, r, lay.col(key))  # noqa: E731
    where = {"file": file, "employee_id": mine.employee_id, "name": mine.name}
    for k, ind in enumerate(spec.indicators):
        r = lay.role_row(k)
        shown_name, shown_weight, hr_weight = _text(get(r, "ind_name")), _number(get(r, "hr_weight")), card_weight(spec, ind)
        if shown_name != ind.name or shown_weight is None or abs(shown_weight - hr_weight) > 1e-9:
            found.append(finding("goals-edited", **where, what=Text(f"第 {k + 1} 行的指标或 HR 权重", f"indicator or HR weight of row {k + 1}"),
                                 found=f"{shown_name} {_text(get(r, 'hr_weight'))}", issued=f"{ind.name} {hr_weight:g}"))
        lo, hi = mine.rules.weight_bounds(hr_weight)
        weight = _number(get(r, "weight")) if lo != hi else hr_weight
        out.append(Goal(ind.id, ind.name, weight, _number(get(r, "proposed")) if numeric(ind) else None, _text(get(r, "text")),
                        _text(get(r, "reason")), agreement_of(_text(get(r, "agreement"))),
                        _number(get(r, "sup_target")) if numeric(ind) else None, _text(get(r, "sup_note")), False, ind.kind,
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


def _conflicts(returns: list[Collected], findings: list[Finding]) -> list[Collected]:
    """Copies of one person's goals that differ are a conflict HR settles: neither is used. Identical copies are one."""
    by_person: dict[tuple[str, str], list[Collected]] = {}
    for c in returns:
        by_person.setdefault((c.goals.employee_id, c.issued.period), []).append(c)
    kept = []
    for (eid, _), copies in by_person.items():
        contents = {json.dumps(_agreement(c), sort_keys=True, ensure_ascii=False) for c in copies}
        if len(contents) > 1:
            findings.append(finding("goals-conflict", employee_id=eid, name=copies[0].goals.name, files="、".join(c.file for c in copies)))
            continue
        kept.append(copies[0])
    return kept


def _agreement(c: Collected) -> dict[str, Any]:
    """What a return agrees: targets, weights, personal indicators."""
    targets = {g.indicator_id: agreed_target(g) for g in c.goals.goals if not g.personal and agreed_target(g) is not None}
    weights = {g.indicator_id: g.weight for g in c.goals.goals if g.weight is not None}
    personal = [{"id": g.indicator_id, "name": g.name, "kind": g.kind, "definition": g.definition, "unit": g.unit, "weight": g.weight,
                 "method": g.method, "direction": g.direction, "target": agreed_target(g), "goal": g.text}
                for g in c.goals.goals if g.personal]
    return {"targets": targets, "weights": weights, "personal": personal}


def collect_goals(files: Sequence[Path], register: Path, outdir: Path, key: bytes | None = None, limits: Limits = Limits()) -> GoalsCollected:
    """Read filled goals workbooks (only those the register issued), check every goal, record the agreed versions
    in the register and write ``targets.csv``, ``goals_report.csv``, ``personal_goals.csv`` and ``goals_issues.csv``."""
    issued, specs = load_issued(register)
    out = GoalsCollected()
    cache = ReaderCache()  # parts byte for byte those of one already read and checked are not inflated again
    read: list[Collected] = []
    parts: list[SupervisorPart] = []
    for path in files:
        for got in _read(Path(path), issued, specs, key, limits, cache):
            if isinstance(got, Collected):
                read.append(got)
            elif isinstance(got, SupervisorPart):
                parts.append(got)
            else:
                out.findings.append(got)
    merge_parts(read, parts, out.findings)  # each supervisor's word, from their own workbook, into their people's goals
    for c in read:
        c.findings += check_person(c.goals, c.spec, c.issued.rules, c.file)
        out.findings += c.findings
    out.returns = _conflicts(read, out.findings)
    waiting = [c for c in out.returns if c.issued.separate and any(f.code == "goals-awaiting-supervisor" for f in c.findings)]
    outdir.mkdir(parents=True, exist_ok=True)
    for book in supervisor_books_from_returns(waiting, register, outdir, key):  # the second round: the proposals shown
        out.paths[f"supervisor:{book.name}"] = book
    agreed, personal = [], []
    for c in out.returns:
        if not c.agreed:
            continue
        a = _agreement(c)
        files_ = Path(c.file).name + (f";{Path(c.supervisor_file).name}" if c.supervisor_file else "")
        agreed.append(AgreedVersion(c.goals.employee_id, c.issued.period, 0, c.spec.id, a["targets"], a["weights"], a["personal"],
                                    c.goals.supervisor_signed, c.goals.signed_on, c.issued.workbook_id, files_,
                                    c.sha256 + (f";{c.supervisor_sha256}" if c.supervisor_sha256 else "")))
        differs = [ind.name for ind in c.spec.indicators if abs(a["weights"].get(ind.id, card_weight(c.spec, ind)) - card_weight(c.spec, ind)) > 1e-9]
        if a["personal"] or differs:
            own = personal_spec(c.spec, c.goals.employee_id, c.goals.name, c.goals.goals)
            if own is not None:
                personal.append((c, own))
            what = Text("、".join([f"个人指标 {len(a['personal'])} 个"] * bool(a["personal"]) + [f"权重: {'、'.join(differs)}"] * bool(differs)),
                        "; ".join([f"{len(a['personal'])} personal indicator(s)"] * bool(a["personal"]) + [f"weights: {', '.join(differs)}"] * bool(differs)))
            out.findings.append(finding("goals-personal-card", file=c.file, employee_id=c.goals.employee_id, name=c.goals.name, what=what,
                                        spec=f"personal_specs/{own.id}.yaml" if own is not None
                                        else Text("分值制的考核表不能加个人指标或改权重,需 HR 手工处理", "a card of points: HR decides by hand")))
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    out.agreed = record_agreed(register, agreed, now) if agreed else []
    outdir.mkdir(parents=True, exist_ok=True)
    kept = {a.employee_id for a in out.agreed}
    files, refused = write_personal_specs(outdir, [(c.issued, spec) for c, spec in personal],
                                          [c.issued for c in out.returns if c.goals.employee_id in kept])
    out.paths["roster"] = outdir / "roster.csv"
    out.paths.update({f"personal_spec:{f.name}": f for f in files})
    for eid in refused:
        out.findings.append(finding("goals-card", employee_id=eid, name=issued_name(out.returns, eid),
                                    what=Text("个人规格未通过导入检查,花名册沿用模板", "the personal spec failed the importer's checks; the roster keeps the template")))
    _write(out, outdir)
    return out


def issued_name(returns: Sequence[Collected], eid: str) -> str:
    return next((c.goals.name for c in returns if c.goals.employee_id == eid), "")


def _write(out: GoalsCollected, outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    versions = {(a.employee_id, a.period): a for a in out.agreed}
    target_rows, report_rows, personal_rows = [], [], []
    for c in out.returns:
        a = versions.get((c.goals.employee_id, c.issued.period))
        by_id = {ind.id: ind for ind in c.spec.indicators}
        codes: dict[str, list[str]] = {}
        for f in c.findings:
            codes.setdefault(_indicator_of(f, c), []).append(f.code)
        for g in c.goals.goals:
            ind = by_id.get(g.indicator_id)
            agreed = agreed_target(g)
            smart = smart_of(g.text, c.spec.language, None, c.issued.rules.max_increase, g.direction) if g.text else None
            report_rows.append([c.goals.employee_id, c.goals.name, c.issued.department, g.indicator_id, g.name, "yes" if g.personal else "no",
                                g.kind, g.weight, g.history.mean, g.history.baseline, g.history.challenge, g.proposed, g.text, g.reason,
                                g.agreement, g.supervisor_target, agreed, "yes" if g.agreement == ADJUST and agreed != g.proposed else "no",
                                "yes" if below_baseline(g, agreed if agreed is not None else g.proposed) else "no",
                                summary_line(smart) if smart else "", (smart.suggestions or [""])[0] if smart else "",
                                sheet_check(g.proposed, g.text, g.reason, g.history.baseline if ind is not None and numeric(ind) else None,
                                            g.direction, c.spec.language, ind is None or numeric(ind)),
                                "yes" if a is not None else "no", " ".join(codes.get(g.name, [])), c.file])
            if a is not None and not g.personal and agreed is not None:
                target_rows.append([c.goals.employee_id, c.goals.name, g.indicator_id, g.name, agreed, g.proposed, g.history.baseline,
                                    g.history.challenge, a.agreed_by, a.agreed_on, a.version])
        if a is not None and (a.personal or any(abs(a.weights.get(i.id, card_weight(c.spec, i)) - card_weight(c.spec, i)) > 1e-9
                                                for i in c.spec.indicators)):
            for g in c.goals.goals:
                ind = by_id.get(g.indicator_id)
                personal_rows.append([c.goals.employee_id, c.goals.name, c.spec.id, g.indicator_id, g.name, "yes" if g.personal else "no",
                                      g.kind, g.definition, g.unit, g.weight, card_weight(c.spec, ind) if ind else None, g.method, g.direction,
                                      agreed_target(g), g.text])
    out.paths["targets"] = outdir / "targets.csv"
    write_csv_atomic(out.paths["targets"], TARGET_COLUMNS, target_rows)
    out.paths["report"] = outdir / "goals_report.csv"
    write_csv_atomic(out.paths["report"], REPORT_COLUMNS, report_rows)
    out.paths["personal"] = outdir / "personal_goals.csv"
    write_csv_atomic(out.paths["personal"], PERSONAL_COLUMNS, personal_rows)
    out.paths["issues"] = outdir / "goals_issues.csv"
    write_csv_atomic(out.paths["issues"], ISSUE_COLUMNS, ([f.file, f.employee_id, f.code, f.severity, f.message.zh + " / " + f.message.en,
                                                          (f.hint.zh + " / " + f.hint.en) if f.hint else ""] for f in out.findings))


def _indicator_of(f: Finding, c: Collected) -> str:
    """The goal a finding is about (its indicator's name appears in the message), "" for the card."""
    for g in c.goals.goals:
        if f"“{g.name}”" in f.message.zh or f"'{g.name}'" in f.message.en or f.field == g.name:
            return g.name
    return ""

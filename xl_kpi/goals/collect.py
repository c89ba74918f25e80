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
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..advice.smart import summary_line
from ..consolidation.caches import ReaderCache
from ..consolidation.safety import Limits
from ..core.files import write_csv_atomic
from ..core.findings import Finding, finding
from ..core.text import Text
from .agreement_read import SupervisorPart, merge_parts
from .book import numeric
from .personal import personal_spec, write_personal_specs
from .read_goals import Collected, read_return
from .register import AgreedVersion, load_issued, record_agreed
from .resend import supervisor_books_from_returns
from .rules import (
    ADJUST,
    agreed_target,
    below_baseline,
    card_weight,
    check_person,
    sheet_check,
    smart_of,
)

__all__ = ["GoalsCollected", "collect_goals", "REPORT_COLUMNS", "TARGET_COLUMNS", "PERSONAL_COLUMNS"]

TARGET_COLUMNS = ("employee_id", "name", "indicator_id", "indicator", "target", "proposed", "baseline_target", "challenge_target",
                  "agreed_by", "agreed_on", "version")
REPORT_COLUMNS = ("employee_id", "name", "department", "indicator_id", "indicator", "personal", "kind", "weight", "history_mean",
                  "baseline_target", "challenge_target", "proposed", "goal", "reason", "supervisor", "supervisor_target",
                  "agreed_target", "changed_by_supervisor", "below_baseline", "smart", "smart_suggestion", "sheet_check", "agreed",
                  "problems", "file")
PERSONAL_COLUMNS = ("employee_id", "name", "template", "indicator_id", "indicator", "personal", "kind", "definition", "unit", "weight",
                    "hr_weight", "method", "direction", "target", "goal")
ISSUE_COLUMNS = ("file", "employee_id", "code", "severity", "message", "fix")


@dataclass
class GoalsCollected:
    """What :func:`collect_goals` found and wrote."""

    returns: list[Collected] = field(default_factory=list)
    agreed: list[AgreedVersion] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)


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
        for got in read_return(Path(path), issued, specs, key, limits, cache):
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
    smart_cells: dict[tuple[str, str, float, str], tuple[str, str]] = {}  # a sentence's SMART line and suggestion, once per sentence
    for c in out.returns:
        a = versions.get((c.goals.employee_id, c.issued.period))
        by_id = {ind.id: ind for ind in c.spec.indicators}
        codes: dict[str, list[str]] = {}
        for f in c.findings:
            codes.setdefault(_indicator_of(f, c), []).append(f.code)
        for g in c.goals.goals:
            ind = by_id.get(g.indicator_id)
            agreed = agreed_target(g)
            smart = _smart_cells(smart_cells, g.text, c.spec.language, c.issued.rules.max_increase, g.direction) if g.text else ("", "")
            has_target = ind is None or numeric(ind)
            report_rows.append([c.goals.employee_id, c.goals.name, c.issued.department, g.indicator_id, g.name, "yes" if g.personal else "no",
                                g.kind, g.weight, g.history.mean, g.history.baseline, g.history.challenge, g.proposed, g.text, g.reason,
                                g.agreement, g.supervisor_target, agreed, "yes" if g.agreement == ADJUST and agreed != g.proposed else "no",
                                "yes" if below_baseline(g, agreed if agreed is not None else g.proposed) else "no",
                                *smart, _sheet_check(g.proposed, g.text, g.reason, g.history.baseline if ind is not None and has_target else None,
                                                     g.direction, c.spec.language, has_target),
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


_sheet_check = functools.lru_cache(maxsize=4096)(sheet_check)  # a function of its arguments alone: goals repeat sentences and targets


def _smart_cells(memo: dict[tuple[str, str, float, str], tuple[str, str]], text: str, lang: str, max_increase: float,
                 direction: str) -> tuple[str, str]:
    """The report's SMART line and first suggestion for a sentence (each distinct one worked out once a run)."""
    key = (text, lang, max_increase, direction)
    found = memo.get(key)
    if found is None:
        smart = smart_of(text, lang, None, max_increase, direction)
        found = memo[key] = (summary_line(smart), (smart.suggestions or [""])[0])
    return found


def _indicator_of(f: Finding, c: Collected) -> str:
    """The goal a finding is about (its indicator's name appears in the message), "" for the card."""
    for g in c.goals.goals:
        if f"“{g.name}”" in f.message.zh or f"'{g.name}'" in f.message.en or f.field == g.name:
            return g.name
    return ""

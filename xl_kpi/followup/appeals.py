"""Appeals (申诉): a form for the result appealed, and the decisions recorded in the history.

The result appealed is the person's current one — consolidated, then calibrated. A changed result is
computed by the engine from the history's inputs with HR's corrections typed in (read as consolidation
reads any typed input), the adjustment the history holds unless corrected, or set directly to a grade of
the person's own card; its coefficient and pay follow by the engine's rule. The history's ``appeals``
table keeps the original and the final result side by side; :func:`~xl_kpi.consolidation.decisions.final_results`
(final pay, status, letters) and the annual roll-up read the final one.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..consolidation.decisions import final_results, open_history
from ..consolidation.safety import Limits
from ..core.errors import UsageError
from ..core.files import write_csv_atomic
from ..core.findings import Finding, finding
from ..core.periods import period_code
from ..core.text import Text
from ..scoring.engine import CardInputs, final_total, grade_for, pay_for, score_card
from ..scoring.inputs import read_card
from ..spec.model import Spec
from .appeal_book import APPEAL_FORMAT, DECISION_WORDS, AppealSubject
from .calibration import load_candidates
from .letters import read_meta

__all__ = ["appeal_subject", "collect_appeals", "Appeal", "APPEAL_COLUMNS"]

APPEAL_COLUMNS = ("period", "employee_id", "name", "received", "reason", "decision", "original_total", "original_grade", "original_pay",
                  "final_total", "final_grade", "final_coefficient", "final_pay", "decided_by", "decided_on", "note", "recorded", "problem", "file")


def _inputs(spec: Spec, rows: Mapping[str, tuple[float | None, str | None, float | None]], veto: str) -> dict[str, tuple[str, str, Any, float | None]]:
    """Each input of the card as the history holds it: key → (what it is, how it shows, the raw value, its score)."""
    out: dict[str, tuple[str, str, Any, float | None]] = {}
    for ind in spec.display_order:
        actual, text, score = rows.get(ind.id, (None, None, None))
        if ind.rated:
            given = dict(part.strip().partition("=")[::2] for part in (text or "").split(";") if part.strip())
            for rater in ind.raters:
                name = spec.rater(rater).name
                value = given.get(rater) or None
                out[f"rating:{ind.id}:{rater}"] = (f"{ind.name} — {name}", value or "—", value, None)
            if ind.raters:
                key = f"rating:{ind.id}:{ind.raters[0]}"
                out[key] = (*out[key][:3], score)
        else:
            raw = text if text is not None else actual
            out[f"actual:{ind.id}"] = (ind.name, "—" if raw is None else raw if isinstance(raw, str) else ind.show(float(raw)), raw, score)
    vetoed = set(veto.split())
    for item in spec.veto:
        out[f"veto:{item.id}"] = (item.name, "是" if item.id in vetoed else "—", "是" if item.id in vetoed else None, None)
    return out


def appeal_subject(history: Path, period: str, employee_id: str, templates: Mapping[str, Spec] | None = None) -> AppealSubject:
    """The result ``employee_id`` would appeal for ``period``: their current one, with the inputs behind it.

    Raises:
        UsageError: no complete, trusted result for them in that period.
    """
    period = period_code(period)
    people, excluded = load_candidates(history, period, templates)
    person = next((p for p in people if p.employee_id == employee_id), None)
    if person is None:
        status = next((e.status for e in excluded if e.employee_id == employee_id), "not-returned")
        from ..consolidation.summary_book import STATUS  # the statuses' words, as the summary workbook says them

        raise UsageError("appeal-no-result", employee_id=employee_id, period=period, status=Text(*STATUS.get(status, (status, status))))
    with open_history(history) as db:
        final = next(r for r in final_results(db, period) if r.employee_id == employee_id)
        rows = {str(i): (a, t, s) for i, a, t, s in db.execute(
            "SELECT indicator_id, actual, actual_text, score FROM results WHERE period = ? AND employee_id = ?", (period, employee_id))}
        cols = {row[1] for row in db.execute("PRAGMA table_info(totals)")}
        veto, adjustment = db.execute(f"SELECT {'veto' if 'veto' in cols else 'NULL'}, {'adjustment' if 'adjustment' in cols else 'NULL'} "
                                      "FROM totals WHERE period = ? AND employee_id = ?", (period, employee_id)).fetchone()
    grade = final.calibrated_grade or person.grade
    pay = pay_for(person.bonus_base, person.spec.grades[person.spec.grade_ranks[grade] - 1].coefficient)
    return AppealSubject(period, employee_id, person.name, person.department, person.spec, person.total, grade, pay,
                         _inputs(person.spec, rows, veto or ""), adjustment)


@dataclass
class Appeal:
    row: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return bool(self.row.get("recorded"))


def _decision(text: str) -> str | None:
    text = text.strip().lower()
    if not text:
        return "pending"
    return next((code for code, words in DECISION_WORDS.items() if text in (words[0].lower(), words[1].lower(), code)), None)


def _counts(text: Any) -> Any:
    """Several kinds of event's counts as the history and the appeal form write them, ``e1=1; e2=0``: a mapping
    (each count read as any typed count; anything else, and a kind left out, is a finding at the cell)."""
    if not isinstance(text, str):
        return text
    pairs = [part.partition("=") for part in text.replace(";", ";").split(";") if part.strip()]
    return {k.strip(): v.strip() or None for k, _, v in pairs}


def _rescore(subject: AppealSubject, corrected: dict[str, Any], where: dict[str, str], cells: dict[str, str],
             base: float | None) -> tuple[float | None, list[Finding]]:
    """The total with the corrections typed in, by the engine (None when an input cannot be read)."""
    spec = subject.spec
    typed_actuals: dict[str, Any] = {}
    typed_ratings: dict[str, dict[str, Any]] = {}
    marks: dict[str, Any] = {}
    for key, (_, _, raw, _) in subject.inputs.items():
        value = corrected.get(key, raw)
        kind, _, rest = key.partition(":")
        if kind == "actual":
            typed_actuals[rest] = _counts(value) if spec.indicator(rest).counts_events else value
        elif kind == "rating":
            iid, _, rater = rest.partition(":")
            typed_ratings.setdefault(iid, {})[rater] = value
        else:
            marks[rest] = value
    reading = read_card(spec, CardInputs(typed_actuals, typed_ratings, {}, marks), lambda key: {**where, "cell": cells.get(key, "")})
    problems = [f for f in reading.findings if f.severity == "error"]
    if reading.unusable or problems:
        return None, problems
    result = score_card(spec, reading.inputs, base)
    adjustment = corrected.get("adjustment", subject.adjustment)
    if spec.adjustments is not None:
        adjustment = max(spec.adjustments.min, min(spec.adjustments.max, float(adjustment or 0.0)))
    return final_total(result.weighted, adjustment if spec.adjustments else None, bool(result.vetoed)), []


def collect_appeals(files: Sequence[Path], history: Path, outdir: Path, templates: Mapping[str, Spec] | None = None,
                    limits: Limits = Limits()) -> tuple[list[Appeal], list[Finding], Path]:
    """Read filled appeal forms, record each decision with the original and final result, write ``appeals.csv``."""
    out: list[Appeal] = []
    records = []
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    for path in files:
        values, book = read_meta(path, limits, APPEAL_FORMAT)
        cells = json.loads(values.get("cells", "{}"))
        inputs = cells.pop("inputs", {})
        read = book.cells(book.sheets[0]).values([*cells.values(), *inputs.values()])
        text = {k: "" if read.get(ref) is None else str(read[ref]).strip() for k, ref in cells.items()}
        corrected = {k: read[ref] for k, ref in inputs.items() if read.get(ref) is not None and str(read[ref]).strip() != ""}
        eid, name = values.get("employee_id", ""), values.get("name", "")
        where = {"file": str(path), "employee_id": eid}
        appeal = Appeal({"period": values.get("period", ""), "employee_id": eid, "name": name, "file": str(path), "recorded": ""})
        out.append(appeal)
        try:
            subject = appeal_subject(history, values.get("period", ""), eid, templates)
        except UsageError as exc:
            appeal.findings += exc.findings
            continue
        if repr(subject.total) != values.get("total") or subject.grade != values.get("grade"):
            appeal.findings.append(finding("appeal-stale", **where, name=name, found=f"{values.get('total')} {values.get('grade')}",
                                           current=f"{subject.total:g} {subject.grade}"))
            continue
        decision = _decision(text.get("decision", ""))
        missing = [w for w, bad in ((Text("申诉理由", "the reason"), not text.get("reason")),
                                    (Text("有效的处理结果", "a decision of the list"), decision is None)) if bad]
        base = next((p.bonus_base for p in load_candidates(history, subject.period, templates)[0] if p.employee_id == eid), None)
        spec = subject.spec
        final_total_, final_grade = subject.total, subject.grade
        if decision == "changed":
            if corrected:
                total, problems = _rescore(subject, corrected, where, inputs, base)
                if total is None:
                    appeal.findings += problems
                    continue
                final_total_ = total
                found = grade_for(total, spec.grades)
                final_grade = found.label if found else subject.grade
            override = text.get("grade", "")
            if override:
                if override not in spec.grade_ranks:
                    appeal.findings.append(finding("calibration-other-scale", **where, name=name, calibrated=override,
                                                   labels="/".join(g.label for g in spec.grades)))
                    continue
                final_grade = override
            if not corrected and not override:
                missing.append(Text("更正后的填写或直接确定的等级", "corrected inputs or a grade"))
        if missing:
            appeal.findings.append(finding("appeal-incomplete", **where, name=name,
                                           what=Text("、".join(m.zh for m in missing), ", ".join(m.en for m in missing))))
            continue
        coefficient = spec.grades[spec.grade_ranks[final_grade] - 1].coefficient
        original_coefficient = spec.grades[spec.grade_ranks[subject.grade] - 1].coefficient
        appeal.row.update({"received": text.get("received", ""), "reason": text.get("reason", ""), "decision": decision,
                           "original_total": subject.total, "original_grade": subject.grade, "original_pay": subject.pay,
                           "final_total": final_total_, "final_grade": final_grade, "final_coefficient": coefficient,
                           "final_pay": pay_for(base, coefficient), "decided_by": text.get("decided_by", ""),
                           "decided_on": text.get("decided_on", ""), "note": text.get("note", ""), "recorded": "yes"})
        records.append((subject.period, eid, spec.id, text.get("received", ""), text.get("reason", ""), text.get("evidence", ""), decision,
                        text.get("decided_by", ""), text.get("decided_on", ""), text.get("note", ""), subject.total, subject.grade,
                        original_coefficient, subject.pay, final_total_, final_grade, coefficient, pay_for(base, coefficient),
                        json.dumps({k: str(v) for k, v in corrected.items()}, ensure_ascii=False), str(path), now))
    with open_history(history, write=True) as db:
        db.executemany("INSERT OR REPLACE INTO appeals VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", records)
    outdir.mkdir(parents=True, exist_ok=True)
    listing = outdir / "appeals.csv"
    write_csv_atomic(listing, APPEAL_COLUMNS, ([a.row.get(k, "") for k in APPEAL_COLUMNS[:-2]] +
                                               [";".join(f.code for f in a.findings), a.row["file"]] for a in out))
    return out, [f for a in out for f in a.findings], listing

"""Reading a supervisor's own goals workbook (:mod:`.supervisor`) back, and merging it with their people's returns.

Each party is trusted only for its own cells: from the supervisor's workbook only the word on each goal (同意 /
调整 / 不同意), the agreed target, the note and the sign-off; from the employee's only the employee's inputs — the
supervisor's cells there are locked and blank, and anything found in them is reported and ignored. Which people
the supervisor's workbook covers, in which rows, is the register's word, never the file's: a row whose employee
id or indicator was changed is reported and the register's used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding, finding
from ..core.refs import a1
from ..core.text import Text
from .book import numeric, signature
from .register import IssuedGoals
from .rules import agreement_of
from .supervisor import AgreementLayout, sup_word

__all__ = ["SupervisorPart", "read_supervisor", "merge_parts"]


@dataclass
class SupervisorPart:
    """What one supervisor's workbook says of one person: per goal (indicator id, ``personal_<k>``) the word, the
    agreed target and the note; the sign-off."""

    employee_id: str
    name: str
    period: str
    supervisor: str
    file: str
    sha256: str
    words: dict[str, tuple[str, float | None, str]] = field(default_factory=dict)
    signed: str = ""
    signed_on: str = ""

    def content(self) -> str:
        return json.dumps([sorted(self.words.items()), self.signed, self.signed_on], ensure_ascii=False)


def read_supervisor(book: Any, values: Mapping[str, str], rows: Sequence[Sequence[str]], issued: Mapping[tuple[str, str], IssuedGoals],
                    spec_of: Any, key: bytes | None, file: str, data: bytes, text: Any, number: Any) -> list[SupervisorPart] | list[Finding]:
    """The parts of a supervisor's returned workbook, or the findings that keep it out (``text``, ``number``: how
    collecting reads a cell)."""
    wid = values.get("workbook_id", "")
    entries = sorted((g for (w, _), g in issued.items() if w == wid and g.party == "supervisor"), key=lambda g: g.place)
    if not entries:
        return [finding("goals-not-issued", file=file, employee_id=values.get("supervisor", ""), workbook=wid or "—")]
    if key is not None and not hmac.compare_digest(values.get("signature", ""), signature(rows, key)):
        return [finding("signature-invalid", file=file, employee_id=entries[0].rater)]
    specs = [spec_of(g.spec_hash) for g in entries]
    lay = AgreementLayout(tuple((len(s.indicators), max(g.rules.personal_max, 0)) for g, s in zip(entries, specs)), entries[0].shown)
    entry = book.sheet(sup_word("sheet", entries[0].lang))
    if entry is None or not book.readable(entry):
        return [finding("goals-not-ours", file=file, detail=Text("目标确认工作表不见了", "the sheet to agree goals on is missing"))]
    wanted = [(lay.signoff_row, lay.SIGN_COL), (lay.signoff_row, lay.DATE_COL)]
    for p, s in enumerate(specs):
        wanted.append((lay.starts[p], lay.col("employee_id")))
        rows_ = [lay.role_row(p, k) for k in range(len(s.indicators))] + [lay.personal_row(p, k) for k in range(lay.blocks[p][1])]
        wanted += [(r, lay.col(c)) for r in rows_ for c in ("ind_name", "agreement", "sup_target", "sup_note")]
    refs = {a1(r, c): (r, c) for r, c in wanted}
    grid = {refs[ref]: v for ref, v in book.cells(entry).values(list(refs)).items()}
    get = lambda r, k: grid.get((r, lay.col(k)))  # noqa: E731
    sha = hashlib.sha256(data).hexdigest()
    signed, signed_on = text(grid.get((lay.signoff_row, lay.SIGN_COL))), text(grid.get((lay.signoff_row, lay.DATE_COL)))
    out: list[Any] = []
    edited: list[Finding] = []
    for p, (g, s) in enumerate(zip(entries, specs)):
        where = {"file": file, "employee_id": g.employee_id, "name": g.name}
        shown = text(get(lay.starts[p], "employee_id"))
        if shown != g.employee_id:
            edited.append(finding("goals-edited", **where, what=Text("上级目标确认表中的员工编号", "employee id on the supervisor's workbook"),
                                  found=shown or "—", issued=g.employee_id))
        part = SupervisorPart(g.employee_id, g.name, g.period, g.rater, file, sha, signed=signed, signed_on=signed_on)
        for k, ind in enumerate(s.indicators):
            r = lay.role_row(p, k)
            if text(get(r, "ind_name")) != ind.name:
                edited.append(finding("goals-edited", **where, what=Text(f"上级目标确认表第 {r + 1} 行的指标", f"indicator on row {r + 1} of the supervisor's workbook"),
                                      found=text(get(r, "ind_name")) or "—", issued=ind.name))
            part.words[ind.id] = (agreement_of(text(get(r, "agreement"))), number(get(r, "sup_target")) if numeric(ind) else None,
                                  text(get(r, "sup_note")))
        for k in range(lay.blocks[p][1]):
            r = lay.personal_row(p, k)
            part.words[f"personal_{k + 1}"] = (agreement_of(text(get(r, "agreement"))), number(get(r, "sup_target")), text(get(r, "sup_note")))
        if any(a or t is not None or n for a, t, n in part.words.values()):  # a person left blank is not yet agreed
            out.append(part)
    return edited + out if edited else out


def merge_parts(returns: Sequence[Any], parts: Sequence[SupervisorPart], findings: list[Finding]) -> None:
    """Put each supervisor's word into their people's returns (those issued ``separate``), in place: the supervisor's
    cells of the employee's own file are ignored (reported when filled); copies of one supervisor's part that
    differ are a conflict; a person whose supervisor's part is missing, or a part with no return, is reported."""
    by_person: dict[tuple[str, str], list[SupervisorPart]] = {}
    for given in parts:
        by_person.setdefault((given.employee_id, given.period), []).append(given)
    returned = set()
    for c in returns:
        if not c.issued.separate:
            continue
        eid, where = c.goals.employee_id, {"file": c.file, "employee_id": c.goals.employee_id, "name": c.goals.name}
        returned.add((eid, c.issued.period))
        typed = [g.name for g in c.goals.goals if g.agreement or g.supervisor_target is not None or g.supervisor_note]
        if typed:
            c.findings.append(finding("goals-edited", **where, what=Text("上级的单元格(上级在自己的表中确认)", "supervisor's cells (they agree in their own workbook)"),
                                      found="、".join(typed), issued="—"))
        mine = {p.content(): p for p in by_person.get((eid, c.issued.period), [])}
        part = next(iter(mine.values())) if len(mine) == 1 else None
        if len(mine) > 1:
            c.findings.append(finding("goals-conflict", employee_id=eid, name=c.goals.name,
                                      files="、".join(sorted({p.file for p in by_person[(eid, c.issued.period)]}))))
        elif part is None:
            c.findings.append(finding("goals-awaiting-supervisor", **where, supervisor=c.issued.manager or "—"))
        for g in c.goals.goals:
            g.agreement, g.supervisor_target, g.supervisor_note = part.words.get(g.indicator_id, ("", None, "")) if part else ("", None, "")
        c.goals.supervisor_signed, c.goals.signed_on = (part.signed, part.signed_on) if part else ("", "")
        if part is not None:
            c.supervisor_file, c.supervisor_sha256 = part.file, part.sha256
    for (eid, period), group in by_person.items():
        if (eid, period) not in returned:
            findings.append(finding("goals-awaiting-employee", file=group[0].file, employee_id=eid, name=group[0].name))

"""Chase who is late: one list of everything still missing, whom to ask, and what to send them.

For each person HR issued a workbook to (the register; the roster without one) the list says what is
missing — the return itself, corrections (the annotated copy from :mod:`.sendback`), a workbook to fill
in again, a rater's rating, a signature — with the person, their manager, department and e-mail, and
the file to attach. A rating or the supervisor's signature is asked of the manager; everything else of
the person. Where raters rate in workbooks of their own (issue 26), a rater who has not returned theirs
is a ``rater-file`` row for each person waiting, asked of that rater with their rating workbook attached:
consolidation finds them (:mod:`xl_kpi.consolidation.chase`, from the register's rating workbooks) and
this list is HR's one chase list — the run's own summary only names how many.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..consolidation.chase import MissingRater
from ..consolidation.formats import open_returned
from ..consolidation.inputs import Source
from ..consolidation.safety import Limits, Rejected
from ..core.files import write_csv_atomic
from ..core.text import Lang, Text
from ..sheet.person import PersonLayout
from ..spec.model import Spec
from ..spec.raters import ROLE_NAMES as RATER_ROLES
from .contacts import Contact
from .problems import ROLE_NAMES
from .returns import Returns
from .sendback import SendBack, SendBackRun, workbook_lang
from .signoff import unsigned

__all__ = ["ChaseItem", "Kind", "KINDS", "chase_list", "write_chase_list", "CHASE_COLUMNS"]

Kind = Literal["return", "correction", "reissue", "rating", "signature", "rater-file"]
KINDS: tuple[str, ...] = ("return", "correction", "reissue", "rating", "signature", "rater-file")
To = Literal["person", "manager", "hr", "rater"]
CHASE_COLUMNS = ("employee_id", "name", "department", "manager", "kind", "to", "detail", "file", "attach", "email", "manager_email",
                 "lang", "rater", "rater_email")
SIGNER_NAMES = {"employee": Text("被考核人", "the employee"), "supervisor": Text("直接上级", "the supervisor"),
                "reviewer": Text("复核人", "the reviewer"), "hr": Text("HR", "HR")}


@dataclass
class ChaseItem:
    """One thing missing for one person, and whom to ask for it."""

    employee_id: str
    name: str
    department: str
    manager: str
    kind: Kind
    to: To
    detail: Text  # what is missing, as a list shows it
    file: str = ""  # the return concerned ("" when none came back)
    attach: Path | None = None
    email: str = ""
    manager_email: str = ""
    lang: Lang = "zh"  # the person's language (their workbook's)
    rater: str = ""  # rater-file: who owes the rating workbook (name (id)), and their e-mail
    rater_email: str = ""

    def row(self, lang: Lang) -> list[Any]:
        return [self.employee_id, self.name, self.department, self.manager, self.kind, self.to, self.detail(lang), self.file,
                str(self.attach or ""), self.email, self.manager_email, self.lang, self.rater, self.rater_email]


def _rating_cells(spec: Spec) -> dict[str, tuple[str, str]]:
    """Each rating cell of a rater other than the person → (indicator name, rater role)."""
    cells = PersonLayout.for_spec(spec).cell_map(spec)
    out: dict[str, tuple[str, str]] = {}
    for ind in spec.indicators:
        for rater in ind.raters:
            role = spec.rater(rater).role
            if role != "self":
                out[cells["rating"][ind.id][rater]] = (ind.name, role)
    return out


def _file_lang(path: Path | None, default: Lang, limits: Limits) -> Lang:
    if path is None:
        return default
    try:
        book = open_returned(path.read_bytes(), limits)
    except (Rejected, OSError, ValueError, KeyError):
        return default
    return workbook_lang([s.name for s in book.sheets], default)


def chase_list(returns: Returns, sent: SendBackRun, contacts: Mapping[str, Contact], signatures: Sequence[str] = ("employee", "supervisor"),
               limits: Limits = Limits()) -> list[ChaseItem]:
    """Everything still missing for the period, person by person (by department, then id)."""
    items: list[ChaseItem] = []
    by_person: dict[str, list[SendBack]] = {}
    for s in sent.items:
        by_person.setdefault(s.employee_id, []).append(s)

    post = returns.post()  # without a roster, the manager as issued

    def item(eid: str, name: str, dept: str, kind: Kind, to: To, detail: Text, lang: Lang, file: str = "",
             attach: Path | None = None) -> ChaseItem:
        c = contacts.get(eid) or Contact(eid, name, dept, post.get(eid, ("", ""))[1])
        return ChaseItem(eid, name or c.name, dept or c.department, c.manager, kind, to, detail, file, attach, c.email,
                         c.manager_email, (c.lang or lang))  # type: ignore[arg-type]

    raters: dict[str, dict[str, tuple[str, str]]] = {}
    returned = set()
    for record in returns.records():
        returned.add(record.employee_id)
        spec = returns.specs.get(record.template)
        rated = raters.setdefault(spec.hash, _rating_cells(spec)) if spec is not None else {}
        for s in by_person.get(record.employee_id, []):
            if s.file != record.file:
                continue
            if s.action == "reissue":
                reason = s.findings[0].message if s.findings else Text("无法使用", "cannot be used")
                items.append(item(s.employee_id, s.name, s.department, "reissue", "person",
                                  Text(f"交回的考核表无法使用({reason.zh}),需在原表中重新填写",
                                       f"the return cannot be used ({reason.en}): to be filled in again in the workbook as issued"),
                                  s.lang, s.file, s.attach))
            elif s.action == "fix":
                own = [c for c in s.cells if c not in rated]
                if own:
                    items.append(item(s.employee_id, s.name, s.department, "correction", "person",
                                      Text(f"交回的考核表有 {len(own)} 处需要修改({' '.join(own)})",
                                           f"{len(own)} cell(s) of the return to correct ({' '.join(own)})"), s.lang, s.file, s.attach))
                rating: dict[str, list[str]] = {}
                for cell in s.cells:
                    if cell in rated:
                        ind, role = rated[cell]
                        rating.setdefault(role, []).append(ind)
                for role, names in rating.items():
                    items.append(item(s.employee_id, s.name, s.department, "rating", "manager" if role == "supervisor" else "hr",
                                      Text(f"待{ROLE_NAMES[role].zh}评分:{'、'.join(names)}",
                                           f"awaiting {ROLE_NAMES[role].en}'s rating: {', '.join(names)}"), s.lang, s.file, s.attach))
        source = returns.sources.get(record.file)
        if spec is not None and source is not None and record.status not in ("wrong-format", "tampered"):
            for role in unsigned(source, record.sheet, spec, signatures, limits):
                attach = next((s.attach for s in by_person.get(record.employee_id, []) if s.attach is not None), None)
                lang = next((s.lang for s in by_person.get(record.employee_id, [])), None) or _source_lang(source, spec, limits)
                items.append(item(record.employee_id, record.name, record.department, "signature",
                                  "person" if role == "employee" else "manager" if role == "supervisor" else "hr",
                                  Text(f"缺少{SIGNER_NAMES[role].zh}的结果确认签字", f"{SIGNER_NAMES[role].en}'s signature of the result is missing"),
                                  lang, record.file, attach or (Path(source.path) if source.member is None else None)))
    for s in sent.items:  # returns that did not count (another period's workbook, a copy set aside)
        if s.employee_id not in returned and s.action == "reissue":
            returned.add(s.employee_id)
            reason = s.findings[0].message if s.findings else Text("无法使用", "cannot be used")
            items.append(item(s.employee_id, s.name, s.department, "reissue", "person",
                              Text(f"交回的文件未计入本期({reason.zh}),需在本期的原表中填写",
                                   f"the file sent did not count for this period ({reason.en}): to be filled in in this period's workbook"),
                              s.lang, s.file, s.attach))
    issued = returns.issued()
    departments = {p.employee_id: p.department for p in issued}
    langs: dict[str, Lang] = {p.employee_id: spec.language for p in issued if (spec := returns.specs.get(p.template)) is not None}
    items += rater_items(returns.run.chase, contacts, returns.rating_file, departments, langs)
    expected = [(p.employee_id, p.name, p.department, p.template) for p in returns.issued()] or \
        [(p.employee_id, p.name, p.department, p.template) for p in returns.roster or []]
    for eid, name, dept, template in expected:
        if eid in returned:
            continue
        returned.add(eid)
        attach = returns.issued_file(eid)
        spec = returns.specs.get(template)
        lang = _file_lang(attach, spec.language if spec is not None else "zh", limits)
        items.append(item(eid, name, dept, "return", "person", Text("尚未交回考核表", "the scorecard has not been returned"), lang, "", attach))
    return sorted(items, key=lambda i: (i.department, i.employee_id, KINDS.index(i.kind)))


def rater_items(owed: Sequence[MissingRater], contacts: Mapping[str, Contact], rating_file: Callable[[str], Path | None],
                departments: Mapping[str, str], langs: Mapping[str, Lang]) -> list[ChaseItem]:
    """A ``rater-file`` row per person waiting for a rater who has not returned their rating workbook, asked of
    that rater (their e-mail: their own row on the roster, else — a supervisor — their people's manager_email),
    in the language of the person's card (``langs``) unless the roster says otherwise."""
    items = []
    for m in owed:
        label = m.rater_name if m.rater_name in ("", m.rater_id) else f"{m.rater_name} ({m.rater_id})"
        role = RATER_ROLES.get(m.role) or Text(m.role, m.role)
        book = f"《{m.file}》" if m.file else ""
        detail = Text(f"待{role.zh} {label} 交回评分表{book}",
                      f"awaiting the rating workbook{' ' + m.file if m.file else ''} of {label} ({role.en})")
        attach = rating_file(m.file)
        own = contacts.get(m.rater_id)
        address = own.email if own is not None else next(
            (c.manager_email for eid, _ in m.people if (c := contacts.get(eid)) is not None and c.manager_email
             and m.role == "supervisor" and c.manager in (m.rater_id, m.rater_name)), "")
        for eid, name in m.people:
            c = contacts.get(eid) or Contact(eid, name, "")
            items.append(ChaseItem(eid, name or c.name, c.department or departments.get(eid, ""), c.manager, "rater-file", "rater", detail, "", attach, c.email,
                                   c.manager_email, (c.lang or langs.get(eid, "zh")), label, address))  # type: ignore[arg-type]
    return items


def _source_lang(source: Source, spec: Spec, limits: Limits) -> Lang:
    return _file_lang(Path(source.path), spec.language, limits) if source.member is None else spec.language


def write_chase_list(items: Sequence[ChaseItem], path: Path, lang: Lang) -> Path:
    write_csv_atomic(path, CHASE_COLUMNS, (i.row(lang) for i in items))
    return path

"""Send back what is wrong: for every return with problems, the person's own file annotated, or the workbook again.

Each return is read as ``consolidate`` reads it (:mod:`.returns`). Per person, the findings decide
(:mod:`.problems`): cells someone can put right are marked on an annotated copy of the file the person
sent — highlighted, each with a comment saying what is wrong and how to fix it, and a note at the top
of their sheet listing them, in the workbook's own language (:mod:`.annotate`); a return that typing
cannot make right (rules or protection changed, another period, re-saved in another format) is to be
re-issued — the workbook as HR issued it is attached instead; what only HR can settle is listed for HR.
``sendback.csv`` lists every one, with the file to attach.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..consolidation.formats import open_returned
from ..consolidation.inputs import read_bytes
from ..consolidation.safety import Limits, Rejected
from ..core.files import write_csv_atomic
from ..core.findings import Finding, finding
from ..core.text import Lang, Text
from ..sheet.person import PersonLayout
from ..workbook.filenames import safe_name
from ..workbook.labels import label
from .annotate import NOTE_MARKS, Mark, SheetMarks, Unannotatable, annotate
from .problems import ROLE_NAMES, Action, Role, action_of, cell_roles, person_fix
from .returns import Returns

__all__ = ["SendBack", "SendBackRun", "plan_sendback", "write_sendback", "workbook_lang", "file_lang", "SENDBACK_COLUMNS"]

SENDBACK_COLUMNS = ("employee_id", "name", "department", "manager", "file", "sheet", "action", "problems", "cells", "codes",
                    "attach", "lang")
SUFFIX = {"zh": "_待修改", "en": "_to-correct"}
_SHEETS_ZH = {label(k, "zh") for k in ("ledger", "plan", "instructions", "summary")} | {"KPI考核表"}
_SHEETS_EN = {label(k, "en") for k in ("ledger", "plan", "instructions", "summary")} | {"Scorecard"}


@dataclass
class SendBack:
    """One person's return and what goes back to them."""

    employee_id: str
    name: str
    department: str
    file: str  # the return as reports name it ("" when the person returned nothing readable)
    sheet: str
    action: Action
    findings: list[Finding] = field(default_factory=list)  # the findings behind the action
    lang: Lang = "zh"
    manager: str = ""
    cells: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # whose cells are marked: employee, supervisor, reviewer
    attach: Path | None = None  # the annotated copy, or the workbook as issued
    template: str = ""

    def row(self) -> list[object]:
        return [self.employee_id, self.name, self.department, self.manager, self.file, self.sheet, self.action, len(self.findings),
                " ".join(self.cells), " ".join(sorted({f.code for f in self.findings})), str(self.attach or ""), self.lang]


@dataclass
class SendBackRun:
    items: list[SendBack]
    paths: dict[str, Path]
    findings: list[Finding]  # what could not be done (a copy that cannot be annotated, a re-issue with no workbook to send)


def workbook_lang(sheet_names: Sequence[str], default: Lang) -> Lang:
    """The language a workbook xl-kpi wrote speaks, from its sheet names; ``default`` when they do not tell."""
    names = set(sheet_names)
    if names & _SHEETS_ZH:
        return "zh"
    if names & _SHEETS_EN:
        return "en"
    return default


def file_lang(returns: Returns, file: str, template: str, limits: Limits = Limits()) -> Lang:
    """The language of a returned file (its sheet names), else its template's."""
    spec = returns.specs.get(template)
    default: Lang = spec.language if spec is not None else "zh"
    source = returns.sources.get(file)
    if source is None:
        return default
    try:
        book = open_returned(read_bytes(source, limits)[0], limits)
    except (Rejected, OSError, ValueError, KeyError):
        return default
    return workbook_lang([s.name for s in book.sheets], default)


def plan_sendback(returns: Returns, limits: Limits = Limits()) -> list[SendBack]:
    """What goes back to whom (nothing is written): one entry per person whose return asks for something."""
    by_person = returns.findings()
    managers = {eid: manager for eid, (_, manager) in returns.post().items()}  # the roster's, else as issued
    out: list[SendBack] = []
    langs: dict[str, Lang] = {}
    for record in returns.records():
        found = by_person.get((record.file, record.employee_id), [])
        actions = {f: action_of(f) for f in found}
        lang = langs.setdefault(record.file, file_lang(returns, record.file, record.template, limits))
        base = {"employee_id": record.employee_id, "name": record.name, "department": record.department, "file": record.file,
                "sheet": record.sheet, "lang": lang, "manager": managers.get(record.employee_id, ""), "template": record.template}
        if any(a == "reissue" for a in actions.values()) or record.status == "wrong-format":
            out.append(SendBack(**base, action="reissue", findings=[f for f, a in actions.items() if a == "reissue"]))  # type: ignore[arg-type]
        elif any(a == "hr" for a in actions.values()) or record.status == "conflict":
            out.append(SendBack(**base, action="hr", findings=[f for f, a in actions.items() if a == "hr"]))  # type: ignore[arg-type]
        elif any(a == "fix" for a in actions.values()):
            fixes = [f for f, a in actions.items() if a == "fix" and f.sheet == record.sheet]
            spec = returns.specs.get(record.template)
            roles = cell_roles(spec) if spec is not None else None
            cells = tuple(dict.fromkeys(f.cell for f in fixes))
            whose = tuple(sorted({roles.of(c) if roles else "employee" for c in cells}))
            out.append(SendBack(**base, action="fix", findings=fixes, cells=cells, roles=whose))  # type: ignore[arg-type]
    listed = {(s.file, s.employee_id) for s in out}
    known = {p.employee_id: (p.name, p.department) for p in returns.roster or []}
    known.update({p.employee_id: (p.name, p.department) for p in returns.issued()})
    for (file, eid), found in by_person.items():  # no kept record: a copy set aside, another period's file, a rater's workbook
        if (file, eid) in listed:
            continue
        asks = [f for f in found if action_of(f) in ("hr", "reissue")]
        fixes = [f for f in found if action_of(f) == "fix"]  # a rater's own cells (ratings issued separately): their file
        name, department = known.get(eid, ("", ""))
        if asks:
            action: Action = "reissue" if any(action_of(f) == "reissue" for f in asks) else "hr"
            out.append(SendBack(eid, name, department, file, asks[0].sheet, action, asks, manager=managers.get(eid, ""),
                                lang=file_lang(returns, file, "", limits)))
        elif fixes:
            out.append(SendBack(eid, name, department, file, fixes[0].sheet, "fix", fixes, manager=managers.get(eid, ""),
                                lang=file_lang(returns, file, "", limits), cells=tuple(dict.fromkeys(f.cell for f in fixes)),
                                roles=("rater",)))
    return out


def _comment(f: Finding, role: Role, lang: Lang, manager: str) -> str:
    who = "" if role == "employee" else ROLE_NAMES[role](lang) + (f"({manager})" if manager and role == "supervisor" else "")
    if lang == "zh":
        head = f"问题:{f.message('zh')}"
        fix = f"修改:{person_fix(f, role, 'zh')}" + (f"(由{who}填写)" if who and f.code != "missing-actual" else "")
    else:
        head = f"Problem: {f.message('en')}"
        fix = f"To fix: {person_fix(f, role, 'en')}" + (f" (to be done by {who})" if who and f.code != "missing-actual" else "")
    return f"{head}\n{fix}"


def _note(item: SendBack, lang: Lang) -> str:
    n = len(item.cells)
    if lang == "zh":
        lines = [f"{NOTE_MARKS[0]}本表有 {n} 处需要修改:每处已用红框标出并附批注(鼠标移到单元格上查看)。改好后保存,原样发回即可。"]
    else:
        lines = [f"{NOTE_MARKS[1]} {n} cell(s) need attention: each is framed in red with a comment (hover over the cell). "
                 "Correct them, save, and send the file back as it is."]
    seen: set[str] = set()
    for f in item.findings:
        if f.cell in seen:
            continue
        seen.add(f.cell)
        lines.append(f"{len(seen)}. {f.cell} {f.message(lang)}")
    return "\n".join(lines)


def _sheet_marks(returns: Returns, item: SendBack) -> SheetMarks:
    spec = returns.specs.get(item.template)
    layout = PersonLayout.for_spec(spec) if spec is not None else None
    roles = cell_roles(spec) if spec is not None else None
    marks: dict[str, list[str]] = {}
    for f in item.findings:
        role: Role = roles.of(f.cell) if roles else "employee"
        marks.setdefault(f.cell, []).append(_comment(f, role, item.lang, item.manager))
    return SheetMarks(item.sheet, tuple(Mark(cell, "\n\n".join(texts)) for cell, texts in marks.items()), _note(item, item.lang),
                      PersonLayout.TITLE_ROW + 1, layout.col.LAST_TABLE if layout is not None else 11)


def _by_sheet(marks: list[SheetMarks]) -> list[SheetMarks]:
    """One entry per sheet: a rater's sheet lists several people, each with their own cells to mark."""
    out: dict[str, SheetMarks] = {}
    for m in marks:
        had = out.get(m.sheet)
        out[m.sheet] = m if had is None else dataclasses.replace(had, marks=had.marks + m.marks, note=f"{had.note}\n{m.note}")
    return list(out.values())


def _target(outdir: Path, item: SendBack, original: str) -> Path:
    name = PurePosixPath(original.replace("\\", "/").split("!")[-1]).name
    stem, dot, ext = name.rpartition(".")
    stem = stem if dot else name
    return outdir / safe_name(item.department or "-") / f"{safe_name(stem + SUFFIX[item.lang])}.{ext if dot else 'xlsx'}"


def write_sendback(returns: Returns, outdir: Path, limits: Limits = Limits()) -> SendBackRun:
    """Plan the send-back, write each annotated copy (one per returned file, every person of it marked)
    and ``sendback.csv``; the workbook as issued is named for each re-issue."""
    items = plan_sendback(returns, limits)
    notes: list[Finding] = []
    by_file: dict[str, list[SendBack]] = {}
    for item in items:
        if item.action == "fix":
            by_file.setdefault(item.file, []).append(item)
    for file, group in by_file.items():
        source = returns.sources.get(file)
        try:
            if source is None:
                raise Unannotatable("the file is not among the inputs")
            data = annotate(read_bytes(source, limits)[0], _by_sheet([_sheet_marks(returns, item) for item in group]), limits)
        except (Unannotatable, Rejected, OSError, ValueError) as exc:
            notes.append(finding("sendback-unannotatable", file=file, detail=str(exc)))
            for item in group:
                item.action = "reissue"
            continue
        target = _target(outdir, group[0], source.label or source.member or source.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        for item in group:
            item.attach = target
    for item in items:
        if item.action == "reissue":
            item.attach = returns.issued_file(item.employee_id)
            if item.attach is None:
                notes.append(finding("sendback-no-workbook", file=item.file, employee_id=item.employee_id,
                                     why=Text("没有给出 --issued 登记册", "no --issued register was given") if returns.build_folder is None
                                     else Text("登记册所在文件夹中找不到发给此人的工作簿", "the workbook issued to them is not in the register's folder")))
    outdir.mkdir(parents=True, exist_ok=True)
    listing = outdir / "sendback.csv"
    write_csv_atomic(listing, SENDBACK_COLUMNS, (item.row() for item in items))
    return SendBackRun(items, {"sendback": listing}, notes)

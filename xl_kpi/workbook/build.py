"""Assemble scorecard workbooks: one per employee or one per department.

Each workbook is written to a temporary file beside its target and renamed into place,
so an interrupted build never leaves a half-written workbook behind.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..core.files import atomic_path, writing_to
from ..core.findings import Finding
from ..core.version import VERSION
from ..core.visible import name_part
from ..scoring.engine import CardInputs
from ..sheet.metadata import Metadata, metadata_rows
from ..sheet.person import META_SHEET
from ..sheet.printing import FONTS
from ..sheet.register import REGISTER_NAME, Issued, write_register
from ..spec.model import Person, Spec
from ..spec.raters import PersonRaters, PriorCard, input_roles, peer_rater, with_peers
from .agreement import AGREEMENT_SHEET, AgreedRow, ChangeRow, write_agreement
from .book import ScorecardWorkbook
from .filenames import FilePlan, plan_files, safe_name
from .instructions import counts_events, write_instructions
from .kpi_sheet import write_person_sheet
from .labels import label
from .ledger import write_ledger
from .parallel import build_jobs, fewer_collections, worker_count
from .plan import SEED_QUARTER_SHARES, write_plan
from .print_form import FORM_PREFIX, add_print_form, needs_print_form
from .replay import Digested, replayed
from .styles import Styles
from .summary import write_summary

__all__ = ["BuildOptions", "Built", "build_employee_workbook", "build_department_workbook", "build_all", "safe_name", "LAYOUTS",
           "FORMULA_MODES", "RATINGS_MODES", "BOOKS"]

LAYOUTS = ("employee", "department")
FORMULA_MODES = ("native", "udf")
RATINGS_MODES = ("inline", "separate")  # every rater's inputs in the employee's workbook, or each rater in a workbook of their own
BOOKS = ("all", "employees", "raters")  # which workbooks a build writes (the raters' may follow the employees' returns)

Actuals = Mapping[str, Mapping[str, Any]]  # employee_id → {indicator_id: actual}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: layout, forced language, sheet password, and pre-filled data."""

    layout: str = "employee"
    lang: str | None = None  # None: each spec's own language
    password: str = ""
    reviewer_password: str = ""  # locks the supervisor's and reviewer's cells; a roster's per-person password wins
    actuals: Actuals | None = None
    texts: Mapping[str, Mapping[str, str]] | None = None
    formulas: str = "native"  # "udf": xlwings functions in a macro-enabled workbook
    targets: Mapping[str, Mapping[str, float]] | None = None  # employee_id → {indicator_id: target}
    plan_shares: tuple[float, float, float, float] = SEED_QUARTER_SHARES  # the target plan's quarter shares
    sign_key: bytes | None = None  # HR's key: each workbook's metadata is signed with it
    issued: list[Issued] | None = None  # collects what each workbook issues, for the register
    ratings: str = "inline"  # "separate": supervisors, reviewers and peers rate in workbooks of their own
    books: str = "all"  # "employees" or "raters": only those (separate ratings)
    raters: Mapping[str, PersonRaters] | None = None  # employee_id → who rates them (from the roster or a rater list)
    rater_passwords: Mapping[str, str] | None = None  # single file: a role (supervisor, reviewer, peer) → its range's password
    prior: Mapping[str, PriorCard] | None = None  # employee_id → what they returned (rating workbooks built from results)
    agreements: Mapping[str, Sequence[AgreedRow]] | None = None  # employee_id → their agreed targets (goals collect's targets.csv)
    changes: Mapping[str, Sequence[ChangeRow]] | None = None  # employee_id → approved changes (build --changes: the register's log)
    workers: int = 0  # processes building the workbooks: 0 one per core (a large build only), 1 this process alone

    def spec_for(self, spec: Spec, person: Person) -> Spec:
        """The person's own spec: the template with their targets, when given; in a single-file workbook, with
        their peers each a rater of their own (:func:`~xl_kpi.spec.raters.with_peers`)."""
        own = spec.with_targets(dict((self.targets or {}).get(person.employee_id) or {}))
        return own if self.separate else with_peers(own, self.peer_count(spec, person))

    def peer_count(self, spec: Spec, person: Person) -> int:
        """How many peers rate the person (0 when the card has no peer rater)."""
        if peer_rater(spec) is None:
            return 0
        raters = (self.raters or {}).get(person.employee_id)
        return len(raters.peers) if raters is not None else len(person.peers)

    @property
    def separate(self) -> bool:
        return self.ratings == "separate"

    def awaiting(self, spec: Spec, person: Person) -> frozenset[str]:
        """The roles whose inputs a person's own workbook leaves to rating workbooks: those the score needs, and
        the supervisor's comment when the person has a supervisor."""
        if not self.separate:
            return frozenset()
        raters = (self.raters or {}).get(person.employee_id)
        return input_roles(spec) | ({"supervisor"} if raters is not None and raters.supervisor is not None else set())

    def prefill(self, spec: Spec, person: Person) -> tuple[CardInputs | None, Mapping[str, str] | None]:
        """What to pre-fill in the person's own workbook: everything given, or — ratings issued separately —
        only what the employee fills (their actuals and own ratings; not the comment): the rest goes in the
        raters' workbooks."""
        values = (self.actuals or {}).get(person.employee_id)
        texts = (self.texts or {}).get(person.employee_id)
        if values is None:
            return None, texts
        inputs = CardInputs.of(spec, values)
        if not self.separate:
            return inputs, texts
        selves = {r.id for r in spec.raters if r.by_employee}
        own = {ind.id: {r: v for r, v in (inputs.ratings.get(ind.id) or {}).items() if r in selves} for ind in spec.indicators if ind.rated}
        return (CardInputs(inputs.actuals, own, {}, {}, inputs.bonus_base),
                {k: v for k, v in (texts or {}).items() if k != "comment"})

    def extra_metadata(self) -> list[list[str]]:
        return [["ratings", "separate"]] if self.separate else []

    def reviewer_password_for(self, person: Person) -> str:
        return person.reviewer_password or self.reviewer_password

    @property
    def suffix(self) -> str:
        return ".xlsm" if self.formulas == "udf" else ".xlsx"


UDF_MODULE = "xl_kpi.udf.functions"  # the installed package's sheet functions: no PYTHONPATH needed
RESERVED_SHEETS = frozenset({META_SHEET.casefold(), "xlwings.conf", "history"})  # ours, xlwings', and Excel's own


def _utf16_cut(text: str, units: int) -> str:
    """``text`` cut to at most ``units`` UTF-16 code units (how Excel counts a sheet name's 31), never inside a character."""
    out, used = [], 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > units:
            break
        out.append(ch)
        used += size
    return "".join(out)


def _sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique (case-insensitively, as Excel compares) sheet name of ≤ 31 UTF-16 units: no
    control or bidi characters or []:*?/\\, no apostrophe or ! (they would need quoting in every reference and
    defined name: ’ and ！ read the same), never one of the reserved names."""
    cleaned = _BAD_SHEET_CHARS.sub("_", name_part(text)).replace("'", "’").replace("!", "！").strip() or "Sheet"
    base = _utf16_cut(cleaned, 31).strip() or "Sheet"
    name, n = base, 2
    while name.casefold() in taken or name.casefold() in RESERVED_SHEETS:
        suffix = f"~{n}"
        name = _utf16_cut(base, 31 - len(suffix)) + suffix
        n += 1
    taken.add(name.casefold())
    return name


def _new_workbook(path: Path, lang: str) -> ScorecardWorkbook:
    # in_memory: XlsxWriter otherwise writes every part to a temporary file before zipping.
    return ScorecardWorkbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True,
                                         "default_format_properties": dict(FONTS[lang])})


def _xlwings_vba_project() -> bytes:
    """The VBA project of xlwings' own quickstart workbook: what `xlwings quickstart` gives users."""
    try:
        import xlwings
    except ImportError:
        raise UsageError("needs-xlwings") from None
    template = Path(xlwings.__file__).parent / "quickstart.xlsm"
    with zipfile.ZipFile(template) as zf:
        return zf.read("xl/vbaProject.bin")


def _udf_setup(wb: ScorecardWorkbook, options: BuildOptions) -> str:
    """What xlwings needs to find the functions: its VBA project and an xlwings.conf sheet.

    Returns the SHA-256 of the VBA project ("" in native mode), recorded in the metadata so
    that consolidation can tell the issued macros from changed ones.
    """
    if options.formulas != "udf":
        return ""
    project = _xlwings_vba_project()
    wb.add_vba_project(io.BytesIO(project), is_stream=True)
    conf = wb.add_worksheet("xlwings.conf")
    conf.write_string(0, 0, "UDF Modules")
    conf.write_string(0, 1, UDF_MODULE)
    conf.write_string(2, 0, "xl-kpi: pip install \"xl-kpi[udf]\", then Import Functions on the xlwings tab "
                            "(see docs/excel-addin.md)")
    conf.set_column(0, 0, 16)
    conf.hide()
    return hashlib.sha256(project).hexdigest()


def _write_metadata(wb: ScorecardWorkbook, rows: list[list[str]], password: str) -> None:
    """The very hidden, protected metadata sheet (its rows from :func:`~xl_kpi.sheet.metadata.metadata_rows`)."""
    wb.add_hidden_record(META_SHEET, rows, password)


def _record_issue(options: BuildOptions, rows: list[list[str]], target: Path, people: Mapping[str, Person]) -> None:
    """What this workbook issues, for the register HR keeps (``people``: the workbook's, by id)."""
    if options.issued is None:
        return
    meta = Metadata(rows)
    wid, signed = meta.values["workbook_id"], "signature" in meta.values
    raters = options.raters or {}
    options.issued.extend(Issued(wid, p["employee_id"], target.name, p["sheet"], p["name"], p["department"], p["template"],
                                 p["version"], p["spec_hash"], p["period"], p["targets"], signed, p.get("bonus_base", ""),
                                 p.get("protection", ""), "separate" if options.separate else "",
                                 raters[p["employee_id"]].to_json()
                                 if p["employee_id"] in raters and (options.separate or raters[p["employee_id"]].peers) else "",
                                 position=people[p["employee_id"]].position, manager=people[p["employee_id"]].manager)
                          for p in meta.people)


def _finish(wb: ScorecardWorkbook, tmp: Path, target: Path, password: str) -> None:
    wb.lock_structure(password)
    try:
        wb.close()
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def build_employee_workbook(target: Path, spec: Spec, person: Person, options: BuildOptions = BuildOptions()) -> Path:
    """One person's workbook: scorecard, PDCA ledger, target plan, instructions, metadata."""
    lang = options.lang or spec.language
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic_path(target)
    wb = _new_workbook(tmp, lang)
    styles = Styles(wb)
    sheet = "KPI考核表" if lang == "zh" else "Scorecard"
    ws = wb.add_worksheet(sheet)
    actuals, texts = options.prefill(spec, person)
    own = options.spec_for(spec, person)
    cells, _, protection = write_person_sheet(wb, ws, styles, own, person, lang, actuals, texts, options.password, options.formulas,
                                              options.reviewer_password_for(person), options.rater_passwords, options.awaiting(spec, person),
                                              replay=True)
    add_print_form(wb, ws, sheet, styles, own, person, lang, options.password, replay=True)
    # The same ledger, plan and instructions for everyone of a template: replayed from the last workbook whose were
    # written from the same inputs (the plan: the person's period and their own spec) — workbook/replay.py.
    replayed(wb.add_worksheet(label("ledger", lang)), styles, ("ledger", lang, options.password),
             lambda ws: write_ledger(ws, styles, lang, password=options.password))
    replayed(wb.add_worksheet(label("plan", lang)), styles, ("plan", lang, options.password, options.plan_shares, person.period,
                                                                          Digested(own, own.hash)),
             lambda ws: write_plan(ws, styles, lang, [(person, own)], options.password, shares=options.plan_shares))
    events = counts_events(own)
    replayed(wb.add_worksheet(label("instructions", lang)), styles, ("instructions", lang, options.password, events),
             lambda ws: write_instructions(ws, styles, lang, options.password, events))
    agreed, changed = (options.agreements or {}).get(person.employee_id), (options.changes or {}).get(person.employee_id)
    if agreed or changed:
        write_agreement(wb.add_worksheet(AGREEMENT_SHEET[lang]), styles, lang, own, agreed or (), options.password, changed or ())
    vba = _udf_setup(wb, options)
    rows = metadata_rows("employee", [spec], [(sheet, person, spec, cells, protection)], f"xl-kpi {VERSION}", options.formulas, vba,
                         options.targets, options.sign_key, options.extra_metadata(),
                         {person.employee_id: options.peer_count(spec, person)} if not options.separate else None)
    _write_metadata(wb, rows, options.password)
    _record_issue(options, rows, target, {person.employee_id: person})
    ws.activate()
    _finish(wb, tmp, target, options.password)
    return target


def build_department_workbook(target: Path, department: str, members: list[tuple[Person, Spec]],
                              options: BuildOptions = BuildOptions()) -> Path:
    """One workbook per department: a live summary, a sheet per person, shared ledger and plan."""
    langs = [spec.language for _, spec in members]
    lang = options.lang or max(set(langs), key=langs.count)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic_path(target)
    wb = _new_workbook(tmp, lang)
    styles = Styles(wb)
    taken: set[str] = set()
    summary_name = _sheet_name(label("summary", lang), taken)
    summary = wb.add_worksheet(summary_name)
    rows = []
    meta_people = []
    forms: list[tuple[Any, str, Spec, Person, str]] = []
    for person, spec in members:
        name = _sheet_name(f"{person.name}_{person.employee_id}", taken)
        ws = wb.add_worksheet(name)
        actuals, texts = options.prefill(spec, person)
        own = options.spec_for(spec, person)
        cells, shown, protection = write_person_sheet(wb, ws, styles, own, person, options.lang or spec.language, actuals, texts,
                                                      options.password, options.formulas, options.reviewer_password_for(person),
                                                      options.rater_passwords, options.awaiting(spec, person))
        if needs_print_form(own):
            forms.append((ws, name, own, person, options.lang or spec.language))
        rows.append((name, person, own, cells, shown))
        meta_people.append((name, person, spec, cells, protection))
    for ws, name, own, person, sheet_lang in forms:  # the print forms after the cards (which stay side by side): 打印_张三_E001
        form = _sheet_name(f"{FORM_PREFIX[sheet_lang]}_{person.name}_{person.employee_id}", taken)
        add_print_form(wb, ws, name, styles, own, person, sheet_lang, options.password, name=form)
    write_summary(wb, summary, styles, lang, department, rows, options.password)
    employees = [f"{p.name} ({p.employee_id})" for p, _ in members]
    write_ledger(wb.add_worksheet(_sheet_name(label("ledger", lang), taken)), styles, lang, employees, options.password)
    write_plan(wb.add_worksheet(_sheet_name(label("plan", lang), taken)), styles, lang,
               [(person, own) for _, person, own, _, _ in rows], options.password, with_employee=True,
               shares=options.plan_shares)
    write_instructions(wb.add_worksheet(_sheet_name(label("instructions", lang), taken)), styles, lang, options.password,
                       any(counts_events(own) for _, _, own, _, _ in rows))
    specs = list({spec.id: spec for _, spec in members}.values())
    vba = _udf_setup(wb, options)
    peers = None if options.separate else {p.employee_id: options.peer_count(spec, p) for p, spec in members}
    meta = metadata_rows("department", specs, meta_people, f"xl-kpi {VERSION}", options.formulas, vba, options.targets,
                         options.sign_key, options.extra_metadata(), peers)
    _write_metadata(wb, meta, options.password)
    _record_issue(options, meta, target, {p.employee_id: p for p, _ in members})
    summary.activate()
    _finish(wb, tmp, target, options.password)
    return target


class Built(list[Path]):
    """The workbooks a build wrote, and ``findings``: names that had to be numbered or shortened."""

    def __init__(self, paths: Iterable[Path], findings: Iterable[Finding] = ()) -> None:
        super().__init__(paths)
        self.findings = list(findings)


def build_all(specs: Mapping[str, Spec], people: Iterable[Person], outdir: Path, options: BuildOptions = BuildOptions(),
              progress: Callable[[int], None] | None = None) -> Built:
    """Build every roster person's workbook(s); returns the paths written (and, as ``findings``, the
    names that had to be numbered or shortened to stay unique and valid).

    Every name is decided before anything is written, the workbooks are written into a hidden
    folder inside ``outdir``, then the register is updated, then the workbooks are moved into
    place: a build that fails (a full disk, a path that cannot be written) leaves neither
    workbooks nor register entries of its own behind.
    """
    if options.formulas not in FORMULA_MODES:
        raise UsageError("bad-option", option="formulas", value=options.formulas, allowed=" | ".join(FORMULA_MODES))
    if options.layout not in LAYOUTS:
        raise UsageError("bad-option", option="layout", value=options.layout, allowed=" | ".join(LAYOUTS))
    if options.ratings not in RATINGS_MODES:
        raise UsageError("bad-option", option="ratings", value=options.ratings, allowed=" | ".join(RATINGS_MODES))
    if options.books not in BOOKS:
        raise UsageError("bad-option", option="books", value=options.books, allowed=" | ".join(BOOKS))
    if options.books != "all" and not options.separate:
        raise UsageError("ratings-mode", option=f"--books {options.books}")
    people = list(people)
    departments: dict[str, list[tuple[Person, Spec]]] = {}
    for person in people:
        departments.setdefault(person.department, []).append((person, specs[person.template]))
    from .rating_build import plan_rating_books

    employees = options.books != "raters"
    plan = plan_files(options.layout, people, departments, options.suffix) if employees else FilePlan((), ())
    ratings = plan_rating_books(specs, people, options, plan) if options.separate and options.books != "employees" else None
    written = [*plan.paths, *(ratings.paths if ratings else ())]
    outdir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".xl-kpi-build-", dir=outdir))
    own_register = options.issued is None  # else the caller collects what is issued
    issued: list[Issued] = [] if options.issued is None else options.issued
    options = dataclasses.replace(options, issued=issued)
    try:
        with writing_to(outdir, name_file=False), fewer_collections():  # the files are in the hidden folder: name the output folder
            workers = worker_count(options.workers, len(people))
            if not employees:
                pass
            elif options.layout == "employee":
                build_jobs(build_employee_workbook, [(stage / rel, (specs[person.template], person), 1)
                                                     for person, rel in zip(people, plan.paths)], options, workers, progress)
            else:
                build_jobs(build_department_workbook, [(stage / rel, (department, members), len(members))
                                                       for (department, members), rel in zip(departments.items(), plan.paths)],
                           options, workers, progress)
            if ratings is not None:
                ratings.write(stage, options, progress)
            if own_register:  # the register beside the workbooks: what HR issued (and the rules it issued), to check returns against
                used = {specs[p.template].hash: specs[p.template] for p in people}
                write_register(outdir / REGISTER_NAME, issued, datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                               [(h, s.id, s.version, s.canonical_json) for h, s in used.items()])
            for rel in written:
                (outdir / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(stage / rel, outdir / rel)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return Built((outdir / rel for rel in written), [*plan.findings, *(ratings.findings if ratings else ())])

"""Read one returned file: open it through its format, identify it, check every person's sheet, recompute.

Nothing in the file is trusted. It is opened through the seam (:mod:`.formats`: .xlsx, .ods — each
part inflated, bounded, CRC- and prolog-checked by the format, never by this module); its metadata says
which template, version, period and person it claims to be, and is checked against HR's templates and
register (:mod:`.identity`); each person's sheet is found by its name or, renamed, by the employee id
its defined name holds, and read in named steps (:mod:`.person_read`). Everything wrong becomes a
:class:`Finding`. A fault of the file is reported as the file's (``corrupt-file`` and the codes of the
package checks); a fault of this reader as ``reader-error`` — never as a damaged file — and raised
instead when ``XL_KPI_DEBUG`` is set (``xl-kpi --debug``).
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Mapping
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from ..core.findings import Finding, finding
from ..core.text import Text
from ..sheet.metadata import Metadata
from ..sheet.person import FORMAT_VERSION, META_SHEET
from ..sheet.register import Issued, Register
from ..spec.model import Spec
from ..spec.raters import PersonRaters, with_peers
from .caches import ReaderCache
from .formats import open_returned
from .identity import check_issued, issued_spec, pay_base, resolve_spec, targets_of
from .inputs import Source, read_bytes
from .other_formats import is_legacy_xls, tie_xls
from .own_inputs import others_keys
from .person_read import INTEGRITY_CODES, Sheet, protection_findings, read_person
from .record import FileResult, PersonRecord
from .returned import ReturnedBook, SheetEntry
from .safety import Limits, Rejected

__all__ = ["PersonRecord", "FileResult", "read_source", "INTEGRITY_CODES"]

META_ROWS, META_COLS = 5_000, 40  # the metadata read: a department of thousands fits; nothing beyond is read
# What a damaged or hostile file makes a parser raise: the file's fault. Anything else raised while reading is this reader's.
FILE_FAULTS = (ParseError, DefusedXmlException, zlib.error, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, struct.error, UnicodeError)


def read_source(source: Source, templates: Mapping[str, Spec] | None, limits: Limits = Limits(),
                register: Register | None = None, bases: Mapping[str, float | None] | None = None,
                cache: ReaderCache | None = None) -> FileResult:
    """Read, check and recompute one returned file; never raises for a bad file. With HR's ``register``,
    who the file belongs to, for which period, the rules, targets and bonus base that apply come from it,
    not the file; with the roster's ``bases`` (employee id → bonus base), pay is computed on those.
    ``cache`` is what the reader remembers across files (the runner keeps one per worker)."""
    cache = cache if cache is not None else ReaderCache()
    file = source.display
    out = FileResult(source=file)
    try:
        data, mtime = read_bytes(source, limits)
        if is_legacy_xls(data):  # a generated workbook re-saved as .xls: tied to its people, not scored
            return tie_xls(data, file, templates, mtime, cache)
        book = open_returned(data, limits, cache)
        meta = _metadata(book, file, out)
    except Exception as exc:  # noqa: BLE001 - every fault of the file is a finding; ours too, named as ours
        out.issues.append(_fault(exc, {"file": file}))
        return out
    if meta is None:
        return out
    if meta.values.get("layout") == "rater":  # a rater's own workbook: a row per person it rates
        from .rating_reader import read_rating_workbook

        try:
            return read_rating_workbook(out, book, meta, templates, register, mtime, cache)
        except Exception as exc:  # noqa: BLE001 - as above: the file's fault, or ours named as ours
            out.issues.append(_fault(exc, {"file": file}))
            return out
    _read_people(book, meta, file, mtime, templates, register, bases, cache, out)
    return out


def _fault(exc: BaseException, where: dict[str, str]) -> Finding:
    """The finding for what was raised while reading: the file's fault, or this reader's (re-raised under
    ``XL_KPI_DEBUG``). A memory error is neither: the runner reports the memory limit."""
    if isinstance(exc, MemoryError):
        raise exc
    if isinstance(exc, Rejected):
        return finding(exc.code, **where, **exc.fields)
    if isinstance(exc, (OSError, *FILE_FAULTS)):
        return finding("corrupt-file", **where, detail=f"{type(exc).__name__}: {exc}"[:300] if not isinstance(exc, OSError) else str(exc))
    if os.environ.get("XL_KPI_DEBUG"):
        raise exc
    return finding("reader-error", **where, detail=f"{type(exc).__name__}: {exc}"[:300])


def _metadata(book: ReturnedBook, file: str, out: FileResult) -> Metadata | None:
    """The hidden metadata sheet: which template, version, period and people the file claims to be."""
    meta_entry = book.sheet(META_SHEET)
    if meta_entry is None:
        out.issues.append(finding("not-a-scorecard", file=file))
        return None
    names = [s.name.casefold() for s in book.sheets]
    if len(set(names)) != len(names) or not book.readable(meta_entry):
        raise Rejected("corrupt-file", detail=Text(f"{book.index} 中的工作表列表有歧义", f"{book.index} lists its sheets ambiguously"))
    grid = book.grid(meta_entry, META_ROWS, META_COLS)
    try:
        return Metadata(grid)
    except ValueError as exc:
        out.issues.append(finding("metadata-invalid", file=file, detail=str(exc)))
        return None


def _read_people(book: ReturnedBook, meta: Metadata, file: str, mtime: float, templates: Mapping[str, Spec] | None,
                 register: Register | None, bases: Mapping[str, float | None] | None, cache: ReaderCache,
                 out: FileResult) -> None:
    """Every person the metadata lists, each read from their own sheet with the rules that apply."""
    sheets_named = [row.get("sheet", "") for row in meta.people]
    if len(sheets_named) > len(book.sheets) - 1 or len(set(sheets_named)) != len(sheets_named):
        # each person issued has a sheet of their own: a metadata listing more is forged or broken
        out.issues.append(finding("metadata-invalid", file=file, detail=Text(
            f"列出 {len(sheets_named)} 人,却只有 {len(book.sheets) - 1} 张表,或两人同在一张表上;均未读取",
            f"{len(sheets_named)} people listed for {len(book.sheets) - 1} sheets, or two people on one sheet; none read")))
        return
    resolved = {spec_id: resolve_spec(file, spec_id, version, recorded_hash, blob, templates, out.issues, cache)
                for spec_id, version, recorded_hash, blob in meta.specs}
    out.specs = {k: spec for k, (spec, _) in resolved.items() if spec is not None}
    if not meta.people:
        out.issues.append(finding("metadata-invalid", file=file, detail=Text("没有记录任何人", "no people recorded")))
    digest = book.macro_digest()
    if digest and digest != meta.values.get("vba_sha256"):
        out.issues.append(finding("macros-present", file=file))  # issued UDF workbooks carry xlwings' known project
    out.issues += book.brought_in(file)  # external links, embedded objects, ActiveX, data connections: reported, never opened
    format_version = _format_version(meta.values.get("format_version", ""))
    mode = meta.values.get("formulas", "native")
    if mode not in ("native", "udf"):
        out.issues.append(finding("metadata-invalid", file=file, detail=f"unknown formula mode {mode!r}"))
        return
    renamed: dict[str, SheetEntry] | None = None
    signed = register is None or register.key is None or meta.signed_by(register.key)  # once per file
    for row in meta.people:
        sheet, eid = row.get("sheet", ""), row.get("employee_id", "")
        try:
            entry = book.sheet(sheet)
            if entry is None:
                renamed = renamed if renamed is not None else _sheets_by_id(book)  # read only if a sheet was renamed
                entry = renamed.get(eid)
                if entry is None:
                    out.issues.append(finding("sheet-missing", file=file, sheet=sheet, employee_id=eid, missing=sheet))
                    continue
                out.issues.append(finding("sheet-renamed", file=file, sheet=entry.name, employee_id=eid, old=sheet, new=entry.name))
            cells_of = book.cells(entry)
            person = _person(row, resolved, meta, signed, templates, register, file, entry, out, cache)
            if person is None:
                continue
            base, row, issued, targets = person
            separate = _separate(meta, issued)
            # one file: each peer a rater of their own, as many as were issued (then the person's own targets)
            shaped = base if separate else _with_peers(base, _peer_count(row, issued), cache)
            spec = shaped.with_targets(targets)
            where = {"file": file, "sheet": entry.name, "employee_id": eid}
            changes = register.approved_targets(eid, row.get("period", ""))[1] if register is not None else ()
            s = Sheet(file, row, spec, cells_of, book.local_names(entry), entry.name, mode, format_version, cache,
                      pay_base(row, eid, bases, out.issues, where), meta.values.get("workbook_id", ""), mtime, separate, changes,
                      base=shaped)
            guards = not separate and bool(others_keys(spec))  # others' inputs this file carries and consolidation reads
            out.issues += protection_findings(row.get("protection", ""), cells_of.protection(), where, cache, guards)
            record = read_person(s, out.issues)
            if record.pending is not None:  # what merging the raters' parts needs: the rules as issued, the person's targets, raters
                record.pending.spec_json = base.canonical_json  # scored with the approved changes, as the employee's part was
                record.pending.targets = {**(targets or {}), **{c.indicator_id: c.new for c in changes}} if changes else targets
                record.pending.raters = issued.raters if issued is not None else ""
                record.pending.issue = issued.spec_hash if issued is not None else row.get("spec_hash", "")
            out.records.append(record)
        except Exception as exc:  # noqa: BLE001 - as in read_source: the file's fault, or ours named as ours
            out.issues.append(_fault(exc, {"file": file, "sheet": sheet, "employee_id": eid}))


def _person(row: dict[str, str], resolved: dict[str, tuple[Spec | None, Spec | None]], meta: Metadata, signed: bool,
            templates: Mapping[str, Spec] | None, register: Register | None, file: str, entry: SheetEntry,
            out: FileResult, cache: ReaderCache) -> tuple[Spec, dict[str, str], Issued | None, dict[str, float] | None] | None:
    """The rules a person is scored with (before their targets are applied), their row as it applies, what HR
    issued them and their targets: with the register, the rules, period, targets, bonus base and protection as issued — never
    what the file says."""
    template, eid = row.get("template", ""), row.get("employee_id", "")
    spec, embedded = resolved.get(template, (None, None))
    targets = targets_of(row.get("targets", ""), cache)
    issued: Issued | None = None
    if register is not None:
        targets, issued = check_issued(register, meta, signed, row, targets, out.issues, file, entry.name, spec)
        if issued is not None:
            spec = issued_spec(register, issued, templates, embedded, cache) or spec
            row = {**row, "period": issued.period, "bonus_base": issued.bonus_base or row.get("bonus_base", "")}
            if issued.protection:
                row["protection"] = issued.protection
            if spec is not None:
                out.specs.setdefault(spec.id, spec)
    if spec is None:
        if template not in resolved or register is not None:
            out.issues.append(finding("unknown-template", file=file, sheet=row.get("sheet", ""), employee_id=eid, template=template))
        return None
    return spec, row, issued, targets


def _with_peers(spec: Spec, n: int, cache: ReaderCache) -> Spec:
    """The spec with ``n`` peers rating (:func:`with_peers`), made once per reader for each count (one object, so
    its hash and plan are worked out once)."""
    key = (spec.hash, n)
    found = cache.shaped.get(key)
    if found is None or found[0] is not spec:
        found = cache.shaped.put(key, (spec, with_peers(spec, n)))
    return found[1]


def _separate(meta: Metadata, issued: Issued | None) -> bool:
    """Whether the person's raters were issued workbooks of their own: the register's word, else the file's."""
    if issued is not None:
        return issued.ratings == "separate"
    return meta.values.get("ratings", "") == "separate"


def _peer_count(row: dict[str, str], issued: Issued | None) -> int:
    """How many peers rate a person whose sheet carries their ratings: as issued, else the file's word."""
    if issued is not None and issued.raters:
        return len(PersonRaters.from_json(issued.raters).peers)
    text = row.get("peers", "")
    return int(text) if text.isdigit() and int(text) <= 100 else 0


def _sheets_by_id(book: ReturnedBook) -> dict[str, SheetEntry]:
    """Employee id (from each sheet's KPI_EMPLOYEE_ID name) → sheet, for sheets renamed since issue."""
    found: dict[str, SheetEntry] = {}
    for candidate in book.sheets:
        ref = book.local_names(candidate).get("KPI_EMPLOYEE_ID")
        if ref is None or not book.readable(candidate):
            continue
        value = book.cells(candidate).values([ref])[ref]
        if value is not None:
            found.setdefault(str(value).strip(), candidate)
    return found


def _format_version(text: str) -> int:
    """The workbook format a return was written in (1 when unreadable: the formulas of the first format
    are then expected, and any other formula is reported as changed)."""
    return int(text) if text.isdigit() and 1 <= int(text) <= FORMAT_VERSION else 1

"""Read a rater's own workbook (layout ``rater``): each person's ratings, on the row that holds their id.

Nothing in it is trusted but the rater's inputs, and only for the people the rater was issued: with HR's
register the workbook must be one HR issued to that rater in that role (a workbook relabelled for
another rater or team is ``issued-mismatch``: none of it is used) and each person rated must be one
it was issued for (a rating of anyone else is refused: ``rating-not-issued``); with HR's key its
metadata must be signed. Each template's sheet is laid out again from the rules (the layout the
metadata records must be it); each person is found by their id in the employee-id column, whatever
row the rater sorted it to, and their inputs are read there as every typed input is read
(:mod:`xl_kpi.scoring.normalize`, :mod:`xl_kpi.scoring.inputs`). The result is one
:class:`~.parts.RatingPart` per person, merged with the person's own return by :mod:`.merge`.

A rating workbook is opened through the same seam as every return (:mod:`.returned`, :mod:`.formats`:
each part inflated, bounded, CRC- and prolog-checked by the format) and its metadata read by
:mod:`.reader`; this module sees only the opened book and its metadata, so a rater's workbook re-saved
as .ods is read like one kept as .xlsx.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..core.findings import Finding, finding
from ..core.periods import period_code
from ..core.refs import a1, col_letter
from ..core.text import Text
from ..scoring.inputs import read_count, read_mark
from ..scoring.normalize import normalise_actual, normalise_finding
from ..sheet.metadata import Metadata
from ..sheet.rating_layout import RatingColumn, RatingLayout
from ..sheet.register import Register
from ..spec.model import Spec
from ..spec.raters import RATER_ROLES
from .caches import ReaderCache
from .identity import canonical_spec
from .parts import RatingPart
from .record import FileResult
from .returned import ReturnedBook, SheetReader

__all__ = ["read_rating_workbook"]


def _spec(template: str, spec_hash: str, meta: Metadata, templates: Mapping[str, Spec] | None, register: Register | None,
          issued_hash: str | None, cache: ReaderCache) -> Spec | None:
    """The rules a person's ratings are read by: as issued (the register's copy), else HR's template, else the
    file's own copy checked against its hash (on trust)."""
    if register is not None and issued_hash:
        canonical = register.specs.get(issued_hash)
        if canonical is not None:
            try:
                return canonical_spec(canonical, cache)
            except (ValueError, KeyError, TypeError):
                pass
    if templates is not None:
        return templates.get(template)
    for spec_id, _, recorded, blob in meta.specs:
        if spec_id == template and recorded == spec_hash:
            try:
                spec = canonical_spec(blob, cache)
            except (ValueError, KeyError, TypeError):
                return None
            return spec if spec.hash == recorded else None
    return None


def read_rating_workbook(out: FileResult, book: ReturnedBook, meta: Metadata, templates: Mapping[str, Spec] | None,
                         register: Register | None, mtime: float, cache: ReaderCache) -> FileResult:
    """Read one rater's workbook into ``out`` (its parts and issues). A fault of the file raises as it does
    for any return (the caller reports it)."""
    file = out.source
    role, rater_id, rater_name = (meta.values.get(k, "") for k in ("rater_role", "rater_id", "rater_name"))
    wid = meta.values.get("workbook_id", "")
    if role not in RATER_ROLES or not rater_id:
        out.issues.append(finding("metadata-invalid", file=file, detail=Text(f"评分表没有记录评分人或其角色({role!r})",
                                                                        f"a rating workbook without its rater or role ({role!r})")))
        return out
    digest = book.macro_digest()
    if digest and digest != meta.values.get("vba_sha256"):
        out.issues.append(finding("macros-present", file=file))
    out.issues += book.brought_in(file)  # external links, embedded objects, ActiveX, data connections: reported, never opened
    rater = Text(f"{rater_name}({rater_id})" if rater_name and rater_name != rater_id else rater_id,
                 f"{rater_name} ({rater_id})" if rater_name and rater_name != rater_id else rater_id)
    if register is not None and not _as_issued(register, meta, wid, role, rater_id, file, out.issues):
        return out  # not HR's, or relabelled: none of it is used
    sheets: dict[str, list[dict[str, str]]] = {}
    for row in meta.people:
        sheets.setdefault(row.get("sheet", ""), []).append(row)
    for name, rows in sheets.items():
        entry = book.sheet(name)
        if entry is None or not book.readable(entry):
            out.issues.append(finding("sheet-missing", file=file, sheet=name, missing=name))
            continue
        _read_sheet(out, book.cells(entry), name, rows, meta, templates, register, role, rater_id, rater_name, rater, wid, mtime, cache)
    return out


def _as_issued(register: Register, meta: Metadata, wid: str, role: str, rater_id: str, file: str, issues: list[Finding]) -> bool:
    """The workbook as HR issued it: known to the register, signed when HR signs, for this rater in this role."""
    if register.key is not None and not meta.signed_by(register.key):
        issues.append(finding("signature-invalid", file=file))
        return False
    rows = list(register.books.get(wid, {}).values())
    if not rows:
        issues.append(finding("not-issued", file=file))
        return False
    issued = rows[0]
    for what, found, want in ((Text("评分人", "the rater"), rater_id, issued.rater_id), (Text("评分角色", "the role"), role, issued.role)):
        if found != want:
            issues.append(finding("issued-mismatch", file=file, what=what, found=found or "—", issued=want or "—"))
            return False
    return True


def _read_sheet(out: FileResult, cells: SheetReader, name: str, rows: list[dict[str, str]], meta: Metadata,
                templates: Mapping[str, Spec] | None, register: Register | None, role: str, rater_id: str, rater_name: str,
                rater: Text, wid: str, mtime: float, cache: ReaderCache) -> None:
    file = out.source
    first = rows[0]
    issued_first = register.person(wid, first.get("employee_id", "")) if register is not None else None
    spec = _spec(first.get("template", ""), first.get("spec_hash", ""), meta, templates, register,
                 issued_first.spec_hash if issued_first is not None else None, cache)
    if spec is None:
        out.issues.append(finding("unknown-template", file=file, sheet=name, template=first.get("template", "")))
        return
    out.specs.setdefault(spec.id, spec)
    recorded = _json(first.get("cellmap", ""))
    prior = bool(recorded.get("prior")) if isinstance(recorded, dict) else False
    shown = tuple(str(r) for r in recorded.get("shown", [])) if isinstance(recorded, dict) else ()
    sheet = _layout(spec, role, len(rows), prior, tuple(r for r in shown if any(x.id == r for x in spec.raters)), cache)
    layout, id_col, id_letter = sheet.layout, sheet.id_col, sheet.id_letter
    last = layout.last_row + layout.SLACK
    in_column = getattr(cells, "rows_in_column", None)  # the .xlsx reader finds them in one pass over the sheet
    ids = in_column(id_letter, layout.FIRST_ROW, last) if in_column is not None else None
    ids = ids if ids is not None else list(range(layout.FIRST_ROW, last + 1))  # every row a person could have been moved to
    id_refs = [f"{id_letter}{r + 1}" for r in ids]
    on_rows = cells.values(id_refs)
    where_is: dict[str, list[int]] = {}
    for r, ref in zip(ids, id_refs):
        value = on_rows[ref]
        if value is not None and str(value).strip():
            where_is.setdefault(str(value).strip(), []).append(r)
    issued_here: dict[str, int] = {}
    moved = []
    for k, row in enumerate(rows):
        eid = row.get("employee_id", "")
        if isinstance(recorded, dict) and not sheet.as_issued(k, row.get("cellmap", "")):
            out.issues.append(finding("metadata-invalid", file=file, sheet=name, employee_id=eid,
                                      detail="the cell map does not match the rating sheet's layout; cells read from its layout"))
        issued = register.person(wid, eid) if register is not None else None
        if register is not None and issued is None:
            at = where_is.get(eid) or [layout.row(k)]  # the row holding their id, wherever the rater sorted it
            out.issues.append(finding("rating-not-issued", file=file, sheet=name, employee_id=eid, cell=a1(at[0], id_col), rater=rater))
            continue
        if issued is not None and (row.get("template", "") != issued.template or row.get("spec_hash", "") != issued.spec_hash
                                   or row.get("period", "") != issued.period):
            out.issues.append(finding("issued-mismatch", file=file, sheet=name, employee_id=eid, what=Text("模板或考核期间", "the template or period"),
                                      found=f"{row.get('template', '')} {row.get('period', '')}", issued=f"{issued.template} {issued.period}"))
            continue
        found = where_is.get(eid, [])
        if len(found) != 1:
            cell = a1(layout.row(k), id_col)
            if found:
                out.issues.append(finding("conflicting-ratings", file=file, sheet=name, employee_id=eid, rater=rater, count=len(found),
                                          files="; ".join(a1(r, id_col) for r in found)))
            else:
                out.issues.append(finding("employee-id-changed", file=file, sheet=name, employee_id=eid, cell=cell,
                                          found=on_rows.get(cell) or "(空)", expected=eid))
            continue
        issued_here[eid] = found[0]
        if found[0] != layout.row(k):
            moved.append(f"{eid}: {layout.row(k) + 1}→{found[0] + 1}")
        period = issued.period if issued is not None else row.get("period", "")
        part = _part(out, cells, sheet, spec, name, row, found[0], period, role, rater_id, rater_name, wid, mtime)
        if part is not None:
            out.parts.append(part)
    if moved:
        out.issues.append(finding("rating-rows-moved", file=file, sheet=name, detail="、".join(moved[:5]) + ("…" if len(moved) > 5 else "")))
    issued_ids = {row.get("employee_id", "") for row in rows}
    for eid, at in where_is.items():
        if eid not in issued_ids and _any_input(cells, sheet, at):  # a rating of someone this rater was not issued
            out.issues.append(finding("rating-not-issued", file=file, sheet=name, employee_id=eid, cell=a1(at[0], id_col), rater=rater))


class RatingSheet:
    """A rating sheet's layout with what reading each person's row needs — every input's column letter and what it
    is read as (the indicator, adjustment item or veto item) — worked out once per reader for each shape, and the cell
    maps found equal to the layout's (a text equal to one found so is equal: not parsed again)."""

    def __init__(self, layout: RatingLayout) -> None:
        self.layout = layout
        spec = layout.spec
        self.id_col = layout.col("person:employee_id")
        self.id_letter = col_letter(self.id_col)
        self.inputs = layout.inputs
        self.columns: tuple[tuple[RatingColumn, str, Any], ...] = tuple((c, col_letter(c.col), _item(spec, c)) for c in self.inputs)
        self.first_rating = next((c for c in self.inputs if c.group == "rating"), None)
        self._maps: dict[int, str] = {}

    def refs(self, r: int) -> dict[str, str]:
        """Each input's cell on row ``r`` (0-based), by its key."""
        row = str(r + 1)
        return {c.key: letter + row for c, letter, _ in self.columns}

    def as_issued(self, k: int, text: str) -> bool:
        """Whether the k-th person's recorded cell map (JSON ``text``) is the one the layout gives them."""
        if self._maps.get(k) == text:
            return True
        same = bool(_json(text) == self.layout.cell_map(k))
        if same and len(self._maps) < 4096:
            self._maps[k] = text
        return same


def _item(spec: Spec, col: RatingColumn) -> Any:
    """What an input column is read as: its indicator (a rating), its adjustment or veto item; None for the comment, and
    for an input the spec does not name (:func:`_part` then looks it up as it always did, and fails there)."""
    key = col.key
    if col.group == "rating":
        return next((i for i in spec.indicators if i.id == key.split(":")[1]), None)
    if col.group == "adjustment":
        return next((i for i in (spec.adjustments.items if spec.adjustments else ()) if i.id == key[4:]), None)
    if col.group == "veto":
        return next((v for v in spec.veto if v.id == key[5:]), None)
    return None


def _layout(spec: Spec, role: str, n: int, prior: bool, shown: tuple[str, ...], cache: ReaderCache) -> RatingSheet:
    """The rating sheet's layout, its columns worked out once per reader for each shape (keyed by the spec's hash:
    hashing the frozen spec itself walks every field)."""
    key = (spec.hash, role, n, prior, shown)
    found = cache.layouts.get(key)
    if found is None or found.layout.spec is not spec:
        found = cache.layouts.put(key, RatingSheet(RatingLayout(spec, role, n, prior, shown)))
    return found


def _any_input(cells: SheetReader, sheet: RatingSheet, rows: list[int]) -> bool:
    refs = [ref for r in rows for ref in sheet.refs(r).values()]
    return any(v is not None and str(v).strip() for v in cells.values(refs).values())


def _part(out: FileResult, cells: SheetReader, sheet: RatingSheet, spec: Spec, name: str, row: dict[str, str], r: int, period: str,
          role: str, rater_id: str, rater_name: str, wid: str, mtime: float) -> RatingPart | None:
    """One person's inputs read on row ``r``, each as every typed input is read, with its findings."""
    eid, file = row.get("employee_id", ""), out.source
    refs = sheet.refs(r)
    read = cells.cells(refs.values())
    typed = {ref: (None if value == "" else value) for ref, (value, _) in read.items()}
    where = {"file": file, "sheet": name, "employee_id": eid}
    raw: dict[str, Any] = {key: typed[ref] for key, ref in refs.items()}
    values: dict[str, Any] = {}
    unreadable: set[str] = set()
    missing: list[str] = []
    rater = rater_id if rater_name in ("", rater_id) else f"{rater_name} ({rater_id})"
    untouched = all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values())
    if untouched:  # the rater has not rated this person yet: one finding for the row, not one per blank cell
        first = sheet.first_rating or sheet.inputs[0]
        out.issues.append(finding("rating-blank", **where, cell=refs[first.key], rater=rater,
                                  what=Text(f"{row.get('name', '')}(整行空白)", f"{row.get('name', '')} (the whole row is blank)")))
    for col, _, item in sheet.columns:
        key, value = col.key, raw[col.key]
        formula = read[refs[key]][1]
        if formula and col.group != "comment":  # a formula typed where a rating, count or mark goes: its saved result is read
            out.issues.append(finding("input-formula", **where, cell=refs[key], what=_input_name(spec, col.key), formula=formula,
                                      value=_shown(value)))
        if col.group == "rating":
            item = item if item is not None else spec.indicator(key.split(":")[1])
            norm = normalise_actual(item, value)
            if norm.error or norm.notes:  # else used as typed: nothing to say (normalise_finding's own first test)
                note = normalise_finding(item, value, norm, item.name, **where, cell=refs[key])
                if note is not None:
                    out.issues.append(note)
            if norm.error:
                unreadable.add(key)
            elif norm.value is None:
                missing.append(key)
                if not untouched:
                    out.issues.append(finding("rating-blank", **where, cell=refs[key], rater=rater, what=item.name))
            values[key] = None if norm.error else norm.value
        elif col.group == "adjustment":
            norm = read_count(value)
            item = item if item is not None else next(i for i in (spec.adjustments.items if spec.adjustments else ()) if i.id == key[4:])
            if norm.error:
                unreadable.add(key)
                out.issues.append(finding("invalid-count", **where, cell=refs[key], item=item.name, value=_shown(value), reason=""))
            values[key] = None if norm.error else norm.value
        elif col.group == "veto":
            norm = read_mark(value)
            item = item if item is not None else next(v for v in spec.veto if v.id == key[5:])
            if norm.error:
                unreadable.add(key)
                out.issues.append(finding("invalid-mark", **where, cell=refs[key], item=item.name, value=_shown(value), yes=Text("是", "Yes"),
                                          no=Text("否", "No")))
            values[key] = None if norm.error else norm.value
        else:
            values[key] = "" if value is None else str(value)
    return RatingPart(file, name, eid, row.get("name", ""), row.get("template", ""), row.get("spec_hash", ""), period_code(period),
                      role, rater_id, rater_name, wid, raw, values, refs, frozenset(unreadable), tuple(missing), mtime)


def _input_name(spec: Spec, key: str) -> str:
    """The indicator, item or veto an input key (``rating:<id>:<rater>``, ``adj:<id>``, ``veto:<id>``) belongs to, by name."""
    kind, _, rest = key.partition(":")
    if kind == "rating":
        return spec.indicator(rest.split(":")[0]).name
    items = spec.adjustments.items if kind == "adj" and spec.adjustments else spec.veto if kind == "veto" else ()
    return next((i.name for i in items if i.id == rest), key)


def _shown(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    return repr(raw) if isinstance(raw, str) else str(raw)


def _json(text: str) -> Mapping[str, Any] | Any:
    try:
        return json.loads(text)
    except ValueError:
        return None

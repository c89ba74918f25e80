"""Returns that came back in another format: a generated workbook re-saved as ``.ods`` (what LibreOffice
and WPS offer) or as ``.xls``. Its rules and formulas cannot be checked as an .xlsx's are, so it is not
scored — but it carries the workbook's identity (the hidden metadata sheet survives the re-save), so
the person is tied to it: listed as returned in the wrong format, never as "not returned", with a
finding that says which format came back and asks for the .xlsx.

The metadata sheet is read by python-calamine (which reads .ods and .xls), in the worker process that
reads the file, after the archive's declared sizes are checked like any return's.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ..core.findings import finding
from ..core.periods import period_code
from ..core.text import Text
from ..sheet.metadata import Metadata
from ..sheet.person import META_SHEET
from ..spec.model import Spec
from .reader import FileResult, PersonRecord, _embedded_spec
from .safety import Limits, Rejected

__all__ = ["identify", "WRONG_FORMAT"]

WRONG_FORMAT = "wrong-format"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
META_ROWS = 5_000
FORMATS = {"ods": Text("OpenDocument 表格(.ods)", "an OpenDocument spreadsheet (.ods)"),
           "xls": Text("旧版 Excel 工作簿(.xls)", "a legacy Excel workbook (.xls)")}


def _kind(data: bytes) -> str | None:
    if data.startswith(_OLE):
        return None if _ENCRYPTED in data else "xls"
    if data.startswith(b"PK\x03\x04") and data[30:38] == b"mimetype" and _ODS in data[38:120]:
        return "ods"
    return None


def _checked_ods(data: bytes, limits: Limits) -> None:
    """The archive's declared sizes, entry count and ratio, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise Rejected("corrupt-file", detail=str(exc)) from None
    if len(infos) > limits.max_entries or sum(i.file_size for i in infos) > limits.max_total_bytes:
        raise Rejected("zip-bomb", detail=f"{len(infos)} entries")
    for info in infos:
        if info.file_size > limits.max_entry_bytes or (info.compress_size and info.file_size / info.compress_size > limits.max_ratio):
            raise Rejected("zip-bomb", detail=f"{info.filename}: {info.file_size} bytes")


def _metadata_rows(data: bytes) -> list[list[Any]] | None:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    if META_SHEET not in book.sheet_names:
        return None
    return book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False, nrows=META_ROWS)


def identify(data: bytes, file: str, limits: Limits, templates: dict[str, Spec] | None, mtime: float = 0.0) -> FileResult | None:
    """A generated workbook re-saved as .ods or .xls: each person it was issued for, listed as returned in
    the wrong format (not scored); None when ``data`` is not such a file (the .xlsx reader takes it)."""
    kind = _kind(data)
    if kind is None:
        return None
    out = FileResult(source=file)
    if kind == "ods":
        _checked_ods(data, limits)
    try:
        rows = _metadata_rows(data)
        meta = Metadata(rows) if rows else None
    except Exception:  # noqa: BLE001 - any failure of a parser on an untrusted file: not one of ours, as far as can be told
        meta = None
    if meta is None or not meta.people:
        if kind == "xls":
            raise Rejected("legacy-xls")
        out.issues.append(finding("unsupported-file", file=file, kind=FORMATS[kind]))
        return out
    for spec_id, _, recorded_hash, blob in meta.specs:
        spec = (templates or {}).get(spec_id)
        if spec is None:
            try:
                embedded = _embedded_spec(blob)
                spec = embedded if embedded.hash == recorded_hash else None
            except (ValueError, KeyError, TypeError):
                spec = None
        if spec is not None:
            out.specs[spec_id] = spec
    for row in meta.people:
        eid, template = row.get("employee_id", ""), row.get("template", "")
        out.issues.append(finding("returned-other-format", file=file, sheet=row.get("sheet", ""), employee_id=eid, kind=FORMATS[kind]))
        if template not in out.specs:
            continue
        out.records.append(PersonRecord(
            file=file, sheet=row.get("sheet", ""), employee_id=eid, name=row.get("name", ""), department=row.get("department", ""),
            template=template, version=row.get("version", ""), period=period_code(row.get("period", "") or out.specs[template].period),
            actuals={}, raw={}, scores={}, total=None, grade=None, status=WRONG_FORMAT, mtime=mtime,
            workbook_id=meta.values.get("workbook_id", "")))
    return out

"""Returns that came back as a legacy Excel workbook (.xls): a generated workbook re-saved in the format
Excel 97–2003 wrote. An .xls keeps no sheet-scoped defined names, no edit ranges with their own passwords
and no cell styles this reader can hold against the issued ones, and a hostile .xls is a binary OLE file
that only a native parser reads — so it is not scored. But it carries the workbook's identity (the
hidden metadata sheet survives the re-save), so the person is tied to it: listed as returned in the
wrong format, never as "not returned", with a finding that says which format came back and asks for
the .xlsx. (A re-save as .ods is read and scored like an .xlsx: :mod:`.formats.ods`.)

The metadata sheet is read by python-calamine, in the worker process that reads the file (a native
crash there costs only that file).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from ..core.findings import finding
from ..core.periods import period_code
from ..core.text import Text
from ..sheet.metadata import Metadata
from ..sheet.person import META_SHEET
from ..spec.model import Spec
from .caches import ReaderCache
from .identity import canonical_spec
from .record import FileResult, PersonRecord
from .safety import Rejected

__all__ = ["is_legacy_xls", "tie_xls", "WRONG_FORMAT"]

WRONG_FORMAT = "wrong-format"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
META_ROWS = 5_000
XLS = Text("旧版 Excel 工作簿(.xls)", "a legacy Excel workbook (.xls)")


def is_legacy_xls(data: bytes) -> bool:
    """An OLE file that is not an encrypted .xlsx (the package checks name that one)."""
    return data.startswith(_OLE) and _ENCRYPTED not in data


def _metadata_rows(data: bytes) -> list[list[Any]] | None:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    if META_SHEET not in book.sheet_names:
        return None
    return book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False, nrows=META_ROWS)


def tie_xls(data: bytes, file: str, templates: Mapping[str, Spec] | None, mtime: float, cache: ReaderCache) -> FileResult:
    """Each person a generated workbook re-saved as .xls was issued for, listed as returned in the wrong
    format (not scored). Raises Rejected (``legacy-xls``) when it is no generated workbook."""
    out = FileResult(source=file)
    try:
        rows = _metadata_rows(data)
        meta = Metadata(rows) if rows else None
    except Exception:  # noqa: BLE001 - any failure of a parser on an untrusted file: not one of ours, as far as can be told
        meta = None
    if meta is None or not meta.people:
        raise Rejected("legacy-xls")
    for spec_id, _, recorded_hash, blob in meta.specs:
        spec = (templates or {}).get(spec_id)
        if spec is None:
            try:
                embedded = canonical_spec(blob, cache)
                spec = embedded if embedded.hash == recorded_hash else None
            except (ValueError, KeyError, TypeError):
                spec = None
        if spec is not None:
            out.specs[spec_id] = spec
    for row in meta.people:
        eid, template = row.get("employee_id", ""), row.get("template", "")
        out.issues.append(finding("returned-other-format", file=file, sheet=row.get("sheet", ""), employee_id=eid, kind=XLS))
        if template not in out.specs:
            continue
        out.records.append(PersonRecord(
            file=file, sheet=row.get("sheet", ""), employee_id=eid, name=row.get("name", ""), department=row.get("department", ""),
            template=template, version=row.get("version", ""), period=period_code(row.get("period", "") or out.specs[template].period),
            actuals={}, raw={}, scores={}, total=None, grade=None, status=WRONG_FORMAT, mtime=mtime,
            workbook_id=meta.values.get("workbook_id", "")))
    return out

"""An XlsxWriter Workbook that can also lock its structure (XlsxWriter has no API for it)."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import CellBlankTuple

from ..core.protection import legacy_password_hash
from ..xlsx_text import TextWorkbook, TextWorksheet
from .sheetdata import BlockRows


class PortableWorksheet(BlockRows, TextWorksheet):
    """A worksheet for formulas made only of Excel 2010 functions.

    XlsxWriter runs ~30 regex rewrites on every formula to add ``_xlfn.`` prefixes for newer
    functions; ours never use them (``test_formulas_use_only_portable_non_volatile_functions``),
    so the rewrites are a no-op that cost a third of the build time. Its dynamic-array check
    still runs before this.
    """

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        # Two cells in three of a scorecard are the formatted blanks of merged ranges: write them
        # directly, as XlsxWriter's general path does (a blank cell always carries a format).
        if cell.__class__ is CellBlankTuple and cell.format is not None:
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell.format._get_xf_index()}"/>')
            return
        super()._write_cell(row, col, cell)

    def _escape_attributes(self, attribute: Any) -> Any:
        # Most attributes are integers (style indexes): XlsxWriter's regex raises TypeError on them and
        # catches it, once per cell attribute. Same output, without the exception.
        if type(attribute) is not str:
            return attribute
        return super()._escape_attributes(attribute)

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula


class ScorecardWorkbook(TextWorkbook):
    """Workbook whose structure (add, delete, rename, unhide sheets) is locked on request."""

    worksheet_class = PortableWorksheet

    def __init__(self, filename: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(filename, options)
        self._lock_password: str | None = None

    def lock_structure(self, password: str = "") -> None:
        self._lock_password = password

    def add_hidden_record(self, name: str, rows: Any, password: str = "") -> None:
        """A very hidden, protected sheet ``name`` holding ``rows`` of text: what a workbook says it is (the
        scorecard's metadata, a follow-up workbook's record), read back when it returns."""
        ws = self.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write_string(r, c, value)
        ws.very_hidden()
        ws.protect(password)

    def _write_workbook_pr(self) -> None:
        super()._write_workbook_pr()
        if self._lock_password is None:
            return
        # CT_Workbook order: workbookPr, then workbookProtection, then bookViews.
        attributes: list[tuple[str, Any]] = []
        if self._lock_password:
            attributes.append(("workbookPassword", legacy_password_hash(self._lock_password)))
        attributes.append(("lockStructure", 1))
        self._xml_empty_tag("workbookProtection", attributes)

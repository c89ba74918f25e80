"""XlsxWriter with every string written as text.

XlsxWriter writes a string that starts with ``<r>`` and ends with ``</r>`` into the XML as
rich-text markup, unescaped, both in the shared strings (``sharedStrings.xml``) and in the
inline strings of constant-memory mode. A name, a comment or a self-review typed that way could
close its element and add others: shift every shared string after it, or add a formula cell.
xl-kpi never writes rich text, so here every string is written escaped, as XlsxWriter writes any
other string. Used by every workbook xl-kpi writes (scorecards, exported specs, the summary).
"""

from __future__ import annotations

from io import StringIO
from typing import Any

from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import _preserve_whitespace
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet, xl_rowcol_to_cell_fast

__all__ = ["TextWorkbook", "TextWorksheet", "TextPackager"]
_SI: dict[str, str] = {}  # each text's <si> element as written (a pure function of the text), up to _SI_KEPT of them
_SI_KEPT = 20_000


def _markup_shaped(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("<r>") and value.endswith("</r>")


class _TextStrings(SharedStrings):
    """The shared strings table, each entry written as text (each text's element remembered: the same labels are
    written into every workbook of a build)."""

    fh: Any

    def _write_si(self, string: str) -> None:
        written = _SI.get(string)
        if written is None:
            fh, self.fh = self.fh, StringIO()
            try:
                self._write_text_si(string)
                written = self.fh.getvalue()
            finally:
                self.fh = fh
            if len(_SI) >= _SI_KEPT:
                _SI.clear()
            _SI[string] = written
        self.fh.write(written)

    def _write_text_si(self, string: str) -> None:
        attributes = []
        string = self._escape_control_characters(string)
        if _preserve_whitespace(string):
            attributes.append(("xml:space", "preserve"))
        self._xml_si_element(string, attributes)


class TextPackager(Packager):
    def _write_shared_strings_file(self) -> None:
        if not self.workbook.str_table.count:
            return
        sst = _TextStrings()
        sst.string_table = self.workbook.str_table
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class TextWorksheet(Worksheet):
    """A worksheet whose inline strings (constant-memory mode) are written as text."""

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        if self.constant_memory and cell.__class__.__name__ == "String" and _markup_shaped(cell.string):
            attributes: list[tuple[str, Any]] = [("r", xl_rowcol_to_cell_fast(row, col))]
            fmt = cell.format  # the cell's format, else its row's, else its column's (as XlsxWriter's own)
            if not fmt and row in self.row_info and self.row_info[row].row_format:
                fmt = self.row_info[row].row_format
            elif not fmt and col in self.col_info:
                fmt = self.col_info[col].column_format
            if fmt:
                attributes.append(("s", fmt._get_xf_index()))
            string = self._escape_control_characters(cell.string)
            self._xml_inline_string(string, _preserve_whitespace(string), attributes)
            return
        super()._write_cell(row, col, cell)


class TextWorkbook(Workbook):
    """A Workbook whose strings are always text (see the module's docstring)."""

    worksheet_class = TextWorksheet

    def _get_packager(self) -> Packager:  # XlsxWriter's own hook for a different packager
        return TextPackager()

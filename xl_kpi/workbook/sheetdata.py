"""A worksheet's cell table written as XlsxWriter writes it, in fewer Python steps (issue 32).

Two cells in three of a workbook xl-kpi writes are formatted blanks: the merged ranges' cells and the
ledger's 150 input rows. XlsxWriter stores and writes each one through its general path (a bounds
check and a tuple per cell when written; a scan of every column of the sheet's width per row, twice,
when saved). :class:`BlockRows` keeps XlsxWriter's cell table and writes the same bytes:

- :meth:`BlockRows.write_blank_block` stores a block of formatted blanks (one format per column) as
  ``write_blank`` would cell by cell, checking the block's corners against the sheet's bounds once;
- ``_calculate_spans`` and ``_write_rows`` visit only the columns a row holds, and write a row's
  formatted blanks as one string. Rows, spans and cells come out byte for byte as XlsxWriter's own
  (``tests/test_sheetdata.py`` compares both on every bundled template).

Constant-memory mode, which xl-kpi does not use for these workbooks, keeps XlsxWriter's own path.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, Worksheet

__all__ = ["BlockRows", "blank_block"]


class BlockRows(Worksheet):
    """XlsxWriter's worksheet with block writes of formatted blanks and a leaner row writer."""

    def write_blank_block(self, first_row: int, last_row: int, first_col: int, formats: Sequence[Format]) -> None:
        """Every cell of rows ``first_row``–``last_row``, columns ``first_col`` on, a blank in its column's
        format: what ``write_blank(r, c, None, formats[c - first_col])`` does for each cell."""
        last_col = first_col + len(formats) - 1
        if self.constant_memory or any(fmt is None for fmt in formats):
            for r in range(first_row, last_row + 1):
                for c, fmt in enumerate(formats, first_col):
                    self.write_blank(r, c, None, fmt)
            return
        if last_row < first_row or not formats:
            return
        if self._check_dimensions(first_row, first_col) or self._check_dimensions(last_row, last_col):
            raise ValueError(f"a blank block outside the sheet: rows {first_row}-{last_row}, columns {first_col}-{last_col}")
        blanks = [(c, CellBlankTuple(fmt)) for c, fmt in enumerate(formats, first_col)]
        table = self.table
        for r in range(first_row, last_row + 1):
            table[r].update(blanks)

    def _calculate_spans(self) -> None:
        if self.constant_memory:
            super()._calculate_spans()
            return
        spans: dict[int, str] = {}
        lo, hi = self.dim_colmin, self.dim_colmax
        table, comments = self.table, self.comments
        span_min: int | None = None
        span_max = 0
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            for cols in (table.get(row_num), comments.get(row_num)):
                if cols:
                    inside = [c for c in cols if lo <= c <= hi]
                    if inside:
                        low, high = min(inside), max(inside)
                        if span_min is None:
                            span_min, span_max = low, high
                        else:
                            span_min, span_max = min(span_min, low), max(span_max, high)
            if (row_num + 1) % 16 == 0 or row_num == self.dim_rowmax:
                if span_min is not None:
                    spans[row_num // 16] = f"{span_min + 1}:{span_max + 1}"
                    span_min = None
        self.row_spans = spans

    def _write_rows(self) -> None:
        if self.constant_memory:
            super()._write_rows()
            return
        self._calculate_spans()
        lo, hi = self.dim_colmin, self.dim_colmax
        table, row_info, comments, spans = self.table, self.row_info, self.comments, self.row_spans
        write = self.fh.write
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row_num)
            if not (row_num in row_info or row_num in comments or cells):
                continue
            span = spans.get(row_num // 16)
            if not cells:
                self._write_row(row_num, span, row_info.get(row_num), empty_row=True)
                continue
            self._write_row(row_num, span, row_info.get(row_num))
            number = str(row_num + 1)
            pending: list[str] = []
            for col_num in sorted(cells):
                if not lo <= col_num <= hi:
                    continue
                cell = cells[col_num]
                if cell.__class__ is CellBlankTuple and cell.format is not None:
                    pending.append(f'<c r="{_column(col_num)}{number}" s="{cell.format._get_xf_index()}"/>')
                    continue
                if pending:
                    write("".join(pending))
                    pending.clear()
                self._write_cell(row_num, col_num, cell)
            if pending:
                write("".join(pending))
            write("</row>")


_COLUMNS: dict[int, str] = {}


def _column(col: int) -> str:
    name = _COLUMNS.get(col)
    if name is None:
        name = _COLUMNS[col] = xl_col_to_name(col)
    return name



def blank_block(ws: Worksheet, first_row: int, last_row: int, first_col: int, formats: Sequence[Format]) -> None:
    """Formatted blanks over a block (see :meth:`BlockRows.write_blank_block`), on any XlsxWriter worksheet."""
    if isinstance(ws, BlockRows):
        ws.write_blank_block(first_row, last_row, first_col, formats)
        return
    for r in range(first_row, last_row + 1):
        for c, fmt in enumerate(formats, first_col):
            ws.write_blank(r, c, None, fmt)

"""summary.xlsx's rows, written straight to the sheet XML: :class:`RowSheet` writes the XML XlsxWriter's cell
calls write, byte for byte (``tests/test_summary_rows.py`` holds it to that on every XlsxWriter version it
runs with), at a seventh of the cost — with one difference on purpose: every text is escaped.
"""

from __future__ import annotations

import io
import math
import numbers
from collections.abc import Sequence
from typing import Any

from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import RowInfo

from ..core.files import strip_control
from ..sheet.printing import LINE_POINTS, approx_width, row_height
from ..xlsx_text import TextWorkbook, TextWorksheet

__all__ = ["RowSheet", "RowWorkbook", "wrapped_height", "cell_value"]


def cell_value(value: Any) -> Any:
    """A value as a summary cell holds it: a number, text (control characters dropped, at most 32,767
    characters) or None for a blank; NaN and infinity as text (no cell can hold them)."""
    kind = type(value)
    if kind is str:
        return value if len(value) <= 32767 and value.isprintable() else strip_control(value)[:32767]
    if value is None or kind is int or (kind is float and math.isfinite(value)):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else repr(number)
    return strip_control(str(value))[:32767]


class RowSheet(TextWorksheet):
    """A constant-memory worksheet that also writes whole rows of values straight to its XML.

    XlsxWriter's cell calls cost ~7 µs a cell (argument checks, a cell tuple, a buffer per row); a
    summary of 10,000 people has 300,000 cells. :meth:`append_row` writes the same XML Excel reads
    — each string inline, escaped, over-long ones cut as XlsxWriter cuts them — but treats every
    string as plain text: XlsxWriter writes a string that looks like rich-text markup
    (``<r>…</r>``) into the XML unescaped, which would let a returned text add cells to HR's workbook.
    """

    fh: Any  # XlsxWriter's, declared for the type checker
    previous_row: int

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[str] = []  # rows written by append_row, not yet in the file
        self._row_tags: dict[float | None, tuple[str, str]] = {}  # how XlsxWriter opens a row of a height: the text around its number

    def _write_single_row(self, current_row_num: int = 0) -> None:
        self.flush_rows()  # what append_row holds goes before anything XlsxWriter writes
        super()._write_single_row(current_row_num)

    def flush_rows(self) -> None:
        """Write the rows :meth:`append_row` holds."""
        if self._pending:
            self.fh.write("".join(self._pending))
            self._pending.clear()

    def _open_row(self, row: int, height: float | None) -> str:
        """The row's start tag as XlsxWriter writes it, ``height`` in points as ``set_row`` takes it (worked
        out once a height: rows differ only by their number)."""
        if row in self.row_info:
            return self._tag_of(row, self.row_info[row])
        tag = self._row_tags.get(height)
        if tag is None:
            info = None if height is None else RowInfo(height=int(height * 4.0 / 3.0 + 0.5))  # pixels, as set_row stores it
            before, _, after = self._tag_of(row, info).partition(f'r="{row + 1}"')
            tag = self._row_tags[height] = (before + 'r="', '"' + after)
        return f"{tag[0]}{row + 1}{tag[1]}"

    def _tag_of(self, row: int, info: RowInfo | None) -> str:
        fh, self.fh = self.fh, io.StringIO()
        try:
            self._write_row(row, None, info)
            return str(self.fh.getvalue())
        finally:
            self.fh = fh

    def column_styles(self, formats: Sequence[Any]) -> list[str]:
        """The ``s`` attribute each column's cells get: the cell's format, else the column's (as XlsxWriter does)."""
        out = []
        for col, fmt in enumerate(formats):
            if fmt is None and col in self.col_info:
                fmt = self.col_info[col].column_format
            out.append(f' s="{fmt._get_xf_index()}"' if fmt is not None else "")
        return out

    def _plain_text(self, value: str) -> str:
        """Text with control characters or over 16,383 characters, as XlsxWriter would hold it: XML's
        illegal characters dropped, cut to 32,767 UTF-16 units, the rest of the controls escaped (_xHHHH_)."""
        value = strip_control(value)[:32_767]
        if len(value) > 16_383 and _utf16_len(value) > 32_767:
            value = _utf16_truncate(value, 32_767)
        return self._escape_control_characters(value) if "_x" in value or not value.isprintable() else value

    def append_row(self, row: int, values: Sequence[Any], text_styles: Sequence[str], number_styles: Sequence[str],
                   height: float | None = None) -> bool:
        """Write one row of values, each as :func:`_cell` makes it (text, a number or a blank), ``height``
        points tall when given; False past the sheet's last row."""
        if not values:
            return True
        if self._check_dimensions(row, 0) or self._check_dimensions(row, len(values) - 1):
            return False
        if row > self.previous_row:
            previous = self.previous_row
            if self.table or previous in self.row_info or previous in self.comments:
                self._write_single_row(row)  # whatever XlsxWriter holds of the row before
            else:
                self.previous_row = row
        number = str(row + 1)
        cells = [self._open_row(row, height)]
        letters = _LETTERS if len(values) <= len(_LETTERS) else [xl_col_to_name(c) for c in range(len(values))]
        for col, value in enumerate(values):
            kind = value.__class__
            if kind is not str and kind is not int and (kind is not float or not math.isfinite(value)):
                value = cell_value(value)  # None, or anything else made text or a number
                if value is None:
                    continue
                kind = value.__class__
            if kind is str:
                if not value.isprintable() or len(value) > 16_383:
                    value = self._plain_text(value)
                elif "_x" in value:
                    value = self._escape_control_characters(value)
                space = ' xml:space="preserve"' if value.strip() is not value else ""
                if "&" in value:
                    value = value.replace("&", "&amp;")
                if "<" in value:
                    value = value.replace("<", "&lt;")
                if ">" in value:
                    value = value.replace(">", "&gt;")
                cells.append(f'<c r="{letters[col]}{number}"{text_styles[col]} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            else:
                cells.append(f'<c r="{letters[col]}{number}"{number_styles[col]}><v>{value:.16G}</v></c>')
        cells.append("</row>")
        self._pending.append("".join(cells))
        if len(self._pending) >= 512:
            self.flush_rows()
        return True


_LETTERS = [xl_col_to_name(c) for c in range(702)]  # A … ZZ
MAX_ROW_POINTS = 409  # Excel's tallest row


def wrapped_height(values: Sequence[Any], wrap: Sequence[int], widths: Sequence[float]) -> float | None:
    """The height a row needs to print its wrapped texts whole; None when one line is enough. Text
    widths are estimated (:func:`approx_width`): the summary has hundreds of thousands of cells."""
    texts = [(values[c], widths[c]) for c in wrap if c < len(values) and values[c].__class__ is str]
    height = row_height(texts, minimum=0, measure=approx_width)
    return None if height <= LINE_POINTS + 5 else min(MAX_ROW_POINTS, height)


class RowWorkbook(TextWorkbook):
    worksheet_class = RowSheet

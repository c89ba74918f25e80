"""A replayed sheet's state set when it is first read (issue 32, fourth round: :mod:`~xl_kpi.workbook.replay`).

A sheet replayed from one written before gets its cells, rows, columns, merged ranges, validations and conditional
formats only when something reads them: its XML written in full (not stamped), a write on it, a chart reading its
data, an object placed on it. Its XML stamped needs none of them. Every public method of a stamped sheet calls
:meth:`DeferredState.stamp_thaw` first (``stamp.py``, where they are recorded) but those of :data:`UNTOUCHED`, and so
do the private readers below (each setting only what it reads; a chart's data is read from the replayed cells);
XlsxWriter reads these attributes nowhere else (``tests/test_replay.py`` lists its readers).
"""

from __future__ import annotations

import functools
from typing import Any

from xlsxwriter.worksheet import Worksheet

__all__ = ["DeferredState", "READERS", "DEFERRED", "UNTOUCHED"]

# The attributes whose setting waits, and XlsxWriter's private methods that read them (besides the XML's writers,
# run by _assemble_xml_file, and the public methods), with the attributes each reads (None: a chart's data, read
# from the replayed cells without setting them).
DEFERRED = frozenset({"table", "table_cells", "merged_cells", "validations", "cond_formats", "col_info", "row_info", "row_sizes"})
READERS: dict[str, frozenset[str] | None] = {
    "_get_range_data": None, "_size_col": frozenset({"col_info"}), "_size_row": frozenset({"row_sizes"}),
    "_position_object_pixels": frozenset({"col_info", "row_sizes"})}
# Public methods that neither read nor change any of them (nor call a method that does): called on a replayed sheet,
# they leave its state deferred (the page's setup, protection, a chart placed). tests/test_replay.py checks the list
# against XlsxWriter's and our sources.
UNTOUCHED = frozenset({"insert_chart", "set_paper", "set_landscape", "set_portrait", "fit_to_pages", "set_margins",
                       "center_horizontally", "print_area", "repeat_rows", "set_footer", "set_header", "set_h_pagebreaks",
                       "protect", "activate", "hide_gridlines", "freeze_panes", "unprotect_range", "hide"})


class DeferredState(Worksheet):
    """XlsxWriter's worksheet whose :data:`DEFERRED` attributes may be set when first read."""

    def __init__(self) -> None:
        super().__init__()
        self.stamp_deferred: Any = None  # replay.py's _Later: the attributes still to set

    def stamp_cell(self, row: int, col: int) -> Any:
        """The cell at ``row``, ``col`` (a formula's slot in the sheet's stamped XML; the print form's view of the card),
        its state deferred or not; None when the sheet has none there."""
        later = self.stamp_deferred
        if later is not None:
            return later.cell(row, col)
        return self.table.get(row, {}).get(col)

    def stamp_thaw(self, names: frozenset[str] | None = None) -> None:
        """The deferred state set now (``names``: only those attributes); nothing when there is none."""
        later = self.stamp_deferred
        if later is not None and later.thaw(DEFERRED if names is None else names):  # nothing left to set
            self.stamp_deferred = None

    def _get_range_data(self, row_start: int, col_start: int, row_end: int, col_end: int) -> Any:
        """XlsxWriter's, on the replayed cells of those rows when the sheet's state is deferred (a chart's data)."""
        later = self.stamp_deferred
        if later is None:
            return super()._get_range_data(row_start, col_start, row_end, col_end)
        table: Any = self.__dict__["table"]
        self.table = later.rows(row_start, row_end, col_start, col_end)
        try:
            return super()._get_range_data(row_start, col_start, row_end, col_end)
        finally:
            self.table = table


def _thawing_first(name: str, names: frozenset[str]) -> None:
    method = getattr(Worksheet, name)

    def read(self: DeferredState, *args: Any, **kwargs: Any) -> Any:
        self.stamp_thaw(names)
        return method(self, *args, **kwargs)

    setattr(DeferredState, name, functools.wraps(method)(read))


for _reader, _names in READERS.items():
    if _names is not None:
        _thawing_first(_reader, _names)

"""A replayed sheet's state set when it is first read (issue 32, fourth round: :mod:`~xl_kpi.workbook.replay`).

A sheet replayed from one written before gets its cells, rows, columns, merged ranges, validations and conditional
formats only when something reads them: its XML written in full (not stamped), a write on it, a chart reading its
data, an object placed on it. Its XML stamped needs none of them. Every public method of a stamped sheet calls
:meth:`DeferredState.stamp_thaw` first (``stamp.py``, where they are recorded), and so do the private readers below;
XlsxWriter reads these attributes nowhere else (``tests/test_replay.py`` lists its readers).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from xlsxwriter.worksheet import Worksheet

__all__ = ["DeferredState", "READERS", "DEFERRED"]

# The attributes whose setting waits, and XlsxWriter's private methods that read them (besides the XML's writers,
# run by _assemble_xml_file, and the public methods).
DEFERRED = frozenset({"table", "table_cells", "merged_cells", "validations", "cond_formats", "col_info", "row_info", "row_sizes"})
READERS = ("_get_range_data", "_size_col", "_size_row", "_position_object_pixels")  # a chart's data, placing objects


class DeferredState(Worksheet):
    """XlsxWriter's worksheet whose :data:`DEFERRED` attributes may be set when first read."""

    def __init__(self) -> None:
        super().__init__()
        self.stamp_deferred: Callable[[], None] | None = None

    def stamp_cell(self, row: int, col: int) -> Any:
        """The cell at ``row``, ``col`` (a formula's slot in the sheet's stamped XML; the print form's view of the card),
        its state deferred or not; None when the sheet has none there."""
        later = self.stamp_deferred
        if later is not None:
            return later.cell(row, col)  # type: ignore[attr-defined]
        return self.table.get(row, {}).get(col)

    def stamp_thaw(self) -> None:
        """The deferred state set now (nothing when there is none)."""
        thaw, self.stamp_deferred = self.stamp_deferred, None
        if thaw is not None:
            thaw()


def _thawing_first(name: str) -> None:
    method = getattr(Worksheet, name)

    def read(self: DeferredState, *args: Any, **kwargs: Any) -> Any:
        self.stamp_thaw()
        return method(self, *args, **kwargs)

    setattr(DeferredState, name, functools.wraps(method)(read))


for _reader in READERS:
    _thawing_first(_reader)

"""Cell formats, created once per workbook and shared by every sheet in it."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from ..spec.model import Indicator

INPUT_FILL = "#DDEBF7"  # light blue: you type here
MISSING_FILL = "#FCE4D6"  # light orange: required and still empty
BAD_INPUT_FILL = "#FFC7CE"  # light red: text where a number belongs (its score stays blank)
REVIEW_FILL = "#FFF2CC"  # light yellow: the supervisor or reviewer fills it in
HEADER_FILL = "#1F4E78"
LABEL_FILL = "#F2F2F2"
GRADE_FILLS = ("#C6EFCE", "#E2EFDA", "#FFEB9C", "#FFC7CE", "#F8CBAD")  # best → worst
GRADE_FONTS = ("#006100", "#375623", "#9C5700", "#9C0006", "#833C0B")


def number_format(ind: Indicator) -> str:
    """How an indicator's values display: 105% for a rate, 11 for a count."""
    if ind.is_percent:
        return "0.0%"
    if ind.is_count:
        return "0"
    return "General"


class Styles:
    """Named formats; ``get(name, num_format)`` caches one Format per combination."""

    BASE: dict[str, dict[str, Any]] = {
        "title": {"bold": True, "font_size": 15, "align": "center", "valign": "vcenter"},
        "title_left": {"bold": True, "font_size": 14, "valign": "vcenter"},
        "label": {"bold": True, "bg_color": LABEL_FILL, "border": 1, "valign": "vcenter", "text_wrap": True},
        "text": {"border": 1, "valign": "vcenter", "text_wrap": True},
        "header": {"bold": True, "bg_color": HEADER_FILL, "font_color": "#FFFFFF", "border": 1, "align": "center",
                   "valign": "vcenter", "text_wrap": True},
        "value": {"border": 1, "valign": "vcenter", "align": "center"},
        "param": {"border": 1, "valign": "vcenter", "align": "center", "font_color": "#595959", "bg_color": "#FAFAFA"},
        "formula": {"border": 1, "valign": "vcenter", "align": "center", "bg_color": "#F7F7F7"},
        "formula_text": {"border": 1, "valign": "vcenter", "text_wrap": True, "bg_color": "#F7F7F7"},  # a computed text (events' counts)
        "total": {"border": 2, "bold": True, "valign": "vcenter", "align": "center", "font_size": 12},
        "input": {"border": 1, "valign": "vcenter", "align": "center", "bg_color": INPUT_FILL, "locked": False},
        "input_text": {"border": 1, "valign": "top", "text_wrap": True, "bg_color": INPUT_FILL, "locked": False},
        "input_plain": {"locked": False},
        "input_cell": {"border": 1, "border_color": "#BFBFBF", "valign": "top", "text_wrap": True, "bg_color": INPUT_FILL, "locked": False},
        # The supervisor's and reviewer's cells: locked and opened by their own password ("allow users to edit
        # ranges") when one is given, otherwise open like the employee's.
        "review": {"border": 1, "valign": "vcenter", "align": "center", "bg_color": REVIEW_FILL, "locked": True},
        "review_open": {"border": 1, "valign": "vcenter", "align": "center", "bg_color": REVIEW_FILL, "locked": False},
        "review_text": {"border": 1, "valign": "top", "text_wrap": True, "bg_color": REVIEW_FILL, "locked": True},
        "review_text_open": {"border": 1, "valign": "top", "text_wrap": True, "bg_color": REVIEW_FILL, "locked": False},
        # Another rater's cell on an employee's workbook whose raters rate in their own: locked, grey, "awaiting".
        "awaiting": {"border": 1, "valign": "vcenter", "align": "center", "italic": True, "font_color": "#808080",
                     "bg_color": "#EDEDED", "locked": True},
        "awaiting_text": {"border": 1, "valign": "top", "italic": True, "font_color": "#808080", "bg_color": "#EDEDED",
                          "text_wrap": True, "locked": True},
        # A rating workbook: the rater's group of columns, and what the employee reported (read-only).
        "group_input": {"bold": True, "bg_color": "#2E75B6", "font_color": "#FFFFFF", "border": 1, "align": "center",
                        "valign": "vcenter", "text_wrap": True},
        "prior": {"border": 1, "valign": "vcenter", "align": "center", "bg_color": "#F2F2F2", "font_color": "#404040"},
        "prior_text": {"border": 1, "valign": "top", "text_wrap": True, "bg_color": "#F2F2F2", "font_color": "#404040",
                       "font_size": 9},
        # a heading row of the table (a section): grey, never the light blue of the cells the employee fills
        "section_row": {"bold": True, "bg_color": "#E7E6E6", "border": 1, "valign": "vcenter", "font_color": "#1F4E78"},
        "subtotal": {"bold": True, "border": 1, "valign": "vcenter", "align": "center", "bg_color": "#F2F2F2"},
        "subtotal_label": {"bold": True, "border": 1, "valign": "vcenter", "align": "right", "bg_color": "#F2F2F2"},
        "note": {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"},
        "line": {"text_wrap": True, "valign": "top"},
        "section": {"bold": True, "font_size": 12, "font_color": HEADER_FILL},
        "link": {"font_color": "#0563C1", "underline": 1, "border": 1},
    }

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._cache: dict[tuple[str, str | None], Format] = {}
        self.log: list[tuple[Any, ...]] | None = None  # every call, while a sheet is recorded to be replayed (workbook/replay.py)

    @property
    def workbook(self) -> Workbook:
        """The workbook the formats belong to (where a sheet's writer defines names)."""
        return self._wb

    def get(self, name: str, num_format: str | None = None) -> Format:
        key = (name, num_format)
        if self.log is not None:
            self.log.append(("get", name, num_format))
        fmt = self._cache.get(key)
        if fmt is None:
            props = dict(self.BASE[name])
            if num_format:
                props["num_format"] = num_format
            fmt = self._cache[key] = self._wb.add_format(props)
            fmt.stamp_token = ("format", *key)  # what made it, for the stamped sheets (workbook/stamp.py)
        return fmt

    def fill(self, color: str, font: str | None = None, bold: bool = False) -> Format:
        """A conditional-format fill (DXF), cached by colour."""
        key = (f"fill:{color}:{font}:{bold}", None)
        if self.log is not None:
            self.log.append(("fill", color, font, bold))
        fmt = self._cache.get(key)
        if fmt is None:
            props: dict[str, Any] = {"bg_color": color}
            if font:
                props["font_color"] = font
            if bold:
                props["bold"] = True
            fmt = self._cache[key] = self._wb.add_format(props)
            fmt.stamp_token = ("format", *key)
        return fmt

"""An OpenDocument spreadsheet's number formats (its data styles) that show other than a cell holds — the
.ods side of :mod:`..masking`, so that saving a return as .ods does not hide what the .xlsx check finds.

A data style shows the value when it has a part that does (a number, a fraction, a date's or time's field,
a boolean, a text's content); it masks when it has none (a constant text), when its literal text holds a
digit, or a percent sign outside a percentage style (a "%" that does not multiply by 100), or when it scales
the number (``number:display-factor``). A style with conditions (``style:map``: the sections of
``0;-0;;@``) masks when a section it maps to for more than one value does, or when its own part (for every value
no condition took) does — but for zero alone, when its conditions take the positive and the negative numbers. A cell's style is followed through its
parents (at most 8) to the data style it names.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["OdsStyles"]

_N = "{urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0}"
_S = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DATA_STYLES = frozenset(f"{_N}{k}-style" for k in ("number", "currency", "percentage", "date", "time", "boolean", "text"))
_SHOWS = frozenset(f"{_N}{k}" for k in ("number", "scientific-number", "fraction", "boolean", "text-content", "year", "month",
                                         "day", "day-of-week", "week-of-year", "quarter", "era", "hours", "minutes", "seconds",
                                         "am-pm"))
_EQUALS = re.compile(r"value\(\)\s*=\s*-?[\d.]+$")
_DEPTH = 8


class OdsStyles:
    """The data styles and cell styles of one document (automatic and common), fed element by element."""

    def __init__(self) -> None:
        self.data: dict[str, tuple[str, bool, list[tuple[str, str]]]] = {}  # name → (shown as, masks itself, maps)
        self.cells: dict[str, tuple[str, str]] = {}  # cell style → (its data style, its parent)

    def add(self, elem: Any) -> None:
        """Keep ``elem`` (at its end) when it is a data style or a table cell's style."""
        tag = elem.tag
        if tag in DATA_STYLES:
            name = elem.get(f"{_S}name", "")
            shown, masks = _judge(elem, tag == f"{_N}percentage-style")
            maps = [(m.get(f"{_S}condition", ""), m.get(f"{_S}apply-style-name", "")) for m in elem if m.tag == f"{_S}map"]
            self.data[name] = (shown, masks, maps)
        elif tag == f"{_S}style" and elem.get(f"{_S}family") == "table-cell":
            self.cells[elem.get(f"{_S}name", "")] = (elem.get(f"{_S}data-style-name", ""), elem.get(f"{_S}parent-style-name", ""))

    def masking(self, cell_style: str) -> str | None:
        """How a cell of ``cell_style`` shows its number, when that is other than it holds; else None."""
        data, name = "", cell_style
        for _ in range(_DEPTH):
            if not name or name not in self.cells:
                break
            data, parent = self.cells[name]
            if data:
                break
            name = parent
        return self._data_masking(data) if data else None

    def _data_masking(self, name: str) -> str | None:
        found = self.data.get(name)
        if found is None:
            return None
        shown, masks, maps = found
        conditions = {re.sub(r"\s", "", c) for c, _ in maps}
        only_zero = bool(conditions & {"value()>0", "value()>=0"}) and "value()<0" in conditions  # "0;-0;;": the rest is zero
        if masks and not only_zero:  # its own part shows every value no condition took (a condition for one value leaves the rest)
            return shown
        for condition, target in maps:
            if _EQUALS.match(condition.strip()):  # one value: a text for it says which value it is
                continue
            sub = self.data.get(target)
            if sub is not None and sub[1] and not sub[2]:
                return sub[0]
        return None


def _judge(elem: Any, percentage: bool) -> tuple[str, bool]:
    """(the style written as a format code, for messages; whether it shows other than the value)."""
    code: list[str] = []
    shows = masks = False
    for child in elem:
        tag = child.tag
        if tag == f"{_N}text":
            text = child.text or ""
            code.append(f'"{text}"')
            if any(ch.isdigit() for ch in text) or ("%" in text and not percentage):
                masks = True
        elif tag in _SHOWS:
            shows = True
            places = child.get(f"{_N}decimal-places", "")
            code.append("0" + ("." + "0" * int(places) if places.isdigit() and 0 < int(places) < 16 else "") if tag == f"{_N}number"
                        else tag.rsplit("}", 1)[-1])
            factor = child.get(f"{_N}display-factor", "1")
            if factor not in ("", "1", "1.0"):
                masks = True
                code.append(f" ÷{factor}")
    return "".join(code) or '""', masks or not shows

"""What every block's writer works with on one person's sheet (:class:`CardSheet`): the worksheet, its styles,
the spec, the layout, the precomputed formulas, what is pre-filled and what the sheet shows, the roles'
cells and passwords, the columns' widths and the page breaks; and the small writing helpers the blocks share."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..core.refs import a1, sheet_ref
from ..scoring.engine import CardInputs, CardResult
from ..sheet import formulas as F
from ..sheet.person import PersonLayout
from ..sheet.printing import FONTS, PageBreaks
from ..spec.model import Person, Spec
from .book import ScorecardWorkbook
from .card_print import WIDEST, column_widths
from .labels import label
from .styles import Styles

__all__ = ["CardSheet", "PersonTexts", "rules_of", "blank", "span", "fill", "write_input"]

PersonTexts = Mapping[str, str]  # comment and review texts to pre-fill (simulations, re-issues)

_RULES: dict[tuple[str, str], tuple[PersonLayout, dict[str, str], dict[str, Any]]] = {}


def rules_of(spec: Spec, mode: str) -> tuple[PersonLayout, dict[str, str], dict[str, Any]]:
    """A spec's layout, every formula by cell, and its cell map: the same for everyone on the template,
    so computed once (keyed by the spec's hash: a person's own targets make their own spec)."""
    key = (spec.hash, mode)
    found = _RULES.get(key)
    if found is None:
        if len(_RULES) >= 512:
            _RULES.clear()
        layout = PersonLayout.for_spec(spec, mode)
        found = _RULES[key] = (layout, F.expected_formulas(spec, layout, mode), layout.cell_map(spec))
    return found


_WIDTHS: dict[tuple[str, str, str, str], tuple[dict[int, float], bool]] = {}


def _widths(spec: Spec, mode: str, layout: PersonLayout, lang: str, font: str) -> tuple[dict[int, float], bool]:
    """:func:`column_widths`, the same for everyone of the template: computed once per spec, mode, language and font."""
    key = (spec.hash, mode, lang, font)
    found = _WIDTHS.get(key)
    if found is None:
        if len(_WIDTHS) >= 512:
            _WIDTHS.clear()
        found = _WIDTHS[key] = column_widths(spec, layout, lang, font)
    return found


class CardSheet:
    """One person's sheet being written; keeps what every block's writer needs (layout, styles, names, protected cells)."""

    def __init__(self, wb: ScorecardWorkbook, ws: Worksheet, styles: Styles, spec: Spec, lang: str, mode: str,
                 reviewer_password: str, passwords: Mapping[str, str] | None = None, awaiting: Collection[str] = (), *,
                 person: Person, inputs: CardInputs, result: CardResult, texts: PersonTexts) -> None:
        self.wb, self.ws, self.s, self.spec, self.lang, self.mode = wb, ws, styles, spec, lang, mode
        self.person, self.inputs, self.result, self.texts = person, inputs, result, texts
        self.layout, self.formulas, self.cell_map = rules_of(spec, mode)
        self.c = self.layout.col
        self.scope = sheet_ref(ws.name)
        self.reviewer_password = reviewer_password
        self.passwords = {role: (passwords or {}).get(role) or reviewer_password for role in ("supervisor", "reviewer", "peer")}
        self.awaiting = frozenset(awaiting)  # roles whose inputs are issued in rating workbooks: shown as awaited here
        self.review_cells: dict[str, list[str]] = {"supervisor": [], "reviewer": [], "peer": []}
        self.input_cells: list[str] = []
        self.numeric_inputs: list[str] = []  # cells where text cannot be scored: highlighted when they hold some
        self.rank: float | str = "" if result.grade is None else float(spec.grades.index(result.grade) + 1)
        # the workbook's font sets how wide a column prints (an English card in a Chinese department's workbook is in 等线)
        font = "en" if wb.default_format_properties.get("font_name") == FONTS["en"]["font_name"] else "zh"
        widths, self.landscape = _widths(spec, mode, self.layout, lang, font)
        self.widths = dict(widths)
        self.pages = PageBreaks([self.widths[k] * WIDEST[font] for k in range(self.c.NO, self.c.LAST_TABLE + 1)], landscape=self.landscape)

    def set_row(self, row: int, height: float) -> None:
        self.ws.set_row(row, height)
        self.pages.height(row, height)

    def width(self, first: int, last: int | None = None) -> float:
        return sum(self.widths[k] for k in range(first, (first if last is None else last) + 1))

    def L(self, key: str) -> str:  # noqa: N802 - the sheet's words
        return label(key, self.lang)

    def name(self, name: str, cell: str) -> None:
        """A sheet-scoped defined name (the contract other tools fill and read through). XlsxWriter only
        warns when it cannot define one; a sheet without its names is a defect, so it stops the build."""
        if self.wb.define_name(f"{self.scope}!{name}", f"={self.scope}!{cell}") == -1:
            raise RuntimeError(f"cannot define {name} on sheet {self.ws.name!r}")

    def review_style(self, text: bool = False, role: str = "supervisor", num_format: str | None = None) -> Any:
        locked = bool(self.passwords.get(role, self.reviewer_password))
        return self.s.get(("review_text" if text else "review") + ("" if locked else "_open"), num_format)

    def review_cell(self, role: str, row: int, col: int) -> None:
        self.review_cells[role if role in self.review_cells else "supervisor"].append(a1(row, col))

    def awaited(self, role: str, row: int, col: int, text: bool = False) -> bool:
        """Whether ``role`` fills this cell in its own rating workbook: then the cell is locked and says so."""
        if role not in self.awaiting:
            return False
        self.ws.write_string(row, col, self.L(f"awaiting_{role}"), self.s.get("awaiting_text" if text else "awaiting"))
        return True

    def formula(self, row: int, col: int) -> str:
        """The scoring formula of a cell (precomputed for the spec: :func:`expected_formulas`)."""
        return self.formulas[a1(row, col)]

    def result_cell(self, r: int, fmt: Any, cached: Any) -> None:
        """A result's formula (in the weighted-score column, where the cell map has it) shown across the rest of the row."""
        c = self.c
        self.ws.merge_range(r, c.WEIGHTED, r, c.LAST_TABLE, "", fmt)
        self.ws.write_formula(r, c.WEIGHTED, self.formula(r, c.WEIGHTED), fmt, cached)


def blank(value: float | None) -> float | str:
    return "" if value is None else value


def span(ws: Worksheet, r: int, first: int, last: int, value: str, fmt: Any) -> None:
    """A value across columns ``first..last`` (one cell when they are the same: Excel cannot merge one cell)."""
    if last > first:
        ws.merge_range(r, first, r, last, value, fmt)
    else:
        ws.write_string(r, first, value, fmt)


def fill(ws: Worksheet, r: int, first: int, last: int, fmt: Any) -> None:
    """Framed blank cells ``first..last`` (nothing when ``last`` < ``first``): a block's unused columns."""
    if last > first:
        ws.merge_range(r, first, r, last, "", fmt)
    elif last == first:
        ws.write_blank(r, first, None, fmt)


def write_input(w: CardSheet, r: int, col: int, value: Any, fmt: Any) -> None:
    if value is None or value == "":
        w.ws.write_blank(r, col, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        w.ws.write_number(r, col, value, fmt)
    else:
        w.ws.write_string(r, col, str(value), fmt)

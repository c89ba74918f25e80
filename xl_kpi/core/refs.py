"""A1 cell references: 0-based (row, col) ↔ ``H8`` / ``$H$8``. Pure arithmetic, no sheet knowledge."""

from __future__ import annotations

import functools

__all__ = ["a1", "col_index", "col_letter", "parse_a1", "sheet_ref"]


def col_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26: the inverse of :func:`col_letter`."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@functools.lru_cache(maxsize=4096)
def parse_a1(ref: str) -> tuple[int, int]:
    """``H8`` or ``$H$8`` → 0-based (row, col): the inverse of :func:`a1`."""
    ref = ref.replace("$", "")
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters):]) - 1, col_index(letters)


def a1(row: int, col: int, absolute: bool = False) -> str:
    """A 0-based (row, col) as ``H8`` or ``$H$8``."""
    d = "$" if absolute else ""
    return f"{d}{col_letter(col)}{d}{row + 1}"


def sheet_ref(sheet: str, cell: str = "") -> str:
    """``'My sheet'!A1`` — a sheet name quoted as formulas need it (an apostrophe doubled)."""
    quoted = "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!{cell}" if cell else quoted

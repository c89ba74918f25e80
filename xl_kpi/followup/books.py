"""What every workbook of the follow-up steps shares: written beside its target and moved into place, fonts of
its language, and a very hidden, protected sheet saying what it is (read back when it is collected)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..core.files import atomic_path
from ..core.text import Lang
from ..sheet.printing import FONTS
from ..workbook.book import ScorecardWorkbook

__all__ = ["new_book", "finish_book"]


def new_book(path: Path, lang: Lang) -> tuple[ScorecardWorkbook, Path]:
    """A workbook to be written to ``path`` (through a temporary file beside it) and that temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic_path(path)
    wb = ScorecardWorkbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True,
                                      "default_format_properties": dict(FONTS[lang])})
    return wb, tmp


def finish_book(wb: ScorecardWorkbook, tmp: Path, path: Path, meta_sheet: str, rows: Sequence[Sequence[str]], password: str = "") -> Path:
    """Add the hidden record (``rows`` of text), lock the structure, write, and move the file into place."""
    wb.add_hidden_record(meta_sheet, rows, password)
    wb.lock_structure(password)
    try:
        wb.close()
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path

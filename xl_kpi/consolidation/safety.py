"""Refuse hostile or broken packages before any parser sees them: the checks live in
:mod:`xl_kpi.core.packages`, where HR's own tables are opened through them too; this module keeps
the names consolidation has always imported from here."""

from __future__ import annotations

from ..core.packages import (  # noqa: F401 - re-exported (and two helpers tests/test_safety.py reaches)
    EXCEL_FORMATS,
    Entry,
    Limits,
    Package,
    Rejected,
    _directory,
    _prolog_verdict,
    file_kind,
    open_package,
    open_zip,
)
from ..core.text import Text

__all__ = ["Entry", "Limits", "Package", "Rejected", "open_package", "open_zip", "file_kind", "EXCEL_FORMATS"]

CRASHED = Text("读取进程意外终止(程序崩溃或超出内存上限)", "the reading process died (native crash or memory limit)")

"""The command line in one language at a time.

The language is chosen once per process (:func:`xl_kpi.core.text.ui_lang`: ``XL_KPI_LANG``, else
the system's). :func:`T` picks a text of ours. Nothing of click's or typer's own words reaches the
user: the help pages are ours (:mod:`.help`) and so is every parse error (:mod:`.parsing`).
"""

from __future__ import annotations

from ..core.text import Text, ui_lang

__all__ = ["LANG", "T", "Text"]

LANG = ui_lang()


def T(zh: str, en: str) -> str:  # noqa: N802 - reads like a constructor of text
    """Our text in the process's language."""
    return zh if LANG == "zh" else en

"""xl-kpi's exceptions: each carries findings from the catalogue (location, message, fix).

Exceptions are for unusable inputs and calls that cannot be carried out; bad *data* is a
:class:`~xl_kpi.core.findings.Finding` collected before anything stops. Every class also
inherits the matching built-in (``ValueError``), so callers can catch either.
"""

from __future__ import annotations

from typing import Any

from .findings import Finding, finding
from .text import Lang, ui_lang

__all__ = ["XlKpiError", "UsageError", "InputFileError", "SpecError", "InvalidActual"]


class XlKpiError(Exception):
    """Base of every error xl-kpi raises on purpose; the CLI prints it as one line.

    Made from a catalogue code and its fields (``UsageError("file-not-found", path=p)``), a
    :class:`Finding`, or a list of findings (every problem found, not just the first).
    """

    exit_code = 1

    def __init__(self, what: str | Finding | list[Finding], /, **fields: Any) -> None:
        if isinstance(what, str):
            what = finding(what, **fields)
        self.findings: list[Finding] = list(what) if isinstance(what, list) else [what]
        super().__init__(self.render())

    @property
    def finding(self) -> Finding:
        """The first error (what one line reports)."""
        return next((f for f in self.findings if f.severity == "error"), self.findings[0])

    @property
    def code(self) -> str:
        return self.finding.code

    def render(self, lang: Lang | None = None) -> str:
        lang = lang or ui_lang()
        errors = sum(f.severity == "error" for f in self.findings)
        more = ""
        if errors > 1:
            more = f"(另有 {errors - 1} 个错误)" if lang == "zh" else f" (and {errors - 1} more)"
        return self.finding.render(lang) + more


class UsageError(XlKpiError, ValueError):
    """The call cannot be carried out as given (missing file, bad option): exit code 2."""

    exit_code = 2


class InputFileError(XlKpiError, ValueError):
    """An input file (roster, actuals, targets, history) has problems: every one is carried."""


class SpecError(XlKpiError, ValueError):
    """A scorecard spec has errors; carries every problem found, not just the first."""

    @property
    def problems(self) -> list[Finding]:
        return self.findings


class InvalidActual(XlKpiError, ValueError):
    """An actual value that its indicator cannot score (text in a number, an unknown level)."""

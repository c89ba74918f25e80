"""xl-kpi's exceptions and problem records.

Exceptions are for unusable inputs and broken programs; bad *data* is a :class:`Problem`
record (a stable code, a location, a message and a fix) collected before anything stops.
Every text exists in Chinese and English; :func:`render` picks one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
Severity = Literal["error", "warning"]

__all__ = [
    "Text",
    "Problem",
    "XlKpiError",
    "UsageError",
    "InputFileError",
    "SpecError",
    "InvalidActual",
    "ui_lang",
]


@dataclass(frozen=True)
class Text:
    """A message in both languages; ``str()`` gives the user's interface language."""

    zh: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self(ui_lang())


def ui_lang() -> Lang:
    """Language of command-line messages: ``XL_KPI_LANG`` (zh|en), Chinese by default."""
    return "en" if os.environ.get("XL_KPI_LANG", "zh").lower().startswith("en") else "zh"


@dataclass(frozen=True)
class Problem:
    """One finding about an input: where it is, what is wrong and how to fix it."""

    code: str
    severity: Severity
    file: str
    location: str
    message: Text
    hint: Text | None = None

    def render(self, lang: Lang | None = None) -> str:
        """One line: ``file: location: message — how to fix``."""
        lang = lang or ui_lang()
        where = ": ".join(p for p in (self.file, self.location) if p)
        text = self.message(lang)
        if self.hint is not None:
            text += " — " + self.hint(lang)
        tag = "" if self.severity == "error" else ("警告 " if lang == "zh" else "warning ")
        return f"{where}: {tag}{text}" if where else tag + text

    def as_dict(self, lang: Lang | None = None) -> dict[str, str]:
        lang = lang or ui_lang()
        return {
            "file": self.file,
            "location": self.location,
            "code": self.code,
            "severity": self.severity,
            "message": self.message(lang),
            "hint": self.hint(lang) if self.hint else "",
        }


class XlKpiError(Exception):
    """Base of every error xl-kpi raises on purpose; the CLI prints it as one line."""

    exit_code = 1

    def __init__(self, message: Text, hint: Text | None = None, location: str = "") -> None:
        self.text = message
        self.hint = hint
        self.location = location
        super().__init__(self.render())

    def render(self, lang: Lang | None = None) -> str:
        lang = lang or ui_lang()
        out = self.text(lang)
        if self.hint is not None:
            out += " — " + self.hint(lang)
        return f"{self.location}: {out}" if self.location else out


class UsageError(XlKpiError, ValueError):
    """The command was called wrongly (missing file, bad option): exit code 2."""

    exit_code = 2


class InputFileError(XlKpiError, ValueError):
    """An input file (roster, actuals, history) cannot be used as it is."""


class SpecError(XlKpiError, ValueError):
    """A scorecard spec has errors; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        first = errors[0] if errors else problems[0]
        more = len(errors) - 1
        XlKpiError.__init__(
            self,
            Text(
                first.render("zh") + (f"(另有 {more} 个错误,运行 xl-kpi check 查看全部)" if more > 0 else ""),
                first.render("en") + (f" (and {more} more; run xl-kpi check to see all)" if more > 0 else ""),
            ),
        )

    def render(self, lang: Lang | None = None) -> str:
        return self.text(lang or ui_lang())


class InvalidActual(XlKpiError, ValueError):
    """An actual value that its indicator cannot score (text in a number, unknown level)."""

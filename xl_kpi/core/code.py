"""What a catalogue entry is (:class:`Code`): its area, severity, messages and fix in both languages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Severity", "SEVERITY_RANK", "Code", "entry", "HOSTILE"]

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Code:
    """A catalogue entry: messages are ``str.format`` templates over the finding's fields."""

    area: str
    severity: Severity
    zh: str
    en: str
    fix_zh: str = ""
    fix_en: str = ""


def entry(area: str, severity: Severity, zh: str, en: str, fix_zh: str = "", fix_en: str = "") -> Code:
    return Code(area, severity, zh, en, fix_zh, fix_en)


HOSTILE = ("该文件可能是恶意构造的,请勿打开", "the file may be hostile; do not open it")

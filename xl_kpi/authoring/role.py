"""One role read from a table: its raw spec data, the cell each part came from, what was inferred
and what was found — passed from the table reader to the field readers to the validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text

__all__ = ["Role", "EXAMPLES"]

EXAMPLES = {"weight": "40%", "target": "100% / 10个 / 5万元", "name": "销售额完成率",
            "standard": "≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分"}


@dataclass
class Role:
    """One role read from a table: raw spec data, the cell each part came from, notes, findings."""

    file: str
    sheet: str
    data: dict[str, Any]
    places: dict[str, str] = field(default_factory=dict)  # spec field ("indicators[0].weight") → "G5"
    notes: dict[str, list[Text]] = field(default_factory=dict)  # spec field → what was inferred there
    findings: list[Finding] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # the fields an import error was reported for: spec errors there are echoes

    def note(self, where: str, text: Text) -> None:
        self.notes.setdefault(where, []).append(text)

    def error(self, code: str, cell: str, where: str = "", **fields: Any) -> None:
        self.findings.append(finding(code, file=self.file, sheet=self.sheet, cell=cell, **fields))
        if where:
            self.failed.add(where)

    @property
    def language(self) -> str:
        return str(self.data.get("language", "zh"))

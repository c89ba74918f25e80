"""One role read from a table: its raw spec data, the cell each part came from, what was inferred
and what was found — passed from the table reader to the field readers to the validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text

__all__ = ["Role", "EXAMPLES"]

EXAMPLES: dict[str, Any] = {"weight": "40%", "target": "100% / 10个 / 5万元", "name": "销售额完成率",
                            "standard": Text("≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分",
                                             "≥110%: 100 pts; 100%-110%: 80 pts; 90%-100%: 60 pts; <90%: 0 pts")}
# the forms an unreadable standard is shown, each read by the grammar as written (tests/test_import.py reads them back)
STANDARD_FORMS = Text(" | ".join(["≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分", "得分=实际/目标×100,最高120分",
                                  "每发生1次扣20分,扣完为止", "每低于目标1%扣2分", "A:100分;B:80分;C:60分;D:0分", "由评分人在0–10分之间打分"]),
                      " | ".join(["≥110%: 100 pts; 100%-110%: 80 pts; 90%-100%: 60 pts; <90%: 0 pts", "score = actual/target × 100, from 0 to 120",
                                  "start at 100, minus 20 per case, not below 0", "-2 pts per 1% below target",
                                  "A: 100 pts; B: 80 pts; C: 60 pts; D: 0 pts", "rated 0–10 pts by the manager"]))


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

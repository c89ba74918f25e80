"""What a return's findings ask of whom: fix a cell (the person, or their rater), get the workbook again, or HR.

Pure rules over consolidation's findings. A finding on an input cell the person or a rater can put
right (blank, unreadable, out of range, typed so the sheet reads it otherwise) is *fixed in the file*:
it is marked on an annotated copy. A return whose rules, identity, protection or format were changed,
or that is of another period, cannot be made right by typing: it is *re-issued* (the person gets the
workbook as issued). What only HR can settle (copies that disagree, a duplicate) is HR's. Anything
else (notes, the recomputed cached values) asks nothing of anyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..consolidation.reader import INTEGRITY_CODES
from ..core.findings import Finding
from ..core.text import Lang, Text
from ..sheet.person import PersonLayout
from ..spec.model import Spec

__all__ = ["Action", "Role", "FIXABLE", "REISSUE", "HR_ONLY", "action_of", "cell_roles", "person_fix", "ROLE_NAMES"]

Action = Literal["fix", "reissue", "hr", "none"]
Role = Literal["employee", "supervisor", "reviewer", "peer"]

FIXABLE = frozenset({"missing-actual", "invalid-actual", "invalid-level", "ambiguous-percent", "invalid-count", "invalid-mark", "out-of-range",
                     "sheet-reads-otherwise"})
REISSUE = INTEGRITY_CODES | frozenset({"returned-other-format", "other-period", "metadata-invalid", "sheet-missing",
                                       "unknown-template", "corrupt-file", "superseded-issue", "not-a-scorecard", "encrypted", "legacy-xls"})
HR_ONLY = frozenset({"conflicting-returns", "duplicate-person", "unknown-person"})
ROLE_NAMES: dict[str, Text] = {"employee": Text("本人", "you"), "supervisor": Text("直接上级", "your supervisor"),
                               "reviewer": Text("复核人", "the reviewer"), "peer": Text("互评同事", "your peers")}

# What the person reads beside a marked cell, where the catalogue's fix speaks to HR ("ask the person to …").
_FIXES: dict[tuple[str, str], Text] = {
    ("missing-actual", "employee"): Text("请填写本期的实际完成值(数字;百分比如 105%)。", "Enter your actual result for the period (a number; percentages like 105%)."),
    ("missing-actual", "supervisor"): Text("此项由直接上级评分:请上级在此填写。", "Your supervisor rates this: to be filled in by them."),
    ("missing-actual", "reviewer"): Text("此项由复核人评分:请复核人在此填写。", "The reviewer rates this: to be filled in by them."),
    ("missing-actual", "peer"): Text("此项由互评同事评分:请互评同事在此填写。", "Your peers rate this: to be filled in by them."),
    ("ambiguous-percent", ""): Text("请带上 % 重新填写(如 95% 或 950%),以免歧义。", "Type it with the % sign (e.g. 95% or 950%) so it cannot be misread."),
    ("sheet-reads-otherwise", ""): Text("请只填写数字本身(不带文字、单位或空格),使表内结果与汇总一致。",
                                        "Type the number alone (no words, units or spaces) so the sheet shows the result HR uses."),
}


@dataclass(frozen=True)
class CellRoles:
    """Whose each input cell of a person's sheet is, as the template lays it out."""

    roles: Mapping[str, Role]

    def of(self, cell: str) -> Role:
        return self.roles.get(cell, "employee")


def cell_roles(spec: Spec, mode: str = "native") -> CellRoles:
    """Each input cell's owner: actuals, self-ratings and the self-review are the person's; other raters'
    ratings their rater's; adjustment counts, veto marks and the comment the supervisor's."""
    cells: dict[str, Any] = PersonLayout.for_spec(spec, mode).cell_map(spec)
    roles: dict[str, Role] = {}
    for ind in spec.indicators:
        for rater in ind.raters:
            role = spec.rater(rater).role
            roles[cells["rating"][ind.id][rater]] = "employee" if role == "self" else role
    for ref in cells.get("adjustment", {}).get("count", {}).values():
        roles[ref] = "supervisor"
    for ref in cells.get("veto", {}).values():
        roles[ref] = "supervisor"
    roles[cells["comment"]] = "supervisor"
    return CellRoles(roles)


def action_of(f: Finding) -> Action:
    """What a finding asks for (see the module)."""
    if f.code in REISSUE and f.severity == "error":
        return "reissue"
    if f.code in ("other-period", "returned-other-format", "returned-unreadable"):
        return "reissue"
    if f.code in FIXABLE and f.cell and f.severity in ("error", "warning"):
        return "fix"
    if f.code in HR_ONLY and f.severity in ("error", "warning"):
        return "hr"
    return "none"


def person_fix(f: Finding, role: Role, lang: Lang) -> str:
    """How to put a marked cell right, said to whoever opens the file."""
    text = _FIXES.get((f.code, role)) or _FIXES.get((f.code, ""))
    if text is not None:
        return text(lang)
    return f.hint(lang) if f.hint is not None else ""

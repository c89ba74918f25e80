"""The supervisor's own goals workbook (上级目标确认表), when ratings are separate (issue 26's way, for the goals round).

With ``build --phase goals --ratings separate`` (or ``auto`` on a card others rate), the employee's goals workbook
holds only what the employee fills, and each supervisor gets one workbook beside the scorecards' rating workbooks
(``评分表/上级目标确认_<name>.xlsx``) listing every goal of each of their people: the indicator, its HR weight and
what history says, then the supervisor's word — 同意 / 调整 (with the agreed target) / 不同意 — and a note; the
people's personal indicators each get a row agreed the same way; one sign-off (目标确认) covers them all.
:mod:`.collect` merges both files, trusting each party only for its own cells. The rows' places come from the
register (:class:`AgreementLayout`), never from the file.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..followup.books import finish_book, new_book
from ..sheet.printing import page_setup, row_height
from ..workbook.styles import Styles, number_format
from .book import GoalsIssue, numeric, signature
from .layout import pick, word
from .rules import AGREEMENT_WORDS, History, Member, card_weight

__all__ = ["AgreementLayout", "Proposal", "SUPERVISOR_FORMAT", "SUPERVISOR_FILE", "write_supervisor_book", "sup_word", "supervisor_named"]

SUPERVISOR_FORMAT = "xl-kpi goals supervisor"
SUPERVISOR_FILE = {"zh": "上级目标确认", "en": "Supervisor goals"}
_W: dict[str, tuple[str, str]] = {
    "sheet": ("目标确认", "Agree goals"), "title": ("上级目标确认表", "Goals to agree (supervisor)"),
    "intro": ("请为每位下属的每个目标在黄色单元格中填写意见:同意(按员工在其目标设定表中提出的目标)、调整(并填写确认的目标)或不同意,"
              "可写说明;员工的个人指标同样确认。员工的提议、目标描述和理由见其目标设定表(HR 汇总后另有报告)。签字后保存,按 HR 的通知交回。",
              "For each goal of each of your people, give your word in the yellow cells: Agree (to the target the employee proposes in "
              "their goals workbook), Adjust (with the agreed target) or Disagree, with a note if you wish; personal indicators the same. "
              "The proposals, goal sentences and reasons are in each employee's goals workbook (HR's report lists them too). Sign, save "
              "and return it as HR asks."),
    "intro_shown": ("下属已交回目标设定表:每个目标的提议、目标描述和理由列在灰色单元格中(只读)。请在黄色单元格中填写意见:同意(按员工提出的目标)、"
                    "调整(并填写确认的目标)或不同意,可写说明;员工的个人指标同样确认。签字后保存,按 HR 的通知交回。",
                    "Your people returned their goals: each goal's proposal, sentence and reason are in the grey cells (read-only). Give "
                    "your word in the yellow cells: Agree (to the proposed target), Adjust (with the agreed target) or Disagree, with a "
                    "note if you wish; personal indicators the same. Sign, save and return it as HR asks."),
    "supervisor": ("上级", "Supervisor"), "people": ("人数", "People"), "personal_row": ("个人指标 {k}(员工提出)", "Personal indicator {k} (the employee's)"),
    "sign": ("上级签字", "Supervisor"), "proposed": ("员工提出的目标", "Proposed"),
}


def supervisor_named(manager: str, names: Mapping[str, str]) -> tuple[str, str]:
    """A supervisor as the roster writes them (``manager``: a name, or an employee id on the roster) → the name for
    their file and the words heading their workbook, as the rating workbooks name a rater: 王经理 and 王经理 (M01)."""
    name = names.get(manager, "").strip()
    return (name, f"{name} ({manager})") if name and name != manager else (manager, manager)


def sup_word(key: str, lang: str) -> str:
    return pick(_W, key, lang)


@dataclass(frozen=True)
class AgreementLayout:
    """The supervisor's sheet: per person (in the register's order) a block of rows — the role's indicators, then
    ``personal`` rows — and one sign-off below."""

    blocks: tuple[tuple[int, int], ...]  # (role indicators, personal rows) per person
    shown: bool = False  # built from the employees' returns: their proposal, sentence and reason shown, read-only

    TITLE_ROW, INTRO_ROW, INFO_ROW, HEADER_ROW, FIRST_ROW = 0, 1, 3, 5, 6
    SIGN_COL, DATE_COL = 2, 5

    @cached_property
    def COLUMNS(self) -> tuple[str, ...]:  # noqa: N802 - a constant of the layout
        shown = ("proposed", "text", "reason") if self.shown else ()
        return ("no", "employee_id", "name", "ind_name", "kind", "unit", "hr_weight", "mean", "baseline", "challenge", *shown, "agreement",
                "sup_target", "sup_note")

    def col(self, key: str) -> int:
        return self.COLUMNS.index(key)

    @cached_property
    def starts(self) -> tuple[int, ...]:
        out, r = [], self.FIRST_ROW
        for role, personal in self.blocks:
            out.append(r)
            r += role + personal
        return (*out, r)

    def role_row(self, person: int, k: int) -> int:
        return self.starts[person] + k

    def personal_row(self, person: int, k: int) -> int:
        return self.starts[person] + self.blocks[person][0] + k

    @property
    def last_goal_row(self) -> int:
        return self.starts[-1] - 1

    @property
    def signoff_title(self) -> int:
        return self.starts[-1] + 1

    @property
    def signoff_row(self) -> int:
        return self.signoff_title + 1


WIDTHS = {"no": 4, "employee_id": 9, "name": 9, "ind_name": 16, "kind": 6, "unit": 5, "hr_weight": 7, "mean": 9, "baseline": 9,
          "challenge": 9, "proposed": 10, "text": 28, "reason": 20, "agreement": 9, "sup_target": 11, "sup_note": 28}
# What an employee proposed for one goal (indicator id or personal_<k>): target, sentence, reason, and a personal indicator's name
Proposal = tuple[float | None, str, str, str]


def write_supervisor_book(path: Path, supervisor: str, members: Sequence[Member], lang: str, password: str = "",
                          key: bytes | None = None, proposals: Mapping[str, Mapping[str, Proposal]] | None = None) -> list[GoalsIssue]:
    """Write a supervisor's goals workbook at ``path``; returns what it issued, one entry per person (for the register).
    ``proposals`` (built from the employees' returns): each person's proposals, shown read-only beside the cells to fill."""
    lay = AgreementLayout(tuple((len(m.spec.indicators), max(m.rules.personal_max, 0)) for m in members), proposals is not None)
    wb, tmp = new_book(path, "en" if lang == "en" else "zh")
    s = Styles(wb)
    ws = wb.add_worksheet(sup_word("sheet", lang))
    last = len(lay.COLUMNS) - 1
    period = members[0].period if members else ""
    ws.merge_range(lay.TITLE_ROW, 0, lay.TITLE_ROW, last, f"{sup_word('title', lang)} — {supervisor} — {period}", s.get("title"))
    ws.set_row(lay.TITLE_ROW, 26)
    ws.merge_range(lay.INTRO_ROW, 0, lay.INTRO_ROW, last, sup_word("intro_shown" if lay.shown else "intro", lang), s.get("note"))
    ws.set_row(lay.INTRO_ROW, 48)
    for c, (key_, value) in enumerate((("supervisor", supervisor), ("period", period), ("people", str(len(members))))):
        ws.merge_range(lay.INFO_ROW, c * 4, lay.INFO_ROW, c * 4 + 1, sup_word(key_, lang) if key_ != "period" else word("period", lang), s.get("label"))
        ws.merge_range(lay.INFO_ROW, c * 4 + 2, lay.INFO_ROW, c * 4 + 3, value, s.get("text"))
    for key_ in lay.COLUMNS:
        ws.write_string(lay.HEADER_ROW, lay.col(key_), sup_word(key_, lang) if key_ in _W else word(key_, lang), s.get("header"))
    ws.set_row(lay.HEADER_ROW, 32)
    words = [AGREEMENT_WORDS[k][0 if lang == "zh" else 1] for k in ("agree", "adjust", "disagree")]
    yellow, yellow_text = s.get("review_open"), s.get("review_text_open")
    for p, m in enumerate(members):
        first, end = lay.starts[p], lay.starts[p + 1] - 1
        for key_, value in (("no", str(p + 1)), ("employee_id", m.person.employee_id), ("name", m.person.name)):
            fmt = s.get("value" if key_ != "name" else "text")
            if end > first:
                ws.merge_range(first, lay.col(key_), end, lay.col(key_), "", fmt)
            if key_ == "no":
                ws.write_number(first, lay.col(key_), p + 1, fmt)
            else:
                ws.write_string(first, lay.col(key_), value, fmt)
        for k, ind in enumerate(m.spec.indicators):
            r = lay.role_row(p, k)
            hist = m.history.get(ind.id, History())
            fmt = number_format(ind)
            for key_, text in (("ind_name", ind.name), ("kind", word(ind.kind, lang)), ("unit", ind.unit)):
                ws.write_string(r, lay.col(key_), text, s.get("text"))
            ws.write_number(r, lay.col("hr_weight"), card_weight(m.spec, ind), s.get("value", "0%"))
            for key_, number in (("mean", hist.mean), ("baseline", hist.baseline), ("challenge", hist.challenge)):
                if number is None:
                    ws.write_blank(r, lay.col(key_), None, s.get("param", fmt))
                else:
                    ws.write_number(r, lay.col(key_), number, s.get("param", fmt))
            if numeric(ind):
                ws.write_blank(r, lay.col("sup_target"), None, s.get("review_open", fmt))
                lo, hi = ind.input_range
                rule = ({"validate": "decimal", "criteria": "between", "minimum": lo, "maximum": hi} if hi != float("inf")
                        else {"validate": "decimal", "criteria": ">=", "value": lo})
                ws.data_validation(r, lay.col("sup_target"), r, lay.col("sup_target"), rule | {"input_message": word("tip_target", lang)})
            else:
                ws.write_string(r, lay.col("sup_target"), "—", s.get("formula"))
            ws.set_row(r, 22)
        for k in range(lay.blocks[p][1]):
            r = lay.personal_row(p, k)
            named = (proposals or {}).get(m.person.employee_id, {}).get(f"personal_{k + 1}", (None, "", "", ""))[3]
            ws.write_string(r, lay.col("ind_name"), named or sup_word("personal_row", lang).format(k=k + 1), s.get("text"))
            for key_ in ("kind", "unit", "hr_weight", "mean", "baseline", "challenge"):
                ws.write_blank(r, lay.col(key_), None, s.get("param"))
            ws.write_blank(r, lay.col("sup_target"), None, s.get("review_open", "General"))
            ws.set_row(r, 22)
        if lay.shown:
            _shown(ws, s, lay, p, m, (proposals or {}).get(m.person.employee_id, {}))
        for r in range(first, end + 1):
            ws.write_blank(r, lay.col("agreement"), None, yellow)
            ws.write_blank(r, lay.col("sup_note"), None, yellow_text)
    if members:
        ws.data_validation(lay.FIRST_ROW, lay.col("agreement"), lay.last_goal_row, lay.col("agreement"),
                           {"validate": "list", "source": words, "input_message": word("tip_agree", lang)})
    ws.write_string(lay.signoff_title, 0, word("signoff", lang), s.get("section"))
    r = lay.signoff_row
    ws.merge_range(r, 0, r, lay.SIGN_COL - 1, sup_word("sign", lang), s.get("label"))
    ws.merge_range(r, lay.SIGN_COL, r, lay.DATE_COL - 2, "", yellow_text)
    ws.write_string(r, lay.DATE_COL - 1, word("date", lang), s.get("label"))
    ws.merge_range(r, lay.DATE_COL, r, lay.DATE_COL + 1, "", yellow_text)
    ws.set_row(r, 24)
    for key_ in lay.COLUMNS:
        ws.set_column(lay.col(key_), lay.col(key_), WIDTHS[key_])
    ws.freeze_panes(lay.FIRST_ROW, lay.col("name") + 1)
    ws.protect(password, {"format_columns": True, "format_rows": True})
    page_setup(ws, lang, landscape=True, area=(0, 0, lay.signoff_row, last), repeat=(lay.HEADER_ROW, lay.HEADER_ROW),
               who=(sup_word("title", lang), supervisor))
    wid = uuid.uuid4().hex
    rows = [["format", SUPERVISOR_FORMAT], ["format_version", "1"], ["workbook_id", wid], ["period", period], ["lang", lang],
            ["sheet", sup_word("sheet", lang)], ["supervisor", supervisor], ["people", ",".join(m.person.employee_id for m in members)],
            ["generated", datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")]]
    if key is not None:
        rows.append(["signature", signature(rows, key)])
    finish_book(wb, tmp, path, "_xlkpi_goals", rows, password)
    return [GoalsIssue(wid, m.person, m.spec, m.period, path.name, lang, dict(m.history), m.rules, "supervisor", supervisor, place,
                       shown=lay.shown) for place, m in enumerate(members)]


def _shown(ws: Any, s: Styles, lay: AgreementLayout, p: int, m: Member, proposed: Mapping[str, Proposal]) -> None:
    """What the employee proposed for each goal, read-only (as their return says; the register is not asked)."""
    rows = [(lay.role_row(p, k), ind.id, number_format(ind)) for k, ind in enumerate(m.spec.indicators)]
    rows += [(lay.personal_row(p, k), f"personal_{k + 1}", "General") for k in range(lay.blocks[p][1])]
    for r, key, fmt in rows:
        target, text, reason, _ = proposed.get(key, (None, "", "", ""))
        if target is None:
            ws.write_blank(r, lay.col("proposed"), None, s.get("prior", fmt))
        else:
            ws.write_number(r, lay.col("proposed"), target, s.get("prior", fmt))
        ws.write_string(r, lay.col("text"), text, s.get("prior_text"))
        ws.write_string(r, lay.col("reason"), reason, s.get("prior_text"))
        ws.set_row(r, row_height([(text, WIDTHS["text"]), (reason, WIDTHS["reason"])], 22))

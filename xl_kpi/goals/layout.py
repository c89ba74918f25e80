"""Where everything lives on a goals sheet, and its words: the one owner of its coordinates (the writer places
cells here, the metadata records the map, collecting reads it back)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..core.refs import a1

__all__ = ["GoalsLayout", "WORDS", "word", "pick", "TIME_WORDS", "DIGITS"]

WORDS: dict[str, tuple[str, str]] = {
    "sheet": ("目标设定", "Goals"), "title": ("目标设定表", "Goal setting"),
    "intro": ("请在蓝色单元格为每项指标填写你的目标和一句目标描述(做什么、达到多少、何时完成);目标低于基准目标时,用数据说明理由或提出替代方案。"
              "基准目标约为历史平均的110%,挑战目标约为130%。可在下方增加个人指标(在 HR 允许的范围内),各项权重合计须为100%。"
              "黄色单元格由直接上级填写:同意、调整(并填写确认的目标)或不同意;双方在“目标确认”处签字后交回。",
              "In the blue cells, give each indicator your target and one goal sentence (what, how much, by when); a target below the "
              "baseline needs a reason argued with data, or an alternative. The baseline is about 110% of your historical average, the "
              "challenge about 130%. Personal indicators can be added below within what HR allows; the weights must total 100%. "
              "Your supervisor fills in the yellow cells: Agree, Adjust (with the agreed target) or Disagree; both sign the sign-off "
              "(目标确认) and the workbook is returned."),
    "intro_separate": ("请在蓝色单元格为每项指标填写你的目标和一句目标描述(做什么、达到多少、何时完成);目标低于基准目标时,用数据说明理由或提出替代方案。"
                       "基准目标约为历史平均的110%,挑战目标约为130%。可在下方增加个人指标(在 HR 允许的范围内),各项权重合计须为100%。"
                       "直接上级在自己的目标确认表中逐项确认(同意、调整或不同意);你签字后交回,并把本表发给上级参阅。",
                       "In the blue cells, give each indicator your target and one goal sentence (what, how much, by when); a target below "
                       "the baseline needs a reason argued with data, or an alternative. The baseline is about 110% of your historical "
                       "average, the challenge about 130%. Personal indicators can be added below within what HR allows; the weights must "
                       "total 100%. Your supervisor agrees each goal (Agree, Adjust or Disagree) in their own workbook; sign, return this "
                       "one, and send your supervisor a copy to read."),
    "agreement_separate": ("上级意见(上级表中)", "Supervisor (their workbook)"),
    "sup_target_separate": ("上级确认的目标(上级表中)", "Supervisor's target (their workbook)"),
    "sup_note_separate": ("上级说明(上级表中)", "Supervisor's note (their workbook)"),
    "agreed_separate": ("待确认的目标", "Target to agree"),
    "supervisor_sign_separate": ("上级在自己的目标确认表中签字", "Your supervisor signs in their own workbook"),
    "employee_id": ("员工编号", "Employee ID"), "name": ("姓名", "Name"), "department": ("部门", "Department"),
    "position": ("岗位", "Position"), "manager": ("直接上级", "Supervisor"), "period": ("考核期间", "Period"),
    "card": ("考核表", "Scorecard"), "role_title": ("岗位指标", "Role indicators"),
    "personal_title": ("个人指标(可选)", "Personal indicators (optional)"),
    "no": ("序号", "#"), "ind_name": ("指标", "Indicator"), "kind": ("类型", "Kind"), "definition": ("定义", "Definition"),
    "source": ("来源(支撑的目标)", "Source (the goal it serves)"), "unit": ("单位", "Unit"), "hr_weight": ("HR权重", "HR weight"),
    "weight": ("我的权重", "My weight"), "mean": ("历史平均", "History mean"), "baseline": ("基准目标", "Baseline"),
    "challenge": ("挑战目标", "Challenge"), "limited": ("资源受限目标", "Resource-limited"), "proposed": ("我的目标", "My target"),
    "text": ("目标描述(SMART)", "Goal sentence (SMART)"), "reason": ("低于基准的理由/替代方案", "Why below baseline / alternative"),
    "check": ("检查", "Check"), "agreement": ("上级意见", "Supervisor"), "sup_target": ("上级确认的目标", "Supervisor's target"),
    "agreed": ("确认目标", "Agreed target"), "sup_note": ("上级说明", "Supervisor's note"),
    "method": ("计分方法", "Scoring"), "direction": ("方向", "Direction"),
    "result": ("结果", "result"), "process": ("过程", "process"), "higher": ("越高越好", "higher is better"),
    "lower": ("越低越好", "lower is better"),
    "weight_total": ("权重合计", "Weights total"), "count": ("指标个数", "Indicators"), "process_count": ("过程指标", "Process indicators"),
    "signoff": ("目标确认", "Target sign-off (目标确认)"), "employee_sign": ("员工签字", "Employee"), "supervisor_sign": ("上级签字", "Supervisor"),
    "date": ("日期", "Date"), "split_title": ("分解(按确认目标)", "Split (of the agreed target)"),
    "ok": ("✓", "✓"), "no_target": ("缺目标;", "no target;"), "no_text": ("缺目标描述;", "no goal sentence;"),
    "no_number": ("描述中没有数字;", "no number in the sentence;"), "no_time": ("描述中没有期限;", "no deadline in the sentence;"),
    "below": ("低于基准须说明理由;", "below baseline: give a reason;"), "should_be_100": ("应为100%", "should be 100%"),
    "should_be_count": ("应为{lo}–{hi}个", "should be {lo}–{hi}"), "need_process": ("至少1个过程指标", "at least 1 process indicator"),
    "tip_target": ("填写数值;百分比指标可直接输入如 110%。", "A number; a rate can be typed as 110%."),
    "tip_text": ("一句话:做什么、达到多少、何时完成,如“第三季度销售额达到13万元”。", "One sentence: what, how much, by when, e.g. 'Q3 sales of 130,000'."),
    "tip_reason": ("用数据说明(历史、资源、市场),或提出替代方案。", "Argue it with data (history, resources, market) or propose an alternative."),
    "tip_weight": ("在 HR 允许的范围内: {lo}–{hi}", "Within what HR allows: {lo}–{hi}"),
    "extra_process_target": ("附加过程目标:如“新渠道试点1个”", "add a process target, e.g. one new channel pilot"),
    "tip_agree": ("同意、调整(并填写确认的目标)或不同意。", "Agree, Adjust (with the agreed target) or Disagree."),
}

# The live check's words: a digit, and a period or deadline (the engine's :func:`~xl_kpi.goals.rules.sheet_check` uses the same).
DIGITS = tuple("0123456789")
TIME_WORDS = {"zh": ("季度", "月", "年", "周", "日", "Q"), "en": ("Q1", "Q2", "Q3", "Q4", "quarter", "month", "year", "week", "by ")}


def pick(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """A word of a (zh, en) table in the sheet's language."""
    zh, en = table[key]
    return zh if lang == "zh" else en


def word(key: str, lang: str) -> str:
    return pick(WORDS, key, lang)


@dataclass(frozen=True)
class GoalsLayout:
    """One person's goals sheet: ``role`` rows of the role's indicators, ``personal`` rows for their own, and the
    split columns (``splits``: 3 months of a quarter, or 4 quarters of a year)."""

    role: int
    personal: int
    splits: int

    TITLE_ROW = 0
    INTRO_ROW = 1
    INFO_ROW = 3  # two rows of who and when
    ROLE_TITLE_ROW = 6

    @cached_property
    def columns(self) -> tuple[str, ...]:
        cols = ["no", "ind_name", "kind", "definition", "source", "unit", "hr_weight", "weight", "mean", "baseline", "challenge",
                "limited", "proposed", "text", "reason", "check", "agreement", "sup_target", "agreed", "sup_note"]
        cols += [f"split_{k}" for k in range(1, self.splits + 1)]
        cols += ["issues"]  # hidden: the check's text before "✓"
        return tuple(cols)

    def col(self, key: str) -> int:
        return self.columns.index(key)

    @property
    def last_visible(self) -> int:
        return self.col("issues") - 1

    @property
    def role_header(self) -> int:
        return self.ROLE_TITLE_ROW + 1

    def role_row(self, k: int) -> int:
        return self.role_header + 1 + k

    @property
    def personal_title(self) -> int:
        return self.role_row(self.role) + 1

    @property
    def personal_header(self) -> int:
        return self.personal_title + 1

    def personal_row(self, k: int) -> int:
        return self.personal_header + 1 + k

    def goal_rows(self) -> list[int]:
        """Every goal row, role indicators first."""
        return [self.role_row(k) for k in range(self.role)] + [self.personal_row(k) for k in range(self.personal)]

    @property
    def totals_row(self) -> int:
        return self.personal_row(max(self.personal, 0)) + 1

    @property
    def signoff_title(self) -> int:
        return self.totals_row + 4

    def signoff_row(self, who: str) -> int:
        return self.signoff_title + (1 if who == "employee" else 2)

    SIGN_COL, DATE_COL = 2, 5  # the signature's and date's input cells on a sign-off row

    @property
    def last_row(self) -> int:
        return self.signoff_row("supervisor")

    def cell(self, key: str, row: int) -> str:
        return a1(row, self.col(key))

    def span(self, key: str) -> str:
        """The column over every goal row (role and personal: the rows between are blank or headers)."""
        last = self.personal_row(self.personal - 1) if self.personal else self.role_row(self.role - 1)
        return f"{a1(self.role_row(0), self.col(key), True)}:{a1(last, self.col(key), True)}"

    def as_dict(self) -> dict[str, object]:
        return {"role": self.role, "personal": self.personal, "splits": self.splits, "columns": list(self.columns)}

"""Where everything lives on a calibration sheet: the one owner of its coordinates (the writer places cells
here, the metadata records the column map, collecting reads it back)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..core.refs import a1

__all__ = ["CalibrationLayout", "WORDS", "word"]

WORDS: dict[str, tuple[str, str]] = {
    "title": ("绩效校准表", "Performance calibration"), "company": ("全公司", "Company"),
    "intro": ("在“校准等级”列为需要调整的人选择新等级(只能选本人考核表的等级),并写明调整理由和校准人;其余各列来自汇总结果,不可修改。"
              "上方的等级分布、分布指引和九宫格随校准实时更新。",
              "Pick a new grade in 'Calibrated grade' for anyone whose grade moves (only their own card's grades are offered), "
              "with the reason and who decided; every other column is the consolidated result and cannot be edited. The "
              "distribution, the guideline and the nine-box above update as you calibrate."),
    "distribution": ("等级分布", "Grade distribution"), "grade": ("等级", "Grade"), "min": ("最低分", "Minimum"),
    "level": ("绩效层级", "Performance level"), "before": ("原人数", "Before"), "before_share": ("原占比", "Before %"),
    "after": ("校准后人数", "After"), "after_share": ("校准后占比", "After %"), "people": ("人数合计", "People"),
    "guideline": ("分布指引", "Distribution guideline"), "rule": ("规则", "Rule"), "count": ("现人数", "Now"),
    "least": ("最少", "At least"), "most": ("最多", "At most"), "over": ("超出", "Over"), "under": ("不足", "Under"),
    "result": ("结果", "Result"), "met": ("✓ 符合", "✓ met"), "over_by": ("超出 ", "over by "), "under_by": ("不足 ", "under by "),
    "persons": (" 人", ""), "no_guideline": ("未给出分布指引(--guideline)", "No guideline given (--guideline)"),
    "ninebox": ("九宫格(绩效 × 潜力)", "Nine-box (performance × potential)"), "axes": ("潜力 \\ 绩效", "Potential \\ Performance"),
    "people_title": ("人员", "People"), "no": ("序号", "#"), "employee_id": ("员工编号", "Employee ID"), "name": ("姓名", "Name"),
    "department": ("部门", "Department"), "template": ("考核表", "Scorecard"), "total": ("总分", "Total"),
    "details": ("得分明细(实际 → 得分)", "Scores (actual → score)"), "original": ("原等级", "Grade"), "potential": ("潜力", "Potential"),
    "perf": ("绩效层级", "Performance"), "box": ("九宫格", "Nine-box"), "calibrated": ("校准等级", "Calibrated grade"),
    "final": ("最终等级", "Final grade"), "change": ("等级变动", "Moved"),
    "points": ("与新等级分数线的差", "Points beyond the new band"), "coefficient": ("绩效系数", "Coefficient"),
    "bonus_base": ("奖金基数", "Bonus base"), "pay": ("绩效工资", "Pay"), "reason": ("调整理由", "Reason"),
    "calibrator": ("校准人", "Calibrated by"), "check": ("检查", "Check"), "ok": ("✓", "✓"),
    "missing": ("缺理由或校准人", "reason or name missing"), "not_own": ("不是本人考核表的等级", "not a grade of their card"),
    "pick": ("从下拉列表选择本人考核表的等级;调整时必须填写调整理由和校准人。", "Pick one of their own card's grades; a move needs a reason and who decided."),
    "reason_tip": ("写明依据(事实、数据),至少 2 个字。", "Say why, with facts; at least 2 characters."),
    "calibrator_tip": ("填写作出决定的人。", "Who decided."),
    "excluded": ("未参加校准", "Not calibrated"), "status": ("状态(原因)", "Status (why)"),
}


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class CalibrationLayout:
    """One calibration sheet: ``grades`` of its scale, ``rules`` of the guideline, ``people``; with a
    potential column and nine-box when ``potential``, coefficient and pay columns when ``coefficients``."""

    grades: int
    rules: int
    people: int
    potential: bool = False
    coefficients: bool = False

    TITLE_ROW = 0
    INTRO_ROW = 1
    DIST_TITLE_ROW = 3
    # the summary blocks' columns (a pair is merged): distribution, guideline, nine-box
    DIST = {"grade": (0, 1), "min": (2, 2), "before": (3, 3), "before_share": (4, 4), "after": (5, 5), "after_share": (6, 6),
            "level": (7, 7)}
    GUIDE = {"rule": (0, 2), "before": (3, 3), "count": (4, 4), "least": (5, 5), "most": (6, 6), "over": (7, 7), "under": (8, 8),
             "result": (9, 10)}
    NINE_LABEL = (0, 1)

    @staticmethod
    def nine_col(performance: int) -> int:
        """The column of a performance level's box names (its counts are in the next column)."""
        return 2 * performance

    @property
    def dist_header_row(self) -> int:
        return self.DIST_TITLE_ROW + 1

    def dist_row(self, rank: int) -> int:
        """The distribution table's row of grade ``rank`` (1 = the best)."""
        return self.dist_header_row + rank

    @property
    def people_count_row(self) -> int:
        return self.dist_row(self.grades) + 1

    @property
    def guide_title_row(self) -> int:
        return self.people_count_row + 2

    @property
    def guide_header_row(self) -> int:
        return self.guide_title_row + 1

    def guide_row(self, k: int) -> int:
        return self.guide_header_row + 1 + k

    @property
    def nine_title_row(self) -> int:
        return self.guide_row(max(self.rules, 1)) + 1

    @property
    def nine_header_row(self) -> int:
        return self.nine_title_row + 1

    def nine_row(self, potential: int) -> int:
        """The grid's row of potential level 3 (top), 2 or 1."""
        return self.nine_header_row + 4 - potential

    @property
    def people_title_row(self) -> int:
        return (self.nine_row(1) if self.potential else self.guide_row(max(self.rules, 1)) - 1) + 2

    @property
    def header_row(self) -> int:
        return self.people_title_row + 1

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.first_row + max(self.people, 1) - 1

    # --- columns -------------------------------------------------------------------------------
    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The people table's visible columns, then the hidden ones (ranks, each person's grade table)."""
        cols = ["no", "employee_id", "name", "department", "template", "total", "details", "original"]
        cols += ["potential", "perf", "box"] if self.potential else []
        cols += ["calibrated", "final", "change", "points"]
        cols += ["coefficient", "bonus_base", "pay"] if self.coefficients else []
        cols += ["reason", "calibrator", "check", "orig_rank", "final_rank"]
        cols += [f"label_{k}" for k in range(1, self.grades + 1)] + [f"min_{k}" for k in range(1, self.grades + 1)]
        cols += [f"coef_{k}" for k in range(1, self.grades + 1)] if self.coefficients else []
        return tuple(cols)

    def col(self, key: str) -> int:
        return self.columns.index(key)

    @property
    def first_hidden(self) -> int:
        return self.col("orig_rank")

    @property
    def last_visible(self) -> int:
        return self.first_hidden - 1

    def cell(self, key: str, row: int, absolute_col: bool = False) -> str:
        ref = a1(row, self.col(key))
        return f"${ref}" if absolute_col else ref

    def span(self, key: str) -> str:
        """The whole column of the people table, absolute (``$F$21:$F$40``)."""
        return f"{a1(self.first_row, self.col(key), True)}:{a1(self.last_row, self.col(key), True)}"

    def row_span(self, prefix: str, row: int) -> str:
        """A person's own grade table, one kind (``label``, ``min``, ``coef``): ``$X21:$AA21``."""
        first, last = self.col(f"{prefix}_1"), self.col(f"{prefix}_{self.grades}")
        return f"${a1(row, first)}:${a1(row, last)}"

    @property
    def people_cell(self) -> str:
        """How many people the sheet calibrates (the distribution's total row)."""
        return a1(self.people_count_row, self.DIST["before"][0], True)

    @property
    def nine_grid(self) -> str:
        """The nine-box's names and counts, potential high to low by performance low to high in pairs."""
        return f"{a1(self.nine_row(3), self.nine_col(1), True)}:{a1(self.nine_row(1), self.nine_col(3) + 1, True)}"

    def dist_span(self, key: str) -> str:
        col = self.DIST[key][0]
        return f"{a1(self.dist_row(1), col, True)}:{a1(self.dist_row(self.grades), col, True)}"

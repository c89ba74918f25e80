"""The instructions sheet: how to fill in and what the colours mean."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..sheet.layouts import InstructionsLayout
from .labels import label
from .styles import GRADE_FILLS, INPUT_FILL, MISSING_FILL, Styles

TEXT = {
    "zh": [
        ("section", "怎样填写"),
        ("", "1. 只有浅蓝色单元格可以填写:实际完成、上级评语、自我评价、PDCA台账和目标计划中的实际值。"),
        ("", "2. 百分比直接输入带 % 的数,如 105%;数量输入整数,如 11;等级从下拉列表选择。"),
        ("", "3. 得分、加权得分、总分和等级由公式自动计算,全部填写后才显示总分。"),
        ("", "4. 自我评价按“目标回顾→关键行动→成果数据→不足与改进”书写,用数据代替“重大贡献”“极大提升”等形容词。"),
        ("", "5. 评分参数(阈值和分值)显示在表格右侧,只读;如对目标有异议,请附历史数据与上级沟通。"),
        ("", "6. 不要复制粘贴整行、不要改动公式或隐藏的工作表:汇总时会重新计算并标记所有改动。"),
        ("section", "颜色含义"),
        ("input", "浅蓝:需要你填写的单元格"),
        ("missing", "浅橙:必填但尚未填写的实际值"),
        ("best", "绿色:得分或总分达到最高等级"),
        ("worst", "红色:得分或总分处于最低等级"),
        ("section", "PDCA台账示例"),
        ("", "10日 | 撰写3篇科普内容 | 100% | 发布2篇,1篇待审核 | 1篇因数据未通过审核,需补充来源"),
        ("", "11日 | 客户拜访5家 | 80% | 完成拜访4家,2家意向强 | 1家客户临时取消,需重新预约"),
    ],
    "en": [
        ("section", "How to fill in"),
        ("", "1. Only light-blue cells take input: actuals, the supervisor's comment, the self-review, the PDCA ledger and the plan's actuals."),
        ("", "2. Type percentages with %, e.g. 105%; counts as whole numbers, e.g. 11; pick levels from the drop-down."),
        ("", "3. Scores, weighted scores, the total and the grade are formulas; the total appears once every actual is in."),
        ("", "4. Write the self-review as goal review → key actions → result data → gaps and improvements, with figures instead of adjectives."),
        ("", "5. The scoring parameters (thresholds and points) are shown, read-only, to the right of the table."),
        ("", "6. Do not paste whole rows or change formulas or hidden sheets: consolidation recomputes and flags every change."),
        ("section", "What the colours mean"),
        ("input", "Light blue: cells for you to fill in"),
        ("missing", "Light orange: a required actual still empty"),
        ("best", "Green: the score or total reaches the top grade"),
        ("worst", "Red: the score or total is in the lowest grade"),
    ],
}


def write_instructions(ws: Worksheet, styles: Styles, lang: str, password: str = "") -> None:
    lay = InstructionsLayout()
    ws.set_column(lay.COL, lay.COL, 110)
    ws.write_string(lay.TITLE_ROW, lay.COL, label("instructions", lang), styles.get("title"))
    swatches = {"input": INPUT_FILL, "missing": MISSING_FILL, "best": GRADE_FILLS[0], "worst": GRADE_FILLS[3]}
    for r, (kind, text) in enumerate(TEXT[lang], start=lay.FIRST_ROW):
        if kind == "section":
            ws.write_string(r, lay.COL, text, styles.get("section"))
        elif kind in swatches:
            ws.write_string(r, lay.COL, text, styles.fill(swatches[kind]))
        else:
            ws.write_string(r, lay.COL, text, styles.get("note"))
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True})

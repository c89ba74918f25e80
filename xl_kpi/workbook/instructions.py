"""The instructions sheet: how to fill in and what the colours mean."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..sheet.layouts import InstructionsLayout
from ..sheet.printing import page_setup, row_height
from ..spec.model import Spec
from .labels import label
from .styles import BAD_INPUT_FILL, GRADE_FILLS, INPUT_FILL, MISSING_FILL, REVIEW_FILL, Styles

TEXT = {
    "zh": [
        ("section", "怎样填写"),
        ("", "1. 只有浅蓝色单元格由你填写:实际完成、自我评价、签字与日期、PDCA台账和目标计划中的实际值。浅黄色单元格由上级或复核人填写。"),
        ("", "2. 百分比直接输入带 % 的数,如 105%;数量输入整数,如 11;等级从下拉列表选择。选中单元格会提示单位、目标和可填范围。"),
        ("", "3. 得分、加权得分、总分和等级由公式自动计算,全部填写后才显示总分。填了文字而不是数字时,单元格变红并提示“请填数字”,该项不计分。"),
        ("", "4. 自我评价按“目标回顾→关键行动→成果数据→不足与改进”书写,用数据代替“重大贡献”“极大提升”等形容词。"),
        ("", "5. 评分参数(阈值和分值)显示在表格右侧,只读;如对目标有异议,请附历史数据与上级沟通。"),
        ("", "6. 不要复制粘贴整行、不要改动公式或隐藏的工作表:汇总时会重新计算并标记所有改动。"),
        ("section", "怎样提交"),
        ("", "7. 填写完成后直接保存本文件(保持 .xlsx 格式,不要改文件名、不要另存为其他格式),在 HR 通知的截止日期前发给直接上级;"
             "上级填写评分、评语并签字后转交 HR。"),
        ("", "8. 打印:考核表已设置为 A4 一页宽(列多时横向),评分参数和图表不打印;签字栏在考核表末尾,目标确认时和结果确认时各签一次。"),
        ("section", "颜色含义"),
        ("input", "浅蓝:需要你填写的单元格"),
        ("review", "浅黄:由上级或复核人填写的单元格"),
        ("missing", "浅橙:必填但尚未填写的实际值"),
        ("bad", "浅红:填了文字而不是数字,该项不计分"),
        ("best", "绿色:得分或总分达到最高等级"),
        ("middle", "黄色:得分或总分处于中间等级"),
        ("worst", "红色:得分或总分处于最低等级"),
        ("section", "PDCA台账示例"),
        ("", "10日 | 撰写3篇科普内容 | 100% | 发布2篇,1篇待审核 | 1篇因数据未通过审核,需补充来源"),
        ("", "11日 | 客户拜访5家 | 80% | 完成拜访4家,2家意向强 | 1家客户临时取消,需重新预约"),
    ],
    "en": [
        ("section", "How to fill in"),
        ("", "1. Light-blue cells are yours: actuals, the self-review, signatures and dates, the PDCA ledger and the plan's actuals. "
             "Light-yellow cells are for your supervisor or the reviewer."),
        ("", "2. Type percentages with %, e.g. 105%; counts as whole numbers, e.g. 11; pick levels from the drop-down. A selected "
             "cell shows its unit, target and allowed values."),
        ("", "3. Scores, weighted scores, the total and the grade are formulas; the total appears once every actual is in. Text "
             "where a number belongs turns the cell red with 'not a number', and the indicator scores nothing."),
        ("", "4. Write the self-review as goal review → key actions → result data → gaps and improvements, with figures instead of adjectives."),
        ("", "5. The scoring parameters (thresholds and points) are shown, read-only, to the right of the table."),
        ("", "6. Do not paste whole rows or change formulas or hidden sheets: consolidation recomputes and flags every change."),
        ("section", "How to return it"),
        ("", "7. Save this file as it is (keep .xlsx and the file name) and send it to your direct supervisor by the deadline HR "
             "announced; your supervisor adds ratings, comments and signatures and passes it to HR."),
        ("", "8. Printing: the scorecard is set to A4, one page wide (landscape when it has many columns), without the scoring parameters and the chart; sign the sign-off block when targets are agreed "
             "and again when the result is confirmed."),
        ("section", "What the colours mean"),
        ("input", "Light blue: cells for you to fill in"),
        ("review", "Light yellow: cells for your supervisor or the reviewer"),
        ("missing", "Light orange: a required actual still empty"),
        ("bad", "Light red: text where a number belongs; the indicator scores nothing"),
        ("best", "Green: the score or total reaches the top grade"),
        ("middle", "Yellow: the score or total is in a middle grade"),
        ("worst", "Red: the score or total is in the lowest grade"),
    ],
}


EVENTS_LINE = {  # line 2 where a card counts several kinds of event on a row (the same number of lines)
    "zh": "2. 百分比直接输入带 % 的数,如 105%;数量输入整数,如 11;等级从下拉列表选择。按事件计次的指标,在表格右侧“事件计次”列为每种事件填写发生次数"
          "(没有发生填 0),实际完成栏自动列出各次数。选中单元格会提示单位、目标和可填范围。",
    "en": "2. Type percentages with %, e.g. 105%; counts as whole numbers, e.g. 11; pick levels from the drop-down. An indicator that counts "
          "events has a count per kind of event in the 'Event counts' columns right of the table (0 if it never happened); its actual "
          "cell lists them. A selected cell shows its unit, target and allowed values.",
}


def counts_events(spec: Spec) -> bool:
    """The card counts several kinds of event on some row (its instructions say where the counts go)."""
    return any(ind.counts_events for ind in spec.indicators)


def write_instructions(ws: Worksheet, styles: Styles, lang: str, password: str = "", events: bool = False) -> None:
    lay = InstructionsLayout()
    ws.set_column(lay.COL, lay.COL, lay.WIDTH)
    ws.write_string(lay.TITLE_ROW, lay.COL, label("instructions", lang), styles.get("title_left"))
    swatches = {"input": INPUT_FILL, "review": REVIEW_FILL, "missing": MISSING_FILL, "bad": BAD_INPUT_FILL, "best": GRADE_FILLS[0],
                "middle": GRADE_FILLS[2], "worst": GRADE_FILLS[3]}
    rows = [(kind, EVENTS_LINE[lang] if events and text.startswith("2. ") else text) for kind, text in TEXT[lang]]
    for r, (kind, text) in enumerate(rows, start=lay.FIRST_ROW):
        if kind == "section":
            ws.write_string(r, lay.COL, text, styles.get("section"))
        elif kind in swatches:
            ws.write_string(r, lay.COL, text, styles.fill(swatches[kind]))
        else:
            ws.write_string(r, lay.COL, text, styles.get("line"))
            ws.set_row(r, row_height([(text, lay.WIDTH)], 15))
    page_setup(ws, lang, landscape=False, area=(lay.TITLE_ROW, lay.COL, lay.FIRST_ROW + len(rows), lay.COL),
               who=(label("instructions", lang),))
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True})

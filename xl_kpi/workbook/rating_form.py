"""A rating workbook's words, the standards printed under its table (what each level means, the bonus and
penalty items, what a veto mark does) and its sign-off — the parts of the printed form around the ratings."""

from __future__ import annotations

import datetime
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..sheet.rating_layout import RatingLayout
from .styles import Styles

__all__ = ["WORDS", "word", "legend", "merge", "signoff"]

WORDS: dict[str, tuple[str, str]] = {
    "rater": ("评分人", "Rater"), "role": ("评分角色", "Role"), "people": ("人数", "People"),
    "group_person": ("被评人", "Rated"), "group_prior": ("本人填报(只读)", "As the employee reported (read-only)"),
    "group_rating": ("请评分", "Your rating"), "group_adjustment": ("加减分(次数)", "Bonus / penalty (times)"),
    "group_veto": ("一票否决", "Veto"), "group_comment": ("评语", "Comment"), "group_status": ("", ""),
    "status": ("完成情况", "Complete?"), "done": ("✓ 已评完", "✓ done"), "to_do": ("待评 ", "to rate: "),
    "review": ("自我评价", "Self-review"), "actual": ("实际", "actual"), "self": ("自评", "self"),
    "legend": ("评分标准", "How to rate"), "level": ("等级", "Level"), "score_word": ("分", " points"),
    "veto_rule": ("发生则选“是”,被评人本期总分为 0", "pick Yes if it happened: the total becomes 0"),
    "sign_rater": ("评分人签字", "Rater's signature"), "sign_hr": ("HR 确认", "HR"), "date": ("日期", "Date"),
    "signoff": ("确认签字", "Sign-off"),
    "note_supervisor": ("请在浅蓝色单元格中为每位下属评分(等级从下拉列表选择,选中单元格可看各等级的含义),填写加减分次数、一票否决和评语;"
                        "评分标准见表下方。本表只列出由您评分的人员,填好后保存并按 HR 的通知交回。",
                        "Rate each of your people in the light-blue cells (levels from the drop-down; select a cell to see what each "
                        "level means), with the bonus/penalty counts, veto marks and a comment; the standards are below the table. "
                        "Only the people you rate are listed. Save and return it as HR asks."),
    "note_reviewer": ("请在浅蓝色单元格中复核评分(等级从下拉列表选择);评分标准见表下方。填好后保存并按 HR 的通知交回。",
                      "Give your review rating in the light-blue cells (levels from the drop-down); the standards are below the "
                      "table. Save and return it as HR asks."),
    "note_peer": ("请在浅蓝色单元格中为每位同事评分(等级从下拉列表选择)。您的评分与其他同事的评分取平均,被评人看不到是谁评的。"
                  "填好后保存并按 HR 的通知交回。",
                  "Rate each colleague in the light-blue cells (levels from the drop-down). Your rating is averaged with the other "
                  "peers'; the person rated never sees who rated what. Save and return it as HR asks."),
}


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def legend(ws: Worksheet, s: Styles, layout: RatingLayout, role: str, lang: str) -> None:
    """The standards of what the rater fills: each rated indicator's levels with their meaning, the
    adjustment items' points and caps, and what a veto mark does."""
    spec, last = layout.spec, layout.last_col
    r = layout.legend_title_row
    ws.write_string(r, 0, word("legend", lang), s.get("section"))
    r += 1
    right = max(4, min(last, 12))  # the descriptions' last column
    for ind in spec.display_order:
        if not any(x in layout.raters for x in ind.raters):
            continue
        choices = ind.method.choices(ind)
        lines = [(lvl, meaning) for lvl, meaning in choices] if choices else [("", ind.describe(lang))]
        scores = {str(p.key): p.value for p in ind.method.params(ind)} if choices else {}
        merge(ws, r, 0, r + len(lines) - 1, 1, ind.name, s.get("label"))
        for level, meaning in lines:
            points = scores.get(level)
            shown = level if points is None else f"{level}({points:g}分)" if lang == "zh" else f"{level} = {points:g}"
            ws.write_string(r, 2, shown, s.get("value"))
            merge(ws, r, 3, r, right, meaning or "", s.get("text"))
            r += 1
    if role == "supervisor":
        for item in spec.adjustments.items if spec.adjustments else ():
            rule = (f"每次{item.points:+g}分,合计不超过{'+' if item.points > 0 else '−'}{item.max:g}分" if lang == "zh"
                    else f"{item.points:+g} each time, at most {'+' if item.points > 0 else '−'}{item.max:g} in all")
            merge(ws, r, 0, r, 2, item.name, s.get("label"))
            merge(ws, r, 3, r, right, rule, s.get("text"))
            r += 1
        for veto in spec.veto:
            merge(ws, r, 0, r, 2, veto.name, s.get("label"))
            merge(ws, r, 3, r, right, word("veto_rule", lang), s.get("text"))
            r += 1


def merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, text: str, fmt: Any) -> None:
    """Text across a range (one cell when the range is one: Excel cannot merge a single cell)."""
    if (r1, c1) == (r2, c2):
        ws.write_string(r1, c1, text, fmt)
    else:
        ws.merge_range(r1, c1, r2, c2, text, fmt)


def signoff(ws: Worksheet, s: Styles, layout: RatingLayout, lang: str) -> None:
    r = layout.signoff_title_row
    ws.write_string(r, 0, word("signoff", lang), s.get("section"))
    for k, who in enumerate(("sign_rater", "sign_hr")):
        row = layout.signoff_row + k
        ws.set_row(row, 30)
        ws.merge_range(row, 0, row, 1, word(who, lang), s.get("label"))
        ws.merge_range(row, 2, row, 3, "", s.get("input") if who == "sign_rater" else s.get("text"))
        ws.write_string(row, 4, word("date", lang), s.get("label"))
        ws.write_blank(row, 5, None, s.get("input", "yyyy-mm-dd") if who == "sign_rater" else s.get("text", "yyyy-mm-dd"))
    first = layout.signoff_row
    ws.data_validation(first, 5, first, 5, {
        "validate": "date", "criteria": "between", "minimum": datetime.date(2000, 1, 1), "maximum": datetime.date(2100, 12, 31),
        "input_message": "例如 2026-07-10" if lang == "zh" else "e.g. 2026-07-10",
        "error_title": "日期无效" if lang == "zh" else "Invalid date",
        "error_message": "请输入 2000-01-01 至 2100-12-31 之间的日期。" if lang == "zh" else "Enter a date between 2000-01-01 and 2100-12-31."})

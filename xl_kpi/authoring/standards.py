"""One indicator row's rules as HR wrote them, read into a method's ``scoring:`` mapping.

The standard may be one cell read by the methods' grammar (:meth:`Method.read`), levels in columns
of their own (优秀(100分) | 良好(80分) | …), one band or one level per row under the indicator, or —
on a card of points — an item the rater judges within its points (no rule written, or deductions
whose size the rater decides: ``扣2~5分/次``). Nothing here records a finding: :func:`read_rule`
returns a reading or raises :class:`Unreadable`; the caller places the message at the cell.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..core.text import Text
from ..methods import REGISTRY
from ..methods.events import kinds_in
from ..methods.grammar import Context, Reading, Unreadable, normalize, number_text, quantity
from .grid import cell_text

__all__ = ["read_rule", "target_of", "JUDGED_WORDS"]

# a deduction whose size the rater decides, or a judgement in words: the item is judged within its points
JUDGED_WORDS = re.compile(r"扣\s*\d+(?:\.\d+)?\s*[~-]\s*\d+(?:\.\d+)?\s*分|酌情|视情况|视情节|依据[^,;。]{0,8}大小|根据[^,;。]{0,8}程度|"
                          r"\d+(?:\.\d+)?\s*[~-]\s*\d+(?:\.\d+)?\s*分/(?:次|个|项)")
STANDARD_EXAMPLE = "≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分"
# what makes a text a rule rather than a description of the duty: points, a rate, a deduction
_RULE = re.compile(r"\d\s*(?:分|%|pts?|points?)|扣|加分|得满分|不得分|评[好中差优良]|\d\s*[:：]\s*\d", re.I)


def target_of(raw: Any, unit_column: str = "") -> tuple[float | str | None, str, str | None]:
    """A target cell as a value, its unit, and the direction a ``≤`` in it implies. Words count too:
    ``3个工作日内`` is 3 (lower is better), ``为0`` / ``无重大延误`` is 0, ``低于1%`` is 1% (lower), ``第3名`` is
    rank 3 (lower is better), ``低于预算5%`` is 95% of the budget (the actual typed as its share of the budget)."""
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, (int, float)):
        return float(raw), "", None
    text = normalize(str(raw or ""))
    if not text or text in ("-", "—", "/", "无", "n/a", "N/A"):
        return None, "", None
    hint = None
    rank = re.fullmatch(r"(?:第|前|排名|名次)\s*(\d+)\s*(?:名|位)?(?:以内|之内|及以前)?", text)
    if rank:  # 第3名, 前5名: a rank, 1 the best
        return float(rank[1]), "名", "lower"
    budget = _budget_share(text)
    if budget is not None:  # 低于预算5%: the actual as a share of the budget, at most 95%
        return budget, "%", "lower"
    if re.fullmatch(r"(?:为\s*)?0|零|无(?:重大)?[\u4e00-\u9fff]{0,8}|不发生|未发生", text):
        return 0.0, "", "lower"
    m = re.match(r"^(≤|<|不高于|不超过|低于|小于|控制在|控制在\s*≤)\s*", text)
    if m:
        hint = "lower"
        text = text[m.end():]
    text = re.sub(r"^(≥|>|不低于|不少于|达到|大于)\s*", "", text)
    m = re.search(r"(?:以|之)?(?:内|下)$", text)
    if m and re.search(r"小时|天|日|工作日|分钟|秒|周|月", text):
        hint = "lower"  # "3个工作日内": a time to keep within
    text = re.sub(r"(?:以|之)?(?:内|下)$", "", text).strip()
    text = re.sub(r"^(\d+(?:\.\d+)?)\s*个\s*(?=工作日|小时|月|季度)", r"\1", text)
    q = quantity(text, unit_column)
    if q is None:
        return text, "", hint  # a level (B, 良) or unreadable: the method decides
    return q.as_float(), "%" if q.percent else q.unit, hint


def _budget_share(text: str) -> float | None:
    """A target stated against the budget, as the share of it the actual may reach: ``低于预算5%`` and
    ``比预算降低5%`` are 95%, ``≤预算的95%`` and ``预算的95%以内`` 95%, ``不超过预算`` and ``预算以内`` 100%."""
    m = re.fullmatch(r"(?:低于|比)\s*预算值?\s*(?:低|降低|节约|减少)?\s*(\d+(?:\.\d+)?)\s*%", text)
    if m:
        return float((100 - Decimal(m[1])) / 100)
    m = re.fullmatch(r"(?:≤|<=|不高于|不超过|控制在)?\s*预算值?的?\s*(\d+(?:\.\d+)?)\s*%\s*(?:以内|之内|以下)?", text)
    if m:
        return float(Decimal(m[1]) / 100)
    if re.fullmatch(r"(?:不超过|不高于|控制在)\s*预算值?\s*(?:以内|之内)?|预算值?\s*(?:以内|之内)", text):
        return 1.0  # the budget itself, said as a bound (a bare 预算值 names no number)
    return None


def _levels_from_columns(row: dict[str, Any]) -> Reading:
    """Levels in columns of their own: the header names each level and its points, the cell says what it means."""
    levels: dict[str, Any] = {}
    for label, points, description, _ in row["_levels"]:
        if points is None:
            names = "/".join(lv[0] for lv in row["_levels"])
            raise Unreadable(Text(f"“{names}”没有写各得多少分", f"the levels {names} carry no points"),
                             "在表头写明分数,如 好(10分) | 中(6分) | 差(0分)")
        levels[label] = {"score": points, **({"description": description} if description else {})}
    return Reading(scoring={"method": "rating", "levels": levels}, unit="等级", full_said=max(v["score"] for v in levels.values()))


def _level_rows(row: dict[str, Any], ctx: Context) -> Reading:
    """A level per row under the indicator (A | 85-100 | …): the rater picks one and gives points within it."""
    spans = [(row.get("level", ""), row.get("span", ""), row.get("_standard", ""))] + \
            [(x.get("level", ""), x.get("span", ""), x.get("standard", "")) for x in row["_extra"]]
    levels, lows, highs = [], [], []
    for label, span, text in spans:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[-~至–]\s*(\d+(?:\.\d+)?)\s*分?\s*", normalize(span or ""))
        if m is None:
            raise Unreadable(Text(f"评分区间“{span}”读不懂", f"cannot read the points range '{span}'"), "85-100")
        low, high = float(m[1]), float(m[2])
        lows.append(low)
        highs.append(high)
        if label:
            levels.append({"label": label, "min": low, "max": high, **({"description": text} if text else {})})
    scoring: dict[str, Any] = {"method": "judged", "min": min(lows), "max": max(highs),
                               "worth": ctx.points if ctx.points is not None else max(highs)}
    if levels:
        scoring["levels"] = levels
    reading = Reading(scoring=scoring)
    reading.notes.append(Text("按评分区间由评分人打分", "the rater gives points within the ranges"))
    return reading


def _band_rows(row: dict[str, Any]) -> str:
    """A band per row: each row's standard with its points (分值 column) as one sentence."""
    parts = []
    for text, points in [(row.get("_standard", ""), row.get("_points"))] + [(x.get("standard", ""), x.get("points")) for x in row["_extra"]]:
        points = cell_text(points)
        parts.append(f"{text}得{points}分" if points and not re.search(r"分|pts?", text) else text)
    return ";".join(p for p in parts if p)


def _scaled(levels: list[tuple[str, float]], ctx: Context) -> Reading:
    """A factor rated in the form's rating scale (Poor 1 … Very Good 4): judged within it, its top worth
    the row's points (or 100)."""
    low, high = min(v for _, v in levels), max(v for _, v in levels)
    worth = ctx.points if ctx.points is not None else 100.0
    reading = Reading(scoring={"method": "judged", "min": low, "max": high, "worth": worth,
                               "levels": [{"label": label, "min": v, "max": v} for label, v in levels]})
    reading.notes.append(Text(f"按表上方的评分等级打分({number_text(low)}–{number_text(high)}),{number_text(high)}分折合{number_text(worth)}分",
                              f"rated on the form's scale ({number_text(low)}–{number_text(high)}); {number_text(high)} is worth "
                              f"{number_text(worth)} pts"))
    return reading


def _judged(points: float, why: Text) -> Reading:
    reading = Reading(scoring={"method": "judged", "max": points, "worth": points})
    reading.notes.append(why)
    return reading


def read_rule(row: dict[str, Any], ctx: Context, method_name: str | None) -> Reading | None:
    """The row's rules as a reading; None when no method reads its standard; Unreadable when one would
    but cannot (the reason names the clause)."""
    if row.get("_levels"):
        return _levels_from_columns(row)
    if row.get("span") or any(x.get("span") for x in row.get("_extra", [])):
        return _level_rows(row, ctx)
    text = _band_rows(row) if row.get("_extra") else row.get("_standard", "")
    if not text.strip() and row.get("_scale_levels"):
        return _scaled(row["_scale_levels"], ctx)
    if not text.strip():
        if ctx.points is not None:
            return _judged(ctx.points, Text(f"没有评分规则:由评分人在0–{number_text(ctx.points)}分之间打分",
                                            f"no rule: the rater gives 0–{number_text(ctx.points)} pts"))
        raise Unreadable(Text("评分标准为空", "the scoring standard is empty"), STANDARD_EXAMPLE)
    s = normalize(text)
    if ctx.points is not None and JUDGED_WORDS.search(s) and method_name in (None, "judged"):
        return _judged(ctx.points, Text(f"扣分幅度由评分人判定:在0–{number_text(ctx.points)}分之间打分",
                                        f"the size of each deduction is the rater's call: 0–{number_text(ctx.points)} pts"))
    if ctx.points is not None and method_name is None and not _RULE.search(s):
        return _judged(ctx.points, Text(f"评分规则没有数字:由评分人在0–{number_text(ctx.points)}分之间打分",
                                        f"the rule has no figures: the rater gives 0–{number_text(ctx.points)} pts"))
    if method_name in (None, "events") and kinds_in(s) >= 2:  # several kinds of event, each with its points: a count each
        return REGISTRY["events"].read(text, ctx)  # (or refused, naming what it cannot read) — never levels "迟到每次扣: 2"
    methods = [REGISTRY[method_name]] if method_name else sorted(REGISTRY.values(), key=lambda m: m.read_order)
    for method in methods:
        reading = method.read(text, ctx)
        if reading is not None:
            return reading
    return None

"""From the rows of a table to spec data: ids, sections and their weights, raters, grades, each
indicator's target, weight, unit, direction and rules (the standard read by the methods' grammar),
bonus/penalty and veto items — noting every inference and reporting every unreadable cell."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.text import Text
from ..methods.grammar import normalize
from .columns import ROLE_WORDS, word_of
from .grades import grade_min
from .ids import slug, unique_ids
from .role import Role
from .rows import indicator_rules, probe
from .scale import Scale, decide, points_in_name, weight_fractions
from .sections import equal_shares, percent_text, section_list, share_merged

__all__ = ["finish", "DEFAULT_GRADES"]

DEFAULT_GRADES = {  # the seed's scale: ≥90 earns a bonus, <60 an improvement plan
    "zh": [{"label": "优秀", "min": 90, "application": "可获额外绩效奖金"}, {"label": "良好", "min": 80},
           {"label": "合格", "min": 60}, {"label": "不合格", "min": 0, "application": "需参加绩效改进计划"}],
    "en": [{"label": "Excellent", "min": 90, "application": "Eligible for an extra performance bonus"}, {"label": "Good", "min": 80},
           {"label": "Satisfactory", "min": 60}, {"label": "Unsatisfactory", "min": 0, "application": "Joins a performance improvement plan"}],
}


# --- from rows to spec data --------------------------------------------------------------------------------
def finish(role: Role) -> None:
    """The role's raw rows and tables → spec data (``role.data``), with places, notes and findings."""
    data = role.data
    lang = role.language
    info = data.pop("_info", {})
    if "language" in info and info["language"][0] in ("zh", "en"):
        data["language"] = lang = info["language"][0]
    title = info.get("title", (None, ""))[0]
    position = info.get("position", (None, ""))[0]
    spec_id = (info.get("id", (None, ""))[0] or slug(position or "") or slug(_role_words(title or "")) or slug(_role_words(role.sheet))
               or slug(Path(role.file).stem) or "role")
    if "id" not in info:
        role.note("id", Text(f"标识由{'岗位' if position else '标题或表名'}生成", f"id made from the {'position' if position else 'title or sheet name'}"))
    out: dict[str, Any] = {"id": spec_id, "version": _version(info.get("version", ("1", ""))[0]),
                           "title": title or (f"{position}KPI考核表" if lang == "zh" else f"{position} KPI scorecard") if position else
                           title or role.sheet, "language": lang}
    for key in ("period", "position", "responsibilities"):
        if key in info:
            out[key] = info[key][0]
            role.places[key] = info[key][1]
    if "title" in info:
        role.places["title"] = info["title"][1]
    indicators = data.pop("_indicators")
    raters = _raters(role)
    weights, weight_note = weight_fractions([r["_weight"] for r in indicators], bool(data.pop("_percent_weights")),
                                            [r["_section"] for r in indicators])
    if weight_note is not None:
        role.note("indicators", weight_note)
    share_merged(role, indicators, weights)
    equal_shares(role, indicators, weights)
    declared = info.get("scale", ("", ""))[0]
    scale = decide(indicators, weights, lambda row, points: probe(role, row, points),
                   "hundred" if re.search(r"百分|per 100", declared) else None)
    for note in scale.notes:
        role.note("indicators", note)
    sections = section_list(role, indicators, weights, scale)
    if sections:
        out["sections"] = sections
    if raters:
        out["raters"] = raters
    out["grades"] = _grades(role, lang)
    out["indicators"] = _indicators(role, indicators, raters, weights, scale)
    if data.get("_second_table"):
        role.error("import-second-table", data["_second_table"])
    adjustments = _adjustments(role, info)
    if adjustments:
        out["adjustments"] = adjustments
    veto = _veto(role)
    if veto:
        out["veto"] = veto
    role.data = out


def _role_words(title: str) -> str:
    """"销售代表岗季度KPI考核表" → "销售代表": the role in a title, without the words every title has."""
    text = re.sub(r"(?:岗位?|职位)?\s*(?:年度|季度|月度|半年度|\d{4}年?)?\s*(?:kpi|绩效)?\s*(?:考核|考评|评价|评分)?\s*(?:表|方案|模板)?$",
                  "", title.strip(), flags=re.I)
    text = re.sub(r"\s*(?:quarterly|annual|monthly)?\s*(?:kpi)?\s*(?:scorecard|assessment|review)?\s*$", "", text, flags=re.I)
    return text.strip(" -—_") or title


def _version(text: str) -> Any:
    try:
        return int(float(text))
    except ValueError:
        return text


def _raters(role: Role) -> list[dict[str, Any]]:
    table = role.data.pop("_raters_table", None)
    columns = role.data.pop("_raters_cols", [])
    if table is not None:
        rows, _, _ = table
        made = unique_ids([r.get("name", "") for r in rows], [r.get("id", "") for r in rows], "r")
        out = []
        for k, (row, rid) in enumerate(zip(rows, made)):
            word = word_of(ROLE_WORDS, row.get("role", "")) or ""
            out.append({"id": rid, "name": row.get("name", ""), "weight": _rater_weight(row.get("weight", ""), role, f"raters[{k}].weight"),
                        **({"role": word} if word else {})})
            role.places[f"raters[{k}]"] = row["_cell"]
        return out
    for k, rater in enumerate(columns):
        role.places[f"raters[{k}]"] = rater.pop("_cell")
    if columns:
        role.note("raters", Text("评分人来自表头的评分列(如 自评(30%)、上级评分(70%))", "raters from the rating columns of the header"))
    return columns


def _grades(role: Role, lang: str) -> list[dict[str, Any]]:
    table = role.data.pop("_grades_table", None)
    text = role.data.pop("_grades_text", None)
    unread = role.data.pop("_grades_unread", None)
    if table is not None:
        rows, cell, _ = table
        role.places["grades"] = cell
        out = []
        for k, row in enumerate(rows):
            low = grade_min(row.get("min", ""))
            if low is None:
                role.error("import-unreadable", row["_cell"], what=Text("等级最低分", "grade minimum"), text=row.get("min", ""), reason="",
                           example="90 / ≥90 / 90分以上")
                continue
            grade: dict[str, Any] = {"label": row.get("label", ""), "min": low}
            if row.get("coefficient"):
                grade["coefficient"] = _number(row["coefficient"])
            if row.get("application"):
                grade["application"] = row["application"]
            out.append(grade)
            role.places[f"grades[{k}]"] = row["_cell"]
        _whole_ranges(role, [str(row.get("min", "")) for row in rows])
        return _floor(role, out)
    if text is not None:
        grades, cell = text
        role.places["grades"] = cell
        role.note("grades", Text(f"等级按 {cell} 的文字读取", f"grades read from the text in {cell}"))
        return _floor(role, grades)
    if unread is not None:  # a scale is there in a form not read: say so, never put the default in its place
        text, cell = unread
        role.places["grades"] = cell
        role.error("import-unreadable", cell, "grades", field="grades", what=Text("等级标准", "grade scale"), text=text, reason="",
                   example="90分以上为优秀;80-89分为良好;60-79分为合格;60分以下为不合格 / 等级 | 最低分 两列的表")
        return [dict(g) for g in DEFAULT_GRADES[lang]]
    role.note("grades", Text("表中没有等级标准:采用默认(优秀≥90,良好≥80,合格≥60,不合格<60)",
                             "no grade scale in the table: the default (Excellent ≥90, Good ≥80, Satisfactory ≥60)"))
    return [dict(g) for g in DEFAULT_GRADES[lang]]


def _number(text: Any) -> Any:
    try:
        return float(Decimal(normalize(str(text))))
    except InvalidOperation:
        return text


def _indicators(role: Role, rows: list[dict[str, Any]], raters: list[dict[str, Any]], weights: list[float | None],
                scale: Scale) -> list[dict[str, Any]]:
    ids = unique_ids([points_in_name(r["name"])[0] for r in rows],
                     [r.get("id", "") if re.fullmatch(r"[a-z][a-z0-9_]{0,39}", r.get("id", "")) else "" for r in rows], "k")
    out = []
    for i, (row, iid) in enumerate(zip(rows, ids)):
        where = f"indicators[{i}]"
        cells = row["_cells"]
        role.places[where] = cells["name"]
        for key in ("name", "weight", "target", "unit", "direction", "section", "id", "kind", "range", "raters", "points"):
            if key in cells:
                role.places[f"{where}.{key}"] = cells[key]
        role.places[f"{where}.scoring"] = cells.get("standard", cells["name"])
        ind: dict[str, Any] = {"id": iid}
        if "id" not in row:
            role.note(where, Text(f"标识 {iid} 由指标名称生成", f"id {iid} made from the name"))
        if row["_section"]:
            ind["section"] = row["_section"]
        ind["name"] = points_in_name(row["name"])[0] if scale.by_points else row["name"]
        for key in ("definition",):
            if row.get(key):
                ind[key] = row[key]
        out.append(indicator_rules(role, row, ind, where, raters, weights[i], scale, i))
        if row.get("source"):
            ind["source"] = row["source"]
    return out


def _whole_ranges(role: Role, texts: list[str]) -> None:
    """Ranges in whole numbers (``81-90``, ``91-100``) leave totals such as 90.5 between them: each grade runs up
    to the next one's minimum (as a band does), said once with the first such pair."""
    ranges = [(int(m[1]), int(m[2]), t.strip()) for t in texts if (m := re.fullmatch(r"\s*(\d+)\s*[-~–—至到]\s*(\d+)\s*(?:分|pts?|points?)?\s*", t))]
    for _, high, text in ranges:
        above = next((t for lo, _, t in ranges if lo == high + 1), None)
        if above is not None:
            between = f"{high}.5"
            role.note("grades", Text(f"“{text}”与“{above}”之间的总分(如 {between})按“{text}”一档计:每档到上一档的最低分为止",
                                     f"a total between '{text}' and '{above}' (such as {between}) is in '{text}': each grade runs up to "
                                     "the next one's minimum"))
            return


def _floor(role: Role, grades: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Grades best first; on a 1–5 scale read on 100 (×20, said); the lowest starting at 1 read from 0
    (``1-60``: up to 60); one starting higher (铜牌 ≥70 and nothing below) gets a grade below it."""
    grades = sorted(grades, key=lambda g: -float(g["min"]))
    if grades and max(g["min"] for g in grades) <= 5 and len(grades) >= 3:
        grades = [{**g, "min": float(Decimal(repr(float(g["min"]))) * 20)} for g in grades]
        role.note("grades", Text("等级按 1–5 分制给出,折算为百分制(×20)", "the grades are on a 1–5 scale: read on 100 (×20)"))
        if grades[-1]["min"] == 20:
            grades[-1]["min"] = 0
    if grades and 0 < grades[-1]["min"] <= 1:
        role.note("grades", Text(f"最低一档从 {grades[-1]['min']:g} 分起:按 0 分起读", f"the lowest grade starts at {grades[-1]['min']:g}: read from 0"))
        grades[-1]["min"] = 0
    if grades and min(g["min"] for g in grades) > 0:
        low = min(g["min"] for g in grades)
        label = "未达等级" if role.language == "zh" else "Below scale"
        grades = [*grades, {"label": label, "min": 0}]
        role.note("grades", Text(f"等级表最低从 {low:g} 分起:低于 {low:g} 分记为“{label}”",
                                 f"the grade scale starts at {low:g}: totals below it are '{label}'"))
    return grades


def _rater_weight(value: Any, role: Role, where: str) -> Any:
    (fraction,), _ = weight_fractions([value], False)
    if fraction is None:
        role.error("import-unreadable", role.places.get(where.rsplit(".", 1)[0], ""), what=Text("权重", "weight"), text=str(value),
                   reason="", example="40%")
        return value
    return percent_text(fraction)


def _adjustments(role: Role, info: dict[str, tuple[str, str]]) -> dict[str, Any] | None:
    table = role.data.pop("_adjustments_table", None)
    rows = role.data.pop("_adjustments_rows", [])
    items: list[dict[str, Any]] = []
    bounds: dict[str, float] = {}
    if table is not None:
        trows, _, _ = table
        made = unique_ids([r.get("name", "") for r in trows], [r.get("id", "") for r in trows], "a")
        for k, (row, aid) in enumerate(zip(trows, made)):
            items.append({"id": aid, "name": row.get("name", ""), "points": _number(row.get("points", "")), "max": _number(row.get("max", ""))})
            role.places[f"adjustments.items[{k}]"] = row["_cell"]
    else:
        made = unique_ids([r["name"] for r in rows], None, "a")
        for row, aid in zip(rows, made):
            item = _adjustment_item(role, row, aid)
            if item is not None:
                items.append(item)
                role.places[f"adjustments.items[{len(items) - 1}]"] = row["_cell"]
            m = re.search(r"(?:最高|最多|上限|不超过|封顶)\s*(?:加|扣)?\s*(\d+(?:\.\d+)?)\s*分", normalize(row["_section"]))
            if m:
                bounds["min" if re.search(r"扣|penalt", row["_section"]) else "max"] = float(m[1]) * (-1 if re.search(r"扣|penalt", row["_section"]) else 1)
    for key, name in (("adjust_min", "min"), ("adjust_max", "max")):
        if key in info:
            bounds[name] = _number(info[key][0])
    if not items:
        return None
    return {"items": items, **bounds}


def _adjustment_item(role: Role, row: dict[str, Any], aid: str) -> dict[str, Any] | None:
    text = normalize(row["_text"] or row["name"])
    sign = -1 if re.search(r"扣|减|-|penalt|minus", text) or re.search(r"扣分|penalt", row["_section"], re.I) else 1
    points = re.search(r"(?:加|扣|减|\+|-)\s*(\d+(?:\.\d+)?)\s*分", text) or re.search(r"(\d+(?:\.\d+)?)\s*分\s*/\s*次", text)
    cap = re.search(r"(?:最多|最高|上限|封顶|累计不超过|不超过)\s*(?:加|扣)?\s*(\d+(?:\.\d+)?)\s*分", text)
    if not points:
        role.error("import-unreadable", row["_cell"], what=Text("加减分项", "bonus or penalty item"), text=row["_text"] or row["name"],
                   reason="", example="每次加2分,最多加6分 / 每次扣3分,最多扣9分")
        return None
    value = float(points[1]) * sign
    item = {"id": aid, "name": row["name"], "points": value, "max": float(cap[1]) if cap else abs(value) * 3}
    if not cap:
        role.note("adjustments", Text(f"“{row['name']}”没写上限:按 3 次计 {abs(value) * 3:g} 分", f"'{row['name']}' has no cap: 3 times, {abs(value) * 3:g}"))
    return item


def _veto(role: Role) -> list[dict[str, Any]]:
    table = role.data.pop("_veto_table", None)
    rows = table[0] if table is not None else role.data.pop("_veto_rows", [])
    role.data.pop("_veto_rows", None)
    made = unique_ids([r.get("name", "") for r in rows], [r.get("id", "") for r in rows], "v")
    for k, row in enumerate(rows):
        role.places[f"veto[{k}]"] = row["_cell"]
    return [{"id": vid, "name": row.get("name", "")} for row, vid in zip(rows, made)]

"""From the rows of a table to spec data: ids, sections and their weights, raters, grades, each
indicator's target, weight, unit, direction and rules (the standard read by the methods' grammar),
bonus/penalty and veto items — noting every inference and reporting every unreadable cell."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.findings import finding
from ..core.text import Text
from ..methods import REGISTRY
from ..methods.grammar import Context, Reading, Unreadable, normalize, parse_condition, quantity
from .columns import ALL_WORDS, DIRECTION_WORDS, KIND_WORDS, METHOD_WORDS, ROLE_WORDS, label_key, word_of
from .grid import cell_text
from .ids import slug, unique_ids
from .role import EXAMPLES, Role

__all__ = ["finish", "DEFAULT_GRADES"]

DEFAULT_GRADES = {  # the seed's scale: ≥90 earns a bonus, <60 an improvement plan
    "zh": [{"label": "优秀", "min": 90, "application": "可获额外绩效奖金"}, {"label": "良好", "min": 80},
           {"label": "合格", "min": 60}, {"label": "不合格", "min": 0, "application": "需参加绩效改进计划"}],
    "en": [{"label": "Excellent", "min": 90, "application": "Eligible for an extra performance bonus"}, {"label": "Good", "min": 80},
           {"label": "Satisfactory", "min": 60}, {"label": "Unsatisfactory", "min": 0, "application": "Joins a performance improvement plan"}],
}
WEIGHT_IN_NAME = re.compile(r"\s*[(\[]?\s*(?:权重|weight)?\s*[:=]?\s*(?P<w>\d+(?:\.\d+)?)\s*%\s*[)\]]?\s*$", re.I)
NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.)]\s*")


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
    sections = _sections(role, indicators, lang)
    raters = _raters(role)
    if sections:
        out["sections"] = sections
    if raters:
        out["raters"] = raters
    out["grades"] = _grades(role, lang)
    out["indicators"] = _indicators(role, indicators, sections, raters, bool(data.pop("_percent_weights")))
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


def _sections(role: Role, indicators: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    table = role.data.pop("_sections_table", None)
    names: list[str] = []
    for ind in indicators:
        if ind["_section"] and ind["_section"] not in names:
            names.append(ind["_section"])
    if table is None and len(names) <= 1:
        if names:
            role.note("sections", Text(f"只有一个考核维度“{names[0]}”:不分维度", f"one section only ('{names[0]}'): none used"))
        for ind in indicators:
            ind["_section"] = ""
        return []
    clean = {n: _section_name(n) for n in names}
    weights: dict[str, Any] = {}
    ids: dict[str, str] = {}
    if table is not None:
        rows, _, _ = table
        given = [r.get("id", "") for r in rows]
        made = unique_ids([r.get("name", "") for r in rows], given, "s")
        for k, (row, sid) in enumerate(zip(rows, made)):
            for raw in [n for n, c in clean.items() if c[0] in (row.get("name"), sid) or n in (row.get("name"), sid)] or [row.get("name", "")]:
                ids[raw] = sid
                weights[raw] = row.get("weight", "")
            role.places[f"sections[{k}]"] = row["_cell"]
        out = [{"id": sid, "name": row.get("name", ""), "weight": _weight_text(row.get("weight", ""), role, f"sections[{k}].weight")}
               for k, (row, sid) in enumerate(zip(rows, made))]
        for ind in indicators:
            ind["_section"] = ids.get(ind["_section"], ind["_section"])
        return out
    made = unique_ids([clean[n][0] for n in names], None, "s")
    for n, sid in zip(names, made):
        ids[n] = sid
    stated = {n: clean[n][1] for n in names}
    total = _total_weight(indicators)
    out = []
    for k, n in enumerate(names):
        weight: Any = stated[n]
        if weight is None:
            members = [i for i in indicators if i["_section"] == n]
            if total is not None and abs(total - 1) < 1e-9:
                weight = sum(_as_fraction(i["_weight"]) or 0 for i in members)
                role.note(f"sections[{k}]", Text(f"维度权重为其指标权重之和: {weight * 100:.4g}%", f"section weight = the sum of its indicators' weights: {weight * 100:.4g}%"))
                for i in members:
                    i["_within"] = weight
            else:
                role.error("import-section-weight", next(iter(i["_cells"]["name"] for i in members)), name=clean[n][0])
                weight = 0
        out.append({"id": ids[n], "name": clean[n][0], "weight": weight if isinstance(weight, str) else _percent_text(weight)})
        role.places[f"sections[{k}]"] = next(i["_cells"].get("section", i["_cells"]["name"]) for i in indicators if i["_section"] == n)
    for ind in indicators:
        ind["_section"] = ids.get(ind["_section"], "")
    return out


def _section_name(text: str) -> tuple[str, str | None]:
    """"一、业绩指标(70%)" → ("业绩指标", "70%")."""
    name = NUMBERING.sub("", text).strip()
    m = WEIGHT_IN_NAME.search(name)
    if m:
        return name[: m.start()].strip(" (（[") or name, f"{m['w']}%"
    return name, None


def _total_weight(indicators: list[dict[str, Any]]) -> float | None:
    values = [_as_fraction(i["_weight"]) for i in indicators]
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def _as_fraction(value: Any, percent: bool = False) -> float | None:
    """A weight as a fraction: 0.4, "40%", 40 (a percent number) or "40" → 0.4; None if unreadable."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return float(Decimal(repr(float(value))) / 100) if (percent or value > 1) else float(value)
    text = normalize(str(value)).replace(" ", "")
    try:
        if text.endswith("%"):
            return float(Decimal(text[:-1]) / 100)
        number = Decimal(text)
    except InvalidOperation:
        return None
    return float(number / 100) if (percent or number > 1) else float(number)


def _percent_text(fraction: float) -> Any:
    """A fraction as "40%" when that reads back exactly, else the number itself."""
    text = format((Decimal(repr(float(fraction))) * 100).normalize(), "f")
    return f"{text}%" if float(Decimal(text) / 100) == fraction and len(text) <= 8 else fraction


def _weight_text(value: Any, role: Role, where: str) -> Any:
    fraction = _as_fraction(value)
    if fraction is None:
        role.error("import-unreadable", role.places.get(where.rsplit(".", 1)[0], ""), what=Text("权重", "weight"), text=str(value),
                   reason="", example=EXAMPLES["weight"])
        return value
    return _percent_text(fraction)


def _raters(role: Role) -> list[dict[str, Any]]:
    table = role.data.pop("_raters_table", None)
    columns = role.data.pop("_raters_cols", [])
    if table is not None:
        rows, _, _ = table
        made = unique_ids([r.get("name", "") for r in rows], [r.get("id", "") for r in rows], "r")
        out = []
        for k, (row, rid) in enumerate(zip(rows, made)):
            word = word_of(ROLE_WORDS, row.get("role", "")) or ""
            out.append({"id": rid, "name": row.get("name", ""), "weight": _weight_text(row.get("weight", ""), role, f"raters[{k}].weight"),
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
    if table is not None:
        rows, cell, _ = table
        role.places["grades"] = cell
        out = []
        for k, row in enumerate(rows):
            low = _grade_min(row.get("min", ""))
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
        return out
    if text is not None:
        grades, cell = text
        role.places["grades"] = cell
        role.note("grades", Text(f"等级按 {cell} 的文字读取", f"grades read from the text in {cell}"))
        return grades
    role.note("grades", Text("表中没有等级标准:采用默认(优秀≥90,良好≥80,合格≥60,不合格<60)",
                             "no grade scale in the table: the default (Excellent ≥90, Good ≥80, Satisfactory ≥60)"))
    return [dict(g) for g in DEFAULT_GRADES[lang]]


def _grade_min(text: str) -> float | None:
    number = _number(text)
    if isinstance(number, float):
        return number
    interval = parse_condition(re.sub(r"分|points?|pts?", "", normalize(text)))
    if interval is None:
        return None
    return interval.lo.q.as_float() if interval.lo is not None else 0.0


def _number(text: Any) -> Any:
    try:
        return float(Decimal(normalize(str(text))))
    except InvalidOperation:
        return text


def _indicators(role: Role, rows: list[dict[str, Any]], sections: list[dict[str, Any]], raters: list[dict[str, Any]],
                percent_weights: bool) -> list[dict[str, Any]]:
    ids = unique_ids([r["name"] for r in rows], [r.get("id", "") if re.fullmatch(r"[a-z][a-z0-9_]{0,39}", r.get("id", "")) else ""
                                                 for r in rows], "k")
    out = []
    for i, (row, iid) in enumerate(zip(rows, ids)):
        where = f"indicators[{i}]"
        cells = row["_cells"]
        role.places[where] = cells["name"]
        for key in ("name", "weight", "target", "unit", "direction", "section", "id", "kind", "range", "raters"):
            if key in cells:
                role.places[f"{where}.{key}"] = cells[key]
        if "standard" in cells:
            role.places[f"{where}.scoring"] = cells["standard"]
        ind: dict[str, Any] = {"id": iid}
        if "id" not in row:
            role.note(where, Text(f"标识 {iid} 由指标名称生成", f"id {iid} made from the name"))
        if row["_section"]:
            ind["section"] = row["_section"]
        ind["name"] = row["name"]
        for key in ("definition",):
            if row.get(key):
                ind[key] = row[key]
        out.append(_rules(role, row, ind, where, percent_weights, raters))
        if row.get("source"):
            ind["source"] = row["source"]
    return out


def _rules(role: Role, row: dict[str, Any], ind: dict[str, Any], where: str, percent_weights: bool,
           raters: list[dict[str, Any]]) -> dict[str, Any]:
    cells = row["_cells"]
    lang = role.language
    direction = word_of(DIRECTION_WORDS, row.get("direction", ""))
    if row.get("direction") and direction is None:
        role.error("import-unreadable", cells["direction"], f"{where}.direction", what=Text("方向", "direction"), text=row["direction"], reason="",
                   example="越高越好 / 越低越好 / higher / lower")
    unit = row.get("unit", "")
    target, target_unit, hinted = _target(role, row, where)
    if hinted and direction is None:
        direction = hinted
        role.note(where, Text(f"目标值“{_text(row['_target'])}”:越低越好", f"target '{_text(row['_target'])}': lower is better"))
    unit = unit or target_unit
    method_name = word_of(METHOD_WORDS, row.get("method", "")) if row.get("method") else None
    if row.get("method") and method_name is None:
        role.error("import-unreadable", cells["method"], where, what=Text("计分类型", "method"), text=row["method"], reason="",
                   example=" / ".join(sorted(set(METHOD_WORDS.values()))))
    reading = _read_standard(role, row, Context(unit=unit, target=target, direction=direction, lang=lang), method_name, where)
    if reading is not None:
        role.notes.setdefault(where, []).extend(reading.notes)
        for warning in reading.warnings:
            role.findings.append(finding("import-warning", file=role.file, sheet=role.sheet, cell=cells.get("standard", ""), detail=warning))
        direction = direction or reading.direction
        if reading.unit and not unit and ("unit" not in cells or reading.unit == "%"):  # an empty unit column means no unit
            unit = reading.unit
            if unit != "等级":
                role.note(where, Text(f"单位取自评分标准: {unit}", f"unit taken from the standard: {unit}"))
        elif reading.unit == "%" and unit != "%" and unit:
            role.error("import-unreadable", cells.get("standard", ""), where, what=Text("评分标准", "standard"), text=row["_standard"],
                       reason=Text(f":单位列为 {unit},评分标准却是百分比", f": the unit is {unit} but the standard is in percent"),
                       example=EXAMPLES["standard"])
        if target is None and reading.target is not None:
            target = reading.target
        if reading.scoring.get("method") == "rating" and target is not None and not isinstance(target, str):
            target = _text(row["_target"])
    if unit:
        ind["unit"] = unit
    if unit == "%" and isinstance(target, float) and target > 10 and target_unit != "%":  # 95 in a rate column is 95%
        target = float(Decimal(repr(target)) / 100)
        role.note(where, Text("目标值按百分数读(如 95 即 95%)", "target read as a percentage (95 is 95%)"))
    if target is None and reading is not None and reading.scoring.get("method") == "bands" and not reading.scoring.get("relative"):
        target = _inferred_target(reading)
        if target is not None:
            role.note(where, Text(f"目标值未填:取得 80 分的一档的阈值 {target:g}", f"no target: the threshold of the band worth 80 ({target:g})"))
    if target is not None:
        ind["target"] = target
    weight = _as_fraction(row["_weight"], percent_weights)
    if weight is None:
        if _text(row["_weight"]):
            role.error("import-unreadable", cells.get("weight", cells["name"]), f"{where}.weight", what=Text("权重", "weight"), text=_text(row["_weight"]),
                       reason="", example=EXAMPLES["weight"])
        else:
            role.error("import-empty", cells.get("weight", cells["name"]), f"{where}.weight", what=Text("权重", "weight"), example=EXAMPLES["weight"])
    else:
        within = row.get("_within")
        ind["weight"] = _percent_text(weight if not within else weight / within)
    if direction:
        ind["direction"] = direction
    kind = word_of(KIND_WORDS, row.get("kind", ""))
    if kind:
        ind["kind"] = kind
    if row.get("range"):
        bounds = re.split(r"\s*(?:~|～|–|—|,|至|到|\.\.)\s*", normalize(row["range"]).strip("[]() "))
        try:
            ind["range"] = [float(Decimal(b)) for b in bounds]
        except InvalidOperation:
            role.error("import-unreadable", cells["range"], what=Text("取值范围", "range"), text=row["range"], reason="", example="0~1.5")
    if reading is not None:
        ind["scoring"] = reading.scoring
        _rated(role, row, ind, raters, reading)
    return ind


def _rated(role: Role, row: dict[str, Any], ind: dict[str, Any], raters: list[dict[str, Any]], reading: Reading) -> None:
    if not raters:
        return
    given = row.get("raters")
    if given:
        if label_key(given) in ALL_WORDS:
            ind["rated"] = True
            return
        names = [p.strip() for p in re.split(r"[、,/;，]+", normalize(given)) if p.strip()]
        by_name = {label_key(r["name"]): r["id"] for r in raters} | {r["id"]: r["id"] for r in raters}
        chosen = [by_name.get(label_key(n), n) for n in names]
        ind["rated"] = chosen
        return
    if reading.scoring.get("method") == "rating" and not row["_cells"].get("raters"):
        ind["rated"] = True


def _text(value: Any) -> str:
    return cell_text(value)


def _target(role: Role, row: dict[str, Any], where: str) -> tuple[float | str | None, str, str | None]:
    """The target as a value, its unit, and the direction a ``≤`` in it implies."""
    raw = row["_target"]
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, (int, float)):
        return float(raw), "", None
    text = normalize(str(raw or ""))
    if not text or text in ("-", "—", "/", "无", "n/a", "N/A"):
        return None, "", None
    hint = None
    m = re.match(r"^(≤|<|不高于|不超过|低于|小于|控制在)\s*", text)
    if m:
        hint = "lower"
        text = text[m.end():]
    text = re.sub(r"^(≥|>|不低于|不少于|达到|大于)\s*", "", text)
    text = re.sub(r"以(?:内|下)$", "", text)
    q = quantity(text, row.get("unit", ""))
    if q is None:
        return text, "", hint  # a level (B, 良) or unreadable: the method decides
    unit = q.unit if q.unit not in ("分",) or row.get("unit") else q.unit
    if q.unit and re.search(r"/\s*\S+|每\S+|per ", text):
        role.note(where, Text(f"目标值“{text}”的周期部分已忽略", f"the period in the target '{text}' is ignored"))
    return q.as_float(), "%" if q.percent else unit, hint


def _read_standard(role: Role, row: dict[str, Any], ctx: Context, method_name: str | None, where: str) -> Reading | None:
    text = row["_standard"]
    cell = row["_cells"].get("standard", row["_cells"]["name"])
    if not text:
        role.error("import-empty", cell, where, what=Text("评分标准", "scoring standard"), example=EXAMPLES["standard"])
        return None
    methods = [REGISTRY[method_name]] if method_name else sorted(REGISTRY.values(), key=lambda m: m.read_order)
    for method in methods:
        try:
            reading = method.read(text, ctx)
        except Unreadable as exc:
            role.error("import-unreadable", cell, where, what=Text("评分标准", "scoring standard"), text=text,
                       reason=Text(": " + exc.reason.zh, ": " + exc.reason.en), example=exc.example)
            return None
        if reading is not None:
            return reading
    role.error("import-unreadable", cell, where, what=Text("评分标准", "scoring standard"), text=text, reason="",
               example=" | ".join([EXAMPLES["standard"], "得分=实际/目标×100,最高120分", "每发生1次扣20分,扣完为止",
                                   "每低于目标1%扣2分", "A:100分;B:80分;C:60分;D:0分"]))
    return None


def _inferred_target(reading: Reading) -> float | None:
    bands = reading.scoring.get("bands") or []
    for threshold, score in reversed(bands):
        if score >= 80:
            return float(threshold)
    return float(bands[0][0]) if bands else None


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

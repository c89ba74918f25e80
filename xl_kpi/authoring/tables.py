"""Finding the tables in a grid: the indicator table's header wherever it is (:mod:`.header`), its rows
(headings, sections, a band or a level per row under its indicator, bonus/penalty and veto rows
labelled in any column, totals, notes and signatures skipped), the info block around it, a grade
scale written as a sentence or as a table, and the tables beside it (grades, sections, raters,
adjustments, veto)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text
from ..methods.grammar import normalize
from .columns import ADJUST_SECTION, AUX, INFO_KEYS, SKIP_ROW, VETO_SECTION, Header, label_key, match_header
from .fields import finish
from .grades import grade_lines, grades_from_text, looks_like_grades
from .grid import Grid, read_grids
from .header import TableHeader, find_header, likeliest, scale_row
from .role import Role

__all__ = ["read_roles"]

# rows that end or interrupt the table without being indicators
END_ROW = re.compile(r"^(?:评分等级|等级标准|等级划分|考核等级|绩效等级|评定等级|等级评定|评级标准|grading scale|rating scale|考核得分总计|总合计|加权合计|加权总评|合计得分|得分合计|评分标准|计算公式|考核说明|填表说明|说明[:：]|注[:：]|备注[:：]|"
                     r"当月考核|考核人签字|被考核人|考评人|考核人|复核人|审核人|部门负责人|总经理核准|总分|总分=|自评人|初评意见|复评意见|"
                     r"绩效面谈|total score|total:|please note|note:|\*note)", re.I)
DITTO = re.compile(r"同上[。.]?|〃|\"|ditto|same as above", re.I)
HEADING_WEIGHT = re.compile(r"(?:\(|（|\{)\s*(?:weightage|weight|权重)?\s*[-:：]?\s*\d+(?:\.\d+)?\s*%|\d+(?:\.\d+)?\s*%\s*[)）}]?$|"
                            r"^(?:section|part)\b", re.I)


# --- finding tables in a grid -------------------------------------------------------------------------
def _header(grid: Grid, r: int, roles: dict[str, tuple[str, ...]]) -> dict[str, tuple[int, Header]]:
    found: dict[str, tuple[int, Header]] = {}
    for c in range(grid.width):
        h = match_header(grid.text(r, c), roles)
        if h is not None and h.role not in found:
            found[h.role] = (c, h)
    return found


def _aux_kind(grid: Grid, r: int) -> tuple[str, dict[str, tuple[int, Header]]] | None:
    for kind, roles in AUX.items():
        cols = _header(grid, r, roles)
        need = {"grades": {"label", "min"}, "sections": {"name", "weight"} if "points" not in cols else {"name", "points"},
                "raters": {"name", "weight"}, "adjustments": {"name", "points"}, "veto": {"name"}}[kind]
        filled = [c for c in range(grid.width) if grid.text(r, c)]
        known = {c for c, _ in cols.values()}
        # a header row holds header words only: "一票否决 | 重大安全事故" is an item, not a header (a grade table may
        # carry columns of its own beside its label and range: Point | Increment(%))
        enough = len(filled) == len(known) or kind == "grades" and len(known) * 2 >= len(filled) and len(known) >= 2
        if need <= set(cols) and enough and find_header(grid, r, 1) is None:
            return kind, cols
    return None


def read_roles(path: str | Path) -> tuple[list[Role], list[Finding]]:
    """Every role in the table at ``path``, and the findings that belong to no role (no table found)."""
    grids = read_grids(path)
    roles: list[Role] = []
    shared: dict[str, tuple[Grid, int, dict[str, tuple[int, Header]]]] = {}
    problems: list[Finding] = []
    for grid in grids:
        role = None
        head = find_header(grid)
        if head is not None:
            role = _read_role(grid, head)
            roles.append(role)
        for r in range(grid.height):
            aux = _aux_kind(grid, r)
            if aux is None:
                continue
            kind, cols = aux
            if role is not None and _inside(role, r):
                continue
            if role is not None:
                _apply_aux(role, kind, grid, r, cols)
            else:
                shared.setdefault(kind, (grid, r, cols))
    for role in roles:
        for kind, (grid, r, cols) in shared.items():
            if kind not in role.data.get("_aux", set()):
                _apply_aux(role, kind, grid, r, cols)
    if not roles:
        problems.append(_no_table(path, grids))
    for role in roles:
        finish(role)
    return roles, problems


def _no_table(path: str | Path, grids: list[Grid]) -> Finding:
    """No indicator header: the likeliest row, and the words in it that name no column."""
    for grid in grids:
        near = likeliest(grid)
        if near is not None:
            r, unknown = near
            words = "、".join(unknown) if unknown else Text("无(但没有一列是指标名称,或没有一列是权重/分值/评分标准)",
                                                              "none (but no column names the indicators, or none holds weights, points or rules)")
            return finding("import-no-header", file=str(path), sheet=grid.sheet, cell=grid.ref(r, 0), words=words,
                           names="指标名称/考核项目/KPI + 权重/分值/评分标准")
    return finding("import-no-table", file=str(path))


def _inside(role: Role, r: int) -> bool:
    first, last = role.data.get("_rows", (0, -1))
    return first <= r <= last


# --- the indicator table ------------------------------------------------------------------------------
def _read_role(grid: Grid, head: TableHeader) -> Role:
    role = Role(grid.file, grid.sheet, {})
    col = head.col
    english = all(grid.text(head.row, c).isascii() for c in col.values())
    role.data["language"] = "en" if english else "zh"
    _info(role, grid, range(0, head.row))
    scale = scale_row(grid, head.row)
    indicators: list[dict[str, Any]] = []
    adjustments: list[dict[str, Any]] = []
    veto: list[dict[str, Any]] = []
    heading = _heading_above(grid, head.row)
    section_carry = ""
    r = head.last + 1
    last = head.last
    while r < grid.height:
        texts = [grid.text(r, c) for c in range(grid.width)]
        filled = [t for t in texts if t]
        if not filled:
            r += 1
            continue
        if _aux_kind(grid, r) is not None:
            break
        second = find_header(grid, r, 1)
        if second is not None:
            role.data["_second_table"] = grid.ref(r, second.col.get("name", 0))
            break
        name = _at(texts, col, "name")
        section_text = _at(texts, col, "section")
        first = filled[0]
        if _ends(name, first, filled):
            role.data.setdefault("_end_rows", set()).add(r)  # 合计, 评分标准 (a grade scale may be there), 签字
            last = r
            r += 1
            if any(END_ROW.match(normalize(t).strip()) for t in (name, first) if t):
                second = find_header(grid, r, grid.height)  # the table is over (a subtotal, 小计, is not): is another below?
                if second is not None and _aux_kind(grid, second.row) is None:
                    role.data["_second_table"] = grid.ref(second.row, second.col.get("name", 0))
                break
            continue
        marker = _marker(texts, col, section_text or heading)
        if len(set(filled)) == 1 and marker is None and not _continues(grid, r, col, indicators):
            if not grades_from_text(first) and (len(filled) > 1 or not name or len(first) <= 40 or HEADING_WEIGHT.search(first)):
                heading = _heading(first, heading)  # a heading row across the table (一、业绩指标(70%)), or in the section column only
                section_carry = ""
                last = r
            r += 1  # else a note or the grade scale: never an indicator (an indicator has a weight or a standard)
            continue
        if indicators and _continues(grid, r, col, indicators):
            indicators[-1]["_extra"].append(_extra_row(grid, r, head))
            last = r
            r += 1
            continue
        if "section" in col:
            if section_text and not grid.continues(r, col["section"]) and section_text != section_carry:
                section_carry = section_text
            section_text = section_text or section_carry  # a category merged in WPS and saved as CSV: blank below its first row
        section = section_text or heading
        if marker == "veto":
            veto.append({"name": _item_name(texts, col, name, first), "_cell": grid.ref(r, col["name"])})
        elif marker == "adjust":
            std = _cell(grid, r, col, "standard") or _cell(grid, r, col, "definition")
            adjustments.append({"name": _item_name(texts, col, name, first), "_section": section if ADJUST_SECTION.search(section or "")
                                else _marker_text(texts, col), "_text": std,
                                "_cell": grid.ref(r, col.get("standard", col["name"]))})
        elif not name and any(_cell(grid, r, col, k) for k in ("weight", "points", "standard", "target")):
            role.error("import-empty", grid.ref(r, col["name"]), what=Text("指标名称", "indicator name"), example="销售额")
        elif name:
            indicators.append(_indicator_row(grid, r, head, section))
            if indicators[-1]["_standard"] and DITTO.fullmatch(normalize(indicators[-1]["_standard"]).strip()) and len(indicators) > 1:
                above = indicators[-2]  # 同上: the rule of the row above, as written there
                indicators[-1]["_standard"], indicators[-1]["_ditto"] = above["_standard"], above.get("name", "")
            if scale and not indicators[-1]["_standard"] and not indicators[-1]["_levels"]:
                indicators[-1]["_scale_levels"] = scale
        last = r
        r += 1
    role.data["_rows"] = (head.row, last)
    role.data["_indicators"] = indicators
    _info(role, grid, range(last + 1, grid.height))
    _grade_sentences(role, grid, head.row, last)
    role.data["_percent_weights"] = head.percent
    role.data["_raters_cols"] = _rater_columns(grid, head)
    role.data["_adjustments_rows"] = adjustments
    role.data["_veto_rows"] = veto
    role.data["_levels_cols"] = head.levels
    role.places["indicators"] = grid.ref(head.row, col["name"])
    return role


def _at(texts: list[str], col: dict[str, int], key: str) -> str:
    return texts[col[key]] if key in col and col[key] < len(texts) else ""


def _ends(name: str, first: str, filled: list[str]) -> bool:
    """A total, a signature, a note: a row that is no indicator."""
    for text in (name, first):
        key = label_key(text) if text else ""
        if key and (SKIP_ROW.match(key) or END_ROW.match(normalize(text).strip())):
            return True
    return False


def _heading_above(grid: Grid, h: int) -> str:
    """A section heading with its weight just above the header (SECTION-A (Performance) {Weightage-60%})."""
    for r in (h - 1, h - 2):
        texts = {grid.text(r, c) for c in range(grid.width)} - {""} if r >= 0 else set()
        if len(texts) == 1 and HEADING_WEIGHT.search(next(iter(texts))):
            return next(iter(texts))
    return ""


def _heading(text: str, previous: str) -> str:
    """A heading row: a new section when it carries a weight or the table has none yet; a plain sub-heading
    under a weighted section ("A. Approach to work:") keeps the section it is in."""
    if previous and HEADING_WEIGHT.search(previous) and not HEADING_WEIGHT.search(text):
        return previous
    return text


_MARK_WORDS = re.compile(r"^(?:加分项?|扣分项?|加减分项?|奖惩项?|加分项目|扣分项目|一票否决(?:项)?|否决项|bonus|penalty|bonus/penalty|veto)$", re.I)


def _marker(texts: list[str], col: dict[str, int], section: str) -> str | None:
    """加分/扣分/一票否决 labels the row — in its section, or in any column before the standard (序号 too)."""
    if section and VETO_SECTION.search(section) and not _at(texts, col, "weight"):
        return "veto"
    if section and ADJUST_SECTION.search(section) and not _at(texts, col, "weight"):
        return "adjust"
    label = _marker_text(texts, col)
    if label:
        return "veto" if VETO_SECTION.search(label) else "adjust"
    return None


def _marker_text(texts: list[str], col: dict[str, int]) -> str:
    stop = min([c for k, c in col.items() if k in ("standard", "weight", "target")] or [len(texts)])
    for t in texts[:stop]:
        if t and _MARK_WORDS.match(label_key(t)):
            return t
    return ""


def _item_name(texts: list[str], col: dict[str, int], name: str, first: str) -> str:
    if name and not _MARK_WORDS.match(label_key(name)):
        return name
    label = _marker_text(texts, col)
    rest = [t for t in texts if t and t != label and not _MARK_WORDS.match(label_key(t))]
    return rest[0] if rest else first


def _continues(grid: Grid, r: int, col: dict[str, int], indicators: list[dict[str, Any]]) -> bool:
    """A row under an indicator that carries one more of its bands or levels: its name cell is merged
    down from the indicator's row, or empty while a band, a level or a standard is there."""
    if not indicators or "name" not in col:
        return False
    c = col["name"]
    if "weight" in col and grid.text(r, col["weight"]) and not grid.continues(r, col["weight"]):
        return False  # a weight of its own: another indicator, never one more line of the one above
    if grid.continues(r, c):
        area = grid.merged(r, c)
        return area is not None and area[0] <= indicators[-1]["_row"]
    if grid.text(r, c):
        return False
    return any(grid.text(r, col[k]) for k in ("standard", "level", "span") if k in col)


def _extra_row(grid: Grid, r: int, head: TableHeader) -> dict[str, Any]:
    col = head.col
    out: dict[str, Any] = {k: grid.text(r, col[k]) for k in ("standard", "points", "level", "span", "definition") if k in col}
    out["_cell"] = grid.ref(r, col.get("standard", col["name"]))
    out["_row"] = r
    return out


def _cell(grid: Grid, r: int, col: dict[str, int], key: str) -> str:
    return grid.text(r, col[key]) if key in col else ""


def _raw(grid: Grid, r: int, col: dict[str, int], key: str) -> Any:
    return grid.value(r, col[key]) if key in col else ""


def _indicator_row(grid: Grid, r: int, head: TableHeader, section: str) -> dict[str, Any]:
    col = head.col
    row: dict[str, Any] = {"_row": r, "_cells": {k: grid.ref(r, c) for k, c in col.items()}}
    for key in ("id", "name", "definition", "unit", "source", "direction", "method", "kind", "raters", "range", "level", "span"):
        text = _cell(grid, r, col, key)
        if text:
            row[key] = normalize(text) if key in ("unit",) else text
    row["_target"] = _raw(grid, r, col, "target")
    row["_weight"] = _raw(grid, r, col, "weight")
    row["_points"] = _raw(grid, r, col, "points")
    row["_standard"] = grid.text(r, col["standard"]) if "standard" in col else ""
    row["_section"] = section
    row["_levels"] = [(label, points, grid.text(r, c), grid.ref(r, c)) for c, label, points in head.levels]
    area = grid.merged(r, col["weight"]) if "weight" in col else None
    row["_weight_area"] = area if area is not None and area[2] > area[0] else None  # one weight merged down several rows
    row["_extra"] = []
    return row


def _rater_columns(grid: Grid, head: TableHeader) -> list[dict[str, Any]]:
    """Columns such as 自评(30%) and 上级评分(70%): who rates the judged indicators, by weight (columns
    without a weight, such as 自评 | 上级 | 结果, say who fills in what, not how it is weighted)."""
    raters: list[dict[str, Any]] = []
    for c, name, weight in head.raters:
        if weight is None:
            continue
        word = label_key(name)
        rid = "self" if word.startswith(("自评", "员工", "本人", "self", "employee")) else (
            "reviewer" if word.startswith(("复核", "隔级", "复评", "reviewer")) else "supervisor")
        if all(x["id"] != rid for x in raters):
            raters.append({"id": rid, "name": name, "weight": f"{weight:g}%", "role": rid, "_cell": grid.ref(head.last, c)})
    return raters


def _info(role: Role, grid: Grid, rows: range) -> None:
    """Key–value pairs around the table: 考核周期：2026-Q3, or 岗位 | 销售代表 in two cells; the title row."""
    info = role.data.setdefault("_info", {})
    for r in rows:
        texts = [grid.text(r, c) for c in range(grid.width)]
        filled = [(c, t) for c, t in enumerate(texts) if t]
        for k, (c, text) in enumerate(filled):
            m = re.match(r"^([^:：]{1,24})[:：]\s*(.+)$", text)
            key = _info_key(m[1] if m else text)
            if key is None:
                continue
            value = m[2].strip() if m else next((t for cc, t in filled[k + 1:] if t != text), "")
            if value and _info_key(value) is None and not _BLANK_LABEL.search(value):
                info.setdefault(key, (value, grid.ref(r, c)))
        if "title" not in info and len({t for _, t in filled}) == 1 and _info_key(filled[0][1] if filled else "") is None:
            text = filled[0][1] if filled else ""
            if text and not re.match(r"^[:：]", text) and len(text) <= 60 and rows.start == 0:
                info["title"] = (text, grid.ref(r, filled[0][0]))


# a label of the blank form (姓名 | 岗位 | 考核日期 with nothing filled in), not a value
_BLANK_LABEL = re.compile(r"(?:日期|时间|姓名|部门|岗位|职位|职务|编号|工号|签字|签名|周期|期间|name|date|department|position)[:：]?$", re.I)


def _info_key(text: str) -> str | None:
    found = match_header(text, INFO_KEYS)
    return found.role if found else None


def _grade_sentences(role: Role, grid: Grid, h: int, last: int) -> None:
    """A grade scale written as a sentence anywhere outside the table (90分以上为优秀;80-89分为良好…), or
    as lines one grade a row (Excellent (90% and above): …)."""
    used = {i["_row"] for i in role.data.get("_indicators", [])}
    ends = role.data.get("_end_rows", set())
    for r in [r for r in range(grid.height) if r != h and r not in used and (not h < r <= last or r in ends)]:
        for c in range(grid.width):
            grades = grades_from_text(grid.text(r, c))
            if grades:
                role.data.setdefault("_grades_text", (grades, grid.ref(r, c)))
                return
    lines = grade_lines(grid, last + 1, grid.height)
    if lines is not None:
        role.data.setdefault("_grades_text", lines)
        return
    for r in [r for r in range(grid.height) if r != h and r not in used and (not h < r <= last or r in ends)]:
        for c in range(grid.width):
            if looks_like_grades(grid.text(r, c)):  # a scale in a form not read: said, never replaced by the default
                role.data.setdefault("_grades_unread", (grid.text(r, c), grid.ref(r, c)))
                return


# --- the tables beside it ---------------------------------------------------------------------------------
def _apply_aux(role: Role, kind: str, grid: Grid, h: int, cols: dict[str, tuple[int, Header]]) -> None:
    role.data.setdefault("_aux", set()).add(kind)
    col = {k: c for k, (c, _) in cols.items()}
    rows: list[dict[str, Any]] = []
    for r in range(h + 1, grid.height):
        texts = [grid.text(r, c) for c in range(grid.width)]
        if not any(texts):
            if rows:
                break
            continue
        if _aux_kind(grid, r) is not None or find_header(grid, r, 1) is not None:
            break
        key = _info_key(texts[0]) if texts else None
        if key in ("adjust_min", "adjust_max"):
            continue
        if kind == "grades" and _note_row(texts, col):
            break  # a note under the grade table (注:考核结果与奖金挂钩) is not a grade
        rows.append({k: grid.text(r, c) for k, c in col.items()} | {"_cell": grid.ref(r, col.get("name", col.get("label", 0)))})
    role.data[f"_{kind}_table"] = (rows, grid.ref(h, 0), cols)
    if kind == "adjustments":
        _info(role, grid, range(max(0, h - 4), h))


def _note_row(texts: list[str], col: dict[str, int]) -> bool:
    filled = [t for t in texts if t]
    return len(filled) == 1 and (re.match(r"^(?:注|说明|备注|note)", filled[0], re.I) is not None or len(filled[0]) > 30)


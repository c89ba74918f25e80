"""Finding the tables in a grid: the indicator table's header wherever it is, its rows (headings,
sections, bonus/penalty and veto rows, totals and notes skipped), the info block around it, a grade
scale written as a sentence, and the tables beside it (grades, sections, raters, adjustments, veto)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..core.findings import Finding, finding
from ..methods.grammar import normalize, parse_condition
from .columns import ADJUST_SECTION, AUX, INFO_KEYS, ROLES, SKIP_ROW, VETO_SECTION, Header, label_key, match_header
from .fields import finish
from .grid import Grid, read_grids
from .role import Role

__all__ = ["read_roles"]

GRADE_WORDS = re.compile(r"卓越|优秀|良好|合格|基本合格|称职|基本称职|需改进|待改进|不合格|不称职|较差|一般|优|良|中|差|"
                         r"excellent|outstanding|good|satisfactory|fair|needs improvement|unsatisfactory|poor|"
                         r"(?<![A-Za-z])[SABCDE][+-]?(?![A-Za-z])", re.I)
RATER_COLUMN = re.compile(r"^(?P<name>自评|员工自评|本人自评|自评得分|上级评分|上级评价|上级评|直接上级评分|考核人评分|复核|复核评分|"
                          r"隔级评分|隔级上级评分|self|self rating|supervisor|supervisor rating|reviewer)"
                          r"\s*(?:得分|分)?\s*\(?\s*(?P<w>\d+(?:\.\d+)?)\s*%\s*\)?$", re.I)


# --- finding tables in a grid -------------------------------------------------------------------------
def _header(grid: Grid, r: int, roles: dict[str, tuple[str, ...]]) -> dict[str, tuple[int, Header]]:
    found: dict[str, tuple[int, Header]] = {}
    for c in range(grid.width):
        h = match_header(grid.text(r, c), roles)
        if h is not None and h.role not in found:
            found[h.role] = (c, h)
    return found


def _is_indicator_header(cols: dict[str, Any]) -> bool:
    return "name" in cols and ("weight" in cols or "standard" in cols)


def _aux_kind(grid: Grid, r: int) -> tuple[str, dict[str, tuple[int, Header]]] | None:
    for kind, roles in AUX.items():
        cols = _header(grid, r, roles)
        need = {"grades": {"label", "min"}, "sections": {"name", "weight"}, "raters": {"name", "weight"},
                "adjustments": {"name", "points"}, "veto": {"name"}}[kind]
        filled = [c for c in range(grid.width) if grid.text(r, c)]
        # a header row holds header words only: "一票否决 | 重大安全事故" is an item, not a header
        if need <= set(cols) and len(filled) == len({c for c, _ in cols.values()}) and not _is_indicator_header(_header(grid, r, ROLES)):
            return kind, cols
    return None


def read_roles(path: str | Path) -> tuple[list[Role], list[Finding]]:
    """Every role in the table at ``path``, and the findings that belong to no role (no table found)."""
    grids = read_grids(path)
    roles: list[Role] = []
    shared: dict[str, tuple[Grid, int, dict[str, tuple[int, Header]]]] = {}
    for grid in grids:
        role = None
        for r in range(min(grid.height, 200)):
            cols = _header(grid, r, ROLES)
            if _is_indicator_header(cols):
                role = _read_role(grid, r, cols)
                roles.append(role)
                break
        for r in range(grid.height):
            aux = _aux_kind(grid, r)
            if aux is None:
                continue
            kind, cols = aux
            if role is not None and r > 0 and _inside(role, r):
                continue
            if role is not None:
                _apply_aux(role, kind, grid, r, cols)
            else:
                shared.setdefault(kind, (grid, r, cols))
    for role in roles:
        for kind, (grid, r, cols) in shared.items():
            if kind not in role.data.get("_aux", set()):
                _apply_aux(role, kind, grid, r, cols)
    problems: list[Finding] = []
    if not roles:
        problems.append(finding("import-no-table", file=str(path)))
    for role in roles:
        finish(role)
    return roles, problems


def _inside(role: Role, r: int) -> bool:
    first, last = role.data.get("_rows", (0, -1))
    return first <= r <= last


# --- the indicator table ------------------------------------------------------------------------------
def _read_role(grid: Grid, h: int, cols: dict[str, tuple[int, Header]]) -> Role:
    role = Role(grid.file, grid.sheet, {})
    english = all(grid.text(h, c).isascii() for c, _ in cols.values())
    role.data["language"] = "en" if english else "zh"
    start = h + 1
    sub = _header(grid, start, ROLES) if start < grid.height else {}
    if sub and all(not grid.text(start, c) or grid.text(start, c) == grid.text(h, c) or match_header(grid.text(start, c), ROLES)
                   for c in range(grid.width)):
        for name, (c, hd) in sub.items():
            if grid.text(start, c) != grid.text(h, c):
                for other in [k for k, (cc, _) in cols.items() if cc == c]:
                    del cols[other]
                cols[name] = (c, hd)
        start += 1
    raters = _rater_columns(role, grid, h, start - 1)
    _info(role, grid, range(0, h))
    col = {k: c for k, (c, _) in cols.items()}
    percent_weights = cols["weight"][1].percent if "weight" in cols else False
    indicators: list[dict[str, Any]] = []
    adjustments: list[dict[str, Any]] = []
    veto: list[dict[str, Any]] = []
    heading = ""
    r = start
    last = start - 1
    while r < grid.height:
        texts = [grid.text(r, c) for c in range(grid.width)]
        filled = [t for t in texts if t]
        if not filled:
            r += 1
            continue
        if _is_indicator_header(_header(grid, r, ROLES)) or _aux_kind(grid, r) is not None:
            break
        name = texts[col["name"]] if col["name"] < len(texts) else ""
        section_text = texts[col["section"]] if "section" in col and col["section"] < len(texts) else ""
        first = filled[0]
        if SKIP_ROW.match(label_key(name or first)) or SKIP_ROW.match(label_key(first)):
            last = r
            r += 1
            continue
        if len(set(filled)) == 1:
            if not _grades_from_text(first) and (len(filled) > 1 or not name or len(first) <= 20):
                heading = first  # a heading row across the table (一、业绩指标(70%)), or in the section column only
                last = r
            r += 1  # else a note or the grade scale: never an indicator (an indicator has a weight or a standard)
            continue
        section = section_text or heading
        where = grid.ref(r, col["name"])
        if section and VETO_SECTION.search(section) and not _has(texts, col, "weight"):
            veto.append({"name": name or first, "_cell": where})
        elif section and ADJUST_SECTION.search(section) and not _has(texts, col, "weight"):
            adjustments.append({"name": name or first, "_section": section, "_text": _cell(grid, r, col, "standard") or
                                _cell(grid, r, col, "definition"), "_cell": grid.ref(r, col.get("standard", col["name"]))})
        elif name:
            indicators.append(_indicator_row(role, grid, r, col, section))
        last = r
        r += 1
    role.data["_rows"] = (h, last)
    role.data["_indicators"] = indicators
    _info(role, grid, range(last + 1, grid.height))
    _grade_sentences(role, grid, h, last)
    role.data["_percent_weights"] = percent_weights
    role.data["_raters_cols"] = raters
    role.data["_adjustments_rows"] = adjustments
    role.data["_veto_rows"] = veto
    role.places["indicators"] = grid.ref(h, col["name"])
    return role


def _has(texts: list[str], col: dict[str, int], key: str) -> bool:
    return key in col and col[key] < len(texts) and bool(texts[col[key]])


def _cell(grid: Grid, r: int, col: dict[str, int], key: str) -> str:
    return grid.text(r, col[key]) if key in col else ""


def _raw(grid: Grid, r: int, col: dict[str, int], key: str) -> Any:
    return grid.value(r, col[key]) if key in col else ""


def _indicator_row(role: Role, grid: Grid, r: int, col: dict[str, int], section: str) -> dict[str, Any]:
    row: dict[str, Any] = {"_row": r, "_cells": {k: grid.ref(r, c) for k, c in col.items()}}
    for key in ("id", "name", "definition", "unit", "source", "direction", "method", "kind", "raters", "range"):
        text = _cell(grid, r, col, key)
        if text:
            row[key] = normalize(text) if key in ("unit",) else text
    row["_target"] = _raw(grid, r, col, "target")
    row["_weight"] = _raw(grid, r, col, "weight")
    row["_standard"] = grid.text(r, col["standard"]) if "standard" in col else ""
    row["_section"] = section
    return row


def _rater_columns(role: Role, grid: Grid, h: int, last_header: int) -> list[dict[str, Any]]:
    """Columns such as 自评(30%) and 上级评分(70%): who rates the judged indicators, by weight."""
    raters: list[dict[str, Any]] = []
    for c in range(grid.width):
        for r in (h, last_header):
            m = RATER_COLUMN.match(normalize(grid.text(r, c)))
            if m:
                word = label_key(m["name"])
                rid = "self" if word.startswith(("自评", "员工", "本人", "self")) else (
                    "reviewer" if word.startswith(("复核", "隔级", "reviewer")) else "supervisor")
                if all(x["id"] != rid for x in raters):
                    raters.append({"id": rid, "name": m["name"], "weight": f"{m['w']}%", "role": rid, "_cell": grid.ref(r, c)})
                break
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
            if value and _info_key(value) is None:
                info.setdefault(key, (value, grid.ref(r, c)))
        if "title" not in info and len({t for _, t in filled}) == 1 and _info_key(filled[0][1] if filled else "") is None:
            text = filled[0][1] if filled else ""
            if text and not re.match(r"^[:：]", text) and len(text) <= 60 and rows.start == 0:
                info["title"] = (text, grid.ref(r, filled[0][0]))


def _info_key(text: str) -> str | None:
    found = match_header(text, INFO_KEYS)
    return found.role if found else None


def _grade_sentences(role: Role, grid: Grid, h: int, last: int) -> None:
    """A grade scale written as a sentence anywhere outside the table: 90分以上为优秀;80-89分为良好…"""
    used = {i["_row"] for i in role.data.get("_indicators", [])}
    for r in [r for r in range(grid.height) if r != h and r not in used]:
        for c in range(grid.width):
            text = grid.text(r, c)
            if len(GRADE_WORDS.findall(text)) >= 2 and re.search(r"\d", text):
                grades = _grades_from_text(text)
                if grades:
                    role.data.setdefault("_grades_text", (grades, grid.ref(r, c)))
                    return


def _grades_from_text(text: str) -> list[dict[str, Any]] | None:
    out = []
    for part in re.split(r"[;,、\n]+", normalize(text)):
        words = GRADE_WORDS.findall(part)
        if len(words) != 1:
            continue
        rest = part.replace(words[0], " ")
        rest = re.sub(r"为|是|评为|定为|等级|级|分数|得分|总分|考核|:|\(|\)|is|=", " ", rest)
        interval = parse_condition(rest)
        if interval is None:
            continue
        low = interval.lo.q.as_float() if interval.lo is not None else 0.0
        coefficient = re.search(r"系数\s*(\d+(?:\.\d+)?)", part)
        out.append({"label": words[0], "min": low, **({"coefficient": float(coefficient[1])} if coefficient else {})})
    if len(out) < 2:
        return None
    out.sort(key=lambda g: -g["min"])
    out[-1]["min"] = 0 if out[-1]["min"] != 0 and any(w in text for w in ("以下", "不足", "<", "低于")) else out[-1]["min"]
    return out


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
        if _aux_kind(grid, r) is not None or _is_indicator_header(_header(grid, r, ROLES)):
            break
        key = _info_key(texts[0]) if texts else None
        if key in ("adjust_min", "adjust_max"):
            continue
        rows.append({k: grid.text(r, c) for k, c in col.items()} | {"_cell": grid.ref(r, col.get("name", col.get("label", 0)))})
    role.data[f"_{kind}_table"] = (rows, grid.ref(h, 0), cols)
    if kind == "adjustments":
        _info(role, grid, range(max(0, h - 4), h))

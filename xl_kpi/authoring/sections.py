"""Sections of a table (考核维度): from a column, from heading rows across the table (``一、工作业绩(70%)``,
``SECTION-A (Performance) {Weightage-60%}``), or from a section table beside it; with their weights
— written in the name, the sum of their indicators' weights, or one weight merged down the weight
column — or, on a card of points, their points (``物料管理(60 分)``: what their items add up to).

HR's numbers are kept as written: indicator weights that add up to their section's weight (30, 15,
15, 10 in a 70% section) stay shares of the card, not 0.42857… of the section.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from ..core.text import Text
from ..methods.grammar import normalize, number_text
from .grid import cell_text
from .ids import unique_ids
from .role import EXAMPLES, Role
from .scale import Scale

__all__ = ["section_list", "section_name", "percent_text", "share_merged", "equal_shares"]

WEIGHT_IN_NAME = re.compile(r"\s*[(\[{（]?\s*(?:权重|weightage|weight)?\s*[-:=：]?\s*(?P<w>\d+(?:\.\d+)?)\s*%\s*(?:should be .*)?[)\]}）]?\s*$",
                            re.I)
POINTS_IN_NAME = re.compile(r"\s*[(（]?\s*(?P<p>\d+(?:\.\d+)?)\s*分\s*[)）]?\s*$")
NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.)]\s*|^\s*section[- ]?[a-z]\s*\(?|^\s*part[- ]?[a-z0-9]+\s*", re.I)


def section_name(text: str) -> tuple[str, float | None, float | None]:
    """"一、业绩指标(70%)" → ("业绩指标", 0.7, None); "物料管理(60 分)" → ("物料管理", None, 60)."""
    name = normalize(NUMBERING.sub("", text)).strip()
    m = WEIGHT_IN_NAME.search(name)
    if m:
        return name[: m.start()].strip(" (（[{)") or name, float(Decimal(m["w"]) / 100), None
    m = POINTS_IN_NAME.search(name)
    if m:
        return name[: m.start()].strip(" (（[\n") or name, None, float(m["p"])
    return name.strip(" ){"), None, None


def percent_text(fraction: float) -> Any:
    """A fraction as "40%" when that reads back exactly, else the number itself."""
    text = format((Decimal(repr(float(fraction))) * 100).normalize(), "f")
    return f"{text}%" if float(Decimal(text) / 100) == fraction and len(text) <= 8 else fraction


def share_merged(role: Role, rows: list[dict[str, Any]], weights: list[float | None]) -> None:
    """One weight merged down several rows (a section's weight in the weight column): its rows share it
    equally (said in a note)."""
    groups: dict[tuple[int, int, int, int], list[int]] = {}
    for i, row in enumerate(rows):
        if row.get("_weight_area") is not None:
            groups.setdefault(row["_weight_area"], []).append(i)
    for members in groups.values():
        value = weights[members[0]]
        if value is None or len(members) < 2:
            continue
        each = float(Decimal(repr(value)) / len(members))
        for i in members:
            weights[i] = each
        whole, share = (number_text(float(Decimal(repr(value)) * 100 / k)) for k in (1, len(members)))  # 7%, not 7.000000000000001%
        role.note(f"indicators[{members[0]}]", Text(f"权重 {whole}% 合并在 {len(members)} 项上:各项平均 {share}%",
                                                    f"one weight of {whole}% over {len(members)} rows: {share}% each"))


def equal_shares(role: Role, rows: list[dict[str, Any]], weights: list[float | None]) -> None:
    """No weights at all, but sections with theirs (SECTION-A (Performance) {Weightage-60%}): the items of a
    section share its weight equally (said in a note)."""
    if any(w is not None for w in weights) or any(cell_text(r.get("_weight")) or cell_text(r.get("_points")) for r in rows):
        return
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(row["_section"], []).append(i)
    stated = {name: section_name(name)[1] for name in groups}
    if not groups or any(v is None for v in stated.values()):
        return
    for name, members in groups.items():
        each = float(Decimal(repr(stated[name])) / len(members))
        for i in members:
            weights[i] = each
        role.note(f"indicators[{members[0]}]", Text(f"没有权重:“{section_name(name)[0]}”的 {len(members)} 项平均分配维度权重,各 {number_text(each * 100)}%",
                                                    f"no weights: the {len(members)} items of '{section_name(name)[0]}' share its weight, "
                                                    f"{number_text(each * 100)}% each"))


def section_list(role: Role, rows: list[dict[str, Any]], weights: list[float | None], scale: Scale) -> list[dict[str, Any]]:
    """The sections, each indicator's ``_section`` set to its section's id (or "")."""
    table = role.data.pop("_sections_table", None)
    names: list[str] = []
    for row in rows:
        if row["_section"] and row["_section"] not in names:
            names.append(row["_section"])
    if table is None and len(names) <= 1:
        if names:
            role.note("sections", Text(f"只有一个考核维度“{names[0]}”:不分维度", f"one section only ('{names[0]}'): none used"))
        for row in rows:
            row["_section"] = ""
        return []
    if table is not None:
        return _from_table(role, rows, table)
    clean = {n: section_name(n) for n in names}
    made = unique_ids([clean[n][0] for n in names], None, "s")
    ids = dict(zip(names, made))
    out = []
    for k, n in enumerate(names):
        members = [i for i, r in enumerate(rows) if r["_section"] == n]
        cell = rows[members[0]]["_cells"].get("section", rows[members[0]]["_cells"]["name"])
        role.places[f"sections[{k}]"] = cell
        merged = {rows[i].get("_weight_area") for i in members}
        section = _points_section(role, k, clean[n], members, scale, cell) if scale.by_points else \
            _weighted_section(role, k, clean[n], members, weights, cell, None not in merged and len(merged) == 1)
        out.append({"id": ids[n], **section})
    for row in rows:
        row["_section"] = ids.get(row["_section"], "")
    if scale.by_points:
        _one_kind(role, out)
    return out


def _weighted_section(role: Role, k: int, clean: tuple[str, float | None, float | None], members: list[int],
                      weights: list[float | None], cell: str, merged: bool) -> dict[str, Any]:
    name, stated, _ = clean
    total = [weights[i] for i in members]
    if stated is not None:
        return {"name": name, "weight": percent_text(stated)}
    card = [w for w in weights]
    if merged or all(w is not None for w in card) and math.isclose(math.fsum(w for w in card if w is not None), 1.0, abs_tol=1e-9):
        weight = float(sum((Decimal(repr(w)) for w in total if w is not None), Decimal(0)))  # 30%+15%+15%+10% is 70%, not 0.7000000000000001
        role.note(f"sections[{k}]", Text(f"维度权重为其指标权重之和: {number_text(weight * 100)}%",
                                         f"section weight = the sum of its indicators' weights: {number_text(weight * 100)}%"))
        return {"name": name, "weight": percent_text(weight)}
    role.error("import-section-weight", cell, name=name)
    return {"name": name, "weight": 0}


def _points_section(role: Role, k: int, clean: tuple[str, float | None, float | None], members: list[int], scale: Scale,
                    cell: str) -> dict[str, Any]:
    """A card of points: a section with a weight holds items worth 100 in all; one without adds its points up
    (and when its name states them, they must be what its items add up to)."""
    name, stated, points = clean
    total = math.fsum(scale.points.get(i, 0.0) for i in members)
    if stated is not None and not math.isclose(stated * 100, total, abs_tol=1e-9):
        return {"name": name, "weight": percent_text(stated)}  # weighted: its items' points total 100 (checked by the spec)
    said = stated * 100 if stated is not None else points
    if said is not None and not math.isclose(said, total, abs_tol=1e-9):
        role.error("import-section-points", cell, name=name, said=said, total=total)
    return {"name": name}


def _one_kind(role: Role, sections: list[dict[str, Any]]) -> None:
    weighted = [s for s in sections if "weight" in s]
    if weighted and len(weighted) != len(sections):
        role.error("import-section-points", role.places.get("sections[0]", ""), name=sections[0]["name"], said=0, total=0)


def _from_table(role: Role, rows: list[dict[str, Any]], table: Any) -> list[dict[str, Any]]:
    trows, _, _ = table
    given = [r.get("id", "") for r in trows]
    made = unique_ids([r.get("name", "") for r in trows], given, "s")
    ids: dict[str, str] = {}
    names = {row["_section"] for row in rows if row["_section"]}
    out = []
    for k, (trow, sid) in enumerate(zip(trows, made)):
        for raw in [n for n in names if section_name(n)[0] in (trow.get("name"), sid) or n in (trow.get("name"), sid)] or [trow.get("name", "")]:
            ids[raw] = sid
        role.places[f"sections[{k}]"] = trow["_cell"]
        if "weight" not in trow and "points" in trow:  # a card of points: the section adds up its items' points
            out.append({"id": sid, "name": trow.get("name", "")})
            continue
        out.append({"id": sid, "name": trow.get("name", ""), "weight": _weight_text(trow.get("weight", ""), role, f"sections[{k}].weight")})
    for row in rows:
        row["_section"] = ids.get(row["_section"], row["_section"])
    return out


def _weight_text(value: Any, role: Role, where: str) -> Any:
    from .scale import weight_fractions

    (fraction,), _ = weight_fractions([value], False)
    if fraction is None:
        role.error("import-unreadable", role.places.get(where.rsplit(".", 1)[0], ""), what=Text("权重", "weight"), text=str(value),
                   reason="", example=EXAMPLES["weight"])
        return value
    return percent_text(fraction)

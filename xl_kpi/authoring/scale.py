"""What a table's scores are out of: its own points per row (分值制), or 100 per row weighted.

- A column of points (分值, 标准分, ``25 pts``) or points in the item's name (``现金库存差错(5 分)``)
  make a card of points: every row is scored in its own points.
- Weights whose rows' rules top out at the weight itself (``按要求完成 20 分`` on a 20% row) are
  points too: the card is read as one of points (said in a note).
- Rows that all top out at the same K (``按要求完成 10 分`` on rows of 15%, 10%, 6%) are scored out
  of K and weighted: read on 100 (said).
- Rows whose rules top out at 100 are the usual weighted card. A deduction that states no full
  score (``每次扣5分``) comes off 100 when the table scores on 100 or its rows share a section's
  weight; where nothing says whether it comes off 100 or off the row's own weight, it is refused.

The weight column is read as a whole: ``40%`` cells, percent numbers (``40`` summing to 100, or a
``(%)`` header), fractions (summing to 1), or plain numbers in proportion (``1,1,1,2,2,2``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.text import Text
from ..methods.grammar import Reading, Unreadable, normalize, number_text

__all__ = ["Scale", "decide", "points_of", "points_in_name", "weight_fractions"]

_IN_NAME = re.compile(r"\s*[(（]\s*(?P<p>\d+(?:\.\d+)?)\s*(?:分|pts?|points?)\s*[)）]\s*$", re.I)


def points_in_name(name: str) -> tuple[str, float | None]:
    """"现金库存差错(5 分)" → ("现金库存差错", 5.0)."""
    m = _IN_NAME.search(normalize(name))
    if m is None:
        return name, None
    return normalize(name)[: m.start()].strip(), float(m["p"])


def points_of(value: Any) -> float | None:
    """A points cell: 10, "10分", "25 pts"; None when empty or not points."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) and value > 0 else None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:分|pts?|points?)?\s*", normalize(str(value)), re.I)
    return float(m[1]) if m and float(m[1]) > 0 else None


def weight_fractions(values: list[Any], percent: bool, groups: list[str] | None = None) -> tuple[list[float | None], Text | None]:
    """The weight column read as a whole: each weight as a fraction of the card (or of its section, as
    written), and a note when the notation was inferred (plain numbers in proportion). ``groups``: each
    row's section, so that shares of a section (summing to 1 or 100 within it) are recognised."""
    numbers: list[Decimal | None] = []
    strings = False
    for v in values:
        if isinstance(v, bool) or v in (None, ""):
            numbers.append(None)
            continue
        if isinstance(v, (int, float)):
            numbers.append(Decimal(repr(float(v))))
            continue
        text = normalize(str(v)).replace(" ", "")
        if text.endswith("分") and not text.endswith("%分"):  # 30分: points of 100, read as a bare 30
            text = text[:-1]
        try:
            if text.endswith("%"):
                strings = True
                numbers.append(Decimal(text[:-1]) / 100)
            else:
                numbers.append(Decimal(text))
        except InvalidOperation:
            numbers.append(None)
    given = [n for n in numbers if n is not None]
    if not given:
        return [None] * len(values), None
    total = sum(given, Decimal(0))
    sums: dict[str, Decimal] = {}
    for g, n in zip(groups or [""] * len(numbers), numbers):
        if n is not None:
            sums[g] = sums.get(g, Decimal(0)) + n
    per_group = {abs(v - 1) < Decimal("1e-9") for v in sums.values()} == {True}
    per_group_100 = {abs(v - 100) < Decimal("1e-9") for v in sums.values()} == {True}
    if strings or (not percent and all(n <= 1 for n in given) and (total <= Decimal("1.000000001") or per_group)):
        plain = [n for v, n in zip(values, numbers) if n is not None and not (isinstance(v, str) and v.strip().endswith("%"))]
        if strings and plain and all(n > 1 for n in plain):  # "40%" beside 30: the bare numbers are percent too
            return [None if n is None else float(n / 100 if n > 1 else n) for n in numbers], None
        return [None if n is None else float(n) for n in numbers], None
    if percent or abs(total - 100) < Decimal("1e-9") or per_group_100 or all(n > 1 for n in given) and total <= 100:
        return [None if n is None else float(n / 100) for n in numbers], None
    shares = [None if n is None else float(n / total) for n in numbers]
    return shares, Text(f"权重按比例折算(合计 {number_text(float(total))}):如 {number_text(float(given[0]))} 即 "
                        f"{number_text(float(given[0] / total * 100))}%",
                        f"weights read in proportion (they total {number_text(float(total))}): "
                        f"{number_text(float(given[0]))} is {number_text(float(given[0] / total * 100))}%")


@dataclass
class Scale:
    """Each row's full points (a card of points), or None; the factor its scores are multiplied by; why a row is refused."""

    points: dict[int, float] = field(default_factory=dict)
    factor: dict[int, float] = field(default_factory=dict)
    refuse: dict[int, Text] = field(default_factory=dict)
    notes: list[Text] = field(default_factory=list)
    by_points: bool = False


def _fits(reading: Reading, full: float) -> bool:
    """The rule's stated full score is ``full`` (a bonus above it is the rule's own)."""
    said = reading.full_said
    return said is None or math.isclose(said, full, abs_tol=1e-9)


def decide(rows: list[dict[str, Any]], weights: list[float | None], probe: Callable[[dict[str, Any], float | None], Reading | None],
           declared: str | None = None) -> Scale:
    """The card's scale from its rows (``probe`` reads a row's rule with the given full points, raising
    Unreadable as the row would). ``declared`` "hundred": the table says its rows are scored out of 100
    (a spec exported as a workbook says so), and nothing is inferred."""
    scale = Scale()
    if declared == "hundred" and not any(points_of(r.get("_points")) for r in rows):
        return scale
    explicit = [points_of(r.get("_points")) if not r.get("_extra") else None for r in rows]
    named = [points_in_name(r["name"])[1] for r in rows]
    given = [e if e is not None else n for e, n in zip(explicit, named)]
    if any(p is not None for p in given):
        scale.by_points = True
        for i, (row, p) in enumerate(zip(rows, given)):
            if p is None:
                scale.refuse[i] = Text("其他项都有分值,这一项没有", "the other items give points and this one does not")
                continue
            scale.points[i] = p
            reading = _try(probe, row, p)
            if reading is not None and not _fits(reading, p):
                scale.refuse[i] = Text(f"评分标准最多给 {number_text(reading.full_said or 0)} 分,本项分值为 {number_text(p)} 分",
                                       f"the rule gives up to {number_text(reading.full_said or 0)} pts, the item is worth {number_text(p)}")
        return scale
    said: dict[int, float] = {}
    for i, row in enumerate(rows):
        reading = _try(probe, row, None)
        if reading is not None and reading.full_said is not None:
            said[i] = reading.full_said
    if all(w is None for w in weights) and said and not any(r.get("_weight") not in (None, "") for r in rows):
        scale.by_points = True  # no weights at all: each item is worth what its rule gives at best, and they add up
        scale.notes.append(Text("没有权重:各项按其评分标准的满分相加", "no weights: each item counts its rule's full score, added up"))
        for i in range(len(rows)):
            if i in said:
                scale.points[i] = said[i]
            else:
                scale.refuse[i] = Text("没有权重,评分标准也没写满分", "no weight, and the rule states no full score")
        return scale
    own = {i: _number_of(rows[i], w) for i, w in enumerate(weights) if w is not None}
    if _sections_in_points(rows, own):  # 物料管理(60 分) over items whose weights add up to 60: the weights are points
        scale.by_points = True
        scale.notes.append(Text("考核维度写明分值,其下各项的权重数即分值", "the sections state points: their items' weights are points"))
        for i, row in enumerate(rows):
            if i not in own:
                scale.refuse[i] = Text("其他项都有分值,这一项没有", "the other items give points and this one does not")
                continue
            scale.points[i] = own[i]
            reading = _try(probe, row, own[i])
            if reading is not None and not _fits(reading, own[i]):
                scale.refuse[i] = Text(f"评分标准最多给 {number_text(reading.full_said or 0)} 分,本项分值为 {number_text(own[i])} 分",
                                       f"the rule gives up to {number_text(reading.full_said or 0)} pts, the item is worth {number_text(own[i])}")
        return scale
    as_weight = [i for i, full in said.items() if i in own and math.isclose(full, own[i], abs_tol=1e-9) and not math.isclose(full, 100)]
    tops = {full for full in said.values()}
    if said and len(as_weight) * 2 > len(said):  # the rules top out at each row's weight: points
        scale.by_points = True
        scale.notes.append(Text("各项评分标准的满分等于其权重数,按分值制读取(如权重 20% 的项目满分 20 分)",
                                "each rule's full score equals its row's weight: read as a card of points (a 20% row is worth 20 pts)"))
        for i in own:
            if i in said and i not in as_weight:
                scale.refuse[i] = Text(f"评分标准满分 {number_text(said[i])} 分,与本项权重 {number_text(own[i])}% 不符",
                                       f"the rule's full score {number_text(said[i])} does not match the row's weight {number_text(own[i])}%")
            scale.points[i] = own[i]
        return scale
    if len(tops) == 1 and 0 < (k := tops.pop()) < 100:  # every rule on the same K-point scale: read on 100
        for i in range(len(rows)):
            scale.factor[i] = 100 / k
        scale.notes.append(Text(f"各项按{number_text(k)}分制评分,折算为百分制({number_text(k)}分即100分)",
                                f"every item is scored out of {number_text(k)}: read on 100 ({number_text(k)} is 100)"))
        return scale
    hundred = any(math.isclose(f, 100) or f > 100 for f in said.values())
    for i, row in enumerate(rows):
        if i in said and not (math.isclose(said[i], 100) or said[i] > 100) and hundred:
            scale.refuse[i] = Text(f"评分标准满分 {number_text(said[i])} 分,其他项满分 100 分",
                                   f"the rule's full score is {number_text(said[i])} while the other rows score out of 100")
        elif i not in said and not hundred and row.get("_weight_area") is None and _implicit(probe, row):
            scale.refuse[i] = Text("没写满分:扣分从 100 分扣还是从本项权重对应的分数扣?",
                                   "no full score: do the points come off 100 or off the row's own weight?")
    return scale


def _sections_in_points(rows: list[dict[str, Any]], own: dict[int, float]) -> bool:
    """Every section's name states points (物料管理(60 分)) and its items' weights add up to them."""
    from .sections import section_name

    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(row["_section"], []).append(i)
    if not groups or "" in groups:
        return False
    for name, members in groups.items():
        points = section_name(name)[2]
        if points is None or not math.isclose(math.fsum(own.get(i, 0.0) for i in members), points, abs_tol=1e-9):
            return False
    return True


def _number_of(row: dict[str, Any], fraction: float) -> float:
    """A weight as HR wrote it: 0.2 → 20."""
    return float(Decimal(repr(fraction)) * 100)


def _try(probe: Callable[[dict[str, Any], float | None], Reading | None], row: dict[str, Any], points: float | None) -> Reading | None:
    try:
        return probe(row, points)
    except Unreadable:
        return None


def _implicit(probe: Callable[[dict[str, Any], float | None], Reading | None], row: dict[str, Any]) -> bool:
    """The row reads only by assuming its full score (a deduction from an unstated start, 得满分)."""
    reading = _try(probe, row, None)
    return reading is not None and reading.assumed_full

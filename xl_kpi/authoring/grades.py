"""Grade scales as HR writes them outside a grade table: a sentence (``90分以上为优秀,80-89分为良好…``,
``90 分(含)以上—优秀 80~89 分—良好 …``, ``优秀≥90分; 75分≤良好<90分``, ``A级(≥90分)``,
``出色:A 85分以上;优秀:B 85分以下~75分``), or one grade a line (``Excellent (90% and above): [bonus]``).

A scale is read only when every part of the text is a grade with its range: a note that happens to
hold a grade word and a number is not a scale.
"""

from __future__ import annotations

import re
from typing import Any

from ..methods.grammar import normalize, parse_condition
from .grid import Grid

__all__ = ["GRADE_WORDS", "grades_from_text", "grade_lines", "grade_min", "looks_like_grades"]

GRADE_WORDS = re.compile(r"卓越|优秀|良好|合格|基本合格|称职|基本称职|需改进|待改进|需提高|不合格|不称职|尚可|较差|一般|中等|出色|优|良|中|差|"
                         r"金牌[\u4e00-\u9fff]{0,3}|银牌[\u4e00-\u9fff]{0,3}|铜牌[\u4e00-\u9fff]{0,3}|"
                         r"excellent|outstanding|exceeds expectations|meets expectations|exceeds|meets|below expectations|good|"
                         r"satisfactory|fair|needs improvement|unsatisfactory|poor|superior|average|marginal|"
                         r"(?<![A-Za-z])[SABCDE][+-]?(?![A-Za-z])", re.I)
_FILLER = re.compile(r"为|是|评为|定为|等级|级|分数|得分|总分|考核|绩效|:|\bis\b|=|the total|\btotal\b|\bscores?\b|\bof\b", re.I)


def looks_like_grades(text: str) -> bool:
    """Two grade words (not letters alone) and two numbers: a grade scale, whether or not it can be read."""
    s = normalize(text)
    words = {w.casefold() for w in GRADE_WORDS.findall(s) if len(w) > 1 and not re.fullmatch(r"[A-E][+-]?", w)}
    totals = re.findall(r"(?:[≥≤<>]|高于|低于|不满|不足|超过|达到|above|below)\s*\d+|\d+(?:\.\d+)?\s*(?:分|%|pts?|points?)|"
                        r"\d+(?:\.\d+)?\s*(?:以上|以下|及以上|and above|or above|or more|[-~–至到]\s*\d)", s, re.I)
    return len(words) >= 2 and len(totals) >= 2  # totals with their bounds (90分以上, 80-89): not "Good * 4" in a formula


def grade_min(text: str) -> float | None:
    """The lowest total of a grade's range (``80~89分`` → 80, ``90+`` → 90, ``60分以下`` → 0); None if unreadable."""
    s = _ranges(normalize(text))
    s = re.sub(r"分|points?|pts?|%", "", s)
    try:
        return float(s)
    except ValueError:
        pass
    interval = parse_condition(s)
    if interval is None:
        return None
    return interval.lo.q.as_float() if interval.lo is not None else 0.0


def _ranges(s: str) -> str:
    """``90≤/≤100`` and ``80≤/<90`` (a range written as two conditions) as ``90≤x≤100``."""
    s = re.sub(r"(\d+(?:\.\d+)?%?)\s*(≤|<)\s*/\s*(≤|<)\s*(\d+(?:\.\d+)?%?)", r"\1\2x\3\4", s)
    return re.sub(r"(\d+(?:\.\d+)?)\s*分?\s*以下\s*[~-]\s*(\d+(?:\.\d+)?)\s*分?", r"\2-\1分", s)  # "85分以下~75分": 75 to 85


def _one(part: str) -> dict[str, Any] | None:
    """One grade in a part of a sentence: a grade word and one range, nothing else."""
    words = GRADE_WORDS.findall(part)
    if not words:
        return None
    label = words[0] if len(words) == 1 else None
    if len(words) == 2 and re.fullmatch(r"[A-E][+-]?", words[1], re.I):  # "出色:A 85分以上": the letter is the label
        label = words[1]
    elif len(words) == 2 and re.fullmatch(r"[A-E][+-]?", words[0], re.I):
        label = words[0]
    if label is None:
        return None
    rest = part
    for w in words:
        rest = rest.replace(w, " ", 1)
    rest = _FILLER.sub(" ", _ranges(rest)).replace("%", "")  # a total is in points: "90% and above" is 90
    coefficient = re.search(r"系数\s*(\d+(?:\.\d+)?)", part)
    if coefficient:
        rest = rest.replace(coefficient[0], " ").replace(coefficient[1], " ")
    rest = re.sub(r"\s+", " ", rest).strip(" ,;-—:~")
    while len(rest) > 2 and rest[0] in "([" and rest[-1] in ")]":
        rest = rest[1:-1].strip()
    if not re.search(r"\d", rest):
        return None
    interval = parse_condition(rest)
    if interval is None:
        return None
    low = interval.lo.q.as_float() if interval.lo is not None else 0.0
    return {"label": label, "min": low, "_open_below": interval.lo is None,
            **({"coefficient": float(coefficient[1])} if coefficient else {})}


def grades_from_text(text: str) -> list[dict[str, Any]] | None:
    """The grades a sentence states, best first; None unless every part of it is a grade."""
    s = normalize(text)
    if len(GRADE_WORDS.findall(s)) < 2 or not re.search(r"\d", s):
        return None
    s = re.sub(r"^[^:：]{0,12}(?:等级|结果|标准|说明|评定)[^:：]{0,6}[:：]", "", s)  # "考核结果:" "等级说明:"
    parts = [p.strip() for p in re.split(r"[;,、\n]+|(?<=[\u4e00-\u9fff])\s+(?=\d)|(?<=[优良好格差职进可])\s*(?=\d)", s) if p.strip()]
    out = []
    for part in parts:
        grade = _one(part)
        if grade is None:
            return None
        out.append(grade)
    if len(out) < 2 or len({g["label"] for g in out}) != len(out):
        return None
    return _finish(out, s)


def _finish(out: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    out.sort(key=lambda g: -g["min"])
    if out[-1]["min"] != 0 and out[-1].pop("_open_below", False):
        out[-1]["min"] = 0
    for g in out:
        g.pop("_open_below", None)
    return out


def grade_lines(grid: Grid, start: int, end: int) -> tuple[list[dict[str, Any]], str] | None:
    """Consecutive rows of one grade each (``Excellent (90% and above): [$2,000 bonus]``): the grades,
    with what follows the colon as how the result is applied, and the first row's cell."""
    run: list[tuple[dict[str, Any], str]] = []
    for r in range(start, end):
        texts = [t for t in (grid.text(r, c) for c in range(grid.width)) if t]
        if len(texts) != 1:
            if len(run) >= 2:
                break
            run = []
            continue
        m = re.match(r"^(?P<head>[^:：]{2,60}?)\s*[:：]\s*(?P<tail>.*)$", normalize(texts[0]))
        grade = _one(m["head"]) if m else None
        if grade is None:
            if len(run) >= 2:
                break
            run = []
            continue
        said = re.match(r"^[^:：]{2,60}?\s*[:：]\s*(?P<tail>.*)$", texts[0].strip())  # what follows, as written ($2,000)
        application = (said or m)["tail"].strip(" []") if m else ""
        if application:
            grade["application"] = application
        run.append((grade, grid.ref(r, 0)))
    if len(run) < 2:
        return None
    grades = _finish([g for g, _ in run], "")
    return grades, run[0][1]

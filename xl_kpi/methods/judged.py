"""Judged scoring (评分人打分): a rater enters points within ``[min, max]`` — a duty item worth 7 points,
a 1–5 scale, a level with a points range (``A 85–100``) — and the score is the entry, or the entry
rescaled so that ``max`` is worth ``worth`` (a 1–5 scale on a weighted card: 5 is worth 100).

The levels, when the table gives them, say what each range of points means; they guide the rater
and are printed in the standard, and do not change the score.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from ..core.rounding import ROUND_SCORE, excel_round
from ..core.text import Text
from .base import Cells, Checker, Method, Param, Params, Subject
from .grammar import Context, Reading, Unreadable, normalize, number_text

__all__ = ["Judged", "JudgedLevel", "JudgedMethod", "LIMIT"]

LIMIT = 150.0  # an entry, like a score, stays within ±150 points


@dataclass(frozen=True)
class JudgedLevel:
    """A level the rater may pick, with the points it spans and what it means."""

    label: str
    low: float
    high: float
    description: str = ""


@dataclass(frozen=True)
class Judged(Params):
    """The rater's entry within ``[min, max]``; ``max`` is worth ``worth`` points."""

    max: float
    worth: float
    min: float = 0.0
    levels: tuple[JudgedLevel, ...] = ()
    method: str = "judged"


class JudgedMethod(Method):
    name = "judged"
    words = ("评分人打分", "打分", "评分", "judged by the rater")
    labels: ClassVar[dict[str, tuple[str, str]]] = {"min": ("最低可打", "min entry"), "max": ("最高可打", "max entry"), "worth": ("折合满分", "worth")}
    judged_by_raters = True
    params_class = Judged
    yaml_keys = ("method", "max", "min", "worth", "levels")
    needs_target = False

    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Judged | None:
        high = chk.number(raw.get("max"), f"{loc}.max", Text("最高可打分 max", "max"))
        low = chk.number(raw.get("min", 0), f"{loc}.min", Text("最低可打分 min", "min"))
        worth = chk.number(raw.get("worth", raw.get("max")), f"{loc}.worth", Text("满分折合 worth", "worth"))
        if high is None or low is None or worth is None:
            return None
        if not -LIMIT <= low < high <= LIMIT or high <= 0:
            chk.error("judged-range", f"{loc}.max", min=low, max=high, limit=LIMIT)
            return None
        if not 0 < worth <= LIMIT:
            chk.error("score-range", f"{loc}.worth", score=worth, max=LIMIT)
            return None
        levels = self._levels(chk, raw.get("levels"), f"{loc}.levels", low, high)
        if levels is None:
            return None
        return Judged(max=high, worth=worth, min=low, levels=levels)

    def _levels(self, chk: Checker, data: Any, where: str, low: float, high: float) -> tuple[JudgedLevel, ...] | None:
        if data is None:
            return ()
        if not isinstance(data, list):
            chk.error("wrong-type", where, name="levels", expected=Text("等级列表", "a list of levels"),
                      example="levels: [{label: A, min: 85, max: 100}]")
            return None
        out = []
        for j, item in enumerate(data):
            lw = f"{where}[{j}]"
            if not isinstance(item, dict) or "label" not in item:
                chk.error("levels-shape", lw)
                return None
            chk.keys(item, ("label", "min", "max", "description"), lw)
            a = chk.number(item.get("min"), f"{lw}.min", Text("最低分 min", "min"))
            b = chk.number(item.get("max"), f"{lw}.max", Text("最高分 max", "max"))
            if a is None or b is None:
                return None
            if not low <= a <= b <= high:
                chk.error("judged-level", lw, label=item["label"], low=a, high=b, min=low, max=high)
                return None
            out.append(JudgedLevel(str(item["label"]).strip(), a, b, str(item.get("description", "") or "")))
        return tuple(out)

    def from_canonical(self, data: dict[str, Any]) -> Judged:
        return Judged(max=float(data["max"]), worth=float(data["worth"]), min=float(data.get("min", 0.0)),
                      levels=tuple(JudgedLevel(str(lv["label"]), float(lv["low"]), float(lv["high"]), str(lv.get("description", "")))
                                   for lv in data.get("levels", ())))

    # --- the engine --------------------------------------------------------------------------------
    def score(self, subject: Subject, actual: Any) -> float:
        sc = subject.scoring
        entry = min(sc.max, max(sc.min, actual))
        return excel_round(entry * sc.worth / sc.max, ROUND_SCORE)

    def top(self, subject: Subject) -> float:
        return float(subject.scoring.worth)

    def bottom(self, subject: Subject) -> float:
        sc = subject.scoring
        return excel_round(sc.min * sc.worth / sc.max, ROUND_SCORE)

    def input_range(self, subject: Subject) -> tuple[float, float] | None:
        return (float(subject.scoring.min), float(subject.scoring.max))

    def anchored(self, subject: Subject) -> bool:
        return bool(subject.scoring.levels) and all(lv.description for lv in subject.scoring.levels)

    # --- the sheet -----------------------------------------------------------------------------------
    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        sc = subject.scoring
        return [Param(word("min"), sc.min, False), Param(word("max"), sc.max, False), Param(word("worth"), sc.worth, False)]

    def formula(self, subject: Subject, cells: Cells, mode: str = "native") -> str:
        x, low, high, worth = cells.actual, cells.value(0), cells.value(1), cells.value(2)
        return f'=IF(ISNUMBER({x}),ROUND(MIN({high},MAX({low},{x}))*{worth}/{high},{ROUND_SCORE}),"")'

    def describe(self, subject: Subject, lang: str) -> str:
        sc = subject.scoring
        low, high, worth = number_text(sc.min), number_text(sc.max), number_text(sc.worth)
        zh = lang == "zh"
        parts = [_level_text(lv, zh) for lv in sc.levels]
        rule = f"由评分人在{low}–{high}分之间打分" if zh else f"rated {low}–{high} pts by the rater"
        if sc.worth != sc.max:
            rule += f",{high}分折合{worth}分" if zh else f"; {high} is worth {worth} pts"
        return (";" if zh else "; ").join([*parts, rule])

    # --- reading what people write ---------------------------------------------------------------------
    read_order = 15

    def rescaled(self, scoring: dict[str, Any], factor: float) -> dict[str, Any] | None:
        return {**scoring, "worth": float(Decimal(repr(float(scoring["worth"]))) * Decimal(repr(float(factor))))}

    def read(self, text: str, ctx: Context) -> Reading | None:
        """``由评分人在0–7分之间打分`` (what :meth:`describe` prints, with its levels ``A:85–100分(…)``),
        ``1-5分制``, ``5分制:5分优秀,4分良好…``, ``Manager rates 0–20 pts``; on a weighted card the
        entry is rescaled so that its top is worth 100 (said in a note)."""
        s = normalize(text)
        found = _RANGE_RULE.search(s) or _SCALE_RULE.search(s) or _EN_RULE.search(s)
        if found is None:
            return None
        low, high = Decimal(found["lo"] or "0"), Decimal(found["hi"])
        if not low < high:
            raise Unreadable(Text(f"打分范围 {low}–{high} 不对", f"the range {low}–{high} is empty"), EXAMPLE)
        rest = (s[: found.start()] + ";" + s[found.end():]).strip(" ;,:")
        said_worth = re.search(r"(?:,|;)?\s*(?P<a>\d+(?:\.\d+)?)\s*分折合\s*(?P<w>\d+(?:\.\d+)?)\s*分|(?P<a2>\d+(?:\.\d+)?) is worth (?P<w2>\d+(?:\.\d+)?) pts", rest)
        if said_worth:
            rest = (rest[: said_worth.start()] + rest[said_worth.end():]).strip(" ;,:")
        levels = _read_levels(rest, float(low), float(high))
        reading = Reading(scoring={"method": "judged", "min": float(low), "max": float(high)})
        if levels:
            reading.scoring["levels"] = levels
        if said_worth:
            reading.scoring["worth"] = float(said_worth["w"] or said_worth["w2"])
        else:
            worth = ctx.points if ctx.points is not None else 100.0
            reading.scoring["worth"] = worth
            if worth != float(high):
                reading.notes.append(Text(f"评分人打{low}–{high}分,{high}分折合{number_text(worth)}分",
                                          f"the rater enters {low}–{high}; {high} is worth {number_text(worth)} pts"))
        return reading

    # --- simulations and tests -----------------------------------------------------------------------
    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        sc = subject.scoring
        return round(rng.uniform(sc.min + (sc.max - sc.min) / 2, sc.max), 1)

    def probes(self, subject: Subject) -> list[Any]:
        sc = subject.scoring
        return [sc.min, sc.max, (sc.min + sc.max) / 2, sc.max - 0.0049, sc.min - 1, sc.max + 1, sc.max / 3]

    def samples(self) -> list[dict[str, Any]]:
        return [
            {"id": "judged_scale", "name": "专业知识", "unit": "分",
             "scoring": {"method": "judged", "min": 1, "max": 5, "worth": 100}},
            {"id": "judged_levels", "name": "执行力满意度",
             "scoring": {"method": "judged", "max": 100, "levels": [
                 {"label": "A", "min": 85, "max": 100, "description": "非常及时有效地完成交办的任务"},
                 {"label": "B", "min": 60, "max": 84, "description": "总体上按要求按时完成"},
                 {"label": "C", "min": 0, "max": 59, "description": "任务安排不力、拖沓"}]}},
        ]


EXAMPLE = "由评分人在0–10分之间打分 / 1-5分制 / A:85–100分(…);B:60–84分(…);C:0–59分(…)"

_NUM = r"\d+(?:\.\d+)?"
_DASH = r"\s*(?:-|~|至|到|–)\s*"
_RANGE_RULE = re.compile(rf"(?:由)?(?:评分人|上级|考核人|主管)\s*(?:在)?\s*(?P<lo>{_NUM}){_DASH}(?P<hi>{_NUM})\s*分\s*(?:之间|以内)?\s*(?:打分|评分|评定)")
_SCALE_RULE = re.compile(rf"(?:(?P<lo>{_NUM}){_DASH})?(?P<hi>{_NUM})\s*分制(?![定订])")
_EN_RULE = re.compile(rf"(?:rated|rates?|scores?|rating)\s*(?:of\s*)?(?P<lo>{_NUM}){_DASH}(?P<hi>{_NUM})\s*(?:pts?|points?)?(?:\s*by the (?:rater|manager|supervisor))?", re.I)
_LEVEL = re.compile(rf"^(?P<label>\d+\s*级|[^\d:;,()]{{1,12}}?)\s*[:(]?\s*(?P<a>{_NUM})(?:{_DASH}(?P<b>{_NUM}))?\s*(?:分|pts?)\s*\)?\s*(?:\((?P<d1>[^)]*)\)|[:,]?\s*(?P<d2>[^\d;]*))?$", re.I)


def _read_levels(text: str, low: float, high: float) -> list[dict[str, Any]]:
    """``A:85–100分(…)`` or ``5分优秀`` clauses: the levels the rater picks from; every clause must be one."""
    out: list[dict[str, Any]] = []
    for part in [p.strip() for p in re.split(r"[;\n]+|,(?=\s*[^,;]*\d)", text) if p.strip()]:
        if not re.search(r"\d", part):  # who rates ("由上级评分", "Manager"): nothing to score
            continue
        part = re.sub(r"^(?P<n>\d+(?:\.\d+)?)\s*分\s*(?P<w>[^\d,;]+)$", r"\g<w> \g<n>分", part)  # "5分优秀" → "优秀 5分"
        m = _LEVEL.match(part)
        if m is None:
            raise Unreadable(Text(f"读不懂“{part}”", f"cannot read '{part}'"), EXAMPLE)
        a, b = float(m["a"]), float(m["b"] or m["a"])
        if not low <= min(a, b) <= max(a, b) <= high:
            raise Unreadable(Text(f"“{part}”超出{low:g}–{high:g}分", f"'{part}' lies outside {low:g}–{high:g}"), EXAMPLE)
        level = {"label": m["label"].strip(" :"), "min": min(a, b), "max": max(a, b)}
        if m["d1"] or m["d2"]:
            level["description"] = (m["d1"] or m["d2"] or "").strip()
        out.append(level)
    return out


def _level_text(level: JudgedLevel, zh: bool) -> str:
    span = (number_text(level.low) if level.low == level.high else f"{number_text(level.low)}–{number_text(level.high)}")
    desc = f"({level.description})" if level.description else ""
    return f"{level.label}:{span}分{desc}" if zh else f"{level.label}: {span} pts{' ' + desc if desc else ''}"


METHOD = JudgedMethod()

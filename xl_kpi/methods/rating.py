"""Rating scoring: the input is a level label (case-insensitive, spaces ignored), each level
has a score, and a behaviourally anchored description says what the level means."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.text import Text
from .base import Cells, Checker, FloatArray, IntArray, Method, Param, Params, Subject, points
from .grammar import Context, Reading, Unreadable, normalize

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Level", "Rating", "RatingMethod"]


@dataclass(frozen=True)
class Level:
    """One level of a behaviourally anchored rating scale."""

    label: str
    score: float
    description: str = ""


@dataclass(frozen=True)
class Rating(Params):
    """The input is a level label (case-insensitive); each level has a score."""

    levels: tuple[Level, ...]
    method: str = "rating"

    def score_of(self, label: str) -> float | None:
        key = label.strip().casefold()
        for level in self.levels:
            if level.label.casefold() == key:
                return level.score
        return None


class RatingMethod(Method):
    name = "rating"
    words = ("等级", "等级评分", "评级")
    judged_by_raters = True
    params_class = Rating
    yaml_keys = ("method", "levels")
    label_input = True

    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Rating | None:
        where = f"{loc}.levels"
        data = raw.get("levels")
        items: list[tuple[Any, Any]] = []
        if isinstance(data, dict):
            items = list(data.items())
        elif isinstance(data, list):
            for j, item in enumerate(data):
                if isinstance(item, dict) and "label" in item:
                    items.append((item["label"], item))
                else:
                    chk.error("levels-shape", f"{where}[{j}]")
        if len(items) < 2:
            chk.error("levels-empty", where)
            return None
        levels: list[Level] = []
        seen: set[str] = set()
        for label, value in items:
            label = str(label).strip()
            lw = f"{where}.{label}"
            if label.casefold() in seen or not label:
                chk.error("levels-duplicate", lw, label=label)
            seen.add(label.casefold())
            desc = ""
            if isinstance(value, dict):
                chk.keys(value, ("label", "score", "description"), lw)
                desc = str(value.get("description", "") or "")
                value = value.get("score")
            score = chk.score_value(value, lw)
            if score is None:
                return None
            levels.append(Level(label=label, score=score, description=desc))
        return Rating(levels=tuple(levels))

    def check_target(self, chk: Checker, params: Params, target: Any, direction: str, where: str) -> None:
        assert isinstance(params, Rating)
        if params.score_of(str(target)) is None:
            chk.error("target-level", where, target=target, example=params.levels[min(1, len(params.levels) - 1)].label)

    def from_canonical(self, data: dict[str, Any]) -> Rating:
        return Rating(levels=tuple(Level(str(lv["label"]), float(lv["score"]), str(lv.get("description", "")))
                                   for lv in data["levels"]))

    def score(self, subject: Subject, actual: Any) -> float | None:
        return subject.scoring.score_of(str(actual))

    def score_rows(self, subjects: Sequence[Subject], codes: IntArray, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        import numpy as np

        out = np.full(len(codes), np.nan)
        for j, subject in enumerate(subjects):
            rows = codes == j
            if rows.any():
                out[rows] = self.score_array(subject, x[rows], raw[rows])
        return out

    def score_array(self, subject: Subject, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        import numpy as np
        import pandas as pd

        keys = pd.Series(raw, dtype="object").astype("string").str.strip().str.casefold()
        lookup = {level.label.casefold(): level.score for level in subject.scoring.levels}
        return keys.map(lookup).to_numpy(dtype=np.float64, na_value=np.nan)

    def top(self, subject: Subject) -> float:
        return max(lv.score for lv in subject.scoring.levels)

    def bottom(self, subject: Subject) -> float:
        return min(lv.score for lv in subject.scoring.levels)

    def anchored(self, subject: Subject) -> bool:
        return all(level.description for level in subject.scoring.levels)

    def choices(self, subject: Subject) -> list[tuple[str, str]]:
        return [(level.label, level.description) for level in subject.scoring.levels]

    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        return [Param(level.label, level.score) for level in subject.scoring.levels]

    def formula(self, subject: Subject, cells: Cells, mode: str = "native") -> str:
        # "=" between texts ignores case in every target application, like the engine.
        x = cells.actual
        expr = '""'
        for p in reversed(range(len(subject.scoring.levels))):
            expr = f"IF(TRIM({x})={cells.key(p)},{cells.value(p)},{expr})"
        return f'=IF(TRIM({x})="","",{expr})'

    def describe(self, subject: Subject, lang: str) -> str:
        return (";" if lang == "zh" else "; ").join(_levels(subject, lang))



    read_order = 10

    def rescaled(self, scoring: dict[str, Any], factor: float) -> dict[str, Any] | None:
        from .bands import _times

        levels = {label: ({**v, "score": _times(v["score"], factor)} if isinstance(v, dict) else _times(v, factor))
                  for label, v in scoring["levels"].items()}
        return {**scoring, "levels": levels}

    def read(self, text: str, ctx: Context) -> Reading | None:
        """Levels with scores and descriptions, one per line or separated by ``;``: ``A:100分(超出预期)``,
        ``优秀100分,良好80分…``, ``A得100分(…)`` (what :meth:`describe` prints), ``A: 100 pts (…)``."""
        s = normalize(text).replace("\r", "")
        lines = _split(s, ";\n")
        if len(lines) < 2:
            lines = _split(s, ",、")
        levels: dict[str, dict[str, Any]] = {}
        for line in lines:
            m = _LEVEL.fullmatch(line)
            if not m or not (m["sep"] or m["unit"]) or _NOT_A_LABEL.match(m["label"].strip()) or \
                    re.search(r"\d\s*(?:分|pts?|points?)", m["d2"] or ""):  # a description holding another level's score
                return _run_on(s)
            label = m["label"].strip(" :-")
            if not label:
                return None
            if label.casefold() in (k.casefold() for k in levels):
                raise Unreadable(Text(f"等级“{label}”写了两次", f"level '{label}' is given twice"), "A:100分(超出预期);B:80分;C:60分;D:0分")
            description = (m["d1"] or m["d2"] or "").strip()
            levels[label] = {"score": float(m["s"]), **({"description": description} if description else {})}
        if len(levels) < 2:
            return _run_on(s)
        return Reading(scoring={"method": "rating", "levels": levels}, unit="等级", full_said=max(v["score"] for v in levels.values()))

    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        return rng.choice([lv.label for lv in subject.scoring.levels[:3]])

    def probes(self, subject: Subject) -> list[Any]:
        levels = subject.scoring.levels
        return [lv.label for lv in levels] + [levels[0].label.lower(), f" {levels[-1].label} "]

    def samples(self) -> list[dict[str, Any]]:
        return [{"id": "rating", "name": "协作评价", "unit": "等级", "target": "B",
                 "scoring": {"method": "rating", "levels": {"A": 100, "B": 80, "C": 60, "D": 0}}}]


# A level: a label without digits or comparisons, its score, and what it means (in brackets or after a colon).
_LEVEL = re.compile(r"(?P<label>\d+\s*级|[^\d:=()≥≤<>%]{1,16}?)\s*(?:级|档)?\s*(?P<sep>\(|[:=]|得|为|-)?\s*"
                    r"(?P<s>\d+(?:\.\d+)?)\s*(?P<unit>分|pts?|points?)?\s*\)?"
                    r"\s*(?:\((?P<d1>.*)\)|[:,;-]?\s*(?P<d2>[^\d≥≤<>%].*)?)", re.I)


_RUN_SCORE = re.compile(r"(?:得|为|:)?\s*(?P<s>\d+(?:\.\d+)?)\s*分")
_LEVEL_NO = re.compile(r"^(?:达到)?\s*(?P<n>\d+)\s*级$")


def _run_on(s: str) -> Reading | None:
    """Levels run together in one cell, each ending with its points: ``按要求完成 20 分 个别差错,不影响整体数据
    10 分 严重差错 0 分``, ``A安全责任区内无治安事件发生,达标15分 B…13分``, ``1 级 5 分 2 级 10 分``,
    ``达到5级得25分,达到4级得20分``. None unless every part is a level (a condition is not)."""
    found = list(_RUN_SCORE.finditer(s))
    if len(found) < 2 or s[found[-1].end():].strip(" 。.;,"):
        return None
    levels: dict[str, dict[str, Any]] = {}
    begin = 0
    for m in found:
        part = s[begin : m.start()].strip(" ;,、。.:")
        begin = m.end()
        number = _LEVEL_NO.match(part.replace(" ", ""))
        if number:
            label, description = re.sub(r"\s+", " ", part), ""  # as written: 1 级 stays 1 级
        else:
            # a level is words (纳税额高于同等规模 is a description); a number or a comparison sign makes it a condition
            # a short part that compares (超过同期 5 分 低于同期 0 分) is a condition leaving gaps, not a level
            if not part or re.search(r"\d|≥|≤|<|>|%|以上|以下|每|扣", part) or _NOT_A_LABEL.match(part) or \
                    (len(part) <= 10 and re.search(r"超过|低于|高于|少于|多于|不足|未达|以内|之内|持平|短于|长于|延迟|提前|^比", part)):
                return None
            letter = re.match(r"^([A-E][+-]?)\s*(?=[^A-Za-z])", part)
            if letter:
                label, description = letter[1], part[letter.end():].strip(" ,:")
            else:
                label, _, description = part.partition(",") if len(part) > 8 else (part, "", "")
        if label.casefold() in (k.casefold() for k in levels):
            return None
        levels[label.strip()] = {"score": float(m["s"]), **({"description": description.strip()} if description.strip() else {})}
    if any(a == f"{w}{b}" for a in levels for b in levels for w in ("不", "无", "未", "没有", "有")):
        return None  # 不流失5分流失0分: a case happening or not, counted (deduction), not a level; 事故发生 | 有事故发生: the same case twice
    return Reading(scoring={"method": "rating", "levels": levels}, unit="等级", full_said=max(v["score"] for v in levels.values()))


def _levels(subject: Subject, lang: str) -> list[str]:
    parts = []
    for level in subject.scoring.levels:
        desc = f"({level.description})" if level.description and lang == "zh" else (f" ({level.description})" if level.description else "")
        parts.append(f"{level.label}{points(level.score, lang)}{desc}")
    return parts


_NOT_A_LABEL = re.compile(r"每|起始|满分|最低|最高|达到|完成|得分|score|start|per\b", re.I)


def _split(text: str, separators: str) -> list[str]:
    """Parts at the separators outside brackets: a description in brackets may hold any of them."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch in separators and depth <= 0:
            parts.append("".join(current).strip())
            current = []
            depth = 0
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


METHOD = RatingMethod()

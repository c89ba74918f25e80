"""Rank scoring (名次计分): the input is a rank (1 is the best); ``start`` at the target rank, plus
``ahead`` points per place ahead of it and minus ``behind`` per place behind, within [floor, cap] —
the standards ``每提前一名加20分,每退后一名扣20分`` and ``达到目标名次得100分,每退后一名扣10分,扣完为止``.

A rank rule is a step rule on a rank: one step is one place, and fewer is better. Its engine, vectorised
path and sheet formula are the step method's (one rule, held to the same digits by the same oracles);
what is its own is the words it reads and prints, the inputs it takes (a rank from 1 down) and that the
first place bounds the bonus: without a cap, the best score is the one rank 1 earns. Points by rank
(``第1名得100分,第2名得80分,其他0分``) are bands on the rank, read by the bands method.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ..core.text import Text
from .base import Checker, Param, Subject
from .grammar import Context, Reading, Unreadable, normalize, number_text, unread
from .step import Step, StepMethod, _search

__all__ = ["Rank", "RankMethod", "LIMIT"]

LIMIT = 150.0  # no cap written: a score stays within 0–150 (the first place bounds the bonus before that)


@dataclass(frozen=True)
class Rank(Step):
    """``start`` at the target rank; ``above`` per place ahead, ``below`` per place behind; within [floor, cap]."""

    step: float = 1.0
    method: str = "rank"


class RankMethod(StepMethod):
    name = "rank"
    words: ClassVar[tuple[str, ...]] = ("名次", "排名", "名次计分", "rank")
    labels: ClassVar[dict[str, tuple[str, str]]] = {"places": ("每档名次", "places per step"), "ahead": ("每提前一名加分", "per place ahead"),
                                                   "behind": ("每退后一名扣分", "per place behind")}
    params_class = Rank
    amount_target = False  # a rank is not an amount plans split over people and months
    yaml_keys: ClassVar[tuple[str, ...]] = ("method", "ahead", "behind", "start", "floor", "cap")

    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Rank | None:
        if direction != "lower":
            chk.error("rank-direction", f"{loc}.method")
            return None
        ahead = chk.number(raw.get("ahead", 0), f"{loc}.ahead", Text("每提前一名加分 ahead", "ahead"))
        behind = chk.number(raw.get("behind", 0), f"{loc}.behind", Text("每退后一名扣分 behind", "behind"))
        if ahead is None or behind is None:
            return None
        if ahead < 0 or behind < 0 or ahead == behind == 0:
            chk.error("rank-points", f"{loc}.ahead")
            return None
        # the step rule on a rank: its checks of start, floor and cap, one place a step
        as_step: dict[str, Any] = {"step": 1, "above": ahead, "below": behind, **{k: raw[k] for k in ("start", "floor") if k in raw},
                                   "cap": raw.get("cap", LIMIT if ahead else raw.get("start", 100))}
        step = super().parse(chk, as_step, loc, direction)
        return None if step is None else Rank(above=step.above, below=step.below, start=step.start, floor=step.floor, cap=step.cap)

    def check_target(self, chk: Checker, params: Any, target: Any, direction: str, where: str) -> None:
        if isinstance(target, (int, float)) and (target < 1 or not float(target).is_integer()):
            chk.error("rank-target", where, value=target)
        elif isinstance(target, (int, float)) and params.cap >= LIMIT and params.start + params.above * (target - 1) > LIMIT:
            chk.warn("rank-bonus-limit", where, best=params.start + params.above * (target - 1), limit=LIMIT)

    def from_canonical(self, data: dict[str, Any]) -> Rank:
        return Rank(above=float(data["above"]), below=float(data["below"]), start=float(data["start"]),
                    floor=float(data["floor"]), cap=float(data["cap"]))

    # --- the engine: the step method's, one place a step --------------------------------------------------
    def top(self, subject: Subject) -> float:
        """The first place's score, or the cap when it is lower (a personal target moves the first place's bonus)."""
        sc = subject.scoring
        target = subject.target
        if isinstance(target, (int, float)) and target >= 1:
            return float(min(sc.cap, sc.start + sc.above * (float(target) - 1)))
        return float(sc.cap)

    def input_range(self, subject: Subject) -> tuple[float, float] | None:
        return (1.0, math.inf)  # first place is 1: a rank of 0 or below would earn more than the first

    # --- the sheet ----------------------------------------------------------------------------------------
    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        sc = subject.scoring  # the step method's cells, in its order: its formula reads them by position
        return [Param(word("start"), sc.start, False), Param(word("places"), sc.step, False), Param(word("ahead"), sc.above, False),
                Param(word("behind"), sc.below, False), Param(word("floor"), sc.floor, False), Param(word("cap"), sc.cap, False)]

    def describe(self, subject: Subject, lang: str) -> str:
        sc = subject.scoring
        zh = lang == "zh"
        parts = [f"达到目标名次得{number_text(sc.start)}分" if zh else f"{number_text(sc.start)} pts at the target rank"]
        if sc.above:
            parts.append(f"每提前一名加{number_text(sc.above)}分" if zh else f"+{number_text(sc.above)} pts per place ahead")
        else:
            parts.append("提前不加分" if zh else "no bonus ahead")
        if sc.below:
            parts.append(f"每退后一名扣{number_text(sc.below)}分" if zh else f"-{number_text(sc.below)} pts per place behind")
        else:
            parts.append("退后不扣分" if zh else "no deduction behind")
        if sc.cap == LIMIT and sc.above:  # no cap written: the first place bounds the bonus
            parts.append(f"最低{number_text(sc.floor)}分" if zh else f"not below {number_text(sc.floor)}")
        else:
            parts.append(f"最低{number_text(sc.floor)}分、最高{number_text(sc.cap)}分" if zh else
                         f"from {number_text(sc.floor)} to {number_text(sc.cap)}")
        return (";" if zh else "; ").join(parts)

    # --- reading what people write ------------------------------------------------------------------------
    read_order = 18  # before the step method: 每提前一名 is a rank, not a step of an amount

    def rescaled(self, scoring: dict[str, Any], factor: float) -> dict[str, Any] | None:
        from .bands import _times

        return {**scoring, **{k: _times(scoring[k], factor) for k in ("ahead", "behind", "start", "floor", "cap") if k in scoring}}

    def read(self, text: str, ctx: Context) -> Reading | None:
        """``每提前一名加20分,每退后一名扣20分``, ``名次每上升1位加5分``, ``以第3名为基准得100分,每落后一名扣10分,
        扣完为止``, ``+20 pts per place ahead`` and the sentence :meth:`describe` prints."""
        s = normalize(text)
        found = list(_PER_PLACE.finditer(s)) + list(_EN_PLACE.finditer(s))
        if not found:
            return None
        spans = [m.span() for m in found]
        rates: dict[str, float] = {}
        for m in found:
            if (m["k"] or "").strip() not in ("", "一", "1"):
                raise Unreadable(Text(f"“{m.group(0)}”:请写每一名加减多少分", f"'{m.group(0)}': write the points per place"), EXAMPLE)
            ahead = bool(re.fullmatch(_AHEAD, m["w"], re.I))
            adds = m["v"] in ("加", "奖励", "得", "计", "+")
            if ahead != adds:
                raise Unreadable(Text(f"“{m.group(0)}”:名次靠前应加分、靠后应扣分", f"'{m.group(0)}': a better rank should add points"),
                                 EXAMPLE)
            key = "ahead" if ahead else "behind"
            if key in rates:
                raise Unreadable(Text(f"“{m.group(0)}”写了两次", f"'{m.group(0)}' is said twice"), EXAMPLE)
            rates[key] = float(m["p"])
        if ctx.direction == "higher":
            raise Unreadable(Text("方向列与评分标准相反:名次越小越好", "the direction column contradicts the standard: a lower rank is better"),
                             EXAMPLE)
        reading = Reading(scoring={"method": "rank", "ahead": rates.get("ahead", 0.0), "behind": rates.get("behind", 0.0)},
                          direction="lower", unit="名")
        base = _search(r"(?:达到|保持|以|排名|名次)?\s*(?:目标名次|(?:第|前)\s*(?P<t>\d+)\s*名(?:以内|之内)?)\s*(?:为基准)?\s*"
                       r"(?:得满分|(?:得|计)?\s*(?P<n>\d+(?:\.\d+)?)?\s*分?)"
                       r"|(?P<n2>\d+(?:\.\d+)?)\s*pts? at the target rank|(?:基础分|基准分|起始)\s*(?P<n3>\d+(?:\.\d+)?)\s*分?", s, spans)
        cap = _search(r"(?:最高|封顶|上限|最多)\s*(?:加至|加到|为)?\s*(?P<n>\d+(?:\.\d+)?)\s*分(?!.{0,2}扣)|to (?P<n2>\d+(?:\.\d+)?)$", s, spans)
        bonus = _search(r"最(?:高|多)加\s*(?P<n>\d+(?:\.\d+)?)\s*分", s, spans)
        floor = _search(r"(?:最低|保底|下限)\s*(?:扣至|为)?\s*(?P<n>\d+(?:\.\d+)?)\s*分|(?:from|not below) (?P<n2>\d+(?:\.\d+)?)\b|(?P<zero>扣完为止)",
                        s, spans)
        most = _search(r"(?:最多扣除?|最高扣除?|扣分上限为?)\s*(?P<n>\d+(?:\.\d+)?)\s*分", s, spans)
        left = unread(s, spans, r"提前不加分|退后不扣分|no bonus ahead|no deduction behind|扣完为止")
        if left is not None:
            raise Unreadable(Text(f"读不懂“{left}”", f"cannot read '{left}'"), EXAMPLE)
        said_start = base and (base["n"] or base["n2"] or base["n3"])
        full = ctx.points if ctx.points is not None else 100.0
        start = float(said_start) if said_start else full
        reading.scoring["start"] = start
        reading.full_said = start if said_start else None
        reading.assumed_full = not said_start
        if base is not None and base["t"]:
            reading.target = float(base["t"])
        if ctx.target is None and reading.target is None:
            raise Unreadable(Text("没有写哪个名次得基准分", "the rank that scores the base is not given"), EXAMPLE)
        if bonus:
            reading.scoring["cap"] = start + float(bonus["n"])
        elif cap:
            reading.scoring["cap"] = float(cap["n"] or cap["n2"])
            if reading.scoring["cap"] < start:
                raise Unreadable(Text(f"最高分低于达到目标名次时的得分 {number_text(start)} 分",
                                      f"the cap is below the score at the target rank, {number_text(start)}"), EXAMPLE)
        elif rates.get("ahead"):
            reading.notes.append(Text("加分没有封顶:第1名得分最高", "no cap on the bonus: first place scores the most"))
        floor_value = float(floor["n"] or floor["n2"]) if floor and (floor["n"] or floor["n2"]) else 0.0
        if most:
            floor_value = max(floor_value, start - float(most["n"]))
        reading.scoring["floor"] = floor_value
        return reading

    # --- simulations and tests ------------------------------------------------------------------------------
    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        target = int(subject.target) if isinstance(subject.target, (int, float)) else 3
        return max(1, target + rng.choice([-2, -1, 0, 0, 1, 2, 3]))

    def probes(self, subject: Subject) -> list[Any]:
        t = float(subject.target)  # type: ignore[arg-type]
        return [1, t, t - 1, t + 1, t + 0.5, t - 0.5, t + 2, t + 5, t + 50, max(1.0, t - 2), 2.5]

    def samples(self) -> list[dict[str, Any]]:
        return [
            {"id": "rank_both", "name": "销售额排名", "unit": "名", "target": 3, "direction": "lower",
             "scoring": {"method": "rank", "ahead": 20, "behind": 20}},
            {"id": "rank_capped", "name": "回款排名", "unit": "名", "target": 5, "direction": "lower",
             "scoring": {"method": "rank", "ahead": 5, "behind": 12.5, "start": 80, "floor": 10, "cap": 95},
             "halfway": [4.5, 6.25, 1, 12]},
        ]


EXAMPLE = "目标值写名次(如 3),评分标准写 达到目标名次得100分;每提前一名加20分;每退后一名扣20分;最低0分"
_AHEAD = r"提前|前进|上升|提升|靠前|进步|ahead"
_BEHIND = r"退后|后退|落后|下降|下滑|靠后|退步|behind"
_PER_PLACE = re.compile(rf"(?:名次|排名)?\s*每\s*(?P<w>{_AHEAD}|{_BEHIND})\s*(?P<k>一|\d+)?\s*(?:个)?\s*(?:名次|名|位)\s*(?:,)?\s*"
                        r"(?P<v>加|奖励|得|计|扣除?|减)\s*(?P<p>\d+(?:\.\d+)?)\s*分")
_EN_PLACE = re.compile(r"(?P<v>[+-])\s*(?P<p>\d+(?:\.\d+)?)\s*(?:pts?|points?)?\s*per\s*(?P<k>1\s*)?place\s*(?P<w>ahead|behind)", re.I)


METHOD = RankMethod()

"""Proportional scoring: 100 × actual / target (target / actual when lower is better), clamped
to [floor, cap] and rounded to two decimals as Excel's ROUND does; lower-is-better with an
actual of 0 earns the cap."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.rounding import ROUND_SCORE, excel_round, excel_round_array
from ..core.text import Text
from .bands import _around_target
from .base import Cells, Checker, FloatArray, Method, Param, Params, Subject
from .grammar import Context, Reading, Unreadable, find_points, normalize, number_text, unread

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Linear", "LinearMethod"]


@dataclass(frozen=True)
class Linear(Params):
    """Proportional scoring: 100 × actual / target (or its inverse), clamped."""

    floor: float = 0.0
    cap: float = 100.0
    method: str = "linear"


class LinearMethod(Method):
    name = "linear"
    words = ("比例", "比例计分", "按比例")
    params_class = Linear
    amount_target = True
    yaml_keys = ("method", "floor", "cap")

    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Linear | None:
        floor = chk.score_value(raw.get("floor", 0), f"{loc}.floor")
        cap = chk.score_value(raw.get("cap", 100), f"{loc}.cap")
        if floor is None or cap is None:
            return None
        if cap <= floor:
            chk.error("cap-floor", f"{loc}.cap", upper=Text("上限", "cap"), upper_value=cap, lower=Text("下限", "floor"), lower_value=floor)
        return Linear(floor=floor, cap=cap)

    def check_target(self, chk: Checker, params: Params, target: Any, direction: str, where: str) -> None:
        if target == 0:
            chk.error("target-zero", where)

    def from_canonical(self, data: dict[str, Any]) -> Linear:
        return Linear(floor=float(data["floor"]), cap=float(data["cap"]))

    def score(self, subject: Subject, actual: Any) -> float:
        sc = subject.scoring
        target = float(subject.target)  # type: ignore[arg-type]
        if subject.direction == "higher":
            raw = 100 * actual / target
        elif actual == 0:
            return float(sc.cap)
        else:
            raw = 100 * target / actual
        return excel_round(min(sc.cap, max(sc.floor, raw)), ROUND_SCORE)

    def score_array(self, subject: Subject, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        import numpy as np

        sc = subject.scoring
        target = float(subject.target)  # type: ignore[arg-type]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a tiny actual: the ratio is the cap
            ratio = 100 * x / target if subject.direction == "higher" else 100 * target / x
        out = excel_round_array(np.minimum(sc.cap, np.maximum(sc.floor, ratio)), ROUND_SCORE)
        if subject.direction == "lower":
            out = np.where(x == 0, sc.cap, out)
        out[np.isnan(x)] = np.nan
        return out

    def top(self, subject: Subject) -> float:
        return float(subject.scoring.cap)

    def bottom(self, subject: Subject) -> float:
        return float(subject.scoring.floor)

    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        sc = subject.scoring
        return [Param(word("floor"), sc.floor, False), Param(word("cap"), sc.cap, False)]

    def formula(self, subject: Subject, cells: Cells, mode: str = "native") -> str:
        x, t, floor, cap = cells.actual, cells.target, cells.value(0), cells.value(1)
        if subject.direction == "higher":
            return f'=IF(ISNUMBER({x}),ROUND(MIN({cap},MAX({floor},100*{x}/{t})),{ROUND_SCORE}),"")'
        return f'=IF(ISNUMBER({x}),IF({x}=0,{cap},ROUND(MIN({cap},MAX({floor},100*{t}/{x})),{ROUND_SCORE})),"")'

    def describe(self, subject: Subject, lang: str) -> str:
        sc = subject.scoring
        higher = subject.direction == "higher"
        floor, cap = number_text(sc.floor), number_text(sc.cap)
        if lang == "zh":
            return f"得分={'实际/目标' if higher else '目标/实际'}×100,保留两位小数,最低{floor}分、最高{cap}分"
        return f"score = {'actual/target' if higher else 'target/actual'} × 100, two decimals, from {floor} to {cap}"

    read_order = 40

    def read(self, text: str, ctx: Context) -> Reading | None:
        """``得分=完成率×100``, ``按完成比例计分,最高120分``, ``得分=目标/实际×100`` (lower is better)
        and the sentence :meth:`describe` prints."""
        s = normalize(text)
        lower = re.search(r"目标值?\s*/\s*实际值?|target\s*/\s*actual", s, re.I)
        higher = re.search(r"实际值?\s*/\s*目标值?|actual\s*/\s*target|(?:得分|score)\s*=\s*(?:实际|目标)?(?:完成率|达成率|完成比例)"
                           r"|(?:完成率|达成率|完成比例)\s*×\s*100|按(?:实际)?(?:完成|达成)(?:的)?(?:比例|比率|率|百分比)(?:计分|得分|折算|计算)"
                           r"|按比例(?:计分|得分|折算)|proportional|in proportion", s, re.I)
        if not (lower or higher) or re.search(r"每(?:超|高|多|低|少)|≥|≤|以上|以下", s):
            return None
        example = re.fullmatch(r".*?(?:完成|达成|达到)\s*(?P<a>\d+(?:\.\d+)?)\s*%\s*(?:计为|得|计)\s*(?P<b>\d+(?:\.\d+)?)\s*分.*", s)
        if example and example["a"] != example["b"]:
            raise Unreadable(Text(f"例子“{example[0]}”与按比例计分不符", "the example does not match a proportional score"),
                             "得分=实际/目标×100,最高120分")
        spans = [m.span() for m in (lower, higher) if m] + [m.span() for m in re.finditer(
            r"(?:完成|达成|达到)\s*\d+(?:\.\d+)?\s*%\s*(?:计为|得|计)\s*\d+(?:\.\d+)?\s*分|(?:最高|封顶|上限|不超过|最多|capped at|cap|to|"
            r"最低|保底|下限|from|floor|not below)\s*\d+(?:\.\d+)?\s*(?:分|pts?|points?)?|(?:得分|score)\s*=\s*[^,;]*?×\s*100", s, re.I)]
        left = unread(s, spans, r"保留两位小数|two decimals")
        if left is not None:
            raise Unreadable(Text(f"读不懂“{left}”", f"cannot read '{left}'"), "得分=实际/目标×100,最高120分")
        reading = Reading(scoring={"method": "linear"}, direction="lower" if lower else "higher", full_said=100.0)
        if ctx.direction and ctx.direction != reading.direction:
            raise Unreadable(Text("方向列与评分标准相反", "the direction column contradicts the standard"), "得分=实际/目标×100,最高120分")
        cap = find_points(r"(?:最高|封顶|上限|不超过|最多|capped at|cap|to)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?|points?)?", s)
        floor = find_points(r"(?:最低|保底|下限|from|floor|not below)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?|points?)?", s)
        if cap is None:
            reading.notes.append(Text("没写最高分:按 100 分封顶", "no cap given: capped at 100"))
        reading.scoring.update({"floor": floor if floor is not None else 0.0, "cap": cap if cap is not None else 100.0})
        return reading

    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        return _around_target(subject, rng)

    def probes(self, subject: Subject) -> list[Any]:
        t = float(subject.target)  # type: ignore[arg-type]
        return [0, t * 0.5, t * 0.123456, t, t * 1.5]

    def samples(self) -> list[dict[str, Any]]:
        return [
            {"id": "linear_up", "name": "转化率", "unit": "%", "target": 0.08, "direction": "higher",
             "scoring": {"method": "linear", "floor": 0, "cap": 120}, "halfway": [0.01234, 0.0987, 0.07777]},
            {"id": "linear_down", "name": "处理时长", "unit": "小时", "target": 15, "direction": "lower",
             "scoring": {"method": "linear"}, "halfway": [17, 16.5, 14.6]},
        ]


METHOD = LinearMethod()

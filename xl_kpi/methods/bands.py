"""Step scoring (the seed's standard): the first threshold the actual reaches gives its score.

Higher is better: thresholds from the highest down, ``actual >= t``; lower is better: from the
lowest up, ``actual <= t``; ``otherwise`` when none is reached. Actuals are compared after
``ROUND(actual, 9)``, so 110% typed is exactly 1.1 in Excel and here.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from ..core.rounding import ROUND_ACTUAL, excel_round, excel_round_array
from ..core.text import Text
from .base import Cells, Checker, FloatArray, IntArray, Method, Param, Params, Subject, format_value, points
from .grammar import (
    OTHERWISE,
    SAYS_SCORE,
    Bound,
    Context,
    Interval,
    Quantity,
    Reading,
    Unreadable,
    clauses,
    normalize,
    parse_condition,
    split_score,
    value_text,
)

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Bands", "BandsMethod", "band_score"]


@dataclass(frozen=True)
class Bands(Params):
    """Step scoring: the first threshold the actual reaches gives its score."""

    thresholds: tuple[float, ...]
    scores: tuple[float, ...]
    otherwise: float = 0.0
    relative: bool = False  # thresholds are multiples of the person's own target: actual / target is compared
    method: str = "bands"


def band_score(actual: float, thresholds: Sequence[float], scores: Sequence[float], direction: str = "higher",
               otherwise: float = 0.0) -> float:
    """The first band the actual reaches: from the highest threshold down (higher is better)
    or from the lowest up (lower is better); ``otherwise`` when it reaches none."""
    a = excel_round(actual, ROUND_ACTUAL)
    if direction == "higher":
        for t, s in zip(thresholds, scores):
            if a >= t:
                return s
    else:
        for t, s in zip(thresholds, scores):
            if a <= t:
                return s
    return otherwise


class BandsMethod(Method):
    name = "bands"
    words = ("分档", "分档计分", "分段计分")
    labels: ClassVar[dict[str, tuple[str, str]]] = {"otherwise": ("其他", "otherwise")}
    params_class = Bands
    amount_target = True
    yaml_keys = ("method", "bands", "otherwise", "relative")

    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Bands | None:
        bands = raw.get("bands")
        where = f"{loc}.bands"
        if not isinstance(bands, list) or not bands:
            chk.error("bands-empty", where)
            return None
        thresholds: list[float] = []
        scores: list[float] = []
        ok = True
        for j, band in enumerate(bands):
            if not isinstance(band, list) or len(band) != 2:
                chk.error("bands-shape", f"{where}[{j}]", band=band)
                ok = False
                continue
            t = chk.number(band[0], f"{where}[{j}][0]", Text("阈值", "threshold"))
            s = chk.score_value(band[1], f"{where}[{j}][1]")
            if t is None or s is None:
                ok = False
                continue
            thresholds.append(t)
            scores.append(s)
        otherwise = chk.score_value(raw.get("otherwise", 0), f"{loc}.otherwise")
        relative = raw.get("relative", False)
        if not isinstance(relative, bool):
            chk.error("wrong-type", f"{loc}.relative", name="relative", expected=Text("true 或 false", "true or false"),
                      example="relative: true")
            relative = False
        if not ok or otherwise is None:
            return None
        desc = direction == "higher"
        for j in range(1, len(thresholds)):
            a, b = thresholds[j - 1], thresholds[j]
            if a == b:
                chk.error("bands-duplicate", f"{where}[{j}]", threshold=b)
            elif (a < b) if desc else (a > b):
                chk.error("bands-order", f"{where}[{j}]", before=a, after=b, direction=direction,
                          order=Text("从高到低", "from the highest down") if desc else Text("从低到高", "from the lowest up"))
            if scores[j] > scores[j - 1]:
                chk.error("bands-scores", f"{where}[{j}][1]", worse=scores[j], better=scores[j - 1])
        if scores and otherwise > scores[-1]:
            chk.error("bands-otherwise", f"{loc}.otherwise", otherwise=otherwise, lowest=scores[-1])
        return Bands(thresholds=tuple(thresholds), scores=tuple(scores), otherwise=otherwise, relative=relative)

    def check_target(self, chk: Checker, params: Params, target: Any, direction: str, where: str) -> None:
        assert isinstance(params, Bands)
        if params.relative and target == 0:
            chk.error("target-zero", where)
            return
        reached = 1.0 if params.relative else target  # relative bands compare actual / target: meeting it is 1
        if params.thresholds and not any((reached >= t) if direction == "higher" else (reached <= t) for t in params.thresholds):
            chk.error("target-unrewarded", where, value=target)

    def from_canonical(self, data: dict[str, Any]) -> Bands:
        return Bands(thresholds=tuple(map(float, data["thresholds"])), scores=tuple(map(float, data["scores"])),
                     otherwise=float(data["otherwise"]), relative=bool(data.get("relative", False)))

    def score(self, subject: Subject, actual: Any) -> float:
        sc = subject.scoring
        if sc.relative:
            actual = actual / float(subject.target)  # type: ignore[arg-type]
        return band_score(actual, sc.thresholds, sc.scores, subject.direction, sc.otherwise)

    def score_rows(self, subjects: Sequence[Subject], codes: IntArray, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        """Every row of every band indicator in one pass.

        A validated spec lists thresholds strictly from the best down, so the bands an actual
        reaches are the last ``k`` of the list and the first one reached is number ``n - k``:
        counting reached bands, then one gather, gives the scalar rule's first-reached score.
        """
        import numpy as np

        m = len(subjects)
        width = max((len(s.scoring.thresholds) for s in subjects), default=0)
        thresholds = np.full((width, m + 1), np.inf)  # +inf pads are never reached
        table = np.full((m + 1, width + 1), np.nan)  # per indicator: band scores, then otherwise
        count = np.zeros(m + 1, dtype=np.intp)
        sign = np.ones(m + 1)  # column m: padding, never indexed (every code is in range)
        scale = np.ones(m + 1)  # relative bands divide the actual by the person's target
        for j, subject in enumerate(subjects):
            sc = subject.scoring
            k = len(sc.thresholds)
            # "actual <= t" for lower-is-better is "-actual >= -t": negation is exact.
            sign[j] = 1.0 if subject.direction == "higher" else -1.0
            thresholds[:k, j] = np.asarray(sc.thresholds) * sign[j]
            table[j, :k] = sc.scores
            table[j, k] = sc.otherwise
            count[j] = k
            if sc.relative:
                scale[j] = float(subject.target)  # type: ignore[arg-type]
        c = codes
        a = excel_round_array(x / np.take(scale, c) if (scale != 1.0).any() else x, ROUND_ACTUAL)
        a *= np.take(sign, c)
        reached = np.zeros(len(c), dtype=np.intp)
        for b in range(width):
            reached += a >= np.take(thresholds[b], c)
        out = np.take(table.ravel(), c * (width + 1) + (np.take(count, c) - reached))
        out[np.isnan(x)] = np.nan
        return out

    def score_array(self, subject: Subject, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        import numpy as np

        return self.score_rows([subject], np.zeros(x.shape, dtype=np.intp), x, raw)

    def top(self, subject: Subject) -> float:
        return float(subject.scoring.scores[0])

    def bottom(self, subject: Subject) -> float:
        return float(subject.scoring.otherwise)

    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        sc = subject.scoring
        return [*(Param(t, s) for t, s in zip(sc.thresholds, sc.scores)), Param(word("otherwise"), sc.otherwise, False)]

    def formula(self, subject: Subject, cells: Cells, mode: str = "native") -> str:
        sc = subject.scoring
        n = len(sc.thresholds)
        x = cells.actual
        if mode == "udf":
            measured = f"{x}/{cells.target}" if sc.relative else x
            return (f'=IF(ISNUMBER({x}),KPISCORE({measured},{cells.key_span(0, n - 1)},{cells.value_span(0, n - 1)},'
                    f'"{subject.direction}",{cells.value(n)}),"")' if sc.relative else
                    f'=KPISCORE({x},{cells.key_span(0, n - 1)},{cells.value_span(0, n - 1)},"{subject.direction}",{cells.value(n)})')
        op = ">=" if subject.direction == "higher" else "<="
        rounded = f"ROUND({x}/{cells.target},{ROUND_ACTUAL})" if sc.relative else f"ROUND({x},{ROUND_ACTUAL})"
        expr = cells.value(n)
        for p in reversed(range(n)):
            expr = f"IF({rounded}{op}{cells.key(p)},{cells.value(p)},{expr})"
        return f'=IF(ISNUMBER({x}),{expr},"")'

    def describe(self, subject: Subject, lang: str) -> str:
        """The seed's sentence; relative bands state this person's own thresholds (threshold × target)."""
        sc = subject.scoring
        factor = float(subject.target) if sc.relative else 1.0  # type: ignore[arg-type]
        return self._sentence(subject, [format_value(subject, t * factor) for t in sc.thresholds], lang)

    def standard(self, subject: Subject, lang: str) -> str:
        """Relative bands as written in the spec: ``≥目标×120%得100分;…``."""
        sc = subject.scoring
        if not sc.relative:
            return self.describe(subject, lang)
        word = "目标×" if lang == "zh" else "target × "
        return self._sentence(subject, [word + value_text(t, True) for t in sc.thresholds], lang)

    def _sentence(self, subject: Subject, v: list[str], lang: str) -> str:
        sc = subject.scoring
        higher = subject.direction == "higher"
        parts = [f"{'≥' if higher else '≤'}{v[0]}{points(sc.scores[0], lang)}"]
        for j in range(1, len(v)):
            lo, hi = (v[j], v[j - 1]) if higher else (v[j - 1], v[j])
            parts.append(f"{lo}–{hi}{points(sc.scores[j], lang)}")
        parts.append(f"{'<' if higher else '>'}{v[-1]}{points(sc.otherwise, lang)}")
        return (";" if lang == "zh" else "; ").join(parts)

    read_order = 90  # the most general form: tried last

    def rescaled(self, scoring: dict[str, Any], factor: float) -> dict[str, Any] | None:
        return {**scoring, "bands": [[t, _times(v, factor)] for t, v in scoring["bands"]],
                "otherwise": _times(scoring.get("otherwise", 0.0), factor)}

    def read(self, text: str, ctx: Context) -> Reading | None:
        """Bands in every common spelling: ``≥110%得100分;100%(含)-110%得80分;不足90%得0分``,
        ``110%以上100分``, ``=100%得100分``, ``≤90%100分`` (lower is better), ``≥12个``, ``≥目标×120%``."""
        items: list[tuple[Interval | None, float, str]] = []
        for part in clauses(normalize(text)):
            part = part.lstrip("-•·* ")
            if re.search(r"扣|减\s*\d|minus|deduct", part, re.I):  # "1次扣4分" takes points off: not a band
                return None
            if not SAYS_SCORE.search(part):  # a description of the duty ("按时完成招聘计划"): nothing to score
                continue
            rest, score = split_score(part)
            if score is None:
                if items:
                    raise Unreadable(Text(f"“{part}”没有写得分", f"'{part}' gives no score"), EXAMPLE)
                return None
            if OTHERWISE.search(rest) and not re.search(r"\d", rest):
                items.append((None, score, part))
                continue
            interval = parse_condition(rest, ctx.unit if ctx.unit != "%" else "")
            if interval is None:
                if items:
                    raise Unreadable(Text(f"读不懂条件“{rest}”", f"cannot read the condition '{rest}'"), EXAMPLE)
                return None
            items.append((interval, score, part))
        if not any(iv is not None for iv, _, _ in items):
            return None
        return _assemble(items, ctx)

    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        return _around_target(subject, rng)

    def probes(self, subject: Subject) -> list[Any]:
        sc = subject.scoring
        factor = float(subject.target) if sc.relative else 1.0  # type: ignore[arg-type]
        values: list[Any] = []
        for t in (t * factor for t in sc.thresholds):
            values += [t, t + 1e-10, t - 1e-10, t + 1e-7, t - 1e-7]
        return values + [min(sc.thresholds) / 2, max(sc.thresholds) * 2, 0]

    def samples(self) -> list[dict[str, Any]]:
        return [
            {"id": "bands_up", "name": "销售额完成率", "unit": "%", "target": 1.0, "direction": "higher",
             "scoring": {"method": "bands", "bands": [[1.2, 100], [1.1, 90], [1.0, 80], [0.9, 60]], "otherwise": 10}},
            {"id": "bands_down", "name": "平均响应时长", "unit": "分钟", "target": 15, "direction": "lower",
             "scoring": {"method": "bands", "bands": [[10, 100], [15, 80], [20, 60]]}},
            {"id": "bands_relative", "name": "新客户开发数", "unit": "个", "target": 10, "direction": "higher",
             "scoring": {"method": "bands", "relative": True, "bands": [[1.2, 100], [1.0, 80], [0.8, 60]]}},
        ]


EXAMPLE = "≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分"


def _assemble(items: list[tuple[Interval | None, float, str]], ctx: Context) -> Reading:
    """Bands from the conditions read: direction, thresholds, ``otherwise``, and every check that
    the bands meet without gaps or overlaps."""
    reading = Reading(scoring={"method": "bands"})
    bands = [(iv, score, part) for iv, score, part in items if iv is not None]
    explicit = [score for iv, score, _ in items if iv is None]
    if len(explicit) > 1:
        raise Unreadable(Text("写了多个“其他”得分", "more than one 'otherwise' score"), EXAMPLE)
    relative = {iv.relative for iv, _, _ in bands}
    if len(relative) > 1:
        raise Unreadable(Text("部分档位按目标的比例、部分按数值", "some bands are relative to the target and some are not"), EXAMPLE)
    is_relative = relative == {True}
    unit, scale = _unit(bands, ctx, reading)
    direction = _direction(bands, ctx, reading)
    sign = Decimal(1) if direction == "higher" else Decimal(-1)
    # lower is better: negate every value, so "≤ t" becomes "≥ −t" and one walk serves both
    walk = [(_turn(iv, sign), score, part) for iv, score, part in bands]
    walk.sort(key=lambda b: b[0].position(), reverse=True)
    otherwise = explicit[0] if explicit else None
    if walk[-1][0].lo is None:  # open below: the score when no band is reached
        if len(walk) == 1:
            raise Unreadable(Text("只写了达不到时的得分", "only the score below the bands is given"), EXAMPLE)
        if otherwise is not None:
            raise Unreadable(Text("“其他”与最低一档重复", "'otherwise' repeats the lowest band"), EXAMPLE)
        otherwise = walk[-1][1]
        _meet(walk[-2], walk[-1], scale, reading)
        walk.pop()
    elif otherwise is None:
        otherwise = 0.0
        reading.notes.append(Text("没写达不到最低档的得分:按 0 分", "no score below the lowest band: 0"))
    thresholds: list[float] = []
    for j, (iv, score, part) in enumerate(walk):
        if iv.lo is None:
            raise Unreadable(Text(f"“{part}”没有下限", f"'{part}' has no lower bound"), EXAMPLE)
        if j + 1 < len(walk):
            _meet((iv, score, part), walk[j + 1], scale, reading)
        elif iv.lo.own == "out":
            reading.warnings.append(_boundary(part))
        if j == 0 and iv.point:
            reading.notes.append(Text(f"“{part}”按“达到即得”读:超过也得 {score:g} 分",
                                      f"'{part}' read as 'reaching it': above it earns {score:g} too"))
        thresholds.append(float(sign * _value(iv.lo.q, scale)))
    if len(set(thresholds)) != len(thresholds):
        raise Unreadable(Text("有两档的边界重合或重叠", "two bands share or overlap a boundary"), EXAMPLE)
    reading.full_said = walk[0][1]
    reading.scoring["bands"] = [[t, s] for t, (_, s, _) in zip(thresholds, walk)]
    reading.scoring["otherwise"] = otherwise
    if is_relative:
        reading.scoring["relative"] = True
    else:  # no target in the table: the threshold of the band worth 80 (or the best band)
        implied = next((t for t, (_, s, _) in reversed(list(zip(thresholds, walk))) if s >= 80), thresholds[0] if thresholds else None)
        if implied is not None:
            reading.implied_target = implied
            reading.implied_note = Text(f"目标值未填:取得 80 分的一档的阈值 {implied:g}", f"no target: the threshold of the band worth 80 ({implied:g})")
    reading.direction, reading.unit = direction, None if is_relative else unit  # relative: percent of the target, any unit
    return reading


def _unit(bands: list[tuple[Interval, float, str]], ctx: Context, reading: Reading) -> tuple[str, Decimal]:
    """The unit the numbers carry and the scale that turns them into the indicator's values."""
    units = {b.q.unit for iv, _, _ in bands for b in (iv.lo, iv.hi) if b is not None and b.q.unit}
    if units == {"万", "万元"}:  # 45万至50万元: HR's one unit, written both ways
        units = {"万元"}
    if len(units) > 1:
        raise Unreadable(Text("数值的单位不一致: " + "、".join(sorted(units)), "the values mix units: " + ", ".join(sorted(units))),
                         EXAMPLE)
    unit = units.pop() if units else ""
    relative = any(iv.relative for iv, _, _ in bands)
    if unit == "%" or relative:
        return "%", Decimal(100)
    if unit == "‰":
        return "%", Decimal(1000)
    if not unit and ctx.unit == "%":
        big = any(abs(b.q.value) > Decimal("1.5") for iv, _, _ in bands for b in (iv.lo, iv.hi) if b is not None)
        if big:
            reading.notes.append(Text("数值未带 %,单位为 %:按百分数读(如 110 即 110%)",
                                      "values without %, unit %: read as percentages (110 is 110%)"))
            return "%", Decimal(100)
        return "%", Decimal(1)
    return unit, Decimal(1)


def _value(q: Quantity, scale: Decimal) -> Decimal:
    return q.value / scale


def _turn(iv: Interval, sign: Decimal) -> Interval:
    if sign > 0:
        return iv

    def neg(b: Bound | None) -> Bound | None:
        return None if b is None else Bound(Quantity(-b.q.value, b.q.unit), b.own)

    return Interval(neg(iv.hi), neg(iv.lo), iv.relative)


def _direction(bands: list[tuple[Interval, float, str]], ctx: Context, reading: Reading) -> str:
    ordered = sorted(bands, key=lambda b: b[0].position(), reverse=True)
    scores = [s for _, s, _ in ordered]
    falling = all(a >= b for a, b in zip(scores, scores[1:]))
    rising = all(a <= b for a, b in zip(scores, scores[1:]))
    if falling and rising:  # one band (or equal scores): the open side of the best band says
        best = ordered[0][0]
        said = "lower" if best.lo is None and best.hi is not None else "higher"
    elif falling:
        said = "higher"
    elif rising:
        said = "lower"
    else:
        raise Unreadable(Text("得分没有随数值单调变化", "the scores do not rise or fall steadily with the value"), EXAMPLE)
    if ctx.direction and ctx.direction != said and not (falling and rising):
        raise Unreadable(Text(f"方向列写的是{_word(ctx.direction)},评分标准却是{_word(said)}",
                              f"the direction column says {ctx.direction}, the standard says {said}"), EXAMPLE)
    if ctx.direction is None:
        reading.notes.append(Text(f"方向按评分标准推断: {_word(said)}", f"direction inferred from the standard: {said} is better"))
    return ctx.direction or said


def _word(direction: str) -> str:
    return "越高越好" if direction == "higher" else "越低越好"


def _meet(better: tuple[Interval, float, str], worse: tuple[Interval, float, str], scale: Decimal, reading: Reading) -> None:
    """Two neighbouring bands meet at one value, which the better band owns (a threshold is reached at it)."""
    a, _, apart = better
    b, _, bpart = worse
    if a.lo is None:
        return
    if b.hi is None:  # "≥110%得100分;≥100%得80分": the first band reached decides
        if a.lo.own == "out":
            reading.warnings.append(_boundary(apart))
        return
    top, bottom = _value(a.lo.q, scale), _value(b.hi.q, scale)
    if bottom < top and _whole_step(a.lo.q, b.hi.q) and b.hi.own != "out":  # "80%-89%" under "90%以上": up to 90%
        reading.notes.append(Text(f"“{bpart}”按整数读到“{apart}”为止(不留空档)", f"'{bpart}' read up to '{apart}' (whole numbers, no gap)"))
        return
    if bottom < top:
        raise Unreadable(Text(f"“{bpart}”与“{apart}”之间有空档", f"there is a gap between '{bpart}' and '{apart}'"), EXAMPLE)
    if bottom > top:
        raise Unreadable(Text(f"“{bpart}”与“{apart}”重叠", f"'{bpart}' and '{apart}' overlap"), EXAMPLE)
    if a.lo.own == "in" and b.hi.own == "in" and not a.point:
        raise Unreadable(Text(f"边界值同时属于“{apart}”和“{bpart}”", f"the boundary belongs to both '{apart}' and '{bpart}'"),
                         EXAMPLE)
    if a.lo.own == "out" and b.hi.own == "out":
        raise Unreadable(Text(f"边界值既不属于“{apart}”也不属于“{bpart}”", f"the boundary belongs to neither '{apart}' nor '{bpart}'"),
                         EXAMPLE)
    if a.lo.own == "out" or (a.lo.own == "?" and b.hi.own == "in"):
        reading.warnings.append(_boundary(apart))


def _whole_step(upper: Quantity, lower: Quantity) -> bool:
    """Two bounds written as whole numbers one apart (90 and 89, 90% and 89%): ranges people write as 80-89, 90以上."""
    return upper.value == upper.value.to_integral_value() and lower.value == lower.value.to_integral_value() and \
        upper.value - lower.value == 1 and (upper.unit or lower.unit) in ("", "%", "分", lower.unit)


def _boundary(part: str) -> Text:
    return Text(f"“{part}”的边界值按“达到即得该档”计(恰好等于边界值也得该档分);若边界值应得下一档,请改写评分标准",
                f"'{part}': the boundary value itself earns this band (a band is reached at its threshold); "
                "if it should earn the band below, rewrite the standard")


def _times(value: float, factor: float) -> float:
    """A score × a factor, exact in decimal (10 分 on a 10-point scale × 10 is 100, not 100.00000000000001)."""
    return float(Decimal(repr(float(value))) * Decimal(repr(float(factor))))


def _around_target(subject: Subject, rng: random.Random) -> Any:
    """A plausible actual near the target, rounded as people type them (bands and linear)."""
    target = float(subject.target or 1)
    if target == 0:
        return rng.choice([0, 1])
    factor = rng.uniform(0.85, 1.2) if subject.direction == "higher" else rng.uniform(0.8, 1.15)
    value = target * factor
    if subject.is_percent:
        return round(value, 3)
    if float(target).is_integer() and target >= 2:
        return round(value)
    return round(value, 2)


METHOD = BandsMethod()

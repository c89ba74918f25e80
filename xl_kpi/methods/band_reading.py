"""Reading band standards as people write them (``≥110%得100分;100%-110%得80分;<90%得0分``) into the
bands method's ``scoring:`` mapping: direction, thresholds, ``otherwise``, and every check that the
bands meet without gaps or overlaps. The bands method (:mod:`.bands`) reads through it."""

from __future__ import annotations

import re
from decimal import Decimal

from ..core.text import Text
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
)

__all__ = ["read_bands", "EXAMPLE"]

EXAMPLE = "≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分"


def read_bands(text: str, ctx: Context) -> Reading | None:
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
        worth_80 = next((t for t, (_, s, _) in reversed(list(zip(thresholds, walk))) if s >= 80), None)
        implied = worth_80 if worth_80 is not None else thresholds[0] if thresholds else None
        if implied is not None:
            reading.implied_target = implied
            reading.implied_note = (Text(f"目标值未填:取得 80 分的一档的阈值 {implied:g}", f"no target: the threshold of the band worth 80 ({implied:g})")
                                    if worth_80 is not None else  # a row of 10 points: no band is worth 80
                                    Text(f"目标值未填:得分最高一档的阈值 {implied:g}", f"no target: the threshold of the best band ({implied:g})"))
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

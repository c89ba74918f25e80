"""Distribution guidelines for calibration (强制分布 / 分布指引): the rules, and how many people each allows.

A guideline is one or more rules, each on one grade or a group of grades of one scale, written as HR
writes them: ``优秀<=20%``, ``不合格>=5%``, ``优秀+良好<=70%``, ``合格=10%~30%`` (between),
``Excellent<2`` (a head count: no % sign). Operators ``= < <= ≤ > >= ≥`` and ``between`` (``~``, ``-``,
``..``, ``to``, ``至``). Rules are separated by ``,`` ``;`` or new lines.

For ``n`` people a share becomes a head count the same way here and in the calibration workbook's
formulas (``ROUND(share × n, 6)`` first, so 0.1 × 30 is 3, not 3.0000000000000004): at most
``ROUNDDOWN`` for ≤, ``ROUNDUP − 1`` for <, at least ``ROUNDUP`` for ≥, ``ROUNDDOWN + 1`` for >,
exactly ``ROUND`` for =, and ``ROUNDUP(low) … ROUNDDOWN(high)`` between. A rule is over by the people
above its most and under by those missing to its least.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..core.errors import UsageError
from ..core.rounding import excel_round
from ..core.text import Text

__all__ = ["Rule", "RuleResult", "parse_guideline", "bounds", "evaluate", "GUIDELINE_EXAMPLE"]

Op = Literal["=", "<", "<=", ">", ">=", "between"]
GUIDELINE_EXAMPLE = "优秀<=20%,不合格>=5%,优秀+良好<=70%,合格=10%~30%"
_OPS = {"<=": "<=", "≤": "<=", "=<": "<=", ">=": ">=", "≥": ">=", "=>": ">=", "==": "=", "=": "=", "<": "<", ">": ">"}
_OP = re.compile(r"(<=|>=|=<|=>|==|≤|≥|<|>|=|\bbetween\b|介于)", re.I)
_VALUE = r"\s*([0-9]+(?:\.[0-9]+)?)\s*(%|％|人|people|persons?)?\s*"
_RANGE = re.compile(rf"^{_VALUE}(?:~|～|-|—|–|\.\.|to|至|到|and|和){_VALUE}(?:之间)?$", re.I)
_ONE = re.compile(rf"^{_VALUE}$", re.I)


@dataclass(frozen=True)
class Rule:
    """One rule: these grades (by label), an operator, and a share (a fraction) or a head count."""

    grades: tuple[str, ...]
    op: Op
    low: float
    high: float | None = None  # between: the upper value
    share: bool = True  # False: head counts
    text: str = ""

    def describe(self) -> str:
        def shown(v: float) -> str:
            return f"{excel_round(v * 100, 6):g}%" if self.share else f"{v:g}"
        grades = "+".join(self.grades)
        if self.op == "between":
            return f"{grades} {shown(self.low)}~{shown(self.high or 0)}"
        return f"{grades}{'≤' if self.op == '<=' else '≥' if self.op == '>=' else self.op}{shown(self.low)}"


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    count: int
    least: int | None  # the fewest people the rule allows (None: no floor)
    most: int | None  # the most it allows (None: no ceiling)

    @property
    def over(self) -> int:
        return max(0, self.count - self.most) if self.most is not None else 0

    @property
    def under(self) -> int:
        return max(0, self.least - self.count) if self.least is not None else 0

    @property
    def met(self) -> bool:
        return self.over == 0 and self.under == 0


def _bad(text: str, reason: Text) -> UsageError:
    return UsageError("bad-option", option="--guideline", value=text,
                      allowed=Text(f"{GUIDELINE_EXAMPLE} 这样的规则,或 优秀<2(人数);此处{reason.zh}",
                                   f"rules such as Excellent<=20%,Poor>=5%, or Excellent<2 (a head count); here, {reason.en}"))


def _value(number: str, unit: str | None, text: str) -> tuple[float, bool]:
    value = float(number)
    share = unit in ("%", "％")
    if share:
        if value > 100:
            raise _bad(text, Text("占比超过了 100%", "a share is above 100%"))
        return value / 100, True
    if value != math.floor(value):
        raise _bad(text, Text("人数不是整数(占比要带 %)", "a head count is not whole (a share needs its %)"))
    return value, False


def parse_guideline(text: str | None, labels: Sequence[str] = ()) -> list[Rule]:
    """The rules of a guideline ([] when none). ``labels``: the grades the rules may name (all when empty).

    Raises:
        UsageError: a rule that cannot be read, or names a grade not in ``labels``.
    """
    if not text or not text.strip():
        return []
    rules = []
    for part in (p.strip() for p in re.split(r"[,;，；\n]", text)):
        if not part:
            continue
        m = _OP.search(part)
        if m is None or not part[: m.start()].strip():
            raise _bad(part, Text("缺少等级或比较符", "a grade or the operator is missing"))
        grades = tuple(g.strip() for g in re.split(r"[+、/]", part[: m.start()]) if g.strip())
        unknown = [g for g in grades if labels and g not in labels]
        if unknown:
            raise UsageError("bad-option", option="--guideline", value=part,
                             allowed=Text(f"等级标尺中的等级: {'/'.join(labels)}(没有 {'、'.join(unknown)})",
                                          f"grades of the scale: {'/'.join(labels)} (not {', '.join(unknown)})"))
        word = m.group(1).lower()
        rest = part[m.end():].strip()
        ranged = _RANGE.match(rest)
        if word in ("between", "介于") or (word in ("=", "==") and ranged):
            if ranged is None:
                raise _bad(part, Text("区间只写了一个值(应如 10%~30%)", "between has one value (write e.g. 10%~30%)"))
            low, low_share = _value(ranged.group(1), ranged.group(2), part)
            high, high_share = _value(ranged.group(3), ranged.group(4) or ranged.group(2), part)
            if low_share != high_share or high < low:
                raise _bad(part, Text("区间两端一个是占比一个是人数,或前大后小", "the range's values differ in kind or run backwards"))
            rules.append(Rule(grades, "between", low, high, low_share, part))
            continue
        one = _ONE.match(rest)
        if one is None:
            raise _bad(part, Text("比较符后面缺少数值", "the value after the operator is missing"))
        value, share = _value(one.group(1), one.group(2), part)
        rules.append(Rule(grades, _OPS[word], value, None, share, part))  # type: ignore[arg-type]
    return rules


def _scaled(value: float, n: int) -> float:
    return excel_round(value * n, 6)


def bounds(rule: Rule, n: int) -> tuple[int | None, int | None]:
    """(the fewest, the most) people the rule allows among ``n`` (None: unbounded on that side)."""
    def at(value: float) -> float:
        return _scaled(value, n) if rule.share else value

    x = at(rule.low)
    if rule.op == "<=":
        return None, math.floor(x)
    if rule.op == "<":
        return None, math.ceil(x) - 1
    if rule.op == ">=":
        return math.ceil(x), None
    if rule.op == ">":
        return math.floor(x) + 1, None
    if rule.op == "=":
        exact = int(excel_round(x, 0))
        return exact, exact
    return math.ceil(x), math.floor(at(rule.high or 0.0))


def evaluate(rules: Sequence[Rule], counts: Mapping[str, int], n: int | None = None) -> list[RuleResult]:
    """Each rule against the number of people per grade (``n``: the people counted, default all of them)."""
    total = sum(counts.values()) if n is None else n
    return [RuleResult(rule, sum(counts.get(g, 0) for g in rule.grades), *bounds(rule, total)) for rule in rules]

"""HR's bounds for the goal-setting round and the checks of one person's goals (pure: no Excel, no files).

The seed (000) asks each goal to be SMART and set from history — the baseline near 110% of the historical
average, the challenge near 130% — with a proposal below the baseline argued with data; 3–5 indicators in all,
weights totalling 100%, results balanced by process indicators; personal indicators only within what HR
allows. :func:`check_person` judges one person's goals as the supervisor agreed them and says what is wrong,
each as a finding with the fix; :func:`agreed_target` is the target that stands.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..advice.smart import SmartResult, check_smart, find_vague
from ..core.findings import Finding, finding
from ..core.text import Text
from ..spec.model import Indicator, Person, Spec
from ..spec.rules import target_problems

__all__ = ["Member", "card_weight", "rules_for", "GoalRules", "History", "Goal", "PersonGoals", "AGREE", "ADJUST", "DISAGREE", "agreement_of", "agreed_target",
           "check_person", "smart_of", "below_baseline", "PERSONAL_METHODS", "personal_indicator", "sheet_check"]

AGREE, ADJUST, DISAGREE = "agree", "adjust", "disagree"
AGREEMENT_WORDS = {AGREE: ("同意", "Agree"), ADJUST: ("调整", "Adjust"), DISAGREE: ("不同意", "Disagree")}
PERSONAL_METHODS = {"linear": ("按比例", "Proportional"), "bands": ("分档(110%/100%/90%)", "Bands (110%/100%/90%)")}


@dataclass(frozen=True)
class GoalRules:
    """What HR allows in the round: indicators in all, personal indicators (how many, their weights and scoring
    methods), how far a role indicator's weight may move, and whether a process indicator is required."""

    min_indicators: int = 3
    max_indicators: int = 5
    personal_max: int = 1
    personal_weight: tuple[float, float] = (0.05, 0.20)
    methods: tuple[str, ...] = ("linear", "bands")
    weight_flex: float = 0.10  # a role indicator's weight may move this far from HR's when personal indicators are allowed
    need_process: bool = True
    max_increase: float = 0.5  # SMART's achievable: the largest rise over history still judged achievable

    def as_dict(self) -> dict[str, object]:
        return {"min_indicators": self.min_indicators, "max_indicators": self.max_indicators, "personal_max": self.personal_max,
                "personal_weight": list(self.personal_weight), "methods": list(self.methods), "weight_flex": self.weight_flex,
                "need_process": self.need_process, "max_increase": self.max_increase}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GoalRules:
        """The bounds as :meth:`as_dict` recorded them (the register's copy)."""
        lo, hi = data.get("personal_weight", (0.05, 0.20))
        return cls(int(data.get("min_indicators", 3)), int(data.get("max_indicators", 5)), int(data.get("personal_max", 1)),
                   (float(lo), float(hi)), tuple(str(m) for m in data.get("methods", ("linear", "bands"))),
                   float(data.get("weight_flex", 0.10)), bool(data.get("need_process", True)), float(data.get("max_increase", 0.5)))

    def weight_bounds(self, hr_weight: float) -> tuple[float, float]:
        """The weights an employee may give a role indicator: HR's exactly, unless personal indicators are allowed."""
        if self.personal_max <= 0:
            return hr_weight, hr_weight
        return max(0.0, round(hr_weight - self.weight_flex, 6)), min(1.0, round(hr_weight + self.weight_flex, 6))


def card_weight(spec: Spec, ind: Indicator) -> float:
    """The indicator's share of the whole card — its weight, times its section's on a card of sections (业绩 70% × 30%
    = 21%) — so that a goals sheet's weights total 100% whatever the card's shape."""
    if spec.sections and ind.section:
        return round(spec.section_of(ind.section).weight * ind.weight, 10)
    return ind.weight


def rules_for(spec: Spec, rules: GoalRules) -> GoalRules:
    """HR's bounds for one card: a card of points (分值制) is HR's fixed form — its items' points, and their scoring in
    them, cannot move — so its people propose targets only: no personal indicators, no weights moved."""
    if spec.by_points and rules.personal_max:
        return dataclasses.replace(rules, personal_max=0, weight_flex=0.0)
    return rules


@dataclass(frozen=True)
class Member:
    """One person a goals workbook is issued for — in a department's workbook or a supervisor's: their card, period,
    what history says, HR's bounds for their card, and whether their supervisor agrees in a workbook of their own."""

    person: Person
    spec: Spec
    period: str
    history: Mapping[str, History]
    rules: GoalRules
    separate: bool = False


@dataclass(frozen=True)
class History:
    """What history says of one indicator for one person (``xl-kpi targets``): its mean, baseline and challenge,
    and the resource-limited target with its extra process target."""

    periods: int = 0
    mean: float | None = None
    baseline: float | None = None
    challenge: float | None = None
    limited: float | None = None
    extra: str = ""

    def as_list(self) -> list[object]:
        return [self.periods, self.mean, self.baseline, self.challenge, self.limited, self.extra]

    @classmethod
    def from_list(cls, data: Sequence[Any]) -> History:
        def num(v: Any) -> float | None:
            return float(v) if isinstance(v, (int, float)) and math.isfinite(v) else None

        return cls(int(data[0]), num(data[1]), num(data[2]), num(data[3]), num(data[4]), str(data[5]))


@dataclass
class Goal:
    """One row of a returned goals sheet: a role indicator (``personal`` False) or a personal one."""

    indicator_id: str
    name: str
    weight: float | None  # as proposed
    proposed: float | None
    text: str = ""
    reason: str = ""
    agreement: str = ""  # AGREE / ADJUST / DISAGREE, "" when the supervisor said nothing
    supervisor_target: float | None = None
    supervisor_note: str = ""
    personal: bool = False
    kind: str = "result"
    method: str = ""
    direction: str = "higher"
    definition: str = ""
    unit: str = ""
    history: History = field(default_factory=History)


@dataclass
class PersonGoals:
    """A person's goals as returned, with the sign-off (目标确认)."""

    employee_id: str
    name: str
    goals: list[Goal]
    employee_signed: str = ""
    supervisor_signed: str = ""
    signed_on: str = ""


def agreement_of(text: str) -> str:
    """The agreement a cell holds (同意 / Agree …), "" for none or anything else."""
    t = text.strip().casefold()
    for key, words in AGREEMENT_WORDS.items():
        if t in (w.casefold() for w in words):
            return key
    return ""


def agreed_target(goal: Goal) -> float | None:
    """The target that stands: the supervisor's when adjusted, the proposal when agreed, none otherwise."""
    if goal.agreement == ADJUST:
        return goal.supervisor_target
    if goal.agreement == AGREE:
        return goal.proposed
    return None


def below_baseline(goal: Goal, value: float | None) -> bool:
    """A target below what history asks (above it when lower is better)."""
    base = goal.history.baseline
    if value is None or base is None:
        return False
    return value < base - 1e-9 if goal.direction == "higher" else value > base + 1e-9


def personal_indicator(goal: Goal, target: float) -> Indicator:
    """A personal indicator as the engine scores it: proportional, or the seed's bands relative to the target."""
    from ..methods.bands import Bands
    from ..methods.linear import Linear

    scoring = (Bands(thresholds=(1.1, 1.0, 0.9) if goal.direction == "higher" else (0.9, 1.0, 1.1), scores=(100.0, 80.0, 60.0),
                     relative=True) if goal.method == "bands" else Linear())
    return Indicator(goal.indicator_id, goal.name, goal.weight or 0.0, scoring, goal.definition, goal.unit, target,
                     "lower" if goal.direction == "lower" else "higher", "process" if goal.kind == "process" else "result")


def _where(p: PersonGoals, g: Goal | None = None) -> dict[str, str]:
    return {"employee_id": p.employee_id, "name": p.name} | ({"indicator": g.name} if g is not None else {})


def _show(ind: Indicator | None, value: float | None) -> str:
    if value is None:
        return "—"
    return ind.show(value) if ind is not None else f"{value:g}"


def proposes_target(ind: Indicator) -> bool:
    """Whether the employee proposes a numeric target for the indicator (its goals row has a target cell to fill)."""
    return not ind.takes_label and ind.method.needs_target and isinstance(ind.target, (int, float))


def check_goal(p: PersonGoals, g: Goal, ind: Indicator | None, rules: GoalRules, lang: str, file: str) -> list[Finding]:
    """One goal: a target the rules accept, argued when below the baseline, a SMART sentence, the supervisor's word."""
    out: list[Finding] = []
    where = _where(p, g)
    if g.proposed is None and (ind is None or proposes_target(ind)):  # a level the raters give has no target to propose
        out.append(finding("goal-missing", file=file, **where))
    target = agreed_target(g)
    if ind is not None and target is not None:
        out += [dataclasses.replace(f, employee_id=p.employee_id) for f in target_problems(ind, target, file, g.name)]
    if g.proposed is not None and below_baseline(g, g.proposed):
        shown = {"proposed": _show(ind, g.proposed), "baseline": _show(ind, g.history.baseline), "mean": _show(ind, g.history.mean)}
        if len(_excel_trim(g.reason)) >= 4:  # the sheet's live check asks for as much
            out.append(finding("goal-below-baseline-argued", file=file, **where, **shown, reason=g.reason.strip()))
        else:
            out.append(finding("goal-below-baseline", file=file, **where, **shown))
    if g.text.strip():
        history = g.history.mean
        smart = smart_of(g.text, lang, None if history is None else _in_text_units(ind, history), rules.max_increase, g.direction)
        gaps = [k for k in ("specific", "measurable", "time_bound") if getattr(smart, k) == "fail"]
        vague = find_vague(g.text, smart.lang)
        if gaps or vague:
            reasons = "; ".join(smart.reasons[k] for k in gaps) + ("; " if gaps and vague else "") + "; ".join(
                f"“{v.phrase}”: {v.suggestion}" for v in vague[:3])
            out.append(finding("goal-not-smart", file=file, **where, text=g.text.strip()[:120], reasons=reasons,
                               suggestion=(smart.suggestions or [""])[0]))
    else:
        out.append(finding("goal-no-sentence", file=file, **where))
    if g.agreement == ADJUST:
        if g.supervisor_target is None:
            out.append(finding("goal-not-agreed", file=file, **where, why=Text("选了“调整”但没有填上级确认的目标", "'Adjust' without the supervisor's target")))
        else:
            out.append(finding("goal-adjusted", file=file, **where, proposed=_show(ind, g.proposed), agreed=_show(ind, g.supervisor_target),
                               note=g.supervisor_note.strip() or "—"))
    elif g.agreement == DISAGREE:
        out.append(finding("goal-not-agreed", file=file, **where, why=Text("上级不同意", "the supervisor disagreed") if not g.supervisor_note.strip()
                           else Text(f"上级不同意:{g.supervisor_note.strip()}", f"the supervisor disagreed: {g.supervisor_note.strip()}")))
    elif g.agreement == "" and g.proposed is not None:
        out.append(finding("goal-not-agreed", file=file, **where, why=Text("上级尚未表态", "the supervisor has not said")))
    return out


@functools.lru_cache(maxsize=4096)
def smart_of(text: str, lang: str, history: float | None, max_increase: float, direction: str) -> SmartResult:
    """:func:`~xl_kpi.advice.smart.check_smart` of a goal sentence (many people write the same ones: checked once)."""
    return check_smart(text, lang, history, None, max_increase, direction)


def _in_text_units(ind: Indicator | None, value: float) -> float:
    """History as a goal sentence states it: a percentage as its percent (0.3 → 30)."""
    return value * 100 if ind is not None and ind.is_percent else value


def check_person(p: PersonGoals, spec: Spec, rules: GoalRules, file: str = "") -> list[Finding]:
    """Every check of one person's goals: each goal, then the card as a whole (count, weights, balance,
    personal indicators within HR's bounds) and the sign-off."""
    out: list[Finding] = []
    by_id = {ind.id: ind for ind in spec.indicators}
    used = [g for g in p.goals if not g.personal or g.name.strip()]
    for g in used:
        out += check_goal(p, g, by_id.get(g.indicator_id), rules, spec.language, file)
        if g.personal:
            lo, hi = rules.personal_weight
            if g.method not in rules.methods:
                out.append(finding("goal-personal-bounds", file=file, **_where(p, g),
                                   what=Text(f"计分方法“{g.method or '空'}”不在允许的方法中", f"the method '{g.method or 'none'}' is not one HR allows")))
            if g.weight is None or not lo - 1e-9 <= g.weight <= hi + 1e-9:
                out.append(finding("goal-personal-bounds", file=file, **_where(p, g),
                                   what=Text(f"权重 {_pct(g.weight)} 不在 {_pct(lo)}–{_pct(hi)} 之内",
                                             f"the weight {_pct(g.weight)} is outside {_pct(lo)}–{_pct(hi)}")))
        elif g.weight is not None:
            lo, hi = rules.weight_bounds(card_weight(spec, by_id[g.indicator_id])) if g.indicator_id in by_id else (0.0, 1.0)
            if not lo - 1e-9 <= g.weight <= hi + 1e-9:
                out.append(finding("goal-personal-bounds", file=file, **_where(p, g),
                                   what=Text(f"权重 {_pct(g.weight)} 不在 {_pct(lo)}–{_pct(hi)} 之内",
                                             f"the weight {_pct(g.weight)} is outside {_pct(lo)}–{_pct(hi)}")))
    personal = [g for g in used if g.personal]
    if len(personal) > rules.personal_max:
        out.append(finding("goals-card", file=file, **_where(p), what=Text(f"个人指标 {len(personal)} 个,最多 {rules.personal_max} 个",
                                                                          f"{len(personal)} personal indicators, at most {rules.personal_max}")))
    if not rules.min_indicators <= len(used) <= rules.max_indicators:
        out.append(finding("goals-card", file=file, **_where(p), what=Text(
            f"共 {len(used)} 个指标,应为 {rules.min_indicators}–{rules.max_indicators} 个",
            f"{len(used)} indicators in all; {rules.min_indicators}–{rules.max_indicators} expected")))
    total = math.fsum(g.weight or 0.0 for g in used)
    if abs(total - 1.0) > 1e-6:
        out.append(finding("goals-card", file=file, **_where(p), what=Text(f"权重合计 {_pct(total)},应为 100%",
                                                                          f"the weights total {_pct(total)}, not 100%")))
    kinds = {g.kind if g.personal else by_id[g.indicator_id].kind for g in used if g.personal or g.indicator_id in by_id}
    if rules.need_process and "process" not in kinds:
        out.append(finding("goals-card", file=file, **_where(p), what=Text("只有结果指标,没有过程指标", "result indicators only, no process indicator")))
    if not p.supervisor_signed.strip():
        out.append(finding("goals-not-confirmed", file=file, **_where(p)))
    return out


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.4g}%"


def _excel_trim(text: str) -> str:
    """Excel's TRIM: spaces at the ends removed, runs of spaces inside made one."""
    return re.sub(" +", " ", text.strip(" "))


def sheet_check(proposed: float | None, text: str, reason: str, baseline: float | None, direction: str, lang: str,
                has_target: bool = True) -> str:
    """What the sheet's live check shows for a goal (the engine's reading of the formula :mod:`.book` writes): a
    target, a sentence with a number and a period, a reason when below the baseline; "✓" when nothing is missing."""
    from .layout import DIGITS, TIME_WORDS, word

    out = "" if proposed is not None or not has_target else word("no_target", lang)
    if len(_excel_trim(text)) == 0:
        out += word("no_text", lang)
    else:
        out += "" if any(d in text for d in DIGITS) else word("no_number", lang)
        out += "" if any(w.casefold() in text.casefold() for w in TIME_WORDS[lang]) else word("no_time", lang)
    if proposed is not None and baseline is not None and (proposed < baseline if direction == "higher" else proposed > baseline):
        out += word("below", lang) if len(_excel_trim(reason)) < 4 else ""
    return out or word("ok", lang)

"""Advice on specs and returned reviews: SMART checks of indicators, vague language in reviews."""

from __future__ import annotations

from ..core.findings import Finding, finding
from ..core.text import Text
from ..spec.model import Spec
from .smart import check_smart, find_vague, smart_gaps

__all__ = ["spec_advice", "review_findings", "vague_findings", "smart_findings", "REVIEW_FIELDS", "CRITERIA_NAMES", "VERDICTS"]

REVIEW_FIELDS = {"goal_review": Text("目标回顾", "goal review"), "key_actions": Text("关键行动", "key actions"),
                 "results": Text("成果数据", "result data"), "gaps": Text("不足与改进", "gaps and improvements"),
                 "comment": Text("上级评语", "supervisor's comment")}
CRITERIA_NAMES = {"specific": Text("具体(S)", "specific"), "measurable": Text("可衡量(M)", "measurable"),
                  "achievable": Text("可实现(A)", "achievable"), "relevant": Text("相关(R)", "relevant"),
                  "time_bound": Text("有时限(T)", "time-bound")}
VERDICTS = {"pass": Text("符合", "pass"), "fail": Text("不符合", "fail"), "unknown": Text("无法判断", "unknown")}


def spec_advice(spec: Spec) -> list[Finding]:
    """Warnings for indicators whose name and definition do not say what exactly is measured.

    Only "specific" is judged here: a spec's numeric target and its period already make each
    indicator measurable and time-bound; a scale that describes every level explains itself.
    """
    out = []
    for i, ind in enumerate(spec.indicators):
        if ind.method.anchored(ind):
            continue
        text = f"{ind.name}:{ind.definition}" if spec.language == "zh" else f"{ind.name}: {ind.definition}"
        result = check_smart(text, spec.language)
        if result.specific == "fail":
            tip = next((s for s in result.suggestions if "笼统" in s or "vague" in s), "")
            out.append(finding("smart-specific", file=spec.source_path, field=f"indicators[{i}].name", name=ind.name,
                               reason=result.reasons["specific"], tip=tip))
    return out


MAX_VAGUE_PER_TEXT = 10  # a text repeating one phrase thousands of times is reported for its first ten


def review_findings(texts: dict[str, str]) -> list[Finding]:
    """Vague phrases in every review text (the first ten of each) and SMART gaps in the goal review
    (``field`` names the text)."""
    out: list[Finding] = []
    for key, text in texts.items():
        out += vague_findings(key, text)
    return out + smart_findings(texts.get("goal_review", ""))


def vague_findings(key: str, text: str) -> list[Finding]:
    """The vague phrases of one review text (the first ten), its field named ``key``."""
    if not text or not text.strip():
        return []
    return [finding("review-vague", field=key, field_name=REVIEW_FIELDS.get(key, key), phrase=phrase.phrase,
                    position=phrase.start + 1)  # counted from 1, as people count characters
            for phrase in find_vague(text)[:MAX_VAGUE_PER_TEXT]]


def smart_findings(goal: str) -> list[Finding]:
    """The SMART criteria a goal review fails of those its text alone can decide."""
    if not goal.strip():
        return []
    return [finding("review-smart", field="goal_review", criterion=CRITERIA_NAMES[criterion], reason=reason)
            for criterion, reason in smart_gaps(goal).items()]

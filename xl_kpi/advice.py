"""Advice on specs and returned reviews: SMART checks of indicators, vague language in reviews."""

from __future__ import annotations

from .errors import Problem, Text
from .model import Rating, Spec
from .smart import check_smart, find_vague

__all__ = ["spec_advice", "review_findings"]


def spec_advice(spec: Spec) -> list[Problem]:
    """Warnings for indicators whose name and definition do not say what exactly is measured.

    Only "specific" is judged here: a spec's numeric target and its period already make each
    indicator measurable and time-bound.
    """
    out = []
    for i, ind in enumerate(spec.indicators):
        if isinstance(ind.scoring, Rating) and all(level.description for level in ind.scoring.levels):
            continue  # a behaviourally anchored scale says exactly what each level means
        text = f"{ind.name}:{ind.definition}" if spec.language == "zh" else f"{ind.name}: {ind.definition}"
        result = check_smart(text, spec.language)
        if result.specific == "fail":
            tip = next((s for s in result.suggestions if "笼统" in s or "vague" in s), None)
            out.append(Problem("smart-specific", "warning", spec.source_path, f"indicators[{i}].name",
                               Text(f"指标“{ind.name}”不够具体: {result.reasons['specific']}",
                                    f"indicator '{ind.name}' is not specific: {result.reasons['specific']}"),
                               Text(tip, tip) if tip else None))
    return out


def review_findings(texts: dict[str, str]) -> list[tuple[str, str, str]]:
    """(field, kind, detail) for vague phrases in every review text and SMART gaps in the goal review."""
    out: list[tuple[str, str, str]] = []
    for field, text in texts.items():
        if not text or not text.strip():
            continue
        for phrase in find_vague(text):
            out.append((field, "vague", f"“{phrase.phrase}” @{phrase.start}: {phrase.suggestion}"))
    goal = texts.get("goal_review", "")
    if goal.strip():
        result = check_smart(goal)
        for criterion in ("specific", "measurable", "time_bound"):
            if getattr(result, criterion) == "fail":
                out.append(("goal_review", f"smart-{criterion}", result.reasons[criterion]))
    return out

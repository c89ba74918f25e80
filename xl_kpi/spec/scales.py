"""Grade scales: which scorecards name and count their grades the same way.

A grade is always its own template's: 不合格 on a four-grade card is never 待改进 on a five-grade
card, and "Meets" is never 良好. Cards count together only on the same scale — the same labels in
the same order, or a scale HR declared (``grade_scale: company_4`` on each spec, with as many grades
on each: 优秀 and Excellent are then one grade, by rank). Every count, distribution and target share
is per scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Spec

__all__ = ["GradeScale", "scale_key", "grade_scales", "column_titles"]


def scale_key(spec: Spec) -> str:
    """The scale a spec grades on: its declared ``grade_scale`` (with its number of grades), else its labels in order."""
    if spec.grade_scale:
        return f"scale:{spec.grade_scale}:{len(spec.grades)}"
    return "labels:" + "\x1f".join(g.label for g in spec.grades)


@dataclass(frozen=True)
class GradeScale:
    """One scale of the run: its labels (best first), the templates on it and what to call it."""

    key: str
    labels: tuple[str, ...]
    templates: tuple[str, ...]
    title: str  # the first template's title: names the scale when labels alone do not tell scales apart
    declared: str = ""  # HR's name for it, "" when the scale is its labels

    def describe(self) -> str:
        """The scale in a few words: its declared name, or its labels (优秀/良好/合格/不合格)."""
        return self.declared or "/".join(self.labels)


def grade_scales(specs: Iterable[Spec], lang: str) -> list[GradeScale]:
    """The distinct scales of ``specs`` in the order first met (sort the specs for a stable order); a declared
    scale's labels are those of a member spec in ``lang`` when there is one."""
    members: dict[str, list[Spec]] = {}
    for spec in specs:
        members.setdefault(scale_key(spec), []).append(spec)
    out = []
    for key, group in members.items():
        shown = next((s for s in group if s.language == lang), group[0])
        out.append(GradeScale(key, tuple(g.label for g in shown.grades), tuple(dict.fromkeys(s.id for s in group)),
                              group[0].title, group[0].grade_scale))
    return out


def column_titles(scales: Sequence[GradeScale], lang: str) -> list[tuple[str, int, str]]:
    """One column per grade of every scale, (scale key, rank, title): the label alone when no other scale
    of the run uses it; otherwise the label with its scale — ``优秀(4级)`` — or, when scales of one size
    share labels, the scale's title."""
    seen: dict[str, int] = {}
    for scale in scales:
        for label in set(scale.labels):
            seen[label] = seen.get(label, 0) + 1
    out = []
    for scale in scales:
        if not any(seen[label] > 1 for label in scale.labels):
            out += [(scale.key, k, label) for k, label in enumerate(scale.labels, start=1)]
            continue
        if scale.declared:
            tag = scale.declared
        elif not any(other is not scale and len(other.labels) == len(scale.labels) and set(other.labels) & set(scale.labels)
                     for other in scales):
            tag = f"{len(scale.labels)}级" if lang == "zh" else f"{len(scale.labels)} grades"
        else:
            tag = scale.title
        out += [(scale.key, k, f"{label}({tag})" if lang == "zh" else f"{label} ({tag})") for k, label in enumerate(scale.labels, start=1)]
    return out

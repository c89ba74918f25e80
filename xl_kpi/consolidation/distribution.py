"""The grade distribution HR aims for (``--target-distribution``): one share per grade of a scale,
best first ("20,70,10" on a three-grade scale), or shares named by grade ("优秀=20,良好=70").

Shares are per grade scale (:mod:`xl_kpi.spec.scales`): a positional list applies to a scale with
exactly that many grades, and named shares to the scales that have those grades. Anything else is
refused, naming the scale — a list is never laid on the first grades of a longer scale. The text is
parsed once, at the edge, into a :class:`TargetDistribution`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.errors import UsageError
from ..core.text import Text
from ..spec.scales import GradeScale

__all__ = ["TargetDistribution", "parse_distribution", "check_distribution"]


@dataclass(frozen=True)
class TargetDistribution:
    """Shares (fractions) in order (``label`` None) or by grade label, as HR wrote them."""

    parts: tuple[tuple[str | None, float], ...]
    text: str = ""

    @property
    def positional(self) -> bool:
        return all(label is None for label, _ in self.parts)

    def shares(self, scale: GradeScale) -> dict[str, float]:
        """Each grade's target share on ``scale`` (grades not named get none).

        Raises:
            ValueError: a positional list whose length is not the scale's number of grades (the reason, in words).
        """
        if self.positional:
            if len(self.parts) != len(scale.labels):
                raise ValueError(str(len(self.parts)))
            return {label: share for label, (_, share) in zip(scale.labels, self.parts)}
        return {label: share for label, share in self.parts if label is not None and label in scale.labels}

    def problems(self, scales: Sequence[GradeScale]) -> list[tuple[str, Text]]:
        """What does not fit the run's scales: (the scale or the label, why), in both languages."""
        out: list[tuple[str, Text]] = []
        if self.positional:
            for scale in scales:
                if len(self.parts) != len(scale.labels):
                    out.append((scale.describe(), Text(f"该标尺有 {len(scale.labels)} 个等级,给出了 {len(self.parts)} 个占比",
                                                       f"the scale has {len(scale.labels)} grades; {len(self.parts)} shares were given")))
            return out
        known = {label for scale in scales for label in scale.labels}
        for label, _ in self.parts:
            if label not in known:
                out.append((str(label), Text("没有哪个等级标尺有这个等级", "no grade scale of the run has this grade")))
        return out


def _bad(text: str) -> UsageError:
    return UsageError("bad-option", option="--target-distribution", value=text,
                      allowed=Text("每个等级一个占比,从最高等级起(3 个等级时如 20,70,10),或写出等级: 优秀=20,良好=70(百分数,合计不超过 100)",
                                   "one share per grade, best first (20,70,10 on a 3-grade scale), or named: Excellent=20,Good=70 "
                                   "(percentages, at most 100 in all)"))


def parse_distribution(text: str | None) -> TargetDistribution | None:
    """Parse and check a target distribution; None when not given.

    Raises:
        UsageError: not numbers, a share outside 0–100, shares adding up to more than 100%, or
            positional and named shares mixed.
    """
    if not text or not text.strip():
        return None
    parts: list[tuple[str | None, float]] = []
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            continue
        label, _, value = part.replace("＝", "=").rpartition("=")
        try:
            share = float(value.strip().rstrip("%％"))
        except ValueError:
            raise _bad(text) from None
        if not math.isfinite(share) or not 0 <= share <= 100:
            raise _bad(text)
        parts.append((label.strip() or None, share / 100))
    named = [label is not None for label, _ in parts]
    if not parts or math.fsum(s for _, s in parts) > 1 + 1e-9 or (any(named) and not all(named)):
        raise _bad(text)
    return TargetDistribution(tuple(parts), text)


def check_distribution(dist: TargetDistribution, scales: Sequence[GradeScale]) -> None:
    """Refuse a distribution that does not fit every one of ``scales`` (the run's, known before reading).

    Raises:
        UsageError: naming the scale (or the grade) and why.
    """
    problems = dist.problems(scales)
    if problems:
        where, why = problems[0]
        raise UsageError("distribution-mismatch", value=dist.text, scale=where, why=why)

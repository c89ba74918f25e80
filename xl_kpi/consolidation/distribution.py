"""The grade distribution HR aims for (``--target-distribution``): "20,70,10" for the best grades
in order, or "优秀=20,良好=70" by label. Checked before any file is read."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..core.errors import UsageError

__all__ = ["TargetDistribution", "parse_distribution"]


@dataclass(frozen=True)
class TargetDistribution:
    """Shares (fractions) in order (``label`` None) or by grade label."""

    parts: tuple[tuple[str | None, float], ...]

    def for_labels(self, labels: list[str]) -> dict[str, float]:
        """Each grade label's target share: positional parts take the best grades in order."""
        out: dict[str, float] = {}
        for k, (label, share) in enumerate(self.parts):
            if label is not None:
                out[label] = share
            elif k < len(labels):
                out[labels[k]] = share
        return out


def _bad(text: str) -> UsageError:
    return UsageError("bad-option", option="--target-distribution", value=text,
                      allowed="20,70,10 or 优秀=20,良好=70 (percentages, at most 100 in all)")


def parse_distribution(text: str | None) -> TargetDistribution | None:
    """Parse and check a target distribution; None when not given.

    Raises:
        UsageError: not numbers, a share outside 0–100, or shares adding up to more than 100%.
    """
    if not text or not text.strip():
        return None
    parts: list[tuple[str | None, float]] = []
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            continue
        label, _, value = part.rpartition("=")
        try:
            share = float(value.strip().rstrip("%"))
        except ValueError:
            raise _bad(text) from None
        if not math.isfinite(share) or not 0 <= share <= 100:
            raise _bad(text)
        parts.append((label.strip() or None, share / 100))
    if not parts or math.fsum(s for _, s in parts) > 1 + 1e-9:
        raise _bad(text)
    return TargetDistribution(tuple(parts))

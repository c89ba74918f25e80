"""The performance × potential grid (九宫格): levels, placement and the names of its nine boxes.

Performance is the (final) grade: the best grade of the person's scale is high (3), the worst low (1),
every grade between medium (2) — or as HR maps them (``--performance-levels 优秀=高,良好=高,…``).
Potential is HR's rating, read as 高/中/低, high/medium/low, H/M/L or 3/2/1. The box is numbered
``(potential − 1) × 3 + performance``: 1 is low/low, 9 high/high (Star). The calibration workbook
computes the same with INDEX/MATCH and COUNTIFS; tests hold both to these rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..core.errors import UsageError
from ..core.text import Lang, Text

__all__ = ["LEVEL_WORDS", "BOX_NAMES", "read_level", "performance_levels", "box", "parse_levels"]

LEVEL_WORDS: dict[str, tuple[str, str, str]] = {"zh": ("低", "中", "高"), "en": ("Low", "Medium", "High")}  # levels 1, 2, 3
BOX_NAMES: dict[str, tuple[str, ...]] = {  # box 1..9
    "zh": ("待改进", "稳定贡献", "专业骨干", "待提升", "中坚力量", "绩效之星", "待发掘", "潜力之星", "明星"),
    "en": ("Under-performer", "Effective", "Trusted professional", "Inconsistent", "Core player", "High performer",
           "Rough diamond", "High potential", "Star"),
}
_WORDS = {"1": 1, "2": 2, "3": 3, "低": 1, "中": 2, "高": 3, "l": 1, "m": 2, "h": 3, "low": 1, "medium": 2, "mid": 2, "high": 3,
          "较低": 1, "一般": 2, "较高": 3}


def read_level(value: object) -> int | None:
    """A level 1–3 from how people write it; None when it cannot be read (or is blank)."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (1, 2, 3):
        return int(value)
    return _WORDS.get(str(value).strip().lower())


def performance_levels(labels: Sequence[str], mapping: Mapping[str, int] | None = None) -> dict[str, int]:
    """Each grade of a scale (best first) → its performance level: HR's mapping, else best 3, worst 1, the rest 2."""
    out = {}
    for k, label in enumerate(labels):
        default = 3 if k == 0 else 1 if k == len(labels) - 1 else 2
        out[label] = (mapping or {}).get(label, default)
    return out


def parse_levels(text: str | None) -> dict[str, int]:
    """``优秀=高,良好=中,…`` → grade label → level.

    Raises:
        UsageError: a part that is not ``grade=level``.
    """
    out: dict[str, int] = {}
    for part in (p.strip() for p in (text or "").replace("，", ",").split(",")):
        if not part:
            continue
        label, _, level = part.partition("=")
        read = read_level(level)
        if not label.strip() or read is None:
            raise UsageError("bad-option", option="--performance-levels", value=part, allowed=Text(
                "等级=高|中|低(或 high|medium|low),如 优秀=高,良好=中", "grade=high|medium|low (or 高|中|低), e.g. Excellent=high,Good=medium"))
        out[label.strip()] = read
    return out


def box(performance: int | None, potential: int | None) -> int | None:
    """The box 1–9 of a person (None while either level is unknown)."""
    if performance is None or potential is None:
        return None
    return (potential - 1) * 3 + performance


def box_name(number: int, lang: Lang) -> str:
    return BOX_NAMES[lang][number - 1]

"""Vague language in review texts (seed: use data instead of 重大贡献 / 极大提升), in three kinds,
each with the data that would replace it:

- empty intensifiers (极大, 显著提升, significantly): say by how much;
- unmeasured claims (表现突出, 效果明显, excellent results): say what came of it, in figures;
- effort without result (努力工作, 全力以赴, worked very hard): say what the effort delivered.

A phrase backed by a figure in the same clause ("效率极大提升30%") is not flagged.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..core.text import Text

__all__ = ["VaguePhrase", "find_vague", "VAGUE_PHRASES", "KINDS"]

Kind = Literal["intensifier", "claim", "effort"]

VAGUE_PHRASES: dict[str, dict[Kind, tuple[str, ...]]] = {
    "zh": {
        "intensifier": ("极大提升", "极大提高", "大幅提升", "大幅提高", "大幅增长", "显著提升", "显著提高", "显著改善", "明显提升",
                        "明显提高", "明显改善", "大大提高", "大大提升", "有所提高", "有所提升", "有所改善", "稳步提升", "不断提高",
                        "进一步提升", "进一步提高", "持续提升", "全面提升", "质的飞跃", "突飞猛进", "非常好", "很好", "较好",
                        "极大地", "大力", "充分"),
        "claim": ("重大贡献", "突出贡献", "巨大贡献", "表现突出", "表现优异", "表现出色", "表现良好", "成绩显著", "显著成效",
                  "成效显著", "效果显著", "效果明显", "效果良好", "良好的效果", "取得较好成绩", "取得了较好", "取得良好",
                  "取得一定", "取得了一定", "一定成绩", "一定进步", "较大进步", "很大进步", "圆满完成", "顺利完成", "得到了提升",
                  "得到认可", "广受好评", "获得好评", "超额完成", "业绩优秀", "能力突出", "工作出色"),
        "effort": ("积极配合", "努力工作", "认真负责", "全力以赴", "兢兢业业", "任劳任怨", "加班加点", "尽心尽力", "尽职尽责",
                   "勤勤恳恳", "认真完成", "积极主动", "付出了很多", "投入大量精力", "不辞辛苦"),
    },
    "en": {
        "intensifier": ("significantly", "greatly", "hugely", "massively", "dramatically", "substantially", "considerably",
                        "a lot", "much better", "greatly improved", "improved a lot", "really", "tremendous", "tremendously",
                        "vastly", "enormously", "very much", "notably", "remarkably"),
        "claim": ("significant", "major contribution", "key contribution", "huge contribution", "very good", "excellent work",
                  "excellent results", "outstanding results", "great results", "great job", "great work", "good results",
                  "strong results", "outstanding performance", "strong performance", "excellent performance", "made progress",
                  "some progress", "good progress", "great progress", "positive impact", "big impact", "huge impact",
                  "well received", "successfully completed", "exceeded expectations", "various", "many things"),
        "effort": ("hard-working", "hard working", "worked hard", "very hard", "best effort", "went above and beyond",
                   "above and beyond", "extra mile", "gave it my all", "gave 100%", "put in a lot of effort", "long hours",
                   "diligent", "diligently", "tirelessly", "did my best"),
    },
}
_TIPS: dict[Kind, Text] = {
    "intensifier": Text("写出幅度:从多少到多少、提升百分之几,如“效率提升30%”",
                        "say by how much: from what to what, or the percentage, e.g. \"efficiency up 30%\""),
    "claim": Text("写出结果数据:完成了什么、数量多少、与目标或上期相比如何,如“新客户签约15家,目标12家”",
                  "give the result in figures: what was done, how much, against the target or last period, e.g. \"15 new contracts, target 12\""),
    "effort": Text("写出努力带来的结果:交付物、数量和时间,如“加班完成3个版本上线,提前2周”",
                   "say what the effort delivered: outputs, quantities, dates, e.g. \"shipped 3 releases, 2 weeks early\""),
}
KINDS: dict[Kind, Text] = {"intensifier": Text("空洞的程度词", "empty intensifier"), "claim": Text("没有数据的结论", "unmeasured claim"),
                           "effort": Text("只讲努力不讲结果", "effort without result")}
_CLAUSE = re.compile(r"[,,。;;.!?!?\n]")


@dataclass(frozen=True)
class VaguePhrase:
    """A vague phrase in a review text, where it is, its kind, and what to write instead."""

    phrase: str
    start: int
    end: int
    suggestion: str
    kind: str = "claim"


def _compiled(lang: str) -> list[tuple[re.Pattern[str], Kind, str]]:
    """One pattern per phrase, longest first (a longer phrase claims its span before its parts), with
    the phrase's first character: only the phrases that could start in a text are looked for."""
    words = lang == "en"
    pairs = sorted(((p, k) for k, phrases in VAGUE_PHRASES[lang].items() for p in set(phrases)), key=lambda x: (-len(x[0]), x[0]))
    return [(re.compile(rf"\b{re.escape(p.lower())}(?!\w)" if words else re.escape(p.lower())), k, p.lower()[0]) for p, k in pairs]


_PATTERNS = {lang: _compiled(lang) for lang in VAGUE_PHRASES}
_ANY = {lang: re.compile("|".join(p.pattern for p, _, _ in patterns)) for lang, patterns in _PATTERNS.items()}


def find_vague(text: str, lang: str) -> list[VaguePhrase]:
    """Vague phrases not backed by a figure in the same clause, each with its position, kind and tip.

    Linear in the text's length (a review cell holds up to 32,767 characters): the clause
    boundaries and a running count of digits are computed once, then each match is O(log n).
    """
    low = text.lower()
    if not _ANY[lang].search(low):
        return []
    found: list[VaguePhrase] = []
    taken = bytearray(len(low) + 1)  # positions a longer phrase already claimed
    bounds = [m.end() for m in _CLAUSE.finditer(text)]
    digits = [0]
    for ch in text:
        digits.append(digits[-1] + ch.isdecimal())
    chars = set(low)
    for pattern, kind, first in _PATTERNS[lang]:
        if first not in chars:
            continue
        for m in pattern.finditer(low):
            if taken[m.start()] or taken[m.end() - 1]:
                continue
            k = bisect.bisect_right(bounds, m.start())
            clause_start = bounds[k - 1] if k else 0
            j = bisect.bisect_left(bounds, m.end() + 1)
            clause_end = bounds[j] - 1 if j < len(bounds) else len(text)
            if digits[clause_end] - digits[clause_start] > 0:
                continue  # backed by data in the same clause
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            found.append(VaguePhrase(text[m.start() : m.end()], m.start(), m.end(), _TIPS[kind]("zh" if lang == "zh" else "en"), kind))
    return sorted(found, key=lambda v: v.start)


def phrases(lang: str) -> Sequence[str]:
    """Every phrase of ``lang``, for documentation."""
    return [p for group in VAGUE_PHRASES[lang].values() for p in group]

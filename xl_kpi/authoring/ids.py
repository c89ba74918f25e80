"""Readable ASCII ids for what HR names in Chinese or English: 销售额完成率 → ``xiao_shou_e_wan_cheng_lv``,
"Sales completion rate" → ``sales_completion_rate``. The same name always gives the same id, so a
re-imported table keeps its ids (and the workbooks issued from it keep matching)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slug", "unique_ids"]

MAX_LEN = 40


def slug(name: str) -> str:
    """An id (``[a-z][a-z0-9_]*``, at most 40 characters) from a name, or "" when none can be made."""
    from pypinyin import lazy_pinyin  # a maintained pinyin table: what makes Chinese names readable as ASCII

    words: list[str] = []
    for piece in lazy_pinyin(unicodedata.normalize("NFKC", name)):  # one syllable per Chinese character
        ascii_piece = unicodedata.normalize("NFKD", piece).encode("ascii", "ignore").decode().lower()
        words += [w for w in re.split(r"[^a-z0-9]+", ascii_piece) if w]
    text = "_".join(words)
    text = re.sub(r"_+", "_", text).strip("_")
    while len(text) > MAX_LEN and "_" in text:
        text = text[: text.rfind("_")]
    text = text[:MAX_LEN].strip("_")
    if text and not text[0].isalpha():
        text = f"k{text}"[:MAX_LEN]
    return text


def unique_ids(names: list[str], given: list[str] | None = None, prefix: str = "k") -> list[str]:
    """An id per name: the given id if any, else the name's slug (``k1``… when it has none),
    ``_2``, ``_3`` on repeats — deterministic, so re-importing gives the same ids."""
    given = given or [""] * len(names)
    taken: set[str] = {g for g in given if g}
    out: list[str] = []
    for k, (name, own) in enumerate(zip(names, given)):
        if own:
            out.append(own)
            continue
        base = slug(name) or f"{prefix}{k + 1}"
        candidate, n = base, 2
        while candidate in taken:
            candidate = f"{base[: MAX_LEN - 3]}_{n}"
            n += 1
        taken.add(candidate)
        out.append(candidate)
    return out

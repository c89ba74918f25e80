"""The review texts' checks (vague phrases, the goal review's SMART gaps) for a return, remembered per distinct text.

Returns repeat texts: the supervisor's standard comment, a template's example left in place, a text copied from a
colleague. The checks are a function of the text and its field alone, so each distinct text is checked once per
reader (:class:`~.caches.ReaderCache`) and its findings — frozen objects — are shared; the findings come in the order
:func:`~xl_kpi.advice.review.review_findings` gives them. Long texts (rarely the same twice) are checked each time.
"""

from __future__ import annotations

from collections.abc import Callable

from ..advice.review import smart_findings, vague_findings
from ..core.findings import Finding
from .caches import Bounded

__all__ = ["review_findings_of"]

KEPT_CHARS = 512  # texts up to this long are remembered (the cache holds 4,096: ~8 MB at most)


def review_findings_of(texts: dict[str, str], known: Bounded[tuple[str, str, str], tuple[Finding, ...]]) -> list[Finding]:
    """What :func:`~xl_kpi.advice.review.review_findings` finds in ``texts``, each text's checked once per ``known``."""
    out: list[Finding] = []
    for key, text in texts.items():
        out += _checked(("vague", key, text), known, vague_findings, key, text)
    return out + list(_checked(("smart", "", goal := texts.get("goal_review", "")), known, smart_findings, goal))


def _checked(key: tuple[str, str, str], known: Bounded[tuple[str, str, str], tuple[Finding, ...]],
             check: Callable[..., list[Finding]], *args: str) -> tuple[Finding, ...]:
    found = known.get(key)
    if found is None:
        found = tuple(check(*args))
        if len(key[2]) <= KEPT_CHARS:
            known.put(key, found)
    return found

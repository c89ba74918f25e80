"""The review texts' checks in consolidation, remembered per distinct text: a return finds in its texts exactly what
checking them afresh finds, in the same order, whatever the reader checked before."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xl_kpi.advice.review import review_findings
from xl_kpi.consolidation.caches import ReaderCache
from xl_kpi.consolidation.review_texts import KEPT_CHARS, review_findings_of
from xl_kpi.demo import REVIEWS, VAGUE_REVIEW

FIELDS = ("goal_review", "key_actions", "results", "gaps", "comment")
# Texts people write: the demo's, vague ones, figures backing a phrase, blanks, English, and one far too long to keep.
TEXTS = [*REVIEWS.values(), *VAGUE_REVIEW.values(), "", "   ", "同意自评。", "效率极大提升30%", "业绩极大提升,客户满意度显著提高。",
         "Worked hard and made great progress.", "Improve quality.", "继续努力。" * 200, "Q3 sales 120% of target by 30 Sep."]


def _as_seen(findings):
    return [(f.code, f.field, f.message.zh, f.message.en) for f in findings]


@given(st.lists(st.fixed_dictionaries({}, optional={k: st.sampled_from(TEXTS) | st.text(max_size=40) for k in FIELDS}),
                min_size=1, max_size=12))
def test_each_return_finds_what_a_fresh_check_finds_whatever_was_read_before(returns):
    known = ReaderCache().reviews  # one reader, many returns: texts repeat across them
    for texts in returns:
        assert _as_seen(review_findings_of(texts, known)) == _as_seen(review_findings(texts))


def test_a_text_repeated_across_returns_is_checked_once_and_a_long_one_each_time():
    known = ReaderCache().reviews
    first = review_findings_of(dict(VAGUE_REVIEW), known)
    again = review_findings_of(dict(VAGUE_REVIEW), known)
    assert again == first and all(a is b for a, b in zip(again, first))  # the findings are frozen: shared, not copied
    long = {"results": "业绩极大提升。" * (KEPT_CHARS // 7 + 1)}
    assert review_findings_of(long, known) == review_findings(long)
    assert ("vague", "results", long["results"]) not in known

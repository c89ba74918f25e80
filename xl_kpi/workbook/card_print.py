"""How a person's scorecard prints: a form on A4 that people can read and sign.

The printed columns are sized from the text they show in the sheet's language, then narrowed
(the long texts wrap) until the form fits the paper's width at :data:`MIN_SCALE` or more, so
10-point text prints at 7 points or larger (a word box of 9 points); portrait unless even the
narrowest columns need landscape, and then the long texts widen into the spare width, so the
card takes fewer pages. The rows between the blocks are thin spacers, the chart and the scoring parameters stay
on screen (outside the print area), and a block that would start in the last lines of a page moves
to the next one (:class:`~xl_kpi.sheet.printing.PageBreaks`).
"""

from __future__ import annotations

import math
import re

from ..sheet.person import PersonLayout
from ..sheet.printing import A4_PRINTABLE, WIDEST, column_points, fit_width
from ..spec.model import Indicator, Spec
from .labels import label

__all__ = ["MIN_SCALE", "AIM_SCALE", "WIDEST", "SPACER_POINTS", "WIDTH_BOUNDS", "column_widths", "landscape", "spacer_rows", "content_rows",
           "one_page"]

MIN_SCALE = 0.70  # the smallest print scale a card is laid out for: 10-point text prints at 7 points (a word box of 9.1 pt) or more
AIM_SCALE = 0.74  # the scale the long-text columns narrow for (a word box of 9.6 pt), as far as their words let them
SPACER_POINTS = 6.0  # the height of a blank row between two blocks
# Width bounds per column (characters): low, high. The width within them fits the content in the sheet's language;
# the columns of long text (NARROWED) give up width first, down to their low, when the form is wider than the paper.
WIDTH_BOUNDS = {"NO": (5, 16), "INDICATOR": (9, 16), "DEFINITION": (9, 18), "UNIT": (4, 8), "TARGET": (6, 9), "WEIGHT": (5, 7),
                "STANDARD": (16, 30), "ACTUAL": (7, 10), "SCORE": (6, 7), "WEIGHTED": (6, 9), "PROGRESS": (6, 8), "SOURCE": (6, 12)}
RATER_BOUNDS = (5, 10)
WIDEST_TEXT = 60  # a long-text column grows to at most this many characters on landscape paper
NARROWED = ("STANDARD", "DEFINITION", "INDICATOR", "SOURCE")


def _header_fit(header: str) -> str:
    """The part of a column heading that sets the column's width: a heading wraps to two lines at a space
    (or anywhere in Chinese), so its longest word, or half of it."""
    if not header.isascii():
        return header[: max(1, len(header) // 2 + len(header) % 2)] if len(header) >= 3 else header
    return max(header.split(), key=len) if " " in header else header


def _shown(ind: Indicator) -> str:
    """A target as its cell shows it (:func:`~xl_kpi.workbook.styles.number_format`)."""
    t = ind.target
    if not isinstance(t, (int, float)) or isinstance(t, bool):
        return str(t or "")
    return f"{t:.1%}" if ind.is_percent else f"{t:.0f}" if ind.is_count else f"{t:g}"


def column_widths(spec: Spec, layout: PersonLayout, lang: str, font: str | None = None) -> tuple[dict[int, float], bool]:
    """Each column's width from what it shows in this language: labels, names, values, headers; the
    long texts wrap within their bounds, and narrow further when the form would print too small.
    ``font`` is the language of the workbook's font (the sheet's language unless a department's workbook
    holds it). Returns the widths and whether the form prints landscape."""
    font = font or lang
    c = layout.col
    L = lambda key: label(key, lang)  # noqa: E731
    inds = spec.indicators
    content: dict[str, list[str]] = {
        # the first column holds the row labels of every block (they wrap), the grades and the raters (they do not)
        "NO": [_header_fit(L(k)) for k in ("name", "position", "responsibilities", *layout.REVIEW_KEYS, "comment")] +
              [g.label for g in spec.grades] + [r.name for r in spec.raters],
        "INDICATOR": [i.name for i in inds],
        "DEFINITION": [i.definition for i in inds],
        "UNIT": [i.unit for i in inds],
        "TARGET": [_shown(i) for i in inds],
        "WEIGHT": ["100%"],
        "STANDARD": [i.describe(lang) for i in inds],
        "ACTUAL": ["105.0%"],
        "SCORE": ["100.00"],
        "WEIGHTED": ["100.00"],
        "PROGRESS": ["100%"],
        "SOURCE": [i.source for i in inds],
    }
    widths: dict[int, float] = {}
    for key, (low, high) in WIDTH_BOUNDS.items():
        header = L({"NO": "no"}.get(key, key.lower()))
        widths[getattr(c, key)] = fit_width(content[key] + [_header_fit(header)], low, high)
    entries = ["A" if all(i.takes_label for i in inds if i.rated) else "100"]
    for k, rater in enumerate(spec.raters):
        widths[c.rater(k)] = fit_width([_header_fit(rater.name)] + entries, *RATER_BOUNDS)
    floors = {key: max(low, fit_width(_words(content[key]), 0, high, pad=1)) if lang == "en" else low
              for key, (low, high) in WIDTH_BOUNDS.items()}  # an English word is not broken
    wide = landscape(widths, layout, font, floors)
    _narrow(widths, layout, wide, font, floors)
    if wide:  # landscape has width to spare: the long texts take it, in fewer lines, so the card takes fewer pages
        _widen(widths, layout, font, {getattr(c, key): fit_width(content[key], 0, WIDEST_TEXT) for key in NARROWED})
    for col in range(c.PARAMS, layout.last_col + 1):
        widths[col] = 8
    for k in range(c.events):  # several kinds of event counted on a row: each kind's name, and its count (an input)
        widths[c.event_name(k)], widths[c.event_count(k)] = 18, 8
    return widths, wide


def _printed_points(widths: dict[int, float], layout: PersonLayout) -> float:
    return sum(column_points(widths[k]) for k in range(layout.col.NO, layout.col.LAST_TABLE + 1))


def _words(texts: list[str]) -> list[str]:
    """The pieces a line of English text may break between: at spaces, and after a hyphen or a slash."""
    return [word for text in texts for word in re.split(r"\s+|(?<=[-/])", str(text)) if word]


def landscape(widths: dict[int, float], layout: PersonLayout, lang: str, floors: dict[str, float] | None = None) -> bool:
    """Landscape when the printed columns, narrowed as far as they go, are too wide for portrait at :data:`MIN_SCALE`."""
    c = layout.col
    narrowest = dict(widths)
    for key in NARROWED:
        narrowest[getattr(c, key)] = min(widths[getattr(c, key)], (floors or {}).get(key, WIDTH_BOUNDS[key][0]))
    return _printed_points(narrowest, layout) > A4_PRINTABLE["portrait"][0] / MIN_SCALE / WIDEST[lang]


def _narrow(widths: dict[int, float], layout: PersonLayout, wide: bool, lang: str, floors: dict[str, float]) -> None:
    """Narrow the long-text columns (each in proportion to what it has above its floor) until the form prints at
    :data:`AIM_SCALE`, or as near as their floors let it."""
    limit = A4_PRINTABLE["landscape" if wide else "portrait"][0] / AIM_SCALE / WIDEST[lang]
    over = _printed_points(widths, layout) - limit
    cols = {getattr(layout.col, key): floors[key] for key in NARROWED}
    slack = {col: widths[col] - low for col, low in cols.items() if widths[col] > low}
    room = sum(column_points(widths[col]) - column_points(cols[col]) for col in slack)
    if over <= 0 or not room:
        return
    share = min(1.0, over / room)
    for col, extra in slack.items():
        widths[col] = max(cols[col], math.floor(widths[col] - extra * share))


def _widen(widths: dict[int, float], layout: PersonLayout, font: str, needs: dict[int, float]) -> None:
    """Widen the long-text columns (each in proportion to what its longest text still lacks, up to that text's width)
    while the form prints at :data:`AIM_SCALE` or more on landscape paper."""
    room = A4_PRINTABLE["landscape"][0] / AIM_SCALE / WIDEST[font] - _printed_points(widths, layout)
    lacks = {col: needs[col] - widths[col] for col in needs if needs[col] > widths[col]}
    total = sum(lacks.values())
    if room <= 0 or not total:
        return
    share = min(1.0, room / (total * 7 * 0.75))  # points per character of width
    for col, lack in lacks.items():
        widths[col] = math.floor(widths[col] + lack * share)


def content_rows(layout: PersonLayout) -> set[int]:
    """The rows of the printed form that hold a block (every other row up to the last printed block is a spacer)."""
    return {r for block in layout.blocks if block.printed for r in block.content(layout)}


def spacer_rows(layout: PersonLayout) -> list[int]:
    """The blank rows between the form's blocks (the row above the table keeps its height: on screen it
    labels the scoring parameters to the right)."""
    filled = content_rows(layout) | {layout.HEADER_ROW - 1}
    return [r for r in range(layout.TITLE_ROW, layout.last_form_row + 1) if r not in filled]


def one_page(heights: dict[int, float], last_row: int, wide: bool, default: float = 15.0) -> bool:
    """Whether the form's rows (``heights`` set, ``default`` otherwise) fit one page at :data:`MIN_SCALE`:
    then it prints fitted to one page, in every application."""
    total = sum(heights.get(r, default) for r in range(last_row + 1))
    return total <= A4_PRINTABLE["landscape" if wide else "portrait"][1] / MIN_SCALE

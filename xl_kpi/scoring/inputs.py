"""Read everything people type into a card — actuals, raters' inputs, adjustment counts, veto marks —
one way, for ``xl-kpi score``, the API and consolidation alike, and say where the sheet's own
formulas read the same cell otherwise.

Counts are whole numbers of times, 0 or more: ``4``, ``4次``, ``四``, ``４`` are all 4 (read and
noted); ``1.5``, ``-1`` and words are findings, and the card's total stays blank until they are
corrected — a guess never reaches a total or a payout. Veto marks are yes (是 有 Y Yes √ ✓ ✔ ☑,
the drop-down's 是/Yes), no (否 无 没有 N No × ✗ 0, or blank), or a finding that leaves the total
blank: whether the card is vetoed is then unknown.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text
from ..spec.model import COUNT_UNITS, VETO_MARKS, Indicator, Spec
from .engine import CardInputs, is_blank
from .normalize import Normalised, chinese_whole_number, how_read, normalise_actual, normalise_finding, parse_number

__all__ = ["YES_MARKS", "NO_MARKS", "read_count", "read_mark", "sheet_count", "sheet_mark", "sheet_differences", "Reading",
           "read_card", "Where"]

YES_MARKS = VETO_MARKS  # the sheet's veto formula knows every one (是/Yes: the drop-down)
NO_MARKS = ("否", "无", "没有", "不是", "N", "No", "×", "✗", "0")
_YES = frozenset(m.casefold() for m in YES_MARKS)
_NO = frozenset(m.casefold() for m in NO_MARKS)
_COUNT_WORDS = tuple(sorted({*COUNT_UNITS, "人次", "回", "例次", "x", "×"}, key=len, reverse=True))  # 4次, 3 times
_SPACES = " \u00a0\u3000\t\r\n"

Where = Callable[[str], Mapping[str, str]]  # an input's key ("actual:<id>", "rating:<id>:<rater>", "adj:<id>", "veto:<id>") → location


def read_count(raw: Any) -> Normalised:
    """An adjustment count as typed: blank is 0 times; else a whole number ≥ 0 (errors: ``not-a-number``,
    ``not-whole``, ``negative``, ``boolean``, ``not-finite``)."""
    if is_blank(raw):
        return Normalised(0.0)
    if isinstance(raw, bool):
        return Normalised(None, error="boolean")
    notes: list[str] = []
    if isinstance(raw, (int, float)):
        value: float | None = float(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip(_SPACES)
        if text != raw:
            notes.append("full-width" if unicodedata.normalize("NFKC", raw) != raw else "spaces")
        for word in _COUNT_WORDS:
            if text.casefold().endswith(word.casefold()) and len(text) > len(word):
                text = text[: -len(word)].strip(_SPACES)
                notes.append("unit-suffix")
                break
        value, found = parse_number(text)
        notes += [n for n in found if n not in notes]
        if value is None and (whole := chinese_whole_number(text)) is not None:
            value = float(whole)
            notes.append("chinese-numeral")
        if value is not None and "percent-text" in notes:
            return Normalised(None, tuple(notes), error="not-a-number")
    else:
        value = None
    if value is None:
        return Normalised(None, tuple(notes), error="not-a-number")
    if not math.isfinite(value):
        return Normalised(None, tuple(notes), error="not-finite")
    if value < 0:
        return Normalised(value, tuple(notes), error="negative")
    if value != math.floor(value):
        return Normalised(value, tuple(notes), error="not-whole")
    return Normalised(value, tuple(notes))


def read_mark(raw: Any) -> Normalised:
    """A veto mark as typed: ``True`` (applied), ``False`` (not: blank included), or the error ``unknown-mark``."""
    if is_blank(raw):
        return Normalised(False)
    if isinstance(raw, bool):
        return Normalised(None, error="unknown-mark")
    if isinstance(raw, (int, float)):
        return Normalised(False) if raw == 0 else Normalised(None, error="unknown-mark")
    text = unicodedata.normalize("NFKC", str(raw)).strip(_SPACES)
    notes: tuple[str, ...] = () if text == raw else ("spaces",)
    key = text.casefold()
    if key in _YES:
        return Normalised(True, notes)
    if key in _NO:
        return Normalised(False, notes)
    return Normalised(None, notes, error="unknown-mark")


def _excel_trim(text: str) -> str:
    """Excel's TRIM: ASCII spaces removed at both ends and runs of them made one."""
    return " ".join(part for part in text.split(" ") if part)


def sheet_mark(raw: Any, marks: tuple[str, ...] = VETO_MARKS) -> bool:
    """Whether the sheet's veto formula counts the cell as marked (``TRIM(x)="是"`` and the other ``marks``
    its version knows; text comparison ignores case)."""
    return isinstance(raw, str) and _excel_trim(raw).casefold() in {m.casefold() for m in marks}


def sheet_count(raw: Any) -> float:
    """A count as the sheet's formula reads it: a number as it is, anything else 0."""
    return float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw) else 0.0


@dataclass(frozen=True)
class Reading:
    """A card's typed inputs, read: the values to score, every finding, and whether any input could not be read."""

    inputs: CardInputs
    findings: list[Finding]
    unusable: bool  # some input cannot be read: the person is not ok


def _count_finding(name: str, raw: Any, norm: Normalised, where: Mapping[str, str]) -> Finding | None:
    if norm.error:
        reason = {"negative": Text("(次数不能为负)", " (a count cannot be negative)"),
                  "not-whole": Text("(次数应为整数)", " (a count is a whole number)")}.get(norm.error, "")
        return finding("invalid-count", **where, item=name, value=_shown(raw), reason=reason)
    if norm.notes and isinstance(raw, str):
        return finding("normalised-actual", **where, indicator=name, value=_shown(raw), normalised=f"{norm.value:g}",
                       how=how_read(norm.notes))
    return None


def _shown(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    return repr(raw) if isinstance(raw, str) else str(raw)


def read_card(spec: Spec, typed: CardInputs, where: Where, names: Mapping[str, str] | None = None,
              missing: bool = True, percent_cells: Collection[str] = (), skip: Collection[str] = ()) -> Reading:
    """Read every input of a card as typed (``typed``'s values as they were entered) with its findings.

    ``where`` gives each input's location (a cell, or a table's line); ``names`` the names messages use
    (indicator and item ids → names; the spec's own names by default). ``missing`` reports blank
    actuals and ratings (``missing-actual``). ``percent_cells`` are the inputs typed in a cell formatted
    as a percentage: read as typed. ``skip`` are inputs that are not this card's to give (another rater's,
    issued in their own workbook): not read, blank.
    """
    names = names or {}
    found: list[Finding] = []
    unusable = False

    def one(ind: Indicator, raw: Any, key: str) -> Any:
        nonlocal unusable
        if key in skip:
            return None
        norm = normalise_actual(ind, raw, key in percent_cells)
        if norm.error or norm.notes:  # else used as typed, the common case: nothing to say, no location looked up
            note = normalise_finding(ind, raw, norm, names.get(ind.id, ind.name), **where(key))
            if note is not None:
                found.append(note)
        if norm.error:
            unusable = True
            return None
        if norm.value is None and missing:
            found.append(finding("missing-actual", **where(key), indicator=names.get(ind.id, ind.name)))
        return norm.value

    def event_counts(ind: Indicator, given: Any) -> dict[str, Any]:
        """Each kind of event's count: a whole number ≥ 0; blank or unreadable leaves the indicator's score blank."""
        nonlocal unusable
        raw_counts = given if isinstance(given, Mapping) else {}
        out: dict[str, Any] = {}
        for event in ind.events:
            key = f"event:{ind.id}:{event.id}"
            raw, name = raw_counts.get(event.id), names.get(ind.id, ind.name)
            if key in skip:
                out[event.id] = None
                continue
            norm = None if is_blank(raw) else read_count(raw)
            if norm is None:
                if missing:
                    found.append(finding("missing-event-count", **where(key), indicator=name, event=event.name))
            elif norm.error:
                unusable = True
                reason = {"negative": Text("(次数不能为负)", " (a count cannot be negative)"),
                          "not-whole": Text("(次数应为整数)", " (a count is a whole number)")}.get(norm.error, "")
                found.append(finding("invalid-event-count", **where(key), indicator=name, event=event.name, value=_shown(raw), reason=reason))
            elif norm.notes and isinstance(raw, str):
                found.append(finding("normalised-actual", **where(key), indicator=f"{name} · {event.name}", value=_shown(raw),
                                     normalised=f"{norm.value:g}", how=how_read(norm.notes)))
            out[event.id] = None if norm is None or norm.error else norm.value
        return out

    actuals: dict[str, Any] = {}
    ratings: dict[str, dict[str, Any]] = {}
    for ind in spec.indicators:
        if ind.counts_events:
            actuals[ind.id] = event_counts(ind, typed.actuals.get(ind.id))
        elif ind.rated:
            given = typed.ratings.get(ind.id) or {}
            ratings[ind.id] = {r: one(ind, given.get(r), f"rating:{ind.id}:{r}") for r in ind.raters}
        else:
            actuals[ind.id] = one(ind, typed.actuals.get(ind.id), f"actual:{ind.id}")
    counts: dict[str, Any] = {}
    unreadable: set[str] = set()
    for item in spec.adjustments.items if spec.adjustments else ():
        if f"adj:{item.id}" in skip:
            continue
        raw = typed.adjustments.get(item.id)
        norm = read_count(raw)
        note = _count_finding(names.get(item.id, item.name), raw, norm, where(f"adj:{item.id}"))
        if note is not None:
            found.append(note)
        if norm.error:
            unreadable.add(f"adj:{item.id}")
        counts[item.id] = 0.0 if norm.error else norm.value
    marks: dict[str, Any] = {}
    for veto in spec.veto:
        if f"veto:{veto.id}" in skip:
            continue
        raw = typed.veto.get(veto.id)
        norm = read_mark(raw)
        if norm.error:
            unreadable.add(f"veto:{veto.id}")
            found.append(finding("invalid-mark", **where(f"veto:{veto.id}"), item=names.get(veto.id, veto.name), value=_shown(raw),
                                 yes=Text("是", "Yes"), no=Text("否", "No")))
        marks[veto.id] = YES_MARKS[0] if norm.value is True else None
    inputs = CardInputs(actuals, ratings, counts, marks, typed.bonus_base, frozenset(unreadable))
    return Reading(inputs, found, unusable or bool(unreadable))


def _sheet_input(ind: Indicator, raw: Any) -> Any:
    """An actual or a rating as the score formulas read it: a number as it is (``ISNUMBER``), a level
    by ``TRIM`` and case (``TRIM(x)="A"``); anything else is blank to them."""
    if ind.takes_label:
        if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            return None
        text = _excel_trim(str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)).casefold()
        return next((label for label, _ in ind.method.choices(ind) or () if label.casefold() == text), None)
    return float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw) else None


def _score_or_none(ind: Indicator, value: Any) -> float | None:
    try:
        return None if value is None else ind.method.score(ind, value)
    except (TypeError, ValueError):
        return None


def sheet_differences(spec: Spec, typed: CardInputs, read: CardInputs, where: Where, marks: tuple[str, ...] = VETO_MARKS,
                      names: Mapping[str, str] | None = None) -> list[Finding]:
    """Every input the sheet's formulas read otherwise than consolidation does (text the formulas cannot
    use, a percentage typed without its sign, a count typed with its unit, a mark the formula does not
    know): a finding naming the cell, so the sheet and the results never disagree in silence. ``marks``
    are those the workbook's own veto formula knows (its format version's)."""
    names = names or {}
    out: list[Finding] = []

    def differ(key: str, name: str, raw: Any, sheet: Any, ours: Any, shown: Callable[[Any], str | Text]) -> None:
        blank = Text("空白", "blank")
        out.append(finding("sheet-reads-otherwise", **where(key), what=name, value=_shown(raw),
                           on_sheet=blank if sheet is None else shown(sheet), read=blank if ours is None else shown(ours)))

    for ind in spec.indicators:
        if ind.counts_events:  # a count typed as text (4次): the sheet's formula leaves the score blank, we read 4
            given, ours_all = typed.actuals.get(ind.id) or {}, read.actuals.get(ind.id) or {}
            for event in ind.events:
                raw, ours = given.get(event.id), ours_all.get(event.id)
                if ours is not None and not (type(raw) in (int, float) and raw == ours):
                    differ(f"event:{ind.id}:{event.id}", f"{names.get(ind.id, ind.name)} · {event.name}", raw, _sheet_input(ind, raw),
                           ours, lambda v: f"{v:g}")
            continue
        show = ind.show if not ind.takes_label else str
        pairs = ([(f"rating:{ind.id}:{r}", (typed.ratings.get(ind.id) or {}).get(r), (read.ratings.get(ind.id) or {}).get(r))
                  for r in ind.raters] if ind.rated else [(f"actual:{ind.id}", typed.actuals.get(ind.id), read.actuals.get(ind.id))])
        for key, raw, ours in pairs:
            if ours is None or (type(raw) in (int, float, str) and raw == ours):
                continue  # blank, or not read (reported as such); or used as typed, as the sheet uses it
            sheet = _sheet_input(ind, raw)
            if _score_or_none(ind, sheet) != _score_or_none(ind, ours):
                differ(key, names.get(ind.id, ind.name), raw, sheet, ours, show)
    for item in spec.adjustments.items if spec.adjustments else ():
        key = f"adj:{item.id}"
        raw = typed.adjustments.get(item.id)
        if key not in read.unreadable and sheet_count(raw) != read.adjustments.get(item.id, 0.0):
            differ(key, names.get(item.id, item.name), raw, sheet_count(raw), read.adjustments.get(item.id, 0.0), lambda v: f"{v:g}")
    for veto in spec.veto:
        key = f"veto:{veto.id}"
        raw = typed.veto.get(veto.id)
        ours = read.veto.get(veto.id) is not None
        if key not in read.unreadable and sheet_mark(raw, marks) != ours:
            differ(key, names.get(veto.id, veto.name), raw, sheet_mark(raw, marks), ours, lambda v: Text("是", "yes") if v else Text("否", "no"))
    return out

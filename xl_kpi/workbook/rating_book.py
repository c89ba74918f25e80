"""A rater's own workbook: a team rating sheet per template, one row per person they rate.

The supervisor rates their whole team side by side (the rated indicators, the adjustment counts,
the veto marks and the comment), the reviewer the people they review (with the supervisor's
ratings beside, read-only, when built from the employees' returns), a peer the colleagues they
rate. Validated like the scorecard (levels from a drop-down that lists their meaning, whole counts,
是/否 marks), protected, in the spec's language, printing A4 landscape as a rating sheet with the
standards and a sign-off. Its hidden metadata (layout ``rater``) names the rater, their role and
the people covered; consolidation reads each person's inputs on the row holding their id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..core.protection import Protection
from ..core.refs import a1
from ..sheet.metadata import metadata_rows
from ..sheet.printing import fit_width, page_setup, row_height
from ..sheet.rating_layout import RatingColumn, RatingLayout
from ..spec.model import Indicator, Person, Spec
from ..spec.raters import PriorCard, RaterRef
from .book import ScorecardWorkbook
from .build import _finish, _new_workbook, _sheet_name, _write_metadata
from .labels import label
from .rating_form import legend, signoff, word
from .styles import MISSING_FILL, Styles, number_format
from .validation import actual_validation, count_validation, veto_validation

__all__ = ["RatingBook", "Rated", "write_rating_book", "RATING_FOLDER", "ROLE_WORDS"]

RATING_FOLDER = {"zh": "评分表", "en": "ratings"}
ROLE_WORDS = {"supervisor": ("上级评分", "Supervisor's rating"), "reviewer": ("复核评分", "Reviewer's rating"),
              "peer": ("同事互评", "Peer rating")}
@dataclass(frozen=True)
class Rated:
    """One person on a rating sheet: their template, what they reported (when built from their returns) and
    the rater's inputs to pre-fill (simulations, re-issues), by input key (``rating:<id>:<rater>``, ``adj:<id>``,
    ``veto:<id>``, ``comment``)."""

    person: Person
    spec: Spec
    prior: PriorCard | None = None
    filled: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RatingBook:
    """One rater's workbook: who, in which role, and the people they rate (each with their own spec and,
    when built from the employees' returns, what the person reported)."""

    rater: RaterRef
    role: str
    members: tuple[Rated, ...]
    lang: str
    period: str = ""
    shown: tuple[str, ...] = ()  # rater ids (of each template) shown beside, read-only: the reviewer sees the supervisor's

    def by_template(self) -> list[tuple[Spec, list[Rated]]]:
        """The members grouped by template, in order of first appearance (one sheet each)."""
        groups: dict[str, list[Rated]] = {}
        for member in self.members:
            groups.setdefault(member.person.template, []).append(member)
        return [(members[0].spec, members) for members in groups.values()]


def _header(col: RatingColumn, spec: Spec, lang: str) -> str:
    """A column's header text."""
    parts = col.key.split(":")
    if col.group == "person":
        return label(parts[1], lang)
    if col.key == "status":
        return word("status", lang)
    if col.key == "comment":
        return label("comment", lang)
    if col.key == "prior:review":
        return word("review", lang)
    if parts[0] == "prior" and parts[1] == "actual":
        ind = spec.indicator(parts[2])
        return f"{ind.name}\n{word('actual', lang)}"
    if parts[0] == "prior":  # prior:rating:<ind>:<rater>
        ind, rater = spec.indicator(parts[2]), spec.rater(parts[3])
        return f"{ind.name}\n{rater.name}"
    if parts[0] == "rating":
        ind = spec.indicator(parts[1])
        same_role = [r for r in ind.raters if spec.rater(r).role == spec.rater(parts[2]).role]
        return f"{ind.name}\n{spec.rater(parts[2]).name}" if len(same_role) > 1 else ind.name
    if parts[0] == "adj":
        item = next(i for i in (spec.adjustments.items if spec.adjustments else ()) if i.id == parts[1])
        return f"{item.name}\n(每次{item.points:+g}分)" if lang == "zh" else f"{item.name}\n({item.points:+g} each)"
    return next(v.name for v in spec.veto if v.id == parts[1])


def _prior_value(col: RatingColumn, spec: Spec, prior: PriorCard | None) -> str | float | None:
    """What the employee reported, for a read-only column (as the scorecard shows it: 105%, 11个)."""
    if prior is None:
        return None
    parts = col.key.split(":")
    if col.key == "prior:review":
        keys = ("goal_review", "key_actions", "results", "gaps")
        texts = [f"{label(k, spec.language)}:{prior.review[k]}" if spec.language == "zh" else f"{label(k, 'en')}: {prior.review[k]}"
                 for k in keys if prior.review.get(k)]
        return "\n".join(texts) or None
    if parts[1] == "actual":
        value = prior.actuals.get(parts[2])
        ind = spec.indicator(parts[2])
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not ind.takes_label:
            return ind.show(float(value))
        return None if value is None or value == "" else str(value)
    value = (prior.ratings.get(parts[2]) or {}).get(parts[3])
    return None if value is None or value == "" else str(value)


def _widths(layout: RatingLayout, spec: Spec, lang: str, members: Sequence[Rated]) -> dict[int, float]:
    people = [m.person for m in members]
    out: dict[int, float] = {}
    for col in layout.columns:
        head = _header(col, spec, lang)
        if col.key == "person:no":
            out[col.col] = 5
        elif col.group == "person":
            field = col.key.split(":")[1]
            out[col.col] = fit_width([head] + [getattr(p, field) for p in people], 7, 16)
        elif col.key in ("comment", "prior:review"):
            out[col.col] = 34
        elif col.key == "status":
            out[col.col] = fit_width([head, word("done", lang)], 8, 12)
        else:
            out[col.col] = fit_width(head.split("\n"), 7, 14)
    return out


def write_rating_book(target: Path, book: RatingBook, password: str = "", sign_key: bytes | None = None,
                      generator: str = "xl-kpi") -> list[list[str]]:
    """Write the rater's workbook to ``target``; returns its metadata rows (for the register). Each member's spec
    is their template: ratings are read by the template's rules whatever the person's own targets."""
    lang = book.lang
    tmp = target.with_name(f".{target.name}.tmp")
    wb = _new_workbook(tmp, lang)
    styles = Styles(wb)
    taken: set[str] = set()
    people_rows: list[tuple[str, Person, Spec, Mapping[str, Any], Protection]] = []
    specs: dict[str, Spec] = {}
    first_ws: Worksheet | None = None
    for spec, members in book.by_template():
        name = _sheet_name((spec.position or spec.title) if len(book.by_template()) > 1 else ROLE_WORDS[book.role][lang == "en"], taken)
        ws = wb.add_worksheet(name)
        first_ws = first_ws or ws
        prior = any(m.prior is not None for m in members)
        shown = tuple(r for r in book.shown if r in {x.id for x in spec.raters}) if prior else ()
        layout = RatingLayout(spec, book.role, len(members), prior, shown)
        _write_sheet(wb, ws, styles, layout, book, members, password)
        specs.setdefault(spec.id, spec)
        protection = Protection.issued(password, {})
        for k, person in enumerate(m.person for m in members):
            # a rated colleague's bonus base and personal targets are not the rater's business: not in their file
            shown_person = Person(person.employee_id, person.name, person.department, person.position, person.manager,
                                  person.template, person.period)
            people_rows.append((name, shown_person, spec, layout.cell_map(k), protection))
    rows = metadata_rows("rater", list(specs.values()), people_rows, generator,
                         sign_key=sign_key, extra=[["rater_id", book.rater.id], ["rater_name", book.rater.name],
                                                   ["rater_role", book.role]])
    _write_metadata(wb, rows, password)
    if first_ws is not None:
        first_ws.activate()
    _finish(wb, tmp, target, password)
    return rows


def _write_sheet(wb: ScorecardWorkbook, ws: Worksheet, s: Styles, layout: RatingLayout, book: RatingBook,
                 members: Sequence[Rated], password: str) -> None:
    spec, lang = layout.spec, book.lang
    widths = _widths(layout, spec, lang, members)
    for col, width in widths.items():
        ws.set_column(col, col, width)
    ws.hide_gridlines(2)
    last = layout.last_col
    role_word = ROLE_WORDS[book.role][lang == "en"]
    ws.merge_range(layout.TITLE_ROW, 0, layout.TITLE_ROW, last, f"{spec.title} · {role_word}" if lang == "zh"
                   else f"{spec.title} · {role_word}", s.get("title"))
    ws.set_row(layout.TITLE_ROW, 28)
    _info(ws, s, layout, book, len(members))
    note = word(f"note_{book.role}", lang)
    ws.merge_range(layout.NOTE_ROW, 0, layout.NOTE_ROW, last, note, s.get("note"))
    ws.set_row(layout.NOTE_ROW, row_height([(note, sum(widths.values()))], 30))
    _headers(ws, s, layout, lang)
    for k, member in enumerate(members):
        _person_row(ws, s, layout, k, member, widths, lang)
    _validation(ws, s, layout, lang)
    legend(ws, s, layout, book.role, lang)
    signoff(ws, s, layout, lang)
    _formats(ws, s, layout)
    page_setup(ws, lang, landscape=True, area=(layout.TITLE_ROW, 0, layout.last_print_row, last),
               repeat=(layout.GROUP_ROW, layout.HEADER_ROW),
               who=(book.rater.label, role_word, book.period or spec.period, spec.title))
    ws.freeze_panes(layout.FIRST_ROW, layout.col("person:name") + 1)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True, "format_columns": True,
                          "sort": True, "autofilter": True})


def _info(ws: Worksheet, s: Styles, layout: RatingLayout, book: RatingBook, n: int) -> None:
    r, lang = layout.INFO_ROW, book.lang
    pairs = [(word("rater", lang), book.rater.label), (word("role", lang), ROLE_WORDS[book.role][lang == "en"]),
             (label("period", lang), book.period or layout.spec.period), (word("people", lang), str(n))]
    c = 0
    for key, value in pairs:
        if c + 1 > layout.last_col:
            break
        ws.write_string(r, c, key, s.get("label"))
        ws.write_string(r, c + 1, value, s.get("text"))
        c += 2
    ws.set_row(r, 20)


def _headers(ws: Worksheet, s: Styles, layout: RatingLayout, lang: str) -> None:
    groups: list[tuple[str, int, int]] = []
    for col in layout.columns:
        if groups and groups[-1][0] == col.group:
            groups[-1] = (col.group, groups[-1][1], col.col)
        else:
            groups.append((col.group, col.col, col.col))
    for group, first, last in groups:
        text = word(f"group_{group}", lang)
        style = s.get("header" if group in ("person", "prior", "status") else "group_input")
        if last > first:
            ws.merge_range(layout.GROUP_ROW, first, layout.GROUP_ROW, last, text, style)
        else:
            ws.write_string(layout.GROUP_ROW, first, text, style)
    for col in layout.columns:
        ws.write_string(layout.HEADER_ROW, col.col, _header(col, layout.spec, lang), s.get("header"))
    lines = max(len(_header(c, layout.spec, lang).split("\n")) for c in layout.columns)
    ws.set_row(layout.GROUP_ROW, 20)
    ws.set_row(layout.HEADER_ROW, 16 * max(2, lines) + 4)


def _person_row(ws: Worksheet, s: Styles, layout: RatingLayout, k: int, member: Rated, widths: Mapping[int, float],
                lang: str) -> None:
    r, spec, person, prior = layout.row(k), layout.spec, member.person, member.prior
    texts: list[tuple[str, float]] = []
    for col in layout.columns:
        if col.group == "person":
            field = col.key.split(":")[1]
            if field == "no":
                ws.write_number(r, col.col, k + 1, s.get("value"))
            else:
                ws.write_string(r, col.col, getattr(person, field) or "", s.get("value" if field == "employee_id" else "text"))
        elif col.group == "prior":
            value = _prior_value(col, spec, prior)
            style = s.get("prior_text" if col.key == "prior:review" else "prior")
            ws.write_string(r, col.col, "" if value is None else str(value), style)
            if col.key == "prior:review" and value:
                texts.append((str(value), widths[col.col]))
        elif col.key == "status":
            ratings = layout.ratings
            if not ratings:
                ws.write_string(r, col.col, "—", s.get("formula"))
                continue
            cells = ",".join(a1(r, c.col) for c in ratings)
            n = len(ratings)
            done, to_do = word("done", lang), word("to_do", lang)
            filled = sum(not _blank(member.filled.get(c.key)) for c in ratings)
            ws.write_formula(r, col.col, f'=IF(COUNTA({cells})={n},"{done}","{to_do}"&({n}-COUNTA({cells})))',
                             s.get("formula"), done if filled == n else f"{to_do}{n - filled}")
        elif col.key == "comment":
            _input(ws, r, col.col, member.filled.get("comment"), s.get("input_text"))
            if not _blank(member.filled.get("comment")):
                texts.append((str(member.filled["comment"]), widths[col.col]))
        else:
            ind = _indicator(spec, col)
            _input(ws, r, col.col, member.filled.get(col.key), s.get("input", number_format(ind) if ind and not ind.takes_label else None))
    ws.set_row(r, row_height(texts, 30) if texts else 30)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _input(ws: Worksheet, r: int, c: int, value: Any, fmt: Any) -> None:
    """An input cell, blank or pre-filled (a number as a number, anything else as text)."""
    if _blank(value):
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _indicator(spec: Spec, col: RatingColumn) -> Indicator | None:
    return spec.indicator(col.key.split(":")[1]) if col.group == "rating" else None


def _validation(ws: Worksheet, s: Styles, layout: RatingLayout, lang: str) -> None:
    first, last = layout.FIRST_ROW, layout.last_row
    spec = layout.spec
    choice_col = layout.choices_col
    for col in layout.inputs:
        if col.group == "rating":
            ind = spec.indicator(col.key.split(":")[1])
            choices = ind.method.choices(ind)
            source = None
            if choices is not None:  # the levels in hidden cells: a quote, a comma or a long list cannot break the drop-down
                for j, (level, _) in enumerate(choices):
                    ws.write_string(first + j, choice_col, level, s.get("param"))
                source = f"={a1(first, choice_col, True)}:{a1(first + len(choices) - 1, choice_col, True)}"
                ws.set_column(choice_col, choice_col, 8, None, {"hidden": True})
                choice_col += 1
            ws.data_validation(first, col.col, last, col.col, actual_validation(ind, lang, source))
        elif col.group == "adjustment":
            ws.data_validation(first, col.col, last, col.col, count_validation(label("times", lang), lang))
        elif col.group == "veto":
            ws.data_validation(first, col.col, last, col.col, veto_validation(lang))


def _formats(ws: Worksheet, s: Styles, layout: RatingLayout) -> None:
    """An empty rating cell is orange until filled; a finished row's status turns green."""
    first, last = layout.FIRST_ROW, layout.last_row
    for col in layout.ratings:
        ref = a1(first, col.col)
        ws.conditional_format(first, col.col, last, col.col, {"type": "formula", "criteria": f"=LEN(TRIM({ref}))=0",
                                                                "format": s.fill(MISSING_FILL)})
    status = layout.col("status")
    ws.conditional_format(first, status, last, status, {"type": "text", "criteria": "begins with", "value": "✓",
                                                         "format": s.fill("#C6EFCE", "#006100", bold=True)})

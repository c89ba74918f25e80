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

import datetime
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
from .styles import MISSING_FILL, Styles, number_format
from .validation import actual_validation, count_validation, veto_validation

__all__ = ["RatingBook", "Rated", "write_rating_book", "RATING_FOLDER", "ROLE_WORDS"]

RATING_FOLDER = {"zh": "评分表", "en": "ratings"}
ROLE_WORDS = {"supervisor": ("上级评分", "Supervisor's rating"), "reviewer": ("复核评分", "Reviewer's rating"),
              "peer": ("同事互评", "Peer rating")}
_W: dict[str, tuple[str, str]] = {
    "rater": ("评分人", "Rater"), "role": ("评分角色", "Role"), "people": ("人数", "People"),
    "group_person": ("被评人", "Rated"), "group_prior": ("本人填报(只读)", "As the employee reported (read-only)"),
    "group_rating": ("请评分", "Your rating"), "group_adjustment": ("加减分(次数)", "Bonus / penalty (times)"),
    "group_veto": ("一票否决", "Veto"), "group_comment": ("评语", "Comment"), "group_status": ("", ""),
    "status": ("完成情况", "Complete?"), "done": ("✓ 已评完", "✓ done"), "to_do": ("待评 ", "to rate: "),
    "review": ("自我评价", "Self-review"), "actual": ("实际", "actual"), "self": ("自评", "self"),
    "legend": ("评分标准", "How to rate"), "level": ("等级", "Level"), "score_word": ("分", " points"),
    "veto_rule": ("发生则选“是”,被评人本期总分为 0", "pick Yes if it happened: the total becomes 0"),
    "sign_rater": ("评分人签字", "Rater's signature"), "sign_hr": ("HR 确认", "HR"), "date": ("日期", "Date"),
    "signoff": ("确认签字", "Sign-off"),
    "note_supervisor": ("请在浅蓝色单元格中为每位下属评分(等级从下拉列表选择,选中单元格可看各等级的含义),填写加减分次数、一票否决和评语;"
                        "评分标准见表下方。本表只列出由您评分的人员,填好后保存并按 HR 的通知交回。",
                        "Rate each of your people in the light-blue cells (levels from the drop-down; select a cell to see what each "
                        "level means), with the bonus/penalty counts, veto marks and a comment; the standards are below the table. "
                        "Only the people you rate are listed. Save and return it as HR asks."),
    "note_reviewer": ("请在浅蓝色单元格中复核评分(等级从下拉列表选择);评分标准见表下方。填好后保存并按 HR 的通知交回。",
                      "Give your review rating in the light-blue cells (levels from the drop-down); the standards are below the "
                      "table. Save and return it as HR asks."),
    "note_peer": ("请在浅蓝色单元格中为每位同事评分(等级从下拉列表选择)。您的评分与其他同事的评分取平均,被评人看不到是谁评的。"
                  "填好后保存并按 HR 的通知交回。",
                  "Rate each colleague in the light-blue cells (levels from the drop-down). Your rating is averaged with the other "
                  "peers'; the person rated never sees who rated what. Save and return it as HR asks."),
}


def _w(key: str, lang: str) -> str:
    zh, en = _W[key]
    return zh if lang == "zh" else en


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
        return _w("status", lang)
    if col.key == "comment":
        return label("comment", lang)
    if col.key == "prior:review":
        return _w("review", lang)
    if parts[0] == "prior" and parts[1] == "actual":
        ind = spec.indicator(parts[2])
        return f"{ind.name}\n{_w('actual', lang)}"
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
            out[col.col] = fit_width([head, _w("done", lang)], 8, 12)
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
    note = _w(f"note_{book.role}", lang)
    ws.merge_range(layout.NOTE_ROW, 0, layout.NOTE_ROW, last, note, s.get("note"))
    ws.set_row(layout.NOTE_ROW, row_height([(note, sum(widths.values()))], 30))
    _headers(ws, s, layout, lang)
    for k, member in enumerate(members):
        _person_row(ws, s, layout, k, member, widths, lang)
    _validation(ws, s, layout, lang)
    _legend(ws, s, layout, book.role, lang)
    _signoff(ws, s, layout, lang)
    _formats(ws, s, layout)
    page_setup(ws, lang, landscape=True, area=(layout.TITLE_ROW, 0, layout.last_print_row, last),
               repeat=(layout.GROUP_ROW, layout.HEADER_ROW),
               who=(book.rater.label, role_word, book.period or spec.period, spec.title))
    ws.freeze_panes(layout.FIRST_ROW, layout.col("person:name") + 1)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True, "format_columns": True,
                          "sort": True, "autofilter": True})


def _info(ws: Worksheet, s: Styles, layout: RatingLayout, book: RatingBook, n: int) -> None:
    r, lang = layout.INFO_ROW, book.lang
    pairs = [(_w("rater", lang), book.rater.label), (_w("role", lang), ROLE_WORDS[book.role][lang == "en"]),
             (label("period", lang), book.period or layout.spec.period), (_w("people", lang), str(n))]
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
        text = _w(f"group_{group}", lang)
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
            done, to_do = _w("done", lang), _w("to_do", lang)
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


def _legend(ws: Worksheet, s: Styles, layout: RatingLayout, role: str, lang: str) -> None:
    """The standards of what the rater fills: each rated indicator's levels with their meaning, the
    adjustment items' points and caps, and what a veto mark does."""
    spec, last = layout.spec, layout.last_col
    r = layout.legend_title_row
    ws.write_string(r, 0, _w("legend", lang), s.get("section"))
    r += 1
    right = max(4, min(last, 12))  # the descriptions' last column
    for ind in spec.display_order:
        if not any(x in layout.raters for x in ind.raters):
            continue
        choices = ind.method.choices(ind)
        lines = [(lvl, meaning) for lvl, meaning in choices] if choices else [("", ind.describe(lang))]
        scores = {str(p.key): p.value for p in ind.method.params(ind)} if choices else {}
        _merge(ws, r, 0, r + len(lines) - 1, 1, ind.name, s.get("label"))
        for level, meaning in lines:
            points = scores.get(level)
            shown = level if points is None else f"{level}({points:g}分)" if lang == "zh" else f"{level} = {points:g}"
            ws.write_string(r, 2, shown, s.get("value"))
            _merge(ws, r, 3, r, right, meaning or "", s.get("text"))
            r += 1
    if role == "supervisor":
        for item in spec.adjustments.items if spec.adjustments else ():
            rule = (f"每次{item.points:+g}分,合计不超过{'+' if item.points > 0 else '−'}{item.max:g}分" if lang == "zh"
                    else f"{item.points:+g} each time, at most {'+' if item.points > 0 else '−'}{item.max:g} in all")
            _merge(ws, r, 0, r, 2, item.name, s.get("label"))
            _merge(ws, r, 3, r, right, rule, s.get("text"))
            r += 1
        for veto in spec.veto:
            _merge(ws, r, 0, r, 2, veto.name, s.get("label"))
            _merge(ws, r, 3, r, right, _w("veto_rule", lang), s.get("text"))
            r += 1


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, text: str, fmt: Any) -> None:
    """Text across a range (one cell when the range is one: Excel cannot merge a single cell)."""
    if (r1, c1) == (r2, c2):
        ws.write_string(r1, c1, text, fmt)
    else:
        ws.merge_range(r1, c1, r2, c2, text, fmt)


def _signoff(ws: Worksheet, s: Styles, layout: RatingLayout, lang: str) -> None:
    r = layout.signoff_title_row
    ws.write_string(r, 0, _w("signoff", lang), s.get("section"))
    for k, who in enumerate(("sign_rater", "sign_hr")):
        row = layout.signoff_row + k
        ws.set_row(row, 30)
        ws.merge_range(row, 0, row, 1, _w(who, lang), s.get("label"))
        ws.merge_range(row, 2, row, 3, "", s.get("input") if who == "sign_rater" else s.get("text"))
        ws.write_string(row, 4, _w("date", lang), s.get("label"))
        ws.write_blank(row, 5, None, s.get("input", "yyyy-mm-dd") if who == "sign_rater" else s.get("text", "yyyy-mm-dd"))
    first = layout.signoff_row
    ws.data_validation(first, 5, first, 5, {
        "validate": "date", "criteria": "between", "minimum": datetime.date(2000, 1, 1), "maximum": datetime.date(2100, 12, 31),
        "input_message": "例如 2026-07-10" if lang == "zh" else "e.g. 2026-07-10",
        "error_title": "日期无效" if lang == "zh" else "Invalid date",
        "error_message": "请输入 2000-01-01 至 2100-12-31 之间的日期。" if lang == "zh" else "Enter a date between 2000-01-01 and 2100-12-31."})


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

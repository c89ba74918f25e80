"""The KPI table: its headings, the sections' heading and subtotal rows, and a row per indicator — the
indicator, its target, weight and standard, the actual (or each rater's input, locked or awaited by role),
the score, weighted score and progress formulas, and its scoring parameters beside it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core.refs import a1, parse_a1
from ...scoring.engine import CardInputs, CardResult
from ...sheet import formulas as F
from ...sheet.person import param_count
from ...sheet.printing import row_height
from ...spec.model import Indicator
from ..card_sheet import CardSheet, blank, write_input
from ..styles import BAD_INPUT_FILL, MISSING_FILL, number_format
from ..validation import actual_validation, event_validation
from . import BlockWriter


def write(w: CardSheet) -> None:
    inputs, result = w.inputs, w.result
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    hr = layout.HEADER_ROW
    headers = [("no", c.NO), ("indicator", c.INDICATOR), ("definition", c.DEFINITION), ("unit", c.UNIT), ("target", c.TARGET),
               ("weight", c.WEIGHT), ("standard", c.STANDARD), ("actual", c.ACTUAL), ("score", c.SCORE),
               ("weighted", c.WEIGHTED), ("progress", c.PROGRESS), ("source", c.SOURCE)]
    for key, col in headers:
        ws.write_string(hr, col, w.L("row_points" if key == "weight" and spec.by_points else key), s.get("header"))
    for k, rater in enumerate(spec.raters):
        ws.write_string(hr, c.rater(k), rater.name, s.get("header"))
    shown = [(w.L(key), w.widths[col]) for key, col in headers] + [(r.name, w.widths[c.rater(k)]) for k, r in enumerate(spec.raters)]
    w.set_row(hr, row_height(shown, 30))  # every heading whole, however its column narrowed
    ws.merge_range(hr - 1, c.PARAMS, hr - 1, layout.last_col, w.L("params"), s.get("label"))
    for p in range(layout.pairs):
        ws.write_string(hr, layout.param_key(0, p)[1], f"{w.L('key')}{p + 1}", s.get("header"))
        ws.write_string(hr, layout.param_value(0, p)[1], f"{w.L('value')}{p + 1}", s.get("header"))
    for k, rater in enumerate(spec.raters):
        ws.write_string(hr, layout.rater_score_col(k), f"{rater.name}{w.L('rater_score')}", s.get("header"))
    if c.events:  # several kinds of event counted on a row: a (name, count) pair of columns each, beside the table
        ws.merge_range(hr - 1, c.event_name(0), hr - 1, c.event_count(c.events - 1), w.L("event_counts"), s.get("label"))
        for k in range(c.events):
            ws.write_string(hr, c.event_name(k), f"{w.L('event_kind')}{k + 1}", s.get("header"))
            ws.write_string(hr, c.event_count(k), f"{w.L('event_times')}{k + 1}", s.get("header"))
    for section in spec.sections:
        heading = layout.section_heading_row(section.id)
        share = f"{section.points:g}分" if section.points is not None and w.lang == "zh" else (
            f"{section.points:g} pts" if section.points is not None else f"{section.weight:.0%}")
        ws.merge_range(heading, c.NO, heading, c.LAST_TABLE, f"{section.name}({share})" if w.lang == "zh"
                       else f"{section.name} ({share})", s.get("section_row"))
        sub = layout.section_row(section.id)
        ws.merge_range(sub, c.NO, sub, c.SCORE - 1, f"{section.name}{w.L('subtotal')}" if w.lang == "zh"
                       else f"{section.name} {w.L('subtotal')}", s.get("subtotal_label"))
        ws.write_formula(sub, c.SCORE, w.formula(sub, c.SCORE), s.get("subtotal", "0.00"),
                         blank(result.sections.get(section.id)))
    for i, ind in enumerate(spec.display_order):
        indicator_row(w, i, ind, inputs, result)


def indicator_row(w: CardSheet, i: int, ind: Indicator, inputs: CardInputs, result: CardResult) -> None:
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    r = layout.row(i)
    fmt = number_format(ind)
    counted = [(ind.method.summary(ind, {e.id: 99 for e in ind.events}), w.widths[c.ACTUAL])] if ind.counts_events else []  # type: ignore[attr-defined]
    w.set_row(r, row_height([(ind.name, w.widths[c.INDICATOR]), (ind.definition, w.widths[c.DEFINITION]),
                             (ind.describe(w.lang), w.widths[c.STANDARD]), (ind.source, w.widths[c.SOURCE]), *counted], 30))
    ws.write_number(r, c.NO, i + 1, s.get("value"))
    ws.write_string(r, c.INDICATOR, ind.name, s.get("text"))
    ws.write_string(r, c.DEFINITION, ind.definition, s.get("text"))
    ws.write_string(r, c.UNIT, ind.unit, s.get("value"))
    if isinstance(ind.target, (int, float)):
        ws.write_number(r, c.TARGET, ind.target, s.get("value", fmt))
    else:
        ws.write_string(r, c.TARGET, ind.target or "", s.get("value"))
    if ind.points is not None:  # a card of points shows each row's points, as HR writes them
        ws.write_number(r, c.WEIGHT, ind.points, s.get("value", "0.##"))
    else:
        ws.write_number(r, c.WEIGHT, ind.weight, s.get("value", "0%"))
    ws.write_string(r, c.STANDARD, ind.describe(w.lang), s.get("text"))
    entry_fmt = None if ind.takes_label else fmt
    if ind.rated:
        ws.write_string(r, c.ACTUAL, w.L("not_used"), s.get("formula"))
        given = inputs.ratings.get(ind.id) or {}
        for k, rater in enumerate(spec.raters):
            col = c.rater(k)
            if rater.id not in ind.raters:
                ws.write_string(r, col, w.L("not_used"), s.get("formula"))
                continue
            own = rater.by_employee
            score_col = layout.rater_score_col(k)
            if not own and w.awaited(rater.role, r, col):
                ws.write_formula(r, score_col, w.formula(r, score_col), s.get("param"), "")
                continue
            style = s.get("input", entry_fmt) if own else w.review_style(role=rater.role, num_format=entry_fmt)
            write_input(w, r, col, given.get(rater.id), style)
            if not ind.takes_label:
                w.numeric_inputs.append(a1(r, col))
            if own:
                w.input_cells.append(a1(r, col))
            else:
                w.review_cell(rater.role, r, col)
            ws.write_formula(r, score_col, w.formula(r, score_col), s.get("param"), blank(result.rater_scores[ind.id][rater.id]))
        inputs_of_row = [layout.rating_cell(ind.id, r_id) for r_id in ind.raters  # one rule for the raters' cells
                         if spec.rater(r_id).by_employee or spec.rater(r_id).role not in w.awaiting]
        if inputs_of_row:
            first_r, first_c = parse_a1(inputs_of_row[0])
            ws.data_validation(first_r, first_c, first_r, first_c, {**actual_validation(ind, w.lang, choices(w, r, ind)),
                                                                    "multi_range": " ".join(inputs_of_row)})
    elif ind.counts_events:
        event_cells(w, i, ind, inputs.actuals.get(ind.id))
    else:
        write_input(w, r, c.ACTUAL, inputs.actuals.get(ind.id), s.get("input", entry_fmt))
        ws.data_validation(r, c.ACTUAL, r, c.ACTUAL, actual_validation(ind, w.lang, choices(w, r, ind)))
        w.input_cells.append(a1(r, c.ACTUAL))
    if not ind.rated:
        for k in range(c.raters):
            ws.write_string(r, c.rater(k), w.L("not_used"), s.get("formula"))
    if c.events and not ind.counts_events:
        for k in range(c.events):
            ws.write_blank(r, c.event_name(k), None, s.get("param"))
            ws.write_blank(r, c.event_count(k), None, s.get("param"))
    score = result.scores[ind.id]
    ws.write_formula(r, c.SCORE, w.formula(r, c.SCORE), s.get("formula", "General"), blank(score))
    ws.write_formula(r, c.WEIGHTED, F.weighted_formula(layout, i), s.get("formula", "0.00"),
                     "" if score is None else score if ind.points is not None else score * ind.weight)
    progress = F.progress_formula(ind, layout, i, w.lang)
    if progress and not ind.counts_events:
        actual = inputs.actuals.get(ind.id)
        cached: float | str = ""
        if isinstance(actual, (int, float)) and not isinstance(actual, bool):
            t = float(ind.target) if isinstance(ind.target, (int, float)) else 0.0
            cached = "—" if not t else actual / t if ind.direction == "higher" else (t / actual if actual else "")
        elif actual not in (None, ""):
            cached = F.NOT_A_NUMBER[w.lang]
        ws.write_formula(r, c.PROGRESS, progress, s.get("formula", "0%"), cached)
        w.numeric_inputs.append(a1(r, c.ACTUAL))
    else:
        ws.write_string(r, c.PROGRESS, "—", s.get("formula"))
    ws.write_string(r, c.SOURCE, ind.source, s.get("text"))
    for p, param in enumerate(ind.method.params(ind, w.L)):
        kr, kc = layout.param_key(i, p)
        if isinstance(param.key, (int, float)):
            ws.write_number(kr, kc, param.key, s.get("param", fmt))
        else:
            ws.write_string(kr, kc, str(param.key), s.get("param"))
        ws.write_number(*layout.param_value(i, p), param.value, s.get("param"))
    for p in range(param_count(ind), layout.pairs):
        ws.write_blank(*layout.param_key(i, p), None, s.get("param"))
        ws.write_blank(*layout.param_value(i, p), None, s.get("param"))


def event_cells(w: CardSheet, i: int, ind: Indicator, given: Any) -> None:
    """An indicator counting several kinds of event: the actual cell lists the counts (a formula), and beside the table
    each kind's name and its count — an input cell of whoever enters the actuals, a whole number ≥ 0, with the kind's
    points in its prompt in both languages."""
    layout, c, ws, s = w.layout, w.c, w.ws, w.s
    r = layout.row(i)
    counts = given if isinstance(given, Mapping) else {}
    ws.write_formula(r, c.ACTUAL, w.formula(r, c.ACTUAL), s.get("formula_text"), ind.method.summary(ind, counts))  # type: ignore[attr-defined]
    zh = w.lang == "zh"
    for k, event in enumerate(ind.events):
        verb = ("扣" if event.points < 0 else "加") if zh else ("minus" if event.points < 0 else "plus")
        per = f"{event.name}(每次{verb}{abs(event.points):g}分)" if zh else f"{event.name} ({verb} {abs(event.points):g} per case)"
        ws.write_string(r, c.event_name(k), per, s.get("text"))
        write_input(w, r, c.event_count(k), counts.get(event.id), s.get("input", "0"))
        ws.data_validation(r, c.event_count(k), r, c.event_count(k), event_validation(ind.name, event.name, event.points))
        count = a1(r, c.event_count(k))  # its own colours (one cell each: a rule over scattered cells anchors differently in LibreOffice)
        ws.conditional_format(r, c.event_count(k), r, c.event_count(k), {
            "type": "formula", "criteria": f"=AND(LEN(TRIM({count}))>0,NOT(ISNUMBER({count})))",
            "format": s.fill(BAD_INPUT_FILL, "#9C0006", bold=True), "stop_if_true": True})
        ws.conditional_format(r, c.event_count(k), r, c.event_count(k), {
            "type": "formula", "criteria": f"=LEN(TRIM({count}))=0", "format": s.fill(MISSING_FILL)})
    for k in range(len(ind.events), c.events):
        ws.write_blank(r, c.event_name(k), None, s.get("param"))
        ws.write_blank(r, c.event_count(k), None, s.get("param"))


def choices(w: CardSheet, r: int, ind: Indicator) -> str | None:
    """A label input's levels written in hidden cells beyond the parameters, for its drop-down to read."""
    choices = ind.method.choices(ind)
    if choices is None:
        return None
    first = w.layout.choices_col
    for k, (level, _) in enumerate(choices):
        w.ws.write_string(r, first + k, level, w.s.get("param"))
    w.ws.set_column(first, first + len(choices) - 1, 8, None, {"hidden": True})
    return f"={a1(r, first, True)}:{a1(r, first + len(choices) - 1, True)}"


WRITER = BlockWriter("table", write)

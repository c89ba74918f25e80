"""The print form's blocks, top to bottom (:mod:`~xl_kpi.workbook.print_form`): each writes its rows from
``f.row`` on and leaves ``f.row`` after its last; every value a formula pointing at the card's cell."""

from __future__ import annotations

from ..core.refs import a1, sheet_ref
from ..spec.model import Person
from .print_form import Block, FormSheet, form_word, legend_text, short_standard

__all__ = ["BLOCKS"]


def _label_value(f: FormSheet, r: int, lf: int, ll: int, key: str, vf: int, vl: int, ref: str) -> tuple[str, float]:
    f.put(r, lf, ll, f.L(key), "label")
    value = f.ref(r, vf, vl, ref, "text", number=False)
    return str(value or ""), f.width(vf, vl)


def title_info(f: FormSheet, person: Person) -> None:
    g, lay, r = f.grid, f.layout, f.row
    f.ws.merge_range(r, g.NO, r, g.LAST, "", f.fmt("title"))
    f.ws.write_formula(r, g.NO, f"={_card(f, a1(lay.TITLE_ROW, lay.col.NO))}", f.fmt("title"), f.spec.title)
    f.height(r, 24)
    info = {k: a1(*cell) for k, cell in lay.INFO.items()}
    groups = [((g.NO, g.NO), (g.INDICATOR, g.WEIGHT)), ((g.STANDARD, g.STANDARD), (g.STANDARD2, g.STANDARD2)),
              ((g.ACTUAL, g.SCORE - 1), (g.SCORE, g.LAST))]
    for row, keys in ((r + 1, ("name", "info_employee_id", "period")), (r + 2, ("position", "info_department", "manager"))):
        shown = []
        for ((lf, ll), (vf, vl)), key in zip(groups, keys):
            field = {"info_employee_id": "employee_id", "info_department": "department"}.get(key, key)
            shown.append(_label_value(f, row, lf, ll, key, vf, vl, info[field]))
            shown.append((f.L(key), f.width(lf, ll)))
        f.fit(row, shown)
    shown = [_label_value(f, r + 3, g.NO, g.NO, "responsibilities", g.INDICATOR, g.LAST, info["responsibilities"]),
             (f.L("responsibilities"), f.width(g.NO, g.NO))]
    f.fit(r + 3, shown)
    f.row = r + 4


def _card(f: FormSheet, ref: str) -> str:
    return sheet_ref(f.card_name, ref)


def kpi_table(f: FormSheet, person: Person) -> None:
    g, lay, spec, r = f.grid, f.layout, f.spec, f.row
    c = lay.col
    heads = [("no", g.NO, g.NO), ("indicator", g.INDICATOR, g.INDICATOR), ("target", g.TARGET, g.TARGET),
             ("row_points" if spec.by_points else "weight", g.WEIGHT, g.WEIGHT), ("standard", g.STANDARD, g.STANDARD2),
             ("actual", g.ACTUAL, g.ACTUAL), ("score", g.SCORE, g.SCORE), ("weighted", g.WEIGHTED, g.WEIGHTED)]
    shown = []
    for key, first, last in heads:
        text = form_word(key, f.lang) if key == "indicator" else f.L(key)
        f.put(r, first, last, text, "header")
        shown.append((text, f.width(first, last)))
    for k, rater in enumerate(spec.raters):
        f.put(r, g.rater(k), g.rater(k), rater.name, "header")
        shown.append((rater.name, f.widths[g.rater(k)]))
    f.fit(r, shown, 29)
    r += 1
    section_of = {ind.id: ind.section for ind in spec.indicators}
    current = None
    for i, ind in enumerate(spec.display_order):
        if spec.sections and section_of[ind.id] != current:
            current = section_of[ind.id]
            heading = lay.section_heading_row(current)
            f.ws.merge_range(r, g.NO, r, g.SCORE - 1, "", f.fmt("section_row"))
            f.ws.write_formula(r, g.NO, f"={_card(f, a1(heading, c.NO))}", f.fmt("section_row"), f.cached(a1(heading, c.NO))[0])
            f.ref(r, g.SCORE, g.SCORE, lay.section_cell(current), "subtotal")
            f.put(r, g.WEIGHTED, g.WEIGHTED, "", "subtotal")
            f.height(r, 16)
            r += 1
        row = lay.row(i)
        f.ref(r, g.NO, g.NO, a1(row, c.NO))
        name = f.ref(r, g.INDICATOR, g.INDICATOR, a1(row, c.INDICATOR), "text", number=False)
        f.ref(r, g.TARGET, g.TARGET, a1(row, c.TARGET))
        f.ref(r, g.WEIGHT, g.WEIGHT, a1(row, c.WEIGHT))
        standard = short_standard(ind, f.lang)
        f.put(r, g.STANDARD, g.STANDARD2, standard, "text")
        counted: list[tuple[str, float]] = []
        if ind.rated:
            f.put(r, g.ACTUAL, g.ACTUAL, f.L("not_used"), "value")
        elif ind.counts_events:  # each kind's count, a line each (the card's actual cell)
            f.ref(r, g.ACTUAL, g.ACTUAL, a1(row, c.ACTUAL), "text", number=False)
            counted = [(ind.method.summary(ind, {e.id: 99 for e in ind.events}), f.widths[g.ACTUAL])]  # type: ignore[attr-defined]
        else:
            f.ref(r, g.ACTUAL, g.ACTUAL, a1(row, c.ACTUAL))
        for k, rater in enumerate(spec.raters):
            if ind.rated and rater.id in ind.raters:
                f.ref(r, g.rater(k), g.rater(k), lay.rating_cell(ind.id, rater.id))
            else:
                f.put(r, g.rater(k), g.rater(k), "", "value")
        f.ref(r, g.SCORE, g.SCORE, a1(row, c.SCORE))
        f.ref(r, g.WEIGHTED, g.WEIGHTED, a1(row, c.WEIGHTED))
        f.fit(r, [(standard, f.width(g.STANDARD, g.STANDARD2)), (str(name or ind.name), f.widths[g.INDICATOR]), *counted])
        r += 1
    f.row = r


def legend(f: FormSheet, person: Person) -> None:
    """The levels' descriptions of the rated and judged items, once, below the table."""
    g, r = f.grid, f.row
    items = [(ind, legend_text(ind, f.lang)) for ind in f.spec.display_order if legend_text(ind, f.lang)]
    if not items:
        return
    f.put(r, g.NO, g.LAST, form_word("legend", f.lang), "header")
    f.height(r, 16)
    r += 1
    for ind, text in items:
        f.put(r, g.NO, g.INDICATOR, ind.name, "label")
        f.put(r, g.TARGET, g.LAST, text, "text")
        f.fit(r, [(text, f.width(g.TARGET, g.LAST)), (ind.name, f.width(g.NO, g.INDICATOR))])
        r += 1
    f.row = r


def results(f: FormSheet, person: Person) -> None:
    """The details (sections, raters, bonus and penalty items, veto) on the left, the results on the right."""
    g, lay, spec = f.grid, f.layout, f.spec
    left: list[tuple[str, list[tuple[str, str | None]], bool]] = []  # (name, [(ref or text, style)], header?)
    if spec.sections:
        left.append((f.L("section"), [(f.L("section_points" if spec.summed else "section_weight"), None), (f.L("score"), None)], True))
        left += [(s.name, [(lay.section_weight_cell(s.id, False), "ref"), (lay.section_score_cell(s.id), "ref")], False)
                 for s in spec.sections]
    if spec.raters:
        left.append((f.L("rater"), [(f.L("rater_weight"), None), ("", None)], True))
        left += [(rt.name, [(lay.rater_weight_cell(rt.id, False), "ref"), ("", "text")], False) for rt in spec.raters]
    if spec.adjustments:
        left.append((f.L("adjustments"), [(f.L("times"), None), (f.L("contribution"), None)], True))
        left += [(it.name, [(lay.adjustment_cell(it.id, "count"), "ref"), (lay.adjustment_cell(it.id, "contribution"), "ref")], False)
                 for it in spec.adjustments.items]
    right: list[tuple[str, str]] = [(f"{f.L('veto')}:{v.name}" if f.lang == "zh" else f"{f.L('veto')}: {v.name}", lay.veto_cell(v.id))
                                    for v in spec.veto]
    if lay.sections or lay.adjustments or lay.veto:
        right.append(("weighted_score", lay.weighted_cell))
    if spec.adjustments:
        right.append(("adj_total", lay.adjustment_total_cell))
    if spec.veto:
        right.append(("veto_result", lay.veto_names_cell))
    right += [("total", lay.total_cell), ("grade", lay.grade_cell)]
    if lay.coefficients:
        right += [("coefficient", lay.coefficient_cell), ("bonus_base", lay.base_cell), ("pay", lay.pay_cell)]
    right.append(("application", a1(lay.application_row, lay.col.WEIGHTED)))
    r = f.row
    split = g.STANDARD  # the left half ends before the standard's columns
    for k in range(max(len(left), len(right))):
        row = r + k
        shown: list[tuple[str, float]] = []
        if k < len(left):
            name, cells, header = left[k]
            f.put(row, g.NO, g.INDICATOR, name, "header" if header else "label")
            shown.append((name, f.width(g.NO, g.INDICATOR)))
            for col, (value, kind) in zip((g.TARGET, g.WEIGHT), cells):
                if header or kind is None or kind == "text":
                    f.put(row, col, col, value, "header" if header else "value")
                    shown.append((value, f.widths[col]))
                else:
                    f.ref(row, col, col, value)
        else:
            for col in range(g.NO, split):
                f.ws.write_blank(row, col, None)
        if k < len(right):
            key, ref = right[k]
            words = f.L(key) if key in _RESULT_KEYS else key
            f.put(row, split, split + 1, words, "label")
            big = key in ("total", "grade")
            value = f.ref(row, split + 2, g.LAST, ref, "total" if big else "value" if key != "application" else "text",
                          number=key != "application")
            shown += [(words, f.width(split, split + 1)), (str(value or ""), f.width(split + 2, g.LAST))]
        f.fit(row, shown, 18 if k < len(right) and right[k][0] in ("total", "grade") else 16)
    f.row = r + max(len(left), len(right))


_RESULT_KEYS = ("weighted_score", "adj_total", "veto_result", "total", "grade", "coefficient", "bonus_base", "pay", "application")


def _chunks(f: FormSheet, first: int, last: int, n: int) -> list[tuple[int, int]]:
    """Columns ``first..last`` cut into ``n`` contiguous groups of about equal width (each cut where the running
    width comes nearest its share); fewer when there are fewer columns."""
    cols = list(range(first, last + 1))
    if n > len(cols):
        return [(c, c) for c in cols]
    ends = [first - 1 + sum(f.widths[c] for c in cols[: k + 1]) for k in range(len(cols))]  # running width after each column
    total = ends[-1] - (first - 1)
    cuts: list[int] = []
    for k in range(1, n):
        low = cuts[-1] + 1 if cuts else 0
        high = len(cols) - 1 - (n - k)  # leave a column for every group still to come
        cuts.append(min(range(low, high + 1), key=lambda i: abs(ends[i] - (first - 1) - total * k / n)))
    starts = [0] + [c + 1 for c in cuts]
    stops = cuts + [len(cols) - 1]
    return [(cols[a], cols[b]) for a, b in zip(starts, stops)]


def grade_scale(f: FormSheet, person: Person) -> None:
    """The grade scale across the page: a column per grade (label, minimum, coefficient, how it is applied)."""
    g, lay, spec, r = f.grid, f.layout, f.spec, f.row
    groups = _chunks(f, g.TARGET, g.LAST, len(spec.grades))
    if len(groups) < len(spec.grades):
        return
    keys = ["label", "min"] + (["coefficient"] if lay.coefficients else []) + ["application"]
    heads = {"label": "grade_table", "min": "grade_min", "coefficient": "coefficient", "application": "application"}
    for k, key in enumerate(keys):
        row = r + k
        f.put(row, g.NO, g.INDICATOR, f.L(heads[key]), "header" if key == "label" else "label")
        shown = [(f.L(heads[key]), f.width(g.NO, g.INDICATOR))]
        for (first, last), ref in zip(groups, lay.grade_cells(key, False)):
            value = f.ref(row, first, last, ref, "header" if key == "label" else "text" if key == "application" else "value",
                          number=key != "application")
            shown.append((str(value or ""), f.width(first, last)))
        f.fit(row, shown)
    f.row = r + len(keys)


def comment_review(f: FormSheet, person: Person) -> None:
    """The supervisor's comment, then the self-review under its heading: labels on the left, the texts to the right."""
    g, lay, r = f.grid, f.layout, f.row
    cells = lay.cell_map(f.spec)
    _text_row(f, r, "comment", cells["comment"])
    f.put(r + 1, g.NO, g.LAST, f.L("self_review"), "header")
    f.height(r + 1, 16)
    for k, key in enumerate(lay.REVIEW_KEYS):
        _text_row(f, r + 2 + k, key, cells["review"][key])
    f.row = r + 2 + len(lay.REVIEW_KEYS)


def _text_row(f: FormSheet, r: int, key: str, ref: str) -> None:
    g = f.grid
    f.put(r, g.NO, g.INDICATOR, f.L(key), "label")
    value = f.ref(r, g.TARGET, g.LAST, ref, "text", number=False)
    f.fit(r, [(str(value or ""), f.width(g.TARGET, g.LAST)), (f.L(key), f.width(g.NO, g.INDICATOR))])


MIRRORED = frozenset({"info", "table", "sections", "weighted", "adjustments", "veto", "result", "pay", "application", "grades",
                      "raters", "comment", "reviews", "signoff"})  # the card's blocks the form lays out itself


def other_blocks(f: FormSheet, person: Person) -> None:
    """Any other printed block of the card (a block added to the registry, :mod:`xl_kpi.sheet.blocks`), row by row:
    its label (the card's first column) on the left, its text (the card's second column, across) on the right."""
    g, lay, c = f.grid, f.layout, f.layout.col
    r = f.row
    for block in lay.blocks:
        if block.name in MIRRORED or not block.printed:
            continue
        for row in block.content(lay):
            words = f.ref(r, g.NO, g.INDICATOR, a1(row, c.NO), "label", number=False)
            value = f.ref(r, g.TARGET, g.LAST, a1(row, c.INDICATOR), "text")
            f.fit(r, [(str(value or ""), f.width(g.TARGET, g.LAST)), (str(words or ""), f.width(g.NO, g.INDICATOR))])
            r += 1
    f.row = r


def signoff(f: FormSheet, person: Person) -> None:
    g, lay, r = f.grid, f.layout, f.row
    cells = lay.cell_map(f.spec)["signoff"]
    parts = {"role": (g.NO, g.INDICATOR), "plan_sign": (g.TARGET, g.WEIGHT), "plan_date": (g.STANDARD, g.STANDARD),
             "result_sign": (g.STANDARD2, g.ACTUAL), "result_date": (g.ACTUAL + 1, g.SCORE - 1 if g.raters else g.SCORE),
             "note": (g.SCORE if g.raters else g.WEIGHTED, g.LAST)}
    for part, (first, last) in parts.items():
        f.put(r, first, last, f.L("signoff" if part == "role" else f"sign_{part}"), "header")
    f.fit(r, [(f.L(f"sign_{p}"), f.width(*cols)) for p, cols in parts.items()])
    for k, role in enumerate(lay.SIGN_ROLES):
        row = r + 1 + k
        f.put(row, *parts["role"], f.L(f"signer_{role}"), "label")
        for part in ("plan_sign", "plan_date", "result_sign", "result_date"):
            f.ref(row, *parts[part], cells[role][part], "value")
        f.ref(row, *parts["note"], a1(lay.signoff_row(role), lay.signoff_cols["note"][0]), "text", number=False)
        f.fit(row, [(f.L(f"signer_{role}"), f.width(*parts["role"]))], 20)  # room for a pen
    f.row = r + 1 + len(lay.SIGN_ROLES)


BLOCKS: tuple[Block, ...] = (title_info, kpi_table, legend, results, grade_scale, comment_review, other_blocks, signoff)

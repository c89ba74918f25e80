"""The raters' and the goals workbooks' shortcuts read what the long way reads: a rating sheet's inputs, their cells and
what each is read as worked out once per shape, its cell maps remembered by their text; a goals card's role rows worked
out once per card, layout and HR's bounds; the goals report's checks of a sentence or a target made once per run."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from xl_kpi.consolidation.rating_reader import RatingSheet, _json
from xl_kpi.core.refs import a1
from xl_kpi.goals.book import numeric
from xl_kpi.goals.collect import _sheet_check, _smart_cells
from xl_kpi.goals.layout import GoalsLayout
from xl_kpi.goals.read_goals import ROLE_CELLS, _meta_row, _role_rows
from xl_kpi.goals.rules import GoalRules, card_weight, sheet_check, smart_of
from xl_kpi.sheet.rating_layout import RatingLayout
from xl_kpi.spec import load_spec, load_specs

ROOT = Path(__file__).resolve().parent.parent
RATED = [load_spec(ROOT / "tests" / "data" / "sales_360.yaml"), load_spec(ROOT / "workbook_templates" / "sales_supervisor.yaml"),
         load_spec(ROOT / "workbook_templates" / "cashier.yaml")]
SHAPES = [(spec, role, n, prior) for spec in RATED for role in ("supervisor", "reviewer", "peer") for n in (1, 4) for prior in (False, True)
          if any(r.role == role for r in spec.raters)]


@pytest.mark.parametrize(("spec", "role", "n", "prior"), SHAPES, ids=lambda v: getattr(v, "id", str(v)))
def test_a_rating_sheets_inputs_are_the_layouts(spec, role, n, prior):
    layout = RatingLayout(spec, role, n, prior)
    sheet = RatingSheet(layout)
    assert sheet.id_col == layout.col("person:employee_id") and sheet.id_letter == layout.letter("person:employee_id")
    assert [c for c, _, _ in sheet.columns] == list(layout.inputs)
    for r in (0, layout.FIRST_ROW, layout.last_row + layout.SLACK, 1_048_575):
        assert sheet.refs(r) == {c.key: a1(r, c.col) for c in layout.inputs}
    items = spec.adjustments.items if spec.adjustments else ()
    for col, _, item in sheet.columns:  # what each input is read as, as the reader looked it up for every person
        if col.group == "rating":
            assert item is spec.indicator(col.key.split(":")[1])
        elif col.group == "adjustment":
            assert item is next(i for i in items if i.id == col.key[4:])
        elif col.group == "veto":
            assert item is next(v for v in spec.veto if v.id == col.key[5:])
        else:
            assert item is None
    ratings = [c for c in layout.inputs if c.group == "rating"]
    assert sheet.first_rating == (ratings[0] if ratings else None)


def _cell_map_texts(layout: RatingLayout) -> list[str]:
    """Texts a rating workbook's metadata may record as a person's cell map: as written, re-serialised, altered."""
    texts = []
    for k in range(layout.n + 1):
        issued = layout.cell_map(k)
        texts += [json.dumps(issued), json.dumps(issued, ensure_ascii=False, indent=1), json.dumps({**issued, "prior": not issued["prior"]}),
                  json.dumps({**issued, "employee_id": "B9"}), "", "{", "null", json.dumps(issued)[:-1] + ' }']
    return texts


@given(st.data())
def test_a_cell_map_remembered_is_judged_as_parsed(data):
    spec, role, n, prior = data.draw(st.sampled_from(SHAPES))
    layout = RatingLayout(spec, role, n, prior)
    sheet = RatingSheet(layout)  # one reader's memory across the workbooks of a shape
    texts = _cell_map_texts(layout)
    for k, text in data.draw(st.lists(st.tuples(st.integers(0, n), st.sampled_from(texts)), max_size=40)):
        assert sheet.as_issued(k, text) == (_json(text) == layout.cell_map(k))


GOALS_SPECS = list(load_specs(ROOT / "workbook_templates").values())
RULES = [GoalRules(), GoalRules(personal_max=0, weight_flex=0.0), GoalRules(weight_flex=0.25), GoalRules(personal_max=2)]


@pytest.mark.parametrize("spec", GOALS_SPECS, ids=lambda s: s.id)
def test_a_goals_cards_role_rows_are_worked_out_as_before(spec):
    for rules in RULES:
        for lay in (GoalsLayout(len(spec.indicators), rules.personal_max, 3), GoalsLayout(len(spec.indicators), 0, 4)):
            rows = _role_rows(spec, lay, rules)
            assert [row.ind for row in rows] == list(spec.indicators)
            for k, (row, ind) in enumerate(zip(rows, spec.indicators)):
                lo, hi = rules.weight_bounds(card_weight(spec, ind))
                assert row.at == {key: (lay.role_row(k), lay.col(key)) for key in ROLE_CELLS}
                assert (row.hr_weight, row.weighted, row.numeric) == (card_weight(spec, ind), lo != hi, numeric(ind))
    copy = dataclasses.replace(spec)  # the same rules (hash) in another object: its own rows, never another spec's
    lay = GoalsLayout(len(spec.indicators), 1, 3)
    assert all(a.ind is b for a, b in zip(_role_rows(copy, lay, GoalRules()), copy.indicators))
    assert all(a.ind is b for a, b in zip(_role_rows(spec, lay, GoalRules()), spec.indicators))


@given(st.text(max_size=5), st.text(max_size=5))
@example("", "")
@example("a", "")
@example("", "b")
def test_a_goals_record_row_is_trimmed_as_read_back(key, value):
    row = [key, value]
    assert _meta_row(key, value) == row[: max((k + 1 for k, v in enumerate(row) if v), default=0)]


NUMBERS = st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-3, 3), st.sampled_from([0.0, -0.0, 1, 1.0, True]))
TEXTS = st.sampled_from(["", " ", "第三季度销售额完成率达到100%", "提升费用管理", "Q3 sales of 130,000", "月", "by June  ", "理由充分的说明"])


@given(st.lists(st.tuples(NUMBERS, TEXTS, TEXTS, NUMBERS, st.sampled_from(["higher", "lower"]), st.sampled_from(["zh", "en"]),
                          st.booleans()), max_size=20))
def test_the_reports_sheet_check_is_the_sheets(calls):
    for args in calls:
        assert _sheet_check(*args) == sheet_check(*args)


@given(st.lists(st.tuples(TEXTS.filter(bool), st.sampled_from(["zh", "en"]), st.sampled_from([0.5, 0.3]),
                          st.sampled_from(["higher", "lower"])), max_size=20))
def test_the_reports_smart_cells_are_each_sentences(calls):
    from xl_kpi.advice.smart import summary_line

    memo: dict = {}
    for text, lang, rise, direction in calls:
        smart = smart_of(text, lang, None, rise, direction)
        assert _smart_cells(memo, text, lang, rise, direction) == (summary_line(smart), (smart.suggestions or [""])[0])

"""Several kinds of event with their own points in one indicator (issue 25): ``投诉不及时的每次扣2分,发放错误的每次扣5分,
扣完为止``. The engine at its boundaries and as properties, the sheet in LibreOffice and ``formulas``, the sheet function,
a consolidated return with hostile counts, the spec's checks, and HR's cells read by ``import``."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_kpi.api.results import consolidate
from xl_kpi.core.errors import InvalidActual
from xl_kpi.methods.events import METHOD as EVENTS
from xl_kpi.methods.grammar import Context, Unreadable
from xl_kpi.office.libreoffice import convert
from xl_kpi.scoring.engine import CardInputs, score_card, score_indicator, sheet_result
from xl_kpi.scoring.inputs import read_card
from xl_kpi.scoring.vectorised import score_indicator_array
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.spec.model import Person
from xl_kpi.spec.rules import parse_spec
from xl_kpi.udf.functions import KPIEVENTS
from xl_kpi.workbook import BuildOptions, build_employee_workbook

from .oracle import build_filled, formulas_values, mismatches

GRADES = [{"label": "优秀", "min": 90}, {"label": "良好", "min": 80}, {"label": "合格", "min": 60}, {"label": "不合格", "min": 0}]

# A warehouse keeper's card of points (分值制), as HR's table has it: two rows count several kinds of event.
WAREHOUSE = {"id": "warehouse_events", "title": "仓库管理员考核表", "period": "2026-11", "grades": GRADES, "indicators": [
    {"id": "inbound", "name": "物料入库", "points": 40, "unit": "次", "scoring": {"method": "events", "start": 40, "events": [
        {"name": "开单数据不准确", "points": -5}, {"name": "质量不合格已收", "points": -10},
        {"name": "收货不抽查", "points": -10, "max": 20}]}},
    {"id": "service", "name": "服务及时", "points": 30, "unit": "次", "scoring": {"method": "events", "start": 30, "floor": 5, "events": [
        {"name": "投诉不及时", "points": -2}, {"name": "客户表扬", "points": 2, "max": 6}]}},
    {"id": "accuracy", "name": "盘点准确率", "points": 30, "unit": "%", "target": 1,
     "scoring": {"method": "bands", "bands": [[1, 30], [0.98, 20]], "otherwise": 0}}]}

# The same rules on a weighted card (scored on 100), with a weighted neighbour.
WEIGHTED = {"id": "service_events", "title": "客服专员考核表", "period": "2026-11", "grades": GRADES, "indicators": [
    {"id": "errors", "name": "服务差错", "weight": "60%", "unit": "次", "scoring": {"method": "events", "floor": 10, "events": [
        {"name": "投诉不及时", "points": -2}, {"name": "发放错误", "points": -5, "max": 30}, {"name": "客户表扬", "points": 2.5, "max": 10}]}},
    {"id": "reply_rate", "name": "及时回复率", "weight": "40%", "unit": "%", "target": 0.95,
     "scoring": {"method": "linear", "floor": 0, "cap": 120}}]}


def _spec(data):
    spec, problems = parse_spec(data, "test")
    assert spec is not None, [p.render("en") for p in problems]
    return spec


def _codes(data) -> list[str]:
    return [p.code for p in parse_spec(data, "test")[1] if p.severity == "error"]


WAREHOUSE_SPEC, WEIGHTED_SPEC = _spec(WAREHOUSE), _spec(WEIGHTED)
INBOUND, SERVICE = WAREHOUSE_SPEC.indicator("inbound"), WAREHOUSE_SPEC.indicator("service")
ERRORS = WEIGHTED_SPEC.indicator("errors")


# --- the engine -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("counts", "score"), [
    ({"e1": 0, "e2": 0, "e3": 0}, 40),       # no event: the row's full points
    ({"e1": 1, "e2": 0, "e3": 0}, 35),
    ({"e1": 2, "e2": 3, "e3": 0}, 0),        # 40 − 10 − 30: the floor exactly reached
    ({"e1": 3, "e2": 3, "e3": 0}, 0),        # beyond it: still the floor (扣完为止)
    ({"e1": 0, "e2": 0, "e3": 2}, 20),       # 收货不抽查 at its own limit (20) …
    ({"e1": 0, "e2": 0, "e3": 9}, 20),       # … and far beyond it: the kind takes no more than 20
    ({"e1": 1, "e2": 1, "e3": 1}, 15),
])
def test_deductions_of_several_kinds_down_to_the_rows_floor(counts, score):
    assert score_indicator(INBOUND, counts) == score


@pytest.mark.parametrize(("counts", "score"), [
    ({"e1": 0, "e2": 0}, 30), ({"e1": 0, "e2": 3}, 36), ({"e1": 0, "e2": 9}, 36),  # praise: at most 6 points more
    ({"e1": 5, "e2": 3}, 26), ({"e1": 12, "e2": 0}, 6), ({"e1": 13, "e2": 0}, 5), ({"e1": 40, "e2": 3}, 5),  # the row's floor: 5
])
def test_a_bonus_kind_with_its_limit_and_the_rows_floor(counts, score):
    assert score_indicator(SERVICE, counts) == score


def test_the_cap_is_the_start_plus_the_bonuses_limits_and_the_weighted_card_reads_it_on_100():
    assert (SERVICE.scoring.cap, SERVICE.top_score, SERVICE.bottom_score) == (36, 36, 5)
    assert ERRORS.scoring.start == 100 and ERRORS.scoring.cap == 110  # no start given: 100; a bonus of at most 10
    result = score_card(WEIGHTED_SPEC, {"errors": {"e1": 1, "e2": 2, "e3": 1}, "reply_rate": 0.95})
    assert result.scores == {"errors": 90.5, "reply_rate": 100} and result.total == 94.3 and result.grade.label == "优秀"


def test_the_score_is_blank_until_every_count_is_given():
    assert score_indicator(INBOUND, None) is None
    assert score_indicator(INBOUND, {"e1": 1, "e2": None, "e3": 0}) is None
    assert score_card(WAREHOUSE_SPEC, {"inbound": {"e1": 1, "e2": 0}, "service": {"e1": 0, "e2": 0}, "accuracy": 1}).total is None


@pytest.mark.parametrize("bad", [-1, 1.5, "abc", True, float("nan"), float("inf")])
def test_a_count_that_is_not_a_whole_number_from_0_is_refused_and_the_sheet_shows_blank(bad):
    counts = {"e1": bad, "e2": 0, "e3": 0}
    if bad == bad and bad not in (True,):  # NaN reads as blank, as a spreadsheet has it
        with pytest.raises(InvalidActual):
            score_indicator(INBOUND, counts)
    assert sheet_result(WAREHOUSE_SPEC, {"inbound": counts, "service": {"e1": 0, "e2": 0}, "accuracy": 1}).scores["inbound"] is None


counts_of = st.lists(st.integers(0, 60), min_size=3, max_size=3)


@given(a=counts_of, b=counts_of)
@settings(max_examples=200, deadline=None)
def test_more_of_a_deduction_never_raises_the_score_and_more_praise_never_lowers_it(a, b):
    for ind in (INBOUND, ERRORS):
        low, high = [min(x, y) for x, y in zip(a, b)], [max(x, y) for x, y in zip(a, b)]
        for k, event in enumerate(ind.events):  # one kind more, the others as they are
            fewer = {e.id: (high[j] if j != k else low[j]) for j, e in enumerate(ind.events)}
            more = {e.id: high[j] for j, e in enumerate(ind.events)}
            if event.points < 0:
                assert score_indicator(ind, more) <= score_indicator(ind, fewer)
            else:
                assert score_indicator(ind, more) >= score_indicator(ind, fewer)


@given(counts=st.lists(counts_of, min_size=1, max_size=12))
@settings(max_examples=150, deadline=None)
def test_scores_stay_within_floor_and_cap_and_the_vectorised_path_agrees(counts):
    for ind in (INBOUND, SERVICE, ERRORS):
        given_ = [{e.id: c[k] for k, e in enumerate(ind.events)} for c in counts]
        scalar = [score_indicator(ind, g) for g in given_]
        assert all(ind.scoring.floor <= s <= ind.scoring.cap for s in scalar)
        assert list(score_indicator_array(ind, np.array(given_ + [None], dtype=object))) [:-1] == scalar
        assert math.isnan(score_indicator_array(ind, np.array([None], dtype=object))[0])


# --- the spec -----------------------------------------------------------------------------------------------
def _with(scoring, **more):
    return {**WAREHOUSE, "indicators": [{**WAREHOUSE["indicators"][0], "scoring": scoring, **more}, *WAREHOUSE["indicators"][1:]]}


def test_the_specs_checks():
    assert _codes(_with({"method": "events", "start": 40, "events": [{"name": "迟到", "points": 2}]})) == ["events-bonus-cap"]
    assert _codes(_with({"method": "events", "start": 40, "events": [{"name": "迟到", "points": 0}]})) == ["events-points"]
    assert _codes(_with({"method": "events", "start": 40, "events": "迟到扣2分"})) == ["events-shape"]
    assert _codes(_with({"method": "events", "start": 40, "floor": 50, "events": [{"name": "迟到", "points": -2}]})) == ["cap-floor"]
    # the start and every bonus kind's most is the row's top: a score like any other (found by hypothesis: 71.65 + 18.4 + 60)
    too_high = {"method": "events", "start": 71.65, "events": [{"name": "表扬", "points": 0.5, "max": 18.4}, {"name": "建议", "points": 0.5, "max": 60}]}
    assert _codes(_with(too_high)) == ["score-range"]
    assert parse_spec(_with(too_high), "test")[1][0].location.endswith("scoring.cap")
    assert _spec(_with({**too_high, "start": 71.6})).indicators[0].scoring.cap == 150.0  # exactly 150, no binary noise
    rated = {**_with(WAREHOUSE["indicators"][0]["scoring"], rated=True),
             "raters": [{"id": "self", "name": "自评", "weight": 0.3, "role": "self"}, {"id": "boss", "name": "上级", "weight": 0.7}]}
    assert _codes(rated) == ["events-rated"]  # counts are facts, entered once (docs/spec.md)


# --- the sheet: LibreOffice and the formulas package give the engine's digits ---------------------------------
@pytest.mark.libreoffice
def test_events_cards_score_like_the_engine_in_libreoffice(tmp_path):
    found: list[str] = []
    for spec in (WAREHOUSE_SPEC, WEIGHTED_SPEC):
        filled, all_cases, names = build_filled(spec, tmp_path)
        (out,) = convert([filled], tmp_path / f"lo_{spec.id}")
        wb = openpyxl.load_workbook(out, data_only=True)
        found += mismatches(spec, lambda sheet, cell, wb=wb: wb[sheet][cell].value, all_cases, names)
        sheet, scoped = next(iter(names.items()))
        assert wb[sheet][scoped["KPI_ACTUAL_" + spec.indicators[0].id.upper()][1]].value not in (None, "")  # the counts listed
    assert not found, "\n".join(found)


def test_events_cards_score_like_the_engine_in_the_formulas_package(tmp_path):
    pytest.importorskip("formulas")
    found: list[str] = []
    for spec in (WAREHOUSE_SPEC, WEIGHTED_SPEC):
        filled, all_cases, names = build_filled(spec, tmp_path)
        found += mismatches(spec, formulas_values(filled), all_cases, names, binary_rounding=True)
    assert not found, "\n".join(found)


def test_the_count_cells_sit_beside_the_table_and_the_parameters_move_right():
    layout = PersonLayout.for_spec(WAREHOUSE_SPEC)
    cells = layout.cell_map(WAREHOUSE_SPEC)
    assert cells["events"] == {"inbound": {"e1": "N8", "e2": "P8", "e3": "R8"}, "service": {"e1": "N9", "e2": "P9"}}
    assert layout.col.event_name(0) == layout.col.SOURCE + 1 and layout.col.PARAMS == layout.col.SOURCE + 7
    plain = PersonLayout.for_spec(_spec({**WEIGHTED, "indicators": [{**WEIGHTED["indicators"][1], "weight": "100%"}]}))
    assert plain.col.events == 0 and plain.col.PARAMS == plain.col.SOURCE + 1  # a card without them keeps its columns


# --- the sheet function -------------------------------------------------------------------------------------
def test_kpievents_is_the_engine():
    for ind in (INBOUND, SERVICE, ERRORS):
        sc = ind.scoring
        points, limits = [e.points for e in ind.events], [e.max for e in ind.events]
        for counts in EVENTS.probes(ind):
            row = [counts.get(e.id) for e in ind.events]
            want = score_indicator(ind, counts)
            assert KPIEVENTS(row, points, limits, sc.start, sc.floor, sc.cap) == ("" if want is None else want), counts
    assert KPIEVENTS([1, 2], [-5, -10], None, 40) == 15 and KPIEVENTS([None, 2], [-5, -10]) == ""
    assert KPIEVENTS([1, "2次"], [-5, -10], None, 40) == 15  # typed as people type counts, as consolidation reads them
    for bad, fragment in ((-1, "cannot be negative"), (1.5, "whole number"), ("abc", "cannot be read")):
        assert fragment in KPIEVENTS([bad, 0], [-5, -10], None, 40)
    assert "no limit" in KPIEVENTS([1, 1], [-5, 2])  # a bonus without a limit or a cap: the spec's own check
    assert "differ in length" in KPIEVENTS([1], [-5, -10])


# --- consolidation ------------------------------------------------------------------------------------------
def test_a_returned_card_is_scored_and_hostile_counts_are_refused_at_their_cell(tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    filled = {"E1": {"inbound": {"e1": 1, "e2": 0, "e3": 3}, "service": {"e1": 2, "e2": 4}, "accuracy": 1.0},
              "E2": {"inbound": {"e1": "abc", "e2": -1, "e3": 1.5}, "service": {"e1": None, "e2": "2次"}, "accuracy": 0.99}}
    for eid, actuals in filled.items():
        person = Person(eid, f"员工{eid}", "仓储部", "仓库管理员", "李四", WAREHOUSE_SPEC.id)
        build_employee_workbook(returns / f"{eid}.xlsx", WAREHOUSE_SPEC, person, BuildOptions(actuals={eid: actuals}))
    result = consolidate(returns, tmp_path / "out", {WAREHOUSE_SPEC.id: WAREHOUSE_SPEC})
    scores = result.scores.set_index("employee_id")
    # 40 − 5 − 0 − min(20, 30) = 15; 30 − 4 + min(6, 8) = 32; 100% → 30: 77 points, 合格
    assert (scores.at["E1", "inbound_score"], scores.at["E1", "service_score"], scores.at["E1", "total"]) == (15, 32, 77)
    assert scores.at["E1", "grade"] == "合格" and scores.at["E1", "status"] == "ok"
    assert (scores.at["E1", "inbound_e1"], scores.at["E1", "inbound_e3"], scores.at["E1", "service_e2"]) == (1, 3, 4)
    assert math.isnan(scores.at["E2", "total"]) and scores.at["E2", "status"] == "invalid"
    issues = result.issues[result.issues["employee_id"] == "E2"]
    found = {(row.cell, row.code) for row in issues.itertuples()}
    assert {("N8", "invalid-event-count"), ("P8", "invalid-event-count"), ("R8", "invalid-event-count"),
            ("N9", "missing-event-count"), ("P9", "sheet-reads-otherwise")} <= found
    messages = " ".join(issues["message"])
    assert "次数不能为负" in messages and "次数应为整数" in messages and "开单数据不准确" in messages  # the card's language
    assert result.issues[result.issues["employee_id"] == "E1"].empty


def test_an_appeal_takes_corrected_counts_as_the_history_writes_them():
    from xl_kpi.followup.appeals import _counts

    assert _counts("e1=1; e2=0") == {"e1": "1", "e2": "0"} and _counts("e1=2;e2=") == {"e1": "2", "e2": None}
    typed = CardInputs({"inbound": _counts("e1=1; e2=0; e3=3"), "service": {"e1": 0, "e2": 0}, "accuracy": 1})
    reading = read_card(WAREHOUSE_SPEC, typed, lambda key: {})
    assert reading.inputs.actuals["inbound"] == {"e1": 1, "e2": 0, "e3": 3} and not reading.unusable
    assert score_card(WAREHOUSE_SPEC, reading.inputs).scores["inbound"] == 15


# --- HR's own tables --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "points", "events", "floor"), [
    ("投诉不及时的每次扣2分,发放错误的每次扣5分", 20, [("投诉不及时", -2), ("发放错误", -5)], 0),
    ("无记录一次扣5分,记录不全一次扣2分", 6, [("无记录", -5), ("记录不全", -2)], 0),
    ("迟到每次扣2分,旷工每次扣10分,最高扣除15分", 20, [("迟到", -2), ("旷工", -10)], 5),
    ("1、物料短缺不及时申购扣 10 分,物料混乱不及时处理扣 10分", 10, [("物料短缺不及时申购", -10), ("物料混乱不及时处理", -10)], 0),
])
def test_several_kinds_of_event_in_one_cell_are_read(text, points, events, floor):
    reading = EVENTS.read(text, Context(points=points))
    assert reading is not None and reading.scoring["start"] == points and reading.scoring["floor"] == floor
    assert [(e["name"], e["points"]) for e in reading.scoring["events"]] == events


def test_a_limit_said_of_a_kind_or_of_one_sign_is_that_kinds_and_an_ambiguous_one_is_refused():
    reading = EVENTS.read("迟到每次扣2分,最多扣6分,旷工每次扣10分;表扬每次加2分,最高加10分", Context(points=10))
    assert [e.get("max") for e in reading.scoring["events"]] == [6, None, 10]
    with pytest.raises(Unreadable, match="together"):
        EVENTS.read("迟到每次扣2分,旷工每次扣10分,表扬每次加2分,最多扣6分", Context(points=10))
    with pytest.raises(Unreadable, match="per 3 cases"):
        EVENTS.read("迟到3次扣2分,旷工每次扣10分", Context(points=10))
    assert EVENTS.read("每发生1次扣20分,扣完为止", Context()) is None  # one kind: the deduction method's


def test_the_sentence_on_the_card_reads_back_to_the_same_rules():
    for ind in (INBOUND, SERVICE, ERRORS):
        for lang in ("zh", "en"):
            reading = EVENTS.read(ind.describe(lang), Context(unit=ind.unit, lang=lang))
            again = _spec(_with(reading.scoring)).indicators[0]
            assert again.scoring == ind.scoring, ind.describe(lang)


def test_the_print_form_shows_the_counts_and_the_standard_keeps_each_kinds_limit(tmp_path):
    from xl_kpi.workbook.print_form import legend_text, short_standard

    assert short_standard(INBOUND, "zh") == INBOUND.describe("zh") and "此类最多扣20分" in short_standard(INBOUND, "zh")
    assert legend_text(INBOUND, "zh") == ""  # a kind's limit is no level's description
    person = Person("E1", "张三", "仓储部", "仓库管理员", "李四", WAREHOUSE_SPEC.id)
    path = build_employee_workbook(tmp_path / "E1.xlsx", WAREHOUSE_SPEC, person,
                                   BuildOptions(actuals={"E1": {"inbound": {"e1": 1, "e2": 0, "e3": 3}}}))
    wb = openpyxl.load_workbook(path)
    form = wb["打印表"]
    shown = [c.value for row in form.iter_rows() for c in row if isinstance(c.value, str) and "KPI考核表" in c.value]
    assert any("H8" in v for v in shown)  # the actual column points at the card's list of counts
    card = wb["KPI考核表"]
    assert card["H8"].value.startswith('=IF(COUNT(N8,P8,R8)=3,"开单数据不准确: "&N8&CHAR(10)&')
    assert card["M8"].value == "开单数据不准确(每次扣5分)" and card["N8"].value == 1 and card["P8"].value == 0
    assert not card["N8"].protection.locked  # an input of whoever enters the actuals


def test_hr_tables_with_several_kinds_of_event_import(tmp_path):
    from .hr_tables import judge_table, tables

    (table,) = [t for t in tables("tuned") if t.name.startswith("03_")]
    result = judge_table(table, Path(tmp_path))
    events = [c for c, expect in zip(result.cells, table.data["cells"]) if expect.get("input") == "counts"]
    assert [c.verdict for c in events] == ["exact", "exact", "exact"], [c.detail for c in events]

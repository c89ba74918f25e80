"""One table of result columns: scores.csv, the summary's Scores sheet, pay.csv, the history and `xl-kpi score`
all show the columns :mod:`xl_kpi.scoring.columns` declares, in its order, and "actual" means one thing."""

from __future__ import annotations

import csv
import random
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

import xl_kpi
from xl_kpi.consolidation import consolidate
from xl_kpi.core.text import ui_lang
from xl_kpi.demo import simulate_card
from xl_kpi.scoring.columns import TABLE, result_columns, stored_columns
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_employee_workbook

from .returned import GOOD, SEED, make_return

LEADER = Person("E300", "赵主管", "销售一部", "销售主管", "李四", "sales_supervisor", bonus_base=5000.0)


@pytest.fixture
def mixed_run(tmp_path, specs):
    """A plain sales return, one whose sales rate was typed as text, and a practice card (sections, raters,
    adjustments, veto, pay)."""
    folder = tmp_path / "returns"
    make_return(specs, folder, GOOD)
    make_return(specs, folder, Person("E101", "钱文", "销售一部", "销售代表", "李四", "sales_rep"), {**SEED, "sales_rate": "105%"})
    sup = specs["sales_supervisor"]
    build_employee_workbook(folder / "E300.xlsx", sup, LEADER, BuildOptions(actuals={"E300": simulate_card(sup, random.Random(3))}))
    result, paths = consolidate([folder], tmp_path / "out", specs, workers=1)
    return result, paths, [specs[t] for t in result.store.templates()]


def _csv(path):
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def test_every_output_shows_the_declared_columns_in_the_declared_order(mixed_run, monkeypatch):
    result, paths, used = mixed_run
    monkeypatch.setenv("XL_KPI_LANG", "en")
    columns = result_columns(used, "en")
    header, _ = _csv(paths["scores"])
    assert header == [c.key for c in columns.for_output("csv")]
    book = CalamineWorkbook.from_path(str(paths["summary"]))
    titles = {c.title("en"): c.key for c in columns} | {c.title("zh"): c.key for c in columns}
    shown = [titles[t] for t in book.get_sheet_by_name("成绩").to_python()[0]]
    assert shown == [c.key for c in columns.for_output("sheet") if not c.indicator]  # two templates: everyone's card here
    assert [k for k in header if k in shown] == shown  # the same order, whichever columns an output shows
    own = [[titles.get(t, t) for t in book.get_sheet_by_name(name).to_python()[0]] for name in book.sheet_names if name.startswith("成绩-")]
    for spec in used:  # and each template's own columns on a sheet of its own, as the table orders one template's
        expected = [c.key for c in result_columns([spec], "en").for_output("sheet") if c.key not in ("template", "period", "file", "sheet")]
        assert expected in own, spec.id
    pay_header, _ = _csv(paths["pay"])
    assert set(pay_header[:-1]) <= set(header) and pay_header[-1] == "no_pay_reason"  # payroll's selection, by key
    with sqlite3.connect(paths["history"]) as db:
        kept = {row[1] for row in db.execute("PRAGMA table_info(totals)")}
    assert {c.key for c in stored_columns()} <= kept


def test_score_writes_the_same_keys_in_the_same_order(specs):
    sup = specs["sales_supervisor"]
    frame = pd.DataFrame([{"employee_id": "E1", **SEED}])
    scored = xl_kpi.score(specs["sales_rep"], frame)
    keys = [c.key for c in result_columns([specs["sales_rep"]]).for_output("csv")]
    assert [k for k in scored.columns if k != "problems"] == [k for k in keys if k in scored.columns]
    assert list(scored.columns) == ["employee_id", "total", "grade", *(f"{i}_score" for i in SEED), "problems"]
    card_keys = [c.key for c in result_columns([sup]).for_output("score")]
    assert {"coefficient", "bonus_base", "pay", "weighted", "adjustment", "veto"} <= set(card_keys)
    assert [f"{s.id}_score" for s in sup.sections] == [k for k in card_keys if k.removesuffix("_score") in {s.id for s in sup.sections}]


def test_actual_is_the_value_scored_and_typed_is_what_was_typed(mixed_run):
    result, paths, used = mixed_run
    _, rows = _csv(paths["scores"])
    by_id = {r["employee_id"]: r for r in rows}
    assert by_id["E101"]["sales_rate_actual"] == "1.05" and by_id["E101"]["sales_rate_typed"] == "105%"
    assert by_id["E100"]["sales_rate_actual"] == by_id["E100"]["sales_rate_typed"] == "1.05"
    assert by_id["E101"]["total"] == by_id["E100"]["total"] == "80.0"
    with sqlite3.connect(paths["history"]) as db:
        stored = dict(db.execute("SELECT employee_id, actual FROM results WHERE indicator_id = 'sales_rate'"))
    assert stored["E101"] == stored["E100"] == 1.05  # the history keeps the same actual
    from openpyxl import load_workbook

    sheet = load_workbook(paths["summary"], read_only=True)["成绩-销售代表"]  # the sales template's own Scores sheet
    rows = list(sheet.iter_rows())
    sales = [spec for spec in used if spec.id == "sales_rep"]
    keys = [c.key for c in result_columns(sales, ui_lang()).for_output("sheet") if c.key not in ("template", "period", "file", "sheet")]
    (cell,) = [row[keys.index("sales_rate_actual")] for row in rows[1:] if row[0].value == "E101"]
    assert cell.value == 1.05 and cell.number_format == "0.0%"  # shown as the scorecard shows it: 105.0%


def test_the_table_declares_each_key_once():
    keys = [d.column.key for d in TABLE if d.column is not None]
    assert len(keys) == len(set(keys))
    assert [d.expand for d in TABLE if d.column is None] == ["indicators", "sections", "raters"]


def test_a_card_rated_by_others_has_each_raters_score_who_rated_and_what_is_awaited():
    from xl_kpi.spec import load_spec

    spec = load_spec(Path(__file__).parent / "data" / "sales_360.yaml")
    keys = [c.key for c in result_columns([spec]).for_output("csv")]
    others = [r.id for r in spec.raters if not r.by_employee]
    assert keys[keys.index("status") + 1] == "awaiting"
    assert [k for k in keys if k.startswith("rater_")] == [f"rater_{r}_{what}" for r in others for what in ("score", "by")]
    assert keys.index("veto") < keys.index(f"rater_{others[0]}_score") < keys.index("template")
    # a table of actuals scored by xl-kpi score has no raters' parts: none of these columns
    assert not {"awaiting", *(f"rater_{r}_score" for r in others)} & {c.key for c in result_columns([spec]).for_output("score")}
    assert "awaiting" not in result_columns([load_spec(Path(__file__).parent.parent / "workbook_templates" / "sales_rep.yaml")])

"""HR issues a card again in the same period (a threshold corrected, a target changed, a name fixed): the
latest issue is HR's word. A return of the earlier card is scored as returned only when the new card carries
the same rules, targets, bonus base and raters; otherwise it is ``superseded`` — no pay, no history, sent back
with the new card — and a return of the new card always wins over one of the old."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import xl_kpi
from xl_kpi.followup.problems import action_of
from xl_kpi.spec.model import Person

from .returned import GOOD, SEED, VICTIM

EARLIER = "2026-11-02T09:00:00+00:00"


def _issue(out: Path, spec, people: list[Person], actuals=SEED) -> None:
    xl_kpi.build(spec, people, out, actuals={p.employee_id: actuals for p in people})


def _backdate(register: Path) -> None:
    """The first issue, a month earlier (two builds of a test can fall in one second, which never supersedes)."""
    with sqlite3.connect(register) as db:
        db.execute("UPDATE issued SET issued_at = ?", (EARLIER,))


def _stricter(spec):
    """The same card with 良好 from 85 (the seed's 80 becomes 合格)."""
    grades = tuple(dataclasses.replace(g, min=85.0) if g.label == "良好" else g for g in spec.grades)
    return dataclasses.replace(spec, grades=grades)


def _old_returns(issued: Path, folder: Path) -> Path:
    folder.mkdir()
    for f in issued.rglob("*.xlsx"):
        shutil.copy(f, folder / f.name)
    return folder


def _first_issue(tmp_path: Path, spec, people: list[Person]) -> tuple[Path, Path]:
    """The first cards, issued a month ago and filled in (the seed's 80 → 良好): (the build folder, the returns)."""
    issued = tmp_path / "issued"
    _issue(issued, spec, people)
    _backdate(issued / "issued.sqlite")
    return issued, _old_returns(issued, tmp_path / "returns")


def test_a_return_of_a_card_issued_again_on_other_terms_is_not_paid(tmp_path, specs):
    spec = specs["sales_rep"]
    people = [dataclasses.replace(p, bonus_base=6000.0, period="2026-Q4") for p in (GOOD, VICTIM)]
    issued, returns = _first_issue(tmp_path, spec, people)  # both fill in the first card: 80 → 良好
    register = issued / "issued.sqlite"
    _issue(issued, _stricter(spec), people[:1])  # HR corrects 良好 for E100 only…
    _issue(issued, spec, people[1:])  # …and issues E200's card again unchanged (a name fixed)
    history = tmp_path / "history.sqlite"
    result = xl_kpi.consolidate(returns, tmp_path / "out", issued=register, history=history)
    by_id = {r.employee_id: r for r in result.run.records}
    good, victim = by_id[GOOD.employee_id], by_id[VICTIM.employee_id]
    assert good.status == "superseded" and good.pay is None
    (found,) = [i for i in result.run.issues if i.code == "superseded-issue"]
    assert found.employee_id == GOOD.employee_id and found.severity == "error" and action_of(found) == "reissue"
    assert "2026-11-02 09:00:00 UTC" in found.message("zh") and "规则" in found.message("zh")
    assert victim.status == "ok" and (victim.total, victim.grade) == (80.0, "良好")
    assert [i.employee_id for i in result.run.issues if i.code == "superseded-same"] == [VICTIM.employee_id]
    with sqlite3.connect(history) as db:
        written = {e for (e,) in db.execute("SELECT employee_id FROM totals")}
    assert written == {VICTIM.employee_id}  # the superseded result never reaches the history


def test_the_new_cards_return_wins_over_the_old_ones_whatever_their_dates(tmp_path, specs):
    spec = specs["sales_rep"]
    people = [dataclasses.replace(GOOD, period="2026-Q4")]
    issued, returns = _first_issue(tmp_path, spec, people)
    old = next(returns.glob("E100_*.xlsx"))
    _issue(issued, _stricter(spec), people, actuals={**SEED, "sales_rate": 1.12})  # 85 on the new card → 良好
    new = returns / "E100_new.xlsx"
    shutil.copy(next(issued.rglob("E100_*.xlsx")), new)
    old.touch()  # the old card sent again after the new one
    result = xl_kpi.consolidate(returns, tmp_path / "out", issued=issued / "issued.sqlite")
    (record,) = result.run.records
    assert (Path(record.file).name, record.status, record.grade) == (new.name, "ok", "良好")
    assert {i.code for i in result.run.issues if i.employee_id == GOOD.employee_id} >= {"duplicate-person"}


def test_a_card_issued_again_counts_its_person_once_and_sends_the_new_card(tmp_path, specs):
    spec = specs["sales_rep"]
    people = [dataclasses.replace(p, period="2026-Q4") for p in (GOOD, VICTIM)]
    issued, returns = _first_issue(tmp_path, spec, people)
    moved = dataclasses.replace(people[0], department="销售二部")  # E100 moved: the card issued again in the new department
    _issue(issued, _stricter(spec), [moved])
    frame = xl_kpi.status(issued=issued / "issued.sqlite", returns=returns)
    total = frame[frame["department"] == "*"].iloc[0]
    assert (total["issued"], total["returned"]) == (2, 2)
    assert set(frame["department"]) == {"销售一部", "销售二部", "*"}
    assert frame.set_index("department").loc["销售二部", "issued"] == 1 and frame.set_index("department").loc["销售一部", "issued"] == 1
    plan = xl_kpi.sendback(returns, tmp_path / "back", issued=issued / "issued.sqlite")
    (item,) = [x for x in plan.items if x.employee_id == GOOD.employee_id]
    assert item.action == "reissue", item
    assert "销售二部" in str(item.attach), item.attach


def test_a_target_written_out_as_the_spec_has_it_is_the_same_terms(tmp_path, specs):
    spec = specs["sales_rep"]
    people = [dataclasses.replace(GOOD, period="2026-Q4")]
    issued, returns = _first_issue(tmp_path, spec, people)
    same = {GOOD.employee_id: {"sales_rate": float(spec.indicator("sales_rate").target)}}  # the spec's own target, as a personal one
    xl_kpi.build(spec, people, issued, targets=same)
    result = xl_kpi.consolidate(returns, tmp_path / "out", issued=issued / "issued.sqlite")
    (record,) = result.run.records
    assert (record.status, record.total) == ("ok", 80.0)
    assert [i.code for i in result.run.issues if i.code.startswith("superseded")] == ["superseded-same"]
    higher = {GOOD.employee_id: {"sales_rate": 1.2}}
    with sqlite3.connect(issued / "issued.sqlite") as db:  # the second issue a week later (the third is now)
        db.execute("UPDATE issued SET issued_at = '2026-11-09T09:00:00+00:00' WHERE issued_at > ?", (EARLIER,))
    xl_kpi.build(spec, people, issued, targets=higher)  # then a real change: the old return is no longer the card
    result = xl_kpi.consolidate(returns, tmp_path / "out2", issued=issued / "issued.sqlite")
    (record,) = result.run.records
    assert record.status == "superseded"
    assert "目标值" in next(i for i in result.run.issues if i.code == "superseded-issue").message("zh")


def test_a_superseded_card_counts_in_no_department_score_or_grade(tmp_path, specs):
    """Its 80 → 良好 is the old card's grade (合格 under the new one): the department figures and the grade
    distribution HR calibrates on leave it out, and still count it as returned."""
    from xl_kpi.consolidation.health import Stats

    spec = specs["sales_rep"]
    people = [dataclasses.replace(p, bonus_base=6000.0, period="2026-Q4") for p in (GOOD, VICTIM)]
    issued, returns = _first_issue(tmp_path, spec, people)
    _issue(issued, _stricter(spec), people[:1])
    result = xl_kpi.consolidate(returns, tmp_path / "out", issued=issued / "issued.sqlite")
    stats = Stats({spec.id: spec})
    for record in result.run.records:
        stats.add(record)
    (dept,) = {p.department for p in people}
    (figures,) = [d for d in stats.department_stats() if d.department == dept]
    assert (figures.returned, figures.scored, figures.mean) == (2, 1, 80.0)
    good = {label: n for _, label, n in stats.grade_distribution()}
    assert good["良好"] == 1  # VICTIM's; GOOD's old-card 良好 is not counted

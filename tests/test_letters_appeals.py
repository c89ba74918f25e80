"""Notify and appeal: result letters (one A4 page, the person's language), talk records read back, appeals decided
with the original and final result, and the final pay and annual roll-up that follow them."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

import xl_kpi
from xl_kpi.core.errors import UsageError
from xl_kpi.followup.calibration import load_candidates
from xl_kpi.scoring.engine import grade_for, pay_for

from .conftest import TEMPLATES
from .cycle_data import consolidated_period, department
from .faulty_returns import type_value


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    specs = xl_kpi.load_templates(TEMPLATES)
    root = tmp_path_factory.mktemp("notify")
    people = department(6) + department(2, ("sales_rep_en",), "Sales 2", start=10)
    roster = root / "roster.csv"
    roster.write_text("employee_id,name,department,position,manager,template,bonus_base,email\n" + "\n".join(
        f"{p.employee_id},{p.name},{p.department},{p.position},{p.manager},{p.template},{p.bonus_base},{p.employee_id.lower()}@example.com"
        for p in people) + "\n", encoding="utf-8")
    build, history, actuals = consolidated_period(specs, root, people, seed=8)
    run = xl_kpi.letters(build, root / "letters", specs, roster, history=history, issued=build / "issued.sqlite", deadline="2026年12月20日",
                         workers=1)
    return specs, people, build, history, actuals, root, run


def _cells(path: Path, sheet: int) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(f"xl/worksheets/sheet{sheet}.xml").decode()


def _strings(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/sharedStrings.xml").decode()


def test_everyone_with_a_result_gets_a_letter_in_their_language(cycle):
    _, people, _, history, _, root, run = cycle
    assert len([x for x in run.letters if x.path]) == len(people)
    for letter in run.letters:
        text = _strings(letter.path)
        assert letter.employee_id in text and "2026年12月20日" in text
        if letter.department == "Sales 2":
            assert "Performance result" in text and "Supervisor's comment" in text and "绩效结果通知书" not in text
        else:
            assert "绩效结果通知书" in text and "上级评语" in text and "申诉" in text
        assert OpenXmlValidator().validate(str(letter.path)).is_valid
    with sqlite3.connect(history) as db:
        assert db.execute("SELECT COUNT(*) FROM letters").fetchone() == (len(people),)
    assert xl_kpi.status(history=history).iloc[-1]["announced"] == len(people)


def test_a_letter_states_every_part_of_the_result(cycle):
    specs, _, _, _, _, _, run = cycle
    letter = next(x for x in run.letters if x.data.spec.id == "sales_supervisor")
    text = _strings(letter.path)
    record = letter.data.record
    for ind in letter.data.spec.indicators:
        assert ind.name in text
    for word in ("业绩", "加减分", "一票否决", "考核总分", "绩效系数", "绩效奖金基数", "绩效工资", "员工签字", "直接上级签字"):
        assert word in text, word
    numbers = [float(v) for v in re.findall(r"<v>([-\d.E+]+)</v>", re.sub(r'<c [^>]*t="s"[^>]*><v>\d+</v>', "", _cells(letter.path, 1)))]
    assert any(v == pytest.approx(record.total) for v in numbers) and any(v == pytest.approx(record.pay) for v in numbers)


def test_without_the_roster_a_letter_names_the_position_and_manager_as_issued(cycle, tmp_path):
    """HR writes the letters from the register alone: the position and 直接上级 build issued are on each letter, not "—"."""
    specs, people, build, history, _, _, _ = cycle
    run = xl_kpi.letters(build, tmp_path / "letters", specs, history=None, issued=build / "issued.sqlite", deadline="2026年12月20日",
                         workers=1, drafts=False)
    letters = [x for x in run.letters if x.path]
    assert len(letters) == len(people)
    for letter in letters:
        assert (letter.data.position, letter.data.manager) == ("岗位", "王经理")
        assert "王经理" in _strings(letter.path)


def test_a_letter_states_the_actual_as_scored_not_as_typed(tmp_path, specs):
    """An actual typed in full-width digits (１１) was read and scored as 11个: the letter says 11个, as the target says 10个."""
    from .conftest import SALES_CELLS
    from .returned import GOOD, SEED, make_return

    folder = tmp_path / "returns"
    folder.mkdir()
    path = make_return(specs, folder, GOOD)
    type_value(path, SALES_CELLS["actual"]["new_customers"], "１１")
    run = xl_kpi.letters(folder, tmp_path / "letters", specs["sales_rep"], deadline="2026年12月20日", workers=1, drafts=False)
    (letter,) = [x for x in run.letters if x.path]
    assert letter.data.record.total == 80.0 and SEED["new_customers"] == 11
    text = _strings(letter.path)
    assert "<t>11个</t>" in text and "１１" not in text


def test_letters_print_on_one_a4_page_at_100_percent(cycle):
    _, _, _, _, _, _, run = cycle
    for letter in run.letters[:2]:
        sheet = _cells(letter.path, 1)
        setup = re.search(r"<pageSetup [^>]*>", sheet).group(0)
        assert 'paperSize="9"' in setup and "scale=" not in setup and "fitToPage" not in sheet  # 100%: never shrunk
        with zipfile.ZipFile(letter.path) as zf:
            sizes = [float(v) for v in re.findall(r'<sz val="([\d.]+)"/>', zf.read("xl/styles.xml").decode())]
        assert min(sizes) >= 9


@pytest.mark.libreoffice
def test_a_letter_and_its_talk_record_render_one_page_each(cycle, tmp_path):
    from xl_kpi.office.libreoffice import convert

    _, _, _, _, _, _, run = cycle
    letters = [next(x for x in run.letters if x.data.spec.id == s) for s in ("sales_supervisor", "sales_rep_en")]
    for pdf in convert([x.path for x in letters], tmp_path, to="pdf"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Pages:\s+2\b", info), info  # the letter, then the talk record: one page each
        words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        heights = [float(y2) - float(y1) for y1, y2 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', words)]
        assert heights and min(heights) >= 9 * 0.95  # glyph boxes of 10-point text, never below 9 points


def test_letters_come_with_an_email_each(cycle):
    import email
    import email.policy

    _, people, _, _, _, _, run = cycle
    assert len(run.drafts) == len(people)
    for draft in run.drafts:
        msg = email.message_from_bytes(draft.path.read_bytes(), policy=email.policy.default)
        (part,) = list(msg.iter_attachments())
        assert part.get_content() == draft.attachments[0].read_bytes() and msg["To"].addresses[0].addr_spec.endswith("@example.com")


def test_talk_records_are_read_into_the_history(cycle, tmp_path):
    _, _, _, history, _, _, run = cycle
    filled = tmp_path / "talk.xlsx"
    letter = run.letters[0]
    filled.write_bytes(letter.path.read_bytes())
    import json

    import openpyxl

    meta = {r[0].value: r[1].value for r in openpyxl.load_workbook(letter.path)["_xlkpi_letter"].iter_rows()}
    cells = json.loads(meta["talk_cells"])
    values = {"held_on": "2026-12-15", "strengths": "新客户开发超目标 20%", "gaps": "费用控制率 105%,超预算", "goals": "Q1 销售额完成率 ≥ 100%",
              "actions": "每周复盘费用;上级每月辅导一次", "employee_sign": "员工0", "supervisor_sign": ""}
    for key, value in values.items():
        type_value(filled, cells[key], value or None, "xl/worksheets/sheet2.xml")
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(run.letters[1].path.read_bytes())
    recorded, findings = xl_kpi.collect_talks([filled, blank], history)
    assert [r["employee_id"] for r in recorded] == [letter.employee_id]
    assert {f.code for f in findings} == {"talk-unsigned", "talk-empty"}
    with sqlite3.connect(history) as db:
        row = db.execute("SELECT strengths, gaps, goals, actions, employee_signed, supervisor_signed, held_on FROM talks WHERE employee_id = ?",
                         (letter.employee_id,)).fetchone()
    assert row == ("新客户开发超目标 20%", "费用控制率 105%,超预算", "Q1 销售额完成率 ≥ 100%", "每周复盘费用;上级每月辅导一次", "员工0", "", "2026-12-15")


# --- appeals ------------------------------------------------------------------------------------------
def _form_cells(path: Path) -> dict:
    import json

    import openpyxl

    meta = {r[0].value: r[1].value for r in openpyxl.load_workbook(path)["_xlkpi_appeal"].iter_rows()}
    return json.loads(meta["cells"])


def test_an_upheld_appeal_keeps_the_result_and_is_on_record(cycle, tmp_path):
    _, people, _, history, _, _, _ = cycle
    hist = tmp_path / "h.sqlite"
    hist.write_bytes(history.read_bytes())
    eid = people[1].employee_id
    (form,) = xl_kpi.appeal_forms(hist, tmp_path, eid)
    cells = _form_cells(form)
    for key, value in (("received", "2026-12-18"), ("reason", "新客户数统计漏了 2 家"), ("decision", "维持原结果"), ("decided_by", "HR 张"),
                       ("decided_on", "2026-12-22")):
        type_value(form, cells[key], value)
    run = xl_kpi.collect_appeals(form, hist, tmp_path / "out")
    assert not run.findings and run.appeals[0].row["decision"] == "upheld"
    final = xl_kpi.final_pay(hist).set_index("employee_id").loc[eid]
    assert final["appeal"] == "upheld" and final["final_total"] == final["total"] and final["changed_by"] == ""


def test_a_changed_appeal_is_scored_again_by_the_engine_and_reaches_pay_and_rollup(cycle, tmp_path):
    specs, people, _, history, actuals, _, _ = cycle
    hist = tmp_path / "h.sqlite"
    hist.write_bytes(history.read_bytes())
    person = next(p for p in people if p.template == "sales_supervisor")
    (form,) = xl_kpi.appeal_forms(hist, tmp_path, person.employee_id)
    cells = _form_cells(form)
    corrected = {"team_sales_rate": 1.12, "new_customers": 36}
    for key, value in corrected.items():
        type_value(form, cells["inputs"][f"actual:{key}"], value)
    for key, value in (("received", "2026-12-18"), ("reason", "财务系统数据更正"), ("evidence", "财务部更正单 F-12"), ("decision", "变更结果"),
                       ("decided_by", "HR 张"), ("decided_on", "2026-12-22")):
        type_value(form, cells[key], value)
    run = xl_kpi.collect_appeals(form, hist, tmp_path / "out")
    assert not run.findings, [f.render() for f in run.findings]
    spec = specs["sales_supervisor"]
    inputs = {**actuals[person.employee_id], **corrected}
    expected = xl_kpi.score_card(spec, inputs, person.bonus_base)
    row = run.appeals[0].row
    assert row["final_total"] == expected.total and row["final_grade"] == expected.grade.label
    assert row["final_pay"] == pay_for(person.bonus_base, expected.coefficient)
    final = xl_kpi.final_pay(hist).set_index("employee_id").loc[person.employee_id]
    assert final["final_total"] == expected.total and final["changed_by"] == "appeal" and final["final_pay"] == expected.pay
    with sqlite3.connect(hist) as db:
        original, stored = db.execute("SELECT original_total, final_total FROM appeals WHERE employee_id = ?", (person.employee_id,)).fetchone()
    assert original == final["total"] and stored == expected.total
    year = xl_kpi.rollup(hist, 2026).set_index("employee_id")
    assert year.loc[person.employee_id, "annual_total"] == expected.total  # one quarter: the year is the appealed total
    assert year.loc[person.employee_id, "grade"] == grade_for(expected.total, spec.grades).label


def test_a_grade_set_directly_must_be_the_persons_own(cycle, tmp_path):
    _, people, _, history, _, _, _ = cycle
    hist = tmp_path / "h.sqlite"
    hist.write_bytes(history.read_bytes())
    person = people[0]
    (form,) = xl_kpi.appeal_forms(hist, tmp_path, person.employee_id)
    cells = _form_cells(form)
    for key, value in (("reason", "考核期间病假"), ("decision", "变更结果"), ("grade", "Good")):
        type_value(form, cells[key], value)
    run = xl_kpi.collect_appeals(form, hist, tmp_path / "out")
    assert [f.code for f in run.findings] == ["calibration-other-scale"] and not run.appeals[0].recorded
    type_value(form, cells["grade"], "良好")
    run = xl_kpi.collect_appeals(form, hist, tmp_path / "out")
    assert not run.findings and run.appeals[0].row["final_grade"] == "良好"


def test_an_appeal_needs_a_reason_and_a_decision_of_the_list(cycle, tmp_path):
    _, people, _, history, _, _, _ = cycle
    (form,) = xl_kpi.appeal_forms(history, tmp_path, people[2].employee_id)
    cells = _form_cells(form)
    type_value(form, cells["decision"], "同意")
    run = xl_kpi.collect_appeals(form, history, tmp_path / "out")
    assert [f.code for f in run.findings] == ["appeal-incomplete"]
    assert "申诉理由" in run.findings[0].message("zh") and "有效的处理结果" in run.findings[0].message("zh")


def test_no_appeal_form_for_someone_without_a_result(cycle, tmp_path):
    _, _, _, history, _, _, _ = cycle
    with pytest.raises(UsageError, match="E999"):
        xl_kpi.appeal_forms(history, tmp_path, "E999")


def test_an_appeal_on_a_calibrated_result_appeals_the_calibrated_grade(cycle, tmp_path):
    _, people, _, history, _, _, _ = cycle
    hist = tmp_path / "h.sqlite"
    hist.write_bytes(history.read_bytes())
    person = next(p for p in load_candidates(hist, "2026-Q3")[0] if p.grade != "优秀" and p.spec.has_coefficients)
    with sqlite3.connect(hist) as db:
        db.execute("INSERT INTO calibrations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   ("2026-Q3", person.employee_id, person.template, person.department, person.total, person.grade, "优秀", 1, 1.2,
                    person.bonus_base, pay_for(person.bonus_base, 1.2), "表现突出", "王经理", "s1", "now"))
    (form,) = xl_kpi.appeal_forms(hist, tmp_path, person.employee_id)
    assert "优秀" in _strings(form)
    cells = _form_cells(form)
    for key, value in (("reason", "要求复核"), ("decision", "维持原结果")):
        type_value(form, cells[key], value)
    run = xl_kpi.collect_appeals(form, hist, tmp_path / "out")
    assert not run.findings and run.appeals[0].row["original_grade"] == "优秀"
    final = xl_kpi.final_pay(hist).set_index("employee_id").loc[person.employee_id]
    assert final["final_grade"] == "优秀" and final["appeal"] == "upheld" and final["changed_by"] == "calibration"

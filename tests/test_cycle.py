"""A whole cycle on the command line: build → returns (some faulty, some late) → consolidate → send back and
chase → corrected and late returns → consolidate → calibrate → letters → one appeal → final pay."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

import xl_kpi
from xl_kpi.cli import run
from xl_kpi.core.refs import col_letter
from xl_kpi.scoring.engine import pay_for
from xl_kpi.spec.model import Person

from .conftest import TEMPLATES
from .faulty_returns import correct, make_corpus, returned, type_value


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.slow
def test_a_whole_cycle_from_build_to_final_pay(tmp_path, capsys):
    specs = xl_kpi.load_templates(TEMPLATES)
    people = [Person(f"E{k:02d}", f"员工{k}", "销售一部" if k < 8 else "销售二部", "销售主管", "王经理" if k < 8 else "李经理",
                     "sales_supervisor", bonus_base=6000.0) for k in range(12)]
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,department,position,manager,template,bonus_base,email,manager_email\n" + "\n".join(
        f"{p.employee_id},{p.name},{p.department},{p.position},{p.manager},{p.template},6000,{p.employee_id.lower()}@example.com,"
        f"{'wang' if p.manager == '王经理' else 'li'}@example.com" for p in people) + "\n", encoding="utf-8")
    cases, build = make_corpus(specs, tmp_path, people, seed=42, faulty_share=0.5)
    late = {"E10", "E11"}
    first = returned([c for c in cases if c.person.employee_id not in late], tmp_path / "round1")
    faulty = {c.person.employee_id for c in first if c.broken}
    assert faulty and len(faulty) < len(first)
    register = str(build / "issued.sqlite")
    common = ["--templates", str(TEMPLATES), "--roster", str(roster), "--issued", register, "--workers", "1"]

    # 1. consolidate what came back; send back what is wrong and chase who is late
    assert run(["consolidate", str(tmp_path / "round1"), "-o", str(tmp_path / "c1"), *common]) == 1
    assert run(["chase", str(tmp_path / "round1"), "-o", str(tmp_path / "chase"), *common, "--signatures", "none",
                "--deadline", "12月20日"]) == 1
    chased = _rows(tmp_path / "chase" / "chase.csv")
    assert {r["employee_id"] for r in chased if r["kind"] == "return"} == late
    assert {r["employee_id"] for r in chased if r["kind"] in ("correction", "rating")} == faulty
    status = json.loads((capsys.readouterr(), run(["status", "--issued", register, "--history", str(tmp_path / "c1" / "history.sqlite"),
                                                   "--format", "json"]), capsys.readouterr().out)[2])
    assert status["departments"][-1]["issued"] == 12 and status["departments"][-1]["returned"] == 10

    # 2. the people correct the annotated copies, the late ones return theirs
    round2 = tmp_path / "round2"
    shutil.copytree(tmp_path / "round1", round2)
    for item in _rows(tmp_path / "chase" / "sendback" / "sendback.csv"):
        case = next(c for c in first if c.person.employee_id == item["employee_id"])
        fixed = round2 / Path(item["file"]).name
        fixed.write_bytes(Path(item["attach"]).read_bytes())
        correct(case, fixed)
    for case in (c for c in cases if c.person.employee_id in late):  # the late ones fill theirs in correctly
        (round2 / case.path.name).write_bytes(case.path.read_bytes())
    assert run(["consolidate", str(round2), "-o", str(tmp_path / "c2"), *common]) == 0, capsys.readouterr().err
    history = tmp_path / "c2" / "history.sqlite"
    assert run(["sendback", str(round2), "-o", str(tmp_path / "back2"), *common]) == 0  # nothing left to send back

    # 3. calibrate: the department head moves one grade, with a reason
    assert run(["calibrate", "build", "--history", str(history), "-o", str(tmp_path / "cal"), "--guideline", "优秀<=20%,不合格>=5%"]) == 0
    book = tmp_path / "cal" / "calibration_销售一部.xlsx"
    meta = [[c.value for c in r] for r in openpyxl.load_workbook(book)["_xlkpi_calibration"].iter_rows()]
    sheet = next(r for r in meta if r[0] == "sheet")
    cols, row0 = json.loads(sheet[3]), int(sheet[4])
    person = next(r for r in meta if r[0] == "person")
    eid, grade = person[2], person[5]
    moved = "良好" if grade != "良好" else "合格"
    for key, value in (("calibrated", moved), ("reason", "与部门其他人相比贡献突出"), ("calibrator", "王经理")):
        type_value(book, f"{col_letter(cols[key])}{row0 + 1}", value)
    assert run(["calibrate", "collect", str(book), "--history", str(history), "-o", str(tmp_path / "calout")]) == 0

    # 4. letters for everyone, with the calibrated grade
    assert run(["letters", "build", str(round2), "-o", str(tmp_path / "letters"), *common, "--history", str(history),
                "--deadline", "2026年12月31日"]) == 0
    letters = _rows(tmp_path / "letters" / "letters.csv")
    assert len(letters) == 12 and next(r for r in letters if r["employee_id"] == eid)["grade"] == moved

    # 5. one appeal, upheld
    appellant = next(p.employee_id for p in people if p.employee_id != eid)
    assert run(["appeal", "form", "--history", str(history), "--employee", appellant, "-o", str(tmp_path / "appeal")]) == 0
    (form,) = (tmp_path / "appeal").glob("*.xlsx")
    cells = json.loads({r[0].value: r[1].value for r in openpyxl.load_workbook(form)["_xlkpi_appeal"].iter_rows()}["cells"])
    for key, value in (("received", "2026-12-28"), ("reason", "对团队辅导的上级评分有异议"), ("decision", "维持原结果"), ("decided_by", "HR")):
        type_value(form, cells[key], value)
    assert run(["appeal", "collect", str(form), "--history", str(history), "-o", str(tmp_path / "appeals")]) == 0

    # 6. final pay: everyone paid, the calibrated grade's coefficient for the one moved, the appeal on record
    capsys.readouterr()
    assert run(["pay", "--history", str(history), "-o", str(tmp_path / "pay.csv")]) == 0
    said = capsys.readouterr().out
    assert ("12 人有绩效工资,0 人暂无" in said) or ("12 with pay, 0 without" in said), said
    pay = {r["employee_id"]: r for r in _rows(tmp_path / "pay.csv")}
    assert len(pay) == 12 and all(r["final_pay"] for r in pay.values())
    spec = specs["sales_supervisor"]
    coefficient = spec.grades[spec.grade_ranks[moved] - 1].coefficient
    assert pay[eid]["final_grade"] == moved and float(pay[eid]["final_pay"]) == pay_for(6000.0, coefficient)
    assert pay[eid]["grade"] == grade and pay[eid]["changed_by"] == "calibration"
    assert pay[appellant]["appeal"] == "upheld"
    status = json.loads((capsys.readouterr(), run(["status", "--issued", register, "--history", str(history), "--format", "json"]),
                         capsys.readouterr().out)[2])
    total = status["departments"][-1]
    assert (total["complete"], total["announced"], total["appealed"]) == (12, 12, 1) and total["calibrated"] >= 8

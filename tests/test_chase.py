"""Chase who is late: the chase list, .eml drafts that parse and carry the right workbook, and the status view."""

from __future__ import annotations

import email
import email.policy
import io
import shutil
import zipfile

import pytest

import xl_kpi
from xl_kpi.cli import run as cli
from xl_kpi.spec.model import Person

from .conftest import TEMPLATES
from .faulty_returns import make_corpus, returned, type_value

CYCLE = ["sales_rep", "sales_supervisor", "sales_rep_en"]


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    specs = xl_kpi.load_templates(TEMPLATES)
    root = tmp_path_factory.mktemp("chase")
    people = [Person(f"E{k:02d}", f"员工{k}", f"部门{k % 2}", "岗位", "王经理" if k % 2 else "Ann Lee", CYCLE[k % 3], bonus_base=5000.0)
              for k in range(9)]
    cases, build = make_corpus(specs, root, people, seed=11, faulty_share=0.5)
    late = {"E07", "E08"}
    back = returned([c for c in cases if c.person.employee_id not in late], root / "returns")
    # E04 (a supervisor's card) came back without the supervisor's ratings, otherwise complete and signed by the employee
    e04 = next(c for c in back if c.person.employee_id == "E04")
    for name, cell in e04.names.items():
        if name.startswith("KPI_RATING_") and name.endswith("_SUPERVISOR"):
            type_value(e04.path, cell, None)
    roster = root / "roster.csv"
    lines = ["employee_id,name,department,position,manager,template,bonus_base,email,上级邮箱"]
    lines += [f"{p.employee_id},{p.name},{p.department},岗位,{p.manager},{p.template},5000,{p.employee_id.lower()}@example.com,"
              f"{'wang' if p.manager == '王经理' else 'ann'}@example.com" for p in people]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = xl_kpi.chase(root / "returns", root / "out", specs, roster, issued=build / "issued.sqlite", workers=1,
                       deadline="12月20日", sender="HR <hr@example.com>", signatures=())
    return specs, people, cases, back, build, root, run


def _parsed(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_the_chase_list_names_what_each_person_owes_and_whom_to_ask(cycle):
    _, people, cases, back, _, _, run = cycle
    by = {}
    for item in run.items:
        by.setdefault(item.employee_id, set()).add((item.kind, item.to))
    assert by["E07"] == {("return", "person")} and by["E08"] == {("return", "person")}
    assert ("rating", "manager") in by["E04"]
    faulty = {c.person.employee_id for c in back if c.broken}
    assert {eid for eid, kinds in by.items() if ("correction", "person") in kinds} <= faulty
    assert all(item.manager in ("王经理", "Ann Lee") and item.email == f"{item.employee_id.lower()}@example.com" for item in run.items)


def test_every_draft_parses_and_carries_the_right_workbook(cycle):
    _, _, _, _, build, root, run = cycle
    assert run.drafts
    for draft in run.drafts:
        msg = _parsed(draft.path)
        assert msg["X-Unsent"] == "1" and msg["From"] == "HR <hr@example.com>"
        attached = {part.get_filename(): part.get_content() for part in msg.iter_attachments()}
        assert set(attached) == {p.name for p in draft.attachments}
        for data in attached.values():
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                assert "xl/workbook.xml" in zf.namelist()
        if draft.recipient == "person":
            item = draft.items[0]
            assert msg["To"].addresses[0].addr_spec == f"{item.employee_id.lower()}@example.com"
            for it in draft.items:
                if it.kind == "return":  # the workbook as issued, byte for byte
                    issued = next(p for p in (build).rglob(f"{it.employee_id}_*.xlsx"))
                    assert attached[issued.name] == issued.read_bytes()
                if it.kind == "correction":
                    assert attached[it.attach.name] == it.attach.read_bytes() and "_待修改" in it.attach.name or "_to-correct" in it.attach.name


def test_drafts_speak_the_recipients_language(cycle):
    _, _, _, _, _, _, run = cycle
    for draft in run.drafts:
        body = _parsed(draft.path).get_body(("plain",)).get_content()
        if draft.lang == "zh":
            assert "绩效考核" in _parsed(draft.path)["Subject"] and "12月20日" in body
        else:
            assert "performance review" in _parsed(draft.path)["Subject"] and "by 12月20日" in body
    person_langs = {d.items[0].employee_id: d.lang for d in run.drafts if d.recipient == "person"}
    assert person_langs["E08"] == "en" and person_langs["E07"] == "zh"  # both late: the language of the workbook issued


def test_a_manager_gets_one_draft_for_what_only_they_can_do(cycle):
    _, _, _, _, _, _, run = cycle
    managers = [d for d in run.drafts if d.recipient == "manager"]
    ann = next(d for d in managers if d.to_name == "Ann Lee")  # E04's supervisor, who has not rated yet
    assert ann.to == "ann@example.com" and any(i.kind == "rating" and i.employee_id == "E04" for i in ann.items)
    assert len(managers) == len({d.to_name for d in managers})


def test_grouped_by_manager_every_person_is_in_their_managers_draft(cycle, tmp_path):
    specs, _, _, _, build, root, _ = cycle
    run = xl_kpi.chase(root / "returns", tmp_path / "m", specs, root / "roster.csv", issued=build / "issued.sqlite", workers=1, by="manager")
    assert {d.recipient for d in run.drafts} == {"manager"}
    assert {i.employee_id for d in run.drafts for i in d.items} == {i.employee_id for i in run.items if i.to != "hr"}


def test_status_counts_each_department(cycle):
    specs, _, _, back, build, root, _ = cycle
    frame = xl_kpi.status(issued=build / "issued.sqlite", returns=root / "returns", templates=specs, workers=1)
    total = frame.iloc[-1]
    assert total["department"] == "*" and total["issued"] == 9 and total["returned"] == 7 and total["not_returned"] == 2
    assert total["complete"] + total["problems"] == 7 and total["awaiting_rater"] >= 1
    assert list(frame["department"][:-1]) == ["部门0", "部门1"]


def test_status_from_the_history_alone(cycle, tmp_path):
    specs, _, _, _, build, root, _ = cycle
    xl_kpi.consolidate(root / "returns", tmp_path / "c", specs, issued=build / "issued.sqlite", workers=1)
    frame = xl_kpi.status(issued=build / "issued.sqlite", history=tmp_path / "c" / "history.sqlite")
    assert frame.iloc[-1]["returned"] == 7 and frame.iloc[-1]["awaiting_rater"] == ""


def test_cli_chase_says_what_it_wrote(cycle, tmp_path, capsys):
    _, _, _, _, build, root, _ = cycle
    code = cli(["chase", str(root / "returns"), "-o", str(tmp_path / "cli"), "--templates", str(TEMPLATES), "--roster",
                str(root / "roster.csv"), "--issued", str(build / "issued.sqlite"), "--workers", "1", "--signatures", "none"])
    said = capsys.readouterr().out
    assert code == 1 and "邮件草稿" in said and (tmp_path / "cli" / "chase.csv").exists()


def test_a_file_that_cannot_be_read_is_answered_with_the_workbook_as_issued(cycle, tmp_path):
    specs, people, _, _, build, root, _ = cycle
    folder = tmp_path / "returns"
    shutil.copytree(root / "returns", folder)
    (folder / "E07_员工7.xlsx").write_bytes(b"this is not a workbook")  # E07 sent something, but nothing readable
    run = xl_kpi.chase(folder, tmp_path / "out", specs, root / "roster.csv", issued=build / "issued.sqlite", workers=1, signatures=())
    e07 = [i for i in run.items if i.employee_id == "E07"]
    assert [(i.kind, i.to) for i in e07] == [("reissue", "person")] and e07[0].attach.name.startswith("E07_")

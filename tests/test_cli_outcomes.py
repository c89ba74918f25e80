"""The command line says what happened: the problems a consolidation found, by kind with an example;
one line and exit code 130 for Ctrl-C; findings on stdout; a BOM on every CSV; HR's own words
where ids are asked; xl-kpi's own files never taken for wrong attachments; values as the sheet
shows them. One test per outcome that used to pass in silence or in internals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import xl_kpi
from xl_kpi import api
from xl_kpi.advice.review import review_findings
from xl_kpi.authoring.ids import slug
from xl_kpi.cli import EXIT_INTERRUPTED, run

from . import excel_edits as edit
from .conftest import ROOT, TEMPLATES
from .returned import GOOD, SEED, VICTIM

SALES = TEMPLATES / "sales_rep.yaml"
NAMES = {"sales_rate": "销售额完成率", "new_customers": "新客户开发数", "repurchase_rate": "客户复购率", "expense_rate": "销售费用控制率"}
ROSTER = "employee_id,name,department,position,manager,template\n"


def _returns(tmp_path: Path, specs, wrong_attachment: bool = True) -> tuple[Path, Path]:
    """Two returns of the seed's card (one typed "很多" for a count) built where HR builds them, so the
    register issued.sqlite sits beside them; plus a wrong attachment."""
    folder = tmp_path / "returns"
    xl_kpi.build(specs["sales_rep"], [GOOD, VICTIM], folder,
                 actuals={GOOD.employee_id: SEED, VICTIM.employee_id: {**SEED, "new_customers": "很多"}})
    if wrong_attachment:
        (folder / "报销单.xlsx").write_text("这不是考核表", encoding="utf-8")
    return folder, folder / "issued.sqlite"


# --- consolidate says what it found --------------------------------------------------------------
def test_consolidate_lists_the_problems_by_kind_with_an_example_file_each(tmp_path, specs, capsys):
    returns, _ = _returns(tmp_path, specs)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER + f"{GOOD.employee_id},李好,销售一部,销售代表,李四,sales_rep\n{VICTIM.employee_id},王测,销售一部,销售代表,李四,sales_rep\n"
                      "E300,赵六,销售一部,销售代表,李四,sales_rep\n", encoding="utf-8")
    assert run(["consolidate", str(returns), "-o", str(tmp_path / "out"), "--templates", str(SALES), "--roster", str(roster)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    errors = [line for line in lines if line.startswith("  错误 ×")]
    assert any("[not-a-workbook]" in line and "报销单.xlsx" in line and "确认附件是否发错" in line for line in errors), out
    assert any("[invalid-actual]" in line and f"{VICTIM.employee_id}_王测.xlsx" in line and "'很多'" in line for line in errors), out
    assert any(line.startswith("  警告 ×1 [not-returned]") and "E300 赵六" in line for line in lines), out
    assert lines.index(errors[-1]) < next(k for k, line in enumerate(lines) if "[not-returned]" in line)  # errors first
    assert "汇总工作簿" in out and "summary.xlsx" in out and "scores:" not in out


def test_consolidate_json_gives_the_same_examples(tmp_path, specs, capsys):
    returns, _ = _returns(tmp_path, specs)
    run(["consolidate", str(returns), "-o", str(tmp_path / "out"), "--templates", str(SALES), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    by_code = {e["code"]: e for e in data["examples"]}
    assert by_code["not-a-workbook"]["file"].endswith("报销单.xlsx") and by_code["not-a-workbook"]["count"] == 1
    assert data["issues_by_code"]["invalid-actual"] == by_code["invalid-actual"]["count"] == 1


def test_xl_kpis_own_files_are_never_taken_for_wrong_attachments(tmp_path, specs):
    """build leaves issued.sqlite beside the workbooks; HR often consolidates that very folder."""
    returns, register = _returns(tmp_path, specs, wrong_attachment=False)
    assert register.is_file()
    (returns / "history.sqlite").write_bytes(b"SQLite format 3\x00")
    (returns / ".xl-kpi-run-abc123.sqlite").write_bytes(b"")  # a run's scratch store, left by a killed run
    (returns / ".E100.xlsx.4242.deadbeef.tmp").write_bytes(b"PK")  # a workbook being written
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs)
    files = {Path(i.file).name for i in result.run.issues if i.file}
    assert not files & {"issued.sqlite", "history.sqlite", ".xl-kpi-run-abc123.sqlite", ".E100.xlsx.4242.deadbeef.tmp"}
    assert {i.code for i in result.run.issues} <= {"invalid-actual", "normalised-actual"}


def test_a_changed_personal_target_is_said_by_indicator_name_as_the_sheet_shows_it(tmp_path, specs):
    returns, register = _returns(tmp_path, specs, wrong_attachment=False)
    victim = next(returns.rglob(f"{VICTIM.employee_id}_*.xlsx"))
    edit.set_meta(victim, VICTIM.employee_id, "targets", '{"new_customers": 5.0, "sales_rate": 0.999}')
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, issued=register)
    (mismatch,) = [i for i in result.run.issues if i.code == "issued-mismatch"]
    zh, en = mismatch.message("zh"), mismatch.message("en")
    assert "销售额完成率 99.9%、新客户开发数 5" in zh and "发出时为 销售额完成率 沿用规格目标、新客户开发数 沿用规格目标" in zh
    assert "Sales" not in zh and "{" not in zh and "new_customers" not in zh and "0.999" not in zh
    assert "销售额完成率 99.9%; 新客户开发数 5" in en


# --- Ctrl-C ---------------------------------------------------------------------------------------
def test_ctrl_c_is_one_line_and_the_documented_exit_code(monkeypatch, capsys, tmp_path):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "build", interrupted)
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER + "E1,张三,销售一部,销售代表,李四,sales_rep\n", encoding="utf-8")
    assert run(["build", str(SALES), "--roster", str(roster), "-o", str(tmp_path / "out")]) == EXIT_INTERRUPTED == 130
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "已中断(Ctrl-C)" in captured.err and "130" in captured.err and not captured.out


def test_a_real_sigint_during_a_command_ends_with_one_line_and_130(tmp_path):
    """The signal itself, as a terminal sends it: typer alone would end silently."""
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER + "E1,张三,销售一部,销售代表,李四,sales_rep\n", encoding="utf-8")
    script = ("import os, signal, time, sys\n"
              "signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, however the tests were started\n"
              "import xl_kpi.api as api\n"
              "def build(*a, **k):\n    os.kill(os.getpid(), signal.SIGINT)\n    time.sleep(30)\n    return []\n"
              "api.build = build\n"
              "from xl_kpi.cli import run\n"
              f"sys.exit(run(['build', {str(SALES)!r}, '--roster', {str(roster)!r}, '-o', {str(tmp_path / 'out')!r}]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "XL_KPI_LANG": "en"}, check=False)
    assert done.returncode == 130
    assert done.stderr == ("error: interrupted (Ctrl-C): the files written are complete, the rest were not written — "
                           "run the same command again to finish (exit code 130)\n")


# --- findings on stdout, BOMs on CSVs ----------------------------------------------------------------
def test_check_prints_its_findings_on_stdout(write_spec, capsys):
    data = yaml_with_bad_weight()
    path = write_spec(data)
    assert run(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert "weight-total" not in captured.err and "权重合计为 110%" in captured.out and not captured.err


def yaml_with_bad_weight():
    from .conftest import sales_dict

    data = sales_dict()
    data["indicators"][0]["weight"] = "50%"
    return data


def test_every_csv_the_command_line_writes_has_a_bom(tmp_path, specs):
    returns, _ = _returns(tmp_path, specs, wrong_attachment=False)
    out = tmp_path / "out"
    assert run(["consolidate", str(returns), "-o", str(out), "--templates", str(SALES)]) == 1
    actuals = tmp_path / "a.csv"
    actuals.write_text("employee_id,indicator_id,actual\nE1,sales_rate,1.05\n", encoding="utf-8")
    assert run(["score", str(SALES), "--actuals", str(actuals), "-o", str(tmp_path / "scores.csv")]) == 0
    assert run(["rollup", "--history", str(out / "history.sqlite"), "--year", "2026", "-o", str(tmp_path / "annual.csv")]) in (0, 1)
    history = tmp_path / "h.csv"
    history.write_text("employee_id,indicator_id,period,value\n" + "".join(f"E1,new_customers,2025-Q{q},{10 + q}\n" for q in (1, 2, 3, 4)),
                       encoding="utf-8")
    assert run(["targets", "--history", str(history), "--spec", str(SALES), "-o", str(tmp_path / "targets.csv")]) in (0, 1)
    written = [*out.glob("*.csv"), tmp_path / "scores.csv", tmp_path / "annual.csv", tmp_path / "targets.csv"]
    assert len(written) >= 6
    for path in written:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


# --- HR's words where ids are asked -----------------------------------------------------------------
def test_actuals_may_name_indicators_as_hr_does(tmp_path, capsys):
    rows = "".join(f"E1,{NAMES[i]},{v}\n" for i, v in (("sales_rate", "105%"), ("new_customers", 11)))
    rows += "E1, 客户 复购率 ,32%\nE1,expense_rate,95%\n"  # spaces inside and around a name, and an id: both read
    actuals = tmp_path / "a.csv"
    actuals.write_text("工号,指标,实际值\n" + rows, encoding="utf-8")
    assert run(["score", str(SALES), "--actuals", str(actuals), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["total"] == 80


def test_a_roster_may_name_the_card_by_its_title(tmp_path, specs):
    roster = tmp_path / "r.csv"
    roster.write_text("工号,姓名,部门,岗位,直接上级,模板\n"
                      f"E1,张三,销售一部,销售代表,李四,{specs['sales_rep'].title}\nE2,李四,客服部,客服专员,王五,customer_service\n",
                      encoding="utf-8")
    people = xl_kpi.load_people(roster, specs)
    assert [p.template for p in people] == ["sales_rep", "customer_service"]


def test_an_unknown_card_lists_the_cards_by_id_and_title(tmp_path, specs, capsys):
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER + "E1,张三,销售一部,销售代表,李四,销售岗\n", encoding="utf-8")
    assert run(["build", str(TEMPLATES), "--roster", str(roster), "-o", str(tmp_path / "o")]) == 1
    assert f"sales_rep({specs['sales_rep'].title})" in capsys.readouterr().err


def test_personal_targets_may_name_indicators_as_hr_does(tmp_path, specs):
    from xl_kpi.tabular.targets import load_person_targets

    table = tmp_path / "t.csv"
    table.write_text("工号,指标,目标\nE1,新客户开发数,12\nE1,sales_rate,1.1\n", encoding="utf-8")
    people = xl_kpi.load_people(_one_person_roster(tmp_path), specs)
    assert load_person_targets(table, specs, people) == {"E1": {"new_customers": 12.0, "sales_rate": 1.1}}


def _one_person_roster(tmp_path: Path) -> Path:
    roster = tmp_path / "one.csv"
    roster.write_text(ROSTER + "E1,张三,销售一部,销售代表,李四,sales_rep\n", encoding="utf-8")
    return roster


@pytest.mark.parametrize(("name", "expected"), [("销售额完成率", "sales_rate"), ("客户投诉率", "complaint_rate"),
                                                ("订单录入准确率", "order_entry_accuracy"), ("销售代表", "sales_rep"),
                                                ("回款及时率", "on_time_collection"), ("Sales completion rate", "sales_completion_rate")])
def test_imported_ids_are_short_english_not_pinyin(name, expected):
    """The regression: 销售费用控制率 was xiao_shou_fei_yong_kong_zhi_lv, to be typed in every actuals table."""
    assert slug(name) == expected
    assert slug("销售费用控制率") == "expense_rate"


# --- values as the sheet shows them ----------------------------------------------------------------
def test_a_percentage_typed_as_text_is_shown_as_typed(tmp_path, capsys):
    actuals = tmp_path / "a.csv"
    actuals.write_text("employee_id,indicator_id,actual\nE1,sales_rate,99.9%\n", encoding="utf-8")
    run(["score", str(SALES), "--actuals", str(actuals)])
    err = capsys.readouterr().err
    assert "已规范为 99.9%(文本形式的百分数)" in err and "99.90000000000001" not in err and "percent-text" not in err


def test_positions_in_texts_count_from_one():
    (found,) = [f for f in review_findings({"results": "业绩极大提升"}) if f.code == "review-vague"]
    assert "(第 3 字)" in found.message("zh") and "(character 3)" in found.message("en")


def test_smart_names_its_verdicts_in_the_users_language_and_counts_from_one(capsys):
    run(["smart", "业绩极大提升"])
    out = capsys.readouterr().out
    assert "具体(S): " in out and "可衡量(M): 不符合" in out and "specific" not in out and "fail" not in out
    assert "笼统表述“极大提升”(第 3–6 字" in out  # its 3rd to 6th characters


def test_a_full_width_colon_is_named_as_the_cause(write_spec, capsys):
    path = write_spec("id: x\ntitle：销售代表考核表\ngrades: []\n")
    assert run(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "第 2 行" in out and "全角冒号“：”" in out and "could not find" not in out


def test_a_csv_the_parser_refuses_is_explained_in_our_words(tmp_path, capsys):
    actuals = tmp_path / "a.csv"
    actuals.write_text('employee_id,indicator_id,actual\nE1,"sales_rate,1\n', encoding="utf-8")
    assert run(["score", str(SALES), "--actuals", str(actuals)]) == 1
    err = capsys.readouterr().err
    assert "第 2 行开始的引号没有配对" in err and "EOF" not in err and "tokenizing" not in err


def test_the_demo_shows_statuses_and_outputs_in_the_users_language(tmp_path, capsys):
    assert run(["demo", "-o", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert "规则被改动" in out and "tampered" not in out and "问题清单" in out and "issues:" not in out
    assert "issued.sqlite" not in out  # the demo's own register is no wrong attachment


def test_dir_shows_the_api():
    listed = dir(xl_kpi)
    assert {"score", "build", "consolidate", "load_spec", "import_table", "check", "SpecError"} <= set(listed)


def test_ctrl_c_while_the_commands_load_is_one_line_and_exit_code_130():
    """The command takes most of a second to load its commands; a Ctrl-C then is the same one line as during a
    command, not a traceback — through the entry point the installed ``xl-kpi`` runs."""
    import tomllib

    target = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["xl-kpi"]
    module, func = target.split(":")
    script = ("import sys\n"
              "class Stop:\n"
              "    def find_spec(self, name, path, target=None):\n"
              "        if name == 'xl_kpi.cli.commands':\n"
              "            raise KeyboardInterrupt\n"
              "sys.meta_path.insert(0, Stop())\n"
              f"from {module} import {func}\n"
              f"{func}()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
                          env={**os.environ, "XL_KPI_LANG": "en"})
    assert done.returncode == 130, done.stderr
    assert done.stderr == ("error: interrupted (Ctrl-C): the files written are complete, the rest were not written — "
                           "run the same command again to finish (exit code 130)\n")

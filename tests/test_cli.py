"""The CLI says what the library says, with the documented exit codes."""

import json

import pytest

from xl_kpi.cli import run
from xl_kpi.scoring.engine import score_card

from .conftest import TEMPLATES, sales_dict

SALES = str(TEMPLATES / "sales_rep.yaml")


@pytest.fixture
def actuals(tmp_path):
    path = tmp_path / "actuals.csv"
    path.write_text(
        "employee_id,indicator_id,actual\n"
        "E001,sales_rate,1.05\nE001,new_customers,11\nE001,repurchase_rate,0.32\nE001,expense_rate,0.95\n"
        "E002,sales_rate,1.1\nE002,new_customers,12\nE002,repurchase_rate,0.35\nE002,expense_rate,0.9\n",
        encoding="utf-8",
    )
    return path


def test_score_json_equals_the_engine(actuals, sales, capsys):
    assert run(["score", SALES, "--actuals", str(actuals), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = score_card(sales, {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95})
    assert out[0] == {"employee_id": "E001", **expected.as_dict()}
    assert out[1]["total"] == 100 and out[1]["grade"] == "优秀"


def test_score_csv_to_file_has_a_bom_for_excel(actuals, tmp_path):
    """Excel on a Chinese Windows reads a CSV without a BOM as GBK and garbles 良好: every CSV xl-kpi writes has one."""
    target = tmp_path / "scores.csv"
    assert run(["score", SALES, "--actuals", str(actuals), "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "employee_id,total,grade,sales_rate_score,new_customers_score,repurchase_rate_score,expense_rate_score"
    assert lines[1] == "E001,80.0,良好,80.0,80.0,80.0,80.0"  # the result columns of scores.csv, in its order


def test_score_reports_bad_rows_and_exits_1(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("employee_id,indicator_id,actual\nE1,sales_rate,abc\nE1,nope,1\nE1,sales_rate,1\n", encoding="utf-8")
    assert run(["score", SALES, "--actuals", str(path)]) == 1
    err = capsys.readouterr().err  # stdout carries the scores: the findings go to stderr
    assert f"{path}: 第 2 行:" in err and "'abc'" in err
    assert f"{path}: 第 3 行:" in err and "'nope'" in err
    assert f"{path}: 第 4 行:" in err  # duplicate row


def test_score_actuals_missing_columns_names_them(tmp_path, capsys):
    path = tmp_path / "cols.csv"
    path.write_text("id,value\n1,2\n", encoding="utf-8")
    assert run(["score", SALES, "--actuals", str(path)]) == 1
    err = capsys.readouterr().err
    assert "employee_id" in err and "id, value" in err and "\n" == err[-1] and "Traceback" not in err


def test_missing_file_is_a_usage_error(capsys):
    assert run(["score", "no-such.yaml", "--actuals", "x.csv"]) == 2
    assert "no-such.yaml" in capsys.readouterr().err


def test_usage_error_exit_2(capsys):
    assert run(["score"]) == 2
    assert run(["frobnicate"]) == 2


def test_check_ok_and_bad(write_spec, capsys):
    assert run(["check", str(TEMPLATES)]) == 0
    assert f"检查了 {len(list(TEMPLATES.glob('*.yaml')))} 个规格: 0 个错误" in capsys.readouterr().out
    data = sales_dict()
    data["indicators"][0]["weight"] = "50%"
    bad = write_spec(data)
    assert run(["check", str(bad), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out[0]["location"] == "indicators[*].weight" and out[0]["code"] == "weight-total"


def test_check_english_messages(write_spec, capsys, monkeypatch):
    monkeypatch.setenv("XL_KPI_LANG", "en")
    data = sales_dict()
    data["indicators"][1]["direction"] = "up"
    path = write_spec(data)
    assert run(["check", str(path)]) == 1
    out = capsys.readouterr().out  # the findings are check's result: on stdout
    assert f"{path}: indicators[1].direction: unknown direction 'up' — use higher" in out


@pytest.mark.parametrize("command", ["check", "score"])
def test_help_everywhere(command, capsys):
    assert run([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage" in out or "用法" in out


def test_score_reads_text_exported_from_excel_and_says_so(tmp_path, capsys):
    path = tmp_path / "exported.csv"
    path.write_text("employee_id,indicator_id,actual\nE1,sales_rate,105%\nE1,new_customers,１１\n"
                    "E1,repurchase_rate,32%\nE1,expense_rate, 95% \n", encoding="utf-8")
    assert run(["score", SALES, "--actuals", str(path), "--format", "json"]) == 0  # warnings only
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["total"] == 80
    assert captured.err.count("normalised") == 0 and captured.err.count("已规范为 105%") == 1 and f"{path}: 第 2 行:" in captured.err


def test_progress_bar_on_a_terminal_runs_no_thread(monkeypatch):
    """Work forks processes under the bar: a refresh thread holding stdout's lock could hang a child."""
    import io
    import threading

    from xl_kpi.cli.options import Progress as _Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", Terminal())
    before = threading.active_count()
    with _Progress("consolidate", 0) as bar:
        assert bar._bar is not None  # a real bar, since stderr is a terminal
        bar.set_total(3)
        bar.advance(2)
        assert threading.active_count() == before
    assert bar._bar.tasks[0].completed == 2

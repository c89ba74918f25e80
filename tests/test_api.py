"""The Python API says what the command line says, takes what pandas users have, and names every problem."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

import xl_kpi
from xl_kpi.cli import EXIT_INTERNAL, run

from .conftest import ROSTER, ROSTER_SIZE, TEMPLATES

SEED = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}


def test_load_spec_takes_str_path_and_json(tmp_path, sales):
    import yaml

    assert xl_kpi.load_spec(str(TEMPLATES / "sales_rep.yaml")) == sales
    json_file = tmp_path / "sales.json"
    data = yaml.safe_load((TEMPLATES / "sales_rep.yaml").read_text(encoding="utf-8"))
    json_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert xl_kpi.load_spec(json_file).hash == sales.hash


def test_a_bad_spec_raises_spec_error_with_every_problem(write_spec):
    path = write_spec({"id": "x", "title": "t", "grades": [{"label": "A", "min": 0}],
                       "indicators": [{"id": "a", "name": "A", "weight": 60, "target": 1,
                                       "scoring": {"method": "bands", "bands": [[1, 100]]}},
                                      {"id": "b", "name": "B", "weight": 30, "target": 1, "scoring": {"method": "nope"}}]})
    with pytest.raises(xl_kpi.SpecError) as info:
        xl_kpi.load_spec(path)
    codes = {f.code for f in info.value.findings}
    assert {"weight-total", "unknown-method"} <= codes and isinstance(info.value, ValueError)


def test_score_long_and_wide_agree_and_equal_the_engine(sales):
    long = pd.DataFrame([{"employee_id": "E1", "indicator_id": k, "actual": v} for k, v in SEED.items()])
    wide = pd.DataFrame([{"employee_id": "E1", **SEED}])
    by_long, by_wide = xl_kpi.score(sales, long), xl_kpi.score(sales, wide)
    expected = xl_kpi.score_card(sales, SEED)
    for result in (by_long, by_wide):
        assert result.loc[0, "total"] == expected.total == 80 and result.loc[0, "grade"] == "良好"
        assert [result.loc[0, f"{i}_score"] for i in SEED] == [80.0] * 4 and result.loc[0, "problems"] == ""


def test_score_takes_the_employee_id_from_the_index():
    frame = pd.DataFrame([SEED], index=pd.Index(["E9"], name="employee_id"))
    assert xl_kpi.score(TEMPLATES / "sales_rep.yaml", frame).loc[0, "employee_id"] == "E9"


def test_score_names_unknown_indicators_and_unreadable_text_per_person(sales):
    wide = pd.DataFrame([{"employee_id": "E1", **SEED, "salse_rate": 1}, {"employee_id": "E2", **dict(SEED, expense_rate="很多")}])
    result = xl_kpi.score(sales, wide)
    assert "salse_rate" in result.loc[0, "problems"] and "salse_rate" in result.loc[1, "problems"]
    assert "很多" in result.loc[1, "problems"] and pd.isna(result.loc[1, "expense_rate_score"]) and result.loc[1, "total"] != result.loc[1, "total"]
    assert {f.code for f in result.attrs["findings"]} == {"unknown-indicator", "invalid-actual"}


def test_build_takes_a_dataframe_roster_and_consolidate_returns_what_the_csvs_hold(tmp_path, specs):
    roster = pd.read_csv(ROSTER, dtype=str, keep_default_na=False).head(3)
    paths = xl_kpi.build(TEMPLATES, roster, tmp_path / "w", actuals={"E001": SEED})
    assert len(paths) == 3
    result = xl_kpi.consolidate([str(tmp_path / "w")], tmp_path / "o", templates=specs, roster=roster)
    with open(result.paths["scores"], encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(result.scores["employee_id"]) == [r["employee_id"] for r in rows] == ["E001", "E002", "E003"]
    assert result.scores.loc[0, "total"] == 80 and rows[0]["total"] == "80.0"
    with open(result.paths["issues"], encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == len(result.issues) > 0
    assert not result.clean and result.counts()["people"] == 3


def test_api_errors_are_the_projects_own_and_value_errors(tmp_path):
    with pytest.raises(xl_kpi.UsageError) as info:
        xl_kpi.build(TEMPLATES, tmp_path / "missing.csv", tmp_path / "o")
    assert info.value.code == "file-not-found" and isinstance(info.value, ValueError)
    with pytest.raises(xl_kpi.UsageError, match="target-distribution"):
        xl_kpi.consolidate(tmp_path, tmp_path / "o", target_distribution="60,60")
    with pytest.raises(xl_kpi.InputFileError) as bad:
        xl_kpi.build(TEMPLATES, pd.DataFrame([{"employee_id": "E1", "name": "x", "department": "d", "position": "",
                                               "manager": "", "template": "nope"}]), tmp_path / "o")
    assert bad.value.code == "roster-unknown-template"


def test_an_internal_error_has_its_own_exit_code(monkeypatch, capsys):
    from xl_kpi import api

    def broken(*args, **kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setattr(api, "check", broken)
    assert run(["check", str(TEMPLATES)]) == EXIT_INTERNAL == 70
    err = capsys.readouterr().err
    assert "RuntimeError: a defect" in err and "--debug" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [["check", str(TEMPLATES), "--format", "xml"],
                                  ["score", str(TEMPLATES / "sales_rep.yaml"), "--actuals", "x.csv", "--format", "text"],
                                  ["split", "100", "--format", "csv"]])
def test_format_is_validated_everywhere(argv, capsys):
    assert run(argv) == 2
    assert "--format" in capsys.readouterr().err


@pytest.mark.parametrize("distribution", ["abc", "60,70", "20,-5", "优秀=120"])
def test_a_bad_target_distribution_is_a_usage_error_before_any_file_is_read(tmp_path, distribution, capsys, monkeypatch):
    from xl_kpi.consolidation import inputs

    monkeypatch.setattr(inputs, "discover", lambda *a, **k: pytest.fail("files were looked for"))
    assert run(["consolidate", str(tmp_path), "-o", str(tmp_path / "o"), "--target-distribution", distribution]) == 2
    assert "--target-distribution" in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_consolidate_json_prints_the_summary_of_the_run(tmp_path, capsys):
    built = xl_kpi.build(TEMPLATES, ROSTER, tmp_path / "w")
    assert run(["consolidate", str(tmp_path / "w"), "-o", str(tmp_path / "o"), "--format", "json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["files"] == len(built) > ROSTER_SIZE  # each person's workbook, and each supervisor's rating workbook
    assert summary["people"] == ROSTER_SIZE and summary["clean"] is False
    assert summary["issues_by_code"]["missing-actual"] > 0 and summary["outputs"]["summary"].endswith("summary.xlsx")


def test_python_dash_m_is_the_cli(capsys):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "xl_kpi", "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.strip() == f"xl-kpi {xl_kpi.__version__}"

"""SMART checks and vague-language checks, from the seeds' own examples to the labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xl_kpi.advice.review import review_findings, spec_advice
from xl_kpi.advice.smart import check_smart, find_vague, summary_line
from xl_kpi.advice.smart_quality import evaluate, load_labelled
from xl_kpi.cli import run

DATA = Path(__file__).parent / "data"


def test_seed_example_bad_goal_gets_the_seed_rewrite():
    result = check_smart("提升客户满意度")
    assert (result.specific, result.measurable, result.achievable, result.relevant, result.time_bound) == (
        "pass", "fail", "unknown", "unknown", "fail")
    assert result.suggestions == ["加上量化标准和时限,如“第三季度客户满意度评分从85分提升至90分”"]


def test_seed_example_good_goal_passes():
    result = check_smart("第三季度客户满意度评分从85分提升至90分")
    assert summary_line(result) == "S✓ M✓ A? R? T✓ · 符合SMART"
    assert result.suggestions == []


def test_vague_goal_fails_specific_with_reason_naming_the_words():
    result = check_smart("加强团队管理")
    assert result.specific == "fail" and "加强" in result.reasons["specific"]
    assert any("笼统" in s for s in result.suggestions)


def test_english_suggestions_are_in_english():
    result = check_smart("improve customer satisfaction")
    assert result.lang == "en" and result.suggestions[0].startswith("Add a number and a deadline")


@pytest.mark.parametrize(("text", "history", "verdict"), [
    ("第三季度销售额13万元", 10, "pass"),  # the seed: +30% with resources is fine
    ("第三季度销售额20万元", 10, "fail"),  # +100%: beyond +50%
    ("第三季度销售额9万元", 10, "fail"),  # below history: no challenge
    ("Close deals worth 130k in Q3", 100, "pass"),
])
def test_achievable_against_history(text, history, verdict):
    assert check_smart(text, history=history).achievable == verdict


def test_achievable_is_unknown_without_history_and_max_increase_is_configurable():
    assert check_smart("第三季度销售额13万元").achievable == "unknown"
    assert check_smart("第三季度销售额13万元", history=10, max_increase=0.2).achievable == "fail"


def test_relevant_against_department_goals():
    goals = ["季度新用户增长20%"]
    assert check_smart("第三季度通过内容引流新用户5000人", goals=goals).relevant == "pass"
    assert check_smart("第三季度完成2项专利申请", goals=goals).relevant == "fail"
    assert check_smart("第三季度完成2项专利申请").relevant == "unknown"


def test_vague_phrases_are_flagged_with_positions_unless_backed_by_data():
    text = "积极配合团队,做出重大贡献。业绩极大提升,效率提升30%。"
    found = find_vague(text)
    assert [(v.phrase, v.start, v.end) for v in found] == [("积极配合", 0, 4), ("重大贡献", 9, 13), ("极大提升", 16, 20)]
    assert all(text[v.start : v.end] == v.phrase for v in found)
    assert find_vague("效率极大提升30%") == []  # backed by a figure in the same clause
    assert [v.phrase for v in find_vague("效率极大提升,成本降低30%")] == ["极大提升"]  # another clause's figure is another claim
    assert [v.phrase for v in find_vague("We significantly improved things.")] == ["significantly"]


def test_smart_cli_json_shape_and_exit_codes(capsys, tmp_path):
    assert run(["smart", "提升客户满意度", "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert {"specific", "measurable", "achievable", "relevant", "time_bound", "reasons", "suggestions"} <= set(out)
    assert out["measurable"] == "fail" and set(out["reasons"]) == {"specific", "measurable", "achievable", "relevant", "time_bound"}
    assert run(["smart", "第三季度客户满意度评分从85分提升至90分"]) == 0
    goals = tmp_path / "goals.txt"
    goals.write_text("季度新用户增长20%\n", encoding="utf-8")
    assert run(["smart", "第三季度通过内容引流新用户5000人", "--goals", str(goals), "--history", "4500"]) == 0
    capsys.readouterr()
    lines = tmp_path / "many.txt"
    lines.write_text("提升客户满意度\nRaise CSAT from 85 to 90 by the end of Q3\n", encoding="utf-8")
    assert run(["smart", str(lines), "--format", "json"]) == 1
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert run(["smart", "x", "--goals", str(tmp_path / "none.txt")]) == 2


def test_check_reports_vague_indicator_names(write_spec, capsys):
    from .conftest import sales_dict

    data = sales_dict()
    data["indicators"][1]["name"] = "加强客户工作"
    data["indicators"][1]["definition"] = "努力做好"
    path = write_spec(data)
    assert run(["check", str(path)]) == 0  # advice is a warning, not an error
    assert "indicators[1].name" in capsys.readouterr().err


def test_bundled_templates_get_no_smart_warnings(specs):
    assert [p.render() for s in specs.values() for p in spec_advice(s)] == []


def test_review_findings_list_vague_phrases_and_goal_gaps():
    findings = review_findings({"goal_review": "努力完成各项工作。", "results": "业绩极大提升。"})
    kinds = {(f.field, f.code) for f in findings}
    assert ("results", "review-vague") in kinds and ("goal_review", "review-smart") in kinds
    assert any("可衡量" in f.message.zh and "measurable" in f.message.en for f in findings if f.code == "review-smart")
    assert any("极大提升" in f.message.zh for f in findings if f.code == "review-vague")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labelled_examples_at_least_80_per_language_with_a_held_out_part(lang):
    rows = [r for r in load_labelled(DATA / "smart_examples.csv") if r["lang"] == lang]
    assert len(rows) >= 80 and sum(r["split"] == "heldout" for r in rows) >= 25
    assert {r["source"] for r in rows} >= ({"seed000", "seed001", "own"} if lang == "zh" else {"seed-en", "own"})


@pytest.mark.parametrize("split,floor", [("dev", 0.9), ("heldout", 0.85)])
def test_checker_quality_on_labelled_examples(split, floor):
    rows = [r for r in load_labelled(DATA / "smart_examples.csv") if r["split"] == split]
    for criterion, metrics in evaluate(rows).items():
        assert metrics["accuracy"] >= floor, (criterion, metrics)

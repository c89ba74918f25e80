"""SMART checks and vague-language checks, from the seeds' own examples to the labelled set."""

from __future__ import annotations

import json
import re
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
    assert "indicators[1].name" in capsys.readouterr().out


def test_bundled_templates_get_no_smart_warnings(specs):
    assert [p.render() for s in specs.values() for p in spec_advice(s)] == []


def test_review_findings_list_vague_phrases_and_goal_gaps():
    findings = review_findings({"goal_review": "努力完成各项工作。", "results": "业绩极大提升。"})
    kinds = {(f.field, f.code) for f in findings}
    assert ("results", "review-vague") in kinds and ("goal_review", "review-smart") in kinds
    assert any("可衡量" in f.message.zh and "measurable" in f.message.en for f in findings if f.code == "review-smart")
    assert any("极大提升" in f.message.zh for f in findings if f.code == "review-vague")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labelled_examples_at_least_100_per_language_with_a_held_out_half_and_the_traps(lang):
    rows = [r for r in load_labelled(DATA / "smart_examples.csv") if r["lang"] == lang]
    assert len(rows) >= 100 and sum(r["split"] == "heldout" for r in rows) >= 45
    assert {r["source"] for r in rows} >= ({"seed000", "seed001", "own", "traps"} if lang == "zh" else {"seed-en", "own", "traps"})


@pytest.mark.parametrize("split,floor", [("dev", 0.9), ("heldout", 0.85)])
def test_checker_quality_on_labelled_examples(split, floor):
    rows = [r for r in load_labelled(DATA / "smart_examples.csv") if r["split"] == split]
    for criterion, metrics in evaluate(rows).items():
        assert metrics["accuracy"] >= floor, (criterion, metrics)


def test_held_out_goal_measurable_and_time_bound_agree_95_percent_and_no_vague_goal_passes_as_measurable():
    rows = [r for r in load_labelled(DATA / "smart_examples.csv") if r["split"] == "heldout"]
    quality = evaluate(rows)
    assert quality["measurable"]["accuracy"] >= 0.95 and quality["time_bound"]["accuracy"] >= 0.95, quality
    passed_vague = [r["text"] for r in rows if r["measurable"] == "fail" and check_smart(r["text"], r["lang"]).measurable == "pass"]
    assert passed_vague == []


@pytest.mark.parametrize("text", ["Q3提升客户满意度", "2026年提升客户满意度", "In 2026 improve customer satisfaction", "Sell more in Q3",
                                  "Reduce churn by end of Q2", "2026年12月前上线CRM系统", "五月底前提升服务质量"])
def test_a_period_or_a_date_is_time_never_the_measure(text):
    result = check_smart(text)
    assert (result.measurable, result.time_bound) == ("fail", "pass")
    verdict = summary_line(result).split("·")[1].strip()
    assert verdict not in ("SMART", "符合SMART") and ("measure" in verdict or "量化标准" in verdict)


def test_sell_more_in_q3_is_not_specific_either():
    assert check_smart("Sell more in Q3").specific == "fail"


@pytest.mark.parametrize(("text", "value"), [("第三季度销售额达到13万元", 130000), ("Hit 130k in sales by end of Q3", 130000),
                                             ("Grow revenue to $1.2m in FY2026", 1_200_000), ("2026年营收达到3亿元", 3e8),
                                             ("全年完成销售额500万元", 5e6), ("Keep uptime at 99.9% every month", 0.999),
                                             ("五月底前完成3场培训", 3), ("新客户开发数达到十二个", 12)])
def test_magnitudes_are_parsed_for_the_target(text, value):
    assert check_smart(text).target == pytest.approx(value)


def test_a_target_in_wan_is_compared_with_history_in_yuan():
    result = check_smart("第三季度销售额达到13万元", history=100000)
    assert result.achievable == "pass" and "130,000" in result.reasons["achievable"] and "低于" not in result.reasons["achievable"]


@pytest.mark.parametrize(("text", "subject", "move"), [
    ("Reduce the customer complaint rate", "customer complaint rate", "reduce customer complaint rate from 5% to 3%"),
    ("Improve customer satisfaction", "customer satisfaction", "raise customer satisfaction from 85 to 90"),
    ("Lower the refund rate", "refund rate", "reduce refund rate"),
])
def test_suggestions_name_the_real_subject_and_the_right_direction(text, subject, move):
    result = check_smart(text)
    assert result.subject == subject and any(move in s for s in result.suggestions), result.suggestions
    assert not any("raise complaint" in s for s in result.suggestions)


@pytest.mark.parametrize(("text", "example"), [("降低采购成本", "采购成本从现状值降低至目标值"), ("提升客户满意度", "从85分提升至90分")])
def test_chinese_suggestions_name_the_subject_and_direction(text, example):
    assert any(example in s for s in check_smart(text).suggestions)


@pytest.mark.parametrize(("text", "phrase", "kind"), [
    ("本季度表现突出", "表现突出", "claim"), ("项目取得显著成效", "显著成效", "claim"), ("改版后效果明显", "效果明显", "claim"),
    ("今年取得较好成绩", "取得较好成绩", "claim"), ("业绩极大提升", "极大提升", "intensifier"), ("他全力以赴", "全力以赴", "effort"),
    ("I worked very hard on it", "very hard", "effort"), ("Excellent results across the board", "Excellent results", "claim"),
    ("She went above and beyond", "went above and beyond", "effort"), ("Sales grew significantly", "significantly", "intensifier"),
])
def test_vague_phrases_by_kind_each_with_the_data_that_would_replace_it(text, phrase, kind):
    (found,) = find_vague(text)
    assert (found.phrase, found.kind, text[found.start:found.end]) == (phrase, kind, phrase)
    assert found.suggestion and ("如" in found.suggestion or "e.g." in found.suggestion)


def test_smart_text_output_lists_vague_phrases_with_positions(capsys):
    assert run(["smart", "本季度表现突出,客户满意度显著提升"]) == 1
    out = capsys.readouterr().out
    assert "笼统表述“表现突出”(第 4–7 字" in out and "笼统表述“显著提升”(第 14–17 字" in out and "没有数据的结论" in out  # from 1


@pytest.mark.parametrize(("text", "direction"), [
    ("Reduce the customer complaint rate", "lower"), ("Keep costs below 5k", "lower"), ("客户投诉率降低30%", "lower"),
    ("Execute 3 campaigns in Q3", "higher"), ("Understand customer needs", "higher"),  # 'cut' and 'under' inside words
    ("提升库存周转率至8次", "higher"), ("Grow revenue to $1.2m in FY2026", "higher"),
])
def test_direction_is_read_from_whole_words(text, direction):
    assert check_smart(text).direction == direction


# -- the time patterns' look-ahead only skips positions no period or date can start at -------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from xl_kpi.advice import quantities as _q  # noqa: E402

_PIECES = ["Q3", "q2", "H1", "FY2026", "fy 26", "第三季度", "三季度", "本季度", "季末", "年度", "全年", "本月", "月底", "上半年", "半年",
           "每周", "当季", "2026年", "2026 年 5 月", "2026Q3", "五月底", "十二月份", "10 日前", "截至", "之前", "以前", "前完成", "30天内",
           "周内", "2026-05-31", "by the end of", "end of the quarter", "next month", "year over year", "annually", "year-end",
           "within 30 days", "in 2 weeks", "deadline", "September 30th, 2026", "by Friday", "before May 5", "in 2026", "2026 goal",
           "２０２６年", "１２月", "ſeptember", "Kelvin", "İstanbul", " ", "，", "。", "销售额", "提升至", "90", "%", "a", "the", "中"]


@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=12).map("".join))
@settings(max_examples=400, deadline=None)
def test_the_time_patterns_find_what_they_found_without_their_look_ahead(text):
    bare_zh = re.compile(_q._TIME_ZH, re.I)
    bare_en = re.compile(r"\b" + _q._TIME_EN, re.I)
    assert [m.span() for m in _q.TIME_ZH.finditer(text)] == [m.span() for m in bare_zh.finditer(text)]
    assert [m.span() for m in _q.TIME_EN.finditer(text)] == [m.span() for m in bare_en.finditer(text)]

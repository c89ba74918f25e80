"""Each scoring standard as HR writes it, read into the rules it means (the forms of issue 13)."""

from __future__ import annotations

import pytest

from xl_kpi.methods import REGISTRY
from xl_kpi.methods.grammar import Context, Unreadable, normalize, parse_condition, quantity

ORDER = sorted(REGISTRY.values(), key=lambda m: m.read_order)
SEED = {"method": "bands", "bands": [[1.1, 100], [1.0, 80], [0.9, 60]], "otherwise": 0}


def read(text: str, **ctx):
    for method in ORDER:
        reading = method.read(text, Context(**ctx))
        if reading is not None:
            return reading
    return None


BANDS = [
    ("≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分", SEED, "higher"),
    ("≥110%100分;100%-110%80分;90%-100%60分;<90%0分", SEED, "higher"),
    ("110%以上100分;100%(含)-110%得80分;90%–100%得60分;不足90%得0分", SEED, "higher"),
    ("110%及以上得100分,100%~110%得80分,90%～100%得60分,低于90%不得分", SEED, "higher"),
    ("≧110％得100分；100％至110％得80分；90％到100％得60分；＜90％得0分", SEED, "higher"),
    ("大于等于110%得100分;100%—110%得80分;90%-100%得60分;其他得0分", SEED, "higher"),
    ("[110%,+∞)得100分;[100%,110%)得80分;[90%,100%)得60分;(-∞,90%)得0分", SEED, "higher"),
    ("≥110%: 100 pts; 100%–110%: 80 pts; 90%–100%: 60 pts; below 90%: 0 pts", SEED, "higher"),
    ("110% or more: 100 points; 100% to 110%: 80 points; 90% to 100%: 60 points; under 90%: 0 points", SEED, "higher"),
    ("≥110%得100分;≥100%得80分;≥90%得60分;<90%得0分", SEED, "higher"),
    ("=100%得100分;95%-100%得80分;90%-95%得60分;<90%得0分",
     {"method": "bands", "bands": [[1.0, 100], [0.95, 80], [0.9, 60]], "otherwise": 0}, "higher"),
    ("≤90%100分;90%-100%80分;100%-110%60分;>110%0分",
     {"method": "bands", "bands": [[0.9, 100], [1.0, 80], [1.1, 60]], "otherwise": 0}, "lower"),
    ("≥12个得100分;10-12个得80分;8-10个得60分;低于8个不得分",
     {"method": "bands", "bands": [[12, 100], [10, 80], [8, 60]], "otherwise": 0}, "higher"),
    ("≥5万元得100分;3万元-5万元得70分;<3万元得0分", {"method": "bands", "bands": [[5, 100], [3, 70]], "otherwise": 0}, "higher"),
    ("≥95分得100分;90-95分得80分;85-90分得60分;<85分得0分",
     {"method": "bands", "bands": [[95, 100], [90, 80], [85, 60]], "otherwise": 0}, "higher"),
    ("100%≤完成率<110%得80分;完成率≥110%得100分;完成率<100%得0分",
     {"method": "bands", "bands": [[1.1, 100], [1.0, 80]], "otherwise": 0}, "higher"),
    ("≥目标的120%得100分;目标的100%-120%得80分;<目标的100%得40分",
     {"method": "bands", "bands": [[1.2, 100], [1.0, 80]], "otherwise": 40, "relative": True}, "higher"),
    ("1,200元以上得100分;1,000-1,200元得80分;<1,000元得0分",
     {"method": "bands", "bands": [[1200, 100], [1000, 80]], "otherwise": 0}, "higher"),
]


@pytest.mark.parametrize(("text", "scoring", "direction"), BANDS, ids=[b[0][:24] for b in BANDS])
def test_bands_in_every_common_spelling(text, scoring, direction):
    reading = read(text)
    assert reading is not None and reading.scoring == scoring and reading.direction == direction


OTHER = [
    ("得分=完成率×100", {"method": "linear", "floor": 0, "cap": 100}, "higher"),
    ("按完成比例计分,最高120分", {"method": "linear", "floor": 0, "cap": 120}, "higher"),
    ("得分=目标/实际×100,最低20分,最高100分", {"method": "linear", "floor": 20, "cap": 100}, "lower"),
    ("每发生1次扣20分,扣完为止", {"method": "deduction", "per_unit": 20, "start": 100, "floor": 0}, "lower"),
    ("出现1次扣5分,最低0分", {"method": "deduction", "per_unit": 5, "start": 100, "floor": 0}, "lower"),
    ("每2次扣5分,最多扣30分", {"method": "deduction", "per_unit": 2.5, "start": 100, "floor": 70}, "lower"),
    ("每低于目标1%扣2分", {"method": "step", "step": 0.01, "below": 2, "cap": 100, "floor": 0}, "higher"),
    ("每超1%加1分,封顶110分;每低1%扣2分,扣完为止",
     {"method": "step", "step": 0.01, "above": 1, "below": 2, "cap": 110, "floor": 0}, "higher"),
    ("每少1个扣10分,最低40分", {"method": "step", "step": 1, "below": 10, "cap": 100, "floor": 40}, "higher"),
    # a warehouse manager's table as HR wrote it: 目标值, the row named between the verb and its points, 最低得0分,
    # and a clause on how the figure is computed before the rule
    ("每低于目标值1%,扣除该指标2分,最低得0分", {"method": "step", "step": 0.01, "below": 2, "cap": 100, "floor": 0}, "higher"),
    ("按盘点误差率计算,误差率每高于目标值1%,扣除该指标5分,最低得0分",
     {"method": "step", "step": 0.01, "below": 5, "cap": 100, "floor": 0}, "lower"),
    ("占比每高于目标值0.5%,扣除本项1分,最高扣15分", {"method": "step", "step": 0.005, "below": 1, "cap": 100, "floor": 85}, "lower"),
    ("每发现1处不符,扣除该指标1分,最低得0分", {"method": "deduction", "per_unit": 1, "start": 100, "floor": 0}, "lower"),
    ("每发生1次,扣20分,扣完为止", {"method": "deduction", "per_unit": 20, "start": 100, "floor": 0}, "lower"),
]


@pytest.mark.parametrize(("text", "scoring", "direction"), OTHER, ids=[b[0][:24] for b in OTHER])
def test_linear_deduction_and_step_forms(text, scoring, direction):
    reading = read(text, unit="%" if "%" in text else "")
    assert reading is not None and reading.scoring == scoring and reading.direction == direction


def test_ratings_with_scores_and_descriptions():
    reading = read("A:100分(超出预期);B:80分(达到要求);C:60分;D:0分")
    assert reading.scoring == {"method": "rating", "levels": {"A": {"score": 100, "description": "超出预期"},
                                                              "B": {"score": 80, "description": "达到要求"},
                                                              "C": {"score": 60}, "D": {"score": 0}}}
    assert list(read("优秀100分,良好80分,一般60分,差0分").scoring["levels"]) == ["优秀", "良好", "一般", "差"]
    assert list(read("优:100\n良:80\n中:60\n差:0").scoring["levels"]) == ["优", "良", "中", "差"]


def test_a_bare_percent_step_is_read_by_the_indicators_unit():
    rate = read("每低于目标1%扣2分", unit="%")
    amount = read("每低于目标1%扣2分", unit="万元")
    assert (rate.scoring["step"], rate.scoring.get("relative")) == (0.01, None)
    assert (amount.scoring["step"], amount.scoring["relative"]) == (0.01, True)
    assert "目标值的 1%" in amount.notes[0].zh


@pytest.mark.parametrize(("text", "why"), [
    ("≥110%得100分;100%-105%得80分;<100%得0分", "空档"),
    ("≥110%得100分;100%-115%得80分;<100%得0分", "重叠"),
    ("≥98%得100分;95%(含)-98%(含)得80分;<95%得0分", "同时属于"),
    ("≥110%得80分;100%-110%得100分;<100%得0分", "单调"),
    ("≥110%得100分;100%-110%;<100%得0分", "没有写得分"),
    ("≥5万元得100分;3个-5个得60分", "单位不一致"),
    ("每超1%加1分", "封顶"),
])
def test_broken_standards_say_what_is_wrong(text, why):
    with pytest.raises(Unreadable) as caught:
        read(text)
    assert why in caught.value.reason.zh and caught.value.example


def test_what_is_not_a_standard_is_not_read():
    assert read("视情况酌情给分") is None
    assert read("由上级综合评价") is None


def test_the_lexicon():
    assert normalize("≧９５％，１，２００元") == "≥95%,1200元"
    assert quantity("110%").as_float() == 1.1 and quantity("10个/季度").unit == "个"
    assert quantity("０.５％").as_float() == 0.005
    interval = parse_condition("100%(含)-110%(不含)")
    assert (interval.lo.own, interval.hi.own) == ("in", "out")
    assert parse_condition("≥110%与≥120%") is None  # two numbers: not one condition


def test_an_implied_target_says_which_band_it_took():
    hundred = read("≥95%得100分;90%-95%得80分;<90%得0分", unit="%")
    ten = read("达到90%及以上得10分;80%-89%得8分;低于80%得0分", unit="%", points=10)
    assert hundred.implied_target == 0.9 and "80" in hundred.implied_note.en
    assert ten.implied_target == 0.9 and "best band" in ten.implied_note.en and "最高一档" in ten.implied_note.zh

"""Properties of the standard grammar, over generated rules: the sentence a scorecard prints reads
back to its rules, and a spec written as a workbook reads back to the same spec."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from xl_kpi.authoring import export_spec, import_tables
from xl_kpi.methods import REGISTRY
from xl_kpi.methods.grammar import Context
from xl_kpi.spec.rules import Checker, parse_spec

ORDER = sorted(REGISTRY.values(), key=lambda m: m.read_order)
UNITS_ZH = ["%", "个", "万元", "分", "次", "天", "小时", ""]
UNITS_EN = ["%", "customers", "cases", "days", "hours", ""]
LABELS = [["A", "B", "C", "D", "E"], ["优秀", "良好", "合格", "不合格"], ["S", "A", "B", "C"], ["Excellent", "Good", "Fair", "Poor"]]
WORDS = st.sampled_from(["按时交付", "主动协作", "客户认可", "偶有延误;需督促", "多次提醒仍未改进", "on time, every time",
                         "needs help (sometimes)", "每月1次以上", "超出预期,带动团队", "无"])


EVENT_NAMES = st.sampled_from(["投诉不及时", "发放错误", "迟到", "客户表扬", "记录不全", "质量不合格、规格不符要求", "late reply", "wrong payment",
                                "customer praise", "missed check"])


def decimals(lo: int, hi: int, scale: int) -> st.SearchStrategy[float]:
    """Numbers as people type them (a few decimals), as the float YAML reads."""
    return st.integers(lo, hi).map(lambda n: float(Decimal(n) / scale))


def _distinct_sorted(values: list[float], descending: bool) -> list[float]:
    return sorted(set(values), reverse=descending)


@st.composite
def indicators(draw: Any, lang: str = "zh") -> dict[str, Any]:
    method = draw(st.sampled_from(sorted(REGISTRY)))
    unit = draw(st.sampled_from(UNITS_ZH if lang == "zh" else UNITS_EN))
    percent = unit == "%"
    value = decimals(1, 3000, 1000) if percent else decimals(1, 50000, 10)
    direction = draw(st.sampled_from(["higher", "lower"]))
    ind: dict[str, Any] = {"unit": unit, "direction": direction}
    score = decimals(0, 2000, 20)
    if method == "bands":
        relative = draw(st.booleans()) and not percent
        thresholds = _distinct_sorted(draw(st.lists(decimals(1, 3000, 1000) if relative else value, min_size=1, max_size=4)),
                                      direction == "higher")
        scores = sorted(draw(st.lists(score, min_size=len(thresholds), max_size=len(thresholds))), reverse=True)
        otherwise = draw(st.sampled_from([0.0, scores[-1] / 2, scores[-1]]))
        ind["scoring"] = {"method": "bands", "bands": [[t, s] for t, s in zip(thresholds, scores)], "otherwise": otherwise}
        if relative:
            ind["scoring"]["relative"] = True
            ind["target"] = draw(value)
        else:
            ind["target"] = thresholds[-1] if direction == "higher" else thresholds[-1]
    elif method == "linear":
        floor, cap = sorted(draw(st.lists(score, min_size=2, max_size=2, unique=True)))
        ind |= {"target": draw(value), "scoring": {"method": "linear", "floor": floor, "cap": cap}}
    elif method == "deduction":
        floor, start = sorted(draw(st.lists(score, min_size=2, max_size=2, unique=True)))
        ind |= {"target": 0, "scoring": {"method": "deduction", "per_unit": draw(decimals(1, 500, 10)), "start": start, "floor": floor}}
    elif method == "step":
        floor, start, cap = sorted(draw(st.lists(score, min_size=3, max_size=3, unique=True)))
        above, below = draw(decimals(0, 50, 10)), draw(decimals(0, 50, 10))
        assume(above or below)
        relative = draw(st.booleans())
        ind |= {"target": draw(value), "scoring": {"method": "step", "step": draw(decimals(1, 500, 1000) if percent or relative else
                                                                              decimals(1, 50, 1)),
                                                    "above": above, "below": below, "start": start, "floor": floor, "cap": cap,
                                                    **({"relative": True} if relative else {})}}
    elif method == "events":  # several kinds of event, each with its points per case, some with a limit of their own
        names = draw(st.lists(EVENT_NAMES, min_size=2, max_size=4, unique=True))
        events = []
        for name in names:
            event: dict[str, Any] = {"name": name, "points": draw(decimals(5, 300, 10)) * draw(st.sampled_from([-1, -1, 1]))}
            if draw(st.booleans()) or event["points"] > 0:
                event["max"] = draw(decimals(10, 600, 10))
            events.append(event)
        floor, start = sorted(draw(st.lists(score, min_size=2, max_size=2, unique=True)))
        ind |= {"unit": draw(st.sampled_from(["次", ""])), "scoring": {"method": "events", "start": start, "floor": floor, "events": events}}
        if draw(st.booleans()):
            ind["scoring"]["cap"] = start + draw(decimals(0, 400, 20))
    else:
        labels = draw(st.sampled_from(LABELS))[: draw(st.integers(2, 4))]
        scores = sorted(draw(st.lists(score, min_size=len(labels), max_size=len(labels))), reverse=True)
        levels = {}
        for label, s in zip(labels, scores):
            description = draw(st.one_of(st.just(""), WORDS))
            levels[label] = {"score": s, **({"description": description} if description else {})}
        ind |= {"unit": "等级" if lang == "zh" else "", "target": draw(st.sampled_from(labels)),
                "scoring": {"method": "rating", "levels": levels}}
    return ind


def _parsed(raw: dict[str, Any]):
    spec, problems = parse_spec({"id": "gen", "title": "生成", "grades": [{"label": "合格", "min": 0}],
                                 "indicators": [{"id": "k", "name": "指标", "weight": 1, **raw}]}, "gen")
    assume(spec is not None)
    return spec.indicators[0]


@given(data=st.data(), lang=st.sampled_from(["zh", "en"]))
@settings(max_examples=400, deadline=None)
def test_the_sentence_a_scorecard_prints_reads_back_to_its_rules(data, lang):
    ind = _parsed(data.draw(indicators(lang)))
    texts = [ind.method.standard(ind, lang)] + ([] if ind.relative else [ind.describe(lang)])
    for text in texts:
        ctx = Context(unit=ind.unit, direction=ind.direction, lang=lang)
        reading = next(r for r in (m.read(text, ctx) for m in ORDER) if r is not None)
        method = REGISTRY[reading.scoring["method"]]
        assert method.parse(Checker("x"), reading.scoring, "s", ind.direction) == ind.scoring, text


GRADES = [[{"label": "优秀", "min": 90, "coefficient": 1.2}, {"label": "良好", "min": 80, "coefficient": 1.0},
           {"label": "合格", "min": 60, "coefficient": 0.8}, {"label": "不合格", "min": 0, "coefficient": 0.5}],
          [{"label": "Excellent", "min": 90, "application": "bonus"}, {"label": "Good", "min": 75}, {"label": "Poor", "min": 0}]]
NAMES = ["销售额完成率", "客户满意度", "新客户开发数", "回款及时率", "Sales attainment", "Response time", "缺陷数", "团队协作"]


def _split(total: int, n: int, draw: Any) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), min_size=n - 1, max_size=n - 1, unique=True))) if n > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:])]


@st.composite
def specs(draw: Any) -> dict[str, Any]:
    lang = draw(st.sampled_from(["zh", "en"]))
    n = draw(st.integers(1, 6))
    inds = [draw(indicators(lang)) for _ in range(n)]
    data: dict[str, Any] = {"id": draw(st.sampled_from(["sales_rep", "cs_agent", "r2d2"])), "title": draw(st.sampled_from(["销售岗考核表", "Agent scorecard"])),
                            "language": lang, "version": draw(st.sampled_from([1, 2, "2026a"])),
                            "period": draw(st.sampled_from(["", "2026-Q3", "2026年11月"])),
                            "position": draw(st.sampled_from(["", "销售代表", "Agent"])),
                            "responsibilities": draw(st.sampled_from(["", "负责区域客户开发;完成目标", "Owns the queue"])),
                            "grades": draw(st.sampled_from(GRADES))}
    sections = draw(st.integers(0, min(3, n))) if n >= 2 else 0
    if sections >= 2:
        names = ["业绩", "能力", "态度"] if lang == "zh" else ["Results", "Skills", "Attitude"]
        data["sections"] = [{"id": f"s{k}", "name": names[k], "weight": f"{w}%"} for k, w in enumerate(_split(100, sections, draw))]
        owner = [k % sections for k in range(n)]
        for k in range(sections):
            members = [i for i in range(n) if owner[i] == k]
            for i, w in zip(members, _split(100, len(members), draw) if len(members) > 1 else [100]):
                inds[i] |= {"section": f"s{k}", "weight": f"{w}%"}
    else:
        as_text = draw(st.booleans())  # one notation per list: "40%" or 0.4
        for ind, w in zip(inds, _split(100, n, draw) if n > 1 else [100]):
            ind["weight"] = f"{w}%" if as_text else w / 100
    if draw(st.booleans()):
        data["raters"] = [{"id": "self", "name": "自评", "weight": "30%", "role": "self"},
                          {"id": "boss", "name": "上级评分", "weight": "70%", "role": "supervisor"}]
        for ind in inds:
            if ind["scoring"]["method"] == "rating" and draw(st.booleans()):
                ind["rated"] = draw(st.sampled_from([True, ["boss"]]))
    for k, ind in enumerate(inds):
        ind |= {"id": f"k{k}", "name": draw(st.sampled_from(NAMES)), "kind": draw(st.sampled_from(["result", "process"]))}
        if draw(st.booleans()):
            ind["definition"] = draw(st.sampled_from(["实际/目标×100%", "count of cases", "多行\n说明"]))
        if draw(st.booleans()):
            ind["source"] = draw(st.sampled_from(["CRM", "财务系统"]))
        if draw(st.booleans()) and ind["scoring"]["method"] != "rating":
            ind["range"] = [0, draw(decimals(1, 10**6, 100))]
    if draw(st.booleans()):
        data["adjustments"] = {"items": [{"id": "praise", "name": "通报表扬", "points": 2, "max": 6},
                                         {"id": "complaint", "name": "有效投诉", "points": draw(decimals(-50, -1, 10)), "max": 9}],
                               **({"min": -8, "max": 5} if draw(st.booleans()) else {})}
    if draw(st.booleans()):
        data["veto"] = [{"id": "fraud", "name": "数据造假"}]
    data["indicators"] = inds
    return data


@given(raw=specs())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_a_spec_written_as_a_workbook_reads_back_unchanged(raw):
    spec, problems = parse_spec(raw, "gen.yaml")
    assume(spec is not None and not any(p.severity == "error" for p in problems))
    with tempfile.TemporaryDirectory() as folder:
        path = export_spec(spec, Path(folder) / "spec.xlsx")
        imported, found = import_tables([path])
        assert not [f.render("en") for f in found if f.severity == "error"]
        assert imported[0].spec.canonical() == spec.canonical()

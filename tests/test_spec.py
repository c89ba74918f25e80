"""Bad specs are refused with every problem, its location and a fix; good ones load."""

import pytest

from xl_kpi.core.errors import SpecError
from xl_kpi.spec import check_spec, load_spec

from .conftest import sales_dict


def _with(change):
    data = sales_dict()
    change(data)
    return data


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _del(path):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


BAD = [
    ("weights-not-100", _set(["indicators", 0, "weight"], "45%"), "weight-total", "indicators[*].weight", "105%"),
    ("mixed-weight-notation", _set(["indicators", 0, "weight"], 0.4), "weight-notation", "indicators[*].weight", "混用"),
    ("zero-weight", _set(["indicators", 1, "weight"], "0%"), "weight-invalid", "indicators[1].weight", "无效"),
    ("thresholds-out-of-order", _set(["indicators", 0, "scoring", "bands"], [[1.0, 80], [1.1, 100], [0.9, 60]]), "bands-order", "indicators[0].scoring.bands[1]", "顺序"),
    ("threshold-duplicated", _set(["indicators", 1, "scoring", "bands"], [[12, 100], [12, 80], [8, 60]]), "bands-duplicate", "indicators[1].scoring.bands[1]", "重复"),
    ("score-out-of-range", _set(["indicators", 1, "scoring", "bands"], [[12, 300], [10, 80], [8, 60]]), "score-range", "indicators[1].scoring.bands[0][1]", "超出"),
    ("unknown-method", _set(["indicators", 2, "scoring", "method"], "band"), "unknown-method", "indicators[2].scoring.method", "bands"),
    ("unknown-direction", _set(["indicators", 3, "direction"], "down"), "unknown-direction", "indicators[3].direction", "lower"),
    ("missing-target", _del(["indicators", 0, "target"]), "missing-field", "indicators[0].target", "目标值"),
    ("missing-name", _del(["indicators", 2, "name"]), "missing-field", "indicators[2].name", "name"),
    ("duplicate-id", _set(["indicators", 1, "id"], "sales_rate"), "duplicate-id", "indicators[1].id", "重复"),
    ("non-ascii-id", _set(["indicators", 0, "id"], "销售额"), "bad-id", "indicators[0].id", "不合规"),
    ("target-no-band-rewards", _set(["indicators", 1, "target"], 5), "target-unrewarded", "indicators[1].target", "得不到"),
    ("grades-without-zero-floor", _set(["grades"], [{"label": "好", "min": 80}, {"label": "差", "min": 60}]), "grades-floor", "grades", "0"),
    ("grades-out-of-order", _set(["grades"], [{"label": "差", "min": 0}, {"label": "好", "min": 80}]), "grades-order", "grades[1].min", "从高到低"),
    ("typo-key", lambda d: d["indicators"][0].__setitem__("weigth", 1), "unknown-key", "indicators[0].weigth", "weight"),
    ("top-level-typo", lambda d: d.__setitem__("titel", "x"), "unknown-key", "titel", "title"),
    ("worse-band-scores-more", _set(["indicators", 1, "scoring", "bands"], [[12, 80], [10, 100], [8, 60]]), "bands-scores", "indicators[1].scoring.bands[1][1]", "高于"),
    ("text-threshold", _set(["indicators", 1, "scoring", "bands"], [["十二", 100], [10, 80]]), "not-a-number", "indicators[1].scoring.bands[0][0]", "数字"),
    ("rating-one-level", _set(["indicators", 0, "scoring"], {"method": "rating", "levels": {"A": 100}}), "levels-empty", "indicators[0].scoring.levels", "两个"),
    ("linear-zero-target", lambda d: (d["indicators"][0].__setitem__("scoring", {"method": "linear"}), d["indicators"][0].__setitem__("target", 0)), "target-zero", "indicators[0].target", "不能为 0"),
    ("unknown-language", _set(["language"], "fr"), "unknown-language", "language", "zh"),
]


@pytest.mark.parametrize(("name", "change", "code", "location", "text"), BAD, ids=[b[0] for b in BAD])
def test_bad_spec_refused_with_location_and_fix(write_spec, name, change, code, location, text):
    path = write_spec(_with(change))
    spec, problems = check_spec(path)
    assert spec is None
    hits = [p for p in problems if p.code == code]
    assert hits, [p.render() for p in problems]
    line = hits[0].render("zh")
    assert line.startswith(f"{path}: {location}: ")
    assert text in line
    assert " — " in line  # every error carries a fix
    with pytest.raises(SpecError):
        load_spec(path)


def test_every_problem_is_reported_at_once(write_spec):
    data = sales_dict()
    data["indicators"][0]["weight"] = "45%"
    data["indicators"][1]["direction"] = "up"
    data["indicators"][2]["scoring"]["method"] = "stairs"
    _, problems = check_spec(write_spec(data))
    assert {"weight-total", "unknown-direction", "unknown-method"} <= {p.code for p in problems}


@pytest.mark.parametrize("count", [2, 6])
def test_indicator_count_outside_3_to_5_is_a_warning_not_an_error(write_spec, count):
    data = sales_dict()
    base = data["indicators"][1]
    data["indicators"] = [dict(base, id=f"k{i}", weight=f"{100 / count}%") for i in range(count)]
    spec, problems = check_spec(write_spec(data))
    assert spec is not None
    assert [p.severity for p in problems if p.code == "indicator-count"] == ["warning"]


def test_percent_target_written_as_100_is_flagged(write_spec):
    data = sales_dict()
    data["indicators"][0]["target"] = 100
    data["indicators"][0]["scoring"]["bands"] = [[110, 100], [100, 80], [90, 60]]
    _, problems = check_spec(write_spec(data))
    assert any(p.code == "percent-scale" and "1:" not in p.render() for p in problems)


def test_yaml_syntax_error_names_line(write_spec):
    _, problems = check_spec(write_spec("id: x\nindicators: [\n  - bad"))
    assert problems[0].code == "yaml-syntax" and "line" in problems[0].location


def test_duplicate_yaml_key_is_refused(write_spec):
    _, problems = check_spec(write_spec("id: a\nid: b\n"))
    assert problems[0].code == "yaml-syntax" and "key 'id' is given twice (first on line 1)" in problems[0].render("en")


@pytest.mark.parametrize("notation", [[0.4, 0.25, 0.2, 0.15], [40, 25, 20, 15], ["40%", "25%", "20%", "15%"]])
def test_three_weight_notations_load_to_the_same_fractions(write_spec, notation):
    data = sales_dict()
    for ind, w in zip(data["indicators"], notation):
        ind["weight"] = w
    assert [i.weight for i in load_spec(write_spec(data)).indicators] == [0.4, 0.25, 0.2, 0.15]


def test_spec_hash_changes_with_a_threshold(write_spec, sales):
    data = sales_dict()
    data["indicators"][0]["scoring"]["bands"][0][0] = 1.2
    assert load_spec(write_spec(data)).hash != sales.hash
    assert load_spec(write_spec(sales_dict(), "again.yaml")).hash == sales.hash

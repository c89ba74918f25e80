"""The rules a scorecard spec must follow, applied to raw YAML data.

``parse_spec`` never raises for bad content: it builds the model and collects every problem,
each with a location such as ``indicators[2].weight`` and a fix.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from .errors import Problem, Text
from .model import Bands, Deduction, Grade, Indicator, Level, Linear, Rating, Scoring, Spec

__all__ = ["parse_spec", "MAX_SCORE"]

SLUG = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_SCORE = 150.0  # room for over-achievement caps such as 120; documented in docs/spec.md

TOP_KEYS = ("id", "title", "language", "period", "position", "responsibilities", "grades",
            "indicators", "version")
IND_KEYS = ("id", "name", "definition", "unit", "target", "weight", "direction", "kind",
            "source", "scoring", "range")
GRADE_KEYS = ("label", "min", "application")
METHOD_KEYS = {
    "bands": ("method", "bands", "otherwise"),
    "linear": ("method", "floor", "cap"),
    "deduction": ("method", "start", "per_unit", "floor"),
    "rating": ("method", "levels"),
}


class _Checker:
    """Walks raw YAML data, building the model and collecting problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    # -- recording -------------------------------------------------------------------------
    def error(self, code: str, loc: str, zh: str, en: str, hint_zh: str = "", hint_en: str = "") -> None:
        self._add("error", code, loc, zh, en, hint_zh, hint_en)

    def warn(self, code: str, loc: str, zh: str, en: str, hint_zh: str = "", hint_en: str = "") -> None:
        self._add("warning", code, loc, zh, en, hint_zh, hint_en)

    def _add(self, sev: Any, code: str, loc: str, zh: str, en: str, hzh: str, hen: str) -> None:
        hint = Text(hzh, hen) if hzh or hen else None
        self.problems.append(Problem(code, sev, self.file, loc, Text(zh, en), hint))

    # -- primitives ------------------------------------------------------------------------
    def keys(self, data: dict, allowed: tuple[str, ...], loc: str) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                where = f"{loc}.{key}" if loc else str(key)
                if close:
                    self.error("unknown-key", where, f"未知字段 {key!r}", f"unknown key {key!r}",
                               f"是否想写 {close[0]!r}?", f"did you mean {close[0]!r}?")
                else:
                    self.error("unknown-key", where, f"未知字段 {key!r}", f"unknown key {key!r}",
                               "允许的字段: " + ", ".join(allowed), "allowed keys: " + ", ".join(allowed))

    def text(self, data: dict, key: str, loc: str, required: bool = False) -> str:
        value = data.get(key)
        where = f"{loc}.{key}" if loc else key
        if value is None:
            if required:
                self.error("missing-field", where, f"缺少必填字段 {key}", f"missing required field {key}",
                           f"请添加 {key}: …", f"add {key}: …")
            return ""
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            self.error("wrong-type", where, f"{key} 应为文本", f"{key} must be text",
                       "请写成一段文字", "write it as plain text")
            return ""
        return str(value).strip()

    def number(self, value: Any, where: str, what: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.error("not-a-number", where, f"{what} 应为数字,实际为 {value!r}",
                       f"{what} must be a number, got {value!r}",
                       "写数字,百分比写成小数,如 1.05 表示 105%",
                       "write a number; percentages as fractions, e.g. 1.05 for 105%")
            return None
        return float(value)

    def score_value(self, value: Any, where: str) -> float | None:
        score = self.number(value, where, "分数 score")
        if score is not None and not 0 <= score <= MAX_SCORE:
            self.error("score-range", where, f"分数 {score:g} 超出 0–{MAX_SCORE:g}",
                       f"score {score:g} is outside 0–{MAX_SCORE:g}",
                       "分数应在 0 到 150 之间(满分通常为 100)", "use a score from 0 to 150 (full marks are usually 100)")
        return score

    def slug(self, value: Any, where: str, what: str) -> str:
        if value is None:
            self.error("missing-field", where, f"缺少 {what}", f"missing {what}",
                       "请添加一个英文小写标识,如 sales_rate", "add a lower-case ASCII id such as sales_rate")
            return ""
        sid = str(value)
        if not SLUG.match(sid):
            self.error("bad-id", where, f"标识 {sid!r} 不合规", f"id {sid!r} is not a valid id",
                       "只用小写英文字母、数字和下划线,以字母开头,最多 40 个字符,如 sales_rate",
                       "use lower-case ASCII letters, digits and _, starting with a letter, at most 40 characters, e.g. sales_rate")
        return sid


def _weights(chk: _Checker, raw: list[Any]) -> list[float | None]:
    """Parse weights written as 0.40, 40 or "40%"; one notation per spec; total 100%."""
    kinds: set[str] = set()
    parsed: list[float | None] = []
    for i, w in enumerate(raw):
        where = f"indicators[{i}].weight"
        if w is None:
            chk.error("missing-field", where, "缺少权重", "missing weight", "如 weight: 40%", "e.g. weight: 40%")
            parsed.append(None)
            continue
        if isinstance(w, str) and w.strip().endswith("%"):
            try:
                value = float(w.strip()[:-1]) / 100
            except ValueError:
                value = None
            kinds.add("percent-string")
        elif isinstance(w, (int, float)) and not isinstance(w, bool):
            value = float(w)
            kinds.add("fraction" if value <= 1 else "percent-number")
        else:
            value = None
        if value is None or not math.isfinite(value) or value <= 0:
            chk.error("weight-invalid", where, f"权重 {w!r} 无效", f"weight {w!r} is not valid",
                      "写成 0.40、40 或 \"40%\",且大于 0", "write 0.40, 40 or \"40%\", greater than 0")
            parsed.append(None)
            continue
        parsed.append(value)
    if len(kinds) > 1:
        chk.error("weight-notation", "indicators[*].weight", "权重写法混用(小数、百分数、带 % 的文本)",
                  "weights mix notations (fractions, percent numbers, \"40%\" text)",
                  "全部写成同一种,如都写成 40%", "write every weight the same way, e.g. all as 40%")
        return [None] * len(raw)
    if kinds == {"percent-number"}:
        parsed = [None if v is None else v / 100 for v in parsed]
    if parsed and all(v is not None for v in parsed):
        total = math.fsum(v for v in parsed if v is not None)
        if abs(total - 1.0) > 1e-9:
            chk.error("weight-total", "indicators[*].weight", f"权重合计为 {total * 100:g}%,应为 100%",
                      f"weights total {total * 100:g}%, they must total 100%",
                      "调整各指标权重使其合计 100%", "adjust the weights so that they total 100%")
    return parsed


def _scoring(chk: _Checker, raw: Any, loc: str, direction: str) -> Scoring | None:
    if not isinstance(raw, dict):
        chk.error("missing-field", loc, "缺少评分标准 scoring", "missing scoring",
                  "如 scoring: {method: bands, bands: [[1.1, 100], [1.0, 80]]}",
                  "e.g. scoring: {method: bands, bands: [[1.1, 100], [1.0, 80]]}")
        return None
    method = raw.get("method")
    if method not in METHOD_KEYS:
        close = difflib.get_close_matches(str(method), METHOD_KEYS, n=1)
        chk.error("unknown-method", f"{loc}.method", f"未知评分方法 {method!r}", f"unknown scoring method {method!r}",
                  "可用: bands, linear, deduction, rating" + (f"(是否想写 {close[0]}?)" if close else ""),
                  "use bands, linear, deduction or rating" + (f" (did you mean {close[0]}?)" if close else ""))
        return None
    chk.keys(raw, METHOD_KEYS[method], loc)
    if method == "bands":
        return _bands(chk, raw, loc, direction)
    if method == "linear":
        floor = chk.score_value(raw.get("floor", 0), f"{loc}.floor")
        cap = chk.score_value(raw.get("cap", 100), f"{loc}.cap")
        if floor is None or cap is None:
            return None
        if cap <= floor:
            chk.error("cap-floor", f"{loc}.cap", f"上限 {cap:g} 不高于下限 {floor:g}", f"cap {cap:g} is not above floor {floor:g}",
                      "上限应大于下限", "make cap greater than floor")
        return Linear(floor=floor, cap=cap)
    if method == "deduction":
        per_unit = chk.number(raw.get("per_unit"), f"{loc}.per_unit", "每单位扣分 per_unit")
        start = chk.score_value(raw.get("start", 100), f"{loc}.start")
        floor = chk.score_value(raw.get("floor", 0), f"{loc}.floor")
        if per_unit is not None and per_unit <= 0:
            chk.error("per-unit", f"{loc}.per_unit", "每单位扣分应大于 0", "per_unit must be greater than 0",
                      "如每起投诉扣 20 分: per_unit: 20", "e.g. 20 points per complaint: per_unit: 20")
            return None
        if None in (per_unit, start, floor):
            return None
        if start is not None and floor is not None and floor >= start:
            chk.error("cap-floor", f"{loc}.floor", "最低分不低于起始分", "floor is not below start",
                      "最低分应小于起始分", "make floor lower than start")
        return Deduction(per_unit=per_unit, start=start, floor=floor)  # type: ignore[arg-type]
    return _rating(chk, raw.get("levels"), f"{loc}.levels")


def _bands(chk: _Checker, raw: dict, loc: str, direction: str) -> Bands | None:
    bands = raw.get("bands")
    where = f"{loc}.bands"
    if not isinstance(bands, list) or not bands:
        chk.error("bands-empty", where, "缺少分档 bands", "bands are missing or empty",
                  "写成 [[阈值, 分数], …],如 [[1.10, 100], [1.00, 80]]", "write [[threshold, score], …], e.g. [[1.10, 100], [1.00, 80]]")
        return None
    thresholds: list[float] = []
    scores: list[float] = []
    ok = True
    for j, band in enumerate(bands):
        if not isinstance(band, list) or len(band) != 2:
            chk.error("bands-shape", f"{where}[{j}]", f"分档 {band!r} 应为 [阈值, 分数]", f"band {band!r} must be [threshold, score]",
                      "如 [1.10, 100]", "e.g. [1.10, 100]")
            ok = False
            continue
        t = chk.number(band[0], f"{where}[{j}][0]", "阈值 threshold")
        s = chk.score_value(band[1], f"{where}[{j}][1]")
        if t is None or s is None:
            ok = False
            continue
        thresholds.append(t)
        scores.append(s)
    otherwise = chk.score_value(raw.get("otherwise", 0), f"{loc}.otherwise")
    if not ok or otherwise is None:
        return None
    desc = direction == "higher"
    for j in range(1, len(thresholds)):
        a, b = thresholds[j - 1], thresholds[j]
        if a == b:
            chk.error("bands-duplicate", f"{where}[{j}]", f"阈值 {b:g} 重复", f"threshold {b:g} appears twice",
                      "每个阈值只写一次", "give each threshold once")
        elif (a < b) if desc else (a > b):
            order_zh, order_en = ("从高到低", "from the highest down") if desc else ("从低到高", "from the lowest up")
            chk.error("bands-order", f"{where}[{j}]", f"阈值顺序错误: {a:g} 之后是 {b:g}", f"thresholds out of order: {b:g} after {a:g}",
                      f"方向为 {direction} 时阈值应{order_zh}排列", f"for direction {direction}, list thresholds {order_en}")
        if scores[j] > scores[j - 1]:
            chk.error("bands-scores", f"{where}[{j}][1]", f"更差的档位得分 {scores[j]:g} 高于更好的档位 {scores[j - 1]:g}",
                      f"a worse band scores {scores[j]:g}, more than the better band's {scores[j - 1]:g}",
                      "分数应随档位变差而不增", "scores must not rise as bands get worse")
    if scores and otherwise > scores[-1]:
        chk.error("bands-scores", f"{loc}.otherwise", f"未达任何档位的得分 {otherwise:g} 高于最低档 {scores[-1]:g}",
                  f"otherwise ({otherwise:g}) is more than the lowest band's {scores[-1]:g}",
                  "otherwise 应不高于最低档分数", "make otherwise no more than the lowest band's score")
    return Bands(thresholds=tuple(thresholds), scores=tuple(scores), otherwise=otherwise)


def _rating(chk: _Checker, raw: Any, where: str) -> Rating | None:
    items: list[tuple[Any, Any]] = []
    if isinstance(raw, dict):
        items = list(raw.items())
    elif isinstance(raw, list):
        for j, item in enumerate(raw):
            if isinstance(item, dict) and "label" in item:
                items.append((item["label"], item))
            else:
                chk.error("levels-shape", f"{where}[{j}]", "等级应写成 {label: A, score: 100, description: …}",
                          "a level must be {label: A, score: 100, description: …}", "", "")
    if len(items) < 2:
        chk.error("levels-empty", where, "等级评分至少需要两个等级", "a rating needs at least two levels",
                  "如 levels: {A: 100, B: 80, C: 60, D: 0}", "e.g. levels: {A: 100, B: 80, C: 60, D: 0}")
        return None
    levels: list[Level] = []
    seen: set[str] = set()
    for label, value in items:
        label = str(label).strip()
        lw = f"{where}.{label}"
        if label.casefold() in seen or not label:
            chk.error("levels-duplicate", lw, f"等级 {label!r} 重复或为空", f"level {label!r} is empty or given twice",
                      "等级名称不区分大小写,每个只写一次", "level names ignore case; give each once")
        seen.add(label.casefold())
        desc = ""
        if isinstance(value, dict):
            chk.keys(value, ("label", "score", "description"), lw)
            desc = str(value.get("description", "") or "")
            value = value.get("score")
        score = chk.score_value(value, lw)
        if score is None:
            return None
        levels.append(Level(label=label, score=score, description=desc))
    return Rating(levels=tuple(levels))


def _target(chk: _Checker, raw: dict, loc: str, scoring: Scoring | None, unit: str, direction: str) -> float | str | None:
    target = raw.get("target")
    where = f"{loc}.target"
    if isinstance(scoring, Rating):
        if target is not None and scoring.score_of(str(target)) is None:
            chk.error("target-level", where, f"目标等级 {target!r} 不在等级中", f"target level {target!r} is not one of the levels",
                      "写一个已定义的等级,如 B", "use one of the defined levels, e.g. B")
        return None if target is None else str(target)
    if target is None:
        chk.error("missing-field", where, "缺少目标值 target", "missing target", "如 target: 1.0(即 100%)", "e.g. target: 1.0 (100%)")
        return None
    value = chk.number(target, where, "目标值 target")
    if value is None:
        return None
    if unit == "%" and value > 10:
        chk.warn("percent-scale", where, f"单位为 % 但目标值为 {value:g}(即 {value * 100:g}%)",
                 f"unit is % but the target is {value:g} ({value * 100:g}%)",
                 f"百分比写成小数,如 {value / 100:g} 表示 {value:g}%", f"write percentages as fractions, e.g. {value / 100:g} for {value:g}%")
    if isinstance(scoring, Linear) and value == 0:
        chk.error("target-zero", where, "线性评分的目标值不能为 0", "a linear score needs a non-zero target",
                  "设置一个非 0 的目标值", "set a non-zero target")
    if isinstance(scoring, Bands) and scoring.thresholds:
        rewarded = any((value >= t) if direction == "higher" else (value <= t) for t in scoring.thresholds)
        if not rewarded:
            chk.error("target-unrewarded", where, f"达到目标值 {value:g} 也得不到任何档位的分数",
                      f"reaching the target {value:g} earns no band",
                      "调整阈值,使达到目标值至少进入一个档位", "adjust the thresholds so that meeting the target earns a band")
    return value


def _indicator(chk: _Checker, raw: Any, i: int, weight: float | None) -> Indicator | None:
    loc = f"indicators[{i}]"
    if not isinstance(raw, dict):
        chk.error("wrong-type", loc, "指标应为一组字段", "an indicator must be a mapping of fields", "", "")
        return None
    chk.keys(raw, IND_KEYS, loc)
    iid = chk.slug(raw.get("id"), f"{loc}.id", "指标标识 id")
    name = chk.text(raw, "name", loc, required=True)
    direction = raw.get("direction", "higher")
    if direction not in ("higher", "lower"):
        chk.error("unknown-direction", f"{loc}.direction", f"未知方向 {direction!r}", f"unknown direction {direction!r}",
                  "写 higher(越高越好)或 lower(越低越好)", "use higher (higher is better) or lower (lower is better)")
        direction = "higher"
    kind = raw.get("kind", "result")
    if kind not in ("result", "process"):
        chk.error("unknown-kind", f"{loc}.kind", f"未知类型 {kind!r}", f"unknown kind {kind!r}",
                  "写 result(结果指标)或 process(过程指标)", "use result or process")
        kind = "result"
    unit = chk.text(raw, "unit", loc)
    scoring = _scoring(chk, raw.get("scoring"), f"{loc}.scoring", direction)
    target = _target(chk, raw, loc, scoring, unit, direction)
    rng = raw.get("range")
    bounds: tuple[float, float] | None = None
    if rng is not None:
        if (isinstance(rng, list) and len(rng) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in rng)
                and rng[0] < rng[1]):
            bounds = (float(rng[0]), float(rng[1]))
        else:
            chk.error("range", f"{loc}.range", f"取值范围 {rng!r} 无效", f"range {rng!r} is not valid",
                      "写成 [最小值, 最大值],如 [0, 2]", "write [min, max], e.g. [0, 2]")
    if scoring is None or weight is None or not iid or not name:
        return None
    return Indicator(id=iid, name=name, weight=weight, scoring=scoring, definition=chk.text(raw, "definition", loc),
                     unit=unit, target=target, direction=direction, kind=kind, source=chk.text(raw, "source", loc),
                     range=bounds)


def _grades(chk: _Checker, raw: Any) -> tuple[Grade, ...]:
    if not isinstance(raw, list) or not raw:
        chk.error("missing-field", "grades", "缺少等级 grades", "missing grades",
                  "如 - {label: 优秀, min: 90} … - {label: 不合格, min: 0}", "e.g. - {label: Excellent, min: 90} … - {label: Poor, min: 0}")
        return ()
    grades: list[Grade] = []
    for i, g in enumerate(raw):
        loc = f"grades[{i}]"
        if not isinstance(g, dict):
            chk.error("wrong-type", loc, "等级应写成 {label: …, min: …}", "a grade must be {label: …, min: …}", "", "")
            continue
        chk.keys(g, GRADE_KEYS, loc)
        label = chk.text(g, "label", loc, required=True)
        low = chk.number(g.get("min"), f"{loc}.min", "最低分 min")
        if label and low is not None:
            grades.append(Grade(label=label, min=low, application=chk.text(g, "application", loc)))
    labels = [g.label for g in grades]
    for i in range(1, len(grades)):
        if grades[i].min >= grades[i - 1].min:
            chk.error("grades-order", f"grades[{i}].min", "等级应按最低分从高到低排列且不重复",
                      "grades must be listed from the highest min down, without repeats",
                      "把最高的等级写在最前", "put the highest grade first")
    if len(set(labels)) != len(labels):
        chk.error("grades-duplicate", "grades", "等级名称重复", "a grade label appears twice", "每个等级名称只写一次", "give each label once")
    if grades and min(g.min for g in grades) > 0:
        chk.error("grades-floor", "grades", "没有最低分为 0 的等级,低分将无等级可得",
                  "no grade has min 0, so a low total would get no grade",
                  "添加 {label: 不合格, min: 0}", "add {label: Poor, min: 0}")
    return tuple(grades)


def parse_spec(data: Any, file: str = "") -> tuple[Spec | None, list[Problem]]:
    """Validate raw spec data; returns the spec (None when there are errors) and every problem."""
    chk = _Checker(file)
    if not isinstance(data, dict):
        chk.error("not-mapping", "", "规格文件应为 YAML 字段映射", "a spec must be a YAML mapping of fields",
                  "参考 workbook_templates/sales_rep.yaml", "see workbook_templates/sales_rep.yaml")
        return None, chk.problems
    chk.keys(data, TOP_KEYS, "")
    sid = chk.slug(data.get("id"), "id", "规格标识 id")
    title = chk.text(data, "title", "", required=True)
    language = data.get("language", "zh")
    if language not in ("zh", "en"):
        chk.error("unknown-language", "language", f"未知语言 {language!r}", f"unknown language {language!r}",
                  "写 zh 或 en", "use zh or en")
        language = "zh"
    raw_inds = data.get("indicators")
    indicators: list[Indicator] = []
    if not isinstance(raw_inds, list) or not raw_inds:
        chk.error("missing-field", "indicators", "缺少指标 indicators", "missing indicators",
                  "列出 3–5 项核心指标", "list 3–5 core indicators")
        raw_inds = []
    else:
        weights = _weights(chk, [r.get("weight") if isinstance(r, dict) else None for r in raw_inds])
        ids: dict[str, int] = {}
        for i, raw in enumerate(raw_inds):
            ind = _indicator(chk, raw, i, weights[i])
            rid = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(rid, str):
                if rid in ids:
                    chk.error("duplicate-id", f"indicators[{i}].id", f"指标标识 {rid!r} 与 indicators[{ids[rid]}] 重复",
                              f"indicator id {rid!r} is already used by indicators[{ids[rid]}]",
                              "每个指标用不同的标识", "give each indicator its own id")
                ids.setdefault(rid, i)
            if ind is not None:
                indicators.append(ind)
        if not 3 <= len(raw_inds) <= 5:
            chk.warn("indicator-count", "indicators", f"共 {len(raw_inds)} 项指标,建议 3–5 项核心指标",
                     f"{len(raw_inds)} indicators; 3–5 core indicators are recommended",
                     "指标过多会分散精力,过少难以全面衡量", "too many dilute focus, too few miss results")
    grades = _grades(chk, data.get("grades"))
    version = data.get("version", 1)
    errors = [p for p in chk.problems if p.severity == "error"]
    if errors:
        return None, chk.problems
    spec = Spec(id=sid, title=title, indicators=tuple(indicators), grades=grades, language=language,
                period=chk.text(data, "period", ""), position=chk.text(data, "position", ""),
                responsibilities=chk.text(data, "responsibilities", ""), version=str(version), source_path=file)
    return spec, chk.problems

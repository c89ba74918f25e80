"""SMART checks of goal texts and vague-language checks of review texts, in Chinese and English.

Rule-based and explainable: every verdict comes with the reason that produced it. A
criterion the text alone cannot decide is ``unknown`` (achievable without history, relevant
without department goals), never a guess.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .quantities import Quantity, quantities, strip_time, time_spans
from .vague import VaguePhrase
from .vague import find_vague as _find_vague

__all__ = ["SmartResult", "check_smart", "smart_gaps", "VaguePhrase", "find_vague", "detect_lang", "summary_line"]

Verdict = Literal["pass", "fail", "unknown"]
CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")

_CJK = re.compile(r"[\u4e00-\u9fff]")

_VAGUE_VERBS_ZH = ("提升", "提高", "加强", "优化", "改进", "改善", "做好", "努力", "积极", "推进", "完善", "促进", "强化", "增强", "推动", "落实", "确保", "争取", "配合", "协助", "负责", "持续",
                   "降低", "减少", "缩短", "增加", "实现", "完成")
_GENERIC_ZH = ("工作", "管理", "效率", "质量", "能力", "水平", "服务", "业绩", "表现", "意识", "执行力", "团队", "流程", "体验", "各项", "相关", "事务", "任务",
               "成绩", "成效", "士气", "影响力", "沟通", "竞争力")
_VAGUE_VERBS_EN = ("improve", "enhance", "optimize", "optimise", "strengthen", "boost", "increase", "better", "support", "help",
                   "work on", "focus on", "drive", "ensure", "grow", "develop", "maximize", "maximise", "promote", "try", "sell more",
                   "do better", "reduce", "achieve", "deliver", "lower", "decrease", "cut")
_GENERIC_EN = ("performance", "work", "efficiency", "quality", "skills", "things", "results", "service", "processes",
               "teamwork", "communication", "productivity", "engagement", "experience", "outcomes", "stuff", "overall", "business")

# Named metrics: an object a goal can be measured by (seed examples first).
_METRICS_ZH = ("销售额", "销售收入", "营收", "收入", "利润", "毛利", "回款", "客户满意度", "满意度", "投诉率", "投诉", "响应时间", "响应时长",
               "新客户", "新用户", "用户数", "转化率", "复购率", "留存率", "流失率", "交付率", "交付", "上线", "缺陷", "故障", "bug", "阅读量",
               "爆款", "文章", "订单", "成本", "费用", "预算", "库存", "周转", "人效", "出勤", "培训", "认证", "晋升",
               "项目交付", "需求调研", "调研", "报告", "拜访", "签约", "合同", "工单", "好评率", "准确率", "合格率", "良品率", "覆盖率",
               "市场份额", "引流", "粉丝", "曝光", "点击率", "活动", "招聘", "离职率", "处理时长", "解决率", "一次解决率", "评分", "NPS")
_METRICS_EN = ("sales", "revenue", "profit", "margin", "customer satisfaction", "satisfaction", "csat", "nps", "complaint", "response time",
               "resolution", "new customers", "customers", "users", "sign-ups", "signups", "conversion", "retention", "churn", "repeat",
               "delivery", "release", "defect", "bug", "incident", "outage", "uptime", "articles", "posts", "content", "views", "reads",
               "orders", "cost", "expense", "budget", "inventory", "tickets", "leads", "deals", "contracts", "accuracy", "yield",
               "coverage", "market share", "followers", "click-through", "ctr", "hires", "attrition", "turnover", "training", "certification",
               "projects", "features", "visits", "calls", "score", "rating", "invoices", "collections", "backlog", "lead time", "cycle time",
               "handling time", "website", "migration")
_RATE_ZH = re.compile(r"[\u4e00-\u9fff]{1,5}率")  # 退货率, 差评率: any rate names what is measured
_LEAD_VERB_ZH = re.compile(r"^.*(提升|提高|降低|减少|控制|达到|确保|保持|把|将)")
_NOT_A_MEASURE = {"the", "on", "in", "at", "per", "any", "same", "this", "that", "each", "every", "full", "part", "real", "over",
                  "flat", "high", "low", "good", "better", "best", "all", "first", "spare", "free", "some", "more", "less"}
_RATE_EN = re.compile(r"\b[a-z][a-z-]+\s+(rate|ratio|time)\b", re.I)
# What gets better as it falls: the suggestion says "reduce … to …".
_LOWER_ZH = ("投诉", "流失", "成本", "费用", "缺陷", "故障", "离职", "差评", "退货", "逾期", "响应时间", "响应时长", "处理时长", "周期", "时长",
             "天数", "错误", "事故", "损耗", "延期", "返工", "降低", "减少", "缩短", "控制在", "降至", "压缩")
_LOWER_EN = ("complaint", "churn", "cost", "expense", "defect", "bug", "incident", "outage", "attrition", "turnover", "refund", "return",
             "response time", "handling time", "lead time", "cycle time", "time-to", "backlog", "overdue", "error", "reduce", "cut",
             "lower", "decrease", "shrink", "below", "under", "no more than", "at most")
_TARGET_ZH = re.compile(r"(提升至|提高到|提高至|降低至|降至|降低到|缩短至|缩短到|达到|达|不低于|不少于|不超过|不高于|低于|高于|超过|控制在|至少|≥|≤|>|<|从.{1,40}?(到|至))")
_TARGET_EN = re.compile(r"\b(to|at least|at most|no more than|no less than|below|above|under|over|from .{1,80}? to|reach|hit|exceed|>=|<=)\b", re.I)
_ALL_OR_NONE = re.compile(r"(满分|100%|全部|所有|零|every|all|zero|none|no\s+\w+)", re.I)


def detect_lang(text: str) -> Literal["zh", "en"]:
    """Chinese when the text has CJK characters."""
    return "zh" if _CJK.search(text) else "en"


@dataclass(frozen=True)
class SmartResult:
    """Verdict per SMART criterion, the reasons, and concrete suggestions."""

    specific: Verdict
    measurable: Verdict
    achievable: Verdict
    relevant: Verdict
    time_bound: Verdict
    reasons: dict[str, str] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)
    lang: str = "zh"
    subject: str = ""  # what the goal is about, in its own words
    direction: str = "higher"  # which way is better, as read from the text
    target: float | None = None  # the target level in the text, magnitudes applied (13万 → 130000)

    def as_dict(self) -> dict[str, object]:
        return {c: getattr(self, c) for c in CRITERIA} | {"reasons": dict(self.reasons), "suggestions": list(self.suggestions),
                                                           "subject": self.subject, "direction": self.direction, "target": self.target}


def _find(words: tuple[str, ...], text: str) -> list[str]:
    low = text.lower()
    return [w for w, lw in _lowered(words) if lw in low]


@functools.lru_cache(maxsize=16)
def _lowered(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((w, w.lower()) for w in words)


def _metrics(text: str, lang: str) -> list[str]:
    """Named metrics in the text; a Chinese goal may name an English one (NPS, revenue)."""
    found = _find(_METRICS_ZH, text) + [_LEAD_VERB_ZH.sub("", m.group(0)) for m in _RATE_ZH.finditer(text)
                                         if not m.group(0).endswith("效率")] if lang == "zh" else []
    found += [w for w in _find(_METRICS_EN, text) if re.search(rf"\b{re.escape(w)}", text, re.I)]
    found += [m.group(0) for m in _RATE_EN.finditer(text) if m.group(0).split()[0].lower() not in _NOT_A_MEASURE]
    return found


def _specific(text: str, clean: str, lang: str, amounts: list[Quantity]) -> tuple[Verdict, str, str | None]:
    metrics = _metrics(text, lang)
    vague = _find(_VAGUE_VERBS_ZH if lang == "zh" else _VAGUE_VERBS_EN, clean)
    generic = _find(_GENERIC_ZH if lang == "zh" else _GENERIC_EN, clean)
    metric = max(metrics, key=len) if metrics else None
    zh = lang == "zh"
    if metric:
        return "pass", (f"对象明确: {metric}" if zh else f"names what is measured: {metric}"), metric
    long_enough = len(clean.strip()) >= (6 if zh else 15)
    if amounts and long_enough and not (generic and vague and len(clean.strip()) < (10 if zh else 30)):
        return "pass", ("有具体的对象和数量" if zh else "states a concrete object and quantity"), None
    if vague or generic:
        words = "、".join(vague + generic) if zh else ", ".join(vague + generic)
        return "fail", (f"只有笼统的动词或对象({words}),没有说明具体做什么" if zh
                        else f"only vague verbs or objects ({words}); it does not say what exactly"), None
    return "fail", ("没有可识别的具体对象" if zh else "no concrete object to measure"), None


def _measurable(text: str, clean: str, lang: str, metric: str | None, amounts: list[Quantity]) -> tuple[Verdict, str]:
    """A quantity outside the time expressions (a period or a date is time, never the measure)."""
    zh = lang == "zh"
    if amounts:
        shown = "、".join(q.text for q in amounts[:3]) if zh else ", ".join(q.text for q in amounts[:3])
        return "pass", (f"含有量化标准({shown})" if zh else f"has a quantity ({shown})")
    if metric and (_TARGET_ZH if zh else _TARGET_EN).search(clean) and _ALL_OR_NONE.search(clean):
        return "pass", ("含有量化标准(全部/零)" if zh else "has a quantity (all or none)")
    timed = bool(re.search(r"\d", text))  # its only numbers are a period's or a date's
    if zh:
        return "fail", ("只有时间中的数字(期间或日期不是衡量标准),没有数量、比率或从多少到多少" if timed
                        else "没有数字、百分比或数量")
    return "fail", ("only the numbers of a period or date, which are not a measure: no quantity, rate or from → to" if timed
                    else "no number, percentage or count")


_LOWER_EN_WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in _LOWER_EN) + r")(s|es|ed|ing)?\b", re.I)


def _direction(text: str, lang: str) -> str:
    """"lower" when the goal's subject gets better as it falls (complaints, cost) or it says reduce."""
    if lang == "zh" and _find(_LOWER_ZH, text):
        return "lower"
    return "lower" if _LOWER_EN_WORDS.search(text) else "higher"


def target_of(amounts: list[Quantity]) -> Quantity | None:
    """The goal's target: the quantity after a level marker (提升至, reach), else a change, else the last."""
    return next((q for q in reversed(amounts) if q.level), None) or next((q for q in amounts if q.change), None) or (
        amounts[-1] if amounts else None)


def _achievable(lang: str, history: float | None, max_increase: float, direction: str,
                amounts: list[Quantity]) -> tuple[Verdict, str]:
    zh = lang == "zh"
    if history is None:
        return "unknown", ("未提供历史数据,无法判断" if zh else "no history given, cannot tell")
    target = target_of(amounts)
    if target is None or history == 0:
        return "unknown", ("文本中没有可比较的目标值" if zh else "no target value in the text to compare")
    base = history / 100 if target.percent and abs(history) > 1.5 else history  # 85 given for 85%
    if target.magnitude > 1 and not target.change and abs(target.value / history) >= target.magnitude / 10:
        base = history * target.magnitude  # history given in the text's unit: 10 (万) against 13万
    if target.change:  # 降低30%, 增长2万: the target is history moved by it
        delta = base * target.value if target.percent else target.value
        value = base - delta if direction == "lower" else base + delta
    else:
        value = target.value
    change = value / base - 1 if direction == "higher" else 1 - value / base
    shown, hist = (f"{value * 100:.4g}%", f"{base * 100:.4g}%") if target.percent else (f"{value:,.6g}", f"{base:,.6g}")
    if change > max_increase:
        return "fail", (f"目标 {shown}({target.text})比历史 {hist} {'高出' if direction == 'higher' else '降低'} {change:.0%},超过 {max_increase:.0%}"
                        if zh else f"target {shown} ({target.text}) is {change:.0%} beyond history {hist}, more than {max_increase:.0%}")
    if change < 0:
        return "fail", (f"目标 {shown}({target.text}){'低于' if direction == 'higher' else '高于'}历史水平 {hist},缺乏挑战" if zh
                        else f"target {shown} ({target.text}) is {'below' if direction == 'higher' else 'above'} history {hist}: no challenge")
    return "pass", (f"目标 {shown}({target.text})相对历史 {hist} 改善 {change:+.0%},在合理范围" if zh
                    else f"target {shown} ({target.text}) vs history {hist}: {change:+.0%} better, within range")


def _tokens(text: str, lang: str) -> set[str]:
    if lang == "zh":
        chars = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
        return {chars[i : i + 2] for i in range(len(chars) - 1)}
    stop = {"the", "and", "for", "with", "from", "this", "that", "our", "per", "into", "by", "to", "of", "in", "on", "a", "an"}
    return {w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in stop}


def _relevant(text: str, lang: str, goals: Sequence[str] | None) -> tuple[Verdict, str]:
    zh = lang == "zh"
    if not goals:
        return "unknown", ("未提供部门目标,无法判断" if zh else "no department goals given, cannot tell")
    mine = _tokens(text, lang)
    metrics = set(_find(_METRICS_ZH if zh else _METRICS_EN, text))
    for goal in goals:
        shared_metrics = metrics & set(_find(_METRICS_ZH if detect_lang(goal) == "zh" else _METRICS_EN, goal))
        shared = mine & _tokens(goal, detect_lang(goal))
        if shared_metrics or len(shared) >= 2:
            what = "、".join(sorted(shared_metrics or shared)[:3]) if zh else ", ".join(sorted(shared_metrics or shared)[:3])
            return "pass", (f"与部门目标“{goal}”相关({what})" if zh else f"linked to the department goal '{goal}' ({what})")
    return "fail", ("与所给部门目标没有共同的指标或对象" if zh else "shares no metric or object with the department goals")


_EXAMPLES_ZH = {"客户满意度": "第三季度客户满意度评分从85分提升至90分", "满意度": "第三季度客户满意度评分从85分提升至90分",
                "销售额": "第三季度个人销售额完成率达到100%(30万元)", "响应时间": "第三季度平均响应时间缩短至15分钟内",
                "响应时长": "第三季度平均响应时长缩短至15分钟内", "投诉率": "第三季度客户投诉率降低30%",
                "新用户": "第三季度通过内容引流新用户5000人", "转化率": "第三季度用户转化率从5%提升至8%"}
_LEAD_ZH = re.compile(r"^[\s::,,]*(" + "|".join(sorted(_VAGUE_VERBS_ZH, key=len, reverse=True)) + r"|把|将|使|让)+")
_LEAD_EN = re.compile(r"^[\s:,]*((" + "|".join(sorted(_VAGUE_VERBS_EN, key=len, reverse=True)) + r"|make|keep|get|raise|lift|shrink|"
                      r"bring|the|our|my|a|an|more|less|in|by|during|for|this|next|goal)\b[\s:]*)+", re.I)
_TAIL_ZH = re.compile(r"(从|至|到|达到|不低于|不超过|控制在|降至|提升至|前|内).*$")
_TAIL_EN = re.compile(r"\s+\b(by|in|to|from|before|within|for|per|at|each|every|this|next|down|up)\b.*$", re.I)


def _subject(clean: str, lang: str, metric: str | None) -> str:
    """What the goal is about, in its own words: 提升客户满意度 → 客户满意度; "Reduce the customer
    complaint rate" → "customer complaint rate"."""
    clean = " ".join(clean.split())
    if lang == "zh":
        subject = re.sub(r"^[\s,,。]+|[\s,,。]+$", "", _TAIL_ZH.sub("", _LEAD_ZH.sub("", clean)))
        limit = 12
    else:
        subject = re.sub(r"^[\s,.:]+|[\s,.:]+$", "", _TAIL_EN.sub("", _LEAD_EN.sub("", clean)))
        limit = 40
    if not subject or len(subject) > limit or re.search(r"\d", subject):
        return metric or ("该指标" if lang == "zh" else "the metric")
    return subject


# Suggestion templates: {example} is a rewrite of the goal, {thing} what it is about, {move} its direction.
_SUGGESTIONS: dict[str, tuple[str, str]] = {
    "measure+time": ("加上量化标准和时限,如“{example}”", "Add a number and a deadline, e.g. \"{move} {thing} from {a} to {b} by the end of Q3\""),
    "measure": ("加上量化标准(数量、比率或从多少到多少;期间和日期中的数字不算),如“{example}”",
                "Add a quantity, a rate or a from → to (the numbers of a period or date are not one), e.g. \"{move} {thing} from {a} to {b}\""),
    "time": ("加上时限,如“第三季度”“每月”或“2026年12月31日前”", "Add a deadline or period, e.g. \"in Q3\", \"each month\" or \"by 2026-12-31\""),
    "specific": ("写明具体对象和动作,不要只用“提升、加强、优化”等笼统动词,如“客户投诉率”“新客户开发数”",
                 "Name the object and the action instead of vague verbs like improve/enhance, e.g. \"complaint rate\", \"new customers won\""),
    "achievable": ("参考历史平均值设定目标:基准值约为历史平均的110%,挑战值约为130%",
                   "Set the target from history: a baseline near 110% of the historical average, a stretch near 130%"),
    "relevant": ("说明该目标支撑哪一项部门目标,必要时与上级确认", "Say which department goal this supports; confirm it with your manager"),
}


def _suggest(subject: str, lang: str, metric: str | None, verdicts: dict[str, Verdict], direction: str) -> list[str]:
    missing_m, missing_t = verdicts["measurable"] == "fail", verdicts["time_bound"] == "fail"
    keys = ["measure+time" if missing_m and missing_t else "measure" if missing_m else "time" if missing_t else ""]
    keys += [k for k in ("specific", "achievable", "relevant") if verdicts[k] == "fail"]
    thing = subject if verdicts["specific"] != "fail" else ("具体指标" if lang == "zh" else "a named metric")
    lower = direction == "lower"
    known = _EXAMPLES_ZH.get(metric or "") if not lower or metric in ("投诉率", "响应时间", "响应时长") else None
    if lang == "zh":
        example = known or (f"第三季度{thing}从现状值{'降低' if lower else '提升'}至目标值(写出具体数字)")
    else:
        example = ""
    fields = {"example": example, "thing": thing, "move": "reduce" if lower else "raise",
              "a": "5%" if lower else "85", "b": "3%" if lower else "90"}
    return [_SUGGESTIONS[k][0 if lang == "zh" else 1].format(**fields) for k in keys if k]


def check_smart(text: str, lang: str | None = None, history: float | None = None, goals: Sequence[str] | None = None,
                max_increase: float = 0.5, direction: str | None = None) -> SmartResult:
    """Check one goal text against the five SMART criteria.

    Args:
        text: the goal, e.g. "第三季度客户满意度评分从85分提升至90分".
        lang: "zh" or "en"; detected from the text when omitted.
        history: the historical value of the goal's metric, in the text's units (13万元 is
            compared with 130000; a percentage with 0.85 or 85) — enables "achievable".
        goals: department goals (enables "relevant").
        max_increase: the largest improvement over history still judged achievable (0.5 = 50%).
        direction: "higher" or "lower" is better; read from the text when omitted (降低, reduce,
            complaints, cost … are lower).
    """
    lang = lang if lang in ("zh", "en") else detect_lang(text)
    zh = lang == "zh"
    spans, clean, amounts, (specific, why_s, metric), (measurable, why_m) = _judged(text, lang)
    time_bound: Verdict = "pass" if spans else "fail"
    better = direction if direction in ("higher", "lower") else _direction(text, lang)
    achievable, why_a = _achievable(lang, history, max_increase, better, amounts)
    relevant, why_r = _relevant(text, lang, goals)
    verdicts: dict[str, Verdict] = {"specific": specific, "measurable": measurable, "achievable": achievable,
                                    "relevant": relevant, "time_bound": time_bound}
    reasons = {
        "specific": why_s,
        "measurable": why_m,
        "achievable": why_a,
        "relevant": why_r,
        "time_bound": _time_reason(bool(spans), zh),
    }
    target = target_of(amounts)
    subject = _subject(clean, lang, metric)
    return SmartResult(**verdicts, reasons=reasons, suggestions=_suggest(subject, lang, metric, verdicts, better), lang=lang,
                       subject=subject, direction=better,
                       target=target.value if target is not None and not target.change else None)


def smart_gaps(text: str, lang: str | None = None) -> dict[str, str]:
    """The criteria a goal fails of the three judged from its text alone (specific, measurable,
    time-bound), each with the reason :func:`check_smart` gives: a self-review's check, without the
    suggestions, direction and target a goal's author is shown."""
    lang = lang if lang in ("zh", "en") else detect_lang(text)
    spans, _, _, (specific, why_s, _), (measurable, why_m) = _judged(text, lang)
    gaps = {"specific": why_s} if specific == "fail" else {}
    if measurable == "fail":
        gaps["measurable"] = why_m
    if not spans:
        gaps["time_bound"] = _time_reason(False, lang == "zh")
    return gaps


def _judged(text: str, lang: str) -> tuple[list[tuple[int, int]], str, list[Quantity], tuple[Verdict, str, str | None],
                                             tuple[Verdict, str]]:
    """Time spans, the text without them, its quantities, and the specific and measurable verdicts."""
    spans = time_spans(text, lang)
    clean = strip_time(text, lang, spans)  # a period or a date is time, never the measure
    amounts = quantities(text, lang, clean)
    specific = _specific(text, clean, lang, amounts)
    return spans, clean, amounts, specific, _measurable(text, clean, lang, specific[2], amounts)


def _time_reason(timed: bool, zh: bool) -> str:
    if zh:
        return "有明确的时限或周期" if timed else "没有时限或周期"
    return "has a period or deadline" if timed else "no period or deadline"


_MARK = {"pass": "✓", "fail": "✗", "unknown": "?"}


def summary_line(result: SmartResult) -> str:
    """``S✓ M✗ A? R? T✗ · 缺少量化标准和时限`` — the one-cell form (SMARTCHECK)."""
    marks = " ".join(f"{c}{_MARK[getattr(result, k)]}" for c, k in zip("SMART", CRITERIA))
    zh = result.lang == "zh"
    missing = [name for name, k in (("具体对象" if zh else "a concrete object", "specific"),
                                    ("量化标准" if zh else "a measure", "measurable"),
                                    ("时限" if zh else "a deadline", "time_bound")) if getattr(result, k) == "fail"]
    if not missing:
        return f"{marks} · " + ("符合SMART" if zh else "SMART")
    return f"{marks} · " + (("缺少" + "和".join(missing)) if zh else ("missing " + " and ".join(missing)))


def find_vague(text: str, lang: str | None = None) -> list[VaguePhrase]:
    """Vague phrases (empty intensifiers, unmeasured claims, effort without result) not backed by a
    figure in the same clause; each with its position, kind and what to write instead."""
    return _find_vague(text, lang if lang in ("zh", "en") else detect_lang(text))

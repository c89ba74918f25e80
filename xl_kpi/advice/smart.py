"""SMART checks of goal texts and vague-language checks of review texts, in Chinese and English.

Rule-based and explainable: every verdict comes with the reason that produced it. A
criterion the text alone cannot decide is ``unknown`` (achievable without history, relevant
without department goals), never a guess.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["SmartResult", "check_smart", "VaguePhrase", "find_vague", "detect_lang", "summary_line"]

Verdict = Literal["pass", "fail", "unknown"]
CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CN_NUM = "零一二两三四五六七八九十百千万亿"
_NUMBER_ZH = re.compile(rf"((?<!\d)\d+(\.\d+)?\s*(%|％|‰)?|(?<![{_CN_NUM}])[{_CN_NUM}]+\s*(个|篇|人|次|家|项|单|元|万|分|倍|成|天|周|小时|分钟|%))")
_NUMBER_EN = re.compile(r"((?<!\d)\d+(\.\d+)?\s*(%|k\b|m\b|x\b)?|\b(one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|thousand|million|half|double|twice)\b)", re.I)

_VAGUE_VERBS_ZH = ("提升", "提高", "加强", "优化", "改进", "改善", "做好", "努力", "积极", "推进", "完善", "促进", "强化", "增强", "推动", "落实", "确保", "争取", "配合", "协助", "负责", "持续")
_GENERIC_ZH = ("工作", "管理", "效率", "质量", "能力", "水平", "服务", "业绩", "表现", "意识", "执行力", "团队", "流程", "体验", "各项", "相关", "事务", "任务")
_VAGUE_VERBS_EN = ("improve", "enhance", "optimize", "optimise", "strengthen", "boost", "increase", "better", "support", "help",
                   "work on", "focus on", "drive", "ensure", "grow", "develop", "maximize", "maximise", "promote", "try")
_GENERIC_EN = ("performance", "work", "efficiency", "quality", "skills", "things", "results", "service", "processes",
               "teamwork", "communication", "productivity", "engagement", "experience", "outcomes", "stuff", "overall")

# Named metrics: an object a goal can be measured by (seed examples first).
_METRICS_ZH = ("销售额", "销售收入", "营收", "收入", "利润", "毛利", "回款", "客户满意度", "满意度", "投诉率", "投诉", "响应时间", "响应时长",
               "新客户", "新用户", "用户数", "转化率", "复购率", "留存率", "流失率", "交付率", "交付", "上线", "缺陷", "故障", "bug", "阅读量",
               "爆款", "文章", "订单", "成本", "费用", "预算", "库存", "周转", "人效", "出勤", "培训", "认证", "晋升",
               "项目交付", "需求调研", "调研", "报告", "拜访", "签约", "合同", "工单", "好评率", "准确率", "合格率", "良品率", "覆盖率",
               "市场份额", "引流", "粉丝", "曝光", "点击率", "活动", "招聘", "离职率", "处理时长", "解决率", "一次解决率", "评分")
_METRICS_EN = ("sales", "revenue", "profit", "margin", "customer satisfaction", "satisfaction", "csat", "nps", "complaint", "response time",
               "resolution", "new customers", "customers", "users", "sign-ups", "signups", "conversion", "retention", "churn", "repeat",
               "delivery", "release", "defect", "bug", "incident", "outage", "uptime", "articles", "posts", "content", "views", "reads",
               "orders", "cost", "expense", "budget", "inventory", "tickets", "leads", "deals", "contracts", "accuracy", "yield",
               "coverage", "market share", "followers", "click-through", "ctr", "hires", "attrition", "turnover", "training", "certification",
               "projects", "features", "visits", "calls", "score", "rating", "invoices", "collections", "backlog", "lead time", "cycle time")

_TIME_ZH = re.compile(r"(Q[1-4]|第[一二三四1-4]季度|[一二三四1-4]季度|本季度|季度|年度|月度|季度末|季末|本月|月底|月末|年底|年末|本年|今年|明年|上半年|下半年|"
                      r"每周|每月|每日|每天|每季度|每年|(?<!\d)\d{4}\s*年|(?<!\d)\d{1,2}\s*月\s*(\d{1,2}\s*[日号])?|(?<!\d)\d{1,2}\s*[日号]前|"
                      r"截至|截止|之前|以前|前完成|内完成|(?<!\d)\d{1,6}\s*(天|日|周|个月|月|年)内|周内|月内|年内|当月|当季|次月|(?<!\d)(19|20)\d{2}[-/.]\d{1,2})", re.I)
_TIME_EN = re.compile(r"\b(Q[1-4]|H[12]|FY\s?\d{2,4}|(19|20)\d{2}([-/.]\d{1,2}([-/.]\d{1,2})?)?|by\s+(the\s+)?end\s+of|end\s+of\s+(the\s+)?"
                      r"(month|quarter|year|week|sprint)|this\s+(month|quarter|year|week|sprint)|next\s+(month|quarter|year|week)|"
                      r"(each|every|per)\s+(day|week|month|quarter|year)|daily|weekly|monthly|quarterly|annually|yearly|"
                      r"within\s+\d{1,6}\s+(days?|weeks?|months?|years?)|in\s+\d{1,6}\s+(days?|weeks?|months?)|deadline|"
                      r"(january|february|march|april|may|june|july|august|september|october|november|december)|"
                      r"by\s+(mon|tues|wednes|thurs|fri|satur|sun)day|before\s+\w+\s+\d{1,2})\b", re.I)
_TARGET_ZH = re.compile(r"(提升至|提高到|提高至|降低至|降至|降低到|缩短至|缩短到|达到|达|不低于|不少于|不超过|不高于|低于|高于|超过|控制在|至少|≥|≤|>|<|从.{1,40}?(到|至))")
_TARGET_EN = re.compile(r"\b(to|at least|at most|no more than|no less than|below|above|under|over|from .{1,80}? to|reach|hit|exceed|>=|<=)\b", re.I)

_VAGUE_PHRASES_ZH = ("重大贡献", "突出贡献", "极大提升", "极大提高", "大幅提升", "大幅提高", "显著提升", "显著提高", "明显提升", "明显提高",
                     "明显改善", "显著改善", "大大提高", "大大提升", "有所提高", "有所提升", "一定成绩", "一定进步", "较大进步", "很大进步",
                     "非常好", "很好", "较好", "良好的效果", "积极配合", "努力工作", "认真负责", "全力以赴", "兢兢业业", "任劳任怨",
                     "取得了一定", "得到了提升", "效果显著", "成效显著", "稳步提升", "不断提高", "进一步提升", "进一步提高")
_VAGUE_PHRASES_EN = ("significantly", "significant", "greatly", "hugely", "massively", "dramatically", "substantially", "considerably",
                     "a lot", "major contribution", "key contribution", "very good", "excellent work", "great job", "hard-working",
                     "hard working", "worked hard", "some progress", "various", "many things", "made progress", "much better",
                     "greatly improved", "improved a lot", "best effort", "went above and beyond", "really", "tremendous")
_CLAUSE = re.compile(r"[,,。;;.!?!?\n]")


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

    def as_dict(self) -> dict[str, object]:
        return {c: getattr(self, c) for c in CRITERIA} | {"reasons": dict(self.reasons), "suggestions": list(self.suggestions)}


def _find(words: tuple[str, ...], text: str) -> list[str]:
    low = text.lower()
    return [w for w, lw in _lowered(words) if lw in low]


@functools.lru_cache(maxsize=16)
def _lowered(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((w, w.lower()) for w in words)


def _numbers(text: str, lang: str) -> list[float]:
    """Numbers in the text outside time expressions (Q3, 2026年, by 2026-12-31 are not targets)."""
    text = (_TIME_ZH if lang == "zh" else _TIME_EN).sub(" ", text)
    return [float(m.group(0)) for m in re.finditer(r"\d+(?:\.\d+)?", text.replace(",", ""))]


def _specific(text: str, lang: str) -> tuple[Verdict, str, str | None]:
    metrics = _find(_METRICS_ZH if lang == "zh" else _METRICS_EN, text)
    vague = _find(_VAGUE_VERBS_ZH if lang == "zh" else _VAGUE_VERBS_EN, text)
    generic = _find(_GENERIC_ZH if lang == "zh" else _GENERIC_EN, text)
    metric = max(metrics, key=len) if metrics else None
    zh = lang == "zh"
    if metric:
        return "pass", (f"对象明确: {metric}" if zh else f"names what is measured: {metric}"), metric
    number = (_NUMBER_ZH if zh else _NUMBER_EN).search(text)
    if number and len(text.strip()) >= (6 if zh else 15) and not (generic and vague and len(text) < (10 if zh else 30)):
        return "pass", ("有具体的对象和数量" if zh else "states a concrete object and quantity"), None
    if vague or generic:
        words = "、".join(vague + generic) if zh else ", ".join(vague + generic)
        return "fail", (f"只有笼统的动词或对象({words}),没有说明具体做什么" if zh
                        else f"only vague verbs or objects ({words}); it does not say what exactly"), None
    return "fail", ("没有可识别的具体对象" if zh else "no concrete object to measure"), None


def _measurable(text: str, lang: str, metric: str | None) -> Verdict:
    zh = lang == "zh"
    has_number = bool((_NUMBER_ZH if zh else _NUMBER_EN).search(text))
    has_target = bool((_TARGET_ZH if zh else _TARGET_EN).search(text))
    if has_number:
        return "pass"
    if metric and has_target and re.search(r"(满分|100%|全部|零|0)", text):
        return "pass"
    return "fail"


def _achievable(text: str, lang: str, history: float | None, max_increase: float, direction: str) -> tuple[Verdict, str]:
    zh = lang == "zh"
    if history is None:
        return "unknown", ("未提供历史数据,无法判断" if zh else "no history given, cannot tell")
    numbers = _numbers(text, lang)
    if not numbers or history == 0:
        return "unknown", ("文本中没有可比较的目标值" if zh else "no target value in the text to compare")
    target = numbers[-1]
    change = target / history - 1 if direction == "higher" else 1 - target / history
    if change > max_increase:
        return "fail", (f"目标 {target:g} 比历史 {history:g} 高出 {change:.0%},超过 {max_increase:.0%}" if zh
                        else f"target {target:g} is {change:.0%} beyond history {history:g}, more than {max_increase:.0%}")
    if change < 0:
        return "fail", (f"目标 {target:g} 低于历史水平 {history:g},缺乏挑战" if zh
                        else f"target {target:g} is below history {history:g}: no challenge")
    return "pass", (f"目标 {target:g} 相对历史 {history:g} 变化 {change:+.0%},在合理范围" if zh
                    else f"target {target:g} vs history {history:g}: {change:+.0%}, within range")


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


# Suggestion templates: {example} is a rewrite of the goal, {thing} its metric.
_SUGGESTIONS: dict[str, tuple[str, str]] = {
    "measure+time": ("加上量化标准和时限,如“{example}”", "Add a number and a deadline, e.g. \"raise {thing} from 85 to 90 by the end of Q3\""),
    "measure": ("加上量化标准(数字、百分比或数量),如“{example}”", "Add a number, percentage or count, e.g. \"raise {thing} from 85 to 90\""),
    "time": ("加上时限,如“第三季度”“每月”或“2026年12月31日前”", "Add a deadline or period, e.g. \"in Q3\", \"each month\" or \"by 2026-12-31\""),
    "specific": ("写明具体对象和动作,不要只用“提升、加强、优化”等笼统动词,如“客户投诉率”“新客户开发数”",
                 "Name the object and the action instead of vague verbs like improve/enhance, e.g. \"complaint rate\", \"new customers won\""),
    "achievable": ("参考历史平均值设定目标:基准值约为历史平均的110%,挑战值约为130%",
                   "Set the target from history: a baseline near 110% of the historical average, a stretch near 130%"),
    "relevant": ("说明该目标支撑哪一项部门目标,必要时与上级确认", "Say which department goal this supports; confirm it with your manager"),
}


def _suggest(text: str, lang: str, metric: str | None, verdicts: dict[str, Verdict]) -> list[str]:
    missing_m, missing_t = verdicts["measurable"] == "fail", verdicts["time_bound"] == "fail"
    keys = ["measure+time" if missing_m and missing_t else "measure" if missing_m else "time" if missing_t else ""]
    keys += [k for k in ("specific", "achievable", "relevant") if verdicts[k] == "fail"]
    example = _EXAMPLES_ZH.get(metric or "", f"第三季度{metric or '某项指标'}从现状值提升至目标值(写出具体数字)")
    fields = {"example": example, "thing": metric or "the metric"}
    return [_SUGGESTIONS[k][0 if lang == "zh" else 1].format(**fields) for k in keys if k]


def check_smart(text: str, lang: str | None = None, history: float | None = None, goals: Sequence[str] | None = None,
                max_increase: float = 0.5, direction: str = "higher") -> SmartResult:
    """Check one goal text against the five SMART criteria.

    Args:
        text: the goal, e.g. "第三季度客户满意度评分从85分提升至90分".
        lang: "zh" or "en"; detected from the text when omitted.
        history: the historical value of the goal's metric (enables "achievable").
        goals: department goals (enables "relevant").
        max_increase: the largest rise over history still judged achievable (0.5 = +50%).
        direction: "higher" or "lower" is better, for judging the change against history.
    """
    lang = lang if lang in ("zh", "en") else detect_lang(text)
    zh = lang == "zh"
    specific, why_s, metric = _specific(text, lang)
    measurable = _measurable(text, lang, metric)
    time_bound: Verdict = "pass" if (_TIME_ZH if zh else _TIME_EN).search(text) else "fail"
    if not zh and time_bound == "fail" and _TIME_ZH.search(text) and re.search(r"\bQ[1-4]\b", text):
        time_bound = "pass"
    achievable, why_a = _achievable(text, lang, history, max_increase, direction)
    relevant, why_r = _relevant(text, lang, goals)
    verdicts: dict[str, Verdict] = {"specific": specific, "measurable": measurable, "achievable": achievable,
                                    "relevant": relevant, "time_bound": time_bound}
    reasons = {
        "specific": why_s,
        "measurable": (("含有量化标准" if measurable == "pass" else "没有数字、百分比或数量") if zh
                       else ("has a number, percentage or count" if measurable == "pass" else "no number, percentage or count")),
        "achievable": why_a,
        "relevant": why_r,
        "time_bound": (("有明确的时限或周期" if time_bound == "pass" else "没有时限或周期") if zh
                       else ("has a period or deadline" if time_bound == "pass" else "no period or deadline")),
    }
    return SmartResult(**verdicts, reasons=reasons, suggestions=_suggest(text, lang, metric, verdicts), lang=lang)


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


@dataclass(frozen=True)
class VaguePhrase:
    """A vague phrase in a review text, where it is, and what to write instead."""

    phrase: str
    start: int
    end: int
    suggestion: str


def _vague_patterns(phrases: Sequence[str], words: bool) -> list[re.Pattern[str]]:
    """One compiled pattern per phrase, longest first (a longer phrase claims its span before its parts)."""
    return [re.compile(rf"\b{re.escape(p.lower())}\b" if words else re.escape(p.lower()))
            for p in sorted(phrases, key=len, reverse=True)]


_VAGUE_PATTERNS = {"zh": _vague_patterns(_VAGUE_PHRASES_ZH, False), "en": _vague_patterns(_VAGUE_PHRASES_EN, True)}
_ANY_VAGUE = {lang: re.compile("|".join(p.pattern for p in patterns)) for lang, patterns in _VAGUE_PATTERNS.items()}


def find_vague(text: str, lang: str | None = None) -> list[VaguePhrase]:
    """Vague adjectives and phrases (seed: use data instead of 重大贡献/极大提升) not backed by a number
    in the same clause; each with its position."""
    lang = lang if lang in ("zh", "en") else detect_lang(text)
    low = text.lower()
    if not _ANY_VAGUE[lang].search(low):
        return []
    found: list[VaguePhrase] = []
    taken = bytearray(len(low) + 1)  # positions a longer phrase already claimed
    # Linear in the text's length (a review cell holds up to 32,767 characters): the clause
    # boundaries and a running count of digits are computed once, then each phrase is O(log n).
    bounds = [m.end() for m in _CLAUSE.finditer(text)]
    digits = [0]
    for ch in text:
        digits.append(digits[-1] + ch.isdecimal())
    tip = ("用数据替代形容词,如“效率提升30%”“新客户签约15家”" if lang == "zh"
           else "replace the adjective with a figure, e.g. \"efficiency up 30%\", \"15 new contracts\"")
    for pattern in _VAGUE_PATTERNS[lang]:
        for m in pattern.finditer(low):
            if taken[m.start()]:
                continue
            k = bisect.bisect_right(bounds, m.start())
            clause_start = bounds[k - 1] if k else 0
            j = bisect.bisect_left(bounds, m.end() + 1)
            clause_end = bounds[j] - 1 if j < len(bounds) else len(text)
            if digits[clause_end] - digits[clause_start] > 0:
                continue  # backed by data in the same clause
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            found.append(VaguePhrase(text[m.start() : m.end()], m.start(), m.end(), tip))
    return sorted(found, key=lambda v: v.start)

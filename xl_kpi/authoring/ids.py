"""Readable ids for what HR names in Chinese or English: short English words for the words of KPI
tables (销售额完成率 → ``sales_rate``, 客户投诉率 → ``complaint_rate``, 平均响应时长 →
``avg_response_time``), words for English ("Sales completion rate" → ``sales_completion_rate``),
and pinyin only for what the glossary does not know (罗兰 → ``luolan``).

A name is read from the left, longest known term first; the common whole names give the ids the
bundled templates use, so a seed table imports with the ids of the seed's card. The same name
always gives the same id, so a re-imported table keeps its ids (and the workbooks issued from it
keep matching); a table's own id column wins over any of this.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["slug", "unique_ids", "GLOSSARY"]

MAX_LEN = 40

# Whole names as the bundled templates and the seed documents write them: their ids.
_NAMES = {
    "销售额完成率": "sales_rate", "新客户开发数": "new_customers", "客户复购率": "repurchase_rate", "销售费用控制率": "expense_rate",
    "平均响应时长": "response_time", "客户投诉率": "complaint_rate", "客户满意度": "satisfaction", "有效客户投诉": "valid_complaints",
    "项目交付率": "delivery_rate", "需求调研次数": "research_count", "技术优化次数": "optimisations", "线上缺陷数": "online_defects",
    "引流新用户数": "new_users", "爆款内容数": "hit_contents", "团队销售额完成率": "team_sales_rate", "团队目标完成率": "team_target_rate",
    "回款及时率": "on_time_collection", "销售代表": "sales_rep", "销售主管": "sales_supervisor", "客服专员": "customer_service",
    "内容运营": "content_ops", "研发工程师": "rd_engineer", "部门经理": "department_manager", "公司通报表扬": "commendation",
    "合理化建议被采纳": "suggestion_adopted", "重大安全事故": "major_safety_incident", "数据造假": "falsified_data",
    "违反销售规范": "sales_rule_breach", "上级评分": "supervisor", "自评": "self", "复核": "reviewer",
}
# The words KPI tables are made of (a longer term wins: 完成率 before 完成, 新客户 before 客户).
_WORDS = {
    # money and sales
    "销售额": "sales", "销售": "sales", "营业额": "revenue", "营收": "revenue", "收入": "revenue", "利润": "profit", "毛利率": "gross_margin",
    "毛利": "gross_profit", "净利润": "net_profit", "费用": "expense", "成本": "cost", "预算": "budget", "回款": "collection",
    "应收": "receivable", "账款": "accounts", "坏账": "bad_debt", "金额": "amount", "单价": "unit_price", "客单价": "order_value",
    "订单": "order", "合同": "contracts", "签约": "signed", "报价": "quotes", "业绩": "results", "目标": "target", "市场": "market",
    "占有率": "share", "份额": "share", "渠道": "channel", "门店": "store", "店长": "manager", "区域": "regional", "大客户": "key_accounts",
    # customers and service
    "新客户": "new_customers", "新增": "new", "新签": "new", "客户": "customer", "用户": "users", "新用户": "new_users",
    "注册": "registered", "满意度": "satisfaction", "投诉": "complaints", "复购": "repurchase", "转化": "conversion", "留存": "retention",
    "流失": "churn", "解决率": "resolution_rate", "有效": "valid", "响应": "response", "服务": "service", "工单": "ticket", "解决": "resolved", "首次": "first", "一次": "first_time",
    "接通": "answer", "回访": "follow_up", "引流": "acquired", "活动": "campaign", "品牌": "brand", "内容": "content", "爆款": "hit",
    "阅读量": "views", "粉丝": "followers", "策划": "planning",
    # work, quality, delivery
    "项目": "project", "交付": "delivery", "需求": "requirement", "调研": "research", "技术": "tech", "优化": "optimisation",
    "缺陷": "defects", "漏检": "escaped", "线上": "online", "故障": "incidents", "上线": "release", "代码": "code", "评审": "review",
    "审核": "review", "测试": "testing", "文档": "documents", "进度": "schedule", "里程碑": "milestones", "质量": "quality",
    "合格": "pass", "成品": "finished_goods", "检验": "inspection", "记录": "records", "规范性": "compliance", "规范": "rules",
    "批次": "batches", "损耗": "loss", "库存": "inventory", "盘点": "stocktake", "差异": "variance", "发货": "shipping",
    "差错": "errors", "错误": "errors", "准确": "accurate", "录入": "entry", "采购": "purchasing", "供应商": "supplier", "办公": "office",
    "生产": "production", "产量": "output", "设备": "equipment", "安全": "safety", "事故": "incidents", "能耗": "energy",
    "数据": "data", "报表": "reports", "报告": "reports", "流程": "process", "制度": "policy", "课程": "course", "培训": "training",
    "招聘": "recruiting", "到岗": "onboarding", "离职": "attrition", "考勤": "attendance", "出勤": "attendance", "加班": "overtime",
    # people and behaviour
    "团队": "team", "协作": "collaboration", "跨部门": "cross_department", "下属": "team_member", "培养": "development",
    "辅导": "coaching", "计划": "plan", "执行": "execution", "态度": "attitude", "能力": "ability", "工作": "work", "沟通": "communication",
    "学习": "learning", "创新": "innovation", "责任心": "responsibility", "纪律": "discipline", "表扬": "commendation", "通报": "notice",
    "建议": "suggestion", "采纳": "adopted", "合理化": "improvement", "造假": "falsified", "违反": "breach", "违规": "violations", "标准": "standard", "指标": "indicator",
    "重大": "major", "上级": "supervisor", "评分": "rating", "领导力": "leadership",
    # roles
    "代表": "rep", "专员": "specialist", "主管": "supervisor", "经理": "manager", "总监": "director", "助理": "assistant",
    "工程师": "engineer", "研发": "rd", "运营": "operations", "客服": "customer_service", "行政": "admin", "人事": "hr",
    "财务": "finance", "会计": "accountant", "出纳": "cashier", "仓库": "warehouse", "管理员": "keeper", "检验员": "inspector",
    "设计师": "designer", "司机": "driver", "部门": "department",
    # measures
    "完成率": "rate", "达成率": "attainment", "完成": "completion", "达成": "attainment", "及时率": "on_time_rate", "及时": "on_time",
    "准确率": "accuracy", "合格率": "pass_rate", "通过率": "pass_rate", "控制率": "control_rate", "控制": "control", "增长率": "growth",
    "增长": "growth", "率": "rate", "次数": "count", "数量": "count", "人数": "headcount", "个数": "count", "数": "count", "量": "volume",
    "额": "amount", "时长": "time", "时间": "time", "周期": "cycle", "天数": "days", "平均": "avg", "人均": "per_person",
    "月度": "monthly", "季度": "quarterly", "年度": "annual", "总": "total", "新": "new",
    # joints, and units that say nothing an id needs
    "与": "and", "和": "and", "及": "and", "的": "", "之": "", "个": "", "元": "", "万元": "", "件": "", "家": "", "篇": "", "年": "",
}
GLOSSARY: dict[str, str] = {**_WORDS, **_NAMES}
_LONGEST = max(len(term) for term in GLOSSARY)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _pinyin(run: str) -> str:
    from pypinyin import lazy_pinyin  # a maintained pinyin table: what the glossary does not know, read as ASCII

    return "".join(lazy_pinyin(run))


def _words(name: str) -> list[str]:
    """The name as English words: known terms translated (longest first), other Chinese as pinyin,
    letters and digits as they are."""
    text = unicodedata.normalize("NFKC", name)
    words: list[str] = []
    unknown = ""
    at = 0
    while at < len(text):
        if _CJK.match(text[at]):
            term = next((text[at : at + n] for n in range(min(_LONGEST, len(text) - at), 0, -1) if text[at : at + n] in GLOSSARY), "")
            if term:
                if unknown:
                    words.append(_pinyin(unknown))
                    unknown = ""
                words += GLOSSARY[term].split("_") if GLOSSARY[term] else []
                at += len(term)
            else:
                unknown += text[at]
                at += 1
            continue
        if unknown:
            words.append(_pinyin(unknown))
            unknown = ""
        found = re.match(r"[A-Za-z0-9]+", text[at:])
        if found:
            words.append(found[0])
            at += len(found[0])
        else:
            at += 1  # a space, a mark, a symbol: a break between words
    if unknown:
        words.append(_pinyin(unknown))
    return words


@functools.lru_cache(maxsize=4096)
def slug(name: str) -> str:
    """An id (``[a-z][a-z0-9_]*``, at most 40 characters) from a name, or "" when none can be made."""
    words: list[str] = []
    for word in _words(name):
        ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
        words += [w for w in re.split(r"[^a-z0-9]+", ascii_word) if w]
    text = "_".join(words)
    while len(text) > MAX_LEN and "_" in text:
        text = text[: text.rfind("_")]
    text = text[:MAX_LEN].strip("_")
    if text and not text[0].isalpha():
        text = f"k{text}"[:MAX_LEN]
    return text


def unique_ids(names: list[str], given: list[str] | None = None, prefix: str = "k") -> list[str]:
    """An id per name: the given id if any, else the name's slug (``k1``… when it has none),
    ``_2``, ``_3`` on repeats — deterministic, so re-importing gives the same ids."""
    given = given or [""] * len(names)
    taken: set[str] = {g for g in given if g}
    out: list[str] = []
    for k, (name, own) in enumerate(zip(names, given)):
        if own:
            out.append(own)
            continue
        base = slug(name) or f"{prefix}{k + 1}"
        candidate, n = base, 2
        while candidate in taken:
            candidate = f"{base[: MAX_LEN - 3]}_{n}"
            n += 1
        taken.add(candidate)
        out.append(candidate)
    return out

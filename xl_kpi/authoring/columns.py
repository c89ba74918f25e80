"""The column names HR tables use, in Chinese and English, and the words of their cells
(directions, methods, kinds, rater roles): how a header row is recognised and read."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..methods import REGISTRY

__all__ = ["ROLES", "AUX", "Header", "match_header", "label_key", "DIRECTION_WORDS", "method_words", "KIND_WORDS",
           "ROLE_WORDS", "INFO_KEYS", "SKIP_ROW", "ADJUST_SECTION", "VETO_SECTION", "ALL_WORDS", "word_of"]

# role → the names a column of that role goes by (compared after label_key)
ROLES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "序", "no", "#", "no.", "编号"),
    "id": ("标识", "指标标识", "指标编码", "指标代码", "id", "code", "key"),
    "section": ("考核维度", "维度", "类别", "指标类别", "考核类别", "考核方面", "考核模块", "模块", "指标维度", "工作内容", "指标维度",
                "category", "dimension", "section", "perspective"),
    "name": ("指标名称", "kpi指标", "考核指标", "指标", "关键绩效指标", "kpi", "kpi名称", "绩效指标", "指标项", "关键指标", "关键指标(kpi)",
             "考核内容项", "工作项目及要求标准", "工作明细", "考评项", "考核项", "评分项目", "指标名称及定义",
             "kpi name", "indicator", "metric", "kpi indicator", "rubric", "rating factors", "rating factor", "performance factor",
             "performance criteria", "performance factors", "kpi/kra", "key result area", "goal/objective"),
    "definition": ("指标定义", "计算方式", "计算公式", "考核内容", "指标说明", "定义", "指标解释", "计算方法", "kpi说明", "计算/定义",
                   "项目说明", "考核内容及要点", "细节要求", "指标要求", "工作要求",
                   "definition", "formula", "calculation", "description", "explanation", "what it measures", "measure"),
    "unit": ("单位", "计量单位", "unit"),
    "target": ("目标值", "目标", "考核目标", "目标要求", "target", "goal", "target value", "quota"),
    "weight": ("权重", "权重占比", "占比", "比重", "weight", "weighting", "weightage", "weight (0-100%)", "weightage(%)"),
    "points": ("分值", "标准分", "满分", "考核满分", "基础分", "基准分", "分值(分)", "points", "max points", "pts"),
    "standard": ("评分标准", "评分规则", "计分方法", "计分规则", "考核标准", "评分办法", "评分细则", "评价标准", "计分标准", "评分等级",
                 "扣分办法", "扣分标准", "评分方式", "考评标准", "评判标准", "计分方式", "评分考核标准", "考核标准(各项满分5分)",
                 "scoring", "scoring rule", "scoring standard", "standard", "rating scale", "scoring method", "score rule", "how scored",
                 "scoring key", "scoring criteria", "thresholds and ranges", "logic"),
    "source": ("数据来源", "考核依据", "数据提供", "信息来源", "数据提供部门", "来源", "source", "data source", "evidence"),
    "direction": ("方向", "指标方向", "极性", "direction", "polarity"),
    "method": ("计分类型", "评分类型", "method type", "method"),
    "kind": ("指标类型", "指标性质", "kind", "type"),
    "raters": ("评分人", "评分主体", "raters", "rated by"),
    "range": ("取值范围", "有效范围", "range", "valid range"),
    "level": ("绩效级别", "级别"),  # a level per row under its indicator (A | 85-100 | …)
    "span": ("评分区间",),  # the points a level spans
}

# the tables beside the indicators: role → names, and the roles that identify the table
AUX: dict[str, dict[str, tuple[str, ...]]] = {
    "grades": {"label": ("等级", "等级名称", "考核等级", "绩效等级", "客服等级", "评定等级", "grade", "grade label", "label", "rating",
                         "performance category", "result", "criteria", "category"),
               "min": ("最低分", "分数下限", "最低得分", "分数", "分数区间", "得分区间", "分值区间", "分数段", "分值", "总分", "min",
                       "min score", "minimum", "score", "score range", "from", "ratings", "total score", "range"),
               "coefficient": ("绩效系数", "系数", "考核系数", "coefficient", "factor", "multiplier"),
               "application": ("结果应用", "应用", "考核结果应用", "应用场景", "application", "consequence", "how the result is applied",
                               "preferred action", "description")},
    "sections": {"id": ROLES["id"], "name": ("考核维度", "维度", "维度名称", "类别", "section", "dimension", "category"),
                 "weight": ROLES["weight"], "points": ("分值", "维度分值", "points")},
    "raters": {"id": ROLES["id"], "name": ("评分人", "评分主体", "评分人名称", "rater", "raters"),
               "weight": ROLES["weight"], "role": ("角色", "身份", "role")},
    "adjustments": {"id": ROLES["id"], "name": ("加减分项", "加扣分项", "奖惩项", "项目", "事项", "adjustment", "item"),
                    "points": ("每次分值", "每次加减分", "分值", "每次", "points", "points each"),
                    "max": ("上限", "封顶", "最多", "单项上限", "max", "cap")},
    "veto": {"id": ROLES["id"], "name": ("否决项", "一票否决", "一票否决项", "否决事项", "veto", "veto item")},
}

INFO_KEYS: dict[str, tuple[str, ...]] = {
    "id": ("规格标识", "模板标识", "spec id", "template id", "template"),
    "title": ("标题", "表名", "title"),
    "position": ("岗位", "岗位名称", "职位", "考核岗位", "position", "role", "job"),
    "period": ("考核周期", "考核期间", "考核期", "周期", "period", "review period"),
    "language": ("语言", "language"),
    "version": ("版本", "version"),
    "responsibilities": ("岗位职责", "岗位职责概述", "职责", "工作职责", "岗位概述", "responsibilities", "job summary"),
    "department": ("部门", "所属部门", "department"),
    "scale": ("计分制", "评分制", "scoring"),
    "adjust_min": ("加减分合计下限", "合计下限", "total min", "adjustments min"),
    "adjust_max": ("加减分合计上限", "合计上限", "total max", "adjustments max"),
}

DIRECTION_WORDS: dict[str, str] = {
    "higher": "higher", "lower": "lower", "越高越好": "higher", "越低越好": "lower", "越大越好": "higher", "越小越好": "lower",
    "正向": "higher", "反向": "lower", "正向指标": "higher", "反向指标": "lower", "高": "higher", "低": "lower",
    "higher is better": "higher", "lower is better": "lower", "up": "higher", "down": "lower", "↑": "higher", "↓": "lower",
}
def method_words() -> dict[str, str]:
    """Every registered method by its YAML name and by the words HR uses for it (``Method.words``)."""
    out: dict[str, str] = {}
    for name, method in REGISTRY.items():
        for word in (name, *method.words):
            out.setdefault(label_key(word), name)
    return out

KIND_WORDS: dict[str, str] = {"result": "result", "process": "process", "结果": "result", "过程": "process",
                              "结果指标": "result", "过程指标": "process"}
ROLE_WORDS: dict[str, str] = {"self": "self", "supervisor": "supervisor", "reviewer": "reviewer", "本人": "self", "自评": "self",
                              "员工": "self", "上级": "supervisor", "直接上级": "supervisor", "复核": "reviewer",
                              "复核人": "reviewer", "隔级上级": "reviewer"}
ALL_WORDS = ("全部", "所有", "all")

# rows that are not indicators: totals, comments, signatures
SKIP_ROW = re.compile(r"^(?:合计|总计|小计|总分|考核总分|加权得分|加权总分|考核得分|最终得分|评语|上级评语|考核人评语|意见|签字|签名|"
                      r"备注|说明|total|sum|subtotal|comments?|signature|notes?|remarks?)", re.I)
ADJUST_SECTION = re.compile(r"加分|扣分|加减分|奖惩|bonus|penalt|adjustment", re.I)
VETO_SECTION = re.compile(r"否决|veto", re.I)


_TRADITIONAL = str.maketrans("等級區間績效獎應場標準評紀規範項內價與達權重務質數據量計劃額實際總體資產單營銷額輔導說明備註選擇項目內容",
                             "等级区间绩效奖应场标准评纪规范项内价与达权重务质数据量计划额实际总体资产单营销额辅导说明备注选择项目内容")


def label_key(text: str) -> str:
    """A header or word as compared: full-width folded, traditional characters read as simplified, lower
    case, spaces and ``(%)`` dropped."""
    s = unicodedata.normalize("NFKC", text).strip().lower().translate(_TRADITIONAL)
    s = re.sub(r"^(?:[一二三四五六七八九十]+|\d+)(?:、|_+|\.(?!\d))\s*", "", s)  # "一__工作项目", "1.考核指标"
    s = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", s)  # "项 目", "权 重": spaced out to fill a wide cell
    s = re.sub(r"\((?:%|％|分|个)?\)|（(?:%|％)?）", "", s)
    s = re.sub(r"[\s:*]+", " ", s).strip()
    return s.rstrip("%").strip()


@dataclass(frozen=True)
class Header:
    """A recognised header cell: its role, and whether its values are percent numbers (``权重(%)``)."""

    role: str
    percent: bool


def match_header(text: str, roles: dict[str, tuple[str, ...]]) -> Header | None:
    """The role of a header cell: any line or ``/``-separated part of it naming the role exactly."""
    if not text:
        return None
    percent = bool(re.search(r"%|％|百分比", text))
    parts = [label_key(p) for p in re.split(r"[\n/|]", text)] + [label_key(text)]
    parts += [w for p in list(parts) for w in _bilingual(p)]
    for role, names in roles.items():
        if any(p in names for p in parts if p):
            return Header(role, percent)
    return None


def _bilingual(part: str) -> list[str]:
    """"指标名称 name" → ["指标名称", "name"]: export headers carry both languages on one line."""
    m = re.match(r"^([^\x00-\x7f]+)\s+([\x00-\x7f]+)$", part)
    return [m[1].strip(), m[2].strip()] if m else []


def word_of(words: dict[str, str], text: str) -> str | None:
    """A cell's word from a vocabulary: the whole cell, else any part of "越高越好 higher"."""
    key = label_key(text)
    return words.get(key) or next((words[p] for p in key.split(" ") if p in words), None)

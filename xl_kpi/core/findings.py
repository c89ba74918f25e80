"""One catalogue of findings: every code xl-kpi reports, once, with its severity, message and fix.

Spec problems, roster and table problems, ``score`` warnings, consolidation issues and command
line errors are all :class:`Finding` records made by :func:`finding` from this catalogue, so a
code means one thing everywhere. ``docs/findings.md`` is generated from it
(``python docs/make_findings.py``) and a test keeps the two equal.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

from .text import Lang, Text, ui_lang

__all__ = ["Severity", "Code", "Finding", "CATALOGUE", "finding", "markdown_table", "place"]

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Code:
    """A catalogue entry: messages are ``str.format`` templates over the finding's fields."""

    area: str
    severity: Severity
    zh: str
    en: str
    fix_zh: str = ""
    fix_en: str = ""


def _c(area: str, severity: Severity, zh: str, en: str, fix_zh: str = "", fix_en: str = "") -> Code:
    return Code(area, severity, zh, en, fix_zh, fix_en)


_HOSTILE = ("该文件可能是恶意构造的,请勿打开", "the file may be hostile; do not open it")

CATALOGUE: dict[str, Code] = {
    # --- HR's own tables (xl-kpi import) ---------------------------------------------------------
    "import-no-table": _c("import", "error", "没有找到指标表", "no indicator table found",
                          "表头需要“指标名称”列,以及“权重”或“评分标准”列", "the header needs a name column (指标名称 / KPI) and a weight or scoring standard column"),
    "import-unreadable": _c("import", "error", "读不懂{what}“{text}”{reason}", "cannot read the {what} '{text}'{reason}",
                            "可以这样写: {example}", "write it like: {example}"),
    "import-empty": _c("import", "error", "{what}为空", "the {what} is empty", "填写{what},例如 {example}", "fill in the {what}, e.g. {example}"),
    "import-warning": _c("import", "warning", "{detail}", "{detail}", "", ""),
    "import-section-weight": _c("import", "error", "考核维度“{name}”没有权重,且各指标权重合计不是 100%",
                                "section '{name}' has no weight and the indicator weights do not total 100%",
                                "在维度名称后写权重,如“业绩(70%)”,或让全部指标的权重合计 100%",
                                "write the weight after the section's name, e.g. 'Results (70%)', or make all indicator weights total 100%"),
    "import-unreadable-file": _c("import", "error", "无法读取表格: {detail}", "cannot read the table: {detail}",
                                 "用 Excel 或 WPS 打开后另存为 .xlsx", "open it in Excel or WPS and save it as .xlsx"),
    "import-encoding": _c("import", "error", "CSV 不是 UTF-8、GB18030 或 UTF-16 编码", "the CSV is not UTF-8, GB18030 or UTF-16",
                          "在 Excel 中另存为“CSV UTF-8”", "save it from Excel as 'CSV UTF-8'"),
    "import-too-large": _c("import", "error", "表格过大({size} 字节,上限 {limit})", "the table is too large ({size} bytes, limit {limit})",
                           "只保留考核表本身", "keep only the scorecard table"),
    "import-format": _c("usage", "error", "不支持的表格格式 {suffix}", "unsupported table format {suffix}",
                        "使用 .xlsx、.xls、.ods 或 .csv", "use .xlsx, .xls, .ods or .csv"),
    # --- specs (xl-kpi check) -------------------------------------------------------------------
    "encoding": _c("spec", "error", "文件不是 UTF-8 编码的文本", "the file is not UTF-8 text",
                   "用 UTF-8 编码另存", "save it as UTF-8"),
    "yaml-syntax": _c("spec", "error", "YAML 语法错误: {detail}", "YAML syntax error: {detail}",
                      "检查缩进、冒号和引号", "check indentation, colons and quotes"),
    "fullwidth-colon": _c("spec", "error", "这一行的字段名后面是全角冒号“：”,YAML 读不出这个字段",
                          "this line's key is followed by a full-width colon '：', so YAML does not read it as a key",
                          "改成半角冒号加空格“: ”", "write ': ' (an ASCII colon and a space) instead"),
    "not-mapping": _c("spec", "error", "规格文件应为 YAML 字段映射", "a spec must be a YAML mapping of fields",
                      "参考 workbook_templates/sales_rep.yaml", "see workbook_templates/sales_rep.yaml"),
    "unknown-key": _c("spec", "error", "未知字段 {key!r}", "unknown key {key!r}", "{suggestion}", "{suggestion}"),
    "missing-field": _c("spec", "error", "缺少必填字段 {name}", "missing required field {name}",
                        "例如 {example}", "e.g. {example}"),
    "wrong-type": _c("spec", "error", "{name} 应为{expected}", "{name} must be {expected}", "例如 {example}", "e.g. {example}"),
    "not-a-number": _c("spec", "error", "{name} 应为数字,实际为 {value!r}", "{name} must be a number, got {value!r}",
                       "写数字,百分比写成小数,如 1.05 表示 105%", "write a number; percentages as fractions, e.g. 1.05 for 105%"),
    "score-range": _c("spec", "error", "分数 {score:g} 超出 0–{max:g}", "score {score:g} is outside 0–{max:g}",
                      "分数应在 0 到 {max:g} 之间(满分通常为 100)", "use a score from 0 to {max:g} (full marks are usually 100)"),
    "bad-id": _c("spec", "error", "标识 {value!r} 不合规", "id {value!r} is not a valid id",
                 "只用小写英文字母、数字和下划线,以字母开头,最多 40 个字符,如 sales_rate",
                 "use lower-case ASCII letters, digits and _, starting with a letter, at most 40 characters, e.g. sales_rate"),
    "weight-invalid": _c("spec", "error", "权重 {value!r} 无效", "weight {value!r} is not valid",
                         "写成 0.40、40 或 \"40%\",且大于 0", "write 0.40, 40 or \"40%\", greater than 0"),
    "weight-notation": _c("spec", "error", "权重写法混用(小数、百分数、带 % 的文本)",
                          "weights mix notations (fractions, percent numbers, \"40%\" text)",
                          "全部写成同一种,如都写成 40%", "write every weight the same way, e.g. all as 40%"),
    "weight-total": _c("spec", "error", "{what}权重合计为 {total:g}%,应为 100%", "{what} weights total {total:g}%, they must total 100%",
                       "调整各项权重使其合计 100%", "adjust the weights so that they total 100%"),
    "unknown-method": _c("spec", "error", "未知评分方法 {method!r}", "unknown scoring method {method!r}",
                         "可用: {known}{close}", "use one of {known}{close}"),
    "cap-floor": _c("spec", "error", "{upper} {upper_value:g} 应高于 {lower} {lower_value:g}",
                    "{upper} {upper_value:g} must be above {lower} {lower_value:g}",
                    "调整这两个数,使{upper}更高", "change them so that {upper} is the higher"),
    "per-unit": _c("spec", "error", "每单位扣分应大于 0", "per_unit must be greater than 0",
                   "如每起投诉扣 20 分: per_unit: 20", "e.g. 20 points per complaint: per_unit: 20"),
    "step-size": _c("spec", "error", "每档幅度 step 应大于 0", "step must be greater than 0",
                    "如每 1 个百分点: step: 0.01", "e.g. one percentage point: step: 0.01"),
    "step-points": _c("spec", "error", "每档加分 above 和扣分 below 应不小于 0,且至少一个大于 0",
                      "above and below must not be negative, and one of them must be above 0",
                      "如每低 1% 扣 2 分: below: 2", "e.g. 2 points off per step below: below: 2"),
    "step-bounds": _c("spec", "error", "起始分 {start:g} 应在最低分 {floor:g} 与最高分 {cap:g} 之间(且两者不同)",
                      "start {start:g} must lie between floor {floor:g} and cap {cap:g} (which must differ)",
                      "调整 start、floor、cap", "change start, floor or cap"),
    "bands-empty": _c("spec", "error", "缺少分档 bands", "bands are missing or empty",
                      "写成 [[阈值, 分数], …],如 [[1.10, 100], [1.00, 80]]", "write [[threshold, score], …], e.g. [[1.10, 100], [1.00, 80]]"),
    "bands-shape": _c("spec", "error", "分档 {band!r} 应为 [阈值, 分数]", "band {band!r} must be [threshold, score]",
                      "如 [1.10, 100]", "e.g. [1.10, 100]"),
    "bands-duplicate": _c("spec", "error", "阈值 {threshold:g} 重复", "threshold {threshold:g} appears twice",
                          "每个阈值只写一次", "give each threshold once"),
    "bands-order": _c("spec", "error", "阈值顺序错误: {before:g} 之后是 {after:g}", "thresholds out of order: {after:g} after {before:g}",
                      "方向为 {direction} 时阈值应{order}排列", "for direction {direction}, list thresholds {order}"),
    "bands-scores": _c("spec", "error", "更差的档位得分 {worse:g} 高于更好的档位 {better:g}",
                       "a worse band scores {worse:g}, more than the better band's {better:g}",
                       "分数应随档位变差而不增", "scores must not rise as bands get worse"),
    "bands-otherwise": _c("spec", "error", "未达任何档位的得分 {otherwise:g} 高于最低档 {lowest:g}",
                          "otherwise ({otherwise:g}) is more than the lowest band's {lowest:g}",
                          "otherwise 应不高于最低档分数", "make otherwise no more than the lowest band's score"),
    "levels-shape": _c("spec", "error", "等级应写成 {{label: A, score: 100, description: …}}",
                       "a level must be {{label: A, score: 100, description: …}}",
                       "或写成 levels: {{A: 100, B: 80}}", "or write levels: {{A: 100, B: 80}}"),
    "levels-empty": _c("spec", "error", "等级评分至少需要两个等级", "a rating needs at least two levels",
                       "如 levels: {{A: 100, B: 80, C: 60, D: 0}}", "e.g. levels: {{A: 100, B: 80, C: 60, D: 0}}"),
    "levels-duplicate": _c("spec", "error", "等级 {label!r} 重复或为空", "level {label!r} is empty or given twice",
                           "等级名称不区分大小写,每个只写一次", "level names ignore case; give each once"),
    "target-level": _c("spec", "error", "目标等级 {target!r} 不在等级中", "target level {target!r} is not one of the levels",
                       "写一个已定义的等级,如 {example}", "use one of the defined levels, e.g. {example}"),
    "percent-scale": _c("spec", "warning", "单位为 % 但目标值为 {value:g}(即 {percent:g}%)",
                        "unit is % but the target is {value:g} ({percent:g}%)",
                        "百分比写成小数,如 {fraction:g} 表示 {value:g}%", "write percentages as fractions, e.g. {fraction:g} for {value:g}%"),
    "target-zero": _c("spec", "error", "线性评分的目标值不能为 0", "a linear score needs a non-zero target",
                      "设置一个非 0 的目标值", "set a non-zero target"),
    "target-unrewarded": _c("spec", "error", "达到目标值 {value:g} 也得不到任何档位的分数", "reaching the target {value:g} earns no band",
                            "调整阈值,使达到目标值至少进入一个档位", "adjust the thresholds so that meeting the target earns a band"),
    "unknown-direction": _c("spec", "error", "未知方向 {value!r}", "unknown direction {value!r}",
                            "写 higher(越高越好)或 lower(越低越好)", "use higher (higher is better) or lower (lower is better)"),
    "unknown-kind": _c("spec", "error", "未知类型 {value!r}", "unknown kind {value!r}",
                       "写 result(结果指标)或 process(过程指标)", "use result or process"),
    "unknown-language": _c("spec", "error", "未知语言 {value!r}", "unknown language {value!r}", "写 zh 或 en", "use zh or en"),
    "range": _c("spec", "error", "取值范围 {value!r} 无效", "range {value!r} is not valid",
                "写成 [最小值, 最大值],如 [0, 2]", "write [min, max], e.g. [0, 2]"),
    "duplicate-id": _c("spec", "error", "标识 {value!r} 与 {first} 重复", "id {value!r} is already used by {first}",
                       "每项用不同的标识", "give each its own id"),
    "indicator-count": _c("spec", "warning", "共 {count} 项指标,建议 3–5 项核心指标",
                          "{count} indicators; 3–5 core indicators are recommended",
                          "指标过多会分散精力,过少难以全面衡量", "too many dilute focus, too few miss results"),
    "period-unreadable-spec": _c("spec", "warning", "考核周期 {value!r} 无法识别:汇总和年度汇总将无法确定它属于哪一期",
                                 "the period {value!r} cannot be read: consolidation and roll-ups cannot tell which period it is",
                                 "写成 {examples} 等形式", "write it like {examples}"),
    "grades-order": _c("spec", "error", "等级应按最低分从高到低排列且不重复", "grades must be listed from the highest min down, without repeats",
                       "把最高的等级写在最前", "put the highest grade first"),
    "grades-duplicate": _c("spec", "error", "等级名称重复", "a grade label appears twice", "每个等级名称只写一次", "give each label once"),
    "grades-floor": _c("spec", "error", "没有最低分为 0 的等级,低分将无等级可得", "no grade has min 0, so a low total would get no grade",
                       "添加 {{label: 不合格, min: 0}}", "add {{label: Poor, min: 0}}"),
    "unknown-section": _c("spec", "error", "指标所属的考核维度 {value!r} 不存在", "section {value!r} is not one of the spec's sections",
                          "可用: {known}", "use one of {known}"),
    "section-missing": _c("spec", "error", "规格分了考核维度,但该指标没有写 section", "the spec has sections but this indicator names none",
                          "加上 section: {known}", "add section: one of {known}"),
    "section-unused": _c("spec", "error", "规格没有 sections,但该指标写了 section {value!r}",
                         "the spec has no sections, but this indicator names section {value!r}",
                         "删除 section,或在顶层加上 sections", "remove section, or add sections at the top"),
    "empty-section": _c("spec", "error", "考核维度 {value!r} 没有任何指标", "section {value!r} has no indicators",
                        "给它分配指标,或删除该维度", "give it indicators, or remove it"),
    "rated-without-raters": _c("spec", "error", "指标标记为多人评分(rated),但规格没有 raters",
                               "the indicator is rated, but the spec has no raters",
                               "在顶层加上 raters,如 [{{id: self, name: 自评, weight: 30%}}, {{id: supervisor, name: 上级评分, weight: 70%}}]",
                               "add raters at the top, e.g. [{{id: self, name: Self, weight: 30%}}, {{id: supervisor, name: Supervisor, weight: 70%}}]"),
    "unknown-rater": _c("spec", "error", "评分人 {value!r} 不存在", "rater {value!r} is not one of the spec's raters",
                        "可用: {known}", "use one of {known}"),
    "unknown-role": _c("spec", "error", "评分人角色 {value!r} 无效", "rater role {value!r} is not valid",
                       "写 self(员工本人)、supervisor(上级)、reviewer(复核)或 peer(同事互评)",
                       "use self, supervisor, reviewer or peer"),
    "adjustment-points": _c("spec", "error", "每次的分值 points 应为非 0 的数字", "points per occurrence must be a non-zero number",
                            "加分写正数,扣分写负数,如 points: -3", "positive for a bonus, negative for a penalty, e.g. points: -3"),
    "adjustment-bounds": _c("spec", "error", "加减分合计的范围 [{min:g}, {max:g}] 应包含 0", "the adjustment bounds [{min:g}, {max:g}] must include 0",
                            "如 min: -10, max: 5", "e.g. min: -10, max: 5"),
    "coefficient-missing": _c("spec", "error", "部分等级写了绩效系数,该等级没有", "some grades have a coefficient but this one has none",
                              "每个等级都写 coefficient,如 优秀 1.2 … 不合格 0.5", "give every grade a coefficient, e.g. 1.2 … 0.5"),
    "coefficient-order": _c("spec", "error", "绩效系数 {value:g} 高于上一等级的 {above:g}",
                            "coefficient {value:g} is above the better grade's {above:g}",
                            "等级越低,系数应越低(或相同)", "a lower grade must not have a higher coefficient"),
    "relative-needs-target": _c("spec", "error", "relative 分档需要数值目标", "relative bands need a numeric target",
                                "写 target: 10 等数值", "write a numeric target such as target: 10"),
    "duplicate-spec": _c("spec", "error", "规格标识 {spec_id!r} 已被 {other} 使用", "spec id {spec_id!r} is already used by {other}",
                         "每个规格用不同的 id", "give each spec its own id"),
    "smart-specific": _c("spec", "warning", "指标“{name}”不够具体: {reason}", "indicator '{name}' is not specific: {reason}", "{tip}", "{tip}"),
    "cascade-unassigned": _c("spec", "error", "部门目标 {target:g} 没有分解到任何人(该部门没有人的考核表有指标 {indicator})",
                             "department target {target:g} is assigned to nobody (no one in the department has indicator {indicator})",
                             "检查指标标识或给相关岗位加上该指标", "check the indicator id or add it to the roles concerned"),
    "cascade-unknown-department": _c("spec", "error", "花名册里没有部门“{department}”(花名册的部门: {known})",
                                     "the roster has no department '{department}' (its departments: {known})",
                                     "改正部门名称,或把该部门的人加进花名册", "correct the department's name, or add its people to the roster"),
    "cascade-gap": _c("spec", "error", "部门目标 {target:g},{people} 人目标合计 {total:g},覆盖 {coverage:.0%},缺口 {gap:g}",
                      "department target {target:g}, {people} people's targets total {total:g}: {coverage:.0%} covered, {gap:g} short",
                      "提高个人目标或调整部门目标,使分解覆盖100%", "raise personal targets or revise the department target to reach 100%"),
    "cascade-over-cap": _c("spec", "error", "部门上限 {target:g},{people} 人的上限合计 {total:g},超出 {over:g}(越低越好的指标,个人上限之和不应超过部门上限)",
                           "department cap {target:g}, {people} people's caps total {total:g}: {over:g} over (lower is better: "
                           "the people's caps must not add up to more than the department's)",
                           "降低个人上限或调整部门上限", "lower personal caps or revise the department cap"),
    "cascade-laxer": _c("spec", "warning", "部门目标 {target:g}(比率/水平类,不能累加):{people} 人中 {count} 人的目标低于部门要求: {who}",
                        "department target {target:g} (a rate or level, which does not add up): {count} of {people} people have a "
                        "less demanding target: {who}",
                        "把这些人的目标提到部门要求,或说明差别的原因", "bring their targets up to the department's, or note why they differ"),
    # --- tables people give us: rosters, actuals, targets, histories ---------------------------
    "table-columns": _c("table", "error", "{what}缺少列: {missing}(现有列: {have})", "the {what} lacks column(s) {missing} (it has: {have})",
                        "第一行应为列名: {expected}", "the first row must name the columns: {expected}"),
    "table-encoding": _c("table", "error", "{what}不是 UTF-8 编码", "the {what} is not UTF-8", "在 Excel 中另存为“CSV UTF-8”",
                         "save it as \"CSV UTF-8\""),
    "table-unreadable": _c("table", "error", "无法读取{what}: {detail}", "cannot read the {what}: {detail}",
                           "确认文件完整且为 CSV 或 XLSX", "check that it is a complete CSV or XLSX file"),
    "table-format": _c("usage", "error", "{what}的格式 {suffix} 不受支持", "{what}: unsupported format {suffix}", "使用 .csv 或 .xlsx",
                       "use .csv or .xlsx"),
    "roster-empty-field": _c("table", "error", "{column} 为空", "{column} is empty", "每行填写 {column}", "fill in {column} on every row"),
    "roster-duplicate-id": _c("table", "error", "员工编号 {employee_id} 与第 {first} 行重复", "employee id {employee_id} duplicates line {first}",
                              "每人一行,编号唯一", "one row per person, each id once"),
    "roster-unknown-template": _c("table", "error", "模板 {template!r} 不存在", "template {template!r} is unknown",
                                  "可用模板: {known}", "known templates: {known}"),
    "roster-bad-number": _c("table", "error", "{column} 的值 {value!r} 不是有效的金额", "{column}: {value!r} is not a valid amount",
                            "填写不小于 0 的数字,如 5000;没有则留空", "write a number of 0 or more, e.g. 5000; leave it blank if none"),
    "roster-bad-period": _c("table", "error", "考核周期“{value}”无法识别", "the period '{value}' cannot be read",
                            "写成 {examples} 等形式,或留空(用模板的周期)", "write it like {examples}, or leave it blank (the template's period)"),
    "roster-empty": _c("table", "error", "花名册没有人员", "the roster has no people", "每行一人", "add one row per person"),
    "duplicate-row": _c("table", "error", "{employee_id} 的 {indicator} 重复,已使用第一行",
                        "{employee_id}/{indicator} given twice; the first row was used",
                        "每人每项指标只保留一行", "keep one row per person and indicator"),
    "unknown-indicator": _c("table", "error", "规格 {spec_id} 中没有指标 {indicator!r}", "spec {spec_id} has no indicator {indicator!r}",
                            "可用指标: {known}", "known indicators: {known}"),
    "targets-unknown-person": _c("table", "error", "{employee_id} 不在花名册中", "{employee_id} is not on the roster",
                                 "核对员工编号", "check the employee id"),
    "targets-unknown-indicator": _c("table", "error", "{employee_id} 的规格 {spec_id} 没有数值指标 {indicator}",
                                    "{employee_id}'s spec {spec_id} has no numeric indicator {indicator}",
                                    "核对指标标识", "check the indicator id"),
    "targets-invalid": _c("table", "error", "{indicator} 的目标 {value!r} 无效", "target {value!r} for {indicator} is not valid",
                          "填写数字;线性评分的目标不能为 0", "write a number; a linear target cannot be 0"),
    # --- actuals, as typed in a sheet or a table -------------------------------------------------
    "invalid-actual": _c("actual", "error", "{indicator} 的实际值 {value} 无法识别", "{indicator}: actual {value} cannot be read",
                         "填写数字(百分比如 105%)或有效等级", "enter a number (percentages like 105%) or a valid level"),
    "missing-actual": _c("actual", "warning", "{indicator} 未填写实际值", "{indicator}: no actual entered",
                         "请员工补填", "ask the person to fill it in"),
    "ambiguous-percent": _c("actual", "error", "{indicator} 填写了 {value},是 {value}% 还是 {pct}?未计分",
                            "{indicator}: {value} entered — {value}% or {pct}? not scored",
                            "请员工改填带 % 的数,如 {value}% 或 {pct}", "ask the person to type it with %, e.g. {value}% or {pct}"),
    "normalised-actual": _c("actual", "info", "{indicator} 的实际值 {value} 已规范为 {normalised}({how})",
                            "{indicator}: actual {value} read as {normalised} ({how})", "", ""),
    "invalid-count": _c("actual", "error", "{item} 的次数 {value} 无法识别{reason},总分暂不计算",
                        "{item}: the count {value} cannot be read{reason}; the total is left blank",
                        "填写发生的次数:0 或正整数,如 2;没有发生填 0 或留空", "enter how many times: 0 or a whole number, e.g. 2; 0 or blank if never"),
    "invalid-mark": _c("actual", "error", "{item} 填写了 {value},无法判断是否否决,总分暂不计算",
                       "{item}: {value} entered — applied or not? the total is left blank",
                       "发生填“{yes}”,未发生填“{no}”或留空", "enter {yes} if it happened; {no} or blank if not"),
    # --- returned workbooks (xl-kpi consolidate) --------------------------------------------------
    "empty-file": _c("return", "error", "文件为空", "the file is empty", "请对方重新发送工作簿", "ask for the workbook again"),
    "too-large": _c("return", "error", "文件过大({size} 字节,上限 {limit})", "file too large ({size} bytes, limit {limit})",
                    "确认发送的是考核表", "check that this is the scorecard"),
    "encrypted": _c("return", "error", "工作簿已加密(设置了打开密码)", "the workbook is encrypted (it has an open password)",
                    "请对方去掉打开密码后重新发送", "ask for a copy without an open password"),
    "legacy-xls": _c("return", "error", "这是旧版 .xls 或其他 OLE 文件,不是生成的考核表",
                     "this is a legacy .xls or other OLE file, not a generated scorecard",
                     "请用下发的 .xlsx 考核表填写", "fill in the .xlsx scorecard that was sent"),
    "not-a-workbook": _c("return", "error", "不是 Excel 工作簿:看起来是{head}", "not an Excel workbook: it looks like {head}",
                         "确认附件是否发错", "check whether the wrong attachment was sent"),
    "returned-other-format": _c("return", "error", "{employee_id} 交回的是{kind},不能核对规则和公式,未计分",
                                "{employee_id} returned {kind}: its rules and formulas cannot be checked, so it is not scored",
                                "请对方在发给他的 .xlsx 考核表中填写,或在 WPS/LibreOffice 中“另存为 Excel 2007-365 (.xlsx)”后重新发送",
                                "ask for the .xlsx they were sent, or to save it as Excel 2007-365 (.xlsx) in WPS or LibreOffice and send it again"),
    "returned-unreadable": _c("return", "warning", "{employee_id} {name} 交回的文件不是可以读取的考核表(见该文件的问题),本期未计分",
                              "{employee_id} {name} sent a file that is not a scorecard that can be read (see that file's problem); not scored",
                              "请对方交回发给他的 .xlsx 考核表", "ask for the .xlsx scorecard they were sent"),
    "unsupported-file": _c("return", "warning", "不是可汇总的考核表:{kind}", "not a scorecard that can be consolidated: {kind}",
                           "请对方在发给他的 .xlsx 考核表中填写并原样交回(不要另存为其他格式)",
                           "ask for the .xlsx scorecard they were sent, filled in and returned as it is (not saved in another format)"),
    "skipped-file": _c("return", "info", "已跳过:{reason}", "skipped: {reason}", "无需处理", "nothing to do"),
    "unreadable-folder": _c("return", "error", "无法读取文件夹: {detail}", "the folder cannot be read: {detail}",
                            "检查该文件夹的访问权限后重新运行", "check the folder's permissions and run again"),
    "symlink-outside": _c("return", "warning", "链接指向输入文件夹之外({target}),未读取", "a link points outside the input folder ({target}); not read",
                          "把要汇总的文件本身放进输入文件夹", "put the files themselves into the input folder"),
    "protection-changed": _c("return", "error", "与发出时不同:{what};其保护的单元格(如上级、复核人的评分)可能已被持有文件的人填写",
                             "not as issued: {what}; the cells it guarded (the supervisor's and reviewer's inputs) may have been filled by whoever held the file",
                             "请评分人在各自的文件中重新确认评分;或让本人用发出的原始文件重新填写",
                             "have the raters confirm their inputs in their own files, or ask for the workbook as issued, filled in again"),
    "base-changed": _c("return", "info", "绩效奖金基数发出时为 {issued},花名册现为 {roster};绩效工资按花名册计算",
                       "the bonus base was {issued} when issued and is {roster} on the roster: pay uses the roster's", "", ""),
    "no-returns": _c("return", "error", "在 {paths} 中没有找到可汇总的考核表(.xlsx / .xlsm)", "no returned scorecards (.xlsx / .xlsm) found in {paths}",
                     "核对路径;回收的文件应是发出的 .xlsx 考核表", "check the path; returns are the .xlsx scorecards that were sent"),
    "taken-on-trust": _c("return", "info", "未使用登记册(--issued):每份文件属于谁、考核期间、个人目标值和奖金基数均以文件自身为准",
                         "no register (--issued): who each file belongs to, its period, personal targets and bonus base were taken on trust",
                         "用 build 写出的 issued.sqlite 汇总:consolidate --issued issued.sqlite",
                         "consolidate with the register build wrote: consolidate --issued issued.sqlite"),
    "not-issued": _c("return", "error", "登记册中没有这份工作簿(或此人),不能确认它由 HR 发出", "the register has no such workbook (or person): not issued by HR",
                     "核对文件来源;只汇总 HR 发出的考核表", "check where the file came from; consolidate only scorecards HR issued"),
    "issued-mismatch": _c("return", "error", "与登记册不符:{what} 为 {found},发出时为 {issued}", "differs from the register: {what} is {found}, issued as {issued}",
                          "已按登记册计分;请向本人核实文件是否被改动", "scored as issued; ask the person whether the file was changed"),
    "signature-invalid": _c("return", "error", "元数据签名无效:隐藏的元数据被改动或不是用 HR 的密钥签发",
                            "the metadata signature is invalid: the hidden metadata was changed or not signed with HR's key",
                            "请对方使用 HR 发出的原始文件重新填写", "ask for the original workbook HR issued, filled in again"),
    "corrupt-file": _c("return", "error", "工作簿已损坏或不完整: {detail}", "the workbook is damaged or truncated: {detail}",
                       "请对方重新保存并发送", "ask for the file to be saved and sent again"),
    "zip-bomb": _c("return", "error", "压缩内容异常,拒绝解压: {detail}", "refused to decompress: {detail}", *_HOSTILE),
    "xml-entities": _c("return", "error", "XML 中含有实体声明(DOCTYPE/ENTITY),已拒绝解析: {part}",
                       "XML declares entities (DOCTYPE/ENTITY), refused: {part}", *_HOSTILE),
    "macros-present": _c("return", "warning", "工作簿含有宏(未运行)", "the workbook contains macros (never run)",
                         "宏不会被执行;请确认来源", "macros are never run; check where it came from"),
    "not-a-scorecard": _c("return", "error", "不是 xl-kpi 考核表(缺少隐藏的元数据表)",
                          "not an xl-kpi scorecard (the hidden metadata sheet is missing)",
                          "请用下发的考核表填写,不要复制到新文件", "use the scorecard that was sent, not a copy in a new file"),
    "metadata-invalid": _c("return", "error", "元数据表已损坏: {detail}", "the metadata sheet is damaged: {detail}",
                           "请重新下发考核表", "issue the scorecard again"),
    "unknown-template": _c("return", "error", "未知模板 {template}", "unknown template {template}",
                           "用 --templates 指定包含该模板的文件夹", "pass the folder holding it with --templates"),
    "template-version": _c("return", "warning", "文件自称模板 {template} 的版本 {found},HR 的当前版本为 {expected};按 HR 的版本计分",
                           "the file claims version {found} of template {template}; HR's is {expected}: scored with HR's version",
                           "若 HR 确实发出过版本 {found},请用 --issued 指定登记册,按发出时的规则计分",
                           "if HR did issue version {found}, consolidate with --issued: each return is then scored as issued"),
    "spec-changed": _c("return", "error", "考核规则与模板 {template} 不一致(哈希不同)",
                       "scoring rules differ from template {template} (hash mismatch)",
                       "按模板重新计分;请核实是否被改动", "scored with the template; check who changed it"),
    "sheet-renamed": _c("return", "info", "工作表已从 {old} 改名为 {new},按员工编号找到", "sheet {old} was renamed {new}; found by the employee id",
                        "", ""),
    "layout-moved": _c("return", "info", "考核表的行或列有插入或删除({detail}),已按定义名称定位各单元格",
                       "rows or columns were inserted or deleted ({detail}); every cell was found through the defined names", "", ""),
    "rows-sorted": _c("return", "info", "指标行被重新排序({detail}),已按指标名称逐行读取",
                      "the indicator rows were sorted ({detail}); each row was read by its indicator's name", "", ""),
    "name-repointed": _c("return", "error", "定义名称 {name} 被改为指向 {cell}(应为 {expected})",
                         "the defined name {name} was repointed to {cell} (expected {expected})",
                         "请对方重新下发的原始考核表填写", "ask for a return on the workbook as issued"),
    "not-recalculated": _c("return", "info", "保存工作簿的程序没有重新计算公式(表内得分为空),已按实际值重新计分",
                           "the program that saved the workbook did not recalculate it (its scores are blank); scored from the actuals",
                           "", ""),
    "sheet-reads-otherwise": _c("return", "warning", "{what} 填写的 {value}:表格公式按 {on_sheet} 计算,汇总按 {read} 计算,表内显示的结果与汇总不同",
                                "{what}: {value} as typed — the sheet's formulas read it as {on_sheet}, consolidation as {read}; "
                                "the results the sheet shows differ from these",
                                "汇总以 {read} 为准;请员工改填为 {read},使表内结果一致",
                                "consolidation uses {read}; ask the person to type {read} so that the sheet shows the same result"),
    "out-of-range": _c("actual", "error", "{indicator} 的实际值 {value} 超出允许范围({allowed})",
                       "{indicator}: the actual {value} is outside what it allows ({allowed})", "{fix}", "{fix}"),
    "sheet-missing": _c("return", "error", "找不到工作表 {missing}", "sheet {missing} is missing",
                        "不要删除或重命名工作表", "do not delete or rename sheets"),
    "changed-target": _c("return", "error", "{indicator} 的目标值被改为 {found}(应为 {expected})",
                         "{indicator}: target changed to {found} (expected {expected})",
                         "按规定目标值计分;核实改动原因", "scored with the agreed target; find out why it changed"),
    "changed-weight": _c("return", "error", "{indicator} 的权重被改为 {found}(应为 {expected})",
                         "{indicator}: weight changed to {found} (expected {expected})",
                         "按规定权重计分;核实改动原因", "scored with the agreed weight; find out why it changed"),
    "changed-threshold": _c("return", "error", "{indicator} 的评分参数 {cell} 被改为 {found}(应为 {expected})",
                            "{indicator}: scoring parameter {cell} changed to {found} (expected {expected})",
                            "按规定标准计分;核实改动原因", "scored with the agreed standard; find out why it changed"),
    "changed-rule": _c("return", "error", "{what}({cell})被改为 {found}(应为 {expected})", "{what} ({cell}) changed to {found} (expected {expected})",
                       "按规定规则计分;核实改动原因", "scored with the agreed rules; find out why it changed"),
    "veto-applied": _c("return", "warning", "一票否决:{items},总分记为 0", "veto applied: {items}; the total is 0",
                       "请核实事实与依据后确认", "confirm the facts and the evidence"),
    "adjustment-applied": _c("return", "info", "加减分 {adjustment}:{detail}", "adjustment {adjustment}: {detail}", "", ""),
    "adjustment-capped": _c("return", "warning", "{what} 超出限额,按 {applied} 计(未封顶为 {raw})",
                            "{what} exceeds its bound: counted as {applied} (uncapped {raw})",
                            "核实次数;规则只允许到上限", "check the counts; the rules allow no more than the bound"),
    "formula-changed": _c("return", "error", "{cell} 的公式被改动", "the formula in {cell} was changed",
                          "已忽略表内结果并重新计分", "the sheet's result was ignored and rescored"),
    "formula-deleted": _c("return", "error", "{cell} 的公式被删除或覆盖为数值", "the formula in {cell} was deleted or overwritten",
                          "已忽略表内结果并重新计分", "the sheet's result was ignored and rescored"),
    "cached-mismatch": _c("return", "warning", "{cell} 表内显示 {found},重新计算为 {expected}", "{cell} shows {found}, recomputed {expected}",
                          "以重新计算的结果为准", "the recomputed result is used"),
    "duplicate-person": _c("return", "warning", "{employee_id} 重复提交,保留 {kept}", "{employee_id} returned more than once; kept {kept}",
                           "确认哪一份是最终版本", "confirm which copy is final"),
    "distribution-not-applied": _c("return", "warning", "目标等级分布 {value} 不适用于等级标尺 {scale}({why}),该标尺不比较目标占比",
                                   "the target distribution {value} does not fit the grade scale {scale} ({why}); no target shares for it",
                                   "每个等级写一个占比(从最高等级起),或按等级名写,如 优秀=20,良好=70",
                                   "give one share per grade, best first, or name the grades, e.g. Excellent=20,Good=70"),
    "other-period": _c("return", "warning", "{employee_id} 交回的是 {found} 的考核表,本次汇总的是 {period},未计入本期结果",
                       "{employee_id} returned the scorecard of {found}; this run consolidates {period}: left out of its results",
                       "请在 {found} 的汇总中处理这份文件(--period {found}),不会替换该期已有的结果",
                       "consolidate it with {found}'s returns (--period {found}); it never replaces a result already kept"),
    "conflicting-returns": _c("return", "error", "{employee_id} 的同一份考核表交回了 {count} 份内容不同的副本:{files};本期结果暂不计算",
                              "{employee_id}: {count} copies of one issued scorecard with different contents: {files}; no result until HR decides",
                              "确认哪一份有效,只保留那一份后重新汇总", "confirm which copy counts, keep only that one and consolidate again"),
    "not-returned": _c("return", "warning", "{employee_id} {name} 未提交考核表", "{employee_id} {name} has not returned a scorecard",
                       "请催交", "chase the return"),
    "unknown-person": _c("return", "warning", "{employee_id} 不在花名册中", "{employee_id} is not on the roster",
                         "核对员工编号", "check the employee id"),
    "employee-id-changed": _c("return", "error", "表内员工编号 {found} 与下发记录 {expected} 不一致",
                              "employee id on the sheet {found} differs from the issued {expected}",
                              "以下发记录为准;核实是否填错表", "the issued id is used; check whether the wrong file was filled"),
    "worker-crashed": _c("return", "error", "读取时解析程序崩溃或超出内存: {detail}", "the reader crashed or ran out of memory: {detail}",
                         "该文件可能已损坏或被恶意构造", "the file may be damaged or hostile"),
    "timeout": _c("return", "error", "读取超时({seconds} 秒)", "reading timed out ({seconds} s)",
                  "该文件可能已损坏或被恶意构造", "the file may be damaged or hostile"),
    "rollup-missing": _c("return", "warning", "{employee_id} {name}: {year} 年缺少期间 {missing} 的结果,年度得分按其余期间计算",
                         "{employee_id} {name}: {year} has no result for {missing}; the annual total uses the other periods",
                         "补齐该期间的考核后重新汇总", "consolidate that period and roll up again"),
    "period-unreadable": _c("return", "warning", "{employee_id} {name}: 考核期间“{text}”无法识别,该期间的结果未计入",
                            "{employee_id} {name}: the period '{text}' cannot be read; its result is left out",
                            "期间可写成 {examples}", "write periods like {examples}"),
    # --- texts people write: self-reviews and comments --------------------------------------------
    "review-vague": _c("review", "info", "{field_name}: “{phrase}”(第 {position} 字)是形容词,没有数据支撑",
                       "{field_name}: \"{phrase}\" (character {position}) is an adjective with no figure behind it",
                       "用数据替代形容词,如“效率提升30%”“新客户签约15家”",
                       "replace the adjective with a figure, e.g. \"efficiency up 30%\", \"15 new contracts\""),
    "review-smart": _c("review", "info", "目标回顾不满足 SMART 的{criterion}: {reason}",
                       "the goal review is not {criterion}: {reason}",
                       "写明对象、数字和时限", "name the object, the figure and the deadline"),
    # --- the command line and the API: calls that cannot be carried out ------------------------
    "file-not-found": _c("usage", "error", "找不到 {path}", "not found: {path}", "检查路径是否正确", "check the path"),
    "no-specs": _c("usage", "error", "文件夹 {path} 中没有 .yaml 规格文件", "no .yaml spec files in folder {path}",
                   "指定规格文件或包含规格文件的文件夹", "name a spec file or a folder of them"),
    "bad-option": _c("usage", "error", "{option} 的值 {value!r} 无效", "{option}: {value!r} is not valid", "可用: {allowed}", "use {allowed}"),
    "distribution-mismatch": _c("usage", "error", "--target-distribution {value}: 不适用于等级标尺 {scale}({why})",
                                "--target-distribution {value}: does not fit the grade scale {scale} ({why})",
                                "每个等级写一个占比(从最高等级起),或按等级名写,如 优秀=20,良好=70",
                                "give one share per grade, best first, or name the grades, e.g. Excellent=20,Good=70"),
    "open-sheet": _c("usage", "error", "只设了 --reviewer-password 而没有 --password:任何人都能取消工作表保护,上级和复核人的单元格随之敞开",
                     "--reviewer-password without --password: anyone can unprotect the sheet, and the supervisor's and reviewer's cells with it",
                     "同时给出 --password;确需如此时加 --open-sheet", "give --password too, or add --open-sheet if that is really meant"),
    "key-exists": _c("usage", "error", "{path} 已存在,不会覆盖密钥文件", "{path} exists: a key file is never overwritten",
                     "换一个文件名,或用 --sign-key 使用这个已有的密钥", "choose another name, or use this key with --sign-key"),
    "option-needs": _c("usage", "error", "{option} 需要同时给出 {needs}", "{option} needs {needs}", "加上 {needs}", "add {needs}"),
    "output-is-file": _c("usage", "error", "{path} 是一个文件,-o 需要一个文件夹", "{path} is a file; -o needs a folder",
                         "换一个文件夹名,或先移走这个文件", "give another folder name, or move the file away"),
    "path-unusable": _c("usage", "error", "{path}{reason}", "{path}{reason}",
                        "请检查路径存在且可写,文件没有在 Excel 中打开",
                        "check that the path exists and is writable, and the file is not open in Excel"),
    "not-utf8": _c("usage", "error", "{path} 不是 UTF-8 文本", "{path} is not UTF-8 text", "另存为 UTF-8", "save it as UTF-8"),
    "register-unusable": _c("usage", "error", "登记册 {path} 无法使用: {detail}", "the register {path} cannot be used: {detail}",
                            "指定 xl-kpi build 写出的 issued.sqlite", "give the issued.sqlite that xl-kpi build wrote"),
    "history-unusable": _c("usage", "error", "历史数据库 {path} 无法使用: {detail}", "the history {path} cannot be used: {detail}",
                           "确认它是 xl-kpi consolidate 写出的 .sqlite 文件、未被占用且可写;其他输出已写好,修复后重新运行即可补写历史",
                           "check that it is a .sqlite file written by xl-kpi consolidate, not in use and writable; the other outputs are written, and a re-run adds the history"),
    "output-inside-input": _c("usage", "error", "输出文件夹 {output} 位于输入 {input} 之内", "the output folder {output} is inside the input {input}",
                              "把 -o 指向输入之外的文件夹(否则下次运行会把输出当作回收的文件读入)",
                              "point -o outside the inputs (a later run would read the outputs as returns)"),
    "output-busy": _c("usage", "error", "另一次汇总正在写入 {path}", "another consolidation is writing to {path}",
                      "等它结束,或用 -o 指定另一个文件夹", "wait for it to finish, or give another folder with -o"),
    "no-seasonality": _c("usage", "error", "{path}: 无法从历史数据得出季节性: {detail}", "{path}: no seasonality in the history: {detail}",
                         "期间写成 2025-Q3 或 2025-07", "write periods as 2025-Q3 or 2025-07"),
    "needs-xlwings": _c("usage", "error", "--formulas udf 需要安装 xlwings", "--formulas udf needs xlwings installed",
                        "运行 pip install \"xl-kpi[udf]\"", "run pip install \"xl-kpi[udf]\""),
    "internal-error": _c("usage", "error", "内部错误: {detail}", "internal error: {detail}",
                         "请加 --debug 重新运行并报告此问题", "rerun with --debug and report it"),
    "reader-error": _c("return", "error", "读取这份文件时 xl-kpi 出错(不是文件的问题): {detail}",
                       "xl-kpi failed while reading this file (not a fault of the file): {detail}",
                       "请把这份文件和 --debug 的输出报告给 xl-kpi 的维护者;其他文件不受影响",
                       "report this file and the --debug output to xl-kpi's maintainers; the other files are not affected"),
    # --- inputs that must not take a run down, and what a return brings in (issue 23) ---------------
    "table-too-large": _c("table", "error", "{what}过大({size},上限 {limit})", "the {what} is too large ({size}; limit {limit})",
                          "只保留表格本身(删去无关的工作表和行),或分成几个文件",
                          "keep only the table itself (delete unrelated sheets and rows), or split it into several files"),
    "table-unsafe": _c("table", "error", "{what}无法安全读取: {detail}", "the {what} cannot be read safely: {detail}",
                       "用 Excel 或 WPS 打开后另存为 .xlsx 再试;仍然不行则文件可能已损坏或被恶意构造",
                       "open it in Excel or WPS, save it again as .xlsx and retry; if it still fails, the file may be damaged or hostile"),
    "table-far-cell": _c("table", "error", "{what}的工作表“{sheet}”在 {cell} 有内容,使表格达 {rows} 行 × {cols} 列,超过可读取的 {limit} 个单元格",
                         "sheet '{sheet}' of the {what} holds something at {cell}, which makes it {rows} rows × {cols} columns, "
                         "beyond the {limit} cells that can be read",
                         "删除 {cell} 的内容(以及表格之外其他零散的单元格:在 Excel 中按 Ctrl+End 可找到最后一个),保存后重新运行",
                         "delete what is in {cell} (and any other stray cell far from the table: Ctrl+End in Excel finds the last one), "
                         "save and run again"),
    "yaml-too-deep": _c("spec", "error", "YAML 嵌套超过 {limit} 层,未读取", "the YAML nests deeper than {limit} levels; not read",
                        "规格只有几层:检查括号和缩进是否成对", "a spec is a few levels deep: check that brackets and indentation match"),
    "yaml-too-large": _c("spec", "error", "YAML 过大: {detail}", "the YAML is too large: {detail}",
                         "规格文件只有几 KB:确认是否选错了文件,别名(*)不要层层引用",
                         "a spec is a few kilobytes: check that this is the right file, and do not nest aliases (*)"),
    "number-range": _c("spec", "error", "{name} 为 {value},超出工作表能保存和计算的范围(0,或绝对值在 {low} 与 {high} 之间)",
                       "{name} is {value}, outside what a sheet can hold and compute with (0, or a magnitude from {low} to {high})",
                       "换用更大或更小的单位(如“万元”代替“元”,百分比写成小数)",
                       "use a larger or smaller unit (e.g. thousands instead of units; percentages as fractions)"),
    "not-a-file": _c("return", "warning", "不是普通文件,而是{kind},未读取", "not a regular file but {kind}; not read",
                     "把回收的工作簿文件本身放进输入文件夹", "put the returned workbook file itself in the input folder"),
    "file-name-encoding": _c("return", "info", "文件名不是 UTF-8 编码(常见于在中文 Windows 上打包、在 Linux 上解压的 zip),{how}",
                             "the file name is not UTF-8 (a zip made on Chinese Windows and unpacked on Linux); {how}",
                             "可改名,或用 unzip -O GBK 重新解压", "rename it, or unpack the archive again with unzip -O GBK"),
    "memory-limit": _c("return", "error", "读取该文件所需内存超过上限({limit})", "reading this file needed more memory than its limit ({limit})",
                       "该文件可能已损坏或被恶意构造;若确是正常文件,请对方删去多余内容后重新保存",
                       "the file may be damaged or hostile; if it is genuine, ask for it saved again without what it does not need"),
    "too-many-formats": _c("return", "error", "工作簿有 {count} 种以上单元格格式,超过 Excel 允许的 {limit} 种",
                           "the workbook has more than {count} cell formats, beyond the {limit} Excel allows",
                           "Excel 无法打开这样的文件:请对方用原始考核表重新填写", "Excel cannot open such a file: ask for a return on the workbook as issued"),
    "external-links": _c("return", "warning", "工作簿含有 {count} 个外部链接(如 {target}),在 Excel 中打开时会提示更新链接",
                         "the workbook has {count} external link(s) (e.g. {target}); Excel asks to update them when it is opened",
                         "不要更新链接;请对方断开链接(数据 → 编辑链接 → 断开链接)后重新发送",
                         "do not update the links; ask for a copy with them broken (Data → Edit Links → Break Link)"),
    "ole-objects": _c("return", "warning", "工作簿嵌入了 {count} 个对象(其他文件或程序包),未打开",
                      "the workbook embeds {count} object(s) (other files or packages); none was opened",
                      "不要打开嵌入的对象;请确认来源", "do not open the embedded objects; check where the file came from"),
    "activex-controls": _c("return", "warning", "工作簿含有 {count} 个 ActiveX 控件(未运行)", "the workbook holds {count} ActiveX control(s) (never run)",
                           "ActiveX 控件在 Excel 中打开时可能运行代码:请确认来源", "ActiveX controls can run code when Excel opens the file: check where it came from"),
    "data-connections": _c("return", "warning", "工作簿含有外部数据连接({detail}),在 Excel 中打开或刷新时会连接外部数据",
                           "the workbook has external data connections ({detail}); Excel connects to them when it is opened or refreshed",
                           "不要刷新数据;请对方删除连接后重新发送", "do not refresh the data; ask for a copy without the connections"),
    "name-collision": _c("table", "warning", "{what}“{original}”与“{other}”的文件名相同({name}),已另存为 {written}",
                         "{what} '{original}' and '{other}' make the same file name ({name}); written as {written}",
                         "若要按名称区分这些文件,请在花名册中改掉其中一个名称", "rename one of them in the roster to tell the files apart by name"),
    "name-shortened": _c("table", "info", "{what}“{original}”作文件名过长,已缩短为 {written}",
                         "{what} '{original}' is too long for a file name; shortened to {written}", "", ""),
    "path-not-a-file": _c("usage", "error", "{path} 不是普通文件,而是{kind}", "{path} is not a regular file but {kind}",
                          "给出文件本身的路径", "give the path of the file itself"),
    "disk-full": _c("usage", "error", "磁盘空间不足,无法写入 {path}", "no space left on the disk to write {path}",
                    "腾出磁盘空间或用 -o 写到其他磁盘后重新运行;本次写出的内容不完整",
                    "free space on that disk or write elsewhere (-o), then run again; what this run wrote is incomplete"),
    "out-of-memory": _c("usage", "error", "内存不足: {detail}", "out of memory: {detail}",
                        "关闭其他程序,或在内存更大的机器上运行;输入很大时分批处理",
                        "close other programs or run on a machine with more memory; split very large inputs"),
    "addin-file-exists": _c("usage", "error", "{path} 已存在且不是 xl-kpi 写的", "{path} exists and was not written by xl-kpi",
                            "换一个输出文件夹(-o),或先移走该文件", "choose another output folder (-o) or move the file away"),
    # --- after consolidation: send back, chase, calibrate, letters, appeals (issue 30) --------------
    "roster-bad-email": _c("table", "warning", "{column} 的值 {value!r} 不是电子邮件地址,草稿的收件人留空",
                           "{column}: {value!r} is not an e-mail address; the draft's recipient is left blank",
                           "写成 name@company.com;没有则留空", "write it as name@company.com; leave it blank if none"),
    "sendback-unannotatable": _c("followup", "warning", "无法生成标注副本({detail}),改为重新发出原工作簿",
                                 "cannot annotate this file ({detail}); the workbook as issued is sent instead",
                                 "把发给此人的原工作簿再发一次,请其重新填写", "send the workbook as issued again and ask for it to be filled in"),
    "sendback-no-workbook": _c("followup", "warning", "找不到发给 {employee_id} 的原工作簿:{why}",
                               "the workbook issued to {employee_id} cannot be found: {why}",
                               "用 --issued 指向 build 写出的 issued.sqlite,其文件夹中应有发出的工作簿",
                               "point --issued at the issued.sqlite build wrote; the issued workbooks are in its folder"),
    "chase-no-address": _c("followup", "info", "{who} 没有邮箱地址,草稿的收件人为空", "{who} has no e-mail address: the draft has no recipient",
                           "在花名册中加 email(和 manager_email)列", "add email (and manager_email) columns to the roster"),
    "potential-unreadable": _c("table", "warning", "{employee_id} 的潜力评级“{value}”无法识别,九宫格中不放此人",
                               "{employee_id}: the potential '{value}' cannot be read; left out of the nine-box",
                               "填写 高/中/低、high/medium/low 或 3/2/1", "write 高/中/低, high/medium/low or 3/2/1"),
    "calibration-not-ours": _c("usage", "error", "{path} 不是 xl-kpi 生成的校准表", "{path} is not a calibration workbook xl-kpi wrote",
                               "收回用 xl-kpi calibrate build 生成并填写过的校准表", "collect the calibration workbooks xl-kpi calibrate build wrote, as filled in"),
    "calibration-no-reason": _c("followup", "error", "{employee_id} {name}: 等级由 {original} 改为 {calibrated},但缺少{missing},未采用",
                                "{employee_id} {name}: grade moved from {original} to {calibrated} without {missing}; not applied",
                                "在校准表中写明调整理由和校准人后重新收回", "write the reason and who decided in the calibration workbook, then collect it again"),
    "calibration-other-scale": _c("followup", "error", "{employee_id} {name}: 校准等级“{calibrated}”不是其考核表的等级({labels}),未采用",
                                  "{employee_id} {name}: '{calibrated}' is not a grade of their card ({labels}); not applied",
                                  "只能选择本人考核表的等级:等级不跨标尺调整", "pick one of their own card's grades: grades never move across scales"),
    "calibration-stale": _c("followup", "error", "{employee_id} {name}: 校准表中的结果({found})与历史库中的当前结果({current})不同,未采用",
                            "{employee_id} {name}: the result in the calibration workbook ({found}) is not the current one ({current}); not applied",
                            "结果在生成校准表后被重新汇总过:重新生成校准表后再校准", "the result was consolidated again since: build the calibration workbook again"),
    "calibration-edited": _c("followup", "error", "{employee_id} {name}: 校准表中锁定的{what}被改为 {found}(应为 {expected}),此人未采用",
                             "{employee_id} {name}: the locked {what} was changed to {found} (expected {expected}); not applied",
                             "不要修改汇总结果:只在“校准等级”“调整理由”“校准人”列填写", "do not edit the results: fill in only the calibrated grade, reason and name"),
    "calibration-missing-person": _c("followup", "warning", "{employee_id} 不在校准表中(行被删除或员工编号被改),未校准",
                                     "{employee_id} is no longer in the calibration workbook (a row deleted or an id changed); not calibrated",
                                     "用原校准表重新填写", "fill in the workbook as it was built"),
    "guideline-missed": _c("followup", "warning", "{scope}: 分布指引 {rule} 未满足(校准后 {count} 人,{detail})",
                           "{scope}: the guideline {rule} is not met ({count} after calibration, {detail})",
                           "核对是否需要继续校准;指引只是参考,不满足时结果照常采用",
                           "check whether to calibrate further; a guideline guides: the results are applied all the same"),
    "letter-not-ours": _c("usage", "error", "{path} 不是 xl-kpi 生成的结果通知书或申诉表", "{path} is not a letter or appeal form xl-kpi wrote",
                          "收回 xl-kpi letters / appeal form 生成并填写过的文件", "collect the files xl-kpi letters or appeal form wrote, as filled in"),
    "talk-unsigned": _c("followup", "warning", "{employee_id} {name}: 面谈记录缺少{who}签字", "{employee_id} {name}: the talk record lacks {who}'s signature",
                        "请双方在面谈记录上签字后交回", "have both sign the talk record and return it"),
    "talk-empty": _c("followup", "info", "{employee_id} {name}: 面谈记录尚未填写,未记入历史库", "{employee_id} {name}: the talk record is blank; nothing recorded",
                     "面谈后由直接上级填写", "the supervisor fills it in after the talk"),
    "appeal-no-result": _c("usage", "error", "{employee_id} 在 {period} 没有可申诉的结果(状态:{status})",
                           "{employee_id} has no result to appeal for {period} (status: {status})",
                           "只有完整、可信的结果(ok)才会通知和申诉;先处理其回收表", "only complete, trusted results are announced and appealed: settle the return first"),
    "appeal-incomplete": _c("followup", "error", "{employee_id} {name}: 申诉表缺少{what},未记入", "{employee_id} {name}: the appeal lacks {what}; not recorded",
                            "补填后重新收回", "fill it in and collect it again"),
    "appeal-stale": _c("followup", "error", "{employee_id} {name}: 申诉针对的结果({found})已不是当前结果({current}),未记入",
                       "{employee_id} {name}: the result appealed ({found}) is no longer the current one ({current}); not recorded",
                       "为当前结果重新生成申诉表", "write an appeal form for the current result"),
    "history-no-period": _c("usage", "error", "历史库 {path} 中没有 {period} 的结果", "the history {path} holds no results for {period}",
                            "先用 consolidate --history 汇总该期间,或用 --period 指定已汇总的期间({periods})",
                            "consolidate that period with --history first, or give a consolidated period with --period ({periods})"),
    # --- the command line as typed (exit code 2; Ctrl-C: 130) ------------------------------------
    "unknown-command": _c("usage", "error", "没有命令 {name!r}", "there is no command {name!r}",
                          "{close}可用命令: {known}", "{close}the commands are: {known}"),
    "missing-command": _c("usage", "error", "缺少命令", "no command given",
                          "可用命令: {known}(xl-kpi -h 查看说明)", "the commands are: {known} (xl-kpi -h explains them)"),
    "unknown-option": _c("usage", "error", "{command} 没有选项 {option}", "{command} has no option {option}",
                         "{close}用法: {usage}", "{close}usage: {usage}"),
    "missing-argument": _c("usage", "error", "{command} 缺少{what} {name}", "{command} needs {what} {name}",
                           "用法: {usage}", "usage: {usage}"),
    "option-needs-value": _c("usage", "error", "选项 {option} 后面要写 {metavar}", "option {option} needs a value: {metavar}",
                             "用法: {usage}", "usage: {usage}"),
    "option-takes-no-value": _c("usage", "error", "选项 {option} 不带值", "option {option} takes no value",
                                "只写 {option}", "write {option} alone"),
    "extra-arguments": _c("usage", "error", "多余的参数: {args}", "unexpected argument(s): {args}",
                          "含空格的路径要加引号;用法: {usage}", "put a path with spaces in quotes; usage: {usage}"),
    "bad-command-line": _c("usage", "error", "{option} 的写法无法读取", "{option} cannot be read as written",
                           "用法: {usage}", "usage: {usage}"),
    "bad-language": _c("usage", "error", "XL_KPI_LANG={value} 不是 xl-kpi 的界面语言", "XL_KPI_LANG={value} is not a language xl-kpi speaks",
                       "设为 zh(中文)或 en(英文),或删除它以跟随系统语言",
                       "set it to zh (Chinese) or en (English), or unset it to follow the system's language"),
    "interrupted": _c("usage", "error", "已中断(Ctrl-C):已写出的文件都是完整的,其余没有写出",
                      "interrupted (Ctrl-C): the files written are complete, the rest were not written",
                      "重新运行同一命令即可完成(退出码 130)", "run the same command again to finish (exit code 130)"),
    # --- cards of points and judged items (分值制, 评分人打分) ---------------------------------------------
    "points-and-weight": _c("spec", "error", "分值制的表中指标只写分值,不写权重", "on a card of points an indicator gives points, not a weight",
                            "删去 weight,保留 points(如 points: 20)", "remove weight and keep points (e.g. points: 20)"),
    "points-missing": _c("spec", "error", "其他指标都有分值,这一项没有", "the other indicators give points and this one does not",
                         "写上该项的分值,如 points: 10", "give its points, e.g. points: 10"),
    "points-range": _c("spec", "error", "分值 {value:g} 应大于 0 且不超过 {max:g}", "points {value:g} must be above 0 and at most {max:g}",
                       "写该项的满分,如 points: 20", "give the item's full points, e.g. points: 20"),
    "points-section-total": _c("spec", "error", "考核维度“{name}”有权重,其指标分值合计应为 100,现为 {total:g}",
                               "section '{name}' has a weight, so its indicators' points must total 100; they total {total:g}",
                               "让该维度的指标分值合计 100,或删去全部维度的权重(各维度按分值相加)",
                               "make its points total 100, or drop every section's weight (the sections then add their points up)"),
    "points-section-weights": _c("spec", "error", "分值制的考核维度要么都写权重,要么都不写", "on a card of points either every section has a weight or none has",
                                 "全部写权重(每个维度内分值合计 100),或全部不写(按分值相加)",
                                 "give every section a weight (points totalling 100 in each) or none (they add their points up)"),
    "grade-unreachable": _c("spec", "warning", "各项都得最高分时总分为 {best:g},达不到最高等级“{label}”的 {min:g} 分",
                            "with the best score on every indicator the total is {best:g}, short of the top grade '{label}' at {min:g}",
                            "核对各项分值(或封顶分)与等级标准是否一致", "check the indicators' points (or caps) against the grade scale"),
    "judged-range": _c("spec", "error", "评分范围 {min:g}–{max:g} 不对", "the range {min:g}–{max:g} cannot be rated",
                       "写成 min < max,max 大于 0,且都不超过 ±{limit:g}", "write min < max with max above 0, both within ±{limit:g}"),
    "import-no-header": _c("import", "error", "没有找到指标表的表头;最接近的是这一行,其中不认识的词: {words}",
                           "no indicator table header found; the closest is this row, whose unknown words are: {words}",
                           "把表头写成 {names} 这样的列名", "name the columns like {names}"),
    "import-second-table": _c("import", "error", "这张表下面还有第二张指标表:xl-kpi 每张工作表读一张指标表",
                              "a second indicator table starts here: xl-kpi reads one indicator table per sheet",
                              "把第二张表放到单独的工作表,或合并为一张表(用考核维度区分,并写明各维度权重)",
                              "put it on a sheet of its own, or make one table of both (sections with their weights)"),
    "import-section-points": _c("import", "error", "考核维度“{name}”写的是 {said:g} 分,其各项分值合计 {total:g} 分",
                                "section '{name}' says {said:g} points but its items total {total:g}",
                                "让维度的分值与其各项分值之和一致", "make the section's points the sum of its items' points"),
    "judged-level": _c("spec", "error", "等级“{label}”的 {low:g}–{high:g} 分超出评分范围 {min:g}–{max:g}",
                       "level '{label}' spans {low:g}–{high:g}, outside the range {min:g}–{max:g}",
                       "让每个等级的分数落在评分范围内", "keep every level within the range"),
    "step-cutoff": _c("spec", "error", "不得分线 {cutoff:g} 在目标值 {target:g} 好的一侧:达到目标也会得 0 分",
                      "the cutoff {cutoff:g} lies on the better side of the target {target:g}: the target itself would score 0",
                      "不得分线应差于目标,如目标 95% 时 低于80%不得分", "put the cutoff on the worse side, e.g. target 95%, below 80%: 0 pts"),
    "rank-direction": _c("spec", "error", "名次计分的方向应为 越低越好(lower):第1名最好", "a rank is scored lower-is-better: first place is the best",
                         "写 direction: lower", "write direction: lower"),
    "rank-points": _c("spec", "error", "每提前一名加分 ahead 和每退后一名扣分 behind 应不小于 0,且至少一个大于 0",
                      "ahead and behind must not be negative, and one of them must be above 0",
                      "如每退后一名扣 10 分: behind: 10", "e.g. 10 points off per place behind: behind: 10"),
    "rank-bonus-limit": _c("spec", "warning", "第1名按规则应得 {best:g} 分,但得分不超过 {limit:g} 分", "first place would earn {best:g} by the rule, but scores stay within {limit:g}",
                           "写明最高分,如 最高120分(cap: 120)", "write a cap, e.g. 最高120分 (cap: 120)"),
    "rank-target": _c("spec", "error", "目标名次 {value:g} 应为 1 或更大的整数", "the target rank {value:g} must be a whole number from 1",
                      "目标值写名次,如 3(第3名)", "write the target as a rank, e.g. 3 (third place)"),
    # --- every rater in their own workbook (issue 26) ---------------------------------------------
    "peer-rater-twice": _c("spec", "error", "只能有一个 role: peer 的评分人(同事互评)", "only one rater may have role: peer (360 peers)",
                           "把同事互评合并为一个评分人,每人的互评同事在花名册或评分人名单中给出",
                           "make the peers one rater; each person's peers are listed in the roster or the rater list"),
    "peer-slot-id": _c("spec", "error", "评分人标识 {value!r} 与同事互评 {peer} 的编号冲突(互评同事依次记为 {peer}_1、{peer}_2…)",
                       "rater id {value!r} clashes with the peers of {peer} (they are numbered {peer}_1, {peer}_2, …)",
                       "给这个评分人换一个标识", "give this rater another id"),
    "roster-no-rater": _c("table", "error", "{employee_id} {name} 的考核表({template})需要{role}评分,但没有给出{role}",
                          "{employee_id} {name}'s scorecard ({template}) is rated by the {role}, but no {role} is given",
                          "在花名册填写直接上级/复核人/互评人列,或用 --raters 给出评分人名单;小团队也可用 --ratings inline 把评分留在员工的文件里",
                          "fill in the roster's manager, reviewer or peers column, or give a rater list (--raters); "
                          "a small team may keep the ratings in the employee's file (--ratings inline)"),
    "roster-self-rater": _c("table", "error", "{employee_id} 被列为自己的{role}", "{employee_id} is listed as their own {role}",
                            "换一位评分人", "name someone else"),
    "roster-rater-twice": _c("table", "error", "{employee_id} 有多位直接上级或复核人:{raters}", "{employee_id} has several supervisors or reviewers: {raters}",
                             "每人只写一位直接上级和一位复核人;多位同事评分请用互评(peer)", "give one supervisor and one reviewer each; several raters are peers"),
    "rater-list-unknown-person": _c("table", "error", "评分人名单中的 {employee_id} 不在花名册中", "{employee_id} in the rater list is not on the roster",
                                    "核对工号", "check the employee id"),
    "rater-list-role": _c("table", "error", "评分角色“{value}”无法识别", "the rater role '{value}' cannot be read",
                          "写 上级、复核 或 同事(supervisor、reviewer、peer)", "write supervisor, reviewer or peer (上级、复核、同事)"),
    "results-unreadable": _c("usage", "error", "{path} 中没有可用的汇总结果({detail})", "no consolidated results can be read in {path} ({detail})",
                             "给出 xl-kpi consolidate 的输出文件夹(含 scores.csv)", "give the folder xl-kpi consolidate wrote (with scores.csv)"),
    "ratings-mode": _c("usage", "error", "{option} 需要单独的评分表(--ratings separate)", "{option} needs separate rating workbooks (--ratings separate)",
                       "去掉 {option},或改用 --ratings separate", "drop {option} or use --ratings separate"),
    "ratings-inline": _c("table", "warning", "评分留在员工的文件中(单文件模式,仅能防误改):花名册没有给出 {who} 的评分人",
                         "ratings stay in the employees' own workbooks (single file: deterrence only): the roster names no rater for {who}",
                         "在花名册填写直接上级/复核人/互评人列(或用 --raters 给出评分人名单),各评分人就会得到自己的评分表;或明确指定 --ratings inline",
                         "fill in the roster's manager, reviewer and peers columns (or give --raters) and each rater gets a workbook of "
                         "their own; or say --ratings inline"),
    "single-file-ratings": _c("table", "warning", "所有评分都在员工本人的文件中(单文件模式):各评分角色的密码只能防误改,持有文件的人仍可填写任何单元格,汇总时无法分辨",
                              "every rating is in the employee's own workbook (single file): each role's password only deters; whoever holds "
                              "the file can still fill any cell, and consolidation cannot tell",
                              "评分人多或评分要算绩效时,用 --ratings separate 让每位评分人在自己的评分表中评分",
                              "when ratings count for pay, use --ratings separate: each rater rates in a workbook of their own"),
    "rating-not-issued": _c("return", "error", "{rater} 的评分表中有 {employee_id} 的评分,但没有向该评分人发出过对此人的评分;已拒收",
                            "{rater}'s rating workbook rates {employee_id}, who was not issued to that rater; refused",
                            "只采用向该评分人发出的人员;请核实文件是否被改动", "only the people issued to a rater count; check whether the file was changed"),
    "input-not-issued": _c("return", "warning", "{what} 在本文件中填写了 {value},但该项由{role}在其评分表中填写;已忽略",
                           "{what} was filled in with {value} here, but it is the {role}'s to fill in their own rating workbook; ignored",
                           "评分以评分人自己的文件为准;请向本人了解为何填写", "the rater's own workbook counts; ask why it was filled in here"),
    "rater-missing": _c("return", "warning", "{employee_id} {name}:{role} {rater} 尚未交回评分表", "{employee_id} {name}: the {role} {rater} has not returned their ratings",
                        "请催交该评分人的评分表(xl-kpi chase 列出并起草邮件);评分齐全前不计总分和绩效工资",
                        "chase that rater's workbook (xl-kpi chase lists it and drafts the e-mail); no total or pay until every rating is in"),
    "duplicate-rating": _c("return", "warning", "{rater} 对 {employee_id} 的评分重复提交,内容相同,保留 {kept}",
                           "{rater}'s ratings of {employee_id} were returned more than once, the same each time; kept {kept}",
                           "确认哪一份是最终版本", "confirm which copy is final"),
    "conflicting-ratings": _c("return", "error", "{rater} 对 {employee_id} 的评分有 {count} 份不同的版本:{files};均未采用",
                              "{rater}'s ratings of {employee_id} came back in {count} different versions: {files}; none used",
                              "请评分人确认最终版本,只交回一份", "ask the rater which version is final and to return only that one"),
    "rating-rows-moved": _c("return", "info", "评分表的行被移动或排序({detail}),已按员工编号逐行读取",
                            "the rating sheet's rows were moved or sorted ({detail}); each row was read by its employee id", "", ""),
    "rating-ignored": _c("return", "warning", "{rater} 对 {employee_id} 的评分未采用:此人的考核表发出时包含全部评分(单文件模式)",
                         "{rater}'s ratings of {employee_id} are not used: that person's workbook was issued with every rating in it (single file)",
                         "评分以员工文件中的评分为准;如需分开评分,请重新发放", "the ratings in the employee's workbook count; re-issue to rate separately"),
    "rating-blank": _c("return", "warning", "{rater} 尚未评分:{what}", "{rater} has not rated {what}",
                       "请评分人补评后交回(xl-kpi chase 会列出);评分齐全前不计总分和绩效工资",
                       "ask the rater to fill it in and return it (xl-kpi chase lists them); no total or pay until every rating is in"),
    # --- the goal-setting round (xl-kpi build --phase goals, xl-kpi goals collect) ---------------
    "goals-not-ours": _c("goals", "error", "不是 xl-kpi 生成的目标设定表({detail})", "not a goals workbook xl-kpi wrote ({detail})",
                         "收回 build --phase goals 生成并填写过的文件", "collect the files build --phase goals wrote, as filled in"),
    "goals-not-issued": _c("goals", "error", "{employee_id}: 登记册中没有这份目标设定表(编号 {workbook}),未采用",
                           "{employee_id}: the register does not know this goals workbook (id {workbook}); not used",
                           "只收回登记册中发出的目标设定表;用 --issued 指向 build --phase goals 写出的 issued.sqlite",
                           "collect only goals workbooks the register issued; point --issued at the issued.sqlite build --phase goals wrote"),
    "goals-edited": _c("goals", "warning", "{employee_id} {name}: 锁定的{what}被改为 {found}(发出时为 {issued}),按发出时的内容处理",
                       "{employee_id} {name}: the locked {what} was changed to {found} (issued {issued}); the issued one is used",
                       "只在蓝色和黄色单元格填写", "fill in only the blue and yellow cells"),
    "goal-missing": _c("goals", "warning", "{employee_id} {name}: “{indicator}”没有填写目标值", "{employee_id} {name}: no target proposed for '{indicator}'",
                       "在“我的目标”列填写目标值", "fill in 'My target'"),
    "goal-no-sentence": _c("goals", "warning", "{employee_id} {name}: “{indicator}”没有目标描述", "{employee_id} {name}: no goal sentence for '{indicator}'",
                           "按 SMART 写一句目标:做什么、达到多少、何时完成", "write the goal SMART: what, how much, by when"),
    "goal-below-baseline": _c("goals", "warning", "{employee_id} {name}: “{indicator}”目标 {proposed} 低于基准目标 {baseline}(历史平均 {mean}),且没有说明理由",
                              "{employee_id} {name}: the target {proposed} for '{indicator}' is below the baseline {baseline} (history {mean}) with no reason given",
                              "用数据说明理由(资源、市场、历史),或提出替代方案,如较低目标加一个过程目标",
                              "argue it with data (resources, market, history) or propose an alternative, e.g. a lower target plus a process target"),
    "goal-below-baseline-argued": _c("goals", "info", "{employee_id} {name}: “{indicator}”目标 {proposed} 低于基准目标 {baseline}(历史平均 {mean}),理由: {reason}",
                                     "{employee_id} {name}: the target {proposed} for '{indicator}' is below the baseline {baseline} (history {mean}); reason: {reason}",
                                     "由上级和 HR 判断理由是否成立", "the supervisor and HR judge the reason"),
    "goal-not-smart": _c("goals", "warning", "{employee_id} {name}: “{indicator}”的目标描述“{text}”不符合 SMART: {reasons}",
                         "{employee_id} {name}: the goal '{text}' for '{indicator}' is not SMART: {reasons}",
                         "{suggestion}", "{suggestion}"),
    "goal-adjusted": _c("goals", "info", "{employee_id} {name}: 上级把“{indicator}”的目标由 {proposed} 调整为 {agreed}({note})",
                        "{employee_id} {name}: the supervisor changed the target for '{indicator}' from {proposed} to {agreed} ({note})"),
    "goal-not-agreed": _c("goals", "warning", "{employee_id} {name}: “{indicator}”的目标未确认({why})",
                          "{employee_id} {name}: the goal for '{indicator}' is not agreed ({why})",
                          "上级在“上级意见”选同意或调整(调整时填写确认的目标)", "the supervisor picks Agree or Adjust (with the agreed target)"),
    "goal-personal-bounds": _c("goals", "warning", "{employee_id} {name}: “{indicator}”{what}", "{employee_id} {name}: '{indicator}': {what}",
                               "按 HR 给出的范围修改", "keep within what HR allows"),
    "goals-card": _c("goals", "warning", "{employee_id} {name}: {what}", "{employee_id} {name}: {what}",
                     "种子文档: 3–5 个指标,权重合计 100%,结果指标与过程指标兼顾",
                     "the seed: 3–5 indicators, weights totalling 100%, results balanced by process indicators"),
    "goals-not-confirmed": _c("goals", "warning", "{employee_id} {name}: 目标确认没有上级签字,目标未采用",
                              "{employee_id} {name}: the target sign-off (目标确认) has no supervisor signature; goals not used",
                              "上级在“目标确认”处签字并填写日期后交回", "the supervisor signs and dates the sign-off, then return it"),
    "goals-conflict": _c("goals", "error", "{employee_id} {name}: 交回的多份目标设定表内容不同({files}),都未采用",
                         "{employee_id} {name}: copies of the goals workbook that differ ({files}); neither is used",
                         "与员工和上级确认哪一份是确认的目标,只交回那一份", "ask the employee and supervisor which copy holds the agreed goals and collect only that one"),
    "target-change-approved": _c("return", "info", "{indicator} 的目标经批准由 {old} 改为 {new}(第 {version} 版,{date},批准人 {approver}: {reason}),按新目标计分",
                                 "the target of {indicator} was changed from {old} to {new} by approval (version {version}, {date}, "
                                 "approved by {approver}: {reason}); scored against the new target"),
    "goal-change-invalid": _c("usage", "error", "目标变更无法采用: {why}", "the target change cannot be accepted: {why}",
                              "{fix}", "{fix}"),
    "goals-personal-card": _c("goals", "info", "{employee_id} {name}: 确认的考核表与模板不同({what}),个人规格: {spec}",
                              "{employee_id} {name}: the agreed card differs from the template ({what}); personal spec: {spec}",
                              "生成考核表时加上 personal_specs/ 中的规格,并用 collect 写出的 roster.csv(已指向个人规格)",
                              "build with the specs in personal_specs/ added, and the roster.csv collect wrote (it names them)"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing found about an input: where (file, sheet, cell or field, person), what, and the fix."""

    code: str
    severity: Severity
    message: Text
    hint: Text | None = None
    file: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""  # a place in a structured input: "indicators[2].weight", "line 3"
    employee_id: str = ""

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        # by its constructor, twice as fast as a slotted frozen dataclass's own state (a run stores one per issue)
        return Finding, (self.code, self.severity, self.message, self.hint, self.file, self.sheet, self.cell, self.field,
                         self.employee_id)

    @property
    def location(self) -> str:
        """``sheet!cell``, the cell, or the field: what follows the file name in a message."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.cell or self.field or self.sheet

    def at(self, *, file: str | None = None, sheet: str | None = None, cell: str | None = None, field: str | None = None,
           employee_id: str | None = None) -> Finding:
        """The same finding with its location filled in (the parts given)."""
        where = {"file": file, "sheet": sheet, "cell": cell, "field": field, "employee_id": employee_id}
        return dataclasses.replace(self, **{k: v for k, v in where.items() if v is not None})  # type: ignore[arg-type]

    def render(self, lang: Lang | None = None) -> str:
        """One line: ``file: location: message — how to fix``."""
        lang = lang or ui_lang()
        where = ": ".join(p for p in (self.file, place(self.location, lang)) if p)
        text = self.message(lang)
        if self.hint is not None and self.hint(lang):
            text += " — " + self.hint(lang)
        tag = {"error": "", "warning": "警告 " if lang == "zh" else "warning ", "info": "提示 " if lang == "zh" else "note "}[self.severity]
        return f"{where}: {tag}{text}" if where else tag + text

    def as_dict(self, lang: Lang | None = None) -> dict[str, str]:
        """The flat record (JSON output of ``check`` and the API): file, location, code, severity, message, hint."""
        lang = lang or ui_lang()
        return {"file": self.file, "location": self.location, "code": self.code, "severity": self.severity,
                "message": self.message(lang), "hint": self.hint(lang) if self.hint else ""}

    def row(self, lang: Lang | None = None) -> dict[str, str]:
        """The flat record of a report row (``issues.csv``)."""
        lang = lang or ui_lang()
        return {"file": self.file, "sheet": self.sheet, "employee_id": self.employee_id, "cell": self.cell or self.field,
                "code": self.code, "severity": self.severity, "message": self.message(lang),
                "hint": self.hint(lang) if self.hint else ""}


_LINE = re.compile(r"^line (\d+)(?:, column (\d+))?$")


def place(location: str, lang: Lang) -> str:
    """A location as a message shows it: "line 3, column 5" is "第 3 行第 5 列" in Chinese."""
    found = _LINE.match(location) if lang == "zh" else None
    if found is None:
        return location
    return f"第 {found[1]} 行" + (f"第 {found[2]} 列" if found[2] else "")


def _values(fields: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The fields as ``lang``'s message shows them: a Text in that language, an exception's text, typed
    text with its line breaks folded."""
    out = {}
    for k, v in fields.items():
        if isinstance(v, Text):
            v = v(lang)
        elif isinstance(v, BaseException):
            v = str(v)
        if isinstance(v, str) and ("\n" in v or "\r" in v):
            v = " ".join(v.split())
        out[k] = v
    return out


@functools.cache
def _fixed_hint(code: str) -> Text | None:
    """The code's fix when it names no field (most do not): one Text for every finding of the code."""
    entry = CATALOGUE[code]
    if not (entry.fix_zh or entry.fix_en) or "{" in entry.fix_zh + entry.fix_en:
        return None
    return Text(entry.fix_zh, entry.fix_en)


def finding(code: str, *, file: str = "", sheet: str = "", cell: str = "", field: str = "", employee_id: str = "",
            **fields: Any) -> Finding:
    """A :class:`Finding` from the catalogue, its message and fix filled with ``fields`` (Text picks a language)."""
    entry = CATALOGUE[code]
    values = {"sheet": sheet, "employee_id": employee_id, "cell": cell, **{k: ("" if v is None else v) for k, v in fields.items()}}
    zh, en = _values(values, "zh"), _values(values, "en")
    message = Text(entry.zh.format(**zh) if entry.zh else "", entry.en.format(**en) if entry.en else "")
    hint = _fixed_hint(code)
    if hint is None and (entry.fix_zh or entry.fix_en):
        hint = Text(entry.fix_zh.format(**zh) if entry.fix_zh else "", entry.fix_en.format(**en) if entry.fix_en else "")
    return Finding(code, entry.severity, message, hint, file, sheet, cell, field, employee_id)


AREAS = {"import": "HR's own tables (`xl-kpi import`)", "spec": "Specs (`xl-kpi check`)", "table": "Tables: rosters, actuals, targets", "actual": "Actuals as typed",
         "return": "Returned workbooks (`xl-kpi consolidate`)", "review": "Self-reviews and comments",
         "followup": "After consolidation: send back, chase, calibrate, letters, appeals", "usage": "Calls that cannot be carried out (exit code 2)",
         "goals": "The goal-setting round (`build --phase goals`, `goals collect`)"}


def markdown_table() -> str:
    """Every code as a Markdown table per area: the generated body of ``docs/findings.md``."""
    lines = ["# Findings: every code xl-kpi reports", "",
             "Generated from `xl_kpi/core/findings.py` by `python docs/make_findings.py`;",
             "a test keeps this page equal to the catalogue. `{…}` are the values filled in for each finding.", ""]
    for area, title in AREAS.items():
        lines += [f"## {title}", "", "| code | severity | message (zh) | message (en) | fix |", "| --- | --- | --- | --- | --- |"]
        for code, entry in CATALOGUE.items():
            if entry.area == area:
                cells = [f"`{code}`", entry.severity, entry.zh, entry.en, entry.fix_en or entry.fix_zh]
                lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


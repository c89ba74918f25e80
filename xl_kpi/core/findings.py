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
from typing import Any

from .code import Code, Severity
from .code import entry as _c
from .codes_inputs import INPUT_CODES
from .codes_recent import RECENT_CODES
from .codes_returns import RETURN_CODES
from .text import Lang, Text, ui_lang

__all__ = ["Severity", "Code", "Finding", "CATALOGUE", "finding", "markdown_table", "place"]


def _merged(*parts: dict[str, Code]) -> dict[str, Code]:
    """The catalogue's parts as one, in order; a code defined in two parts is a mistake, not an override."""
    out: dict[str, Code] = {}
    for part in parts:
        twice = out.keys() & part.keys()
        if twice:
            raise RuntimeError(f"finding codes defined twice: {sorted(twice)}")
        out.update(part)
    return out


# Part three (parts one and two: codes_inputs.py, codes_returns.py; four: codes_recent.py, where new codes go): after
# consolidation, the command line as typed, cards of points, raters' own workbooks.
_LATER: dict[str, Code] = {
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
}
CATALOGUE: dict[str, Code] = _merged(INPUT_CODES, RETURN_CODES, _LATER, RECENT_CODES)


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


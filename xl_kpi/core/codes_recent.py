"""Findings, part four: the goal-setting round and the codes that came after it (input formulas, protection on a
card of one's own inputs, several kinds of event in one indicator). New codes go at the end of this part."""

from __future__ import annotations

from .code import Code
from .code import entry as _c

RECENT_CODES: dict[str, Code] = {
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
    "goals-awaiting-supervisor": _c("goals", "warning", "{employee_id} {name}: 上级 {supervisor} 的目标确认表未交回(或没有此人),目标未采用",
                                    "{employee_id} {name}: {supervisor}'s goals workbook was not returned (or does not cover them); goals not used",
                                    "请上级 {supervisor} 确认签字后交回目标确认表", "ask {supervisor} to agree, sign and return their goals workbook"),
    "goals-awaiting-employee": _c("goals", "warning", "{employee_id} {name}: 上级已确认目标,但员工的目标设定表未交回,目标未采用",
                                  "{employee_id} {name}: the supervisor agreed, but the employee's goals workbook was not returned; goals not used",
                                  "请员工交回自己的目标设定表", "ask the employee to return their goals workbook"),
    "invalid-level": _c("actual", "error", "{indicator} 的评分 {value} 不是可选的等级({levels})", "{indicator}: rating {value} is not one of the levels ({levels})",
                        "从下拉列表中选择等级", "pick the level from the drop-down list"),
    "protection-changed-own": _c("return", "warning", "与发出时不同:{what};此表只含本人自己填写的内容,规则已按 HR 发出的核对,照常计分",
                                 "not as issued: {what}; the workbook holds only the person's own inputs and its rules were checked "
                                 "against HR's issue: scored as usual",
                                 "无需处理;可提醒本人下次保留工作表保护(如在 Google 表格中填写,下载时保护会丢失)",
                                 "nothing to do; remind them to keep the protection (a workbook filled in Google Sheets loses it on download)"),
    "input-formula": _c("return", "warning", "{what} 的 {cell} 填的是公式 ={formula},汇总按它保存的结果 {value} 计算",
                        "{what}: {cell} holds a formula (={formula}); consolidation takes its saved result {value}",
                        "请员工在该单元格直接填写数值(公式的结果可能随其他单元格、日期或程序而变)",
                        "ask the person to type the value itself (a formula's result may change with other cells, the date or the program)"),
    # --- several kinds of event in one indicator (issue 25) ---------------------------------------
    "events-shape": _c("spec", "error", "事件列表应为若干项,每项有名称与每次分数", "events must be a list, each with a name and its points per case",
                       "如 events: [{{name: 投诉不及时, points: -2}}, {{name: 发放错误, points: -5}}]",
                       "e.g. events: [{{name: late reply, points: -2}}, {{name: wrong payment, points: -5}}]"),
    "events-points": _c("spec", "error", "事件“{name}”的每次分数应不为 0、在 ±{limit:g} 之内,上限 max 应大于 0",
                        "event '{name}': its points per case must be non-zero and within ±{limit:g}, its max above 0",
                        "扣分写负数、加分写正数,如 points: -2", "write a deduction as a negative number, a bonus as a positive one: points: -2"),
    "events-bonus-cap": _c("spec", "error", "加分事件“{name}”没有上限", "the bonus event '{name}' has no limit",
                           "给它写 max(最多加几分),或给本项写 cap(最高分)", "give it a max, or the indicator a cap"),
    "events-rated": _c("spec", "error", "“{indicator}”按事件计次,次数只填一次,不能由多位评分人分别评分",
                       "'{indicator}' counts events: the counts are entered once, not by each rater",
                       "去掉该指标的 raters", "remove the indicator's raters"),
    "invalid-event-count": _c("actual", "error", "{indicator}“{event}”的次数 {value} 无法识别{reason},该项暂不计分",
                              "{indicator}, '{event}': the count {value} cannot be read{reason}; not scored",
                              "填写发生的次数:0 或正整数,如 2;没有发生填 0",
                              "enter how many times: 0 or a whole number, e.g. 2; 0 if never"),
    "missing-event-count": _c("actual", "warning", "{indicator}“{event}”未填写次数,该项暂不计分",
                              "{indicator}, '{event}': no count entered; not scored", "没有发生填 0", "enter 0 if it never happened"),
    # --- a return of a card HR has since issued again --------------------------------------------
    "superseded-issue": _c("return", "error", "{employee_id} 交回的是 {issued_at} 发出的考核表;HR 已于 {newer_at} 重新发出({newer_file}),"
                           "{what}已不同:此表的结果不计发绩效工资",
                           "{employee_id} returned the card issued {issued_at}; HR issued it again on {newer_at} ({newer_file}) with "
                           "{what} changed: this return's result is not paid",
                           "请员工在重新发出的考核表中填写后交回(sendback 会附上新表);若旧表有效,请重新发出与它相同的表",
                           "ask the person to fill in the card issued again and return it (sendback attaches it); if the old card stands, issue it again"),
    "superseded-same": _c("return", "info", "{employee_id} 交回的是 {issued_at} 发出的考核表;HR 于 {newer_at} 重新发出的表({newer_file})"
                          "规则、目标和奖金基数相同,按交回的表计分",
                          "{employee_id} returned the card issued {issued_at}; the card HR issued again on {newer_at} ({newer_file}) has the "
                          "same rules, targets and bonus base: scored as returned", "无需处理", "nothing to do"),
    # --- an input whose number format shows other than it holds ----------------------------------
    "input-masked": _c("return", "error", "{what}:单元格的数字格式被改为“{format}”,显示的不是所填的值({value}):上级签字时看到的与计发的不同;"
                       "按所填的值计分,此表不计发",
                       "{what}: the cell's number format was changed to {format}, which shows something other than the value it holds "
                       "({value}): what the supervisor signed is not what would be paid; scored as held, not paid",
                       "请员工在 HR 发出的表中重新填写并交回(sendback 会附上原表);查明格式为何被改动",
                       "ask the person to fill in the card as HR issued it again (sendback attaches it); find out why the format changed"),
    # --- a rater's workbook of a card HR has since issued again ------------------------------------
    "rating-superseded": _c("return", "error", "{rater} 对 {employee_id} 的评分填在旧版评分表中(按 HR 已替换的规则发出),未计入;"
                            "此人等待该评分人在重新发出的评分表中评分",
                            "{rater}'s ratings of {employee_id} are in a rating workbook of an earlier issue (rules HR has since "
                            "replaced): not used; the person waits for this rater's new rating workbook",
                            "请评分人在 HR 重新发出的评分表中评分后交回(可参照旧表);若旧版规则有效,请重新发出与它相同的表",
                            "ask the rater to rate in the rating workbook HR issued again and return it (the old one can guide "
                            "them); if the old rules stand, issue them again"),
}

"""``xl-kpi goals collect``: the goal-setting round's returns, read back into agreed targets (``build --phase goals``
writes the workbooks). The action is the first argument (:mod:`..actions`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ... import api
from ..actions import Actions, Uses
from ..app import EXIT_OK, EXIT_PROBLEMS, command
from ..i18n import T
from ..options import FILE, FOLDER, NUMBER, PERIOD, echo, echo_findings, number, output_folder, say

GOALS = Actions(collect=Uses(needs=("files", "issued", "output"), may=("sign_key",)),
                change=Uses(needs=("issued", "employee", "indicator", "reason", "approver"), may=("target", "deadline", "date", "period", "output")))


@command(help=T("目标设定:收回员工填写、上级确认的目标设定表,逐个检查目标,写出确认的目标和给 HR 的报告。",
                "Goal setting: the goals workbooks employees filled in and supervisors agreed, read back with every goal "
                "checked into the agreed targets and a report for HR."),
         epilog=T("目标设定表由 xl-kpi build --phase goals 生成。collect 只采用登记册中发出的表,规则、指标、权重和历史都以登记册为准;"
                  "检查每个目标(SMART、低于基准是否说明理由、考核表规则、个人指标是否在允许范围内、上级意见和目标确认签字),"
                  "把确认的目标作为新版本记入登记册,写出 targets.csv、goals_report.csv、personal_goals.csv 和 goals_issues.csv。"
                  "change 把经批准的期中目标变更(指标、新目标、理由、日期、批准人)作为新版本记入 build 写出的登记册,并写出给员工的目标变更确认单"
                  "(登记册旁的 目标变更/,或 -o 指定);"
                  "汇总时按批准后的目标计分并列出变更记录,未经批准改动的目标照常报告。",
                  "The goals workbooks are written by xl-kpi build --phase goals. collect uses only workbooks the register issued, "
                  "and takes the rules, indicators, weights and history from the register; it checks every goal (SMART, a reason "
                  "below the baseline, the card's rules, personal indicators within HR's bounds, the supervisor's word and the "
                  "sign-off), records the agreed goals in the register as a new version, and writes targets.csv, "
                  "goals_report.csv, personal_goals.csv and goals_issues.csv. change records an approved mid-period target change "
                  "(indicator, new target, reason, date, approver) as a new version in the register build wrote, and writes the person's "
                  "change notice (目标变更/ beside the register, or -o); consolidation "
                  "scores against the approved target and lists the change, and still reports a target changed without approval."),
         actions=GOALS)
def goals(
    action: Annotated[str, GOALS.argument(T("collect 收回填好的目标设定表;change 记录经批准的期中目标变更。",
                                            "collect: read the filled goals workbooks back; change: record an approved mid-period change."))],
    files: Annotated[list[Path] | None, typer.Argument(help=T("填好交回的目标设定表或其文件夹。", "The goals workbooks as filled in, or their folders."),
                                                       show_default=False, metavar=FILE)] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar=FOLDER, show_default=False, help=T("输出文件夹。", "Output folder."))]
    = None,
    issued: Annotated[Path | None, typer.Option("--issued", metavar=FILE, help=T(
        "build --phase goals 写出的登记册 issued.sqlite。", "The register build --phase goals wrote (issued.sqlite)."))] = None,
    sign_key: Annotated[Path | None, typer.Option("--sign-key", metavar=FILE, help=T(
        "build 时用的密钥文件,核验签名。", "The key file build signed with: checks the signatures."))] = None,
    employee: Annotated[str | None, typer.Option("--employee", metavar=T("工号", "ID"), help=T("change: 员工编号。", "change: the employee id."))] = None,
    indicator: Annotated[str | None, typer.Option("--indicator", metavar=T("指标", "INDICATOR"), help=T(
        "change: 指标的标识或名称。", "change: the indicator's id or name."))] = None,
    target: Annotated[float | None, typer.Option("--target", metavar=NUMBER, parser=number(), help=T(
        "change: 新目标(百分比写小数,如 0.95)。", "change: the new target (a rate as a fraction, e.g. 0.95)."))] = None,
    reason: Annotated[str | None, typer.Option("--reason", metavar=T("理由", "REASON"), help=T("change: 变更理由。", "change: why."))] = None,
    approver: Annotated[str | None, typer.Option("--approver", metavar=T("批准人", "NAME"), help=T("change: 批准人。", "change: who approved."))] = None,
    date: Annotated[str, typer.Option("--date", metavar=T("日期", "DATE"), help=T("change: 批准日期(默认今天)。", "change: the date (default today)."))] = "",
    period: Annotated[str | None, typer.Option("--period", metavar=PERIOD, help=T(
        "change: 考核期间(此人有多个期间时)。", "change: the period (when the person has several)."))] = None,
    deadline: Annotated[str, typer.Option("--deadline", metavar=T("日期", "DATE"), help=T(
        "change: 新的完成期限(照写);可与 --target 一起或单独给出。", "change: the new deadline (as written); with --target or alone."))] = "",
) -> None:
    assert issued is not None  # GOALS declares it needed
    if action == "change":
        assert employee and indicator and reason is not None and approver is not None
        change = api.change_target(issued, employee, indicator, target, reason=reason, approver=approver, date=date, period=period,
                                   deadline=deadline)
        say(f"{change.employee_id} {change.period}: {change.indicator_id} {change.old:g} → {change.new:g},第 {change.version} 版已记入登记册",
            f"{change.employee_id} {change.period}: {change.indicator_id} {change.old:g} → {change.new:g}, version {change.version} recorded")
        notice = api.change_notice(issued, change, output)
        say(f"目标变更确认单 → {notice}(发给员工签字确认;重新生成考核表时用 build --changes {issued})",
            f"change notice → {notice} (send it to the employee to sign; to issue the card again: build --changes {issued})")
        return
    assert output is not None and files
    output_folder(output)
    done = api.collect_goals(files, issued, output, sign_key=sign_key)
    echo_findings(done.findings)
    people = len(done.returns)
    say(f"{people} 人交回目标设定表,{len(done.agreed)} 人目标已确认 → {done.paths['targets']}(报告 {done.paths['report']})",
        f"{people} goals workbook(s) read, {len(done.agreed)} agreed → {done.paths['targets']} (report {done.paths['report']})")
    for a in done.agreed:
        echo(f"  {a.employee_id} v{a.version} {a.agreed_by} {a.agreed_on}")
    for key, path in done.paths.items():
        if key.startswith("supervisor:"):  # the second round: the supervisor's word is still owed, the proposals now shown
            say(f"上级目标确认表(附员工的提议)→ {path},请发给上级确认后交回", f"supervisor's goals workbook with the proposals → {path}: send it to them")
    raise typer.Exit(EXIT_PROBLEMS if any(f.severity in ("error", "warning") for f in done.findings) else EXIT_OK)

"""``xl-kpi calibrate``, ``letters``, ``appeal``, ``pay``: calibration, result letters and review talks, appeals, final pay."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ... import api
from ..app import EXIT_OK, EXIT_PROBLEMS, app
from ..i18n import T
from ..options import OutputDir, echo, echo_findings, echo_json, output_folder, say
from .followup import Issued, Period, Returns, Roster, SignKey, Templates, Workers

History = Annotated[Path, typer.Option("--history", help=T("汇总写出的历史库(history.sqlite)。", "The history consolidation writes (history.sqlite)."),
                                       show_default=False)]
Files = Annotated[list[Path], typer.Argument(help=T("填写后交回的文件。", "The files as filled in and returned."), show_default=False)]
Lang = Annotated[Literal["zh", "en"] | None, typer.Option("--lang", help=T("工作簿语言: zh | en(默认按考核表)", "Workbook language: zh | en (default: the cards')"))]

calibrate_app = typer.Typer(help=T("绩效校准:生成校准表(等级分布、分布指引、九宫格),收回后核对并应用到系数、工资和历史库。",
                                   "Calibration: build the workbooks (distribution, guideline, nine-box); collect them into coefficient, pay and history."),
                            no_args_is_help=True)
letters_app = typer.Typer(help=T("结果通知:每人一份绩效结果通知书和面谈记录;收回面谈记录。",
                                 "Result letters and review-talk records per person; collect the talk records."), no_args_is_help=True)
appeal_app = typer.Typer(help=T("绩效申诉:生成申诉表,收回后记入历史库(原结果与最终结果)。",
                                "Appeals: write appeal forms; record the decisions (original and final result) in the history."), no_args_is_help=True)
app.add_typer(calibrate_app, name="calibrate")
app.add_typer(letters_app, name="letters")
app.add_typer(appeal_app, name="appeal")


@calibrate_app.command("build", help=T("由历史库生成校准表:每个部门一份(或全公司一份),每个等级标尺一页。",
                                       "Calibration workbooks from the history: one per department (or the company), a sheet per grade scale."))
def calibrate_build(
    history: History, output: OutputDir, period: Period = None, templates: Templates = None, lang: Lang = None,
    by: Annotated[Literal["department", "company"], typer.Option("--by", help=T("按部门或全公司。", "Per department or for the company."))] = "department",
    guideline: Annotated[str | None, typer.Option("--guideline", help=T(
        "分布指引,如 优秀<=20%,不合格>=5%,优秀+良好<=70%,合格=10%~30%;不带 % 为人数。",
        "Distribution guideline, e.g. Excellent<=20%,Poor>=5%; a number without % is a head count."))] = None,
    potential: Annotated[Path | None, typer.Option("--potential", help=T("潜力评级表(员工编号、潜力:高/中/低),给出时加九宫格。",
                                                                         "Potential ratings (employee_id, potential: high/medium/low): adds the nine-box."))] = None,
    performance_levels: Annotated[str | None, typer.Option("--performance-levels", help=T(
        "九宫格的绩效层级,如 优秀=高,良好=中,合格=中,不合格=低(默认:最高等级为高,最低为低)。",
        "Nine-box performance levels, e.g. Excellent=high,Good=medium (default: best grade high, worst low)."))] = None,
) -> None:
    output_folder(output)
    built = api.calibrate(history, output, period=period, by=by, guideline=guideline, potential=potential,
                          performance_levels=performance_levels, templates=templates, lang=lang)
    echo_findings(built.findings)
    say(f"{built.period}: {built.people} 人参加校准,{len(built.excluded)} 人没有完整可信的结果未列入 → {len(built.paths)} 份校准表",
        f"{built.period}: {built.people} people to calibrate, {len(built.excluded)} without a complete trusted result left out → "
        f"{len(built.paths)} workbook(s)")
    for path in built.paths:
        echo(f"  {path}", err=True)


@calibrate_app.command("collect", help=T("收回校准表:核对每项调整(理由、校准人、等级标尺),应用到系数、工资和历史库,写出报告。",
                                         "Collect calibration workbooks: check every change, apply it to coefficient, pay and history; write the reports."))
def calibrate_collect(files: Files, history: History, output: OutputDir, templates: Templates = None) -> None:
    output_folder(output)
    done = api.collect_calibration(files, history, output, templates)
    echo_findings(done.findings)
    applied = sum(c.applied for c in done.changes)
    say(f"{len(done.reviewed)} 人已校准,{applied} 人等级调整,{len(done.changes) - applied} 项调整未采用 → {done.paths['changes']}",
        f"{len(done.reviewed)} calibrated, {applied} grades moved, {len(done.changes) - applied} changes refused → {done.paths['changes']}")
    raise typer.Exit(EXIT_PROBLEMS if any(f.severity == "error" for f in done.findings) else EXIT_OK)


@letters_app.command("build", help=T("为每个结果完整可信的人生成绩效结果通知书和面谈记录(及邮件草稿),并记入历史库。",
                                     "A result letter and talk record for everyone with a complete trusted result (and e-mail drafts); recorded in the history."))
def letters_build(
    returns: Returns, output: OutputDir, templates: Templates = None, roster: Roster = None, issued: Issued = None,
    sign_key: SignKey = None, period: Period = None, workers: Workers = None,
    history: Annotated[Path | None, typer.Option("--history", help=T("历史库:校准和申诉结果写入通知书,并记录已通知。",
                                                                     "The history: calibration and appeals go into the letters, which are recorded."))] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help=T("申诉截止日期,如 2026年12月20日(默认:今天起 --appeal-days 天)。",
                                                                     "The appeal deadline as written (default: today plus --appeal-days)."))] = None,
    appeal_days: Annotated[int, typer.Option("--appeal-days", help=T("申诉期天数。", "Days to appeal."), min=0)] = 7,
    no_drafts: Annotated[bool, typer.Option("--no-drafts", help=T("不生成邮件草稿。", "No e-mail drafts."))] = False,
    sender: Annotated[str, typer.Option("--from", help=T("发件人。", "Sender."))] = "",
) -> None:
    output_folder(output)
    run = api.letters(returns, output, templates, roster, history=history, issued=issued, sign_key=sign_key, period=period,
                      deadline=deadline, appeal_days=appeal_days, drafts=not no_drafts, sender=sender, workers=workers)
    echo_findings([f for f in run.findings if f.code != "chase-no-address"])
    written = [x for x in run.letters if x.path]
    say(f"通知书 {len(written)} 份,{len(run.letters) - len(written)} 人没有完整可信的结果未通知 → {run.paths['letters']}",
        f"{len(written)} letters, {len(run.letters) - len(written)} people without a complete trusted result not notified → {run.paths['letters']}")
    raise typer.Exit(EXIT_OK if len(written) == len(run.letters) else EXIT_PROBLEMS)


@letters_app.command("collect", help=T("收回面谈记录(优点、不足、下期目标、改进措施、双方签字)记入历史库。",
                                       "Read the filled review-talk records into the history."))
def letters_collect(files: Files, history: History, format: Annotated[Literal["text", "json"], typer.Option("--format")] = "text") -> None:
    recorded, findings = api.collect_talks(files, history)
    echo_findings(findings)
    if format == "json":
        echo_json(recorded)
    say(f"面谈记录 {len(recorded)} 份已记入 {history}", f"{len(recorded)} talk records recorded in {history}")
    raise typer.Exit(EXIT_PROBLEMS if findings else EXIT_OK)


@appeal_app.command("form", help=T("为申诉人生成绩效申诉表(其当前结果与背后的填写)。", "Write an appeal form for each person appealing."))
def appeal_form(
    history: History, output: OutputDir,
    employee: Annotated[str, typer.Option("--employee", help=T("员工编号,多个用逗号分隔。", "Employee id(s), comma-separated."), show_default=False)],
    period: Period = None, templates: Templates = None, lang: Lang = None,
) -> None:
    output_folder(output)
    for path in api.appeal_forms(history, output, employee, period=period, templates=templates, lang=lang):
        echo(str(path))


@appeal_app.command("collect", help=T("收回申诉表:记入处理结果、原结果和最终结果(变更时按规则重新计分)。",
                                      "Record the filled appeal forms: decision, original and final result (rescored when changed)."))
def appeal_collect(files: Files, history: History, output: OutputDir, templates: Templates = None) -> None:
    output_folder(output)
    run = api.collect_appeals(files, history, output, templates)
    echo_findings(run.findings)
    recorded = [a for a in run.appeals if a.recorded]
    say(f"申诉 {len(recorded)} 份已记入,{len(run.appeals) - len(recorded)} 份未记入 → {run.path}",
        f"{len(recorded)} appeals recorded, {len(run.appeals) - len(recorded)} not → {run.path}")
    raise typer.Exit(EXIT_OK if len(recorded) == len(run.appeals) else EXIT_PROBLEMS)


@app.command(help=T("最终绩效工资:汇总结果经校准和申诉后的等级、系数和工资。", "Final pay: grade, coefficient and pay after calibration and appeals."))
def pay(
    history: History,
    output: Annotated[Path, typer.Option("-o", "--output", help=T("写出的 CSV。", "CSV to write."), show_default=False)],
    period: Period = None,
) -> None:
    frame = api.final_pay(history, period=period, output=output)
    changed = int((frame["changed_by"] != "").sum())
    unpaid = int((frame["no_pay_reason"].isin(["", "no-coefficients"]) == False).sum())  # noqa: E712 - a pandas mask
    say(f"{frame.attrs['period']}: {len(frame)} 人,{changed} 人经校准或申诉变更,{unpaid} 人暂无绩效工资 → {output}",
        f"{frame.attrs['period']}: {len(frame)} people, {changed} changed by calibration or appeal, {unpaid} without pay → {output}")
    raise typer.Exit(EXIT_PROBLEMS if (frame["stale"] != "").any() else EXIT_OK)

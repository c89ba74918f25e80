"""``xl-kpi calibrate build|collect``, ``letters build|collect``, ``appeal form|collect``, ``pay``: calibration,
result letters and review talks, appeals, final pay. The action is the first argument (:mod:`..actions`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ... import api
from ..actions import Actions, Uses
from ..app import EXIT_OK, EXIT_PROBLEMS, command
from ..i18n import T
from ..options import FILE, FOLDER, PERIOD, Lang, OutputDir, TextOrJson, echo, echo_findings, echo_json, output_folder, say
from ..options import people as count
from ..parsing import choice, whole
from .followup import Issued, Period, Roster, SignKey, Templates, Workers

History = Annotated[Path, typer.Option("--history", metavar=FILE, show_default=False, help=T(
    "汇总写出的历史库(history.sqlite)。", "The history consolidate writes (history.sqlite)."))]
HistoryPeriod = Annotated[str | None, typer.Option("--period", metavar=PERIOD, help=T(
    "考核期间,如 2026Q4 或 2026年第四季度。默认:历史库中最近的期间。", "The period, e.g. 2026Q4. Default: the latest in the history."))]
Output = Annotated[Path | None, typer.Option("-o", "--output", metavar=FOLDER, show_default=False, help=T("输出文件夹。", "Output folder."))]

CALIBRATE = Actions(build=Uses(needs=("history", "output"),
                               may=("period", "templates", "lang", "by", "guideline", "potential", "performance_levels")),
                    collect=Uses(needs=("files", "history", "output"), may=("templates",)))


@command(help=T("绩效校准:生成校准表,收回后核对每项调整并应用到系数、工资和历史库。",
                "Calibration: build the workbooks; collect them and apply every valid change to coefficient, pay and history."),
         epilog=T("build 由历史库生成校准表:每个部门一份(--by company 为全公司一份),每个等级标尺一页,含校准前后的等级分布、"
                  "分布指引的超出或不足人数,给出 --potential 时加九宫格。collect 收回填好的校准表:校准等级只能是本人考核表的等级,"
                  "且须写明理由和校准人;写出 calibration_changes.csv 和 calibration_guideline.csv。",
                  "build writes calibration workbooks from the history: one per department (--by company: one for all), a sheet "
                  "per grade scale, with the grade distribution before and after, the guideline's live over and under counts, "
                  "and the nine-box when --potential is given. collect reads them back: a calibrated grade must be one of the "
                  "person's own card's, with a reason and who decided; it writes calibration_changes.csv and "
                  "calibration_guideline.csv."),
         actions=CALIBRATE)
def calibrate(
    action: Annotated[str, CALIBRATE.argument(T("build 生成校准表;collect 收回填好的校准表。",
                                                "build: write the workbooks; collect: read the filled ones back."))],
    history: History,
    output: OutputDir,
    files: Annotated[list[Path] | None, typer.Argument(help=T("填好交回的校准表。", "The calibration workbooks as filled in."),
                                                       show_default=False, metavar=T("校准表", "WORKBOOKS"))] = None,
    period: HistoryPeriod = None, templates: Templates = None,
    lang: Annotated[Literal["zh", "en"] | None, typer.Option("--lang", metavar="zh|en", parser=choice("zh", "en"), help=T(
        "校准表的语言(默认:多数人考核表的语言)。", "The workbooks' language (default: most cards')."))] = None,
    by: Annotated[Literal["department", "company"], typer.Option("--by", metavar="department|company", parser=choice("department", "company"),
                                                                 help=T("每个部门一份(department)或全公司一份(company)。",
                                                                        "One per department (department) or one for the company (company)."))]
    = "department",
    guideline: Annotated[str | None, typer.Option("--guideline", metavar=T("指引", "RULES"), help=T(
        "分布指引,如 优秀<=20%,不合格>=5%,优秀+良好<=70%,合格=10%~30%;不带 % 为人数。",
        "The distribution guideline, e.g. Excellent<=20%,Poor>=5%; a number without % is a head count."))] = None,
    potential: Annotated[Path | None, typer.Option("--potential", metavar=FILE, help=T(
        "潜力评级表(列: 工号、潜力,填 高/中/低),给出时加九宫格。",
        "Potential ratings (columns employee_id, potential: high, medium or low): adds the nine-box."))] = None,
    performance_levels: Annotated[str | None, typer.Option("--performance-levels", metavar=T("层级", "LEVELS"), help=T(
        "九宫格的绩效层级,如 优秀=高,良好=中,合格=中,不合格=低(默认:最高等级为高,最低为低)。",
        "The nine-box's performance levels, e.g. Excellent=high,Good=medium (default: the best grade high, the worst low)."))] = None,
) -> None:
    output_folder(output)
    if action == "build":
        built = api.calibrate(history, output, period=period, by=by, guideline=guideline, potential=potential,
                              performance_levels=performance_levels, templates=templates, lang=lang)
        echo_findings(built.findings)
        say(f"{built.period}: {built.people} 人参加校准,{len(built.excluded)} 人没有完整可信的结果未列入 → {len(built.paths)} 份校准表",
            f"{built.period}: {count(built.people)} to calibrate, {len(built.excluded)} without a complete trusted result left out → "
            f"{len(built.paths)} workbook(s)")
        for path in built.paths:
            echo(f"  {path}")
        raise typer.Exit(EXIT_OK if built.people else EXIT_PROBLEMS)  # nobody to calibrate is never a success
    done = api.collect_calibration(files or [], history, output, templates)
    echo_findings(done.findings)
    applied = sum(c.applied for c in done.changes)
    say(f"{len(done.reviewed)} 人已校准,{applied} 人等级调整,{len(done.changes) - applied} 项调整未采用 → {done.paths['changes']}",
        f"{len(done.reviewed)} calibrated, {applied} grade(s) moved, {len(done.changes) - applied} change(s) refused → {done.paths['changes']}")
    raise typer.Exit(EXIT_PROBLEMS if any(f.severity == "error" for f in done.findings) else EXIT_OK)


LETTERS = Actions(build=Uses(needs=("files", "output"), may=("templates", "roster", "issued", "sign_key", "period", "workers", "history",
                                                             "deadline", "appeal_days", "no_drafts", "sender", "signature")),
                  collect=Uses(needs=("files", "history"), may=("format",)))


@command(help=T("结果通知:每人一份绩效结果通知书和面谈记录;收回面谈记录。",
                "Result letters and review-talk records, one per person; collect the talk records."),
         epilog=T("build 为每个结果完整可信的人生成通知书(各指标的目标、实际、得分,总分、等级、系数和工资,申诉期限,"
                  "一页 A4)和面谈记录,用其考核表的语言,按部门存放,并生成邮件草稿;给出 --history 时写入校准和申诉结果,"
                  "并记为已通知。collect 把填好的面谈记录(优点、不足、下期目标、改进措施、双方签字)记入历史库。",
                  "build writes, for everyone with a complete trusted result, a letter (each indicator's target, actual and "
                  "score, total, grade, coefficient and pay, the deadline to appeal; one A4 page) and a talk record in their "
                  "card's language, by department, with e-mail drafts; with --history the letters carry calibration and "
                  "appeals and are recorded as announced. collect reads the filled talk records (strengths, gaps, next "
                  "period's goals, actions, both signatures) into the history."),
         actions=LETTERS)
def letters(
    action: Annotated[str, LETTERS.argument(T("build 生成通知书;collect 收回面谈记录。", "build: write the letters; collect: read the talk records."))],
    files: Annotated[list[Path], typer.Argument(help=T(
        "build: 回收的文件、文件夹或 .zip 压缩包(与 consolidate 相同);collect: 填好的通知书工作簿。",
        "build: returned files, folders or .zip archives (as for consolidate); collect: the letter workbooks as filled in."),
        show_default=False, metavar=FILE)],
    output: Output = None, templates: Templates = None, roster: Roster = None, issued: Issued = None, sign_key: SignKey = None,
    period: Period = None, workers: Workers = None,
    history: Annotated[Path | None, typer.Option("--history", metavar=FILE, help=T(
        "汇总写出的历史库:校准和申诉结果写入通知书,通知记入其中;collect 把面谈记录记入其中。",
        "The history consolidate writes: calibration and appeals go into the letters, which are recorded there; collect "
        "records the talks there."))] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", metavar=T("日期", "DATE"), help=T(
        "申诉截止日期,照写,如 2026年12月20日(默认:今天起 --appeal-days 天)。",
        "The appeal deadline as written (default: today plus --appeal-days)."))] = None,
    appeal_days: Annotated[int, typer.Option("--appeal-days", metavar="N", parser=whole(0), help=T(
        "申诉期天数。", "Days to appeal."))] = 7,
    no_drafts: Annotated[bool, typer.Option("--no-drafts", help=T("不生成邮件草稿。", "No e-mail drafts."))] = False,
    sender: Annotated[str, typer.Option("--from", metavar=T("发件人", "SENDER"), help=T(
        "邮件草稿的发件人,如 'HR <hr@company.com>'。", "The drafts' sender, e.g. 'HR <hr@company.com>'."))] = "",
    signature: Annotated[str, typer.Option("--signature", metavar=T("落款", "SIGNATURE"), help=T(
        "邮件落款。", "How the e-mails are signed."))] = "HR",
    format: TextOrJson = "text",
) -> None:
    if action == "build":
        assert output is not None  # LETTERS: build needs -o
        output_folder(output)
        run = api.letters(files, output, templates, roster, history=history, issued=issued, sign_key=sign_key, period=period,
                          deadline=deadline, appeal_days=appeal_days, drafts=not no_drafts, sender=sender, signature=signature,
                          workers=workers)
        echo_findings([f for f in run.findings if f.code != "chase-no-address"])
        unaddressed = sum(f.code == "chase-no-address" for f in run.findings)
        written = [x for x in run.letters if x.path]
        say(f"通知书 {len(written)} 份,{len(run.letters) - len(written)} 人没有完整可信的结果未通知 → {run.paths['letters']}",
            f"{len(written)} letter(s), {len(run.letters) - len(written)} without a complete trusted result not notified → "
            f"{run.paths['letters']}")
        if run.drafts:
            say(f"邮件草稿 {len(run.drafts)} 封 → {run.paths['drafts']}", f"{len(run.drafts)} e-mail draft(s) → {run.paths['drafts']}")
        if unaddressed:
            say(f"{unaddressed} 封草稿没有收件人地址:在花名册中加 email、manager_email 列",
                f"{unaddressed} draft(s) have no recipient address: add email and manager_email columns to the roster")
        raise typer.Exit(EXIT_OK if written and len(written) == len(run.letters) else EXIT_PROBLEMS)
    assert history is not None  # LETTERS: collect needs --history
    recorded, findings = api.collect_talks(files, history)
    if format == "json":
        echo_json({"recorded": recorded, "findings": [f.as_dict() for f in findings]})
    else:
        echo_findings(findings)
        say(f"面谈记录 {len(recorded)} 份已记入 {history}", f"{len(recorded)} talk record(s) recorded in {history}")
    raise typer.Exit(EXIT_PROBLEMS if findings else EXIT_OK)


APPEAL = Actions(form=Uses(needs=("history", "output", "employee"), may=("period", "templates", "lang")),
                 collect=Uses(needs=("files", "history", "output"), may=("templates",)))


@command(help=T("绩效申诉:为申诉人生成申诉表,收回后记入处理结果、原结果和最终结果。",
                "Appeals: write an appeal form for each person appealing; record the decisions, original and final results."),
         epilog=T("form 生成的申诉表列出被申诉的当前结果(汇总后、校准后)及其背后的填写,申诉人填写日期、理由和证据,"
                  "HR 填写更正后的实际值或等级、处理结果、处理人和日期。collect 收回填好的申诉表:结果变更时按规则重新计分"
                  "(或采用本人考核表内的等级),写出 appeals.csv;最终工资用 xl-kpi pay 得出。",
                  "form writes an appeal form with the result appealed (as consolidated, then calibrated) and the inputs behind "
                  "it; the person fills in the date, reason and evidence, HR the corrected inputs or a grade, the decision, "
                  "who and when. collect records the filled forms: a changed result is scored again by the rules (or set to a "
                  "grade of the person's own card); it writes appeals.csv. xl-kpi pay then gives the final pay."),
         actions=APPEAL)
def appeal(
    action: Annotated[str, APPEAL.argument(T("form 生成申诉表;collect 收回填好的申诉表。",
                                             "form: write the forms; collect: record the filled ones."))],
    history: History,
    output: OutputDir,
    files: Annotated[list[Path] | None, typer.Argument(help=T("填好交回的申诉表。", "The appeal forms as filled in."),
                                                       show_default=False, metavar=T("申诉表", "FORMS"))] = None,
    employee: Annotated[str | None, typer.Option("--employee", metavar=T("工号", "IDS"), help=T(
        "申诉人的员工编号,多个用逗号分隔。", "The appealing employees' ids, comma-separated."))] = None,
    period: HistoryPeriod = None, templates: Templates = None, lang: Lang = None,
) -> None:
    output_folder(output)
    if action == "form":
        forms = api.appeal_forms(history, output, employee or "", period=period, templates=templates, lang=lang)
        for path in forms:
            echo(str(path))
        say(f"申诉表 {len(forms)} 份 → {output}", f"{len(forms)} appeal form(s) → {output}")
        return
    run = api.collect_appeals(files or [], history, output, templates)
    echo_findings(run.findings)
    recorded = [a for a in run.appeals if a.recorded]
    say(f"申诉 {len(recorded)} 份已记入,{len(run.appeals) - len(recorded)} 份未记入 → {run.path}",
        f"{len(recorded)} appeal(s) recorded, {len(run.appeals) - len(recorded)} not → {run.path}")
    raise typer.Exit(EXIT_OK if len(recorded) == len(run.appeals) else EXIT_PROBLEMS)


@command(help=T("最终绩效工资:经校准和申诉后的等级、系数和工资。", "Final pay: grade, coefficient and pay after calibration and appeals."),
         epilog=T("CSV 中每人一行: 汇总时的结果和最终结果,变更来源(calibration 或 appeal),申诉的处理结果,"
                  "以及暂无工资的原因;在结果重新汇总之前作出的决定不采用,列在 stale 列。",
                  "One row per person in the CSV: the result as consolidated and the final one, what changed it "
                  "(calibration or appeal), an appeal's decision, and why there is no pay; a decision made before the result "
                  "was consolidated again is not applied and is named in the stale column."))
def pay(
    history: History,
    output: Annotated[Path, typer.Option("-o", "--output", metavar=FILE, show_default=False, help=T("要写出的 CSV。", "The CSV to write."))],
    period: HistoryPeriod = None,
) -> None:
    frame = api.final_pay(history, period=period, output=output)
    changed = int((frame["changed_by"] != "").sum())
    unpaid = int((~frame["no_pay_reason"].isin(["", "no-coefficients"])).sum())
    unlinked = int((frame["no_pay_reason"] == "no-coefficients").sum())  # their cards tie no pay to the grade: nothing to pay, nothing wrong
    paid = len(frame) - unpaid - unlinked
    say(f"{frame.attrs['period']}: {len(frame)} 人,{changed} 人经校准或申诉变更;{paid} 人有绩效工资,{unpaid} 人暂无(原因见 no_pay_reason 列)"
        + (f",{unlinked} 人的考核表不按绩效系数计发" if unlinked else "") + f" → {output}",
        f"{frame.attrs['period']}: {len(frame)} people, {changed} changed by calibration or appeal; {paid} with pay, {unpaid} without "
        "(why: the no_pay_reason column)" + (f", {unlinked} whose cards tie no pay to a coefficient" if unlinked else "")
        + f" → {output}")
    raise typer.Exit(EXIT_PROBLEMS if (frame["stale"] != "").any() else EXIT_OK)

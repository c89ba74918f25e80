"""``xl-kpi sendback``, ``chase``, ``status``: what happens to the returns after consolidation."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from ... import api
from ...core.files import write_csv_atomic
from ...core.text import Text, ui_lang
from ...followup.signoff import SIGNERS
from ..app import EXIT_OK, EXIT_PROBLEMS, command
from ..i18n import T
from ..options import FILE, PERIOD, SPEC, OutputDir, TextOrJson, choice, echo, echo_findings, echo_json, output_folder, say, whole
from ..parsing import BadValue

if TYPE_CHECKING:
    import pandas as pd

RETURNS = T("回收", "RETURNS")
Returns = Annotated[list[Path], typer.Argument(help=T("回收的文件、文件夹或 .zip 压缩包(与 consolidate 相同)。",
                                                      "Returned files, folders or .zip archives (as for consolidate)."),
                                               show_default=False, metavar=RETURNS)]
Templates = Annotated[Path | None, typer.Option("--templates", metavar=SPEC, help=T(
    "规格文件或文件夹:以此为准的规则。", "Spec file or folder: the rules that apply."))]
Roster = Annotated[Path | None, typer.Option("--roster", metavar=FILE, help=T(
    "花名册:上级、部门,以及 email、manager_email 列(邮件草稿的收件人)。",
    "Roster: managers, departments, and email and manager_email columns (the drafts' recipients)."))]
Issued = Annotated[Path | None, typer.Option("--issued", metavar=FILE, help=T(
    "build 写出的登记册 issued.sqlite:谁发了哪份表;其文件夹中的原表用作附件。",
    "The register build wrote (issued.sqlite): who was issued what; the workbooks in its folder are attached."))]
SignKey = Annotated[Path | None, typer.Option("--sign-key", metavar=FILE, help=T(
    "build 时用的密钥文件,核验元数据签名(需要 --issued)。", "The key file build signed with: checks the signatures (needs --issued)."))]
Period = Annotated[str | None, typer.Option("--period", metavar=PERIOD, help=T(
    "考核期间,如 2026Q4 或 2026年第四季度。默认:多数文件的期间。", "The period, e.g. 2026Q4. Default: most files'."))]
Workers = Annotated[int | None, typer.Option("--workers", metavar="N", parser=whole(1), help=T(
    "工作进程数(默认 CPU 核数)。", "Worker processes (default: the number of CPUs)."))]

ROLES = Text("employee、supervisor、reviewer、hr 中的一个或几个(逗号分隔),或 none",
             "one or more of employee, supervisor, reviewer, hr (comma-separated), or none")


def signers(text: str) -> str:
    """``employee,supervisor`` (checked against the sign-off's roles); ``none`` or ``无``: no signature."""
    words = [w.strip().lower() for w in re.split(r"[,,、]", str(text)) if w.strip()]
    if words in ([], ["none"], ["无"]):
        return "none"
    if any(w not in SIGNERS for w in words):
        raise BadValue(str(text), ROLES)
    return ",".join(dict.fromkeys(words))


@command(help=T("退回修改:为每份有问题的回收表生成本人文件的标注副本。",
                "Send back what is wrong: an annotated copy of each person's return with problems."),
         epilog=T("问题单元格标红框并附批注(错在哪里、怎么改、由谁填写),表头列出全部问题;改正后的文件可直接重新汇总。"
                  "无法靠填写改正的回收表(规则或保护被改、期间不对、格式不对)改为重新发出原工作簿(需要 --issued)。"
                  "输出文件夹里的 sendback.csv 列出每人要附上的文件。",
                  "Each problem cell is framed in red with a comment (what is wrong, how to fix it, whose cell it is), "
                  "and a note at the top lists them all; the corrected file consolidates as it is. A return typing cannot "
                  "fix (rules or protection changed, another period, another format) gets the workbook as issued again "
                  "(needs --issued). sendback.csv in the output folder lists the file to attach for each person."))
def sendback(returns: Returns, output: OutputDir, templates: Templates = None, roster: Roster = None, issued: Issued = None,
             sign_key: SignKey = None, period: Period = None, workers: Workers = None) -> None:
    output_folder(output)
    run = api.sendback(returns, output, templates, roster, issued=issued, sign_key=sign_key, period=period, workers=workers)
    echo_findings(run.findings)
    counts = Counter(item.action for item in run.items)
    say(f"标注副本 {counts['fix']} 份,需重新发原表 {counts['reissue']} 人,由 HR 处理 {counts['hr']} 人 → {run.paths['sendback']}",
        f"{counts['fix']} annotated {'copy' if counts['fix'] == 1 else 'copies'}, {counts['reissue']} to re-issue, {counts['hr']} for HR → {run.paths['sendback']}")
    raise typer.Exit(EXIT_PROBLEMS if run.items else EXIT_OK)


OWED = {"return": ("未交", "not returned"), "correction": ("待修改", "to correct"), "reissue": ("需重发原表", "to re-issue"),
        "rating": ("待评分", "awaiting a rating"), "signature": ("缺签字", "unsigned"), "rater-file": ("待交评分表", "awaiting a rater's workbook")}


@command(help=T("催交:列出每人还缺什么,并生成 .eml 邮件草稿。", "Chase who is late: what each person still owes, and .eml drafts."),
         epilog=T("chase.csv 列出每个应交的人还缺什么: 回收表、修改、重新填写、评分人的评分、评分人尚未交回的评分表、"
                  "确认签字,以及上级、部门和邮箱。drafts 文件夹里按人(或按上级)各一封邮件草稿,欠评分表的评分人各一封,"
                  "用收件人的语言,附上原工作簿、评分表或标注副本;标注副本由 sendback 写在 sendback 文件夹。",
                  "chase.csv lists what each person issued a workbook still owes: the return, corrections, a workbook to "
                  "fill in again, a rater's rating, a rater's own rating workbook not yet back, a result signature, with "
                  "their manager, department and e-mail. drafts holds an e-mail per person (or per manager) and one per "
                  "rater who owes a rating workbook, in the recipient's language, with the workbook as issued, the rating "
                  "workbook or the annotated copy attached (written into sendback as sendback writes it)."))
def chase(
    returns: Returns, output: OutputDir, templates: Templates = None, roster: Roster = None, issued: Issued = None,
    sign_key: SignKey = None, period: Period = None, workers: Workers = None,
    by: Annotated[Literal["person", "manager"], typer.Option("--by", metavar="person|manager", parser=choice("person", "manager"), help=T(
        "每人一封邮件(person)或每个上级一封(manager)。", "One e-mail per person (person) or per manager (manager)."))] = "person",
    signatures: Annotated[str, typer.Option("--signatures", metavar=T("角色", "ROLES"), parser=signers, help=T(
        "回收表必须有的结果确认签字: employee、supervisor、reviewer、hr(逗号分隔),或 none。",
        "Result signatures a return must carry: employee, supervisor, reviewer, hr (comma-separated), or none."))]
    = "employee,supervisor",
    deadline: Annotated[str, typer.Option("--deadline", metavar=T("日期", "DATE"), help=T(
        "邮件中的截止日期,照写,如 12月20日。", "The deadline the e-mails give, as written, e.g. 20 December."))] = "",
    sender: Annotated[str, typer.Option("--from", metavar=T("发件人", "SENDER"), help=T(
        "发件人,如 'HR <hr@company.com>'。", "Sender, e.g. 'HR <hr@company.com>'."))] = "",
    signature: Annotated[str, typer.Option("--signature", metavar=T("落款", "SIGNATURE"), help=T(
        "邮件落款。", "How the e-mails are signed."))] = "HR",
) -> None:
    output_folder(output)
    roles = () if signatures == "none" else tuple(signatures.split(","))
    run = api.chase(returns, output, templates, roster, issued=issued, sign_key=sign_key, period=period, by=by, signatures=roles,
                    deadline=deadline, sender=sender, signature=signature, workers=workers)
    echo_findings([f for f in run.findings if f.code != "chase-no-address"])
    unaddressed = sum(f.code == "chase-no-address" for f in run.findings)
    kinds = Counter(item.kind for item in run.items)
    owed_zh = "、".join(f"{OWED[k][0]} {n}" for k, n in kinds.items()) or "没有人缺交"
    owed_en = ", ".join(f"{OWED[k][1]} {n}" for k, n in kinds.items()) or "nothing owed"
    say(f"{owed_zh};邮件草稿 {len(run.drafts)} 封 → {run.paths['drafts']}", f"{owed_en}; {len(run.drafts)} e-mail draft(s) → {run.paths['drafts']}")
    if unaddressed:
        say(f"{unaddressed} 封草稿没有收件人地址:在花名册中加 email、manager_email 列",
            f"{unaddressed} draft(s) have no recipient address: add email and manager_email columns to the roster")
    say(f"催交清单 → {run.paths['chase']}", f"chase list → {run.paths['chase']}")
    raise typer.Exit(EXIT_PROBLEMS if run.items else EXIT_OK)


HEADS = {"department": ("部门", "department"), "issued": ("已发", "issued"), "returned": ("已交", "returned"),
         "not_returned": ("未交", "missing"), "complete": ("完整", "complete"), "problems": ("有问题", "problems"),
         "awaiting_rater": ("待评分", "rater"), "calibrated": ("已校准", "calibrated"), "announced": ("已通知", "notified"),
         "appealed": ("申诉", "appeals")}


def status_table(frame: pd.DataFrame) -> str:
    """The status by department as aligned text (wide characters take two columns; a column nobody can
    know, such as who awaits a rater without the returns, left out), a last row for everyone; the columns
    two spaces apart, one when that is what fits the terminal."""
    from ..help import cells, width

    zh = ui_lang() == "zh"
    body = [[("全部" if zh else "all") if k == 0 and v == "*" else str(v) for k, v in enumerate(row)] for row in frame.itertuples(index=False)]
    keep = [k for k in range(len(frame.columns)) if k == 0 or any(row[k] for row in body)]
    rows = [[HEADS.get(str(frame.columns[k]), (str(frame.columns[k]),) * 2)[0 if zh else 1] for k in keep]]
    rows += [[row[k] for k in keep] for row in body]
    widths = [max(cells(r[k]) for r in rows) for k in range(len(keep))]
    gap = 2 if sum(widths) + 2 * (len(widths) - 1) <= width() else 1
    lines = []
    for row in rows:
        parts = [row[0] + " " * (widths[0] - cells(row[0]))] + [" " * (w - cells(v)) + v for v, w in zip(row[1:], widths[1:])]
        lines.append((" " * gap).join(parts).rstrip())
    return "\n".join(lines)


@command(help=T("本期进度:按部门列出已发、已交、完整、有问题、待评分、已校准、已通知和申诉的人数。",
                "Where the cycle stands by department: issued, returned, complete, with problems, awaiting a rater, "
                "calibrated, announced, appealed."),
         epilog=T("谁应交取自登记册(--issued),否则取自花名册;交了什么取自重新读取的回收表,否则取自历史库;"
                  "校准、通知和申诉取自历史库。三者至少给出一个。期间默认为回收表的期间,否则为历史库中最近的期间。",
                  "Who was issued a workbook comes from the register (--issued), else the roster; what came back from the "
                  "returns read again, else the history; calibration, letters and appeals from the history. Give at least "
                  "one of the three. The period defaults to the returns', else the latest in the history."))
def status(
    returns: Annotated[list[Path] | None, typer.Argument(help=T(
        "回收的文件或文件夹(可选:给出时重新读取,并能看出谁在等评分人)。",
        "Returned files or folders (optional: read again, and who awaits a rater)."), show_default=False, metavar=RETURNS)] = None,
    issued: Annotated[Path | None, typer.Option("--issued", metavar=FILE, help=T(
        "build 写出的登记册 issued.sqlite:谁应交。", "The register build wrote (issued.sqlite): who was issued a workbook."))] = None,
    roster: Annotated[Path | None, typer.Option("--roster", metavar=FILE, help=T(
        "花名册:没有登记册时,谁应交。", "Roster: who was issued a workbook, when there is no register."))] = None,
    templates: Templates = None, sign_key: SignKey = None,
    period: Annotated[str | None, typer.Option("--period", metavar=PERIOD, help=T(
        "考核期间,如 2026Q4。默认见下。", "The period, e.g. 2026Q4. Default: below."))] = None,
    history: Annotated[Path | None, typer.Option("--history", metavar=FILE, help=T(
        "汇总写出的历史库:结果、校准、通知、申诉。", "The history consolidate writes: results, calibration, letters, appeals."))] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar=FILE, help=T(
        "同时写出为 CSV。", "Also write it as CSV."))] = None,
    format: TextOrJson = "text",
    workers: Workers = None,
) -> None:
    frame = api.status(issued=issued, roster=roster, history=history, returns=returns or None, templates=templates, period=period,
                       sign_key=sign_key, workers=workers)
    if output is not None:
        write_csv_atomic(output, list(frame.columns), frame.itertuples(index=False))
    if format == "json":
        echo_json({"period": frame.attrs.get("period", ""), "departments": frame.to_dict("records")})
    else:
        if frame.attrs.get("period"):
            say(f"考核期间: {frame.attrs['period']}", f"period: {frame.attrs['period']}")
        echo(status_table(frame))
        if output is not None:
            say(f"已写出 {output}", f"wrote {output}")
    total = frame.iloc[-1]
    raise typer.Exit(EXIT_OK if total["issued"] and total["complete"] == total["issued"] else EXIT_PROBLEMS)

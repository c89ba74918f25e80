"""``xl-kpi sendback``, ``chase``, ``status``: what happens to the returns after consolidation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

import typer

from ... import api
from ...core.files import write_csv_atomic
from ..app import EXIT_OK, EXIT_PROBLEMS, app
from ..i18n import T
from ..options import OutputDir, echo, echo_findings, echo_json, output_folder, say

Returns = Annotated[list[Path], typer.Argument(help=T("回收的文件、文件夹或 .zip 压缩包(与 consolidate 相同)。",
                                                      "Returned files, folders or .zip archives (as for consolidate)."), show_default=False)]
Templates = Annotated[Path | None, typer.Option("--templates", help=T("规格文件或文件夹:以此为准的规则。", "Spec file or folder: the authoritative rules."))]
Roster = Annotated[Path | None, typer.Option("--roster", help=T(
    "花名册:上级、部门,以及 email / manager_email 列(邮件草稿的收件人)。", "Roster: managers, departments, and email / manager_email columns (the drafts' recipients)."))]
Issued = Annotated[Path | None, typer.Option("--issued", help=T(
    "build 写出的登记册(issued.sqlite):谁发了哪份表;其文件夹中的原表用作附件。",
    "The register build wrote (issued.sqlite): who was issued what; the workbooks in its folder are attached."))]
SignKey = Annotated[Path | None, typer.Option("--sign-key", help=T("build 时使用的密钥文件(需同时给出 --issued)。", "The key file build signed with (needs --issued)."))]
Period = Annotated[str | None, typer.Option("--period", help=T("考核期间,如 2026Q4;默认:多数文件的期间。", "The period, e.g. 2026Q4; default: most files'."))]
Workers = Annotated[int | None, typer.Option("--workers", help=T("工作进程数(默认: CPU 核数)。", "Worker processes (default: CPU count)."), min=1)]


@app.command(help=T("退回修改:为每份有问题的回收表生成本人文件的标注副本(问题单元格标红框并附批注)。",
                    "Send back what is wrong: an annotated copy of each problem return (problem cells framed, each with a comment)."))
def sendback(returns: Returns, output: OutputDir, templates: Templates = None, roster: Roster = None, issued: Issued = None,
             sign_key: SignKey = None, period: Period = None, workers: Workers = None) -> None:
    output_folder(output)
    run = api.sendback(returns, output, templates, roster, issued=issued, sign_key=sign_key, period=period, workers=workers)
    echo_findings(run.findings)
    counts = Counter(item.action for item in run.items)
    say(f"标注副本 {counts['fix']} 份,需重新发原表 {counts['reissue']} 人,由 HR 处理 {counts['hr']} 人 → {run.paths['sendback']}",
        f"{counts['fix']} annotated copies, {counts['reissue']} to re-issue, {counts['hr']} for HR → {run.paths['sendback']}")
    raise typer.Exit(EXIT_PROBLEMS if run.items else EXIT_OK)


@app.command(help=T("催交:列出每人还缺什么(回收表、修改、评分、签字),并生成按人或按上级的 .eml 邮件草稿。",
                    "Chase who is late: what each person still owes (return, corrections, rating, signature) and .eml drafts."))
def chase(
    returns: Returns, output: OutputDir, templates: Templates = None, roster: Roster = None, issued: Issued = None,
    sign_key: SignKey = None, period: Period = None, workers: Workers = None,
    by: Annotated[Literal["person", "manager"], typer.Option("--by", help=T("邮件按人(person)或按上级(manager)。", "One e-mail per person or per manager."))] = "person",
    signatures: Annotated[str, typer.Option("--signatures", help=T(
        "必须有的结果确认签字: employee,supervisor,reviewer,hr 或 none。", "Result signatures a return must carry: employee,supervisor,reviewer,hr or none."))]
    = "employee,supervisor",
    deadline: Annotated[str, typer.Option("--deadline", help=T("邮件中的截止日期,如 12月20日。", "The deadline the e-mails give, e.g. 20 December."))] = "",
    sender: Annotated[str, typer.Option("--from", help=T("发件人,如 'HR <hr@company.com>'。", "Sender, e.g. 'HR <hr@company.com>'."))] = "",
    signature: Annotated[str, typer.Option("--signature", help=T("邮件落款。", "How the e-mails are signed."))] = "HR",
) -> None:
    output_folder(output)
    roles = () if signatures.strip().lower() in ("", "none", "无") else tuple(s.strip() for s in signatures.split(",") if s.strip())
    run = api.chase(returns, output, templates, roster, issued=issued, sign_key=sign_key, period=period, by=by, signatures=roles,
                    deadline=deadline, sender=sender, signature=signature, workers=workers)
    echo_findings([f for f in run.findings if f.code != "chase-no-address"])
    unaddressed = sum(f.code == "chase-no-address" for f in run.findings)
    kinds = Counter(item.kind for item in run.items)
    words = {"return": ("未交", "not returned"), "correction": ("待修改", "to correct"), "reissue": ("需重发原表", "to re-issue"),
             "rating": ("待评分", "awaiting a rating"), "signature": ("缺签字", "unsigned"), "rater-file": ("缺评分人文件", "rater's file missing")}
    say("、".join(f"{words[k][0]} {n}" for k, n in kinds.items()) + f";邮件草稿 {len(run.drafts)} 封 → {run.paths['drafts']}",
        ", ".join(f"{words[k][1]} {n}" for k, n in kinds.items()) + f"; {len(run.drafts)} e-mail drafts → {run.paths['drafts']}")
    if unaddressed:
        say(f"{unaddressed} 封草稿没有收件人地址:在花名册中加 email / manager_email 列",
            f"{unaddressed} drafts have no recipient address: add email / manager_email columns to the roster")
    echo(f"  chase: {run.paths['chase']}", err=True)
    raise typer.Exit(EXIT_PROBLEMS if run.items else EXIT_OK)


@app.command(help=T("本期进度:按部门列出已发、已交、完整、有问题、待评分、已校准、已通知、申诉人数。",
                    "Where the cycle stands by department: issued, returned, complete, with problems, awaiting a rater, calibrated, announced."))
def status(
    returns: Annotated[list[Path] | None, typer.Argument(help=T("回收的文件或文件夹(可选:给出时重新读取,并能看出待评分)。",
                                                                "Returned files or folders (optional: read again, and who awaits a rater)."), show_default=False)] = None,
    issued: Issued = None, roster: Roster = None, templates: Templates = None, sign_key: SignKey = None, period: Period = None,
    history: Annotated[Path | None, typer.Option("--history", help=T("汇总写出的历史库:结果、校准、通知、申诉。", "The history consolidation writes: results, calibration, letters, appeals."))] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help=T("同时写出 CSV。", "Also write it as CSV."))] = None,
    format: Annotated[Literal["text", "json"], typer.Option("--format", help=T("输出格式: text | json", "Output: text | json"))] = "text",
    workers: Workers = None,
) -> None:
    frame = api.status(issued=issued, roster=roster, history=history, returns=returns or None, templates=templates, period=period,
                       sign_key=sign_key, workers=workers)
    if output is not None:
        write_csv_atomic(output, list(frame.columns), frame.itertuples(index=False))
    if format == "json":
        echo_json({"period": frame.attrs.get("period", ""), "departments": frame.to_dict("records")})
    else:
        from rich.console import Console
        from rich.table import Table

        zh = T("zh", "en") == "zh"
        heads = ("部门", "已发", "已交", "未交", "完整", "有问题", "待评分", "已校准", "已通知", "申诉") if zh else \
            ("department", "issued", "returned", "missing", "complete", "problems", "rater", "calibrated", "announced", "appeals")
        table = Table(*heads, box=None, pad_edge=False, title=frame.attrs.get("period", ""))
        for row in frame.itertuples(index=False):
            table.add_row(*("全部" if zh and v == "*" else "all" if v == "*" else str(v) for v in row))
        Console(width=110, highlight=False).print(table)
    total = frame.iloc[-1]
    raise typer.Exit(EXIT_OK if total["issued"] and total["complete"] == total["issued"] else EXIT_PROBLEMS)

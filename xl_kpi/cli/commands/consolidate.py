"""``xl-kpi consolidate``: read, check and recompute returned workbooks; write the reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ... import api
from ...core.files import write_csv_atomic
from ...core.findings import finding
from ..app import EXIT_OK, EXIT_PROBLEMS, command
from ..i18n import T
from ..options import FILE, OutputDir, Progress, TextOrJson, echo, echo_findings, echo_json, output_folder, people, say, whole
from ..report import output_lines, problem_lines


@command(help=T("汇总回收的考核表:逐一校验、重新计分,列出问题,写出成绩和汇总工作簿。",
                "Consolidate returned scorecards: check and rescore each, list the problems, write the scores and a summary workbook."),
         epilog=T("输出文件夹里写出 scores.csv(成绩)、issues.csv(问题清单)、reviews.csv(评语与自评)、summary.xlsx(汇总工作簿),"
                  "并把结果追加到 history.sqlite。",
                  "The output folder gets scores.csv, issues.csv, reviews.csv and summary.xlsx; the results are added to "
                  "history.sqlite."))
def consolidate(
    paths: Annotated[list[Path], typer.Argument(help=T("回收的文件、文件夹或 .zip 压缩包。", "Returned files, folders or .zip archives."),
                                                show_default=False, metavar=T("回收", "RETURNS"))],
    output: OutputDir,
    templates: Annotated[Path | None, typer.Option("--templates", metavar=T("规格", "SPEC"), help=T(
        "规格文件或文件夹:以此为准的规则。", "Spec file or folder: the rules that apply."))] = None,
    roster: Annotated[Path | None, typer.Option("--roster", metavar=FILE, help=T(
        "花名册,用于列出未提交的人。", "Roster, to list the people who have not returned."))] = None,
    workers: Annotated[int | None, typer.Option("--workers", metavar="N", parser=whole(1), help=T(
        "工作进程数(默认 CPU 核数)。", "Worker processes (default: the number of CPUs)."))] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", metavar=T("地址", "ADDRESS"), help=T(
        "Dask 集群调度器的地址,如 tcp://host:8786。", "A Dask cluster's scheduler, e.g. tcp://host:8786."))] = None,
    history: Annotated[Path | None, typer.Option("--history", metavar=FILE, help=T(
        "历史库(默认 输出文件夹/history.sqlite)。", "History database (default: OUTPUT/history.sqlite)."))] = None,
    target_distribution: Annotated[str | None, typer.Option("--target-distribution", metavar=T("比例", "SHARES"), help=T(
        "目标等级分布: 每个等级一个占比,从最高等级起,如 20,60,15,5;或 优秀=20,良好=60。",
        "The intended grade distribution: one share per grade, best first, e.g. 20,60,15,5; or Excellent=20,Good=60."))] = None,
    issued: Annotated[Path | None, typer.Option("--issued", metavar=FILE, help=T(
        "build 写出的登记册 issued.sqlite:按 HR 发出的内容核对每份回收。",
        "The register build wrote (issued.sqlite): each return is checked against what HR issued."))] = None,
    sign_key: Annotated[Path | None, typer.Option("--sign-key", metavar=FILE, help=T(
        "build 时用的密钥文件,核验元数据签名(需要 --issued)。", "The key file build signed with: checks the signatures (needs --issued)."))] = None,
    health_min_people: Annotated[int, typer.Option("--health-min-people", metavar="N", parser=whole(1), help=T(
        "指标健康度: 人数少于此值时不标记过易、过难或缺数据。",
        "Indicator health: no too-easy, too-hard or data-gap flag with fewer people."))] = 5,
    period: Annotated[str | None, typer.Option("--period", metavar=T("期间", "PERIOD"), help=T(
        "汇总的考核期间,如 2026Q4 或 2026年第四季度;其他期间的文件单独列出。默认:多数文件的期间。",
        "The period to consolidate, e.g. 2026Q4; other periods' files are set aside. Default: most files'."))] = None,
    format: TextOrJson = "text",
) -> None:
    output_folder(output)
    with Progress(T("汇总", "Consolidating"), 0) as bar:
        result = api.consolidate(paths, output, templates, roster, workers=workers, scheduler=scheduler, history=history,
                                 target_distribution=target_distribution, progress=bar.advance, on_sources=bar.set_total,
                                 issued=issued, sign_key=sign_key, health_min_people=health_min_people, period=period)
    counts = result.counts()
    store = result.run.store
    if format == "json":
        echo_json({**counts, "period": result.run.period, "on_trust": result.run.on_trust, "clean": result.clean,
                   "issues_by_code": store.codes(),
                   "examples": [{"code": code, "count": n, **first.as_dict()} for code, n, first in store.examples()],
                   "raters_to_chase": [{"role": m.role, "rater_id": m.rater_id, "rater_name": m.rater_name, "file": m.file,
                                        "people": [eid for eid, _ in m.people]} for m in result.run.chase],
                   "outputs": {k: str(v) for k, v in result.paths.items()}})
    else:
        say(f"读取 {counts['files']} 个文件,{counts['people']} 人,{counts['scored']} 人已完整评分;"
            f"{counts['errors']} 个错误,{counts['warnings']} 个警告,{counts['infos']} 条提示",
            f"read {counts['files']} file(s), {people(counts['people'])}, {counts['scored']} fully scored; "
            f"{counts['errors']} error(s), {counts['warnings']} warning(s), {counts['infos']} note(s)")
        for found in (i for i in store.issues() if i.code == "no-returns"):
            echo(found.render())  # an empty result is never a success
        if result.run.on_trust and counts["people"]:
            echo(finding("taken-on-trust").render())
        if result.run.period:
            say(f"考核期间: {result.run.period}", f"period: {result.run.period}")
        if result.run.chase:  # raters who owe ratings: HR's next step (xl-kpi chase lists them with everything else owed)
            waiting = sum(len(m.people) for m in result.run.chase)
            say(f"{len(result.run.chase)} 位评分人尚未交回评分表,{waiting} 人次待评:xl-kpi chase 列出他们并起草催办邮件",
                f"{len(result.run.chase)} rater(s) have not returned their ratings, {waiting} rating(s) awaited: "
                "xl-kpi chase lists them and drafts the e-mails")
        for line in [*problem_lines(store.examples(), result.paths.get("issues")), *output_lines(result.paths)]:
            echo(line)
    raise typer.Exit(EXIT_OK if result.clean else EXIT_PROBLEMS)


@command(help=T("年度汇总:由历史库中各期间的结果得出年度总分与等级。", "Annual totals and grades from the periods in the history."))
def rollup(
    history: Annotated[Path, typer.Option("--history", metavar=FILE, show_default=False, help=T(
        "汇总写出的历史库(history.sqlite)。", "The history database consolidate writes (history.sqlite)."))],
    year: Annotated[int, typer.Option("--year", metavar=T("年份", "YEAR"), parser=whole(1900, 9999), show_default=False, help=T(
        "要汇总的年份,如 2026。", "The year to roll up, e.g. 2026."))],
    output: Annotated[Path, typer.Option("-o", "--output", metavar=FILE, show_default=False, help=T(
        "要写出的 CSV。", "The CSV to write."))],
    weights: Annotated[str | None, typer.Option("--weights", metavar=T("权重", "WEIGHTS"), help=T(
        "各期权重: Q1=1,Q2=1,Q3=1,Q4=2,或 4 个(季度)/12 个(月)数;默认取平均。",
        "Per period: Q1=1,Q2=1,Q3=1,Q4=2, or 4 (quarters) / 12 (months) numbers; default: the mean."))] = None,
    templates: Annotated[Path | None, typer.Option("--templates", metavar=T("规格", "SPEC"), help=T(
        "用这些规格定等级,而不用历史库中保存的规则。", "Grade with these specs instead of the rules kept in the history."))] = None,
) -> None:
    frame = api.rollup(history, year, weights, templates)
    write_csv_atomic(output, list(frame.columns), frame.astype(object).where(frame.notna(), None).itertuples(index=False))
    echo_findings(frame.attrs["findings"])
    missing = len(frame.attrs["findings"])
    say(f"{len(frame)} 人的 {year} 年度结果 → {output}" + (f"({missing} 人缺少期间)" if missing else ""),
        f"{people(len(frame))}: {year} results → {output}" + (f" ({missing} with missing periods)" if missing else ""))
    raise typer.Exit(EXIT_PROBLEMS if missing else EXIT_OK)

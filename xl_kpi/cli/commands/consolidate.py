"""``xl-kpi consolidate``: read, check and recompute returned workbooks; write the reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ... import api
from ...core.files import write_csv_atomic
from ...core.findings import finding
from ..app import EXIT_OK, EXIT_PROBLEMS, app
from ..i18n import T
from ..options import OutputDir, Progress, TextOrJson, echo, echo_findings, echo_json, output_folder, say


@app.command(help=T("汇总回收的考核表:校验、重新计分、报告问题。", "Validate, recompute and report returned scorecards."))
def consolidate(
    paths: Annotated[list[Path], typer.Argument(help=T("回收的文件、文件夹或 .zip 压缩包。", "Returned files, folders or .zip archives."), show_default=False)],
    output: OutputDir,
    templates: Annotated[Path | None, typer.Option("--templates", help=T("规格文件或文件夹:以此为准的规则。", "Spec file or folder: the authoritative rules."))] = None,
    roster: Annotated[Path | None, typer.Option("--roster", help=T("花名册,用于列出未提交的人。", "Roster, to list people who have not returned."))] = None,
    workers: Annotated[int | None, typer.Option("--workers", help=T("工作进程数(默认: CPU 核数)。", "Worker processes (default: CPU count)."), min=1)] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=T("Dask 调度器地址,如 tcp://host:8786。", "Dask scheduler address, e.g. tcp://host:8786."))] = None,
    history: Annotated[Path | None, typer.Option("--history", help=T("SQLite 历史库(默认 输出文件夹/history.sqlite)。", "SQLite history database (default OUTDIR/history.sqlite)."))] = None,
    target_distribution: Annotated[str | None, typer.Option("--target-distribution", help=T(
        "目标等级分布:每个等级一个占比(从最高起),如 20,60,15,5;或 优秀=20,良好=60", "one share per grade, best first, e.g. 20,60,15,5; or Excellent=20,Good=60"))] = None,
    issued: Annotated[Path | None, typer.Option("--issued", help=T(
        "build 写出的登记册(issued.sqlite):按 HR 发出的内容核对每份回收文件。",
        "The register build wrote (issued.sqlite): checks each return against what HR issued."))] = None,
    sign_key: Annotated[Path | None, typer.Option("--sign-key", help=T(
        "build 时使用的密钥文件:核验元数据签名(需同时给出 --issued)。",
        "The key file build signed with: verifies the metadata signatures (needs --issued)."))] = None,
    health_min_people: Annotated[int, typer.Option("--health-min-people", help=T(
        "指标健康度:少于此人数时不标记过易/过难/缺数据。", "Indicator health: no too-easy/too-hard/data-gap flag with fewer people."), min=1)] = 5,
    period: Annotated[str | None, typer.Option("--period", help=T(
        "汇总的考核期间,如 2026Q4 或 2026年第四季度;其他期间的文件单独列出。默认:多数文件的期间。",
        "The period to consolidate, e.g. 2026Q4; other periods' files are set aside. Default: most files'."))] = None,
    format: TextOrJson = "text",
) -> None:
    output_folder(output)
    with Progress("consolidate", 0) as bar:
        result = api.consolidate(paths, output, templates, roster, workers=workers, scheduler=scheduler, history=history,
                                 target_distribution=target_distribution, progress=bar.advance, on_sources=bar.set_total,
                                 issued=issued, sign_key=sign_key, health_min_people=health_min_people, period=period)
    counts = result.counts()
    if format == "json":
        echo_json({**counts, "period": result.run.period, "on_trust": result.run.on_trust, "clean": result.clean, "issues_by_code": result.run.store.codes(),
                   "raters_to_chase": [{"role": m.role, "rater_id": m.rater_id, "rater_name": m.rater_name, "file": m.file,
                                        "people": [eid for eid, _ in m.people]} for m in result.run.chase],
                   "outputs": {k: str(v) for k, v in result.paths.items()}})
    else:
        say(f"读取 {counts['files']} 个文件,{counts['people']} 人,{counts['scored']} 人已完整评分;{counts['errors']} 个错误,{counts['warnings']} 个警告",
            f"read {counts['files']} file(s), {counts['people']} people, {counts['scored']} fully scored; "
            f"{counts['errors']} error(s), {counts['warnings']} warning(s)")
        for found in (i for i in result.run.store.issues() if i.code == "no-returns"):
            say(found.render("zh"), found.render("en"))  # an empty result is never a success
        if result.run.on_trust and counts["people"]:
            trust = finding("taken-on-trust")
            say(trust.render("zh"), trust.render("en"))
        if result.run.period:
            say(f"考核期间: {result.run.period}", f"period: {result.run.period}")
        if result.run.chase:  # raters who owe ratings: HR's next step
            waiting = sum(len(m.people) for m in result.run.chase)
            say(f"{len(result.run.chase)} 位评分人尚未交回评分表,{waiting} 人次待评(见 chase.csv)",
                f"{len(result.run.chase)} rater(s) have not returned their ratings; {waiting} rating(s) awaited (see chase.csv)")
        for key, path in result.paths.items():
            echo(f"  {key}: {path}", err=True)
    raise typer.Exit(EXIT_OK if result.clean else EXIT_PROBLEMS)


@app.command(help=T("年度汇总:由各期间结果得出年度总分与等级。", "Annual totals and grades from the periods in the history."))
def rollup(
    history: Annotated[Path, typer.Option("--history", help=T("汇总写出的历史库(history.sqlite)。", "The history database consolidation writes (history.sqlite)."), show_default=False)],
    year: Annotated[int, typer.Option("--year", help=T("汇总的年份,如 2026。", "The year to roll up, e.g. 2026."), show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help=T("写出的 CSV。", "CSV to write."), show_default=False)],
    weights: Annotated[str | None, typer.Option("--weights", help=T(
        "各期权重: Q1=1,Q2=1,Q3=1,Q4=2,或 4 个(季度)/12 个(月)数字;默认取平均。",
        "Per period: Q1=1,Q2=1,Q3=1,Q4=2 or 4 (quarters) / 12 (months) numbers; default the mean."))] = None,
    templates: Annotated[Path | None, typer.Option("--templates", help=T("用这些规格定等级,而非历史库中保存的规则。", "Grade with these specs instead of the rules stored in the history."))] = None,
) -> None:
    frame = api.rollup(history, year, weights, templates)
    write_csv_atomic(output, list(frame.columns), frame.astype(object).where(frame.notna(), None).itertuples(index=False))
    echo_findings(frame.attrs["findings"])
    missing = len(frame.attrs["findings"])
    say(f"{len(frame)} 人的 {year} 年度结果 → {output}" + (f"({missing} 人缺少期间)" if missing else ""),
        f"{len(frame)} people's {year} results → {output}" + (f" ({missing} with missing periods)" if missing else ""))
    raise typer.Exit(EXIT_PROBLEMS if missing else EXIT_OK)

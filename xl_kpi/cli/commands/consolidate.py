"""``xl-kpi consolidate``: read, check and recompute returned workbooks; write the reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ... import api
from ...consolidation.distribution import parse_distribution
from ..app import EXIT_OK, EXIT_PROBLEMS, app
from ..options import OutputDir, Progress, TextOrJson, echo_json, output_folder, say


@app.command()
def consolidate(
    paths: Annotated[list[Path], typer.Argument(help="Returned files, folders or .zip archives / 回收的文件、文件夹或压缩包。", show_default=False)],
    output: OutputDir,
    templates: Annotated[Path | None, typer.Option("--templates", help="Spec file or folder: the authoritative rules.")] = None,
    roster: Annotated[Path | None, typer.Option("--roster", help="Roster, to list people who have not returned.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Worker processes (default: CPU count).", min=1)] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786.")] = None,
    history: Annotated[Path | None, typer.Option("--history", help="SQLite history database (default OUTDIR/history.sqlite).")] = None,
    target_distribution: Annotated[str | None, typer.Option("--target-distribution", help="e.g. 20,70,10 (best grades first) or 优秀=20,良好=70")] = None,
    format: TextOrJson = "text",
) -> None:
    """汇总回收的考核表:校验、重新计分、报告问题 / Validate, recompute and report returned scorecards."""
    parse_distribution(target_distribution)
    output_folder(output)
    with Progress("consolidate", 0) as bar:
        result = api.consolidate(paths, output, templates, roster, workers=workers, scheduler=scheduler, history=history,
                                 target_distribution=target_distribution, progress=bar.advance, on_sources=bar.set_total)
    counts = result.counts()
    if format == "json":
        echo_json({**counts, "clean": result.clean, "issues_by_code": result.run.store.codes(),
                   "outputs": {k: str(v) for k, v in result.paths.items()}})
    else:
        say(f"读取 {counts['files']} 个文件,{counts['people']} 人,{counts['scored']} 人已完整评分;{counts['errors']} 个错误,{counts['warnings']} 个警告",
            f"read {counts['files']} file(s), {counts['people']} people, {counts['scored']} fully scored; "
            f"{counts['errors']} error(s), {counts['warnings']} warning(s)")
        for key, path in result.paths.items():
            typer.echo(f"  {key}: {path}", err=True)
    raise typer.Exit(EXIT_OK if result.clean else EXIT_PROBLEMS)

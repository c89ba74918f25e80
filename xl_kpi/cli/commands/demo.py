"""``xl-kpi demo``: the whole loop on the bundled templates and sample roster."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from ...core.text import ui_lang
from ..app import app
from ..i18n import T
from ..options import output_folder


@app.command(help=T("演示完整流程:生成 → 模拟填写 → 汇总。", "Run the whole loop on the bundled templates."))
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help=T("输出文件夹(其中的演示子文件夹会重建)。", "Output folder (its demo sub-folders are recreated)."))] = Path("out"),
    seed: Annotated[int, typer.Option("--seed", help=T("模拟填写的随机种子。", "Random seed of the simulated returns."))] = 2026,
) -> None:
    from rich.console import Console
    from rich.table import Table

    from ...demo import run_demo

    run = run_demo(output_folder(output), seed)
    result = run.result
    zh = ui_lang() == "zh"
    rows = sorted(result.run.store.records(), key=lambda r: r.employee_id)
    head = ("员工编号", "姓名", "部门", "总分", "等级", "状态") if zh else ("employee", "name", "department", "total", "grade", "status")
    table = Table(*head, box=None, pad_edge=False)
    for r in rows[:12]:
        table.add_row(r.employee_id, r.name, r.department, "" if r.total is None else f"{r.total:.2f}", r.grade or "", r.status)
    Console(width=100, highlight=False).print(table)
    if len(rows) > 12:
        typer.echo(f"… 另有 {len(rows) - 12} 人" if zh else f"… {len(rows) - 12} more")
    counts = Counter(result.run.store.codes())
    typer.echo(("问题: " if zh else "issues: ") + ", ".join(f"{k} ×{v}" for k, v in sorted(counts.items())))
    typer.echo(f"工作簿: {run.workbooks}  部门工作簿: {run.department}  回收: {run.returns}" if zh else
               f"workbooks: {run.workbooks}  department: {run.department}  returns: {run.returns}")
    for key, path in result.paths.items():
        typer.echo(f"{key}: {path}")

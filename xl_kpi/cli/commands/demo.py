"""``xl-kpi demo``: the whole loop on the bundled templates and sample roster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ...core.text import ui_lang
from ..app import command
from ..i18n import T
from ..options import FOLDER, echo, output_folder, whole
from ..report import output_lines, problem_lines, short_path, status_word

SHOWN = 12  # people listed; the rest are counted


@command(help=T("演示完整流程:生成工作簿 → 模拟员工填写和交回 → 汇总。", "Run the whole loop: build workbooks, simulate returns, consolidate."))
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", metavar=FOLDER, help=T(
        "输出文件夹(其中的 workbooks、department、returns、results 会重建)。",
        "Output folder (its workbooks, department, returns and results folders are recreated)."))] = Path("out"),
    seed: Annotated[int, typer.Option("--seed", metavar=T("整数", "N"), parser=whole(), help=T(
        "模拟填写的随机种子。", "Random seed of the simulated returns."))] = 2026,
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
    for r in rows[:SHOWN]:
        table.add_row(r.employee_id, r.name, r.department, "" if r.total is None else f"{r.total:.2f}", r.grade or "", status_word(r.status))
    Console(width=100, highlight=False).print(table)
    if len(rows) > SHOWN:
        typer.echo(f"… 另有 {len(rows) - SHOWN} 人" if zh else f"… {len(rows) - SHOWN} more")
    for line in problem_lines(result.run.store.examples(), result.paths.get("issues")):
        echo(line)
    folders = {"workbooks": run.workbooks, "department": run.department, "returns": run.returns}
    names = {"workbooks": ("工作簿", "workbooks"), "department": ("部门工作簿", "department workbooks"), "returns": ("模拟交回", "returns")}
    echo("  ".join(f"{names[k][0 if zh else 1]}: {short_path(str(v))}" for k, v in folders.items()))
    for line in output_lines(result.paths):
        echo(line)

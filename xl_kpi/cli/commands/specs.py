"""``xl-kpi check`` and ``xl-kpi score``: specs and the engine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ... import api
from ...core.errors import UsageError
from ...core.files import csv_text
from ...spec.loading import spec_files
from ..app import command
from ..i18n import T
from ..options import FILE, CsvOrJson, TextOrJson, echo_findings, echo_json, exit_for, people, say

SPECS = T("规格", "SPEC")


@command(help=T("校验规格(YAML 或 HR 的考核表),一次列出所有问题及改法。",
                "Check specs (YAML or HR's own tables): every problem at once, each with its fix."))
def check(
    specs: Annotated[list[Path], typer.Argument(help=T("规格文件、文件夹或考核表。", "Spec files, folders or KPI tables."),
                                                show_default=False, metavar=SPECS)],
    format: TextOrJson = "text",
    roster: Annotated[Path | None, typer.Option("--roster", metavar=FILE, help=T(
        "花名册,用于目标分解检查。", "Roster, for the cascade check."))] = None,
    department_targets: Annotated[Path | None, typer.Option("--department-targets", metavar=FILE, help=T(
        "部门目标表(部门,指标,目标),与个人目标之和对照;需要 --roster。",
        "Department targets (department, indicator, target), checked against the people's; needs --roster."))] = None,
    targets: Annotated[Path | None, typer.Option("--targets", metavar=FILE, help=T(
        "个人目标表(build --targets 读的表),代替规格目标参与分解检查。",
        "Per-person targets (the table build --targets reads), used instead of the spec's in the cascade."))] = None,
) -> None:
    if department_targets is not None and roster is None:
        raise UsageError("option-needs", option="--department-targets", needs="--roster")
    if targets is not None and department_targets is None:
        raise UsageError("option-needs", option="--targets", needs="--department-targets")
    problems = api.check(specs)
    if department_targets is not None and roster is not None:
        templates: dict = {}
        for path in specs:
            templates.update(api.load_templates(path))
        problems += api.check_cascade(templates, api.load_people(roster, templates), department_targets, targets)
    if format == "json":
        echo_json([p.as_dict() for p in problems])
    else:
        echo_findings(problems)
        errors = sum(p.severity == "error" for p in problems)
        checked = sum(len(spec_files(path)) for path in specs)
        say(f"检查了 {checked} 个规格: {errors} 个错误, {len(problems) - errors} 个警告",
            f"checked {checked} spec(s): {errors} error(s), {len(problems) - errors} warning(s)")
    exit_for(problems)


@command(help=T("用评分引擎为实际值计分:得分、总分和等级。", "Score actuals with the engine: scores, totals and grades."))
def score(
    spec: Annotated[Path, typer.Argument(help=T("规格文件或考核表。", "Spec file or KPI table."), show_default=False, metavar=SPECS)],
    actuals: Annotated[Path, typer.Option("--actuals", metavar=FILE, show_default=False, help=T(
        "实际值表 CSV/XLSX,列为 工号,指标,实际值;指标写名称(销售额完成率)或标识(sales_rate)。",
        "Actuals CSV/XLSX with columns employee_id, indicator, actual; the indicator by its name or its id."))],
    format: CsvOrJson = "csv",
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar=FILE, help=T(
        "写入此文件(CSV 为带 BOM 的 UTF-8,Excel 直接打开),而不是标准输出。",
        "Write here instead of to stdout (a CSV as UTF-8 with a BOM, which Excel opens as it is)."))] = None,
) -> None:
    from ...tabular.actuals import score_actuals_file  # pandas: only this command needs it

    loaded = api.load_spec(spec)
    run = score_actuals_file(loaded, actuals)
    if format == "json":
        import json

        text = json.dumps(run.records(), ensure_ascii=False, indent=2) + "\n"
    else:
        wide = run.wide.astype(object).where(run.wide.notna(), None)
        text = csv_text(list(wide.columns), wide.itertuples(index=False))
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8-sig" if format == "csv" else "utf-8", newline="")
    else:
        sys.stdout.write(text)
    echo_findings(run.report(), err=output is None)  # stdout carries the scores unless -o
    if output:
        say(f"已写出 {output}({len(run.wide)} 人)", f"wrote {output} ({people(len(run.wide))})")
    exit_for(run.problems)

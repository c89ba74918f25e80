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
from ..app import app
from ..i18n import T
from ..options import CsvOrJson, TextOrJson, echo_findings, echo_json, exit_for, json_text, say


@app.command(help=T("校验规格(YAML 或 HR 的考核表),一次列出所有问题。", "Validate specs (YAML or HR's own tables) and report every problem at once."))
def check(
    specs: Annotated[list[Path], typer.Argument(help=T("规格文件、文件夹或考核表。", "Spec files, folders or KPI tables."), show_default=False)],
    format: TextOrJson = "text",
    roster: Annotated[Path | None, typer.Option("--roster", help=T("花名册,用于目标分解检查。", "Roster, for the cascade check."))] = None,
    department_targets: Annotated[Path | None, typer.Option("--department-targets", help=T(
        "CSV/XLSX: department,indicator_id,target,与个人目标之和对照。",
        "CSV/XLSX: department,indicator_id,target — checked against the sum of people's targets."))] = None,
    targets: Annotated[Path | None, typer.Option("--targets", help=T(
        "个人目标(与 build --targets 相同的表),代替规格目标参与分解检查。",
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


@app.command(help=T("用评分引擎计算得分、总分和等级。", "Score actuals with the engine."))
def score(
    spec: Annotated[Path, typer.Argument(help=T("规格文件或考核表。", "Spec file or KPI table."), show_default=False)],
    actuals: Annotated[Path, typer.Option("--actuals", help=T("CSV/XLSX: employee_id,indicator_id,actual(或 工号,指标,实际值)",
                                                                 "CSV/XLSX: employee_id,indicator_id,actual"), show_default=False)],
    format: CsvOrJson = "csv",
    output: Annotated[Path | None, typer.Option("-o", "--output", help=T("写入此文件,而不是标准输出。", "Write here instead of stdout."))] = None,
) -> None:
    from ...tabular.actuals import score_actuals_file  # pandas: only this command needs it

    loaded = api.load_spec(spec)
    run = score_actuals_file(loaded, actuals)
    if format == "json":
        text = json_text(run.records()) + "\n"
    else:
        wide = run.wide.astype(object).where(run.wide.notna(), None)
        text = csv_text(list(wide.columns), wide.itertuples(index=False))
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    echo_findings(run.report())
    exit_for(run.problems)

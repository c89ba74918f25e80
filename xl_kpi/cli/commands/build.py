"""``xl-kpi build``: protected, live-scoring workbooks for every person on a roster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ... import api
from ...core.errors import UsageError
from ..app import app
from ..options import Lang, OutputDir, Progress, output_folder, say


def quarter_weights(text: str) -> list[float]:
    """Four non-negative quarter weights from "25,30,25,20" (or "25%,…", or fractions)."""
    try:
        weights = [float(w.strip().rstrip("%")) for w in text.split(",")]
    except ValueError:
        weights = []
    if len(weights) != 4 or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise UsageError("bad-option", option="--plan-weights", value=text, allowed="4 non-negative numbers, e.g. 25,30,25,20")
    return weights


@app.command()
def build(
    spec: Annotated[Path, typer.Argument(help="Spec file or folder of specs / 规格文件或文件夹。", show_default=False)],
    roster: Annotated[Path, typer.Option("--roster", help="CSV/XLSX: employee_id,name,department,position,manager,template[,period]", show_default=False)],
    output: OutputDir,
    layout: Annotated[Literal["employee", "department"], typer.Option("--layout", help="employee (one file each) | department (one file per department)")] = "employee",
    lang: Lang = None,
    password: Annotated[str, typer.Option("--password", help="Sheet and structure protection password (default none).")] = "",
    reviewer_password: Annotated[str, typer.Option("--reviewer-password", help="Locks the supervisor's and reviewer's cells behind their own password (a roster column reviewer_password sets it per person).")] = "",
    formulas: Annotated[Literal["native", "udf"], typer.Option("--formulas", help="native (default: works everywhere) | udf (xlwings functions, .xlsm)")] = "native",
    targets: Annotated[Path | None, typer.Option("--targets", help="Per-person targets: employee_id,indicator_id,target (or xl-kpi targets' output).")] = None,
    plan_weights: Annotated[str, typer.Option("--plan-weights", help="Quarter shares of the target plan (seed: 25,30,25,20; e.g. from xl-kpi split --history).")] = "25,30,25,20",
) -> None:
    """生成可实时评分、受保护的考核工作簿 / Generate protected, live-scoring scorecard workbooks."""
    weights = quarter_weights(plan_weights)
    output_folder(output)
    templates = api.load_templates(spec)
    people = api.load_people(roster, templates)
    with Progress("build", len(people)) as bar:
        written = api.build(templates, people, output, layout=layout, lang=lang, password=password,
                            reviewer_password=reviewer_password, formulas=formulas,
                            targets=targets, plan_weights=weights, progress=bar.advance)
    say(f"已生成 {len(written)} 个工作簿({len(people)} 人)→ {output}", f"wrote {len(written)} workbook(s) for {len(people)} people → {output}")

"""``xl-kpi import`` and ``xl-kpi export-spec``: HR's own KPI tables ⇄ specs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ... import api
from ...core.errors import UsageError
from ...core.text import Text
from ...core.visible import visible
from ..app import command
from ..i18n import T
from ..options import TextOrJson, echo_findings, echo_json, exit_for, say

XLSX_NAME = Text("一个 .xlsx 文件名", "a .xlsx file name")


@command("import", help=T("读取 HR 自己的 KPI 考核表,生成规格;每处推断都写成注释。",
                          "Read HR's own KPI tables into specs; every inference is stated as a comment."))
def import_(
    tables: Annotated[list[Path], typer.Argument(help=T("HR 的考核表: .xlsx .xls .ods .csv", "KPI tables: .xlsx .xls .ods .csv"),
                                                 show_default=False, metavar=T("考核表", "TABLE"))],
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar=T("文件或文件夹", "PATH"), help=T(
        "一个 .yaml 文件或 .xlsx 规格工作簿(一个岗位;工作簿带“核对”表)或一个文件夹;不给则打印 YAML。",
        "A .yaml file or a .xlsx spec workbook (one role; the workbook has a Review sheet) or a folder; without it the YAML is printed."))] = None,
    format: TextOrJson = "text",
) -> None:
    imported, problems = api.read_tables(tables)
    errors = sum(p.severity == "error" for p in problems)
    if format == "json":
        written = api.write_imported(imported, output) if output is not None and not errors else []
        echo_json({"specs": [{"id": i.spec.id, "source": i.source, "yaml": i.yaml,
                              "review": [{"cell": r.cell, "concerns": r.said("zh")[0], "text": str(r.text)} for r in i.review]} for i in imported],
                   "written": [str(p) for p in written], "findings": [p.as_dict() for p in problems]})
        exit_for(problems)
        return
    to_stdout = output is None  # the YAML itself goes to stdout: the rest to stderr
    echo_findings(problems, err=to_stdout)
    if errors:
        say(f"{errors} 个单元格无法读取或不合规则:没有写出任何文件", f"{errors} cell(s) cannot be read or break a rule: nothing written",
            err=to_stdout)
        raise typer.Exit(1)
    if output is None:
        if len(imported) != 1:
            raise UsageError("option-needs", option=Text(f"{len(imported)} 个岗位", f"{len(imported)} roles"),
                             needs=Text("-o 文件夹", "-o FOLDER"))
        sys.stdout.write(visible(imported[0].yaml))  # valid YAML holds no control characters: unchanged
    else:
        written = api.write_imported(imported, output)
        for item, path in zip(imported, written):
            say(f"{item.source} → {path}({len(item.spec.indicators)} 项指标,{item.notes} 条推断写在注释中)",
                f"{item.source} → {path} ({len(item.spec.indicators)} indicators, {item.notes} inference(s) stated as comments)")
    for item in imported:  # what was read without the table saying it outright: to check
        if item.review:
            say(f"{item.source}: 请核对以下 {len(item.review)} 条推断", f"{item.source}: check these {len(item.review)} inference(s)",
                err=to_stdout)
            for r in item.review:
                say("  {} {}: {}".format(r.cell, *r.said("zh")), "  {} {}: {}".format(r.cell, *r.said("en")), err=to_stdout)


@command("export-spec", help=T("把规格写成 HR 在 Excel 里编辑的工作簿(改好后用 import 读回)。",
                               "Write a spec as a workbook HR edits in Excel (read it back with import)."))
def export_spec(
    spec: Annotated[Path, typer.Argument(help=T("规格文件。", "Spec file."), show_default=False, metavar=T("规格", "SPEC"))],
    output: Annotated[Path, typer.Option("-o", "--output", metavar=T("文件", "FILE"), show_default=False, help=T(
        "要写出的工作簿(.xlsx)。", "The workbook to write (.xlsx)."))],
) -> None:
    if output.suffix.lower() != ".xlsx" or output.is_dir():
        raise UsageError("bad-option", option="-o", value=str(output), allowed=XLSX_NAME)
    loaded = api.load_spec(spec)
    output.parent.mkdir(parents=True, exist_ok=True)
    api.export_spec(loaded, output)
    say(f"已写出 {output}(修改后用 xl-kpi import 读回)", f"wrote {output} (edit it, then read it back with xl-kpi import)")

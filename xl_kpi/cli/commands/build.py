"""``xl-kpi build``: protected, live-scoring workbooks for every person on a roster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ... import api
from ...core.errors import UsageError
from ..app import app
from ..i18n import T
from ..options import Lang, OutputDir, Progress, echo_findings, output_folder, say


def quarter_weights(text: str) -> list[float]:
    """Four non-negative quarter weights from "25,30,25,20" (or "25%,…", or fractions)."""
    try:
        weights = [float(w.strip().rstrip("%")) for w in text.split(",")]
    except ValueError:
        weights = []
    if len(weights) != 4 or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise UsageError("bad-option", option="--plan-weights", value=text, allowed="4 non-negative numbers, e.g. 25,30,25,20")
    return weights


def role_passwords(items: list[str]) -> dict[str, str]:
    """``supervisor=PW`` (or 上级=PW) items as {role: password}."""
    from ...tabular.raters import role_word

    out: dict[str, str] = {}
    for item in items:
        word, sep, password = item.partition("=")
        role = role_word(word)
        if not sep or role is None or not password:
            raise UsageError("bad-option", option="--rater-password", value=item, allowed="supervisor=PW, reviewer=PW or peer=PW")
        out[role] = password
    return out


@app.command(help=T("生成可实时评分、受保护的考核工作簿。", "Generate protected, live-scoring scorecard workbooks."))
def build(
    spec: Annotated[Path, typer.Argument(help=T("规格文件、文件夹或考核表。", "Spec file, folder of specs or KPI table."), show_default=False)],
    roster: Annotated[Path, typer.Option("--roster", help=T(
        "花名册 CSV/XLSX: 工号,姓名,部门,岗位,直接上级,模板[,考核周期](或英文列名)",
        "CSV/XLSX: employee_id,name,department,position,manager,template[,period]"), show_default=False)],
    output: OutputDir,
    layout: Annotated[Literal["employee", "department"], typer.Option("--layout", help=T(
        "employee(每人一个文件)| department(每个部门一个文件)", "employee (one file each) | department (one file per department)"))] = "employee",
    lang: Lang = None,
    password: Annotated[str, typer.Option("--password", help=T("工作表和结构保护密码(默认无)。", "Sheet and structure protection password (default none)."))] = "",
    reviewer_password: Annotated[str, typer.Option("--reviewer-password", help=T(
        "用单独的密码锁定上级和复核人的单元格(花名册的 reviewer_password 列可逐人设置)。",
        "Locks the supervisor's and reviewer's cells behind their own password (a roster column reviewer_password sets it per person)."))] = "",
    formulas: Annotated[Literal["native", "udf"], typer.Option("--formulas", help=T(
        "native(默认,处处可用)| udf(xlwings 函数,.xlsm)", "native (default: works everywhere) | udf (xlwings functions, .xlsm)"))] = "native",
    targets: Annotated[Path | None, typer.Option("--targets", help=T(
        "个人目标: employee_id,indicator_id,target(或 xl-kpi targets 的输出)。",
        "Per-person targets: employee_id,indicator_id,target (or xl-kpi targets' output)."))] = None,
    plan_weights: Annotated[str, typer.Option("--plan-weights", help=T(
        "目标计划的季度比例(种子文档: 25,30,25,20;可用 xl-kpi split --history 得出)。",
        "Quarter shares of the target plan (seed: 25,30,25,20; e.g. from xl-kpi split --history)."))] = "25,30,25,20",
    sign_key: Annotated[Path | None, typer.Option("--sign-key", help=T(
        "HR 保管的密钥文件:用它签名每个工作簿的元数据(汇总时用 --issued 和同一密钥核验)。",
        "HR's secret key file: signs each workbook's metadata (consolidate verifies it with --issued and the same key)."))] = None,
    new_key: Annotated[Path | None, typer.Option("--new-key", help=T(
        "新建一个密钥文件(仅所有者可读)并用它签名;妥善保管,汇总时用 --sign-key 给出。",
        "Create a new key file (owner-only) and sign with it; keep it safe and give it to consolidate --sign-key."))] = None,
    open_sheet: Annotated[bool, typer.Option("--open-sheet", help=T(
        "允许只设 --reviewer-password 而不设 --password(工作表本身可被任何人取消保护)。",
        "Allow --reviewer-password without --password (anyone can then unprotect the sheet itself)."))] = False,
    ratings: Annotated[Literal["auto", "separate", "inline"], typer.Option("--ratings", help=T(
        "separate: 上级、复核人、互评同事各自在自己的评分表中评分 | inline: 全部评分在员工的文件中(小团队,仅防误改)| auto(默认): 有他人评分时 separate",
        "separate: supervisors, reviewers and peers rate in workbooks of their own | inline: every rating in the employee's "
        "file (small teams; deterrence only) | auto (default): separate when others rate"))] = "auto",
    books: Annotated[Literal["all", "employees", "raters"], typer.Option("--books", help=T(
        "只生成员工的(employees)或评分人的(raters)工作簿(默认 all)。", "Only the employees' or the raters' workbooks (default all)."))] = "all",
    raters: Annotated[Path | None, typer.Option("--raters", help=T(
        "评分人名单 CSV/XLSX: 工号,评分人,角色(上级/复核/同事);否则用花名册的直接上级、复核人、互评人列。",
        "Rater list CSV/XLSX: employee_id,rater,role (supervisor/reviewer/peer); else the roster's manager, reviewer, peers columns."))] = None,
    rater_password: Annotated[list[str] | None, typer.Option("--rater-password", help=T(
        "单文件模式下某一评分角色的密码,如 supervisor=甲 reviewer=乙(可重复)。",
        "Single file: one role's own password, e.g. supervisor=PW (repeatable)."))] = None,
    from_results: Annotated[Path | None, typer.Option("--from", help=T(
        "用员工交回后的汇总结果(xl-kpi consolidate 的输出文件夹)生成评分表:评分人可看到实际完成、自评和自我评价。",
        "Build the rating workbooks from the employees' consolidated returns (consolidate's output folder): raters see "
        "actuals, self-ratings and self-reviews."))] = None,
) -> None:
    weights = quarter_weights(plan_weights)
    if new_key is not None:
        if sign_key is not None:
            raise UsageError("bad-option", option="--new-key", value=str(new_key), allowed="--new-key or --sign-key, not both")
        sign_key = api.new_sign_key(new_key)
        say(f"已新建密钥文件 {new_key}:请妥善保管,汇总时用 --sign-key 给出", f"new key file {new_key}: keep it safe; consolidate with --sign-key")
    output_folder(output)
    templates = api.load_templates(spec)
    people = api.load_people(roster, templates)
    with Progress("build", len(people)) as bar:
        written = api.build(templates, people, output, layout=layout, lang=lang, password=password,
                            reviewer_password=reviewer_password, formulas=formulas,
                            targets=targets, plan_weights=weights, progress=bar.advance, sign_key=sign_key, open_sheet=open_sheet,
                            ratings=ratings, books=books, raters=raters, rater_passwords=role_passwords(rater_password or []),
                            from_results=from_results)
    echo_findings(written.findings)  # names numbered or shortened to stay unique and valid
    say(f"已生成 {len(written)} 个工作簿({len(people)} 人)→ {output}", f"wrote {len(written)} workbook(s) for {len(people)} people → {output}")

"""``xl-kpi build``: protected, live-scoring workbooks for every person on a roster."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from ... import api
from ...core.errors import UsageError
from ...core.text import Text
from ..app import command
from ..i18n import T
from ..options import FILE, PERIOD, Lang, OutputDir, Progress, choice, echo_findings, output_folder, say, whole
from ..options import people as count

QUARTERS = Text("4 个不小于 0 的数,如 25,30,25,20", "4 numbers of 0 or more, e.g. 25,30,25,20")


def quarter_weights(text: str, option: str = "--plan-weights") -> list[float]:
    """Four non-negative quarter weights from "25,30,25,20" (or "25%,…", or fractions)."""
    try:
        weights = [float(w.strip().rstrip("%")) for w in text.replace(",", ",").split(",")]
    except ValueError:
        weights = []
    if len(weights) != 4 or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise UsageError("bad-option", option=option, value=text, allowed=QUARTERS)
    return weights


def role_passwords(items: list[str]) -> dict[str, str]:
    """``supervisor=PW`` (or 上级=PW) items as {role: password}."""
    from ...tabular.raters import role_word

    out: dict[str, str] = {}
    for item in items:
        word, sep, password = item.partition("=")
        role = role_word(word)
        if not sep or role is None or not password:
            raise UsageError("bad-option", option="--rater-password", value=item,
                             allowed=Text("上级=密码、复核=密码 或 同事=密码", "supervisor=PW, reviewer=PW or peer=PW"))
        out[role] = password
    return out


@command(help=T("为花名册上的每个人生成可实时评分、受保护的考核工作簿。",
                "Generate protected, live-scoring scorecard workbooks for everyone on a roster."),
         epilog=T("花名册的列: 工号,姓名,部门,岗位,直接上级,模板,可选 考核周期,奖金基数,复核密码(或英文列名 employee_id、name、"
                  "department、position、manager、template、period、bonus_base、reviewer_password),评分人另用 复核人、互评人"
                  "(reviewer、peers,多人用、分隔)或 --raters 名单。模板写规格标识或考核表标题。"
                  "有他人评分时,每位上级、复核人和互评同事另有一个评分表(评分表/)。"
                  "输出文件夹里另有 issued.sqlite: HR 发出内容的登记册,汇总时用 --issued 核对。",
                  "Roster columns: employee_id, name, department, position, manager, template, and optionally period, "
                  "bonus_base, reviewer_password (or their Chinese names); raters in reviewer and peers (several separated by commas) "
                  "or a --raters list. The template is a spec's id or its card's title. "
                  "Where others rate, each supervisor, reviewer and peer also gets a rating workbook (评分表/). "
                  "The output folder also gets issued.sqlite, the register of what HR issued, for consolidate --issued."))
def build(
    spec: Annotated[Path, typer.Argument(help=T("规格文件、规格文件夹或考核表。", "Spec file, folder of specs or KPI table."),
                                         show_default=False, metavar=T("规格", "SPEC"))],
    roster: Annotated[Path, typer.Option("--roster", metavar=FILE, show_default=False, help=T(
        "花名册 CSV/XLSX(列见下)。", "Roster CSV/XLSX (columns below)."))],
    output: OutputDir,
    layout: Annotated[Literal["employee", "department"], typer.Option(
        "--layout", metavar="employee|department", parser=choice("employee", "department"), help=T(
            "每人一个文件(employee)或每个部门一个文件(department)。",
            "One file per person (employee) or per department (department)."))] = "employee",
    lang: Lang = None,
    password: Annotated[str, typer.Option("--password", metavar=T("密码", "PASSWORD"), help=T(
        "工作表和结构的保护密码(默认无)。", "Sheet and structure protection password (default none)."))] = "",
    reviewer_password: Annotated[str, typer.Option("--reviewer-password", metavar=T("密码", "PASSWORD"), help=T(
        "上级和复核人单元格的单独密码(花名册的复核密码列可逐人设置)。",
        "A password of their own for the supervisor's and reviewer's cells (the roster's reviewer_password column sets it per person)."))] = "",
    formulas: Annotated[Literal["native", "udf"], typer.Option("--formulas", metavar="native|udf", parser=choice("native", "udf"), help=T(
        "native: 处处可用的公式;udf: xlwings 函数(.xlsm,需要 xl-kpi[udf])。",
        "native: formulas that work everywhere; udf: xlwings functions (.xlsm, needs xl-kpi[udf])."))] = "native",
    targets: Annotated[Path | None, typer.Option("--targets", metavar=FILE, help=T(
        "个人目标表: 工号,指标,目标(或 xl-kpi targets 的输出)。",
        "Per-person targets: employee_id, indicator, target (or what xl-kpi targets wrote)."))] = None,
    plan_weights: Annotated[str, typer.Option("--plan-weights", metavar="Q1,Q2,Q3,Q4", help=T(
        "目标计划的季度比例(可用 xl-kpi split --history 得出)。",
        "Quarter shares of the target plan (xl-kpi split --history suggests some)."))] = "25,30,25,20",
    sign_key: Annotated[Path | None, typer.Option("--sign-key", metavar=FILE, help=T(
        "HR 保管的密钥文件,为每个工作簿的元数据签名(汇总时用 --issued 和同一密钥核验)。",
        "HR's secret key file: signs each workbook's metadata (consolidate checks it with --issued and the same key)."))] = None,
    new_key: Annotated[Path | None, typer.Option("--new-key", metavar=FILE, help=T(
        "新建一个密钥文件(仅所有者可读)并用它签名;妥善保管,汇总时用 --sign-key 给出。",
        "Create a new key file (owner-only) and sign with it; keep it safe and give it to consolidate --sign-key."))] = None,
    open_sheet: Annotated[bool, typer.Option("--open-sheet", help=T(
        "允许只设 --reviewer-password 而不设 --password(工作表本身可被任何人取消保护)。",
        "Allow --reviewer-password without --password (anyone can then unprotect the sheet itself)."))] = False,
    ratings: Annotated[Literal["auto", "separate", "inline"], typer.Option(
        "--ratings", metavar="auto|separate|inline", parser=choice("auto", "separate", "inline"), help=T(
            "separate: 上级、复核人、互评同事各在自己的评分表中评分;inline: 全部评分在员工的文件中(小团队,仅防误改);"
            "auto(默认): 有他人评分时 separate。",
            "separate: supervisors, reviewers and peers rate in workbooks of their own; inline: every rating in the employee's "
            "file (small teams; deterrence only); auto (default): separate when others rate."))] = "auto",
    books: Annotated[Literal["all", "employees", "raters"], typer.Option(
        "--books", metavar="all|employees|raters", parser=choice("all", "employees", "raters"), help=T(
            "只生成员工的(employees)或评分人的(raters)工作簿(默认 all)。", "Only the employees' or the raters' workbooks (default all)."))] = "all",
    raters: Annotated[Path | None, typer.Option("--raters", metavar=FILE, help=T(
        "评分人名单 CSV/XLSX: 工号,评分人,角色(上级/复核/同事);否则用花名册的直接上级、复核人、互评人列。",
        "Rater list CSV/XLSX: employee_id, rater, role (supervisor/reviewer/peer); else the roster's manager, reviewer, peers columns."))] = None,
    rater_password: Annotated[list[str] | None, typer.Option("--rater-password", metavar=T("角色=密码", "ROLE=PASSWORD"), help=T(
        "单文件模式(--ratings inline)下一个评分角色自己的密码,如 上级=甲、复核=乙(可重复)。",
        "Single file (--ratings inline): one rater role's own password, e.g. supervisor=PW (repeatable)."))] = None,
    from_results: Annotated[Path | None, typer.Option("--from", metavar=T("文件夹", "FOLDER"), help=T(
        "用员工交回后的汇总结果(xl-kpi consolidate 的输出文件夹)只生成评分表:评分人可看到实际完成、自评和自我评价。",
        "Build only the rating workbooks, from the employees' consolidated returns (consolidate's output folder): raters see "
        "actuals, self-ratings and self-reviews."))] = None,
    changes: Annotated[Path | None, typer.Option("--changes", metavar=FILE, help=T(
        "记有经批准的期中目标变更的登记册(xl-kpi goals change 写入的 issued.sqlite):按批准后的目标生成考核表,并在目标确认记录中列出变更。",
        "A register holding approved mid-period changes (the issued.sqlite xl-kpi goals change wrote): the cards are built with "
        "the approved targets and list the changes on their Agreed goals sheet."))] = None,
    workers: Annotated[int | None, typer.Option("--workers", metavar="N", parser=whole(1), help=T(
        "生成工作簿的进程数(默认 CPU 核数,80 人以上才分给多个进程;1 为只用本进程)。",
        "Processes writing the workbooks (default: the number of CPUs, for 80 people or more; 1: this process alone)."))] = None,
    phase: Annotated[Literal["scorecard", "goals"], typer.Option("--phase", metavar="scorecard|goals", parser=choice("scorecard", "goals"), help=T(
        "scorecard: 考核表;goals: 期初的目标设定表(员工提出目标,上级确认,用 xl-kpi goals collect 收回)。",
        "scorecard: the scorecards; goals: the period's goal-setting workbooks (the employee proposes, the supervisor "
        "agrees; collected by xl-kpi goals collect)."))] = "scorecard",
    history: Annotated[Path | None, typer.Option("--history", metavar=FILE, help=T(
        "--phase goals: 历史表(工号,指标,期间,数值)或 history.sqlite,给出每项指标的历史平均、基准目标和挑战目标。",
        "--phase goals: history (employee_id, indicator_id, period, value) or history.sqlite: each indicator's mean, baseline "
        "and challenge."))] = None,
    department_targets: Annotated[Path | None, typer.Option("--department-targets", metavar=FILE, help=T(
        "--phase goals: 部门目标表(部门,指标,目标[,goal]),写入每项指标的来源;与 --layout department 一起时,部门目标与员工目标之和并列比较。",
        "--phase goals: department targets (department, indicator_id, target[, goal]), shown as each indicator's source; with "
        "--layout department, set beside the live sum of the people's targets."))] = None,
    personal: Annotated[int, typer.Option("--personal", metavar="N", parser=whole(0, 5), help=T(
        "--phase goals: 每人最多可加的个人指标数(0 为不允许)。", "--phase goals: personal indicators each person may add (0: none)."))] = 1,
    personal_weights: Annotated[str, typer.Option("--personal-weights", metavar=T("最小-最大", "MIN-MAX"), help=T(
        "--phase goals: 个人指标的权重范围,如 5%-20%。", "--phase goals: a personal indicator's weight range, e.g. 5%-20%."))] = "5%-20%",
    period: Annotated[str | None, typer.Option("--period", metavar=PERIOD, help=T(
        "--phase goals: 考核期间(默认: 花名册的,否则规格的)。", "--phase goals: the period (default: the roster's, else the spec's)."))] = None,
) -> None:
    if phase == "goals":
        _goals(spec, roster, output, lang, password, sign_key, new_key, history, department_targets, personal, personal_weights, period,
               ratings, layout, formulas, targets=targets, reviewer_password=reviewer_password, books=books,
               raters=raters, rater_password=rater_password, from_results=from_results, changes=changes, workers=workers)
        return
    for option, value in (("--history", history), ("--department-targets", department_targets), ("--period", period)):
        if value is not None:
            raise UsageError("option-needs", option=option, needs="--phase goals")
    weights = quarter_weights(plan_weights)
    with _fresh_key(new_key, sign_key, output) as sign_key:
        _scorecards(spec, roster, output, sign_key, lang=lang, password=password, layout=layout, formulas=formulas, targets=targets,
                    plan_weights=weights, open_sheet=open_sheet, ratings=ratings, books=books, raters=raters,
                    rater_passwords=role_passwords(rater_password or []), reviewer_password=reviewer_password,
                    from_results=from_results, changes=changes, workers=workers)


@contextlib.contextmanager
def _fresh_key(new_key: Path | None, sign_key: Path | None, output: Path) -> Iterator[Path | None]:
    """``--new-key``: the key is made before anything is built (a key that exists is refused first) and removed
    again when the build fails before its register is published — no workbook was signed with it that HR holds,
    and the same command, its input fixed, runs again. Said only once the build is done."""
    if new_key is None:
        yield sign_key
        return
    if sign_key is not None:
        raise UsageError("bad-option", option="--new-key", value=str(new_key),
                         allowed=Text("--new-key 或 --sign-key,不能同时给出", "--new-key or --sign-key, not both"))
    register = output / "issued.sqlite"
    before = _stamp(register)
    key = api.new_sign_key(new_key)
    try:
        yield key
    except BaseException:
        if _stamp(register) == before:
            key.unlink(missing_ok=True)
        raise
    say(f"已新建密钥文件 {new_key}:请妥善保管,汇总时用 --sign-key 给出", f"new key file {new_key}: keep it safe; consolidate with --sign-key")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _scorecards(spec: Path, roster: Path, output: Path, sign_key: Path | None, **options: Any) -> None:
    output_folder(output)
    templates = api.load_templates(spec)
    people = api.load_people(roster, templates)
    with Progress(T("生成工作簿", "Building workbooks"), len(people)) as bar:
        written = api.build(templates, people, output, progress=bar.advance, sign_key=sign_key, **options)
    echo_findings(written.findings)  # names numbered or shortened to stay unique and valid
    say(f"已生成 {len(written)} 个工作簿({len(people)} 人)→ {output}", f"wrote {len(written)} workbook(s) for {count(len(people))} → {output}")


def _share(text: str) -> float:
    value = float(text.strip().rstrip("%"))
    return value / 100 if text.strip().endswith("%") or value > 1 else value


def _goals(spec: Path, roster: Path, output: Path, lang: str | None, password: str, sign_key: Path | None, new_key: Path | None,
           history: Path | None, department_targets: Path | None, personal: int, personal_weights: str, period: str | None,
           ratings: str, layout: str, formulas: str, **scorecard_only: object) -> None:
    """``build --phase goals``: the goal-setting workbooks and their rows in the register."""
    defaults = {"targets": None, "reviewer_password": "", "books": "all",
                "raters": None, "rater_password": None, "from_results": None, "changes": None, "workers": None}
    for name, value in scorecard_only.items():
        if value != defaults[name]:
            raise UsageError("bad-option", option="--" + name.replace("_", "-"), value=str(value),
                             allowed=Text("--phase goals 不用此选项", "not used with --phase goals"))
    try:
        lo, hi = (_share(part) for part in personal_weights.replace("~", "-").split("-", 1))
    except ValueError:
        raise UsageError("bad-option", option="--personal-weights", value=personal_weights,
                         allowed=Text("两个比例,如 5%-20%", "two shares, e.g. 5%-20%")) from None
    with _fresh_key(new_key, sign_key, output) as sign_key:
        output_folder(output)
        rules = api.goal_rules(personal=personal, personal_weights=(lo, hi))
        templates = api.load_templates(spec)
        people = api.load_people(roster, templates)
        with Progress(T("生成目标设定表", "Building goals workbooks"), len(people)) as bar:
            written = api.build_goals(templates, people, output, history=history, rules=rules, period=period, lang=lang,
                                      password=password, sign_key=sign_key, department_targets=department_targets,
                                      progress=bar.advance, ratings=ratings, layout=layout, formulas=formulas)
    echo_findings(written.findings)
    say(f"已生成 {len(written)} 份目标设定表({len(people)} 人)→ {output};填好后用 xl-kpi goals collect 收回",
        f"wrote {len(written)} goals workbook(s) for {count(len(people))} → {output}; collect them with xl-kpi goals collect")

"""The ``xl-kpi`` command line: parse, call the library, render, exit.

Exit codes: 0 ok, 1 problems found, 2 usage error. Errors are one line on stderr; a
traceback only with ``--debug``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import Problem, UsageError, XlKpiError, ui_lang

app = typer.Typer(
    name="xl-kpi",
    help="KPI 考核表:YAML 规格 → 自动评分的 Excel 工作簿 → 安全汇总。\n\n"
    "KPI scorecards: YAML specs → live-scoring Excel workbooks → safe consolidation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_STATE = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xl-kpi {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks / 出错时显示完整回溯。")] = False,
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = None,
) -> None:
    _STATE["debug"] = debug


def print_problems(problems: list[Problem]) -> None:
    """Every problem on stderr, one line each."""
    for p in problems:
        typer.echo(p.render(), err=True)


def exit_for(problems: list[Problem]) -> None:
    """Exit 1 when any problem is an error."""
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(1)


@app.command()
def check(
    specs: Annotated[list[Path], typer.Argument(help="Spec files or folders / 规格文件或文件夹。", show_default=False)],
    format: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    roster: Annotated[Optional[Path], typer.Option("--roster", help="Roster, for the cascade check.")] = None,
    department_targets: Annotated[Optional[Path], typer.Option("--department-targets", help="CSV/XLSX: department,indicator_id,target — checked against the sum of people's targets.")] = None,
) -> None:
    """校验规格,一次列出所有问题 / Validate specs and report every problem at once."""
    from .advice import spec_advice
    from .spec import check_spec, spec_files

    problems: list[Problem] = []
    checked = 0
    for path in specs:
        for file in spec_files(path):
            spec, found = check_spec(file)
            problems += found
            if spec is not None:
                problems += spec_advice(spec)
            checked += 1
    if department_targets is not None:
        problems += _cascade_problems(specs, roster, department_targets)
    if format == "json":
        typer.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        print_problems(problems)
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        zh = f"检查了 {checked} 个规格: {errors} 个错误, {warnings} 个警告"
        en = f"checked {checked} spec(s): {errors} error(s), {warnings} warning(s)"
        typer.echo(zh if ui_lang() == "zh" else en, err=True)
    exit_for(problems)


@app.command()
def score(
    spec: Annotated[Path, typer.Argument(help="Spec file / 规格文件。", show_default=False)],
    actuals: Annotated[Path, typer.Option("--actuals", help="CSV/XLSX: employee_id,indicator_id,actual", show_default=False)],
    format: Annotated[str, typer.Option("--format", help="csv | json")] = "csv",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
) -> None:
    """用评分引擎计算得分、总分和等级 / Score actuals with the engine."""
    from .csvsafe import csv_text
    from .scoring import score_actuals_file
    from .spec import load_spec

    if format not in ("csv", "json"):
        raise UsageError(_t(f"不支持的格式 {format!r}", f"unknown format {format!r}"), _t("使用 csv 或 json", "use csv or json"))
    loaded = load_spec(spec)
    run = score_actuals_file(loaded, actuals)
    if format == "json":
        text = json.dumps(run.records(), ensure_ascii=False, indent=2) + "\n"
    else:
        ids = [ind.id for ind in loaded.indicators]
        rows = [[r["employee_id"], *[r["scores"][i] for i in ids], r["total"], r["grade"]] for r in run.records()]
        text = csv_text(["employee_id", *ids, "total", "grade"], rows)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print_problems(run.problems)
    exit_for(run.problems)


class _Progress:
    """A rich progress bar on a terminal; silent when stderr is not a TTY (CI, pipes).

    It refreshes when work advances rather than from rich's refresh thread: the work forks
    worker processes, and forking while another thread holds a lock (stdout's) can hang the child.
    """

    def __init__(self, description: str, total: int) -> None:
        self._bar = None
        self._shown = 0.0
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self._bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), transient=True, auto_refresh=False)
            self._task = self._bar.add_task(description, total=total)

    def _refresh(self) -> None:
        now = time.monotonic()
        if self._bar and now - self._shown >= 0.1:
            self._shown = now
            self._bar.refresh()

    def __enter__(self) -> "_Progress":
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar:
            self._bar.stop()

    def advance(self, n: int = 1) -> None:
        if self._bar:
            self._bar.advance(self._task, n)
            self._refresh()

    def set_total(self, total: int) -> None:
        if self._bar:
            self._bar.update(self._task, total=total)
            self._refresh()


def _output_folder(output: Path) -> Path:
    """``-o`` names a folder: refuse an existing file before any work is done."""
    if output.exists() and not output.is_dir():
        raise UsageError(_t(f"{output} 是一个文件,-o 需要一个文件夹", f"{output} is a file; -o needs a folder"),
                         _t("换一个文件夹名,或先移走这个文件", "give another folder name, or move the file away"))
    return output


@app.command()
def build(
    spec: Annotated[Path, typer.Argument(help="Spec file or folder of specs / 规格文件或文件夹。", show_default=False)],
    roster: Annotated[Path, typer.Option("--roster", help="CSV/XLSX: employee_id,name,department,position,manager,template[,period]", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder / 输出文件夹。", show_default=False)],
    layout: Annotated[str, typer.Option("--layout", help="employee (one file each) | department (one file per department)")] = "employee",
    lang: Annotated[Optional[str], typer.Option("--lang", help="zh | en (default: each spec's language)")] = None,
    password: Annotated[str, typer.Option("--password", help="Sheet and structure protection password (default none).")] = "",
    formulas: Annotated[str, typer.Option("--formulas", help="native (default: works everywhere) | udf (xlwings functions, .xlsm)")] = "native",
    targets: Annotated[Optional[Path], typer.Option("--targets", help="Per-person targets: employee_id,indicator_id,target (or xl-kpi targets' output).")] = None,
    plan_weights: Annotated[str, typer.Option("--plan-weights", help="Quarter shares of the target plan (seed: 25,30,25,20; e.g. from xl-kpi split --history).")] = "25,30,25,20",
) -> None:
    """生成可实时评分、受保护的考核工作簿 / Generate protected, live-scoring scorecard workbooks."""
    from .roster import load_roster
    from .spec import load_specs
    from .workbook import BuildOptions, build_all

    if lang not in (None, "zh", "en"):
        raise UsageError(_t(f"未知语言 {lang!r}", f"unknown language {lang!r}"), _t("使用 zh 或 en", "use zh or en"))
    if formulas not in ("native", "udf"):
        raise UsageError(_t(f"未知公式模式 {formulas!r}", f"unknown formula mode {formulas!r}"), _t("使用 native 或 udf", "use native or udf"))
    if layout not in ("employee", "department"):
        raise UsageError(_t(f"未知布局 {layout!r}", f"unknown layout {layout!r}"), _t("使用 employee 或 department", "use employee or department"))
    _output_folder(output)
    specs = load_specs(spec)
    people = load_roster(roster, specs)
    from .planning import load_person_targets

    own_targets = load_person_targets(targets, specs, people) if targets else None
    shares = _quarter_weights(plan_weights)
    total = sum(shares)
    options = BuildOptions(layout=layout, lang=lang, password=password, formulas=formulas, targets=own_targets,
                           plan_shares=tuple(w / total for w in shares))  # type: ignore[arg-type]
    with _Progress("build", len(people)) as bar:
        written = build_all(specs, people, output, options, progress=bar.advance)
    zh = f"已生成 {len(written)} 个工作簿({len(people)} 人)→ {output}"
    en = f"wrote {len(written)} workbook(s) for {len(people)} people → {output}"
    typer.echo(zh if ui_lang() == "zh" else en, err=True)


@app.command()
def consolidate(
    paths: Annotated[list[Path], typer.Argument(help="Returned files, folders or .zip archives / 回收的文件、文件夹或压缩包。", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder / 输出文件夹。", show_default=False)],
    templates: Annotated[Optional[Path], typer.Option("--templates", help="Spec file or folder: the authoritative rules.")] = None,
    roster: Annotated[Optional[Path], typer.Option("--roster", help="Roster, to list people who have not returned.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Worker processes (default: CPU count).", min=1)] = None,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786.")] = None,
    history: Annotated[Optional[Path], typer.Option("--history", help="SQLite history database (default OUTDIR/history.sqlite).")] = None,
    target_distribution: Annotated[Optional[str], typer.Option("--target-distribution", help="e.g. 20,70,10 (best grades first) or 优秀=20,良好=70")] = None,
) -> None:
    """汇总回收的考核表:校验、重新计分、报告问题 / Validate, recompute and report returned scorecards."""
    from .consolidate import consolidate as run_it
    from .roster import load_roster
    from .spec import load_specs

    _output_folder(output)
    specs = load_specs(templates) if templates else None
    people = load_roster(roster, specs) if roster else None
    with _Progress("consolidate", 0) as bar:
        result, written = run_it(paths, output, specs, people, workers, scheduler, history, target_distribution,
                                 progress=bar.advance, on_sources=bar.set_total)
    _print_consolidation(result, written)
    raise typer.Exit(0 if result.clean else 1)


def _print_consolidation(result, written) -> None:  # noqa: ANN001 - rendering only
    n = result.counts()
    if ui_lang() == "zh":
        typer.echo(f"读取 {result.files} 个文件,{n['people']} 人,{n['scored']} 人已完整评分;{n['errors']} 个错误,{n['warnings']} 个警告",
                   err=True)
    else:
        typer.echo(f"read {result.files} file(s), {n['people']} people, {n['scored']} fully scored; "
                   f"{n['errors']} error(s), {n['warnings']} warning(s)", err=True)
    for key, path in written.items():
        typer.echo(f"  {key}: {path}", err=True)


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder (its demo sub-folders are recreated).")] = Path("out"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the simulated returns.")] = 2026,
) -> None:
    """演示完整流程:生成 → 模拟填写 → 汇总 / Run the whole loop on the bundled templates."""
    from .demo import run_demo

    run = run_demo(_output_folder(output), seed)
    result = run.result
    zh = ui_lang() == "zh"
    from rich.console import Console
    from rich.table import Table

    rows = sorted(result.records, key=lambda r: r.employee_id)
    head = ("员工编号", "姓名", "部门", "总分", "等级", "状态") if zh else ("employee", "name", "department", "total", "grade", "status")
    table = Table(*head, box=None, pad_edge=False)
    for r in rows[:12]:
        table.add_row(r.employee_id, r.name, r.department, "" if r.total is None else f"{r.total:.2f}", r.grade or "", r.status)
    Console(width=100, highlight=False).print(table)
    if len(rows) > 12:
        typer.echo(f"… {len(rows) - 12} more / 另有 {len(rows) - 12} 人")
    counts: dict[str, int] = {}
    for i in result.issues:
        counts[i.code] = counts.get(i.code, 0) + 1
    typer.echo(("问题: " if zh else "issues: ") + ", ".join(f"{k} ×{v}" for k, v in sorted(counts.items())))
    typer.echo(f"workbooks: {run.workbooks}  department: {run.department}  returns: {run.returns}")
    for key, path in run.paths.items():
        typer.echo(f"{key}: {path}")


@app.command()
def smart(
    text: Annotated[str, typer.Argument(help="A goal text, or a file with one goal per line / 目标文本或每行一个目标的文件。", show_default=False)],
    format: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    lang: Annotated[Optional[str], typer.Option("--lang", help="zh | en (default: detected)")] = None,
    history: Annotated[Optional[float], typer.Option("--history", help="The metric's historical value (enables Achievable).")] = None,
    max_increase: Annotated[float, typer.Option("--max-increase", help="Largest rise over history judged achievable.")] = 0.5,
    goals: Annotated[Optional[Path], typer.Option("--goals", help="File of department goals, one per line (enables Relevant).")] = None,
) -> None:
    """SMART 检查目标文本 / Check goal texts against the SMART criteria."""
    from .smart import check_smart, find_vague, summary_line

    if format not in ("text", "json"):
        raise UsageError(_t(f"不支持的格式 {format!r}", f"unknown format {format!r}"), _t("使用 text 或 json", "use text or json"))
    goal_list = _read_lines(goals) if goals else None
    path = Path(text)
    texts = _read_lines(path) if len(text) < 4096 and path.is_file() else [text]
    results = [check_smart(t, lang, history, goal_list, max_increase) for t in texts]
    if format == "json":
        payload = [r.as_dict() | {"text": t, "vague": [vars(v) for v in find_vague(t)]} for t, r in zip(texts, results)]
        typer.echo(json.dumps(payload[0] if len(payload) == 1 and not path.is_file() else payload, ensure_ascii=False, indent=2))
    else:
        for t, r in zip(texts, results):
            typer.echo(f"{summary_line(r)}  {t}")
            for criterion, reason in r.reasons.items():
                typer.echo(f"    {criterion}: {getattr(r, criterion)} — {reason}")
            for tip in r.suggestions:
                typer.echo(f"    → {tip}")
    failed = any("fail" in (r.specific, r.measurable, r.achievable, r.relevant, r.time_bound) for r in results)
    raise typer.Exit(1 if failed else 0)


def _read_lines(path: Path) -> list[str]:
    try:
        return [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    except FileNotFoundError:
        raise UsageError(_t(f"找不到文件 {path}", f"file not found: {path}"), _t("检查路径是否正确", "check the path")) from None
    except UnicodeDecodeError:
        raise UsageError(_t(f"{path} 不是 UTF-8 文本", f"{path} is not UTF-8 text"), _t("另存为 UTF-8", "save it as UTF-8")) from None


def _cascade_problems(spec_paths: list[Path], roster: Optional[Path], targets: Path) -> list[Problem]:
    from .errors import Text
    from .planning import cascade
    from .roster import load_roster
    from .spec import load_specs
    from .tables import read_table, require_columns

    if roster is None:
        raise UsageError(_t("--department-targets 需要同时给出 --roster", "--department-targets needs --roster"),
                         _t("加上 --roster 花名册文件", "add --roster ROSTER"))
    specs = {}
    for path in spec_paths:
        specs.update(load_specs(path))
    people = load_roster(roster, specs)
    frame = read_table(targets, "部门目标 department targets")
    require_columns(frame, ("department", "indicator_id", "target"), targets, "部门目标 department targets")
    out = []
    for gap in cascade(frame, [(p.department, specs[p.template]) for p in people]):
        where = f"{gap.department}/{gap.indicator_id}"
        if gap.people == 0:
            out.append(Problem("cascade-unassigned", "error", str(targets), where,
                               Text(f"部门目标 {gap.department_target:g} 没有分解到任何人(无人有可累加的指标 {gap.indicator_id})",
                                    f"department target {gap.department_target:g} is assigned to nobody (no one has additive indicator {gap.indicator_id})"),
                               Text("检查指标标识或给相关岗位加上该指标", "check the indicator id or add it to the roles concerned")))
        elif gap.coverage < 1 - 1e-9:
            out.append(Problem("cascade-gap", "error", str(targets), where,
                               Text(f"部门目标 {gap.department_target:g},{gap.people} 人目标合计 {gap.people_total:g},覆盖 {gap.coverage:.0%},缺口 {gap.department_target - gap.people_total:g}",
                                    f"department target {gap.department_target:g}, {gap.people} people's targets total {gap.people_total:g}: {gap.coverage:.0%} covered, {gap.department_target - gap.people_total:g} short"),
                               Text("提高个人目标或调整部门目标,使分解覆盖100%", "raise personal targets or revise the department target to reach 100%")))
    return out


@app.command()
def targets(
    history: Annotated[Path, typer.Option("--history", help="CSV/XLSX employee_id,indicator_id,period,value — or a consolidation history .sqlite", show_default=False)],
    spec: Annotated[Path, typer.Option("--spec", help="The spec whose indicators get targets.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV to write.", show_default=False)],
    baseline: Annotated[float, typer.Option("--baseline", help="Baseline = historical average × this (seed: 1.10).")] = 1.10,
    challenge: Annotated[float, typer.Option("--challenge", help="Challenge = historical average × this (seed: 1.30).")] = 1.30,
    min_periods: Annotated[int, typer.Option("--min-periods", help="Fewer periods are flagged too-short.")] = 3,
    max_cv: Annotated[float, typer.Option("--max-cv", help="A higher coefficient of variation is flagged volatile.")] = 0.3,
    resource_limited: Annotated[bool, typer.Option("--resource-limited", help="Add the seed's lower target plus an extra process target.")] = False,
) -> None:
    """根据历史数据设定基准值和挑战值 / Suggest baseline and challenge targets from history."""
    import pandas as pd

    from .consolidate.history import read_history
    from .csvsafe import write_csv_atomic
    from .planning import suggest_targets
    from .spec import load_spec
    from .tables import read_table, require_columns

    loaded = load_spec(spec)
    if history.suffix.lower() in (".sqlite", ".db"):
        if not history.is_file():
            raise UsageError(_t(f"找不到文件 {history}", f"file not found: {history}"), _t("检查路径是否正确", "check the path"))
        frame = pd.DataFrame(read_history(history), columns=["employee_id", "indicator_id", "period", "value"])
    else:
        frame = read_table(history, "历史数据 history")
        require_columns(frame, ("employee_id", "indicator_id", "period", "value"), history, "历史数据 history")
    rows = suggest_targets(frame, loaded, baseline, challenge, min_periods, max_cv, resource_limited)
    header = ["employee_id", "indicator_id", "indicator", "periods", "mean", "baseline_target", "challenge_target"]
    if resource_limited:
        header += ["resource_limited_target", "extra_process_target"]
    header.append("flags")
    def cells(r):  # noqa: ANN001, ANN202
        base = [r.employee_id, r.indicator_id, r.indicator, r.periods, _nan(r.mean), _nan(r.baseline), _nan(r.challenge)]
        if resource_limited:
            base += [_nan(r.resource_limited), r.extra_process_target]
        return base + [";".join(r.flags)]
    write_csv_atomic(output, header, [cells(r) for r in rows])
    flagged = sum(bool(r.flags) for r in rows)
    typer.echo(f"{len(rows)} → {output}" + (f" ({flagged} flagged)" if flagged else ""), err=True)
    raise typer.Exit(1 if flagged else 0)


def _quarter_weights(text: str) -> list[float]:
    """Four non-negative quarter weights from "25,30,25,20" (or "25%,…", or fractions)."""
    try:
        weights = [float(w.strip().rstrip("%")) for w in text.split(",")]
    except ValueError:
        raise UsageError(_t(f"权重 {text!r} 无效", f"weights {text!r} are not numbers"), _t("如 25,30,25,20", "e.g. 25,30,25,20")) from None
    if len(weights) != 4 or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise UsageError(_t("需要 4 个非负的季度权重", "give 4 non-negative quarter weights"), _t("如 25,30,25,20", "e.g. 25,30,25,20"))
    return weights


def _nan(value: Optional[float]) -> Optional[float]:
    return None if value is None or value != value else value


@app.command()
def split(
    total: Annotated[float, typer.Argument(help="The annual figure, e.g. 1000000.", show_default=False)],
    weights: Annotated[str, typer.Option("--weights", help="Quarter weights (seed: 25,30,25,20).")] = "25,30,25,20",
    history: Annotated[Optional[Path], typer.Option("--history", help="Use seasonality from a history table (period,value[,indicator_id]) instead.")] = None,
    indicator: Annotated[Optional[str], typer.Option("--indicator", help="With --history: which indicator's rows.")] = None,
    decimals: Annotated[int, typer.Option("--decimals", help="Decimals of each part (the residue goes to the last part).", min=0, max=6)] = 2,
    format: Annotated[str, typer.Option("--format", help="text | json")] = "text",
) -> None:
    """年度 → 季度 → 月度分解,各部分之和精确等于总数 / Split an annual target into quarters and months, exactly."""
    from .planning import annual_plan, seasonal_weights
    from .tables import read_table, require_columns

    if history is not None:
        frame = read_table(history, "历史数据 history")
        require_columns(frame, ("period", "value"), history, "历史数据 history")
        if indicator:
            if "indicator_id" not in frame.columns:
                raise UsageError(_t("历史数据没有 indicator_id 列", "the history has no indicator_id column"), _t("去掉 --indicator", "drop --indicator"))
            frame = frame[frame["indicator_id"].astype(str) == indicator]
        try:
            quarter_weights = seasonal_weights(frame)
        except ValueError as exc:
            raise UsageError(_t(f"{history}: 无法从历史数据得出季节性: {exc}", f"{history}: no seasonality in the history: {exc}"),
                             _t("期间写成 2025-Q3 或 2025-07", "write periods as 2025-Q3 or 2025-07")) from None
    else:
        quarter_weights = _quarter_weights(weights)
    plan = annual_plan(total, quarter_weights, decimals=decimals)
    if format == "json":
        typer.echo(json.dumps({"total": total, "quarter_weights": quarter_weights, **plan}, ensure_ascii=False))
        return
    for q, part in enumerate(plan["quarters"]):
        months = ", ".join(f"{m:,.{decimals}f}" for m in plan["months"][3 * q : 3 * q + 3])
        typer.echo(f"Q{q + 1}: {part:,.{decimals}f}   ({months})")


def _t(zh: str, en: str):  # noqa: ANN202 - tiny local helper
    from .errors import Text

    return Text(zh, en)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: one readable line for every known failure."""
    try:
        app(args=argv, prog_name="xl-kpi")
    except SystemExit as exc:  # typer/click end every run this way in standalone mode
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except XlKpiError as exc:
        if _STATE["debug"]:
            raise
        typer.echo(("错误: " if ui_lang() == "zh" else "error: ") + exc.render(), err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except OSError as exc:  # a path that cannot be read or written: the user's to fix, so a usage error
        if _STATE["debug"]:
            raise
        hint = _t("请检查路径存在且可写,文件没有在 Excel 中打开", "check that the path exists and is writable, and the file is not open in Excel")
        path = getattr(exc, "filename2", None) or exc.filename  # a failed rename names its destination second
        where = f"{path}: " if path else ""
        typer.echo(("错误: " if ui_lang() == "zh" else "error: ") + f"{where}{exc.strerror or exc} — {hint(ui_lang())}", err=True)
        return 2
    except Exception as exc:
        if _STATE["debug"]:
            raise
        typer.echo(f"内部错误 / internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)", err=True)
        return 1
    return 0


def main() -> None:
    """Console entry point."""
    sys.exit(run())

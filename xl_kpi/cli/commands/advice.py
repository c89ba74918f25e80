"""``xl-kpi smart``, ``targets`` and ``split``: advice on goals and targets."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Literal

import typer

from ... import api
from ...advice.smart import check_smart, find_vague, summary_line
from ...advice.vague import KINDS
from ...core.errors import UsageError
from ...core.files import read_regular, write_csv_atomic
from ..app import app
from ..i18n import T
from ..options import Lang, TextOrJson, echo, echo_json, say
from .build import quarter_weights

Pick = Literal["baseline", "challenge", "resource-limited"]


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a UTF-8 text file (a named pipe is refused, not waited on)."""
    try:
        return [line.strip() for line in read_regular(path, 16 * 1024 * 1024).decode("utf-8-sig").splitlines() if line.strip()]
    except UnicodeDecodeError:
        raise UsageError("not-utf8", path=path) from None


@app.command(help=T("按 SMART 原则检查目标文本。", "Check goal texts against the SMART criteria."))
def smart(
    text: Annotated[str, typer.Argument(help=T("目标文本,或每行一个目标的文件。", "A goal text, or a file with one goal per line."), show_default=False)],
    format: TextOrJson = "text",
    lang: Lang = None,
    history: Annotated[float | None, typer.Option("--history", help=T("该指标的历史值(用于判断可实现性)。", "The metric's historical value (enables Achievable)."))] = None,
    max_increase: Annotated[float, typer.Option("--max-increase", help=T("视为可实现的最大增幅(相对历史)。", "Largest rise over history judged achievable."))] = 0.5,
    goals: Annotated[Path | None, typer.Option("--goals", help=T("部门目标文件,每行一个(用于判断相关性)。", "File of department goals, one per line (enables Relevant)."))] = None,
) -> None:
    goal_list = read_lines(goals) if goals else None
    path = Path(text)
    from_file = len(text) < 4096 and path.is_file()
    texts = read_lines(path) if from_file else [text]
    results = [check_smart(t, lang, history, goal_list, max_increase) for t in texts]
    if format == "json":
        payload = [r.as_dict() | {"text": t, "vague": [vars(v) for v in find_vague(t, r.lang)]} for t, r in zip(texts, results)]
        echo_json(payload if from_file else payload[0])
    else:
        for t, r in zip(texts, results):
            echo(f"{summary_line(r)}  {t}")
            for criterion, reason in r.reasons.items():
                echo(f"    {criterion}: {getattr(r, criterion)} — {reason}")
            for tip in r.suggestions:
                echo(f"    → {tip}")
            for v in find_vague(t, r.lang):
                kind = KINDS[v.kind](r.lang)  # type: ignore[index, arg-type]
                echo(f"    {'笼统表述' if r.lang == 'zh' else 'vague'} “{v.phrase}” @{v.start}–{v.end} ({kind}): {v.suggestion}")
    failed = any("fail" in (r.specific, r.measurable, r.achievable, r.relevant, r.time_bound) for r in results)
    raise typer.Exit(1 if failed else 0)


def _nan(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


@app.command(help=T("根据历史数据设定基准值和挑战值。", "Suggest baseline and challenge targets from history."))
def targets(
    history: Annotated[Path, typer.Option("--history", help=T(
        "CSV/XLSX: employee_id,indicator_id,period,value,或汇总写出的 history.sqlite",
        "CSV/XLSX employee_id,indicator_id,period,value — or a consolidation history .sqlite"), show_default=False)],
    spec: Annotated[Path, typer.Option("--spec", help=T("要设定目标的规格。", "The spec whose indicators get targets."), show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help=T("写出的 CSV。", "CSV to write."), show_default=False)],
    baseline: Annotated[float, typer.Option("--baseline", help=T("基准值 = 历史平均 × 此值(种子文档: 1.10)。", "Baseline = historical average × this (seed: 1.10)."))] = 1.10,
    challenge: Annotated[float, typer.Option("--challenge", help=T("挑战值 = 历史平均 × 此值(种子文档: 1.30)。", "Challenge = historical average × this (seed: 1.30)."))] = 1.30,
    min_periods: Annotated[int, typer.Option("--min-periods", help=T("期数少于此值时标记 too-short。", "Fewer periods are flagged too-short."))] = 3,
    max_cv: Annotated[float, typer.Option("--max-cv", help=T("变异系数高于此值时标记 volatile。", "A higher coefficient of variation is flagged volatile."))] = 0.3,
    resource_limited: Annotated[bool, typer.Option("--resource-limited", help=T(
        "再给出种子文档的较低目标和一个额外的过程目标。", "Add the seed's lower target plus an extra process target."))] = False,
    pick: Annotated[Pick, typer.Option("--pick", help=T(
        "target 列取哪一个建议值(build --targets 读取该列)。", "Which suggestion fills the target column (what build --targets reads)."))] = "baseline",
    roster: Annotated[Path | None, typer.Option("--roster", help=T(
        "只为花名册上使用该规格的人写出目标,没有历史的人沿用规格目标。",
        "Only the roster's people on this spec; those without history keep the spec's target."))] = None,
) -> None:
    loaded = api.load_spec(spec)
    people = [p.employee_id for p in api.load_people(roster) if p.template == loaded.id] if roster is not None else None
    rows = api.targets_from_history(history, loaded, baseline=baseline, challenge=challenge, min_periods=min_periods,
                                    max_cv=max_cv, resource_limited=resource_limited, pick=pick, people=people)
    header = ["employee_id", "indicator_id", "indicator", "target", "basis", "periods", "mean", "baseline_target", "challenge_target"]
    limited = resource_limited or pick == "resource-limited"
    if limited:
        header += ["resource_limited_target", "extra_process_target"]
    header.append("flags")

    def cells(r: api.TargetSuggestion) -> list[object]:
        base = [r.employee_id, r.indicator_id, r.indicator, _nan(r.target), r.basis, r.periods, _nan(r.mean), _nan(r.baseline),
                _nan(r.challenge)]
        if limited:
            base += [_nan(r.resource_limited), r.extra_process_target]
        return [*base, ";".join(r.flags)]

    written = [r for r in rows if not math.isnan(r.target)]  # an indicator without a numeric spec target: nothing to write
    write_csv_atomic(output, header, [cells(r) for r in written])
    flagged = sum(bool(r.flags) for r in written)
    kept = sum(r.basis == "spec" for r in written)
    say(f"{len(written)} 条 → {output}" + (f"({flagged} 条有标记,其中 {kept} 条沿用规格目标)" if flagged else ""),
        f"{len(written)} → {output}" + (f" ({flagged} flagged, {kept} keeping the spec's target)" if flagged else ""))
    raise typer.Exit(1 if flagged else 0)


@app.command(help=T("年度 → 季度 → 月度分解,各部分之和精确等于总数。", "Split an annual target into quarters and months, exactly."))
def split(
    total: Annotated[float, typer.Argument(help=T("年度数值,如 1000000。", "The annual figure, e.g. 1000000."), show_default=False)],
    weights: Annotated[str, typer.Option("--weights", help=T("季度权重(种子文档: 25,30,25,20)。", "Quarter weights (seed: 25,30,25,20)."))] = "25,30,25,20",
    history: Annotated[Path | None, typer.Option("--history", help=T(
        "改用历史表(period,value[,indicator_id])的季节性。", "Use seasonality from a history table (period,value[,indicator_id]) instead."))] = None,
    indicator: Annotated[str | None, typer.Option("--indicator", help=T("配合 --history:使用哪个指标的数据。", "With --history: which indicator's rows."))] = None,
    decimals: Annotated[int, typer.Option("--decimals", help=T(
        "每部分的小数位;按最大余数法取整,各部分之和恰好等于总数(计数用 0)。",
        "Decimals of each part; whole units by largest remainders, adding up exactly (0 for counts)."), min=0, max=6)] = 2,
    format: TextOrJson = "text",
) -> None:
    plan = api.split_target(total, None if history is not None else quarter_weights(weights), history, indicator, decimals)
    if format == "json":
        typer.echo(__import__("json").dumps(plan, ensure_ascii=False))
        return
    for q, part in enumerate(plan["quarters"]):
        months = ", ".join(f"{m:,.{decimals}f}" for m in plan["months"][3 * q : 3 * q + 3])
        typer.echo(f"Q{q + 1}: {part:,.{decimals}f}   ({months})")

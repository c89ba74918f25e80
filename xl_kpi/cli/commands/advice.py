"""``xl-kpi smart``, ``targets`` and ``split``: advice on goals and targets."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Annotated, Literal

import typer

from ... import api
from ...advice.review import CRITERIA_NAMES, VERDICTS
from ...advice.smart import CRITERIA, SmartResult, check_smart, find_vague, summary_line
from ...advice.vague import KINDS
from ...core.errors import UsageError
from ...core.files import read_regular, write_csv_atomic
from ...core.text import ui_lang
from ..app import command
from ..i18n import T
from ..options import FILE, NUMBER, TextOrJson, choice, echo, echo_json, number, say, whole
from .build import quarter_weights

Pick = Literal["baseline", "challenge", "resource-limited"]


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a UTF-8 text file (a named pipe is refused, not waited on)."""
    try:
        return [line.strip() for line in read_regular(path, 16 * 1024 * 1024).decode("utf-8-sig").splitlines() if line.strip()]
    except UnicodeDecodeError:
        raise UsageError("not-utf8", path=path) from None


def smart_lines(text: str, r: SmartResult) -> list[str]:
    """One goal's verdicts: the criteria and the verdicts in the user's language; the reasons and the
    suggested rewrite in the goal's own (they quote it)."""
    lang = ui_lang()
    lines = [f"{summary_line(dataclasses.replace(r, lang=lang))}  {text}"]
    for criterion in CRITERIA:
        reason = r.reasons.get(criterion, "")
        verdict = VERDICTS[getattr(r, criterion)](lang)
        lines.append(f"    {CRITERIA_NAMES[criterion](lang)}: {verdict}" + (f" — {reason}" if reason else ""))
    lines += [f"    → {tip}" for tip in r.suggestions]
    for v in find_vague(text, r.lang):
        kind = KINDS[v.kind](lang)  # type: ignore[index]
        if lang == "zh":
            lines.append(f"    笼统表述“{v.phrase}”(第 {v.start + 1}–{v.end} 字,{kind}): {v.suggestion}")
        else:
            lines.append(f"    vague \"{v.phrase}\" (characters {v.start + 1}–{v.end}, {kind}): {v.suggestion}")
    return lines


@command(help=T("按 SMART 原则检查目标文本,给出理由和改写建议。", "Check goal texts against the SMART criteria, with reasons and rewrites."),
         epilog=T("理由和改写建议用目标本身的语言(它们引用目标的原话)。", "Reasons and rewrites are in the goal's own language (they quote it)."))
def smart(
    text: Annotated[str, typer.Argument(help=T("目标文本,或每行一个目标的文件。", "A goal text, or a file with one goal per line."),
                                        show_default=False, metavar=T("目标", "GOAL"))],
    format: TextOrJson = "text",
    lang: Annotated[Literal["zh", "en"] | None, typer.Option("--lang", metavar="zh|en", parser=choice("zh", "en"), help=T(
        "目标文本的语言(默认自动识别)。", "The goals' language (default: recognised from the text)."))] = None,
    history: Annotated[float | None, typer.Option("--history", metavar=NUMBER, parser=number(), help=T(
        "该指标的历史值,用于判断可实现性。", "The metric's historical value (enables Achievable)."))] = None,
    max_increase: Annotated[float, typer.Option("--max-increase", metavar=NUMBER, parser=number(0), help=T(
        "相对历史的最大增幅,超过即判为难以实现(0.5 即 50%)。", "Largest rise over history judged achievable (0.5 is 50%)."))] = 0.5,
    goals: Annotated[Path | None, typer.Option("--goals", metavar=FILE, help=T(
        "部门目标文件,每行一个,用于判断相关性。", "File of department goals, one per line (enables Relevant)."))] = None,
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
            for line in smart_lines(t, r):
                echo(line)
    failed = any("fail" in (r.specific, r.measurable, r.achievable, r.relevant, r.time_bound) for r in results)
    raise typer.Exit(1 if failed else 0)


def _nan(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


@command(help=T("根据历史数据建议每人每项指标的目标(基准值和挑战值)。", "Suggest each person's targets from history (baseline and challenge)."),
         epilog=T("基准值约为历史平均的 110%,挑战值约为 130%;比率向其上限靠近;完成率和没有历史的沿用规格目标(标记 spec)。"
                  "写出的 target 列可直接给 build --targets。",
                  "The baseline is about 110% of the historical mean, the challenge about 130%; rates move toward their ceiling; "
                  "completion rates and rows without history keep the spec's target (marked spec). "
                  "The target column it writes is what build --targets reads."))
def targets(
    history: Annotated[Path, typer.Option("--history", metavar=FILE, show_default=False, help=T(
        "历史表 CSV/XLSX(工号,指标,期间,数值),或汇总写出的 history.sqlite。",
        "History CSV/XLSX (employee_id, indicator_id, period, value), or the history.sqlite consolidate writes."))],
    spec: Annotated[Path, typer.Option("--spec", metavar=T("规格", "SPEC"), show_default=False, help=T(
        "要设定目标的规格。", "The spec whose indicators get targets."))],
    output: Annotated[Path, typer.Option("-o", "--output", metavar=FILE, show_default=False, help=T("要写出的 CSV。", "The CSV to write."))],
    baseline: Annotated[float, typer.Option("--baseline", metavar=T("倍数", "FACTOR"), parser=number(0, above=True), help=T(
        "基准值 = 历史平均 × 此倍数。", "Baseline = historical mean × this."))] = 1.10,
    challenge: Annotated[float, typer.Option("--challenge", metavar=T("倍数", "FACTOR"), parser=number(0, above=True), help=T(
        "挑战值 = 历史平均 × 此倍数。", "Challenge = historical mean × this."))] = 1.30,
    min_periods: Annotated[int, typer.Option("--min-periods", metavar="N", parser=whole(1), help=T(
        "期数少于此值时标记 too-short。", "Fewer periods are flagged too-short."))] = 3,
    max_cv: Annotated[float, typer.Option("--max-cv", metavar=NUMBER, parser=number(0), help=T(
        "变异系数高于此值时标记 volatile。", "A higher coefficient of variation is flagged volatile."))] = 0.3,
    resource_limited: Annotated[bool, typer.Option("--resource-limited", help=T(
        "另给出资源受限时的较低目标和一个额外的过程目标。", "Also give a lower, resource-limited target and an extra process target."))] = False,
    pick: Annotated[Pick, typer.Option("--pick", metavar="baseline|challenge|resource-limited",
                                       parser=choice("baseline", "challenge", "resource-limited"), help=T(
        "target 列取哪一个建议值。", "Which suggestion fills the target column."))] = "baseline",
    roster: Annotated[Path | None, typer.Option("--roster", metavar=FILE, help=T(
        "只为花名册上用此规格的人写出目标。", "Only the roster's people on this spec."))] = None,
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


@command(help=T("把年度数分解到季度和月度,各部分之和恰好等于总数。", "Split an annual figure into quarters and months that add up exactly."))
def split(
    total: Annotated[float, typer.Argument(help=T("年度数,如 1000000。", "The annual figure, e.g. 1000000."), show_default=False,
                                           metavar=T("总数", "TOTAL"), parser=number())],
    weights: Annotated[str, typer.Option("--weights", metavar="Q1,Q2,Q3,Q4", help=T(
        "四个季度的比例。", "The four quarters' shares."))] = "25,30,25,20",
    history: Annotated[Path | None, typer.Option("--history", metavar=FILE, help=T(
        "改用历史表(期间,数值[,指标])的季节性。", "Use the seasonality of a history table (period, value[, indicator_id]) instead."))] = None,
    indicator: Annotated[str | None, typer.Option("--indicator", metavar=T("指标", "INDICATOR"), help=T(
        "配合 --history: 用哪个指标的数据。", "With --history: which indicator's rows."))] = None,
    decimals: Annotated[int, typer.Option("--decimals", metavar="0-6", parser=whole(0, 6), help=T(
        "每部分的小数位;按最大余数法取整,计数用 0。", "Decimals of each part, rounded by largest remainders (0 for counts)."))] = 2,
    format: TextOrJson = "text",
) -> None:
    plan = api.split_target(total, None if history is not None else quarter_weights(weights, "--weights"), history, indicator, decimals)
    if format == "json":
        typer.echo(json.dumps(plan, ensure_ascii=False))
        return
    for q, part in enumerate(plan["quarters"]):
        months = ", ".join(f"{m:,.{decimals}f}" for m in plan["months"][3 * q : 3 * q + 3])
        typer.echo(f"Q{q + 1}: {part:,.{decimals}f}   ({months})")

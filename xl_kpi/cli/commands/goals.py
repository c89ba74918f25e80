"""``xl-kpi goals collect``: the goal-setting round's returns, read back into agreed targets (``build --phase goals``
writes the workbooks). The action is the first argument (:mod:`..actions`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ... import api
from ..actions import Actions, Uses
from ..app import EXIT_OK, EXIT_PROBLEMS, command
from ..i18n import T
from ..options import FILE, OutputDir, echo, echo_findings, output_folder, say

GOALS = Actions(collect=Uses(needs=("files", "issued", "output"), may=("sign_key",)))


@command(help=T("目标设定:收回员工填写、上级确认的目标设定表,逐个检查目标,写出确认的目标和给 HR 的报告。",
                "Goal setting: the goals workbooks employees filled in and supervisors agreed, read back with every goal "
                "checked into the agreed targets and a report for HR."),
         epilog=T("目标设定表由 xl-kpi build --phase goals 生成。collect 只采用登记册中发出的表,规则、指标、权重和历史都以登记册为准;"
                  "检查每个目标(SMART、低于基准是否说明理由、考核表规则、个人指标是否在允许范围内、上级意见和目标确认签字),"
                  "把确认的目标作为新版本记入登记册,写出 targets.csv、goals_report.csv、personal_goals.csv 和 goals_issues.csv。",
                  "The goals workbooks are written by xl-kpi build --phase goals. collect uses only workbooks the register issued, "
                  "and takes the rules, indicators, weights and history from the register; it checks every goal (SMART, a reason "
                  "below the baseline, the card's rules, personal indicators within HR's bounds, the supervisor's word and the "
                  "sign-off), records the agreed goals in the register as a new version, and writes targets.csv, "
                  "goals_report.csv, personal_goals.csv and goals_issues.csv."),
         actions=GOALS)
def goals(
    action: Annotated[str, GOALS.argument(T("collect 收回填好的目标设定表。", "collect: read the filled goals workbooks back."))],
    files: Annotated[list[Path], typer.Argument(help=T("填好交回的目标设定表或其文件夹。", "The goals workbooks as filled in, or their folders."),
                                                show_default=False, metavar=FILE)],
    output: OutputDir,
    issued: Annotated[Path | None, typer.Option("--issued", metavar=FILE, help=T(
        "build --phase goals 写出的登记册 issued.sqlite。", "The register build --phase goals wrote (issued.sqlite)."))] = None,
    sign_key: Annotated[Path | None, typer.Option("--sign-key", metavar=FILE, help=T(
        "build 时用的密钥文件,核验签名。", "The key file build signed with: checks the signatures."))] = None,
) -> None:
    output_folder(output)
    assert issued is not None  # GOALS declares it needed
    done = api.collect_goals(files, issued, output, sign_key=sign_key)
    echo_findings(done.findings)
    people = len(done.returns)
    say(f"{people} 人交回目标设定表,{len(done.agreed)} 人目标已确认 → {done.paths['targets']}(报告 {done.paths['report']})",
        f"{people} goals workbook(s) read, {len(done.agreed)} agreed → {done.paths['targets']} (report {done.paths['report']})")
    for a in done.agreed:
        echo(f"  {a.employee_id} v{a.version} {a.agreed_by} {a.agreed_on}")
    raise typer.Exit(EXIT_PROBLEMS if any(f.severity in ("error", "warning") for f in done.findings) else EXIT_OK)

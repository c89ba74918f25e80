"""Instructions per person of the build in one process, counted by valgrind's callgrind: a figure no load on the
machine moves (CPU time on a shared two-core machine varies by 2x from minute to minute). Each template's workbooks
are built for --warm people, then for --people more, in two runs under callgrind (--people once, then twice); the
difference over the people built is the figure. A bare XlsxWriter write of the same cell values (bench_build.py's
baseline) is counted the same way, so the ratios are the build's own.

Usage: .venv/bin/python bench/build_instructions.py [--templates sales_rep,sales_supervisor] [--people 20]
(needs valgrind; about a minute a template at a load of 10)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _build(template: str, people: int, passes: int, warm: int) -> None:
    from bench.bench_build import bare, sheet_values
    from bench.bench_build import people as roster
    from xl_kpi.spec import load_spec
    from xl_kpi.workbook import BuildOptions, build_all
    from xl_kpi.workbook.build import build_employee_workbook

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if template == "bare":  # the bench's baseline: the sales card's values written plainly
            spec = load_spec(ROOT / "workbook_templates" / "sales_rep.yaml")
            values = sheet_values(build_all({"sales_rep": spec}, roster(1), out / "sample")[0])
            bare(values, roster(warm), out / "warm")
            for k in range(passes):
                bare(values, roster(people), out / f"pass{k}")
            return
        spec = load_spec(ROOT / "workbook_templates" / f"{template}.yaml")
        persons, options = roster(warm + people, template), BuildOptions(workers=1)
        for p in persons[:warm]:
            build_employee_workbook(out / f"{p.employee_id}.xlsx", spec, p, options)
        for _ in range(passes):
            for p in persons[warm:]:
                build_employee_workbook(out / f"{p.employee_id}.xlsx", spec, p, options)


def _instructions(template: str, args: argparse.Namespace, passes: int) -> int:
    from bench.instructions import counted

    return counted(__file__, "--child", template, "--passes", str(passes), "--people", str(args.people), "--warm", str(args.warm))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--templates", default="bare,sales_rep,sales_supervisor", help="bundled templates, and bare")
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--warm", type=int, default=3, help="people built first (the first workbook is written in full)")
    parser.add_argument("--child", default="")
    parser.add_argument("--passes", type=int, default=1)
    args = parser.parse_args()
    if args.child:
        _build(args.child, args.people, args.passes, args.warm)
        return
    counts = {}
    for template in args.templates.split(","):
        once, twice = _instructions(template, args, 1), _instructions(template, args, 2)
        counts[template] = (twice - once) / args.people
        print(f"{template:18s} {counts[template] / 1e6:8.2f}M instructions a person"
              + (f"  = {counts[template] / counts['bare']:.2f}x bare" if "bare" in counts and template != "bare" else ""), flush=True)
    if "sales_rep" in counts and "sales_supervisor" in counts:
        print(f"practice / plain   {counts['sales_supervisor'] / counts['sales_rep']:.2f}x")


if __name__ == "__main__":
    main()

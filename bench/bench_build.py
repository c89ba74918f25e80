"""Workbook generation: 1,000 people (employee layout) vs a bare XlsxWriter write of the same
cell values on the same sheets (formulas replaced by their cached results; no styles,
validation, names, charts or protection), both in memory, same run; and department workbooks
of growing size (time and peak memory, to show linearity). Goal: ≤ 1.5× the bare time (issue 32; was ≤ 3×).
xl-kpi's build runs as a user runs it (a large build on every core) and in one process, whose CPU time is
compared with the bare write's too (the machine may be shared: CPU time moves less than wall time).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402

from xl_kpi.spec import load_spec  # noqa: E402
from xl_kpi.spec.model import Person  # noqa: E402
from xl_kpi.workbook import BuildOptions, build_all  # noqa: E402
from xl_kpi.workbook.parallel import worker_count  # noqa: E402


def people(n: int, template: str = "sales_rep", own_bases: bool = False) -> list[Person]:
    """``own_bases``: each person a bonus base of their own (HR's roster by salary), else one base for all (by job level)."""
    return [Person(f"E{k:06d}", f"员工{k}", f"部门{k % 10}", "销售代表", "李四", template, bonus_base=8000.0 + (10.0 * k if own_bases else 0))
            for k in range(n)]


def sheet_values(path: Path) -> dict[str, list[tuple[int, int, object]]]:
    """Every non-empty value of every sheet (formulas as their cached results)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return {ws.title: [(c.row - 1, c.column - 1, c.value) for row in ws.iter_rows() for c in row
                       if c.value not in (None, "")] for ws in wb.worksheets}


def bare(values: dict[str, list[tuple[int, int, object]]], persons: list[Person], out: Path) -> None:
    """The same cell values on the same sheets, written plainly: the floor for any generator."""
    first = next(iter(values))
    for p in persons:
        folder = out / p.department
        folder.mkdir(parents=True, exist_ok=True)
        with xlsxwriter.Workbook(str(folder / f"{p.employee_id}.xlsx"), {"in_memory": True}) as wb:
            for name, cells in values.items():
                ws = wb.add_worksheet(name)
                for r, c, v in cells:
                    ws.write(r, c, v)
                if name == first:
                    ws.write(2, 1, p.name)
                    ws.write(2, 4, p.employee_id)


def timed(fn) -> float:
    return measured(fn)[0]


def measured(fn) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of this process and of the workers it waited for."""
    start, start_cpu = time.perf_counter(), _cpu()
    fn()
    return time.perf_counter() - start, _cpu() - start_cpu


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def department_child(n: int) -> None:
    spec = load_spec(ROOT / "workbook_templates" / "sales_rep.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        ps = [Person(f"E{k:06d}", f"员工{k}", "销售一部", "", "", "sales_rep") for k in range(n)]
        t = timed(lambda: build_all({"sales_rep": spec}, ps, Path(tmp), BuildOptions(layout="department")))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} {t:.3f} {peak_mb:.1f}")


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--department", type=int, nargs="*", default=[125, 250, 500])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        department_child(args.child)
        return {}
    spec = load_spec(ROOT / "workbook_templates" / "sales_rep.yaml")
    persons = people(args.people)
    one = BuildOptions(workers=1)
    with tempfile.TemporaryDirectory() as tmp:
        sample = build_all({"sales_rep": spec}, persons[:1], Path(tmp) / "sample")[0]
        values = sheet_values(sample)
        t_bare, c_bare = measured(lambda: bare(values, persons, Path(tmp) / "bare"))
        t_one, c_one = measured(lambda: build_all({"sales_rep": spec}, persons, Path(tmp) / "one", one))
        t_full = timed(lambda: build_all({"sales_rep": spec}, persons, Path(tmp) / "full"))
    workers = worker_count(0, args.people)
    print(f"build: {args.people} people, bare XlsxWriter {t_bare:.2f} s (CPU {c_bare:.2f} s); xl-kpi on {workers} worker(s) "
          f"{t_full:.2f} s, ratio {t_full / t_bare:.2f}x  [goal <= 1.5x]")
    print(f"  xl-kpi in one process {t_one:.2f} s = {t_one / t_bare:.2f}x; CPU {c_one:.2f} s = {c_one / c_bare:.2f}x the bare write's "
          f"({1000 * c_one / args.people:.1f} vs {1000 * c_bare / args.people:.1f} ms a person)")
    with tempfile.TemporaryDirectory() as tmp:  # every card differs in its pay block: the card cannot be replayed
        t_own, c_own = measured(lambda: build_all({"sales_rep": spec}, people(args.people, own_bases=True), Path(tmp), one))
    print(f"  each person a bonus base of their own, one process: CPU {c_own:.2f} s = {c_own / c_bare:.2f}x the bare write's "
          f"({1000 * c_own / args.people:.1f} ms a person)")
    supervisor = load_spec(ROOT / "workbook_templates" / "sales_supervisor.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        t_sup, c_sup = measured(lambda: build_all({"sales_supervisor": supervisor}, people(args.people, "sales_supervisor"), Path(tmp), one))
    print(f"build: {args.people} people with the full practice template (sections, raters, adjustments, veto, pay), one process "
          f"{t_sup:.2f} s = {t_sup / t_one:.2f}x the plain sales template (CPU {c_sup / c_one:.2f}x)  [goal <= 1.3x]")
    result = {"people": args.people, "bare_s": t_bare, "full_s": t_full, "ratio": t_full / t_bare, "department": [],
              "one_process_s": t_one, "cpu_ratio": c_one / c_bare, "own_bases_cpu_ratio": c_own / c_bare, "practice_s": t_sup}
    for n in args.department:  # each in a fresh process so peak memory is its own
        out = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True).stdout.split()
        n_, t, mb = int(out[0]), float(out[1]), float(out[2])
        result["department"].append({"sheets": n_, "seconds": t, "peak_mb": mb})
        print(f"department workbook: {n_} person sheets in {t:.2f} s ({1000 * t / n_:.1f} ms/sheet), peak RSS {mb:.0f} MB")
    return result


if __name__ == "__main__":
    main()

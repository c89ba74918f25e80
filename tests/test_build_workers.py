"""A large build shares its workbooks among worker processes (issue 32): the workbooks and what they issue are the
same as one process writes them, in the roster's order; an error in a worker stops the build as it would in one
process; a pool that cannot start leaves the build to this process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import xl_kpi.workbook.build as build
from xl_kpi import workbook
from xl_kpi.cli import run
from xl_kpi.core.errors import UsageError
from xl_kpi.sheet.register import Issued
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_all, parallel
from xl_kpi.workbook.parallel import MIN_PER_WORKER, worker_count

from .conftest import ROOT, TEMPLATES
from .zipedit import built_parts

PEOPLE = 2 * MIN_PER_WORKER + 3  # enough for two workers


def _people(specs) -> list[Person]:
    templates = sorted(specs)
    return [Person(f"E{k:04d}", f"员工{k}", f"部门{k % 4}", "岗位", "李四", templates[k % len(templates)], bonus_base=5000.0 + k)
            for k in range(PEOPLE)]


def _issued(rows: list[Issued]) -> list[Issued]:
    return [r._replace(workbook_id="") for r in rows]  # each copy's id is its own


def test_a_roster_large_enough_is_shared_among_the_cores_asked_for():
    assert worker_count(1, 10_000) == 1
    assert worker_count(4, 10_000) == 4
    assert worker_count(4, MIN_PER_WORKER * 2) == 2  # no worker with too few people to pay for its start
    assert worker_count(0, MIN_PER_WORKER - 1) == 1


@pytest.mark.parametrize("layout", ["employee", "department"])
def test_workers_write_the_workbooks_and_the_register_one_process_writes(tmp_path, specs, layout, monkeypatch):
    people = _people(specs)
    pools = []
    real_pool = parallel._in_pool

    def pool(builder, chunks, *args):
        pools.append(len(chunks))
        return real_pool(builder, chunks, *args)

    monkeypatch.setattr(parallel, "_in_pool", pool)
    alone: list[Issued] = []
    shared: list[Issued] = []
    one = build_all(specs, people, tmp_path / "one", BuildOptions(layout=layout, workers=1, issued=alone))
    two = build_all(specs, people, tmp_path / "two", BuildOptions(layout=layout, workers=2, issued=shared))
    assert len(pools) == 1 and pools[0] > 1  # the second build shared its chunks among workers, the first did not
    assert [p.relative_to(tmp_path / "one") for p in one] == [p.relative_to(tmp_path / "two") for p in two]
    assert len(alone) == PEOPLE and _issued(shared) == _issued(alone)  # in the roster's order
    assert len({r.workbook_id for r in shared}) == len(one)  # every workbook its own id, workers or not
    ours, theirs = built_parts(tmp_path / "two"), built_parts(tmp_path / "one")
    assert ours.keys() == theirs.keys() and [n for n in ours if ours[n] != theirs[n]] == []


def test_an_error_in_a_worker_stops_the_build_with_its_own_finding_and_leaves_nothing(tmp_path, specs, monkeypatch):
    real = build.build_employee_workbook

    def refusing(target, spec, person, options):
        if person.employee_id == "E0070":
            raise UsageError("file-not-found", path="E0070.yaml")
        return real(target, spec, person, options)

    monkeypatch.setattr(build, "build_employee_workbook", refusing)
    with pytest.raises(UsageError) as caught:
        build_all(specs, _people(specs), tmp_path / "out", BuildOptions(workers=2))
    assert caught.value.code == "file-not-found" and "E0070.yaml" in str(caught.value)
    assert list((tmp_path / "out").rglob("*")) == []  # neither workbooks nor a register


def test_a_pool_that_cannot_start_leaves_the_build_to_this_process(tmp_path, specs, monkeypatch):
    def no_processes(*args, **kwargs):
        raise OSError("no processes may be started here")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_processes)
    issued: list[Issued] = []
    built = build_all(specs, _people(specs), tmp_path / "out", BuildOptions(workers=2, issued=issued))
    assert len(built) == PEOPLE and [r.employee_id for r in issued] == [p.employee_id for p in _people(specs)]


def test_chunks_keep_the_jobs_in_order_and_a_large_department_alone():
    jobs = [(f"{k}.xlsx", (), n) for k, n in enumerate([1] * 20 + [40, 3, 30])]
    chunks = parallel._chunks(jobs)
    assert [job for chunk in chunks for job in chunk] == jobs
    assert [sum(n for _, _, n in chunk) for chunk in chunks] == [16, 44, 33]


def test_the_command_line_says_how_many_processes_build(tmp_path, monkeypatch):
    seen = []
    real = build.build_all

    def spy(specs, people, outdir, options, progress=None):
        seen.append(options.workers)
        return real(specs, people, outdir, options, progress)

    monkeypatch.setattr(workbook, "build_all", spy)  # as api.build finds it
    roster = TEMPLATES / "sample_roster.csv"
    assert run(["build", str(TEMPLATES), "--roster", str(roster), "-o", str(tmp_path / "one"), "--workers", "1"]) == 0
    assert run(["build", str(TEMPLATES), "--roster", str(roster), "-o", str(tmp_path / "any")]) == 0
    assert seen == [1, 0]  # 0: one per core, for a build large enough
    assert run(["build", str(TEMPLATES), "--roster", str(roster), "-o", str(tmp_path / "none"), "--workers", "0"]) == 2


def test_ctrl_c_during_a_shared_build_ends_with_one_line_and_leaves_nothing(tmp_path):
    """The signal as a terminal sends it, to the whole process group (the workers too), while a worker writes a
    workbook: one line, exit code 130, and neither workbooks nor a register in the output folder."""
    roster = tmp_path / "r.csv"
    roster.write_text("employee_id,name,department,position,manager,template\n"
                      + "".join(f"E{k:04d},员工{k},销售一部,销售代表,李四,sales_rep\n" for k in range(PEOPLE)), encoding="utf-8")
    out = tmp_path / "out"
    script = ("import os, signal, sys, time\n"
              "signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, however the tests were started\n"
              "import xl_kpi.workbook.build as build\n"
              "real = build.build_employee_workbook\n"
              "def interrupted(target, spec, person, options):\n"
              "    if person.employee_id == 'E0050':\n"
              "        os.killpg(os.getpgid(0), signal.SIGINT)\n"
              "        time.sleep(30)\n"
              "    return real(target, spec, person, options)\n"
              "build.build_employee_workbook = interrupted\n"
              "from xl_kpi.cli import run\n"
              f"sys.exit(run(['build', {str(TEMPLATES)!r}, '--roster', {str(roster)!r}, '-o', {str(out)!r}, '--workers', '2']))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, start_new_session=True, cwd=ROOT,
                          env={**os.environ, "XL_KPI_LANG": "en"}, check=False)
    assert done.returncode == 130, done.stderr
    assert done.stderr == ("error: interrupted (Ctrl-C): the files written are complete, the rest were not written — "
                           "run the same command again to finish (exit code 130)\n")
    assert list(out.rglob("*")) == []

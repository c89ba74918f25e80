"""No file stops the run: hostile values reach no writer unchecked, limits hold even when a
reader hangs with signals blocked, a timeout is called a timeout, forged metadata cannot
invent people, and workers die with the run. Each case: its finding, the good return beside
it scored exactly, no input changed."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from xl_kpi.consolidation import Limits, consolidate

from . import excel_edits as edit
from .conftest import ROOT
from .conftest import SALES_CELLS as C
from .returned import GOOD, VICTIM
from .returned import digests as _digests
from .returned import make_return as _return


def _folder(tmp_path: Path, specs) -> tuple[Path, Path]:
    returns = tmp_path / "returns"
    returns.mkdir()
    _return(specs, returns, GOOD)
    return returns, _return(specs, returns, VICTIM)


def _by_person(result) -> dict[str, object]:
    return {r.employee_id: r for r in result.records}


@pytest.mark.parametrize("raw", ["inf", "-inf", "NaN", "1e309", "9" * 400])
def test_a_value_no_cell_can_hold_is_reported_and_every_output_is_written(tmp_path, specs, raw):
    returns, victim = _folder(tmp_path, specs)
    edit.set_cell(victim, C["actual"]["new_customers"], raw)
    edit.set_cell(victim, C["score"]["new_customers"], raw)  # a cached result no writer can take either
    edit.set_text(victim, C["comment"], "=HYPERLINK(\"http://x\",\"点我\")\x07")
    before = _digests(returns)
    result, paths = consolidate([returns], tmp_path / "out", specs)
    people = _by_person(result)
    assert people[GOOD.employee_id].total == 80 and people[GOOD.employee_id].status == "ok"
    assert people[VICTIM.employee_id].status != "ok"
    assert any(i.code == "invalid-actual" and i.employee_id == VICTIM.employee_id for i in result.issues)
    for name in ("scores", "issues", "summary", "history", "reviews"):
        assert paths[name].exists(), name
    with paths["scores"].open(encoding="utf-8-sig") as fh:
        rows = {r["employee_id"]: r for r in csv.DictReader(fh)}
    assert float(rows[GOOD.employee_id]["total"]) == 80
    book = openpyxl.load_workbook(paths["summary"])
    typed = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert typed and all(c.data_type == "s" for c in typed)  # a formula typed by the employee stays text
    with sqlite3.connect(paths["history"]) as db:
        assert db.execute("select count(*) from totals").fetchone()[0] >= 1
    assert _digests(returns) == before


def test_review_texts_of_32767_characters_are_read_and_analysed(tmp_path, specs):
    returns, victim = _folder(tmp_path, specs)
    for k, ref in enumerate(C["review"].values()):
        edit.set_text(victim, ref, ["努力工作" * 8192, "1" * 32767, "从" * 32767, "很好，" * 10922][k][:32767])
    result, _ = consolidate([returns], tmp_path / "out", specs, limits=Limits(seconds=20))
    people = _by_person(result)
    assert people[GOOD.employee_id].total == 80
    assert people[VICTIM.employee_id].total == 80  # the texts do not change the score
    vague = [f for f in people[VICTIM.employee_id].findings if f.code == "review-vague"]
    assert 0 < len(vague) <= 20  # the first ten of each text, not thousands
    assert not any(i.code in ("timeout", "corrupt-file") for i in result.issues)


def _slow_reader(marker: str, block_alarm: bool, seconds: float):
    import xl_kpi.consolidation.runner as runner

    real = runner.read_source

    def read(source, templates, limits, *hr):
        if marker in source.path:
            if block_alarm:  # a native library that hangs where no signal reaches it
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(seconds)
        return real(source, templates, limits, *hr)

    return read


@pytest.mark.parametrize("block_alarm", [False, True], ids=["python-loop", "native-hang-signals-blocked"])
def test_a_file_that_overruns_its_time_is_a_timeout_and_the_run_ends(tmp_path, specs, monkeypatch, block_alarm):
    import xl_kpi.consolidation.runner as runner

    returns, _ = _folder(tmp_path, specs)
    _return(specs, returns, VICTIM.__class__("E300", "张慢", "销售一部", "销售代表", "李四", "sales_rep"), name="slow.xlsx")
    monkeypatch.setattr(runner, "read_source", _slow_reader("slow.xlsx", block_alarm, 60))
    started = time.monotonic()
    result, _ = consolidate([returns], tmp_path / "out", specs, limits=Limits(seconds=1), workers=2)
    assert time.monotonic() - started < 30  # a hang guard, not a benchmark: the file sleeps for 60 s
    assert [(i.code, Path(i.file).name) for i in result.issues] == [("timeout", "slow.xlsx")]
    assert sorted(r.employee_id for r in result.records) == [GOOD.employee_id, VICTIM.employee_id]
    assert all(r.total == 80 for r in result.records)


def test_metadata_listing_more_people_than_sheets_invents_nobody(tmp_path, specs):
    returns, victim = _folder(tmp_path, specs)
    edit.forge_people(victim, 3000)
    result, _ = consolidate([returns], tmp_path / "out", specs)
    assert [r.employee_id for r in result.records] == [GOOD.employee_id]
    problems = [i for i in result.issues if Path(i.file).name == victim.name]
    assert [i.code for i in problems] == ["metadata-invalid"]


def test_workers_die_with_the_main_process(tmp_path, specs):
    returns, _ = _folder(tmp_path, specs)
    _return(specs, returns, VICTIM.__class__("E300", "张慢", "销售一部", "销售代表", "李四", "sales_rep"), name="slow.xlsx")
    pids = tmp_path / "pids"
    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        import xl_kpi.consolidation.runner as runner
        from xl_kpi.consolidation import consolidate
        from xl_kpi.spec import load_specs
        real = runner.read_source
        def read(source, templates, limits, *hr):
            with open({str(pids)!r}, "a") as fh:
                fh.write(f"{{os.getpid()}}\\n")
            time.sleep(120)
        runner.read_source = read
        consolidate([Path({str(returns)!r})], Path({str(tmp_path / 'out')!r}), load_specs(Path({str(ROOT / 'workbook_templates')!r})), workers=2)
    """)
    main = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(200):
            if pids.exists() and len(pids.read_text().split()) >= 2:
                break
            time.sleep(0.1)
        workers = [int(p) for p in pids.read_text().split()]
        assert workers
    finally:
        main.kill()
        main.wait()
    for _ in range(100):
        if not any(_alive(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for a parent that is gone is not running
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


FAULTY_CHILD = (sys.executable, str(Path(__file__).parent / "sandbox_faults.py"))


def _faulty_folder(tmp_path: Path, specs) -> Path:
    returns, _ = _folder(tmp_path, specs)
    for name, eid in (("hang.xlsx", "E301"), ("crash.xlsx", "E302")):
        _return(specs, returns, VICTIM.__class__(eid, "张错", "销售一部", "销售代表", "李四", "sales_rep"), name=name)
    return returns


def test_the_sandbox_reads_every_file_however_one_hangs_or_crashes_its_reader(tmp_path, specs):
    """What a Dask task runs: a hang with signals blocked is a timeout, a native crash is that file's
    worker-crashed, and a fresh child reads the files after it."""
    from xl_kpi.consolidation.inputs import discover
    from xl_kpi.consolidation.sandbox import read_sandboxed

    returns = _faulty_folder(tmp_path, specs)
    sources = sorted(discover([returns], Limits(), []), key=lambda s: Path(s.path).name)
    started = time.monotonic()
    packed = read_sandboxed(sources, specs, Limits(seconds=1), None, FAULTY_CHILD)
    assert time.monotonic() - started < 30  # a hang guard: hang.xlsx sleeps 60 s
    outcome = {Path(p.source).name: ([i[3] for i in p.issues], len(p.records)) for p in packed}
    assert len(packed) == len(sources) == 4
    assert outcome["hang.xlsx"] == (["timeout"], 0) and outcome["crash.xlsx"] == (["worker-crashed"], 0)
    assert sorted(n for n, (codes, people) in outcome.items() if people == 1 and not codes) == sorted(
        Path(s.path).name for s in sources if Path(s.path).name not in ("hang.xlsx", "crash.xlsx"))


def test_a_dask_cluster_isolates_a_hanging_and_a_crashing_file_like_the_local_pool(tmp_path, specs, monkeypatch):
    distributed = pytest.importorskip("distributed")
    from xl_kpi.consolidation import sandbox

    returns = _faulty_folder(tmp_path, specs)
    before = _digests(returns)
    monkeypatch.setattr(sandbox, "COMMAND", FAULTY_CHILD)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        started = time.monotonic()
        result, _ = consolidate([returns], tmp_path / "out", specs, scheduler=cluster.scheduler_address, limits=Limits(seconds=1))
        assert time.monotonic() - started < 40  # a hang guard: hang.xlsx sleeps 60 s
    assert sorted((i.code, Path(i.file).name) for i in result.issues) == [("timeout", "hang.xlsx"), ("worker-crashed", "crash.xlsx")]
    assert sorted(r.employee_id for r in result.records) == [GOOD.employee_id, VICTIM.employee_id]
    assert all(r.total == 80 for r in result.records)
    assert _digests(returns) == before

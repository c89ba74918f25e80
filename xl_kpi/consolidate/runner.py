"""Run the reader over every returned file: a process pool by default, or a Dask cluster.

Files are read in worker processes with a memory limit and a time limit: a native reader
that aborts or panics takes down one worker, never the run. When a pool breaks, the files
it was reading are re-read one at a time in fresh single-worker pools, so the culprit is
named and the others are still read. Results come back in input order either way.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from ..model import Spec
from ..roster import Person
from .inputs import Source
from .issues import Issue, issue
from .reader import FileResult, PersonRecord, read_source
from .safety import Limits

__all__ = ["Consolidation", "run_consolidation", "read_chunk"]

CHUNK = 64  # files per task: amortises inter-process traffic; a crash re-reads its task one file at a time


@dataclass
class Consolidation:
    """The outcome of a run: the people kept, every issue, and what was read."""

    records: list[PersonRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    files: int = 0
    specs: dict[str, Spec] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not any(i.severity in ("error", "warning") for i in self.issues)


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _worker_init(memory_bytes: int) -> None:
    """Bound each worker's address space: a runaway parse fails in the worker, not the machine."""
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # not permitted here: the time limit and crash isolation still apply
        pass


def _read_guarded(source: Source, templates: dict[str, Spec] | None, limits: Limits) -> FileResult:
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(limits.seconds)
    try:
        return read_source(source, templates, limits)
    except _Timeout:
        return FileResult(source.display, issues=[issue("timeout", source.display, seconds=limits.seconds)])
    except MemoryError:
        return FileResult(source.display, issues=[issue("worker-crashed", source.display, detail="out of memory")])
    except BaseException as exc:  # noqa: BLE001 - a Rust panic arrives as a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return FileResult(source.display, issues=[issue("corrupt-file", source.display, detail=f"{type(exc).__name__}: {exc}"[:300])])
    finally:
        if use_alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)


def read_chunk(sources: Sequence[Source], templates: dict[str, Spec] | None, limits: Limits) -> list[FileResult]:
    """Read several files (one task); picklable for process pools and Dask."""
    return [_read_guarded(s, templates, limits) for s in sources]


def _chunks(items: Sequence[Source], size: int) -> Iterator[Sequence[Source]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _context() -> multiprocessing.context.BaseContext | None:
    """fork on Linux (cheap, and the default before Python 3.14); the platform default elsewhere."""
    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def _local(sources: list[Source], templates: dict[str, Spec] | None, limits: Limits, workers: int,
           progress: Callable[[int], None]) -> list[FileResult]:
    results: dict[int, list[FileResult]] = {}
    chunks = list(_chunks(sources, CHUNK))
    suspects: list[int] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(limits.memory_bytes,),
                             mp_context=_context()) as pool:
        futures: dict[Future, int] = {pool.submit(read_chunk, chunk, templates, limits): k for k, chunk in enumerate(chunks)}
        for future, k in futures.items():
            try:
                results[k] = future.result()
                progress(len(chunks[k]))
            except BrokenProcessPool:
                suspects.append(k)
    for k in suspects:  # re-read one file at a time to name the file that kills its reader
        results[k] = [_isolated(source, templates, limits) for source in chunks[k]]
        progress(len(chunks[k]))
    return [r for k in range(len(chunks)) for r in results[k]]


def _isolated(source: Source, templates: dict[str, Spec] | None, limits: Limits) -> FileResult:
    with ProcessPoolExecutor(max_workers=1, initializer=_worker_init, initargs=(limits.memory_bytes,),
                             mp_context=_context()) as pool:
        try:
            return pool.submit(read_chunk, [source], templates, limits).result()[0]
        except BrokenProcessPool:
            return FileResult(source.display, issues=[issue("worker-crashed", source.display,
                                                            detail="the reading process died (native crash or memory limit)")])


def _dask(sources: list[Source], templates: dict[str, Spec] | None, limits: Limits, address: str,
          progress: Callable[[int], None]) -> list[FileResult]:
    from distributed import Client

    chunks = list(_chunks(sources, CHUNK))
    with Client(address) as client:
        remote_templates = client.scatter(templates, broadcast=True) if templates else None
        futures = [client.submit(read_chunk, chunk, remote_templates, limits, pure=False) for chunk in chunks]
        out: list[FileResult] = []
        for chunk, future in zip(chunks, futures):
            try:
                out += future.result()
            except Exception as exc:  # noqa: BLE001 - a killed worker fails only its own files
                out += [FileResult(s.display, issues=[issue("worker-crashed", s.display, detail=f"{type(exc).__name__}: {exc}"[:200])])
                        for s in chunk]
            progress(len(chunk))
    return out


def _completeness(record: PersonRecord) -> tuple[int, int, float]:
    """Which duplicate to keep: most actuals filled, then no integrity errors, then newest."""
    return (record.filled, record.status != "tampered", record.mtime)


def _dedupe(records: list[PersonRecord], issues: list[Issue]) -> list[PersonRecord]:
    by_person: dict[str, list[PersonRecord]] = {}
    for rec in records:
        by_person.setdefault(rec.employee_id, []).append(rec)
    kept: list[PersonRecord] = []
    for eid, recs in by_person.items():
        best = max(recs, key=_completeness) if len(recs) > 1 else recs[0]
        if len(recs) > 1:
            for rec in recs:
                issues.append(issue("duplicate-person", rec.file, sheet=rec.sheet, employee_id=eid,
                                    kept=f"{best.file}" + (f" [{best.sheet}]" if best.sheet else "")))
        kept.append(best)
    return kept


def run_consolidation(sources: list[Source], templates: dict[str, Spec] | None = None, roster: list[Person] | None = None,
                      workers: int | None = None, scheduler: str | None = None, limits: Limits = Limits(),
                      progress: Callable[[int], None] = lambda n: None) -> Consolidation:
    """Read every source, keep one return per person, and check the roster."""
    if scheduler:
        results = _dask(sources, templates, limits, scheduler, progress)
    else:
        results = _local(sources, templates, limits, workers or os.cpu_count() or 1, progress)
    out = Consolidation(files=len(sources))
    records: list[PersonRecord] = []
    for result in results:
        out.issues += result.issues
        records += result.records
        for spec_id, spec in result.specs.items():
            out.specs.setdefault(spec_id, spec)
    out.records = _dedupe(records, out.issues)
    if roster is not None:
        returned = {r.employee_id for r in out.records}
        known = {p.employee_id for p in roster}
        for person in roster:
            if person.employee_id not in returned:
                out.issues.append(issue("not-returned", "", employee_id=person.employee_id, name=person.name))
        for rec in out.records:
            if rec.employee_id not in known:
                out.issues.append(issue("unknown-person", rec.file, sheet=rec.sheet, employee_id=rec.employee_id))
    return out

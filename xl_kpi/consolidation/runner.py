"""Run the reader over every returned file: a process pool by default, or a Dask cluster
(whose tasks read in sandboxed child processes, :mod:`.sandbox`).

Files are read in worker processes with a memory limit and a time limit: a native reader
that aborts or panics takes down one worker, never the run. When a pool breaks, each task
that was in flight runs again on its own, and the one that breaks that pool too is read one
file at a time, so the culprit is named and every other file is still read. Results are added to a
:class:`ResultStore` on disk in input order as they arrive, and only a bounded number of
tasks is in flight, so the main process holds no more than a few tasks' results at a time.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.findings import Finding, finding
from ..spec.model import Person, Spec
from .authority import Authority
from .caches import ReaderCache
from .chase import MissingRater, missing_raters, waiting_raters
from .inputs import Source
from .keep import dedupe, named_for, run_period
from .lifetime import die_with_parent
from .merge import MergeOutcome, merge_ratings
from .options import ConsolidateOptions
from .reader import FileResult, PersonRecord, read_source
from .safety import CRASHED, Limits
from .store import Packed, ResultStore, pack
from .watch import Watch

__all__ = ["Consolidation", "run_consolidation", "read_chunk"]

CHUNK = 256  # most files per task: amortises inter-process traffic (10,000 returns: 0.12 s less of the main
# process's time than tasks of 64); a crash re-reads its task one file at a time
MIN_CHUNK = 16
IN_FLIGHT = 4  # tasks queued per worker: keeps workers busy, bounds what waits in memory


@dataclass
class Consolidation:
    """The outcome of a run: kept records and every issue (in a store on disk), and what was read."""

    store: ResultStore
    files: int = 0
    specs: dict[str, Spec] = field(default_factory=dict)
    period: str = ""  # the period consolidated (its canonical code); "" when no return says one
    on_trust: bool = True  # no register: identities, periods, personal targets and bases are the files' own word
    chase: list[MissingRater] = field(default_factory=list)  # raters issued a rating workbook who owe ratings
    separate: bool = False  # raters rated in workbooks of their own (a merge ran)

    @property
    def records(self) -> list[PersonRecord]:
        """Every kept record, in input order (loads them all: iterate ``store.records()`` on large runs)."""
        return list(self.store.records())

    @property
    def issues(self) -> list[Finding]:
        """Every issue in the order found (loads them all: iterate ``store.issues()`` on large runs)."""
        return list(self.store.issues())

    def counts(self) -> dict[str, int]:
        """people, scored, errors, warnings, infos."""
        return self.store.counts()

    @property
    def clean(self) -> bool:
        counts = self.store.counts()
        return counts["errors"] == 0 and counts["warnings"] == 0


class _Timeout(BaseException):  # not an Exception: the reader's catch-all must not turn it into "corrupt-file"
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise _Timeout


@dataclass
class _Worker:
    """What a worker process holds for its life: its slot in the parent's watch, HR's register and the
    roster's bases (inherited, never pickled per task: a register may list 100,000 people), and the
    reader's cache (what returns of one template share, remembered across this worker's files)."""

    authority: Authority = field(default_factory=Authority)
    slot: tuple[Watch, int] | None = None
    cache: ReaderCache = field(default_factory=ReaderCache)


_WORKER: _Worker | None = None  # this process's, once a pool's initializer (or the sandbox child) has made it


def _worker_init(memory_bytes: int, watch: Watch | None = None, authority: Authority | None = None) -> None:
    """Bound each worker's address space (a runaway parse fails in the worker, not the machine),
    tie its life to the parent's, claim its slot in the parent's watch and make its reader's cache."""
    global _WORKER
    die_with_parent()
    slot = watch.claim() if watch is not None else -1
    _WORKER = _Worker(authority or Authority(), (watch, slot) if watch is not None and slot >= 0 else None)
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # not permitted here: the time limit and crash isolation still apply
        pass


def _read_guarded(source: Source, templates: Mapping[str, Spec] | None, limits: Limits, use_alarm: bool, worker: _Worker,
                  authority: Authority) -> FileResult:
    slot = worker.slot
    if slot is not None:
        slot[0].starts[slot[1]] = time.monotonic()
    if use_alarm:
        signal.alarm(limits.seconds)
    try:
        return read_source(source, templates, limits, authority.register, authority.bases, worker.cache)
    except _Timeout:
        return FileResult(source.display, issues=[finding("timeout", file=source.display, seconds=limits.seconds)])
    except MemoryError:
        return FileResult(source.display, issues=[finding("memory-limit", file=source.display, limit=f"{limits.memory_bytes / 2**30:g} GiB")])
    except Exception as exc:  # read_source reports every fault of a file itself: this is ours
        if os.environ.get("XL_KPI_DEBUG"):
            raise
        return FileResult(source.display, issues=[finding("reader-error", file=source.display, detail=f"{type(exc).__name__}: {exc}"[:300])])
    except BaseException as exc:  # a Rust panic arrives as a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return FileResult(source.display, issues=[finding("corrupt-file", file=source.display, detail=f"{type(exc).__name__}: {exc}"[:300])])
    finally:
        if use_alarm:
            signal.alarm(0)
        if slot is not None:
            slot[0].starts[slot[1]] = 0.0


def read_chunk(sources: Sequence[Source], templates: Mapping[str, Spec] | None, limits: Limits,
               authority: Authority | None = None) -> list[FileResult]:
    """Read several files (one task), each within the time limit where SIGALRM can enforce it; HR's
    register and bases are this worker's when not given (outside a worker: none, and a cache for this task)."""
    worker = _WORKER if _WORKER is not None else _Worker()
    authority = authority if authority is not None else worker.authority
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    previous = signal.signal(signal.SIGALRM, _on_alarm) if use_alarm else None
    try:
        return [_read_guarded(s, templates, limits, use_alarm, worker, authority) for s in sources]
    finally:
        if use_alarm:
            signal.signal(signal.SIGALRM, previous)


def read_packed(sources: Sequence[Source], templates: Mapping[str, Spec] | None, limits: Limits,
                authority: Authority | None = None) -> list[Packed]:
    """Read several files and pack them for the store (one task; picklable for process pools and Dask)."""
    return [pack(r) for r in read_chunk(sources, templates, limits, authority)]


def _chunks(items: Sequence[Source], workers: int) -> list[Sequence[Source]]:
    """The tasks: ``CHUNK`` files each on large runs, eight a worker on smaller ones (so a crash's
    re-read stays short), and the last files in small tasks, so that the workers end together."""
    size = max(1, min(CHUNK, max(MIN_CHUNK, len(items) // (workers * 8))))
    small = min(size, MIN_CHUNK)
    head = max(0, len(items) - workers * IN_FLIGHT * small)
    return ([items[i : min(i + size, head)] for i in range(0, head, size)]
            + [items[i : i + small] for i in range(head, len(items), small)])


def _context() -> multiprocessing.context.BaseContext | None:
    """fork on Linux (cheap, and the default before Python 3.14); the platform default elsewhere."""
    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def _pool(workers: int, limits: Limits, watch: Watch) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(limits.memory_bytes, watch, watch.authority),
                               mp_context=_context())


def _result(future: Future, watch: Watch, limits: Limits) -> Any:
    """The task's result, enforcing the per-file time limit from this side while waiting."""
    while True:
        try:
            return future.result(timeout=0.25)
        except TimeoutError:
            watch.enforce(limits)


def _local(sources: list[Source], templates: Mapping[str, Spec] | None, limits: Limits, workers: int,
           authority: Authority) -> Iterator[list[Packed]]:
    """Each task's packed results, in input order."""
    chunks = _chunks(sources, workers)
    watch = Watch(_context(), 2 * workers + 4, authority)
    pool = _pool(workers, limits, watch)
    pending: deque[tuple[int, Future]] = deque()
    following = 0
    try:
        while following < len(chunks) or pending:
            while following < len(chunks) and len(pending) < workers * IN_FLIGHT:
                try:
                    pending.append((following, pool.submit(read_packed, chunks[following], templates, limits)))
                except BrokenProcessPool:
                    break  # the tasks in flight show it below
                following += 1
            if not pending:  # the pool broke with nothing in flight: start a fresh one
                pool.shutdown(wait=True)
                pool = _pool(workers, limits, watch)
                continue
            k, future = pending.popleft()
            try:
                yield _result(future, watch, limits)
                continue
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
            # Which task killed the pool is unknown: every task in flight that had not finished is
            # run again on its own, and only one that breaks that too is read file by file.
            for j, f in [(k, future), *pending]:
                yield f.result() if _finished(f) else _alone(chunks[j], templates, limits, watch)
            pending.clear()
            pool = _pool(workers, limits, watch)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _finished(future: Future) -> bool:
    """A task that completed before its pool broke: its result stands."""
    return future.done() and not future.cancelled() and future.exception() is None


def _alone(chunk: Sequence[Source], templates: Mapping[str, Spec] | None, limits: Limits, watch: Watch) -> list[Packed]:
    """One task in a fresh single-worker pool; if it breaks that pool too, one file at a time."""
    with _pool(1, limits, watch) as pool:
        try:
            return _result(pool.submit(read_packed, chunk, templates, limits), watch, limits)
        except BrokenProcessPool:
            pass
    return [pack(_isolated(source, templates, limits, watch)) for source in chunk]


def _isolated(source: Source, templates: Mapping[str, Spec] | None, limits: Limits, watch: Watch) -> FileResult:
    with _pool(1, limits, watch) as pool:
        future = pool.submit(read_chunk, [source], templates, limits)
        pids = set(getattr(pool, "_processes", None) or ())
        try:
            return _result(future, watch, limits)[0]
        except BrokenProcessPool:
            if pids & watch.timed_out:
                return FileResult(source.display, issues=[finding("timeout", file=source.display, seconds=limits.seconds)])
            return FileResult(source.display, issues=[finding("worker-crashed", file=source.display,
                                                            detail=CRASHED)])


def _dask(sources: list[Source], templates: Mapping[str, Spec] | None, limits: Limits, address: str,
          authority: Authority | None = None) -> Iterator[list[Packed]]:
    from distributed import Client

    from . import sandbox

    chunks = _chunks(sources, 8)
    with Client(address) as client:
        remote_templates = client.scatter(templates, broadcast=True) if templates else None
        remote_authority = client.scatter(authority, broadcast=True) if authority is not None else None
        # A Dask worker is daemonic and cannot start a pool: each task reads in a child process of its
        # own, with the same per-file time limit, memory limit and crash isolation as the local pool.
        futures = [client.submit(sandbox.read_sandboxed, c, remote_templates, limits, remote_authority, sandbox.COMMAND,
                                 pure=False) for c in chunks]
        for chunk, future in zip(chunks, futures):
            try:
                packed = future.result()
            except Exception as exc:  # noqa: BLE001 - a Dask worker lost (not a file's reader) fails only its task
                packed = [pack(FileResult(s.display, issues=[finding("worker-crashed", file=s.display, detail=f"{type(exc).__name__}: {exc}"[:200])]))
                          for s in chunk]
            future.release()
            yield packed


def run_consolidation(sources: list[Source], options: ConsolidateOptions, workdir: Path | None = None,
                      notes: Sequence[Finding] = ()) -> Consolidation:
    """Read every source into a store (in ``workdir``, default the temporary folder), keep the returns of
    one period (``options.period``, else the one most returns are of) and one return per person, and check
    the roster (and, given HR's register, every return against it). ``notes`` are what discovery found
    about the inputs (every input accounted for)."""
    authority = options.authority
    out = Consolidation(ResultStore(workdir), files=len(sources))
    tasks = (_dask(sources, options.templates, options.limits, options.scheduler, authority) if options.scheduler
             else _local(sources, options.templates, options.limits, options.workers or os.cpu_count() or 1, authority))
    for packed in tasks:
        out.store.add(packed)
        for result in packed:
            for spec_id, spec in result.specs.items():
                out.specs.setdefault(spec_id, spec)
        options.progress(len(packed))
    out.store.finish()
    out.period = run_period(out.store, options.period)
    dedupe(out.store)
    merged = merge_ratings(out.store, out.period)  # every rater's part into the person's own return, by (person, rater)
    out.chase = _chase(merged, out.period, authority)
    out.separate = merged.separate or bool(out.chase)
    out.store.add_issues(list(notes))  # every input accounted for: what was not read, and why
    if options.roster is not None:
        _check_roster(out.store, options.roster)
    return out


def _chase(merged: MergeOutcome, period: str, authority: Authority) -> list[MissingRater]:
    """The raters to chase: from HR's register (every rating workbook of the period), else from who the people
    issued with separate ratings are still waiting for."""
    if authority.register is not None:
        return missing_raters(authority.register.rating_books(period), merged.returned)
    return waiting_raters(merged.waiting)


def _check_roster(store: ResultStore, roster: Sequence[Person]) -> None:
    """Who on the roster returned nothing (or a file that cannot be read, named with their id), and who
    returned without being on it."""
    returned: set[str] = set()
    known = {p.employee_id for p in roster}
    unknown = []
    for eid, file, sheet in store.people():
        returned.add(eid)
        if eid not in known:
            unknown.append(finding("unknown-person", file=file, sheet=sheet, employee_id=eid))
    named = named_for(store.unread_files(), known - returned)
    store.add_issues([finding("returned-unreadable", file=named[p.employee_id], employee_id=p.employee_id, name=p.name)
                      if p.employee_id in named else finding("not-returned", file="", employee_id=p.employee_id, name=p.name)
                      for p in roster if p.employee_id not in returned])
    store.add_issues(unknown)

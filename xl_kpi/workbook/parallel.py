"""Workbooks built on every core, and with fewer garbage collections (issue 32).

Each workbook of a build is independent of the others: a build of many people hands them to a pool
of worker processes (fork on Linux, the platform's default elsewhere), in chunks, and keeps what each
workbook issues in the roster's order, as a build in one process would. A pool that cannot run (no
process may be started, a worker killed) leaves the rest of the build to this process: the
workbooks are the same either way, only the time differs.

XlsxWriter leaves each workbook as a few thousand objects in reference cycles, so a build spends a
sixth of its time in Python's cyclic garbage collector scanning the same long-lived objects again.
:func:`fewer_collections` collects less often while a build runs (a young generation of 20,000
objects instead of 700): every cycle is still collected, a few hundred kilobytes later.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ..core.errors import XlKpiError
from ..core.findings import Finding
from ..sheet.register import Issued

__all__ = ["Job", "fewer_collections", "worker_count", "build_jobs", "MIN_PER_WORKER"]

MIN_PER_WORKER = 40  # people per worker below which starting a process costs more than it saves
CHUNK = 16  # workbooks per task: small enough that the workers end together
YOUNG = 20_000  # objects allocated before a young collection (Python's default: 700)

Builder = Callable[..., Path]
Job = tuple[Path, tuple[Any, ...], int]  # the workbook's path, the builder's arguments after it, people in it


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage less often inside the block (see the module's docstring)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def worker_count(requested: int, people: int) -> int:
    """How many processes build ``people``: ``requested`` (0: one per core), no more than keep each busy."""
    if requested == 1:
        return 1
    cores = requested or os.cpu_count() or 1
    return max(1, min(cores, people // MIN_PER_WORKER))


_STATE: tuple[Builder, Any] | None = None  # this worker's builder and options, once its pool has started it


def _start(builder: Builder, options: Any) -> None:
    global _STATE
    _STATE = (builder, options)
    gc.set_threshold(max(gc.get_threshold()[0], YOUNG), *gc.get_threshold()[1:])


def _build(chunk: Sequence[Job]) -> tuple[str, list[Issued] | list[Finding], type | None]:
    """Build a chunk in a worker: what its workbooks issue, or the findings of the error that stopped it."""
    assert _STATE is not None
    builder, options = _STATE
    issued: list[Issued] = []
    mine = dataclasses.replace(options, issued=issued)
    try:
        for target, args, _ in chunk:
            builder(target, *args, mine)
    except XlKpiError as exc:  # our errors carry findings; their messages alone do not rebuild them
        return "error", exc.findings, type(exc)
    return "ok", issued, None


def _context() -> Any:
    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def build_jobs(builder: Builder, jobs: Sequence[Job], options: Any, workers: int,
               progress: Callable[[int], None] | None = None) -> None:
    """Build every job with ``builder(path, *args, options)``; ``options.issued`` gets what each workbook
    issues, in the jobs' order. ``workers`` > 1: in a pool of that many processes."""
    chunks = _chunks(jobs)
    results: dict[int, list[Issued]] = {}
    if workers > 1 and len(chunks) > 1:
        _in_pool(builder, chunks, options, workers, progress, results)
    for i, chunk in enumerate(chunks):  # one process: all of them, or what a broken pool left
        if i in results:
            continue
        issued: list[Issued] = []
        results[i] = issued
        mine = dataclasses.replace(options, issued=issued)
        for target, args, people in chunk:
            builder(target, *args, mine)
            if progress:
                progress(people)
    for i in range(len(chunks)):
        options.issued.extend(results[i])


def _chunks(jobs: Sequence[Job]) -> list[Sequence[Job]]:
    """Consecutive jobs, about ``CHUNK`` people a chunk (a department's workbook alone when it has that many)."""
    chunks: list[Sequence[Job]] = []
    start = people = 0
    for i, (_, _, n) in enumerate(jobs):
        people += n
        if people >= CHUNK:
            chunks.append(jobs[start:i + 1])
            start, people = i + 1, 0
    if start < len(jobs):
        chunks.append(jobs[start:])
    return chunks


def _in_pool(builder: Builder, chunks: list[Sequence[Job]], options: Any, workers: int,
             progress: Callable[[int], None] | None, results: dict[int, list[Issued]]) -> None:
    try:
        pool = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=_context(), initializer=_start,
                                   initargs=(builder, dataclasses.replace(options, issued=None)))
    except (OSError, NotImplementedError):  # no process can be started here: one process builds them
        return
    with pool:
        futures: dict[Future[Any], int] = {}
        try:
            futures = {pool.submit(_build, chunk): i for i, chunk in enumerate(chunks)}
            for future, i in futures.items():
                status, payload, kind = future.result()
                if status == "error":
                    assert kind is not None
                    raise kind(payload)
                results[i] = payload
                if progress:
                    progress(sum(people for _, _, people in chunks[i]))
        except BrokenProcessPool:  # a worker died (killed, out of memory): this process builds the rest
            return
        finally:
            for future in futures:
                future.cancel()

"""Write the consolidation's outputs, each atomically: scores.csv, issues.csv, summary.xlsx.

Everything people typed is written as text (``write_string`` in the workbook, a ``'``
prefix for risky CSV fields), so nothing returned can become a live formula. Rows stream
from the run's store and the workbook is written in XlsxWriter's constant-memory mode, so
memory does not grow with the number of people.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..core.files import write_csv_atomic
from ..core.text import ui_lang
from ..scoring.columns import ResultColumns, result_columns
from ..spec.model import Person, Spec
from .alongside import alongside
from .history import append_history
from .options import ConsolidateOptions
from .pay import PAY_COLUMNS, pay_rows
from .runner import Consolidation
from .summary_book import ISSUE_COLUMNS, REVIEW_COLUMNS, issue_rows, review_rows, write_summary

__all__ = ["write_outputs", "score_columns", "score_table", "issue_table", "pay_rows", "PAY_COLUMNS"]

PARALLEL_FROM = 500  # rows below which a second process costs about what it saves (1,000 rows: 50 ms saved)


def score_columns(result: Consolidation, specs: dict[str, Spec]) -> ResultColumns:
    """The columns of the templates returned (:mod:`xl_kpi.scoring.columns`), indicators in first-seen order."""
    return result_columns([specs[spec_id] for spec_id in result.store.templates()], ui_lang())


def score_table(result: Consolidation, specs: dict[str, Spec]) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and rows of scores.csv: one row per person, by department then id."""
    columns = score_columns(result, specs).for_output("csv")
    return ResultColumns.header(columns), (ResultColumns.row(columns, r)
                                           for r in result.store.records(by_department=True, findings=False))


def issue_table(result: Consolidation) -> tuple[list[str], Iterator[list[str]]]:
    """The header and rows of issues.csv."""
    return list(ISSUE_COLUMNS), issue_rows(result)


@contextlib.contextmanager
def output_lock(outdir: Path) -> Iterator[None]:
    """One run at a time per output folder: an advisory lock on the folder itself (no file left
    behind), released when the run ends or its process dies. Linux and macOS; elsewhere none."""
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:
        yield
        return
    fd = os.open(outdir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError("output-busy", path=outdir) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_outputs(outdir: Path, result: Consolidation, specs: dict[str, Spec], options: ConsolidateOptions,
                  expected: dict[str, int] | None = None, missing: Sequence[Person] = ()) -> dict[str, Path]:
    """Write scores.csv, issues.csv, reviews.csv and summary.xlsx into ``outdir`` and append the history
    (``options.history``, default OUTDIR/history.sqlite); returns their paths. ``missing`` are the roster
    people who returned nothing (listed in summary.xlsx).

    The workbook is written by a second process meanwhile (see :mod:`.alongside`).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {"scores": outdir / "scores.csv", "issues": outdir / "issues.csv", "reviews": outdir / "reviews.csv",
             "summary": outdir / "summary.xlsx"}
    history = options.history or outdir / "history.sqlite"
    counts = result.counts()
    with alongside(write_summary, paths["summary"], result, specs, options.target_distribution, expected, list(missing),
                   options.health_min_people,
                   parallel=counts["people"] + counts["errors"] + counts["warnings"] + counts["infos"] >= PARALLEL_FROM):
        write_csv_atomic(paths["scores"], *score_table(result, specs))
        write_csv_atomic(paths["issues"], *issue_table(result))
        write_csv_atomic(paths["reviews"], list(REVIEW_COLUMNS), review_rows(result))
        if "pay" in score_columns(result, specs):
            paths["pay"] = outdir / "pay.csv"
            write_csv_atomic(paths["pay"], PAY_COLUMNS, pay_rows(result, specs, missing))
        append_history(history, result.store.records(findings=False), specs)
        paths["history"] = history
    return paths

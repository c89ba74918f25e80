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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..core.files import write_csv_atomic
from ..spec.model import Person, Spec
from .alongside import alongside
from .chase import CHASE_COLUMNS, chase_rows
from .distribution import TargetDistribution
from .health import MIN_PEOPLE
from .history import append_history
from .merge_view import rated_by
from .pay import PAY_COLUMNS, paid, pay_rows
from .reader import PersonRecord
from .runner import Consolidation
from .summary_book import ISSUE_COLUMNS, REVIEW_COLUMNS, issue_rows, review_rows, write_summary

__all__ = ["write_outputs", "score_columns", "score_table", "issue_table", "ScoreColumns", "pay_rows", "PAY_COLUMNS"]

PARALLEL_FROM = 500  # rows below which a second process costs about what it saves (1,000 rows: 50 ms saved)


@dataclass(frozen=True)
class ScoreColumns:
    """The columns of scores.csv and the Scores sheet for the templates returned: each indicator's
    actual (or each rater's input) and score, then what sections, adjustments, veto and
    coefficients add, when any returned template has them."""

    indicators: tuple[tuple[str, tuple[str, ...]], ...]  # (indicator id, its raters — () when not rated)
    sections: tuple[str, ...] = ()
    weighted: bool = False
    adjustments: bool = False
    veto: bool = False
    pay: bool = False
    raters: tuple[str, ...] = ()  # the templates' raters other than the employee: each one's score and who rated

    def header(self) -> list[str]:
        header = ["employee_id", "name", "department", "template", "period", "file", "sheet"]
        for iid, raters in self.indicators:
            header += [f"{iid}_{r}" for r in raters] if raters else [f"{iid}_actual"]
            header.append(f"{iid}_score")
        header += [f"{sid}_score" for sid in self.sections] + (["weighted"] if self.weighted else [])
        header += (["adjustment"] if self.adjustments else []) + (["veto"] if self.veto else [])
        header += [f"rater_{rid}_{what}" for rid in self.raters for what in ("score", "by")]
        header += ["total", "grade", "status"] + (["awaiting"] if self.raters else [])
        return header + (["coefficient", "bonus_base", "pay"] if self.pay else [])

    def row(self, r: PersonRecord) -> list[Any]:
        row: list[Any] = [r.employee_id, r.name, r.department, r.template, r.period, r.file, r.sheet]
        for iid, raters in self.indicators:
            row += [r.ratings.get(iid, {}).get(rater) for rater in raters] if raters else [r.raw.get(iid)]
            row.append(r.scores.get(iid))
        row += [r.sections.get(sid) for sid in self.sections] + ([r.weighted] if self.weighted else [])
        row += ([r.adjustment] if self.adjustments else []) + ([" ".join(r.vetoed)] if self.veto else [])
        row += [v for rid in self.raters for v in (r.role_scores.get(rid), rated_by(r, rid))]
        row += [r.total, r.grade, r.status] + ([r.awaiting] if self.raters else [])
        return row + ([r.coefficient, r.bonus_base, paid(r)] if self.pay else [])


def score_columns(result: Consolidation, specs: dict[str, Spec]) -> ScoreColumns:
    """The columns for the templates returned, indicators in first-seen order."""
    indicators: dict[str, tuple[str, ...]] = {}
    sections: list[str] = []
    used = [specs[spec_id] for spec_id in result.store.templates()]
    for spec in used:
        for ind in spec.indicators:
            indicators.setdefault(ind.id, ind.raters)
        sections += [s.id for s in spec.sections if s.id not in sections]
    raters = tuple(dict.fromkeys(r.id for s in used for r in s.raters if not r.by_employee))
    return ScoreColumns(tuple(indicators.items()), tuple(sections), any(s.sections or s.adjustments or s.veto for s in used),
                        any(s.adjustments for s in used), any(s.veto for s in used), any(s.has_coefficients for s in used), raters)


def score_table(result: Consolidation, specs: dict[str, Spec]) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and rows of scores.csv: one row per person, by department then id."""
    columns = score_columns(result, specs)
    return columns.header(), (columns.row(r) for r in result.store.records(by_department=True, findings=False))


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


def write_outputs(outdir: Path, result: Consolidation, specs: dict[str, Spec], target_distribution: TargetDistribution | None = None,
                  expected: dict[str, int] | None = None, history: Path | None = None,
                  missing: Sequence[Person] = (), health_min_people: int = MIN_PEOPLE) -> dict[str, Path]:
    """Write scores.csv, issues.csv, reviews.csv and summary.xlsx into ``outdir`` and append ``history``;
    returns their paths. ``missing`` are the roster people who returned nothing (listed in summary.xlsx).

    The workbook is written by a second process meanwhile (see :mod:`.alongside`).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {"scores": outdir / "scores.csv", "issues": outdir / "issues.csv", "reviews": outdir / "reviews.csv",
             "summary": outdir / "summary.xlsx"}
    counts = result.counts()
    with alongside(write_summary, paths["summary"], result, specs, target_distribution, expected, list(missing), health_min_people,
                   parallel=counts["people"] + counts["errors"] + counts["warnings"] + counts["infos"] >= PARALLEL_FROM):
        write_csv_atomic(paths["scores"], *score_table(result, specs))
        write_csv_atomic(paths["issues"], *issue_table(result))
        write_csv_atomic(paths["reviews"], list(REVIEW_COLUMNS), review_rows(result))
        if result.separate:  # raters rated in their own workbooks: who still owes ratings (maybe nobody)
            paths["chase"] = outdir / "chase.csv"
            write_csv_atomic(paths["chase"], list(CHASE_COLUMNS), chase_rows(result.chase))
        if score_columns(result, specs).pay:
            paths["pay"] = outdir / "pay.csv"
            write_csv_atomic(paths["pay"], PAY_COLUMNS, pay_rows(result, specs, missing))
        if history is not None:
            append_history(history, result.store.records(findings=False), specs)
            paths["history"] = history
    return paths

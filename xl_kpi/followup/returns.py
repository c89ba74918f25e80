"""The returns of a cycle read again for what comes after consolidation: who sent what, with which problems.

Send-back, chase and letters need what consolidation knows about each return — its records and every
finding in both languages — and the file itself. They read the returns exactly as ``consolidate``
does (the same reader, register, roster and period), into a store of their own, and keep the
:class:`Source` of every file so that the person's own bytes can be annotated or attached.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..consolidation.inputs import Source, discover
from ..consolidation.options import ConsolidateOptions
from ..consolidation.reader import PersonRecord
from ..consolidation.runner import Consolidation, run_consolidation
from ..consolidation.safety import Limits
from ..core.findings import Finding
from ..core.periods import period_code
from ..sheet.register import Issued, Register
from ..spec.model import Person, Spec

__all__ = ["Returns", "read_returns", "issued_files"]


@dataclass
class Returns:
    """The returns of one period as consolidation reads them, with HR's register and roster."""

    run: Consolidation
    specs: dict[str, Spec]
    sources: dict[str, Source]  # the file as every report names it → where its bytes are
    register: Register | None = None
    build_folder: Path | None = None  # where build wrote the issued workbooks (the register's folder)
    roster: list[Person] | None = None
    _issued: list[Issued] | None = field(default=None, repr=False)
    _issued_to: dict[str, Path] | None = field(default=None, repr=False)

    @property
    def period(self) -> str:
        return self.run.period

    def records(self) -> Iterator[PersonRecord]:
        """Every kept record, by department then employee id."""
        return self.run.store.records(by_department=True)

    def findings(self) -> dict[tuple[str, str], list[Finding]]:
        """Every finding about a person, by (file, employee id), in the order found."""
        out: dict[tuple[str, str], list[Finding]] = {}
        for f in self.run.store.issues():
            if f.employee_id:
                out.setdefault((f.file, f.employee_id), []).append(f)
        return out

    def issued(self) -> list[Issued]:
        """The employees' workbooks HR issued for this period (every period when none is consolidated; a card issued
        again, its latest issue), by
        department and id (the raters' rating workbooks are :attr:`run`'s ``chase`` when they owe ratings)."""
        if self.register is None:
            return []
        if self._issued is None:
            entries = [p for book in self.register.books.values() for p in book.values() if not p.is_rating]
            mine = [p for p in entries if not self.period or period_code(p.period) == self.period]
            mine = [p for p in mine if self.register.is_latest(p)]  # a card issued again: the person's latest issue only
            self._issued = sorted(mine, key=lambda p: (p.department, p.employee_id, p.workbook_id))
        return self._issued

    def rating_file(self, name: str) -> Path | None:
        """A rating workbook HR issued, by its file name, where build wrote it (None when unknown)."""
        if self.build_folder is None or not name:
            return None
        return issued_files(self.build_folder).get(name)

    def post(self) -> dict[str, tuple[str, str]]:
        """Each person's (position, manager): the roster's, else as HR issued them (the register keeps both; one
        written before it did, or a workbook HR did not issue, gives ``("", "")``)."""
        out = {p.employee_id: (p.position, p.manager) for p in self.issued()}
        out.update({p.employee_id: (p.position, p.manager) for p in self.roster or []})
        return out

    def issued_file(self, employee_id: str) -> Path | None:
        """The workbook HR issued to a person for this period, where build wrote it (None when unknown)."""
        if self.build_folder is None:
            return None
        if self._issued_to is None:
            paths = issued_files(self.build_folder)
            self._issued_to = {}
            for entry in self.issued():
                if entry.file in paths:
                    self._issued_to.setdefault(entry.employee_id, paths[entry.file])
        return self._issued_to.get(employee_id)

    def close(self) -> None:
        self.run.store.close()


def issued_files(folder: Path) -> dict[str, Path]:
    """Each workbook under a build folder by its file name (build makes names unique across a build; of a card issued
    again elsewhere in the folder — the person moved to another department — the one written last)."""
    found: dict[str, list[Path]] = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # build's own hidden staging folder is not issued
        for name in sorted(files):
            if name.lower().endswith((".xlsx", ".xlsm")) and not name.startswith("~$"):
                found.setdefault(name, []).append(Path(root) / name)
    return {name: paths[0] if len(paths) == 1 else max(paths, key=lambda p: p.stat().st_mtime_ns) for name, paths in found.items()}


def read_returns(paths: Sequence[Path], specs: dict[str, Spec] | None = None, roster: list[Person] | None = None,
                 register: Register | None = None, build_folder: Path | None = None, period: str | None = None,
                 workers: int | None = None, limits: Limits = Limits()) -> Returns:
    """Read the returns under ``paths`` as ``consolidate`` does (nothing is written but a temporary store)."""
    notes: list[Finding] = []
    sources = discover(list(paths), limits, notes)
    run = run_consolidation(sources, ConsolidateOptions.of(specs, roster, register=register, period=period, workers=workers, limits=limits))
    run.store.add_issues(notes)
    run.on_trust = register is None
    return Returns(run, {**run.specs, **(specs or {})}, {s.display: s for s in sources}, register, build_folder, roster)

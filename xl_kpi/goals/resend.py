"""The supervisor's workbook built again from the employees' returns (the goals round's second round, when the
supervisor agrees in a workbook of their own).

A supervisor's first workbook is issued with the employees' — it cannot show what they will propose. When
``goals collect`` finds people whose goals came back but whose supervisor's word did not, it writes each such
supervisor a workbook of their waiting people with every proposal, goal sentence and reason shown read-only
beside the cells to fill (``<out>/评分表/上级目标确认_<name>.xlsx``), records it in the register, and HR sends it;
collecting again with it merges as before.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..spec.model import Person
from ..workbook.filenames import plan_rating_files
from ..workbook.rating_book import RATING_FOLDER
from .register import load_issued, record_issued
from .rules import Member
from .supervisor import SUPERVISOR_FILE, Proposal, supervisor_named, write_supervisor_book

__all__ = ["supervisor_books_from_returns"]


def _proposals(c: Any) -> dict[str, Proposal]:
    return {g.indicator_id: (g.proposed, g.text, g.reason, g.name if g.personal else "") for g in c.goals.goals}


def supervisor_books_from_returns(waiting: Sequence[Any], register: Path, outdir: Path, key: bytes | None) -> list[Path]:
    """For each supervisor with people waiting for their word (collected returns, issued separate), a workbook of those
    people with their proposals shown; written into ``outdir``'s rating folder and recorded in ``register``."""
    teams: dict[str, list[Any]] = {}
    for c in waiting:
        if c.issued.manager.strip():
            teams.setdefault(c.issued.manager.strip(), []).append(c)
    if not teams:
        return []
    langs = {m: max({c.issued.lang for c in group}, key=[c.issued.lang for c in group].count) for m, group in teams.items()}
    names = {g.employee_id: g.name for g in load_issued(register)[0].values()}
    named = {m: supervisor_named(m, names) for m in teams}
    rels = plan_rating_files([(SUPERVISOR_FILE[langs[m]], m, named[m][0]) for m in teams], RATING_FOLDER[next(iter(langs.values()))], [],
                             ".xlsx").paths
    stage = Path(tempfile.mkdtemp(prefix=".xl-kpi-goals-", dir=outdir))
    issued, written = [], []
    try:
        for (manager, group), rel in zip(teams.items(), rels):
            members = [Member(Person(c.issued.employee_id, c.issued.name, c.issued.department, c.issued.position, c.issued.manager,
                                     c.issued.template, c.issued.period), c.spec, c.issued.period, c.issued.history, c.issued.rules, True)
                       for c in group]
            issued += write_supervisor_book(stage / rel, named[manager][1], members, langs[manager], "", key,
                                            {c.issued.employee_id: _proposals(c) for c in group})
        record_issued(register, issued, key is not None, datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"))
        for rel in rels:
            (outdir / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / rel, outdir / rel)
            written.append(outdir / rel)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return written

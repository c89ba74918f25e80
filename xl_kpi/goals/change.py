"""Changes mid-period (seed 000, FAQ 2: an urgent task delays a KPI — record the change, its reason and the new date).

HR accepts a change request — indicator, old → new target, reason, date, approver — into the register
(``goal_changes`` in ``issued.sqlite``) as the person's next version. Consolidation with ``--issued`` then scores the
person against the latest approved target of each indicator and shows the log (``target-change-approved``); the
returned sheet is still checked against what was issued, so a target changed in the file without an approved
request is reported as before (``changed-target``).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import sqlite3
from pathlib import Path

from ..core.errors import UsageError
from ..core.text import Text
from ..sheet.register import CHANGES_SCHEMA, Issued, Register, TargetChange, load_register
from ..spec.canonical import spec_from_canonical
from ..spec.model import Indicator
from ..spec.rules import target_problems
from .register import agreed_versions

__all__ = ["accept_change"]


def _refuse(why: Text, fix: Text) -> UsageError:
    return UsageError("goal-change-invalid", why=why, fix=fix)


def issued_card(register: Register, employee_id: str, period: str | None) -> Issued:
    """The scorecard the person was issued for the period (the latest issue)."""
    entries = [p for book in register.books.values() for eid, p in book.items() if eid == employee_id and period in (None, p.period)
               and not p.is_rating]  # the person's own card (its targets), not a rater's workbook that lists them
    if not entries:
        raise _refuse(Text(f"登记册中没有发给 {employee_id} 的考核表" + (f"({period})" if period else ""),
                           f"the register issued no scorecard to {employee_id}" + (f" ({period})" if period else "")),
                      Text("先用 build 发出考核表,再记录变更", "issue the scorecard with build first"))
    periods = sorted({e.period for e in entries})
    if len(periods) > 1:
        raise _refuse(Text(f"{employee_id} 有多个考核期间({'、'.join(periods)})", f"{employee_id} has several periods ({', '.join(periods)})"),
                      Text("用 --period 指定期间", "give the period with --period"))
    return next((e for e in entries if register.is_latest(e)), entries[-1])


def _indicator(register: Register, issued: Issued, name: str) -> Indicator:
    spec = spec_from_canonical(json.loads(register.specs[issued.spec_hash]))
    found = next((i for i in spec.indicators if name in (i.id, i.name)), None)
    if found is None or found.takes_label or not isinstance(found.target, (int, float)):
        known = "、".join(i.name for i in spec.indicators if not i.takes_label and isinstance(i.target, (int, float)))
        raise _refuse(Text(f"{spec.title} 没有可改目标的指标“{name}”", f"{spec.title} has no indicator '{name}' with a numeric target"),
                      Text(f"可选: {known}", f"one of: {known}"))
    return found


def accept_change(path: Path, employee_id: str, indicator: str, target: float | None, reason: str, approver: str, date: str = "",
                  period: str | None = None, deadline: str = "") -> TargetChange:
    """Record an approved change — a new target, a new deadline, or both — as the person's next version; returns it
    (with the old target it replaces; the same target when only the deadline moves).

    Raises:
        UsageError: ``goal-change-invalid``: no scorecard issued to the person (for the period), an unknown indicator, a
            target the card's rules refuse, no reason or no approver.
    """
    register = load_register(path)
    issued = issued_card(register, employee_id, period)
    ind = _indicator(register, issued, indicator)
    if target is None and not deadline.strip():
        raise _refuse(Text("既没有新目标也没有新期限", "neither a new target nor a new deadline"), Text("给出 --target 或 --deadline", "give --target or --deadline"))
    if len(reason.strip()) < 2 or not approver.strip():
        raise _refuse(Text("缺少变更理由或批准人", "no reason or no approver"), Text("写明理由(至少 2 个字)和批准人", "give the reason and who approved"))
    approved, log = register.approved_targets(employee_id, issued.period)
    old = approved.get(ind.id, (issued.target_values() or {}).get(ind.id, float(ind.target)))  # type: ignore[arg-type]
    target = old if target is None else target
    problems = target_problems(ind, target)
    if problems:
        raise _refuse(Text(problems[0].message.zh, problems[0].message.en), problems[0].hint or Text("", ""))
    agreed = [v.version for v in agreed_versions(path, issued.period) if v.employee_id == employee_id]
    version = max([1, *agreed, *(c.version for c in log)]) + 1
    change = TargetChange(employee_id, issued.period, ind.id, old, float(target), reason.strip(), date or datetime.date.today().isoformat(),
                          approver.strip(), version, datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), deadline.strip())
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=5)) as db, db:
            db.executescript(CHANGES_SCHEMA)
            db.execute("INSERT INTO goal_changes VALUES (?,?,?,?,?,?,?,?,?,?,?)", tuple(change))
    except sqlite3.Error as exc:
        raise UsageError("register-unusable", path=path, detail=str(exc)) from None
    return change

"""The follow-up steps of a cycle as Python functions (re-exported by :mod:`xl_kpi.api`, ``docs/api.md``).

Each takes what ``consolidate`` takes — the returns, HR's templates, roster and register — or the
history it wrote, and returns plain data; bad input raises the project's own exceptions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..consolidation.safety import Limits
from ..core.errors import UsageError
from ..core.findings import Finding
from ..core.periods import PERIOD_EXAMPLES, parse_period, period_code
from ..core.text import ui_lang
from ..spec.model import Spec
from .chase import ChaseItem, chase_list, write_chase_list
from .contacts import contacts_from_people, load_contacts
from .drafts import By, Draft, plan_drafts, write_drafts
from .inputs import PathLike, paths_of, people_of, register_of, specs_of
from .returns import Returns, read_returns
from .sendback import SendBackRun, plan_sendback, write_sendback
from .signoff import SIGNERS
from .status import STATUS_COLUMNS, cycle_status, history_periods

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["sendback", "read_cycle", "chase", "ChaseRun", "status"]


def read_cycle(returns: PathLike | Sequence[PathLike], templates: Spec | PathLike | Mapping[str, Spec] | None = None,
               roster: Any = None, *, issued: PathLike | None = None, sign_key: PathLike | bytes | None = None,
               period: str | None = None, workers: int | None = None, limits: Limits = Limits()) -> Returns:
    """The returns read as ``consolidate`` reads them, with HR's register and roster (close it when done)."""
    if period is not None and parse_period(period) is None:
        raise UsageError("bad-option", option="--period", value=period, allowed=PERIOD_EXAMPLES)
    specs = specs_of(templates)
    people = people_of(roster, specs)
    register, folder = register_of(issued, sign_key)
    return read_returns(paths_of(returns), specs, people, register, folder, period, workers, limits)


def sendback(returns: PathLike | Sequence[PathLike], outdir: PathLike, templates: Spec | PathLike | Mapping[str, Spec] | None = None,
             roster: Any = None, *, issued: PathLike | None = None, sign_key: PathLike | bytes | None = None,
             period: str | None = None, workers: int | None = None) -> SendBackRun:
    """For every return with problems, what goes back to its owner, written into ``outdir``.

    A return whose cells someone can put right gets an annotated copy of the person's own file: each
    problem cell framed in red with a comment (in the workbook's language) saying what is wrong and how to
    fix it, and a note at the top of their sheet listing them; nothing else in the file changes, so the
    corrected file consolidates like any return. A return typing cannot make right (rules or protection
    changed, another period, another format) is re-issued: the workbook as issued is named (``issued``
    gives the register and the folder of the workbooks). ``sendback.csv`` lists everyone with the file to
    attach; :func:`chase` writes the e-mails.

    Returns:
        The entries (``.items``, each with ``action``: fix, reissue or hr, the cells, the file to attach),
        the paths written and the findings of what could not be done.
    """
    cycle = read_cycle(returns, templates, roster, issued=issued, sign_key=sign_key, period=period, workers=workers)
    try:
        return write_sendback(cycle, Path(outdir))
    finally:
        cycle.close()


@dataclass
class ChaseRun:
    """What :func:`chase` found and wrote: the list, the e-mails, the send-back behind them."""

    items: list[ChaseItem]
    drafts: list[Draft]
    sendback: SendBackRun
    paths: dict[str, Path] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def chase(returns: PathLike | Sequence[PathLike], outdir: PathLike, templates: Spec | PathLike | Mapping[str, Spec] | None = None,
          roster: Any = None, *, issued: PathLike | None = None, sign_key: PathLike | bytes | None = None, period: str | None = None,
          by: By = "person", signatures: Sequence[str] = ("employee", "supervisor"), deadline: str = "", sender: str = "",
          signature: str = "HR", workers: int | None = None) -> ChaseRun:
    """Everything still missing for the period and the e-mails that ask for it, written into ``outdir``.

    ``chase.csv`` lists, for each person issued a workbook (the register's; the roster's without one),
    what is missing — the return, corrections, a workbook to fill in again, a rater's rating, a
    ``signatures`` role's result signature — with their manager, department and e-mail (the roster's
    ``email`` and ``manager_email`` columns). ``drafts/`` holds an ``.eml`` per person and per manager
    (``by="manager"``: one per manager for all of their people) in the recipient's language, with the
    workbook as issued, or the annotated copy :func:`sendback` writes into ``outdir/sendback``, attached.

    Args:
        signatures: whose result signature a return must carry: employee, supervisor, reviewer, hr (none: ``()``).
        deadline: the date to ask for, as the e-mails say it (``12月20日``, ``20 December``).
        sender: the ``From`` of the drafts (``HR <hr@company.com>``); ``signature``: how the e-mails are signed.
    """
    bad = [s for s in signatures if s not in SIGNERS]
    if bad:
        raise UsageError("bad-option", option="--signatures", value=",".join(bad), allowed=",".join(SIGNERS) + " or none")
    out = Path(outdir)
    cycle = read_cycle(returns, templates, roster, issued=issued, sign_key=sign_key, period=period, workers=workers)
    try:
        notes: list[Finding] = []
        if isinstance(roster, (str, Path)) and cycle.roster is not None:
            contacts, notes = load_contacts(roster, cycle.roster)
        else:
            contacts = contacts_from_people(cycle.roster or [])
        sent = write_sendback(cycle, out / "sendback")
        items = chase_list(cycle, sent, contacts, signatures)
        drafts = plan_drafts(items, cycle.period or period or "", by, deadline, signature)
        notes += sent.findings + write_drafts(drafts, out / "drafts", sender)
        listing = write_chase_list(items, out / "chase.csv", ui_lang())
        return ChaseRun(items, drafts, sent, {"chase": listing, "drafts": out / "drafts", **sent.paths}, notes)
    finally:
        cycle.close()


def status(*, issued: PathLike | None = None, roster: Any = None, history: PathLike | None = None,
           returns: PathLike | Sequence[PathLike] | None = None, templates: Spec | PathLike | Mapping[str, Spec] | None = None,
           period: str | None = None, sign_key: PathLike | bytes | None = None, workers: int | None = None) -> pd.DataFrame:
    """Where the cycle stands, by department: issued, returned, not returned, complete, with problems,
    awaiting a rater (known only when ``returns`` are read), calibrated, announced and appealed; a last
    row ``*`` for the whole company.

    Who was issued a workbook comes from the register (``issued``), else the roster; what came back from
    the ``returns`` read again, else the ``history``; calibration, letters and appeals from the history.
    ``period`` defaults to the returns' period, else the latest in the history, else the register's.
    """
    import pandas as pd

    specs = specs_of(templates)
    people = people_of(roster, specs)
    register, folder = register_of(issued, sign_key)
    hist = Path(history) if history is not None else None
    if period is None and returns is None:
        periods = history_periods(hist) if hist is not None else register.periods() if register is not None else []
        period = periods[-1] if periods else None
    cycle = read_returns(paths_of(returns), specs, people, register, folder, period, workers) if returns is not None else None
    try:
        chosen = period_code(period or (cycle.period if cycle is not None else "") or "")
        if hist is not None and chosen and chosen not in history_periods(hist) and cycle is None:
            raise UsageError("history-no-period", path=hist, period=chosen, periods=", ".join(history_periods(hist)) or "—")
        expected = [(p.employee_id, p.department) for book in register.books.values() for p in book.values()
                    if not chosen or period_code(p.period) == chosen] if register is not None else \
            [(p.employee_id, p.department) for p in people or []]
        chased: list[ChaseItem] = []
        if cycle is not None:
            chased = chase_list(cycle, SendBackRun(plan_sendback(cycle), {}, []), contacts_from_people(people or []), ())
        rows = cycle_status(chosen, expected, cycle, hist, chased)
    finally:
        if cycle is not None:
            cycle.close()
    frame = pd.DataFrame([r.row() for r in rows], columns=list(STATUS_COLUMNS))
    frame.attrs["period"] = chosen
    return frame

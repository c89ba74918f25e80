"""The follow-up steps of a cycle as Python functions (re-exported by :mod:`xl_kpi.api`, ``docs/api.md``).

Each takes what ``consolidate`` takes — the returns, HR's templates, roster and register — or the
history it wrote, and returns plain data; bad input raises the project's own exceptions.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..consolidation.decisions import open_history
from ..consolidation.safety import Limits
from ..core.errors import UsageError
from ..core.files import write_csv_atomic
from ..core.findings import Finding
from ..core.periods import PERIOD_EXAMPLES, parse_period, period_code
from ..core.text import Lang, Text, ui_lang
from ..spec.model import Spec
from ..workbook.filenames import safe_name
from .appeal_book import write_appeal_form
from .appeals import Appeal, appeal_subject
from .appeals import collect_appeals as _collect_appeals
from .calibration import Excluded, groups, load_candidates, load_potential
from .calibration_book import write_calibration_book
from .calibration_collect import CalibrationCollected
from .calibration_collect import collect_calibration as _collect_calibration
from .chase import ChaseItem, chase_list, write_chase_list
from .contacts import contacts_from_people, load_contacts
from .drafts import By, Draft, letter_draft, plan_drafts, write_drafts
from .guideline import parse_guideline
from .inputs import PathLike, paths_of, people_of, register_of, specs_of, workbooks_of
from .letters import LettersRun, write_letters
from .letters import collect_talks as _collect_talks
from .ninebox import parse_levels, read_level
from .returns import Returns, read_returns
from .sendback import SendBackRun, plan_sendback, write_sendback
from .signoff import SIGNERS
from .status import STATUS_COLUMNS, cycle_status, history_periods

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["sendback", "read_cycle", "chase", "ChaseRun", "status", "calibrate", "collect_calibration", "CalibrationBuilt", "letters",
           "collect_talks", "appeal_forms", "collect_appeals", "AppealsRun", "final_pay", "FINAL_PAY_COLUMNS"]


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
    what is missing — the return, corrections, a workbook to fill in again, a rater's rating, a rater's
    own rating workbook not yet returned (``rater-file``, asked of that rater), a ``signatures`` role's
    result signature — with their manager, department and e-mail (the roster's ``email`` and
    ``manager_email`` columns). ``drafts/`` holds an ``.eml`` per person, per manager (``by="manager"``:
    one per manager for all of their people) and per rater who owes a rating workbook, in the
    recipient's language, with the workbook as issued, the rating workbook, or the annotated copy
    :func:`sendback` writes into ``outdir/sendback``, attached.

    Args:
        signatures: whose result signature a return must carry: employee, supervisor, reviewer, hr (none: ``()``).
        deadline: the date to ask for, as the e-mails say it (``12月20日``, ``20 December``).
        sender: the ``From`` of the drafts (``HR <hr@company.com>``); ``signature``: how the e-mails are signed.
    """
    bad = [s for s in signatures if s not in SIGNERS]
    if bad:
        raise UsageError("bad-option", option="--signatures", value=",".join(bad), allowed=Text(
            f"{'、'.join(SIGNERS)} 中的一个或几个,或 none", f"one or more of {', '.join(SIGNERS)}, or none"))
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
                    if not p.is_rating and (not chosen or period_code(p.period) == chosen)  # a card issued again: its latest issue
                    and register.is_latest(p)] if register is not None else \
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


@dataclass
class CalibrationBuilt:
    """What :func:`calibrate` wrote: a workbook per department (or one for the company), who is on them, who is not."""

    paths: list[Path]
    people: int
    excluded: list[Excluded]
    period: str
    findings: list[Finding] = field(default_factory=list)


def _period_of(history: Path, period: str | None) -> str:
    periods = history_periods(history)
    if period is None:
        if not periods:
            raise UsageError("history-no-period", path=history, period="—", periods="—")
        return periods[-1]
    if parse_period(period) is None:
        raise UsageError("bad-option", option="--period", value=period, allowed=PERIOD_EXAMPLES)
    return period_code(period)


def calibrate(history: PathLike, outdir: PathLike, *, period: str | None = None, by: Literal["department", "company"] = "department",
              guideline: str | None = None, potential: PathLike | Mapping[str, Any] | None = None, performance_levels: str | None = None,
              templates: Spec | PathLike | Mapping[str, Spec] | None = None, lang: Lang | None = None, password: str = "") -> CalibrationBuilt:
    """Calibration workbooks (绩效校准表) for ``period`` from a consolidation's history: one per department
    (``by="company"``: one for all), with a sheet per grade scale.

    Each sheet lists every person with a complete, trusted result — total, the scores behind it, grade —
    the grade distribution before and after, the distribution ``guideline`` (``优秀<=20%,不合格>=5%``,
    ``优秀+良好<=70%``, ``合格=10%~30%``, ``Excellent<2``) with live over/under counts, and, given each
    person's ``potential`` (a table with ``employee_id`` and ``potential``: 高/中/低, or a mapping), the
    performance × potential nine-box. A calibrated grade can only be one of the person's own card's and
    needs a reason and who decided; :func:`collect_calibration` reads the workbooks back.
    ``performance_levels`` maps grades to the nine-box's performance levels (``优秀=高,良好=中,…``;
    default: the best grade high, the worst low, the rest medium).
    """
    hist = Path(history)
    chosen = _period_of(hist, period)
    notes: list[Finding] = []
    if potential is None:
        levels: dict[str, int] | None = None
    elif isinstance(potential, Mapping):
        levels = {str(k): v for k, v in ((k, read_level(v)) for k, v in potential.items()) if v is not None}
    else:
        levels, notes = load_potential(potential)
    people, excluded = load_candidates(hist, chosen, specs_of(templates), levels)
    language: Lang = lang or ("en" if sum(p.spec.language == "en" for p in people) > len(people) / 2 else "zh")
    level_map = parse_levels(performance_levels)
    books = groups(people, by, language)
    labels = {label for p in people for label in (g.label for g in p.spec.grades)}
    rules = parse_guideline(guideline, sorted(labels)) if guideline else []
    paths = []
    for scope, sheets in books.items():
        rules_of = {g.scale.key: [r for r in rules if all(label in {x.label for p in g.people for x in p.spec.grades} for label in r.grades)]
                    for g in sheets}
        name = "calibration.xlsx" if scope == "*" else f"calibration_{safe_name(scope)}.xlsx"
        left_out = [e for e in excluded if scope in ("*", e.department)]
        paths.append(write_calibration_book(Path(outdir) / name, scope, sheets, rules_of, chosen, language, left_out,
                                            potential is not None, level_map, guideline or "", password))
    return CalibrationBuilt(paths, len(people), excluded, chosen, notes)


def collect_calibration(files: PathLike | Sequence[PathLike], history: PathLike, outdir: PathLike,
                        templates: Spec | PathLike | Mapping[str, Spec] | None = None) -> CalibrationCollected:
    """Read filled calibration workbooks back: check every change (a grade of the person's own card, a
    reason, who decided, the result still the one calibrated), apply the valid ones to the history
    (``calibrations``: original and calibrated grade, the calibrated grade's coefficient and pay), and
    write ``calibration_changes.csv`` (who moved whom, why, by how much, what it does to pay) and
    ``calibration_guideline.csv`` (each rule met or not, and who was pushed out of its grades by how many
    points). :func:`final_pay` then pays the calibrated grades.
    """
    return _collect_calibration(workbooks_of(files), Path(history), Path(outdir), specs_of(templates))


def letters(returns: PathLike | Sequence[PathLike], outdir: PathLike, templates: Spec | PathLike | Mapping[str, Spec] | None = None,
            roster: Any = None, *, history: PathLike | None = None, issued: PathLike | None = None, sign_key: PathLike | bytes | None = None,
            period: str | None = None, deadline: str | None = None, appeal_days: int = 7, drafts: bool = True, sender: str = "",
            signature: str = "HR", workers: int | None = None) -> LettersRun:
    """A result letter (绩效结果通知书) and a review-talk record (绩效面谈记录) for everyone with a complete,
    trusted result, in their workbook's language, written into ``outdir`` (by department).

    The letter gives each indicator's target, actual and score, the sections, adjustments and veto, total
    and grade, the calibrated grade and the appeal's outcome when the ``history`` records them, the
    coefficient and pay, the supervisor's comment, the deadline to appeal (``deadline`` as written, else
    today plus ``appeal_days``) and signature lines, on one A4 page. With a ``history`` the letters are
    recorded there (``status`` shows them as announced); with ``drafts`` an ``.eml`` per person sends
    theirs (``drafts/``). :func:`collect_talks` reads the filled talk records back.
    """
    if appeal_days < 0:
        raise UsageError("bad-option", option="--appeal-days", value=appeal_days, allowed=Text("不小于 0 的天数", "0 or more days"))
    when = deadline or (datetime.date.today() + datetime.timedelta(days=appeal_days)).isoformat()
    out = Path(outdir)
    cycle = read_cycle(returns, templates, roster, issued=issued, sign_key=sign_key, period=period, workers=workers)
    try:
        run = write_letters(cycle, out, Path(history) if history is not None else None, when)
        if drafts:
            if isinstance(roster, (str, Path)) and cycle.roster is not None:
                contacts, run.findings = load_contacts(roster, cycle.roster)
            else:
                contacts = contacts_from_people(cycle.roster or [])
            for x in run.letters:
                if x.path is None or x.data is None:
                    continue
                c = contacts.get(x.employee_id)
                run.drafts.append(letter_draft(x.name, c.email if c else "", c.manager_email if c else "", x.department, x.employee_id,
                                               x.data.lang, x.path, cycle.period, when, signature))
            run.findings += write_drafts(run.drafts, out / "drafts", sender)
            run.paths["drafts"] = out / "drafts"
        return run
    finally:
        cycle.close()


def collect_talks(files: PathLike | Sequence[PathLike], history: PathLike) -> tuple[list[dict[str, str]], list[Finding]]:
    """Read the review-talk records of filled letter workbooks (strengths, gaps, next period's goals, agreed
    actions, both signatures, the date) into the history's ``talks`` table; a record not signed by both
    is recorded and reported, a blank one is not recorded."""
    return _collect_talks(workbooks_of(files), Path(history))


def appeal_forms(history: PathLike, outdir: PathLike, employees: str | Sequence[str], *, period: str | None = None,
                 templates: Spec | PathLike | Mapping[str, Spec] | None = None, lang: Lang | None = None) -> list[Path]:
    """An appeal record (绩效申诉表) for each of ``employees`` (ids, or one string of ids separated by commas):
    the result appealed (their current one: consolidated, then calibrated) with the inputs behind it; the
    person's part (date, reason, evidence) and HR's (corrected inputs or a grade, the decision, who, when).
    In ``lang``, else each card's language. :func:`collect_appeals` reads the filled forms.
    """
    hist = Path(history)
    chosen = _period_of(hist, period)
    ids = [e.strip() for e in (employees.split(",") if isinstance(employees, str) else employees) if e.strip()]
    if not ids:
        raise UsageError("bad-option", option="--employee", value="", allowed=Text("一个或几个员工编号,用逗号分隔", "one or more employee ids, comma-separated"))
    specs = specs_of(templates)
    paths = []
    for eid in ids:
        subject = appeal_subject(hist, chosen, eid, specs)
        language: Lang = lang or subject.spec.language
        word = "绩效申诉表" if language == "zh" else "appeal"
        paths.append(write_appeal_form(Path(outdir) / f"{safe_name(f'{eid}_{subject.name}_{word}')}.xlsx", subject, language))
    return paths


@dataclass
class AppealsRun:
    """What :func:`collect_appeals` recorded."""

    appeals: list[Appeal]
    findings: list[Finding]
    path: Path


def collect_appeals(files: PathLike | Sequence[PathLike], history: PathLike, outdir: PathLike,
                    templates: Spec | PathLike | Mapping[str, Spec] | None = None) -> AppealsRun:
    """Record filled appeal forms in the history: the decision (upheld, changed, withdrawn, pending), the
    original result and the final one — for a changed result scored again by the engine from the corrected
    inputs, or set to a grade of the person's own card — with its coefficient and pay; ``appeals.csv`` lists
    them. Final pay (:func:`final_pay`), status, letters and the annual roll-up use the final result."""
    appeals, findings, path = _collect_appeals(workbooks_of(files), Path(history), Path(outdir), specs_of(templates))
    return AppealsRun(appeals, findings, path)


FINAL_PAY_COLUMNS = ("employee_id", "name", "department", "template", "status", "total", "grade", "coefficient", "bonus_base", "pay",
                     "final_total", "final_grade", "final_coefficient", "final_pay", "changed_by", "appeal", "stale", "no_pay_reason")


def final_pay(history: PathLike, *, period: str | None = None, output: PathLike | None = None) -> pd.DataFrame:
    """Everyone of ``period`` (default: the latest in the history) with the result as consolidated and as it
    stands after calibration and appeals: final grade, coefficient and pay (``ROUND(base × coefficient, 2)``),
    what changed it, an appeal's decision, and why there is no pay (the status, for a result that is not
    complete and trusted; ``no-coefficients``; ``no-bonus-base``). A decision made on a result that was
    consolidated again since is not applied and is named in ``stale``. Written to ``output`` as CSV when given.
    """
    import pandas as pd

    from ..consolidation.decisions import final_results

    hist = Path(history)
    chosen = _period_of(hist, period)
    with open_history(hist) as db:
        results = final_results(db, chosen)
    rows = []
    for r in results:
        why = "" if r.final_pay is not None else r.status if r.status != "ok" else "no-coefficients" if r.final_coefficient is None \
            else "no-bonus-base"
        rows.append([r.employee_id, r.name, r.department, r.template, r.status, r.total, r.grade, r.coefficient, r.bonus_base, r.pay,
                     r.final_total, r.final_grade, r.final_coefficient, r.final_pay, r.changed_by, r.appeal, r.stale, why])
    frame = pd.DataFrame(rows, columns=list(FINAL_PAY_COLUMNS))
    frame.attrs["period"] = chosen
    if output is not None:
        write_csv_atomic(Path(output), list(FINAL_PAY_COLUMNS), rows)
    return frame

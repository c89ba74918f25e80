"""Who is paid, and why the others are not: pay.csv and the pay every other output shows.

Pay (绩效工资 = bonus base × the grade's coefficient) is published only for a result that is
complete and trusted — status ``ok``. Everyone else on a card with coefficients is still listed,
with their status and the codes of the problems that keep their pay back, so payroll never pays
a guessed, forged or disputed result and HR sees at once whom to chase.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..scoring.columns import PAID_STATUS, ResultColumns, paid, result_columns
from ..spec.model import Person, Spec
from .record import PersonRecord, not_returned
from .runner import Consolidation

__all__ = ["PAY_COLUMNS", "PAID_STATUS", "paid", "pay_rows", "no_pay_reason"]

PAID = ("employee_id", "name", "department", "template", "grade", "coefficient", "bonus_base", "pay", "status")  # result columns
PAY_COLUMNS = (*PAID, "no_pay_reason")


def no_pay_reason(record: PersonRecord, codes: Sequence[str]) -> str:
    """Why a record on a card with coefficients gets no pay ("" when it is paid): its status, then the
    codes of the problems behind it (``invalid: invalid-count``, ``tampered: changed-threshold``)."""
    if record.status == PAID_STATUS:
        return "" if record.pay is not None else "no-bonus-base"
    if record.awaiting:  # which raters' parts are still out
        codes = [*codes, record.awaiting]
    return f"{record.status}: {', '.join(codes)}" if codes else record.status


def pay_rows(result: Consolidation, specs: dict[str, Spec], missing: Sequence[Person] = ()) -> Iterator[list[Any]]:
    """pay.csv: everyone on a card with coefficients, by department then id — grade, coefficient, bonus base
    and pay for those paid; for the others the pay is blank and ``no_pay_reason`` says why, and the
    roster's people who returned nothing are listed as ``not-returned``."""
    codes = result.store.problem_codes()
    columns = result_columns([spec for spec in specs.values() if spec.has_coefficients]).select(PAID)
    waiting = sorted((p for p in missing if p.template in specs and specs[p.template].has_coefficients),
                     key=lambda p: (p.department, p.employee_id))
    k = 0
    for r in result.store.records(by_department=True, findings=False):
        if r.template not in specs or not specs[r.template].has_coefficients:
            continue
        while k < len(waiting) and (waiting[k].department, waiting[k].employee_id) < (r.department, r.employee_id):
            yield [*ResultColumns.row(columns, not_returned(waiting[k])), "not-returned"]
            k += 1
        yield [*ResultColumns.row(columns, r), no_pay_reason(r, codes.get((r.file, r.employee_id), ()))]
    for p in waiting[k:]:
        yield [*ResultColumns.row(columns, not_returned(p)), "not-returned"]

"""Returned workbooks for consolidation tests: the seed's worked example filled in for a good
return and a victim, and a fingerprint of a folder (to prove no input was written to)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_employee_workbook

SEED = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}  # scores 80, 良好
GOOD = Person("E100", "李好", "销售一部", "销售代表", "李四", "sales_rep")
VICTIM = Person("E200", "王测", "销售一部", "销售代表", "李四", "sales_rep")


def make_return(specs, folder: Path, person: Person, actuals=None, name=None) -> Path:
    """A sales scorecard for ``person`` filled with ``actuals`` (the seed's by default), as returned."""
    path = folder / (name or f"{person.employee_id}.xlsx")
    return build_employee_workbook(path, specs["sales_rep"], person, BuildOptions(actuals={person.employee_id: actuals or SEED}))


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` → its SHA-256."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}

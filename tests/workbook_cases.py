"""Inputs that probe a spec: on and around every boundary (each method's probes), blanks, half-way
rounding — and for a card with raters, adjustments and veto items, each rater's input, counts on
and beyond every cap, and veto marks in every spelling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from xl_kpi.sheet.person import name_id
from xl_kpi.spec.model import Indicator, Spec

COUNTS = [None, 0, 1, 2, 3, 4, 7]  # around each item's cap and the block's bounds
MARKS = [None, "否", None, "是", None, "yes", None, " Y ", None, "✓", None, "No"]


def candidates(ind: Indicator, extra: dict[str, list[Any]] | None = None) -> list[Any]:
    """Actuals for one indicator, blanks included: the method's probes and any extra values."""
    return [None, *ind.method.probes(ind), *(extra or {}).get(ind.id, [])]


def cases(spec: Spec, extra: dict[str, list[Any]] | None = None) -> list[dict[str, Any]]:
    """Whole scorecards (the flat mapping ``score_card`` takes): case k takes each input's k-th
    candidate; a rated indicator's raters take shifted candidates; one fully blank case."""
    lists = {ind.id: candidates(ind, extra) for ind in spec.indicators}
    n = max([len(v) for v in lists.values()] + [len(COUNTS) * 2 if spec.adjustments else 0, len(MARKS) if spec.veto else 0])

    def pick(values: list[Any], k: int, fill: bool) -> Any:
        value = values[k % len(values)]
        return value if value is not None or not fill else values[1]

    out = []
    for fill in (True, False):
        for k in range(n):
            case: dict[str, Any] = {}
            for ind in spec.indicators:
                vals = lists[ind.id]
                if ind.rated:
                    case[ind.id] = {r: pick(vals, k + (j + 1 if fill else 0) + j, fill) for j, r in enumerate(ind.raters)}
                else:
                    case[ind.id] = pick(vals, k + 1 if fill else k, fill)
            for j, item in enumerate(spec.adjustments.items if spec.adjustments else ()):
                case[f"adj:{item.id}"] = COUNTS[(k + j) % len(COUNTS)]
            for j, item in enumerate(spec.veto):
                case[f"veto:{item.id}"] = MARKS[(k * 3 + j) % len(MARKS)] if not fill or k % 4 == 3 else None
            out.append(case)
    blank: dict[str, Any] = {ind.id: ({r: None for r in ind.raters} if ind.rated else None) for ind in spec.indicators}
    out.append(blank)
    return out


def input_names(case: dict[str, Any], known: Any = ()) -> dict[str, Any]:
    """A case's inputs by the defined name of the cell each goes into (``known``: the names the sheet has — an
    indicator counting several kinds of event takes a mapping of counts, ``KPI_COUNT_<id>_<event>``)."""
    names: dict[str, Any] = {}
    for key, value in case.items():
        if key.startswith("adj:"):
            names[f"KPI_ADJ_{name_id(key[4:])}"] = value
        elif key.startswith("veto:"):
            names[f"KPI_VETO_{name_id(key[5:])}"] = value
        elif isinstance(value, dict) and any(n.startswith(f"KPI_COUNT_{name_id(key)}_") for n in known):
            names.update({f"KPI_COUNT_{name_id(key)}_{name_id(e)}": v for e, v in value.items()})
        elif value is None and any(n.startswith(f"KPI_COUNT_{name_id(key)}_") for n in known):
            names.update({n: None for n in known if n.startswith(f"KPI_COUNT_{name_id(key)}_")})
        elif isinstance(value, dict):
            names.update({f"KPI_RATING_{name_id(key)}_{name_id(r)}": v for r, v in value.items()})
        else:
            names[f"KPI_ACTUAL_{name_id(key)}"] = value
    return names


def fill_through_names(src: Path, dst: Path, cases_by_sheet: dict[str, dict[str, Any]],
                       keep_vba: bool = False) -> dict[str, dict[str, tuple[str, str]]]:
    """Write each sheet's case into the cells its ``KPI_*`` input names point at.

    Returns, per sheet, every KPI_* name → (sheet, cell), for reading the results back.
    """
    wb = openpyxl.load_workbook(src, keep_vba=keep_vba)
    names: dict[str, dict[str, tuple[str, str]]] = {}
    for ws in wb.worksheets:
        scoped = {}
        for name, dn in ws.defined_names.items():
            ((sheet, cell),) = list(dn.destinations)
            scoped[name] = (sheet, cell.replace("$", ""))
        if not scoped:
            continue
        names[ws.title] = scoped
        for name, value in input_names(cases_by_sheet.get(ws.title, {}), scoped).items():
            sheet, cell = scoped[name]
            wb[sheet][cell].value = value
    wb.save(dst)
    return names


def contract_names(spec):
    """Every sheet-scoped name a person's sheet carries for this spec (docs/workbook.md: the contract)."""
    names = {"KPI_TOTAL", "KPI_GRADE", "KPI_GRADE_RANK", "KPI_EMPLOYEE_ID", "KPI_COMMENT"}
    names |= {f"KPI_INFO_{k}" for k in ("NAME", "DEPARTMENT", "POSITION", "MANAGER", "PERIOD", "RESPONSIBILITIES")}
    names |= {f"KPI_REVIEW_{k}" for k in ("GOAL_REVIEW", "KEY_ACTIONS", "RESULTS", "GAPS")}
    names |= {f"KPI_GRADE_MIN_{g + 1}" for g in range(len(spec.grades))}
    for ind in spec.indicators:
        names |= {f"KPI_{kind}_{name_id(ind.id)}" for kind in ("SCORE", "TARGET", "WEIGHT")}
        if ind.rated:
            names |= {f"KPI_RATING_{name_id(ind.id)}_{name_id(r)}" for r in ind.raters}
        else:
            names.add(f"KPI_ACTUAL_{name_id(ind.id)}")
        if ind.counts_events:
            names |= {f"KPI_COUNT_{name_id(ind.id)}_{name_id(e.id)}" for e in ind.events}
    names |= {f"KPI_SECTION_{name_id(s.id)}" for s in spec.sections}
    if spec.adjustments:
        names |= {"KPI_ADJUSTMENT"} | {f"KPI_ADJ_{name_id(i.id)}" for i in spec.adjustments.items}
    names |= {f"KPI_VETO_{name_id(v.id)}" for v in spec.veto}
    if spec.has_coefficients:
        names |= {"KPI_COEFFICIENT", "KPI_PAY"}
    return names

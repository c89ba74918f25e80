"""Actuals that probe a spec: on and around every threshold, blanks, half-way rounding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from xl_kpi.model import Bands, Deduction, Indicator, Linear, Rating, Spec

# Values whose scores land exactly half-way at two decimals (Excel rounds them up).
HALF_WAY = {
    "linear_up": [0.01234, 0.0987, 0.07777],  # 15.425, 123.375→cap, 97.2125
    "linear_down": [17, 16.5, 14.6],  # 88.235…, 90.909…, 102.7→cap
    "deduction": [1.01, 3.33, 0.99, 200],  # 99.495, 98.335, 99.505, floor
}


def candidates(ind: Indicator) -> list[Any]:
    """Actuals for one indicator, blanks included."""
    sc = ind.scoring
    values: list[Any] = [None]
    if isinstance(sc, Bands):
        for t in sc.thresholds:
            values += [t, t + 1e-10, t - 1e-10, t + 1e-7, t - 1e-7]
        values += [min(sc.thresholds) / 2, max(sc.thresholds) * 2, 0]
    elif isinstance(sc, Linear):
        t = float(ind.target)
        values += [0, t * 0.5, t * 0.123456, t, t * 1.5]
    elif isinstance(sc, Deduction):
        values += [0, 1, 2.5, 10]
    elif isinstance(sc, Rating):
        values += [lv.label for lv in sc.levels] + [sc.levels[0].label.lower(), f" {sc.levels[-1].label} "]
    return values + HALF_WAY.get(ind.id, [])


def cases(spec: Spec) -> list[dict[str, Any]]:
    """Whole scorecards: case k takes each indicator's k-th candidate; one fully blank, one full."""
    lists = {ind.id: candidates(ind) for ind in spec.indicators}
    n = max(len(v) for v in lists.values())
    out = [{iid: vals[(k + 1) % len(vals)] or vals[1] for iid, vals in lists.items()} for k in range(n)]
    out += [{iid: vals[k % len(vals)] for iid, vals in lists.items()} for k in range(n)]
    out.append({iid: None for iid in lists})
    return out


def fill_through_names(src: Path, dst: Path, actuals: dict[str, dict[str, Any]]) -> dict[str, dict[str, tuple[str, str]]]:
    """Write ``actuals[sheet][indicator]`` into the cells the sheet's ``KPI_ACTUAL_*`` names point at.

    Returns, per sheet, every KPI_* name → (sheet, cell), for reading the results back.
    """
    wb = openpyxl.load_workbook(src)
    names: dict[str, dict[str, tuple[str, str]]] = {}
    for ws in wb.worksheets:
        scoped = {}
        for name, dn in ws.defined_names.items():
            ((sheet, cell),) = list(dn.destinations)
            scoped[name] = (sheet, cell.replace("$", ""))
        if not scoped:
            continue
        names[ws.title] = scoped
        for iid, value in actuals.get(ws.title, {}).items():
            sheet, cell = scoped[f"KPI_ACTUAL_{iid}"]
            wb[sheet][cell].value = value
    wb.save(dst)
    return names

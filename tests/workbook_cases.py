"""Actuals that probe a spec: on and around every boundary (each method's probes), blanks,
half-way rounding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from xl_kpi.spec.model import Indicator, Spec


def candidates(ind: Indicator, extra: dict[str, list[Any]] | None = None) -> list[Any]:
    """Actuals for one indicator, blanks included: the method's probes and any extra values."""
    return [None, *ind.method.probes(ind), *(extra or {}).get(ind.id, [])]


def cases(spec: Spec, extra: dict[str, list[Any]] | None = None) -> list[dict[str, Any]]:
    """Whole scorecards: case k takes each indicator's k-th candidate; one fully blank, one full."""
    lists = {ind.id: candidates(ind, extra) for ind in spec.indicators}
    n = max(len(v) for v in lists.values())
    out = [{iid: vals[(k + 1) % len(vals)] or vals[1] for iid, vals in lists.items()} for k in range(n)]
    out += [{iid: vals[k % len(vals)] for iid, vals in lists.items()} for k in range(n)]
    out.append({iid: None for iid in lists})
    return out


def fill_through_names(src: Path, dst: Path, actuals: dict[str, dict[str, Any]],
                       keep_vba: bool = False) -> dict[str, dict[str, tuple[str, str]]]:
    """Write ``actuals[sheet][indicator]`` into the cells the sheet's ``KPI_ACTUAL_*`` names point at.

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
        for iid, value in actuals.get(ws.title, {}).items():
            sheet, cell = scoped[f"KPI_ACTUAL_{iid}"]
            wb[sheet][cell].value = value
    wb.save(dst)
    return names

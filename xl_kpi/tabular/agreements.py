"""What a targets table says of each target's agreement — who agreed it, when, in which version, against what was
proposed — when it is the ``targets.csv`` that ``xl-kpi goals collect`` writes (other targets tables say nothing)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

from .read import read_table
from .targets import TARGETS

__all__ = ["Agreed", "load_agreements", "AGREEMENT_COLUMNS"]

AGREEMENT_COLUMNS = ("agreed_by", "agreed_on", "version")


class Agreed(NamedTuple):
    """One agreed target as collected: the indicator (id or name as the table writes it), proposed and agreed (the
    workbook writer takes it as a plain tuple: the layers beside this one do not import it)."""

    indicator: str
    proposed: float | None
    target: float | None
    agreed_by: str
    agreed_on: str
    version: str


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def load_agreements(path: str | Path) -> dict[str, list[Agreed]]:
    """Per employee, the agreed targets in table order; ``{}`` for a targets table without the agreement columns
    (its targets are read, and checked, by :func:`~xl_kpi.tabular.targets.load_person_targets`)."""
    frame = read_table(path, TARGETS, ("employee_id", "indicator_id", "target"))
    if not set(AGREEMENT_COLUMNS) <= set(frame.columns):
        return {}
    out: dict[str, list[Agreed]] = {}
    for row in frame.to_dict("records"):
        text = {k: "" if row.get(k) is None or (isinstance(row.get(k), float) and math.isnan(row[k])) else str(row[k]).strip()
                for k in ("employee_id", "indicator_id", "indicator", *AGREEMENT_COLUMNS)}
        out.setdefault(text["employee_id"], []).append(Agreed(text["indicator"] or text["indicator_id"], _number(row.get("proposed")),
                                                              _number(row.get("target")), text["agreed_by"], text["agreed_on"],
                                                              text["version"].removesuffix(".0")))
    return out

"""A period's results in a history, for the steps after consolidation: people on cards of two scales, some
with coefficients, results spread over every grade (seeded), returned complete and consolidated."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import xl_kpi
from xl_kpi.spec.model import Person, Spec
from xl_kpi.workbook import BuildOptions, build_all


def simulated(spec: Spec, rng: random.Random) -> dict[str, Any]:
    """Inputs that land anywhere on the grade scale."""
    out: dict[str, Any] = {}
    for ind in spec.indicators:
        if ind.rated:
            out[ind.id] = {r: rng.choice([label for label, _ in ind.method.choices(ind) or []]) for r in ind.raters}
        elif ind.is_percent:
            out[ind.id] = round(rng.uniform(0.8, 1.25) if ind.direction == "higher" else rng.uniform(0.82, 1.15), 2)
        else:
            target = float(ind.target)
            out[ind.id] = rng.randint(int(target * 0.6), int(target * 1.4) + 1)
    return out


def consolidated_period(specs: dict[str, Spec], root: Path, people: list[Person], seed: int) -> tuple[Path, Path, dict[str, dict[str, Any]]]:
    """Build everyone's workbook filled in, consolidate it; returns (the build folder, the history, the inputs)."""
    rng = random.Random(seed)
    actuals = {p.employee_id: simulated(specs[p.template], rng) for p in people}
    build = root / "issued"
    build_all(specs, people, build, BuildOptions(actuals=actuals))
    xl_kpi.consolidate(build, root / "out", specs, people, issued=build / "issued.sqlite", workers=1)
    return build, root / "out" / "history.sqlite", actuals


def department(n: int, templates: tuple[str, ...] = ("sales_supervisor", "sales_rep"), dept: str = "销售一部", start: int = 0) -> list[Person]:
    return [Person(f"E{start + k:03d}", f"员工{start + k}", dept, "岗位", "王经理", templates[k % len(templates)], bonus_base=5000.0 + 100 * k)
            for k in range(n)]

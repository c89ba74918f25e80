"""Personal specs: a card whose agreed weights or personal indicators differ from its template becomes a spec of the
person's own (``<template>_<employee id>``, lower-cased), written as HR's spec workbook and as YAML — the workbook through the
exporter HR edits specs with, the YAML as ``xl-kpi import`` reads that workbook back, so the spec that is written is
one the importer accepts — and a roster that names it for ``build``."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

from ..authoring import export_spec, import_tables
from ..core.files import write_csv_atomic
from ..spec.model import Spec
from .book import numeric
from .register import IssuedGoals
from .rules import Goal, agreed_target, personal_indicator

__all__ = ["personal_spec", "write_personal_specs", "ROSTER_COLUMNS"]

ROSTER_COLUMNS = ("employee_id", "name", "department", "position", "manager", "template", "period")


def _spec_id(template: str, employee_id: str) -> str:
    """``<template>_<employee id>`` in a spec id's letters (lower-case ASCII, digits, _; at most 40)."""
    own = re.sub(r"[^a-z0-9_]+", "_", employee_id.lower()).strip("_") or "person"
    return f"{template[: 39 - len(own[:20])]}_{own[:20]}"


def personal_spec(spec: Spec, employee_id: str, name: str, goals: Sequence[Goal]) -> Spec | None:
    """The template with the person's agreed weights and targets and their personal indicators; None for a card
    with sections or points (a personal indicator has no section or points to join)."""
    if spec.sections or spec.by_points:
        return None
    by_id = {g.indicator_id: g for g in goals if not g.personal}
    indicators = []
    for ind in spec.indicators:
        g = by_id.get(ind.id)
        target = agreed_target(g) if g is not None and numeric(ind) else None
        weight = g.weight if g is not None and g.weight is not None else ind.weight
        indicators.append(dataclasses.replace(ind, weight=weight, target=ind.target if target is None else target))
    indicators += [personal_indicator(g, agreed_target(g) or 0.0) for g in goals if g.personal]
    return dataclasses.replace(spec, id=_spec_id(spec.id, employee_id), title=f"{spec.title}({name})", indicators=tuple(indicators))


def write_personal_specs(outdir: Path, cards: Sequence[tuple[IssuedGoals, Spec]], roster: Sequence[IssuedGoals]) -> tuple[list[Path], list[str]]:
    """Each personal spec as ``<id>.xlsx`` and ``<id>.yaml`` in ``outdir/personal_specs``, and ``outdir/roster.csv``:
    every agreed person, with their personal spec's id where they have one. Returns the files written and the
    ids of the people whose spec the importer refused (they keep their template in the roster)."""
    folder = outdir / "personal_specs"
    written: list[Path] = []
    refused: list[str] = []
    own: dict[str, str] = {}
    for issued, spec in cards:
        folder.mkdir(parents=True, exist_ok=True)
        book = export_spec(spec, folder / f"{spec.id}.xlsx")
        imported, problems = import_tables([book])
        if not imported or any(p.severity == "error" for p in problems):
            book.unlink()
            refused.append(issued.employee_id)
            continue
        (folder / f"{spec.id}.yaml").write_text(imported[0].yaml, encoding="utf-8")
        written += [book, folder / f"{spec.id}.yaml"]
        own[issued.employee_id] = spec.id
    write_csv_atomic(outdir / "roster.csv", ROSTER_COLUMNS,
                     ([p.employee_id, p.name, p.department, p.position, p.manager, own.get(p.employee_id, p.template), p.period]
                      for p in roster))
    return written, refused

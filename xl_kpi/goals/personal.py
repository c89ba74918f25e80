"""Personal specs: a card whose agreed weights or personal indicators differ from its template becomes a spec of the
person's own (``<template>_<employee id>``, lower-cased), written as HR's spec workbook and as YAML — the workbook through the
exporter HR edits specs with, the YAML as ``xl-kpi import`` reads that workbook back, so the spec that is written is
one the importer accepts — and a roster that names it for ``build``."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from pathlib import Path

from ..authoring import export_spec, import_tables
from ..core.files import write_csv_atomic
from ..spec.model import Spec
from .book import numeric
from .register import IssuedGoals
from .rules import Goal, agreed_target, card_weight, personal_indicator

__all__ = ["personal_spec", "write_personal_specs", "ROSTER_COLUMNS"]

ROSTER_COLUMNS = ("employee_id", "name", "department", "position", "manager", "template", "period")


def _spec_id(template: str, employee_id: str) -> str:
    """``<template>_<employee id>`` in a spec id's letters (lower-case ASCII, digits, _; at most 40)."""
    own = re.sub(r"[^a-z0-9_]+", "_", employee_id.lower()).strip("_") or "person"
    return f"{template[: 39 - len(own[:20])]}_{own[:20]}"


def personal_spec(spec: Spec, employee_id: str, name: str, goals: Sequence[Goal]) -> Spec | None:
    """The template with the person's agreed weights and targets and their personal indicators; None for a card of
    points (its items' points, and their scoring in them, are HR's: :func:`~xl_kpi.goals.rules.rules_for` allows
    no personal indicator or moved weight there).

    The goals sheet's weights are shares of the whole card (:func:`~xl_kpi.goals.rules.card_weight`). On a card of
    sections a personal indicator joins the first section holding an indicator of its kind (result or process),
    else the first; each section's weight becomes the total of its indicators' shares, and each indicator's
    weight its share of its section — so the card weighs every indicator as agreed."""
    if spec.by_points:
        return None
    by_id = {g.indicator_id: g for g in goals if not g.personal}
    indicators = []
    for ind in spec.indicators:
        g = by_id.get(ind.id)
        target = agreed_target(g) if g is not None and numeric(ind) else None
        weight = g.weight if g is not None and g.weight is not None else card_weight(spec, ind)
        indicators.append(dataclasses.replace(ind, weight=weight, target=ind.target if target is None else target))
    for g in goals:
        if g.personal:
            own = personal_indicator(g, agreed_target(g) or 0.0)
            indicators.append(dataclasses.replace(own, section=_section_for(spec, own.kind)) if spec.sections else own)
    out = dataclasses.replace(spec, id=_spec_id(spec.id, employee_id), title=f"{spec.title}({name})", indicators=tuple(indicators))
    return _within_sections(out) if spec.sections else out


def _section_for(spec: Spec, kind: str) -> str:
    """The section a personal indicator of ``kind`` joins: the first holding one of its kind, else the first."""
    return next((s.id for s in spec.sections if any(i.kind == kind for i in spec.in_section(s.id))), spec.sections[0].id)


def _exact(shares: Sequence[float]) -> list[float]:
    """Shares rounded to 0.0001% that total exactly 1 (the largest takes what rounding left)."""
    out = [round(x, 6) for x in shares]
    if out:
        k = max(range(len(out)), key=lambda i: out[i])
        out[k] = round(1.0 - math.fsum(out[:k] + out[k + 1:]), 6)
    return out


def _within_sections(spec: Spec) -> Spec | None:
    """A card of sections whose indicators carry their share of the card: each section weighed as its indicators'
    total, each indicator as its share of its section. None when a section would weigh nothing."""
    totals = {s.id: math.fsum(i.weight for i in spec.in_section(s.id)) for s in spec.sections}
    if any(v <= 0 for v in totals.values()):
        return None
    section_weights = dict(zip(totals, _exact([totals[s] / math.fsum(totals.values()) for s in totals])))
    weights: dict[str, float] = {}
    for s in spec.sections:
        members = spec.in_section(s.id)
        weights |= dict(zip((i.id for i in members), _exact([i.weight / totals[s.id] for i in members])))
    return dataclasses.replace(spec, sections=tuple(dataclasses.replace(s, weight=section_weights[s.id]) for s in spec.sections),
                               indicators=tuple(dataclasses.replace(i, weight=weights[i.id]) for i in spec.indicators))


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

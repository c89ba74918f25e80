"""Merge every rater's part into the person's own return, by (person, rater): one result per person.

A person issued with separate rating workbooks returns their own part (actuals, own ratings, self-review)
and each rater returns theirs, in any order, in any folder. Here, once every file is read:

- copies of one rater's part for one person: the same content is one return (``duplicate-rating``);
  different contents are a conflict HR resolves (``conflicting-ratings``: neither is used, the person
  is ``conflict``);
- the raters a person needs are those HR issued (the register's ``raters``, in its order — the
  order the peers count in), else — on trust — whoever returned a part in each role the card needs;
  a part from anyone else is refused (``rating-not-issued``), a missing one is ``rater-missing`` and the
  person is ``awaiting-rater`` with no total or pay until it is in;
- the merged inputs are scored by the engine with the rules the person was issued, their own targets
  and their peers expanded (:func:`~xl_kpi.spec.raters.with_peers`): the same computation as one file
  holding every input.

Parts of another period are set aside (``other-period``), and so are parts rated on rules other than those of the
person's card (``rating-superseded``: a rating workbook of an earlier issue, HR having since issued the card again);
parts for someone whose own workbook carries
every rating (issued as one file) are not used (``rating-ignored``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text
from ..scoring.engine import CardInputs, CardResult, score_card
from ..scoring.inputs import YES_MARKS
from ..scoring.roles import role_scores
from ..spec.canonical import spec_from_canonical
from ..spec.model import Spec
from ..spec.raters import ROLE_NAMES, PersonRaters, RaterRef, input_roles, with_peers
from .parts import RatingPart
from .person_read import adjustment_findings
from .record import PersonRecord
from .store import ResultStore

__all__ = ["merge_ratings", "merge_person", "Merged", "MergeOutcome"]
KEEP_STATUS = ("tampered", "wrong-format", "superseded")  # a return HR cannot stand behind stays so, whatever its raters gave


@functools.lru_cache(maxsize=256)
def _spec(canonical: str) -> Spec:
    return spec_from_canonical(json.loads(canonical))


@functools.lru_cache(maxsize=1024)
def _card(canonical: str, targets: tuple[tuple[str, float], ...], peers: int) -> tuple[Spec, Spec]:
    """(the person's spec, the same with their peers expanded): people of one template share them."""
    base = _spec(canonical).with_targets(dict(targets))
    return base, with_peers(base, peers)


@dataclass
class Merged:
    record: PersonRecord
    findings: list[Finding]


@dataclass
class MergeOutcome:
    """What a run's merge found: whether anything was rated separately, every (person, role, rater) part that came
    back, and who is still waiting for whom ((employee id, name, ``awaiting``))."""

    separate: bool = False
    returned: set[tuple[str, str, str]] = field(default_factory=set)
    waiting: list[tuple[str, str, str]] = field(default_factory=list)


def _label(part: RatingPart | RaterRef) -> Text:
    name, rid = (part.rater_name, part.rater_id) if isinstance(part, RatingPart) else (part.name, part.id)
    shown = rid if name in ("", rid) else f"{name}({rid})"
    return Text(shown, rid if name in ("", rid) else f"{name} ({rid})")


def _dedupe(parts: list[RatingPart]) -> tuple[list[RatingPart], set[tuple[str, str, str]], list[Finding]]:
    """One part per (person, role, rater): identical copies kept once, differing copies a conflict (none kept)."""
    groups: dict[tuple[str, str, str], list[RatingPart]] = {}
    for part in parts:
        groups.setdefault((part.employee_id, part.role, part.rater_id), []).append(part)
    kept: list[RatingPart] = []
    conflicts: set[tuple[str, str, str]] = set()
    notes: list[Finding] = []
    for key, copies in groups.items():
        if len(copies) > 1 and len({c.content for c in copies}) > 1:  # one copy agrees with itself: its content unread
            conflicts.add(key)
            files = "; ".join(f"{c.file} [{c.sheet}]" for c in copies)
            notes += [finding("conflicting-ratings", file=c.file, sheet=c.sheet, employee_id=c.employee_id, rater=_label(c),
                              count=len(copies), files=files) for c in copies]
            continue
        best = max(copies, key=lambda c: c.mtime)
        kept.append(best)
        if len(copies) > 1:
            notes += [finding("duplicate-rating", file=c.file, sheet=c.sheet, employee_id=c.employee_id, rater=_label(c),
                              kept=best.file) for c in copies]
    return kept, conflicts, notes


def merge_ratings(store: ResultStore, period: str) -> MergeOutcome:
    """Merge the raters' parts of ``period`` into the kept records issued with separate ratings (in the store)."""
    notes: list[Finding] = []
    of_period: list[RatingPart] = []
    separate, inline = store.split_records(period)
    # the issue of each person's card (an old card of its own, superseded, is not its raters' fault): a rating workbook of
    # another issue rated rules HR has since replaced — without the register, both files' own words (a template HR has
    # changed since scores both parts alike, with a warning on the employee's)
    rules = {record.employee_id: record.pending.issue for _, record in separate
             if record.pending is not None and record.pending.issue and record.status != "superseded"}
    for part in store.rating_parts():
        if part.period != period:
            notes.append(finding("other-period", file=part.file, sheet=part.sheet, employee_id=part.employee_id,
                                 found=part.period or "—", period=period or "—"))
        elif part.spec_hash and rules.get(part.employee_id, part.spec_hash) != part.spec_hash:
            # rated on rules HR has since replaced in the person's card: the rater rates again in the new workbook
            notes.append(finding("rating-superseded", file=part.file, sheet=part.sheet, employee_id=part.employee_id,
                                 cell=next(iter(part.cells.values()), ""), rater=_label(part)))
        else:
            of_period.append(part)
    parts, conflicts, found = _dedupe(of_period)
    notes += found
    by_person: dict[str, list[RatingPart]] = {}
    for part in parts:
        by_person.setdefault(part.employee_id, []).append(part)
    for eid, given in by_person.items():
        if eid in inline:
            notes += [finding("rating-ignored", file=p.file, sheet=p.sheet, employee_id=eid, rater=_label(p)) for p in given]
    # a part with ratings left blank is not in yet: its rater is still chased for that person
    outcome = MergeOutcome(bool(separate or parts or conflicts), {(p.employee_id, p.role, p.rater_id) for p in of_period if not p.missing})
    replaced = []
    for seq, record in separate:
        merged = merge_person(record, by_person.get(record.employee_id, []),
                              {k[1:] for k in conflicts if k[0] == record.employee_id})
        replaced.append((seq, merged.record))
        notes += merged.findings
        if merged.record.awaiting:
            outcome.waiting.append((record.employee_id, record.name, merged.record.awaiting))
    store.replace_many(replaced)
    store.add_issues(notes)
    return outcome


def _needed(spec: Spec, parts: list[RatingPart], issued: PersonRaters | None, record: PersonRecord,
            notes: list[Finding]) -> tuple[dict[str, list[RaterRef]], dict[tuple[str, str], RatingPart]]:
    """Who must rate the person (role → raters, in HR's order), and the parts that count (by (role, rater id))."""
    roles: frozenset[str] = input_roles(spec)
    expected: dict[str, list[RaterRef]]
    if issued is not None:
        expected = {role: list(issued.of_role(role)) for role in ("supervisor", "reviewer", "peer")
                    if role in roles or (role == "supervisor" and issued.supervisor is not None)}
    else:  # on trust: whoever returned a part in each role the card needs
        expected = {role: sorted({RaterRef(p.rater_id, p.rater_name) for p in parts if p.role == role}) for role in roles}
        if "supervisor" not in expected and any(p.role == "supervisor" for p in parts):
            expected["supervisor"] = sorted({RaterRef(p.rater_id, p.rater_name) for p in parts if p.role == "supervisor"})
    allowed = {(role, ref.id) for role, refs in expected.items() for ref in refs}
    counted: dict[tuple[str, str], RatingPart] = {}
    for part in parts:
        if (part.role, part.rater_id) in allowed:
            counted[(part.role, part.rater_id)] = part
        else:
            notes.append(finding("rating-not-issued", file=part.file, sheet=part.sheet, employee_id=record.employee_id,
                                 cell=next(iter(part.cells.values()), ""), rater=_label(part)))  # the rater's first cell of that row
    if issued is None:
        for role in ("supervisor", "reviewer"):
            if len(expected.get(role, [])) > 1:  # two supervisors rated one person: HR decides whose counts
                files = "; ".join(counted[(role, r.id)].file for r in expected[role])
                notes += [finding("conflicting-ratings", file=counted[(role, r.id)].file, sheet=counted[(role, r.id)].sheet,
                                  employee_id=record.employee_id, rater=_label(r), count=len(expected[role]), files=files)
                          for r in expected[role]]
    return expected, counted


def merge_person(record: PersonRecord, parts: list[RatingPart], conflicted: set[tuple[str, str]]) -> Merged:
    """The person's result from their own return (``record``, whose ``pending`` says what it waits for) and
    their raters' ``parts``; ``conflicted`` are (role, rater id) whose copies disagreed."""
    pending = record.pending
    assert pending is not None
    notes: list[Finding] = []
    issued = PersonRaters.from_json(pending.raters) if pending.raters else None
    base, _ = _card(pending.spec_json, tuple(sorted((pending.targets or {}).items())), 0)
    expected, counted = _needed(base, parts, issued, record, notes)
    required = input_roles(base)
    missing: list[tuple[str, RaterRef]] = []
    conflict = bool(conflicted) or (issued is None and any(len(expected.get(r, [])) > 1 for r in ("supervisor", "reviewer")))
    for role, refs in expected.items():
        for ref in refs:
            part = counted.get((role, ref.id))
            if part is None and (role, ref.id) not in conflicted and role in required:
                missing.append((role, ref))
                notes.append(finding("rater-missing", employee_id=record.employee_id, name=record.name, role=ROLE_NAMES[role],
                                     rater=_label(ref)))
            elif part is not None and part.missing:  # returned with ratings left blank (each named at its cell): not in yet
                missing.append((role, ref))
    if issued is None:  # on trust: a role the card needs that nobody returned a part for
        for role in sorted(required):
            if not expected.get(role) and not any(r == role for r, _ in conflicted):
                missing.append((role, RaterRef("?", "?")))
                notes.append(finding("rater-missing", employee_id=record.employee_id, name=record.name, role=ROLE_NAMES[role],
                                     rater=Text("(未由登记册指定)", "(not named: no register)")))
    _, spec = _card(pending.spec_json, tuple(sorted((pending.targets or {}).items())), len(expected.get("peer", [])))
    inputs, typed, unreadable, rated_by = _inputs(base, pending.inputs, record, expected, counted)
    result = score_card(spec, CardInputs(inputs.actuals, inputs.ratings, inputs.adjustments, inputs.veto, record.bonus_base,
                                         frozenset(unreadable)))
    supervisor = next((counted[("supervisor", r.id)] for r in expected.get("supervisor", []) if ("supervisor", r.id) in counted), None)
    if supervisor is not None:
        where = {"file": supervisor.file, "sheet": supervisor.sheet, "employee_id": record.employee_id}
        notes += adjustment_findings(spec, dict(inputs.adjustments), result, where)
        if result.vetoed:
            notes.append(finding("veto-applied", **where, items="、".join(v.name for v in spec.veto if v.id in result.vetoed)))
    status = _status(record, result, conflict, missing, pending.unusable or bool(unreadable)
                     or any(p.unreadable for p in counted.values()))
    grade = result.grade.label if result.grade else None
    withheld = status == "conflict"
    merged = _copied(record)  # a new record, every other field the same objects, as dataclasses.replace made it (~10x faster)
    merged.scores, merged.total, merged.grade, merged.status = result.scores, None if withheld else result.total, None if withheld else grade, status
    merged.ratings, merged.sections, merged.weighted = typed, result.sections, result.weighted
    merged.adjustment, merged.adjustment_counts = result.adjustment if spec.adjustments else None, dict(inputs.adjustments)
    merged.vetoed, merged.coefficient, merged.pay = result.vetoed, None if withheld else result.coefficient, None if withheld else result.pay
    merged.comment = str(supervisor.values.get("comment") or "") if supervisor else ""
    merged.rated_by, merged.role_scores, merged.pending = rated_by, role_scores(base, result), None  # merged: the reports need no more of it
    merged.awaiting = "; ".join(f"{role}:{ref.label}" for role, ref in missing)
    return Merged(merged, notes)


def _copied(record: PersonRecord) -> PersonRecord:
    """A shallow copy of a record: its fields' values, the same objects (a record holds nothing but its fields)."""
    out = PersonRecord.__new__(PersonRecord)
    out.__dict__.update(record.__dict__)
    return out


def _inputs(spec: Spec, own: CardInputs, record: PersonRecord, expected: Mapping[str, list[RaterRef]],
            counted: Mapping[tuple[str, str], RatingPart]) -> tuple[CardInputs, dict[str, dict[str, Any]], set[str], list[dict[str, Any]]]:
    """The card's inputs: the employee's own and each counted part's (a peer's in their slot, HR's order); the
    ratings as typed for the reports (peers' joined in that order); the inputs that could not be read; who rated."""
    ratings: dict[str, dict[str, Any]] = {i: dict(v) for i, v in own.ratings.items()}
    typed: dict[str, dict[str, Any]] = {i: dict(v) for i, v in record.ratings.items()}
    counts: dict[str, Any] = {}
    marks: dict[str, Any] = {}
    unreadable: set[str] = set(own.unreadable)
    rated_by: list[dict[str, Any]] = []
    for role, refs in expected.items():
        for k, ref in enumerate(refs, start=1):
            part = counted.get((role, ref.id))
            if part is None:
                continue
            rated_by.append({"role": role, "id": part.rater_id, "name": part.rater_name, "file": part.file, "sheet": part.sheet,
                             "inputs": dict(part.typed), "cells": dict(part.cells)})
            for key, value in part.values.items():
                kind, _, rest = key.partition(":")
                if kind == "rating":
                    iid, _, rater = rest.partition(":")
                    ratings.setdefault(iid, {})[f"{rater}_{k}" if role == "peer" else rater] = value
                    shown = part.typed.get(key)
                    if role == "peer":
                        before = typed.setdefault(iid, {}).get(rater)
                        typed[iid][rater] = shown if k == 1 else f"{'' if before is None else before}; {'' if shown is None else shown}"
                    else:
                        typed.setdefault(iid, {})[rater] = shown
                elif kind == "adj":
                    counts[rest] = 0.0 if value is None else value
                elif kind == "veto":
                    marks[rest] = YES_MARKS[0] if value is True else None
            unreadable |= {key for key in part.unreadable if key.startswith(("adj:", "veto:"))}
    return CardInputs(own.actuals, ratings, counts, marks), typed, unreadable, rated_by


def _status(record: PersonRecord, result: CardResult, conflict: bool, missing: Iterable[Any], unusable: bool) -> str:
    if record.status in KEEP_STATUS:
        return record.status
    if conflict or record.status == "conflict":
        return "conflict"
    if list(missing):
        return "awaiting-rater"
    if unusable or record.status == "invalid":
        return "invalid"
    return "incomplete" if result.total is None else "ok"

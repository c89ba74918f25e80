"""Score a long table of actuals against one spec, collecting a finding for every row it cannot use.

What ``xl-kpi score`` and :func:`xl_kpi.score` do once the table is in memory.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..core.findings import Finding, finding
from ..spec.model import Spec
from .columns import CardRow, Column, result_columns
from .engine import CardInputs, CardResult, is_blank, score_card
from .inputs import read_card
from .normalize import AMBIGUOUS_FROM, normalise_actual, normalise_finding, parse_number
from .vectorised import score_wide

__all__ = ["ScoreRun", "score_frame", "score_columns", "ACTUAL_COLUMNS"]

ACTUAL_COLUMNS = ("employee_id", "indicator_id", "actual")


@dataclass(frozen=True)
class ScoreRun:
    """Scored people (one row each) and the findings about the input."""

    wide: pd.DataFrame
    problems: list[Finding]
    spec: Spec
    cards: dict[str, CardResult] = field(default_factory=dict)  # per person, for a spec scored card by card

    def report(self) -> list[Finding]:
        """The findings as a command reports them: an unknown indicator once (its first line), not once per person."""
        seen: set[str] = set()
        out = []
        for f in self.problems:
            if f.code == "unknown-indicator":
                key = f.message.en
                if key in seen:
                    continue
                seen.add(key)
            out.append(f)
        return out

    def records(self) -> list[dict[str, Any]]:
        """The JSON shape: ``{employee_id, scores: {id: score|null}, total, grade}`` (and sections,
        weighted, adjustment, vetoed, coefficient, pay for a spec that has them)."""
        if self.cards:
            return [{"employee_id": eid, **card.as_dict()} for eid, card in self.cards.items()]
        scores = [(c.indicator, c.key) for c in score_columns(self.spec) if c.role == "score"]
        out = []
        for row in self.wide.to_dict("records"):
            out.append({
                "employee_id": str(row["employee_id"]),
                "scores": {i: _num(row[key]) for i, key in scores},
                "total": _num(row["total"]),
                "grade": row["grade"] if isinstance(row["grade"], str) else None,
            })
        return out


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _plain(spec: Spec) -> bool:
    """One actual per indicator, one total: the vectorised table path applies."""
    return not (spec.sections or spec.raters or spec.adjustments or spec.veto or spec.has_coefficients
                or any(ind.counts_events for ind in spec.indicators))  # several kinds of event: a line per count


def score_frame(spec: Spec, frame: pd.DataFrame, file: str = "") -> ScoreRun:
    """Score a long ``employee_id, indicator_id, actual`` frame (``rater`` and the ``adj:<item>``,
    ``veto:<item>`` and ``bonus_base`` rows for a spec that has them); report rows it cannot use.

    Rows are numbered as in a file with a header line (the first row is line 2). A plain spec is
    scored by the vectorised table path; one with raters, sections, adjustments, veto items or
    coefficients card by card with the scalar engine (the same rules: tests hold them equal).
    """
    if not _plain(spec) or "rater" in frame.columns:
        return _score_cards(spec, frame, file)
    problems: list[Finding] = []
    frame = frame.copy()
    frame["employee_id"] = frame["employee_id"].astype(str).str.strip()
    frame["indicator_id"] = frame["indicator_id"].astype(str).str.strip()
    lines = pd.Series(range(2, len(frame) + 2), index=frame.index)
    dup = frame.duplicated(["employee_id", "indicator_id"], keep="first")
    for idx in frame.index[dup]:
        problems.append(finding("duplicate-row", file=file, field=f"line {lines[idx]}", employee_id=str(frame.at[idx, "employee_id"]),
                                indicator=_name(spec, frame.at[idx, "indicator_id"])))
    frame = frame[~dup].copy()
    typed = {(eid, iid): (line, actual) for line, eid, iid, actual in zip(lines[frame.index], frame["employee_id"],
                                                                          frame["indicator_id"], frame["actual"])}
    problems += _normalise_text(spec, frame, lines, file)
    wide, scored = score_wide(spec, frame)
    problems += _missing(spec, wide, typed, file)
    wide = _in_columns(spec, wide)
    known = _known(spec)
    for line, eid, iid in zip(lines[frame.index[scored.codes < 0]], frame["employee_id"][scored.codes < 0],
                              frame["indicator_id"][scored.codes < 0]):
        problems.append(finding("unknown-indicator", file=file, field=f"line {line}", employee_id=str(eid), spec_id=spec.id,
                                indicator=str(iid), known=known))
    for line, eid, iid, actual in zip(lines[frame.index[scored.invalid]], frame["employee_id"][scored.invalid],
                                      frame["indicator_id"][scored.invalid], frame["actual"][scored.invalid]):
        problems.append(finding("invalid-actual", file=file, field=f"line {line}", employee_id=str(eid), indicator=_name(spec, iid),
                                value=repr(actual)))
    return ScoreRun(wide=wide, problems=problems, spec=spec)


def _missing(spec: Spec, wide: pd.DataFrame, typed: dict[tuple[str, str], tuple[int, Any]], file: str) -> list[Finding]:
    """A finding for every person and indicator with no actual (a blank cell, or no row at all): a blank
    total always says why."""
    out = []
    scores = {ind.id: wide[ind.id].isna().to_numpy() for ind in spec.indicators}  # (before the columns are named)
    for k, eid in enumerate(wide["employee_id"]):
        for ind in spec.indicators:
            if not scores[ind.id][k]:
                continue
            line, raw = typed.get((str(eid), ind.id), (None, None))
            if is_blank(raw):
                out.append(finding("missing-actual", file=file, field=f"line {line}" if line else ind.id, employee_id=str(eid),
                                   indicator=ind.name))
    return out


def _name(spec: Spec, iid: object) -> str:
    """An indicator as messages name it: by its name, as the sheet shows it (the id if it has none)."""
    return next((ind.name for ind in spec.indicators if ind.id == iid), str(iid))


def _known(spec: Spec) -> str:
    """The indicators a table may name, by id and name: ``sales_rate(销售额完成率), …`` (``service:e1(投诉不及时)``: one kind of
    event an indicator counts)."""
    return ", ".join([f"{ind.id}({ind.name})" if ind.name and ind.name != ind.id else ind.id for ind in spec.indicators if not ind.counts_events]
                     + [f"{ind.id}:{e.id}({e.name})" for ind in spec.indicators for e in ind.events])


def _normalise_text(spec: Spec, frame: pd.DataFrame, lines: pd.Series, file: str) -> list[Finding]:
    """The one normalisation rule (:func:`normalise_actual`, as consolidation reads a cell) over the
    table: text such as "105%", "１１", "1,200" read as numbers, a plain percent number above 1000%
    read as a percentage, and a value that is ambiguous (5 in a percent column) or outside what the
    indicator accepts left unscored. Only the rows that can be affected are looked at, found by
    array operations, so the table path stays vectorised."""
    frame["actual"] = frame["actual"].astype(object)  # pandas' str dtype would refuse the numbers
    raw = frame["actual"].copy()
    numeric = pd.to_numeric(raw, errors="coerce")
    text = raw.map(lambda v: isinstance(v, str) and bool(v.strip()))
    ids = frame["indicator_id"].astype(str)
    candidates = numeric.isna() & text
    for ind in spec.indicators:
        if ind.takes_label:
            continue
        lo, hi = ind.input_range
        rows = ids == ind.id
        odd = (numeric < lo) | (numeric > hi)
        if ind.is_percent and not ind.range:
            odd |= numeric > AMBIGUOUS_FROM
        candidates |= rows & numeric.notna() & odd
    by_id = {ind.id: ind for ind in spec.indicators if not ind.takes_label}
    found: list[Finding] = []
    for idx in frame.index[candidates]:
        target = by_id.get(ids[idx])
        if target is None:
            continue
        norm = normalise_actual(target, raw[idx])
        if norm.error in ("not-a-number", "not-finite", "boolean"):
            continue  # unreadable: scored as invalid and reported with the table's other invalid values
        where = {"file": file, "field": f"line {lines[idx]}", "employee_id": str(frame.at[idx, "employee_id"])}
        problem = normalise_finding(target, raw[idx], norm, None, **where)  # by the indicator's name, as the sheet shows it
        if problem is not None:
            found.append(problem)
        frame.at[idx, "actual"] = None if norm.error else norm.value  # ambiguous or out of range: not scored
    return found


def _score_cards(spec: Spec, frame: pd.DataFrame, file: str) -> ScoreRun:
    """Card by card: each person's rows are read as consolidation reads a sheet (:func:`read_card`) and
    scored by the engine; an input that cannot be read leaves that person's total blank."""
    problems: list[Finding] = []
    frame = frame.copy()
    frame["rater"] = frame["rater"].astype(str).str.strip().replace({"nan": "", "None": ""}) if "rater" in frame.columns else ""
    known = _known(spec)
    items = {i.id for i in spec.adjustments.items} if spec.adjustments else set()
    vetoes = {v.id for v in spec.veto}
    by_id = {ind.id: ind for ind in spec.indicators}
    people: dict[str, dict[str, Any]] = {}
    lines: dict[str, dict[str, str]] = {}  # person → input key → "line N"
    seen: set[tuple[str, str, str]] = set()
    for line, (eid, iid, rater, actual) in enumerate(zip(frame["employee_id"].astype(str).str.strip(),
                                                       frame["indicator_id"].astype(str).str.strip(), frame["rater"],
                                                       frame["actual"]), start=2):
        where = {"file": file, "field": f"line {line}", "employee_id": eid}
        card = people.setdefault(eid, {"actuals": {}, "ratings": {}, "adjustments": {}, "veto": {}, "bonus_base": None})
        at = lines.setdefault(eid, {})
        if (eid, iid, rater) in seen:
            problems.append(finding("duplicate-row", **where, indicator=f"{iid} {rater}".strip()))
            continue
        seen.add((eid, iid, rater))
        if iid == "bonus_base":
            value = normalise_number(actual)
            if value is None and not is_blank(actual):
                problems.append(finding("invalid-actual", **where, indicator="bonus_base", value=repr(actual)))
            card["bonus_base"] = value
        elif iid.startswith("adj:") and iid[4:] in items:
            card["adjustments"][iid[4:]], at[iid] = actual, where["field"]
        elif iid.startswith("veto:") and iid[5:] in vetoes:
            card["veto"][iid[5:]], at[iid] = actual, where["field"]
        elif iid.partition(":")[2] in {e.id for e in by_id[iid.partition(":")[0]].events} if iid.partition(":")[0] in by_id else False:
            counted, _, event = iid.partition(":")  # "service:e2": one kind of event's count
            card["actuals"].setdefault(counted, {})[event], at[f"event:{counted}:{event}"] = actual, where["field"]
        elif iid in by_id:
            ind = by_id[iid]
            if ind.rated:
                if rater not in ind.raters:
                    problems.append(finding("unknown-rater", **where, value=rater or "-", known=", ".join(ind.raters)))
                    continue
                card["ratings"].setdefault(iid, {})[rater] = actual
                at[f"rating:{iid}:{rater}"] = where["field"]
            else:
                card["actuals"][iid], at[f"actual:{iid}"] = actual, where["field"]
        else:
            problems.append(finding("unknown-indicator", **where, spec_id=spec.id, indicator=str(iid), known=known))
    cards: dict[str, CardResult] = {}
    bases = {eid: parts["bonus_base"] for eid, parts in people.items()}
    names = {ind.id: ind.id for ind in spec.indicators}
    for eid, parts in people.items():
        typed = CardInputs(parts["actuals"], parts["ratings"], parts["adjustments"], parts["veto"], parts["bonus_base"])

        def where_of(key: str, eid: str = eid, at: dict[str, str] = lines[eid]) -> dict[str, str]:
            return {"file": file, "field": at.get(key) or key.split(":", 1)[-1], "employee_id": eid}

        reading = read_card(spec, typed, where_of, names)
        problems += reading.findings
        cards[eid] = score_card(spec, dataclasses.replace(reading.inputs, bonus_base=parts["bonus_base"]))
    return ScoreRun(_wide(spec, cards, bases), problems, spec, cards)


def normalise_number(value: Any) -> float | None:
    """A plain number from a cell or text ("5,000", "３"); None when it is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return parse_number(value)[0]
    return None


def score_columns(spec: Spec) -> list[Column]:
    """The columns ``xl-kpi score`` writes for a spec (:mod:`.columns`: the same keys and order as scores.csv)."""
    return result_columns([spec]).for_output("score")


def _in_columns(spec: Spec, wide: pd.DataFrame) -> pd.DataFrame:
    """The vectorised path's frame (ids, total, grade) in the result columns; a column it does not compute is
    taken row by row from each person's card, as the columns take any value."""
    wide = wide.rename(columns={ind.id: f"{ind.id}_score" for ind in spec.indicators})
    columns = score_columns(spec)
    others = [c for c in columns if c.key not in wide.columns]
    if others:
        grades = {g.label: g for g in spec.grades}
        rows = [CardRow(str(eid), CardResult({ind.id: _num(row[f"{ind.id}_score"]) for ind in spec.indicators}, _num(row["total"]),
                                             grades.get(row["grade"])))
                for eid, row in zip(wide["employee_id"], wide.to_dict("records"))]
        for column in others:
            wide[column.key] = [column.value(row) for row in rows]
    return wide[[c.key for c in columns]]


def _wide(spec: Spec, cards: dict[str, CardResult], bases: dict[str, float | None]) -> pd.DataFrame:
    """One row per person, in the result columns: total, grade, each indicator's score, sections, weighted,
    adjustment, veto, coefficient, bonus base and pay as the spec has them."""
    columns = score_columns(spec)
    rows = [[c.value(row) for c in columns] for row in (CardRow(eid, card, bases.get(eid)) for eid, card in cards.items())]
    return pd.DataFrame(rows, columns=[c.key for c in columns])

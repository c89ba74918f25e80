"""Events scoring (多事件扣分/加分): one indicator, several kinds of event, each with its own points per case —
``投诉不及时的每次扣2分,发放错误的每次扣5分,扣完为止``. The rater counts each kind; the score starts from
``start``, each kind adds ``count × points`` (negative points take, positive add; a kind with ``max`` gives at
most that much either way), and the sum is kept within the row's ``[floor, cap]``.

The input is one count per kind of event (a mapping ``{event id: count}``), each a whole number ≥ 0: the
score is blank until every count is given, as a blank actual leaves any other method's score blank.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from ..core.rounding import ROUND_SCORE, excel_round, excel_round_array
from ..core.text import Text
from .base import Cells, Checker, FloatArray, Method, Param, Params, Subject
from .events_reading import EXAMPLE, kinds_in, read_events
from .grammar import Context, Reading, number_text

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Event", "Events", "EventsMethod", "counts_of", "event_total", "kinds_in", "EXAMPLE"]  # reading: events_reading.py

LIMIT = 150.0  # points per case, a kind's most and the row's bounds stay within ±150, like every score


@dataclass(frozen=True)
class Event:
    """One kind of event: its id (``e1``, ``e2``, … by position: the input's key), its name as HR writes it, the points per case
    (negative: taken; positive: added) and the most it can take or add (None: no limit of its own)."""

    id: str
    name: str
    points: float
    max: float | None = None


@dataclass(frozen=True)
class Events(Params):
    """Start from ``start``; each kind adds ``count × points`` (within ±``max``); the score within ``[floor, cap]``."""

    events: tuple[Event, ...]
    start: float = 100.0
    floor: float = 0.0
    cap: float = 100.0
    method: str = "events"


def counts_of(subject: Subject, actual: Any) -> list[float] | None:
    """The counts in the order of the events, from a mapping ``{event id: count}`` (a missing event is 0 — the
    rule's own reading; the engine asks for every count); None when it is not such a mapping."""
    if not isinstance(actual, Mapping):
        return None
    return [float(actual.get(e.id, 0) or 0) for e in subject.scoring.events]


def event_total(sc: Events, counts: list[float]) -> float:
    """The rule, in the sheet formula's order: ``start + Σ clamp(count × points, −max, max)`` within ``[floor, cap]``."""
    acc = sc.start
    for e, n in zip(sc.events, counts):
        part = n * e.points
        if e.max is not None:
            part = max(-e.max, min(e.max, part))
        acc = acc + part
    return excel_round(min(sc.cap, max(sc.floor, acc)), ROUND_SCORE)


class EventsMethod(Method):
    name = "events"
    words = ("多事件扣分", "分项扣分", "事件扣分", "several events")
    labels: ClassVar[dict[str, tuple[str, str]]] = {"per_case": ("每次", "per case"), "most": ("最多", "at most")}
    params_class = Events
    yaml_keys = ("method", "events", "start", "floor", "cap")
    needs_target = False

    # --- the spec ---------------------------------------------------------------------------------
    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Events | None:
        start = chk.score_value(raw.get("start", 100), f"{loc}.start")
        floor = chk.score_value(raw.get("floor", 0), f"{loc}.floor")
        data = raw.get("events")
        if not isinstance(data, list) or len(data) < 1:
            chk.error("events-shape", f"{loc}.events")
            return None
        events: list[Event] = []
        for k, item in enumerate(data):
            where = f"{loc}.events[{k}]"
            if not isinstance(item, dict) or not str(item.get("name", "") or "").strip():
                chk.error("events-shape", where)
                return None
            chk.keys(item, ("name", "points", "max"), where)
            eid = f"e{k + 1}"  # by position: what the count cells, their names and the result columns are called
            points = chk.number(item.get("points"), f"{where}.points", Text("每次分数 points", "points"))
            most = None if item.get("max") is None else chk.number(item.get("max"), f"{where}.max", Text("最多 max", "max"))
            if points is None or (item.get("max") is not None and most is None):
                return None
            if points == 0 or abs(points) > LIMIT or (most is not None and not 0 < most <= LIMIT):
                chk.error("events-points", where, name=str(item["name"]).strip(), limit=LIMIT)
                return None
            events.append(Event(eid, str(item["name"]).strip(), points, most))
        if start is None or floor is None:
            return None
        bonus = [e for e in events if e.points > 0]
        cap: float | None
        if raw.get("cap") is not None:
            cap = chk.score_value(raw.get("cap"), f"{loc}.cap")
        elif not bonus:
            cap = start
        elif all(e.max is not None for e in bonus):  # the start and every bonus kind's most: a score like any other (≤ 150)
            cap = chk.score_value(float(sum(Decimal(repr(x)) for x in (start, *(e.max for e in bonus if e.max is not None)))), f"{loc}.cap")
        else:
            chk.error("events-bonus-cap", f"{loc}.cap", name=next(e.name for e in bonus if e.max is None))
            return None
        if cap is None:
            return None
        if not floor <= start <= cap or floor == cap:
            chk.error("cap-floor", f"{loc}.floor", upper=Text("最高分", "cap"), upper_value=cap,
                      lower=Text("最低分", "floor"), lower_value=floor)
            return None
        return Events(events=tuple(events), start=start, floor=floor, cap=cap)

    def from_canonical(self, data: dict[str, Any]) -> Events:
        return Events(events=tuple(Event(str(e["id"]), str(e["name"]), float(e["points"]), None if e.get("max") is None else float(e["max"]))
                                   for e in data["events"]),
                      start=float(data["start"]), floor=float(data["floor"]), cap=float(data["cap"]))

    # --- the engine ---------------------------------------------------------------------------------
    def score(self, subject: Subject, actual: Any) -> float:
        counts = counts_of(subject, actual)
        if counts is None:
            raise TypeError(f"the counts of each event, not {actual!r}")
        return event_total(subject.scoring, counts)

    def score_counts(self, subject: Subject, counts: FloatArray) -> FloatArray:
        """Vectorised: ``counts`` is rows × events (NaN where a count is missing: the row's score is NaN)."""
        import numpy as np

        sc = subject.scoring
        acc = np.full(counts.shape[0], sc.start, dtype=float)
        for k, e in enumerate(sc.events):
            part = counts[:, k] * e.points
            if e.max is not None:
                part = np.maximum(-e.max, np.minimum(e.max, part))
            acc = acc + part
        return excel_round_array(np.minimum(sc.cap, np.maximum(sc.floor, acc)), ROUND_SCORE)

    def score_array(self, subject: Subject, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        import numpy as np

        events = subject.scoring.events
        counts = np.full((len(raw), len(events)), np.nan)
        for i, given in enumerate(raw):
            if isinstance(given, Mapping):
                counts[i] = [_number(given.get(e.id)) for e in events]
        return self.score_counts(subject, counts)

    def top(self, subject: Subject) -> float:
        return float(subject.scoring.cap)

    def bottom(self, subject: Subject) -> float:
        return float(subject.scoring.floor)

    def input_range(self, subject: Subject) -> tuple[float, float] | None:
        return (0.0, float("inf"))  # each count: never negative

    # --- the sheet ------------------------------------------------------------------------------------
    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        sc = subject.scoring
        out = [Param(word("start"), sc.start, False), Param(word("floor"), sc.floor, False), Param(word("cap"), sc.cap, False)]
        out += [Param(f"{e.name} {word('per_case')}", e.points, False) for e in sc.events]
        out += [Param(f"{e.name} {word('most')}", e.max, False) for e in sc.events if e.max is not None]
        return out

    def formula(self, subject: Subject, cells: Cells, mode: str = "native") -> str:
        """``IF(COUNT(counts)=n, IF(AND(MIN(counts)>=0, INT(c)=c …), ROUND(MIN(cap, MAX(floor, start + c1*p1 + …)), 2), ""), "")``:
        blank until every count is a number, and for a count that is negative or not whole (the engine refuses it)."""
        sc = subject.scoring
        counts = [cells.count(k) for k in range(len(sc.events))]  # type: ignore[attr-defined]
        start, floor, cap = cells.value(0), cells.value(1), cells.value(2)
        n = len(sc.events)
        most = iter(range(3 + n, 3 + n + sum(e.max is not None for e in sc.events)))
        terms = []
        for k, (e, c) in enumerate(zip(sc.events, counts)):
            part = f"{c}*{cells.value(3 + k)}"
            if e.max is not None:
                m = cells.value(next(most))
                part = f"MAX(-{m},MIN({m},{part}))"
            terms.append(part)
        listed = ",".join(counts)
        whole = ",".join(f"INT({c})={c}" for c in counts)
        return (f'=IF(COUNT({listed})={n},IF(AND(MIN({listed})>=0,{whole}),'
                f'ROUND(MIN({cap},MAX({floor},{start}+{"+".join(terms)})),{ROUND_SCORE}),""),"")')

    def summary_formula(self, subject: Subject, counts: list[str]) -> str:
        """The actual cell of an events row: each kind and its count, a line each (``投诉不及时: 1``), once every count
        is a number — what the card and its print form show in the actual column, in any language."""
        parts = [f'"{_quoted(e.name)}: "&{c}' for e, c in zip(subject.scoring.events, counts)]
        return f'=IF(COUNT({",".join(counts)})={len(counts)},{"&CHAR(10)&".join(parts)},"")'

    def summary(self, subject: Subject, actual: Any) -> str:
        """What :meth:`summary_formula` shows for these counts ("" until every one is a number)."""
        if not isinstance(actual, Mapping):
            return ""
        values = [actual.get(e.id) for e in subject.scoring.events]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return ""
        return "\n".join(f"{e.name}: {_shown(v)}" for e, v in zip(subject.scoring.events, values))

    def describe(self, subject: Subject, lang: str) -> str:
        sc = subject.scoring
        zh = lang == "zh"
        parts = [f"满分{number_text(sc.start)}分" if zh else f"start at {number_text(sc.start)}"]
        for e in sc.events:
            verb = ("扣" if e.points < 0 else "加") if zh else ("minus" if e.points < 0 else "plus")
            p = number_text(abs(e.points))
            text = f"{e.name}每次{verb}{p}分" if zh else f"{e.name}: {verb} {p} per case"
            if e.max is not None:  # said of the kind ("此类"), in words: the print form takes parentheses for level notes
                text += f",此类最多{verb}{number_text(e.max)}分" if zh else f", at most {number_text(e.max)} for this kind"
            parts.append(text)
        bonus = any(e.points > 0 for e in sc.events)
        if zh:
            bounds = f"最低{number_text(sc.floor)}分" + (f",最高{number_text(sc.cap)}分" if bonus or sc.cap != sc.start else "")
        else:
            bounds = f"not below {number_text(sc.floor)}" + (f", not above {number_text(sc.cap)}" if bonus or sc.cap != sc.start else "")
        return (";" if zh else "; ").join([*parts, bounds])

    # --- reading what people write ---------------------------------------------------------------------
    read_order = 29  # before the one-event deduction (30), which refuses several kinds of events in one cell

    def rescaled(self, scoring: dict[str, Any], factor: float) -> dict[str, Any] | None:
        from .bands import _times

        out: dict[str, Any] = {**scoring, **{k: _times(scoring[k], factor) for k in ("start", "floor", "cap") if k in scoring}}
        out["events"] = [{**e, **{k: _times(e[k], factor) for k in ("points", "max") if e.get(k) is not None}}
                         for e in scoring.get("events", [])]
        return out

    def read(self, text: str, ctx: Context) -> Reading | None:
        """Two or more kinds of event, each with its points per case (:func:`~xl_kpi.methods.events_reading.read_events`)."""
        return read_events(text, ctx)

    # --- simulations and tests ----------------------------------------------------------------------------
    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        return {e.id: rng.choice([0, 0, 0, 1, 1, 2]) for e in subject.scoring.events}

    def probes(self, subject: Subject) -> list[Any]:
        sc = subject.scoring
        ids = [e.id for e in sc.events]
        out: list[Any] = [dict.fromkeys(ids, 0), dict.fromkeys(ids, 1), dict.fromkeys(ids, 50), {**dict.fromkeys(ids, 1), ids[-1]: None}]
        for e in sc.events:  # each kind alone, up to its own limit and the row's floor
            for n in (1, 2, 3, 7, 20):
                out.append({**dict.fromkeys(ids, 0), e.id: n})
        return out

    def samples(self) -> list[dict[str, Any]]:
        return [
            {"id": "events", "name": "服务差错", "unit": "次",
             "scoring": {"method": "events", "start": 100, "floor": 10, "events": [
                 {"name": "投诉不及时", "points": -2},
                 {"name": "发放错误", "points": -5, "max": 30}]}},
            {"id": "events_bonus", "name": "现场管理", "unit": "次",
             "scoring": {"method": "events", "start": 90, "events": [
                 {"name": "巡检漏项", "points": -7.5},
                 {"name": "客户表扬", "points": 2.5, "max": 10}]}},
        ]


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else float("nan")


def _shown(value: Any) -> str:
    """A count as a spreadsheet's ``&`` shows it: 2, 2.5 (General format)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _quoted(text: str) -> str:
    return text.replace('"', '""')


METHOD = EventsMethod()

"""Events scoring (多事件扣分/加分): one indicator, several kinds of event, each with its own points per case —
``投诉不及时的每次扣2分,发放错误的每次扣5分,扣完为止``. The rater counts each kind; the score starts from
``start``, each kind adds ``count × points`` (negative points take, positive add; a kind with ``max`` gives at
most that much either way), and the sum is kept within the row's ``[floor, cap]``.

The input is one count per kind of event (a mapping ``{event id: count}``), each a whole number ≥ 0: the
score is blank until every count is given, as a blank actual leaves any other method's score blank.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..core.rounding import ROUND_SCORE, excel_round, excel_round_array
from ..core.text import Text
from .base import Cells, Checker, FloatArray, Method, Param, Params, Subject
from .grammar import Context, Reading, Unreadable, normalize, number_text, unread

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Event", "Events", "EventsMethod", "counts_of", "event_total", "kinds_in", "EXAMPLE"]

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
        elif all(e.max is not None for e in bonus):
            cap = start + sum(e.max for e in bonus if e.max is not None)
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
        """Two or more kinds of event, each with its points per case: ``投诉不及时的每次扣2分,发放错误的每次扣5分``,
        ``无记录一次扣5分,记录不全一次扣2分``, ``…不及时扣 5 分,…,已收扣 10 分,收货不抽查,扣 10 分``, with the row's
        bounds (``扣完为止``, ``最低0分``, ``最高扣除20分``/``扣分上限20分``, ``最高加10分``), a kind's own
        (``(最多扣6分)``) and the sentence :meth:`describe` prints. Every clause that speaks of the score must be read."""
        s = normalize(text)
        found, bounds = _kinds(s)
        if len(found) < 2:
            return None
        spans: list[tuple[int, int]] = []
        start_said = _said(r"(?:满分|起始|基础分|基准分|start at|starts at)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?|points?)?", s, spans)
        events: list[dict[str, Any]] = []
        cut = 0
        left_out = ""
        for k, m in enumerate(found):
            name = _name(s[cut:m.start()], first=k == 0 and cut == 0 and start_said is None)
            if k == 0 and name != _name(s[cut:m.start()], first=False):
                left_out = _name(s[cut:m.start()], first=False)[: -len(name)].strip(" ,:")
            if not name:
                raise Unreadable(Text(f"“{m[0]}”没有写是什么事件", f"'{m[0]}' does not say what is counted"), EXAMPLE)
            given, each = m.groupdict().get("k"), m.groupdict().get("each")
            per = float(given) if given else 1.0
            if not each and per != 1:
                raise Unreadable(Text(f"“{m[0]}”是每{given}次还是第{given}次起扣分?", f"'{m[0]}': per {given} cases, or from the {given}th?"),
                                 EXAMPLE)
            if per <= 0:
                raise Unreadable(Text("每几次扣分应大于 0", "the count per deduction must be above 0"), EXAMPLE)
            sign = 1.0 if (m["v"] or "").lower() in ("加", "plus", "add") else -1.0
            event: dict[str, Any] = {"name": name, "points": sign * float(m["p"]) / per}
            spans.append((cut, m.end()))
            cut = m.end()
            own = _OWN_MAX.match(s, cut)
            nxt = found[k + 1].start() if k + 1 < len(found) else len(s)
            between = next((b for b in bounds if cut <= b.start < nxt and b.kind in ("most_off", "most_on")), None) \
                if k + 1 < len(found) else None  # a limit between two kinds is the first one's
            if own is not None:
                event["max"] = float(own["n"] or own["n2"] or own["n3"])
                spans.append((cut, own.end()))
                cut = own.end()
            elif between is not None:
                event["max"] = between.n
                spans.append((cut, between.end))
                cut = between.end
            events.append(event)
        full = float(ctx.points) if ctx.points is not None else 100.0
        start = start_said if start_said is not None else full
        floor = 0.0
        cap: float | None = None
        for b in bounds:
            if any(b.start >= a and b.end <= z for a, z in spans):
                continue  # a kind's own
            spans.append((b.start, b.end))
            n, kind = b.n, b.kind
            if kind in ("most_off", "most_on"):  # the most taken (added) in all: exact as the row's bound when nothing pulls the other way
                same = [e for e in events if (e["points"] < 0) == (kind == "most_off")]
                other = len(same) < len(events)
                if not other and kind == "most_off":
                    floor = max(floor, start - n)
                elif not other:
                    cap = start + n
                elif len(same) == 1 and "max" not in same[0]:
                    same[0]["max"] = n  # one kind of its sign: the limit is that kind's
                else:
                    raise Unreadable(Text(f"“{s[b.start:b.end]}”是几种事件合计的还是每种的?",
                                          f"'{s[b.start:b.end]}': for all these kinds together, or for each?"),
                                     "…每次扣2分,此类最多扣6分;…每次加2分,此类最多加10分")
            elif kind == "low":
                floor = n
            elif kind == "high":
                cap = n
        left = unread(s, spans, r"扣完为止|扣至零|为止|不再扣分|not below zero|^\s*\d+\s*[、.]")
        if left is not None:
            raise Unreadable(Text(f"读不懂“{left}”", f"cannot read '{left}'"), EXAMPLE)
        scoring: dict[str, Any] = {"method": "events", "start": start, "floor": floor, "events": events}
        bonus = [e for e in events if e["points"] > 0]
        if cap is not None:
            scoring["cap"] = cap
        elif bonus and not all("max" in e for e in bonus):
            raise Unreadable(Text("加分没有上限", "a bonus without a limit"), "…每次加2分,最高加10分")
        reading = Reading(scoring=scoring, full_said=start_said)
        reading.assumed_full = start_said is None
        if ctx.direction is None:
            reading.direction = "lower"
        if left_out:  # the row's own description before the first kind: not part of what is counted
            reading.notes.append(Text(f"{len(events)} 种事件各自计次:" + ";".join(e["name"] for e in events) + f"(“{left_out}”是本项说明)",
                                      f"{len(events)} kinds of event, each counted: " + "; ".join(e["name"] for e in events) +
                                      f" ('{left_out}' describes the item)"))
        return reading

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


EXAMPLE = "投诉不及时的每次扣2分,发放错误的每次扣5分,扣完为止"

_P = r"(?P<p>\d+(?:\.\d+)?)\s*分"
# one kind's points per case: "(每|一)N次扣5分", "扣 5 分", "每次加2分"
_EVENT = re.compile(rf"(?:(?P<each>每)?\s*(?P<k>\d+)?\s*(?:次|起|例|件|项|处)\s*(?:每项)?\s*)?(?:的)?\s*(?P<v>扣除?|减|加)\s*{_P}(?:\s*/\s*(?:次|起|例|件|项|处))?")
_EVENT_EN = re.compile(r"(?P<v>minus|plus|deduct|add)\s*(?P<p>\d+(?:\.\d+)?)\s*(?:pts?|points?)?\s*(?:per|for each|each)\s*(?:case|time|occurrence)?",
                       re.I)
_BOUND_FORMS = (  # the row's bounds, each a kind: most taken, most added, lowest score, highest score
    ("most_off", re.compile(r"(?:最高扣除?|最多扣除?|扣分上限为?|累计扣分不超过|扣分不超过|at most minus)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?)?", re.I)),
    ("most_on", re.compile(r"(?:最高加|最多加|加分上限为?|加分不超过|at most plus)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?)?", re.I)),
    ("low", re.compile(r"(?:最低|保底|不低于|not below)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?)?", re.I)),
    ("high", re.compile(r"(?:(?<![扣加])最高(?![扣加])|不超过|not above)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?)?", re.I)),
)


@dataclass(frozen=True)
class _Bound:
    kind: str
    start: int
    end: int
    n: float


def _bounds(text: str) -> list[_Bound]:
    """Every bound the text states, in order, none overlapping another."""
    found: list[_Bound] = []
    for kind, pattern in _BOUND_FORMS:
        for m in pattern.finditer(text):
            if not any(b.start < m.end() and m.start() < b.end for b in found):
                found.append(_Bound(kind, m.start(), m.end(), float(m["n"])))
    return sorted(found, key=lambda b: b.start)


_OWN_MAX = re.compile(r"\s*(?:\((?:最多|最高|at most)\s*(?:扣除?|加)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?)?\)"
                      r"|[,;]?\s*(?:此类|该类)(?:事件)?\s*(?:最多|最高)\s*(?:扣除?|加)?\s*(?P<n2>\d+(?:\.\d+)?)\s*分"
                      r"|,?\s*at most (?P<n3>\d+(?:\.\d+)?) (?:pts? )?for this kind)", re.I)
_LEAD = re.compile(r"^[\s,;。:]*(?:\d+\s*[、.]\s*)?")
_TRAIL = re.compile(r"(?:的|者|则|即)?\s*(?:(?:(?:每|一)\s*\d*|\d+)\s*(?:次|起|例|件|项|处))?\s*(?:每项)?\s*(?:的|者|则|即)?\s*[,:]?\s*$")


def _kinds(s: str) -> tuple[list[re.Match[str]], list[_Bound]]:
    """Each kind's points in a normalised standard (none in steps around a target, bands or a score given outright),
    and the bounds it states."""
    if re.search(r"每(?:低|少|差|高|增长|下降|提高|超|提前|落后|退后)|目标|target|%|得\s*\d+(?:\.\d+)?\s*分(?!钟)", s, re.I):
        return [], []
    bounds = _bounds(s)
    found = [m for m in _EVENT.finditer(s) if not any(b.start <= m.start() < b.end for b in bounds)]
    return found or [m for m in _EVENT_EN.finditer(s) if not any(b.start <= m.start() < b.end for b in bounds)], bounds


def kinds_in(text: str) -> int:
    """How many kinds of event, each with its points, a standard counts (2 or more: this method's to read, or to refuse)."""
    return len(_kinds(normalize(text))[0])


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else float("nan")


def _shown(value: Any) -> str:
    """A count as a spreadsheet's ``&`` shows it: 2, 2.5 (General format)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _quoted(text: str) -> str:
    return text.replace('"', '""')


def _said(pattern: str, text: str, spans: list[tuple[int, int]]) -> float | None:
    m = re.search(pattern, text, re.I)
    if m is None:
        return None
    spans.append(m.span())
    return float(m["n"])


def _name(segment: str, first: bool) -> str:
    """What is counted, from the text before a kind's points: after the last ``;``/``。`` (the sentence it is in); the
    first kind, with nothing said before it but the row's own description, only its own clause."""
    part = re.split(r"[;。]", segment)[-1]
    if first:
        clauses = [c for c in re.split(r"[,:]", part) if c.strip()]
        part = clauses[-1] if clauses else ""
    part = _TRAIL.sub("", _LEAD.sub("", part))
    return part.strip(" ,;:")


METHOD = EventsMethod()

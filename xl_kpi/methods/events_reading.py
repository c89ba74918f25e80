"""Reading several kinds of event from a standard as HR writes it (:mod:`xl_kpi.methods.events`' ``read``):
``投诉不及时的每次扣2分,发放错误的每次扣5分,扣完为止``, each kind's own limit, the row's bounds, and the sentence the
method prints. What is counted is the text before each kind's points; every clause that speaks of the score is read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core.text import Text
from .grammar import Context, Reading, Unreadable, normalize, unread

__all__ = ["read_events", "kinds_in", "EXAMPLE"]

EXAMPLE = "投诉不及时的每次扣2分,发放错误的每次扣5分,扣完为止"


def read_events(text: str, ctx: Context) -> Reading | None:
    """Two or more kinds of event, each with its points per case: ``投诉不及时的每次扣2分,发放错误的每次扣5分``,
    ``无记录一次扣5分,记录不全一次扣2分``, ``…不及时扣 5 分,…,已收扣 10 分,收货不抽查,扣 10 分``, with the row's
    bounds (``扣完为止``, ``最低0分``, ``最高扣除20分``/``扣分上限20分``, ``最高加10分``), a kind's own
    (``(最多扣6分)``, ``此类最多扣6分``) and the sentence ``EventsMethod.describe`` prints. Every clause that speaks of the score
    must be read."""
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
            raise Unreadable(Text(f"“{m[0]}”是每{given}次还是第{given}次起扣分?", f"'{m[0]}': per {given} cases, or from case {given} on?"),
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

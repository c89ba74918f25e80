"""Who fills which part of a card, and how several peers make one rater.

A card's inputs belong to parties: the employee (actuals, their own ``role: self`` ratings, the
self-review), the supervisor (``role: supervisor`` ratings, the adjustment counts, the veto marks
and the comment), the reviewer (``role: reviewer`` ratings, 复核) and peers (``role: peer``, 360:
several people each rating the person). :func:`input_roles` says which parties a card needs.

**Peers.** A spec's peer rater stands for a group: each person has their own peers (from the
roster or a rater list), and the role's score is the mean of theirs. Exactly: a peer rater of
weight *w* rated by *n* peers counts each peer's rating with weight *w / n*. :func:`with_peers`
gives the spec that says so — the peer rater replaced by *n* raters ``<id>_1 … <id>_n`` of that
weight — and everything else (the engine, the sheet formulas, the single-file workbook) works on it
unchanged, so the merged result of separate rating workbooks and a one-file workbook are the same
computation to the last bit.

The people who rate a person are :class:`PersonRaters` (HR's roster and rater list decide them).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from ..core.text import Text
from .model import Rater, Spec

__all__ = ["ROLES", "RATER_ROLES", "ROLE_NAMES", "RaterRef", "PersonRaters", "input_roles", "with_peers", "peer_rater", "peer_slots",
           "slot_of", "role_of", "has_other_inputs", "PriorCard"]

ROLES = ("self", "supervisor", "reviewer", "peer")
RATER_ROLES = ("supervisor", "reviewer", "peer")  # the parties who rate someone else, each in a workbook of their own
ROLE_NAMES = {"supervisor": Text("直接上级", "supervisor"), "reviewer": Text("复核人", "reviewer"), "peer": Text("互评同事", "peers")}


def peer_rater(spec: Spec) -> Rater | None:
    """The spec's peer rater (at most one: ``check`` refuses a second)."""
    return next((r for r in spec.raters if r.by_peers), None)


def peer_slots(rater_id: str, n: int) -> tuple[str, ...]:
    """The ids of a peer rater's *n* slots in the expanded spec: ``peers_1 … peers_n``."""
    return tuple(f"{rater_id}_{k}" for k in range(1, n + 1))


def slot_of(spec: Spec, rater_id: str) -> tuple[str, int] | None:
    """A rater id of an expanded spec as (the peer rater's id, its 1-based slot), or None."""
    base, _, k = rater_id.rpartition("_")
    if base and k.isdigit() and any(r.id == base and r.by_peers for r in spec.raters):
        return base, int(k)
    return None


def role_of(spec: Spec, rater_id: str) -> str:
    """The role of a rater of the spec (or of its expanded form: a slot is a peer's)."""
    for rater in spec.raters:
        if rater.id == rater_id:
            return rater.role
    return "peer" if slot_of(spec, rater_id) else ""


def with_peers(spec: Spec, n: int) -> Spec:
    """The spec with its peer rater rated by ``n`` peers: the rater replaced by ``n`` raters of weight
    *w / n* (each peer's rating counts equally; together they weigh what the role weighs). A spec
    without a peer rater, or ``n`` of 0, is returned as it is."""
    peer = peer_rater(spec)
    if peer is None or n <= 0 or any(r.id.startswith(f"{peer.id}_") for r in spec.raters):
        return spec
    slots = peer_slots(peer.id, n)
    word = "同事" if spec.language == "zh" else "Peer "
    expanded: list[Rater] = []
    for rater in spec.raters:
        if rater.id != peer.id:
            expanded.append(rater)
            continue
        expanded += [Rater(slot, f"{word}{k}", peer.weight / n, "peer") for k, slot in enumerate(slots, start=1)]
    indicators = tuple(dataclasses.replace(ind, raters=tuple(s for r in ind.raters for s in (slots if r == peer.id else (r,))))
                       if peer.id in ind.raters else ind for ind in spec.indicators)
    return dataclasses.replace(spec, raters=tuple(expanded), indicators=indicators)


def input_roles(spec: Spec) -> frozenset[str]:
    """The parties other than the employee whose inputs the card's score needs: ``supervisor`` (its
    raters, or the adjustments and veto items it fills), ``reviewer``, ``peer``."""
    roles = {r.role for r in spec.raters if not r.by_employee}
    if spec.adjustments is not None or spec.veto:
        roles.add("supervisor")
    return frozenset(roles)


def has_other_inputs(spec: Spec) -> bool:
    """Whether anyone but the employee fills part of the card's score."""
    return bool(input_roles(spec))


@dataclass(frozen=True, order=True)
class RaterRef:
    """One rater: the id HR knows them by (an employee id when they are on the roster) and their name."""

    id: str
    name: str

    @property
    def label(self) -> str:
        """How reports name them: ``李四 (M01)``, or the name alone when it is the id."""
        return self.name if self.name == self.id or not self.name else f"{self.name} ({self.id})"


@dataclass(frozen=True)
class PersonRaters:
    """Who rates one person: their supervisor, their reviewer and their peers (in HR's order)."""

    supervisor: RaterRef | None = None
    reviewer: RaterRef | None = None
    peers: tuple[RaterRef, ...] = ()

    def of_role(self, role: str) -> tuple[RaterRef, ...]:
        if role == "peer":
            return self.peers
        one = self.supervisor if role == "supervisor" else self.reviewer if role == "reviewer" else None
        return (one,) if one is not None else ()

    def to_json(self) -> str:
        """As the register keeps it: ``{"supervisor": [["M01", "李四"]], "peer": [[…], …]}`` (roles without raters left out)."""
        data = {role: [[r.id, r.name] for r in self.of_role(role)] for role in RATER_ROLES if self.of_role(role)}
        return json.dumps(data, ensure_ascii=False, sort_keys=True) if data else ""

    @classmethod
    def from_json(cls, text: str) -> PersonRaters:
        """Read back :meth:`to_json` (an empty or unreadable text: nobody)."""
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()

        def refs(role: str) -> tuple[RaterRef, ...]:
            items = data.get(role) or []
            return tuple(RaterRef(str(i[0]), str(i[1])) for i in items if isinstance(i, list) and len(i) == 2)

        sup, rev = refs("supervisor"), refs("reviewer")
        return cls(sup[0] if sup else None, rev[0] if rev else None, refs("peer"))


@dataclass(frozen=True)
class PriorCard:
    """What a person reported in their own workbook, from the employees' consolidated returns (``build
    --from RESULTS``): shown read-only beside the cells a rater fills."""

    actuals: dict[str, object] = dataclasses.field(default_factory=dict)  # unrated indicator id → the value scored
    ratings: dict[str, dict[str, object]] = dataclasses.field(default_factory=dict)  # rated indicator → rater id → input
    review: dict[str, str] = dataclasses.field(default_factory=dict)  # goal_review, key_actions, results, gaps
    status: str = ""

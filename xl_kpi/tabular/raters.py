"""Who rates whom: from the roster's rater columns (直接上级, 复核人, 互评人) or HR's rater list.

A rater is written as HR knows them: an employee id on the roster (their name is then the roster's)
or a name (its own id: write ids where two raters share a name). A rater list (``--raters FILE``:
``employee_id, rater, role`` — 工号, 评分人, 角色) names the raters of the roles it lists for a
person and wins over the roster's columns for those roles; several rows of role ``peer`` give a
person several peers, in the list's order. Each person gets a rater for every party their card
needs (:func:`~xl_kpi.spec.raters.input_roles`, and the supervisor for the comment): a card needing
one the roster does not name, or a person rating themselves, is refused before anything is built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..core.errors import InputFileError
from ..core.findings import Finding, finding
from ..core.text import Text
from ..spec.model import Person, Spec
from ..spec.raters import ROLE_NAMES, PersonRaters, RaterRef, input_roles
from .read import canonical_columns, first_line, read_table, require_columns

__all__ = ["split_names", "load_rater_list", "rater_list_from_frame", "assign_raters", "RaterList", "RATER_LIST", "ROLE_WORDS", "role_word",
           "roles_needed", "raters_of"]

RATER_LIST = Text("评分人名单", "rater list")
RaterList = Mapping[str, Mapping[str, Sequence[str]]]  # employee id → role → the raters HR lists (ids or names)
_SEPARATORS = re.compile(r"[,，、;；|\n]+")
ROLE_WORDS: dict[str, str] = {
    "supervisor": "supervisor", "上级": "supervisor", "直接上级": "supervisor", "主管": "supervisor", "manager": "supervisor",
    "line manager": "supervisor", "考核人": "supervisor",
    "reviewer": "reviewer", "复核": "reviewer", "复核人": "reviewer", "隔级上级": "reviewer", "second-level manager": "reviewer",
    "peer": "peer", "peers": "peer", "同事": "peer", "互评": "peer", "同级": "peer", "同事互评": "peer", "360": "peer",
}


def split_names(text: str) -> tuple[str, ...]:
    """Raters written in one cell: ``E05,E09``, ``E05、E09``, ``E05;E09`` (spaces inside a name kept)."""
    return tuple(dict.fromkeys(p.strip() for p in _SEPARATORS.split(text or "") if p.strip()))


def role_word(text: str) -> str | None:
    """A role as HR writes it (上级, 复核, 同事, supervisor, …) → ``supervisor`` | ``reviewer`` | ``peer``."""
    return ROLE_WORDS.get(" ".join(text.strip().lower().split()))


def load_rater_list(path: str | Path, people: Sequence[Person]) -> dict[str, dict[str, list[str]]]:
    """HR's rater list: ``employee_id, rater, role`` (工号, 评分人, 角色) — one row per (person, rater);
    every bad row is reported at once."""
    return rater_list_from_frame(read_table(path, RATER_LIST, ("employee_id", "rater", "relation")), people, path)


def rater_list_from_frame(frame: pd.DataFrame, people: Sequence[Person], path: str | Path = "") -> dict[str, dict[str, list[str]]]:
    """A rater list already in memory (rows numbered as lines of a file with a header)."""
    start = first_line(frame)
    frame = canonical_columns(frame)
    if "relation" not in frame.columns and "position" in frame.columns:  # "role" is also a roster's word for a position
        frame = frame.rename(columns={"position": "relation"})
    require_columns(frame, ("employee_id", "rater", "relation"), path, RATER_LIST)
    known = {p.employee_id for p in people}
    out: dict[str, dict[str, list[str]]] = {}
    problems: list[Finding] = []
    file = str(path)
    for line, row in enumerate(frame.to_dict("records"), start=start):
        eid, rater, word = (str(row.get(c) or "").strip() for c in ("employee_id", "rater", "relation"))
        where = f"line {line}"
        role = role_word(word)
        if not eid and not rater:
            continue
        if eid not in known:
            problems.append(finding("rater-list-unknown-person", file=file, field=where, employee_id=eid))
        elif role is None:
            problems.append(finding("rater-list-role", file=file, field=where, value=word))
        elif not rater:
            problems.append(finding("roster-empty-field", file=file, field=where, column="rater"))
        else:
            listed = out.setdefault(eid, {}).setdefault(role, [])
            if rater not in listed:
                listed.append(rater)
    if problems:
        raise InputFileError(problems)
    return out


def roles_needed(spec: Spec, separate: bool) -> frozenset[str]:
    """The raters a person on this card must be given: with separate rating workbooks, every party its score
    needs (the supervisor, who also writes the comment, is taken when the roster names one); in a single
    file, the peers alone (their number makes the card's columns: the others type into the one file)."""
    return input_roles(spec) if separate else input_roles(spec) & {"peer"}


def assign_raters(people: Sequence[Person], specs: Mapping[str, Spec], rater_list: RaterList | None = None,
                  separate: bool = True, file: str = "") -> dict[str, PersonRaters]:
    """Each person's raters for the parties their card needs.

    Raises:
        InputFileError: a card needs a rater nobody is named for, or someone would rate themselves.
    """
    names = {p.employee_id: p.name for p in people}

    def ref(value: str) -> RaterRef:
        return RaterRef(value, names[value]) if value in names else RaterRef(value, value)

    out: dict[str, PersonRaters] = {}
    problems: list[Finding] = []
    for person in people:
        listed = (rater_list or {}).get(person.employee_id, {})
        given = {"supervisor": list(listed.get("supervisor") or ([person.manager] if person.manager else [])),
                 "reviewer": list(listed.get("reviewer") or ([person.reviewer] if person.reviewer else [])),
                 "peer": list(listed.get("peer") or person.peers)}
        needed = roles_needed(specs[person.template], separate)
        for role in sorted(needed):
            if not given[role]:
                problems.append(finding("roster-no-rater", file=file, employee_id=person.employee_id, name=person.name,
                                        role=ROLE_NAMES[role], template=person.template))
            elif person.employee_id in given[role]:
                problems.append(finding("roster-self-rater", file=file, employee_id=person.employee_id, role=ROLE_NAMES[role]))
        if len(given["supervisor"]) > 1 or len(given["reviewer"]) > 1:
            problems.append(finding("roster-rater-twice", file=file, employee_id=person.employee_id,
                                    raters="、".join(given["supervisor"] if len(given["supervisor"]) > 1 else given["reviewer"])))
        sup = ref(given["supervisor"][0]) if ("supervisor" in needed or separate) and given["supervisor"] else None
        rev = ref(given["reviewer"][0]) if "reviewer" in needed and given["reviewer"] else None
        peers = tuple(ref(v) for v in given["peer"]) if "peer" in needed else ()
        out[person.employee_id] = PersonRaters(sup, rev, peers)
    if problems:
        raise InputFileError(problems)
    return out


def raters_of(assigned: Mapping[str, PersonRaters], role: str) -> Iterable[RaterRef]:
    """Every distinct rater of a role, in the order they first appear."""
    return dict.fromkeys(r for raters in assigned.values() for r in raters.of_role(role)).keys()

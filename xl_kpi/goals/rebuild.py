"""A scorecard built again after approved changes (``build --changes issued.sqlite``): the approved targets and
their log.

A card issued before a change keeps the target it was built with; consolidation scores it against the approved
one and lists the change. When HR issues the card again — the person asked to see it, or another round — the
rebuilt card carries the latest approved target of each indicator and shows every approved change (version,
old → new, new deadline, reason, approver, date) on its 目标确认记录 / Agreed goals sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..core.errors import UsageError
from ..sheet.register import REGISTER_NAME, load_register
from ..spec.model import Person, Spec
from ..workbook.agreement import ChangeRow

__all__ = ["apply_changes"]


def apply_changes(register: Path, people: Sequence[Person], templates: Mapping[str, Spec],
                  targets: Mapping[str, Mapping[str, float]] | None) -> tuple[dict[str, dict[str, float]], dict[str, list[ChangeRow]]]:
    """Each person's targets with the register's approved changes of their period applied (the latest per indicator
    wins), and their change log; people without a change keep ``targets`` as given."""
    path = register / REGISTER_NAME if register.is_dir() else register
    if not path.is_file():
        raise UsageError("file-not-found", path=path)
    changes = load_register(path).changes
    own = {eid: dict(t) for eid, t in (targets or {}).items()}
    log: dict[str, list[ChangeRow]] = {}
    for person in people:
        period = person.period or templates[person.template].period
        for c in changes.get((person.employee_id, period), ()):
            own.setdefault(person.employee_id, {})[c.indicator_id] = c.new
            log.setdefault(person.employee_id, []).append((c.version, c.indicator_id, c.old, c.new, c.deadline, c.reason, c.approver, c.date))
    return own, log

"""What HR says, against which every return is read: the issue register and the roster's bonus bases.

A return supplies inputs only. Who a file belongs to, the period, the rules, the targets and the bonus
base come from HR: the register ``build`` wrote (``--issued``), the roster given to the run
(``--roster``, its bonus bases), the templates (``--templates``). Workers inherit one of these, never
a copy per task (a register may list 100,000 people).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..sheet.register import Register
from ..spec.model import Person

__all__ = ["Authority"]


@dataclass(frozen=True)
class Authority:
    """HR's word for a run: the register (or None) and each rostered person's bonus base (or None: no roster)."""

    register: Register | None = None
    bases: Mapping[str, float | None] | None = None

    @classmethod
    def of(cls, register: Register | None, roster: Sequence[Person] | None) -> Authority:
        bases = {p.employee_id: p.bonus_base for p in roster} if roster is not None else None
        return cls(register, bases)

    @property
    def on_trust(self) -> bool:
        """No register: who a file belongs to and its personal targets are the file's own word."""
        return self.register is None

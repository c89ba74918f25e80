"""Whose signature a return still lacks: the sign-off block's result signatures (确认签字), read from the file.

Consolidation scores a return without reading its sign-off; chasing needs it. The cells are where the
template lays them out (the cell map every scorecard records); they are read with consolidation's own
bounded reader, never trusted beyond "is anything typed here".
"""

from __future__ import annotations

from collections.abc import Sequence

from ..consolidation.formats import open_returned
from ..consolidation.inputs import Source, read_bytes
from ..consolidation.safety import Limits, Rejected
from ..sheet.person import PersonLayout
from ..spec.model import Spec

__all__ = ["SIGNERS", "unsigned"]

SIGNERS = ("employee", "supervisor", "reviewer", "hr")


def unsigned(source: Source, sheet: str, spec: Spec, roles: Sequence[str], limits: Limits = Limits()) -> list[str]:
    """The ``roles`` whose result signature is blank on ``sheet`` of the returned file ([] when it cannot be read:
    consolidation has reported that file already)."""
    if not roles:
        return []
    cells = PersonLayout.for_spec(spec).cell_map(spec)["signoff"]
    refs = {role: cells[role]["result_sign"] for role in roles if role in cells}
    try:
        book = open_returned(read_bytes(source, limits)[0], limits)
        entry = book.sheet(sheet)
        if entry is None or not book.readable(entry):
            return []
        values = book.cells(entry).values(list(refs.values()))
    except (Rejected, OSError, ValueError, KeyError):
        return []
    return [role for role, ref in refs.items() if values.get(ref) is None or not str(values[ref]).strip()]

"""How a rule's value reads on the sheet, for a message about a changed rule: an indicator's own notation
(110%, 12个), a percentage, or a number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...methods.grammar import number_text, value_text

__all__ = ["shown"]


def shown(how: Any) -> Callable[[Any], str]:
    """``None`` a number, ``"%"`` a percentage, an indicator its own notation."""
    def show(value: Any) -> str:
        if value is None or value == "":
            return "(空)"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return repr(value) if isinstance(value, str) else str(value)
        if how == "%":
            return value_text(float(value), True)
        if how is not None:
            return str(how.show(float(value)))
        return number_text(float(value))
    return show

"""The sheet functions as custom functions of the `formulas` package, handed values as xlwings would."""

from __future__ import annotations

from typing import Any

import numpy as np

from xl_kpi.udf import functions


def plain(arg: Any) -> Any:
    """A `formulas` argument as xlwings hands it over: floats, None for empty, lists for ranges."""
    value = getattr(arg, "value", arg)
    if isinstance(value, np.ndarray):
        items = [None if str(v) == "empty" else (v.item() if hasattr(v, "item") else v) for v in value.ravel()]
        return items[0] if value.size == 1 else items
    return None if str(value) == "empty" else value


def register(formulas: Any) -> None:
    """Every function of ``xl_kpi.udf.functions`` in formulas' function table, under its Excel name."""
    table = formulas.get_functions()
    for name in functions.__all__:
        fn = getattr(functions, name)
        table[name] = lambda *args, fn=fn: fn(*[plain(a) for a in args])

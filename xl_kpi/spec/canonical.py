"""Rebuild a spec from its canonical data (as a workbook's metadata stores it)."""

from __future__ import annotations

from typing import Any

from ..methods import method_named
from .model import Grade, Indicator, Spec

__all__ = ["spec_from_canonical"]


def spec_from_canonical(data: dict[str, Any]) -> Spec:
    """Rebuild a spec from :meth:`Spec.canonical` data.

    Raises:
        KeyError, TypeError, ValueError: the data is not a canonical spec.
    """
    indicators = []
    for ind in data["indicators"]:
        sc = dict(ind["scoring"])
        name = sc.pop("method")
        try:
            method = method_named(name)
        except KeyError:
            raise ValueError(f"unknown method {name!r}") from None
        rng = ind.get("range")
        indicators.append(Indicator(
            id=str(ind["id"]), name=str(ind["name"]), weight=float(ind["weight"]), scoring=method.from_canonical(sc),
            definition=str(ind.get("definition", "")), unit=str(ind.get("unit", "")), target=ind.get("target"),
            direction=ind.get("direction", "higher"), kind=ind.get("kind", "result"), source=str(ind.get("source", "")),
            range=(float(rng[0]), float(rng[1])) if rng else None))
    grades = tuple(Grade(str(g["label"]), float(g["min"]), str(g.get("application", ""))) for g in data["grades"])
    return Spec(id=str(data["id"]), title=str(data["title"]), indicators=tuple(indicators), grades=grades,
                language=data.get("language", "zh"), period=str(data.get("period", "")),
                position=str(data.get("position", "")), responsibilities=str(data.get("responsibilities", "")),
                version=str(data.get("version", "1")))

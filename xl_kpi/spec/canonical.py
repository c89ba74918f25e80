"""Rebuild a spec from its canonical data (as a workbook's metadata stores it)."""

from __future__ import annotations

from typing import Any

from ..methods import method_named
from .model import AdjustmentItem, Adjustments, Grade, Indicator, Rater, Section, Spec, VetoItem

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
            range=(float(rng[0]), float(rng[1])) if rng else None, section=str(ind.get("section", "")),
            raters=tuple(str(r) for r in ind.get("raters", ())),
            points=None if ind.get("points") is None else float(ind["points"])))
    grades = tuple(Grade(str(g["label"]), float(g["min"]), str(g.get("application", "")),
                         None if g.get("coefficient") is None else float(g["coefficient"])) for g in data["grades"])
    adjustments = data.get("adjustments")
    return Spec(id=str(data["id"]), title=str(data["title"]), indicators=tuple(indicators), grades=grades,
                language=data.get("language", "zh"), period=str(data.get("period", "")),
                position=str(data.get("position", "")), responsibilities=str(data.get("responsibilities", "")),
                version=str(data.get("version", "1")),
                sections=tuple(Section(str(s["id"]), str(s["name"]), float(s["weight"]),
                                       None if s.get("points") is None else float(s["points"])) for s in data.get("sections", ())),
                raters=tuple(Rater(str(r["id"]), str(r["name"]), float(r["weight"]), r.get("role", "supervisor"))
                             for r in data.get("raters", ())),
                adjustments=None if adjustments is None else Adjustments(
                    tuple(AdjustmentItem(str(i["id"]), str(i["name"]), float(i["points"]), float(i["max"])) for i in adjustments["items"]),
                    float(adjustments["min"]), float(adjustments["max"])),
                veto=tuple(VetoItem(str(v["id"]), str(v["name"])) for v in data.get("veto", ())),
                grade_scale=str(data.get("grade_scale", "")))

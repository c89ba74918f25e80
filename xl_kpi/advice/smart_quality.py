"""How well the SMART rules agree with goals people labelled by hand: precision and recall of
each criterion's "fail" verdict (``bench/bench_smart.py`` reports them; tests hold the floor)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from .smart import check_smart

__all__ = ["CRITERIA", "evaluate", "load_labelled"]

CRITERIA = ("specific", "measurable", "time_bound")


def load_labelled(path: str | Path) -> list[dict[str, str]]:
    """Labelled goals: a UTF-8 CSV with ``text, lang, split`` and a pass/fail column per criterion."""
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def evaluate(rows: Sequence[dict[str, str]]) -> dict[str, dict[str, float]]:
    """Per criterion: precision and recall of detecting a failing criterion, and accuracy."""
    out = {}
    results = [check_smart(r["text"], r["lang"]) for r in rows]
    for c in CRITERIA:
        tp = sum(1 for r, res in zip(rows, results) if r[c] == "fail" and getattr(res, c) == "fail")
        fp = sum(1 for r, res in zip(rows, results) if r[c] != "fail" and getattr(res, c) == "fail")
        fn = sum(1 for r, res in zip(rows, results) if r[c] == "fail" and getattr(res, c) != "fail")
        correct = sum(1 for r, res in zip(rows, results) if r[c] == getattr(res, c))
        out[c] = {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
                  "accuracy": correct / len(rows), "n": len(rows)}
    return out

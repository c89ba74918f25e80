"""What a consolidation says on the terminal: the counts, the problems by kind with an example each,
and where the outputs are — in the user's language (``consolidate`` and ``demo`` share it)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..consolidation.summary_book import STATUS
from ..core.findings import Finding, place
from ..core.text import ui_lang

__all__ = ["OUTPUTS", "STATUS", "output_lines", "problem_lines", "short_path", "status_word"]

OUTPUTS = {"scores": ("成绩", "scores"), "issues": ("问题清单", "issues"), "reviews": ("评语与自评", "reviews"),
           "summary": ("汇总工作簿", "summary"), "pay": ("绩效工资", "pay"), "history": ("历史库", "history")}
SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "note")}
KINDS_SHOWN = 10  # kinds listed one per line; the rest are counted


def _pick(words: tuple[str, str]) -> str:
    return words[0] if ui_lang() == "zh" else words[1]


def status_word(status: str) -> str:
    """A record's status as the summary workbook says it (正常, 有错误, 规则被改动…)."""
    return _pick(STATUS.get(status, (status, status)))


def short_path(path: str) -> str:
    """A path as typed relative to the current folder when it lies inside it (the names people know)."""
    if not path:
        return path
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative


def _example(f: Finding) -> str:
    """``file: place: message — fix`` without the severity (the line says it first)."""
    lang = ui_lang()
    where = ": ".join(p for p in (short_path(f.file), place(f.location, lang)) if p)
    text = f.message(lang) + (f" — {f.hint(lang)}" if f.hint is not None and f.hint(lang) else "")
    return f"{where}: {text}" if where else text


def problem_lines(examples: list[tuple[str, int, Finding]], issues_csv: Path | None = None) -> list[str]:
    """The problems by kind, most severe and most frequent first, each with its first example:
    ``  错误 ×1  returns/报销单.xlsx: 不是 Excel 工作簿 … — 确认附件是否发错``."""
    if not examples:
        return [_pick(("没有发现问题。", "No problems found."))]
    zh = ui_lang() == "zh"
    where = f"({short_path(str(issues_csv))})" if issues_csv else ""
    lines = [f"问题(按类别,每类举第一例;完整清单见问题清单{where}):" if zh else
             f"Problems by kind, with the first of each (all of them in the issues list{' ' + where if where else ''}):"]
    for code, count, first in examples[:KINDS_SHOWN]:
        lines.append(f"  {_pick(SEVERITY[first.severity])} ×{count} [{code}] {_example(first)}")
    rest = examples[KINDS_SHOWN:]
    if rest:
        n = sum(count for _, count, _ in rest)
        codes = ", ".join(f"{code} ×{count}" for code, count, _ in rest)
        lines.append(f"  另有 {len(rest)} 类 {n} 条: {codes}" if zh else f"  {len(rest)} more kind(s), {n} in all: {codes}")
    return lines


def output_lines(paths: dict[str, Any]) -> list[str]:
    """Where each output is, with its name in the user's language."""
    zh = ui_lang() == "zh"
    lines = ["输出:" if zh else "Outputs:"]
    width = max((len(_pick(OUTPUTS.get(k, (k, k)))) * (2 if zh else 1) for k in paths), default=0)
    for key, path in paths.items():
        label = _pick(OUTPUTS.get(key, (key, key)))
        pad = " " * (width - len(label) * (2 if zh else 1) + 2)
        lines.append(f"  {label}{pad}{short_path(str(path))}")
    return lines

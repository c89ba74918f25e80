"""Data validation for input cells: what each actual may be, said in the sheet's language."""

from __future__ import annotations

from typing import Any

from ..methods.grammar import number_text
from ..spec.model import Indicator


def _fit(text: str, limit: int) -> str:
    """Excel refuses validation texts over its limits (UTF-16 units): cut with an ellipsis."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    while len(text.encode("utf-16-le")) // 2 > limit - 1:
        text = text[:-1]
    return text + "…"


def event_validation(indicator: str, event: str, points: float) -> dict[str, Any]:
    """A count of one kind of event: a whole number ≥ 0, its prompt in Chinese and English (the cell is beside the
    table, away from the headings that name the other inputs)."""
    zh_verb, en_verb = ("扣", "minus") if points < 0 else ("加", "plus")
    msg = (f"{event}:每次{zh_verb}{abs(points):g}分。请输入发生次数(0 或正整数),没有发生填 0。\n"
           f"{event}: {en_verb} {abs(points):g} per case. Enter how many times (0 or a whole number); 0 if never.")
    return {"validate": "integer", "criteria": ">=", "value": 0, "input_title": _fit(f"{indicator} · 次数 Count", 32),
            "input_message": _fit(msg, 255), "error_title": _fit("次数 Count", 32),
            "error_message": _fit("请输入 0 或正整数。Enter 0 or a whole number.", 255)}


def actual_validation(ind: Indicator, lang: str, choices_range: str | None = None) -> dict[str, Any]:
    """XlsxWriter ``data_validation`` options for an indicator's actual cell; a label input's drop-down
    reads ``choices_range`` (the labels written in cells: a quote, a comma or a long list cannot break it)."""
    zh = lang == "zh"
    title = _fit(f"{ind.name}", 32)
    choices = ind.method.choices(ind)
    if choices is not None:
        labels = [label for label, _ in choices]
        lines = [f"{label}: {meaning}" if meaning else label for label, meaning in choices]
        msg = ("请选择等级:\n" if zh else "Choose a level:\n") + "\n".join(lines)
        return {
            "validate": "list", "source": choices_range or labels, "input_title": title, "input_message": _fit(msg, 255),
            "error_title": _fit("无效等级" if zh else "Invalid level", 32),
            "error_message": _fit(("只能选择: " if zh else "Choose one of: ") + ", ".join(labels), 255),
        }
    lo, hi = ind.input_range
    whole = ind.is_count and not ind.range
    finite = hi != float("inf")
    target = float(ind.target) if isinstance(ind.target, (int, float)) else None
    shown = (lambda v: ind.show(v)) if ind.is_percent else (lambda v: number_text(v))  # how a bound reads
    kind = ("整数" if zh else "whole number") if whole else ("数值" if zh else "number")
    if finite:
        allowed = f"{shown(lo)}–{shown(hi)} 之间的{kind}" if zh else f"a {kind} from {shown(lo)} to {shown(hi)}"
    else:
        allowed = f"不小于 {shown(lo)} 的{kind}" if zh else f"a {kind} of {shown(lo)} or more"
    example = _example(ind, target)
    unit = ind.unit if ind.unit and not ind.is_percent else ""
    if zh:
        msg = (f"目标:{ind.show(target) if target is not None else '—'}" + (f"(单位:{unit})" if unit else "") +
               f"。\n请输入{allowed},例如 {example}。" + ("\n百分比请带 % 输入。" if ind.is_percent else ""))
    else:
        msg = (f"Target: {ind.show(target) if target is not None else '—'}" + (f" ({unit})" if unit else "") +
               f".\nEnter {allowed}, e.g. {example}." + ("\nType percentages with %." if ind.is_percent else ""))
    rule: dict[str, Any] = ({"criteria": "between", "minimum": lo, "maximum": hi} if finite else {"criteria": ">=", "value": lo})
    return {
        "validate": "integer" if whole else "decimal", **rule,
        "input_title": title, "input_message": _fit(msg, 255),
        "error_title": _fit("超出允许范围" if zh else "Value not allowed", 32),
        "error_message": _fit((f"请输入{allowed}。" if zh else f"Enter {allowed}."), 255),
    }


def _example(ind: Indicator, target: float | None) -> str:
    """A value that fits the indicator: its target as it is typed (95% for a rate, 12 for a count)."""
    if target is None or target == 0:
        return ind.show(1.0) if not ind.is_percent else "100%"
    return ind.show(target) if ind.is_percent else number_text(target)


def count_validation(name: str, lang: str) -> dict[str, Any]:
    """An adjustment count: a whole number of times, 0 or more."""
    zh = lang == "zh"
    return {"validate": "integer", "criteria": ">=", "value": 0, "input_title": _fit(name, 32),
            "input_message": _fit("填写发生次数(整数),没有发生填 0 或留空。" if zh else "Times it happened (a whole number); 0 or blank if never.", 255),
            "error_title": _fit("次数无效" if zh else "Not a count", 32),
            "error_message": _fit("请输入不小于 0 的整数。" if zh else "Enter a whole number, 0 or more.", 255)}


def veto_validation(lang: str) -> dict[str, Any]:
    """A veto mark: picked from 是/否 (Yes/No)."""
    zh = lang == "zh"
    return {"validate": "list", "source": ["是", "否"] if zh else ["Yes", "No"],
            "input_message": _fit("发生则选“是”,本期考核总分为 0。" if zh else "Pick Yes if it happened: the total becomes 0.", 255),
            "error_title": _fit("请选择" if zh else "Pick from the list", 32),
            "error_message": _fit("只能选择“是”或“否”。" if zh else "Choose Yes or No.", 255)}
